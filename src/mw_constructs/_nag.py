"""Acknowledge the cdk-nag findings a construct cannot avoid, with exact finding ids.

Uses aws-cdk-lib's own ``Validations.of(...).acknowledge`` (no cdk-nag dependency). cdk-nag
prints a policy resource by rendering CloudFormation intrinsics: ``{"Ref": "X"}`` as
``<X>``, ``{"Fn::GetAtt": ["X", "Arn"]}`` as ``<X.Arn>``, ``Fn::Join`` by joining the parts.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import Construct


def acknowledge(scope: Construct, finding: str, reason: str) -> None:
    """Acknowledge an AwsSolutions finding (e.g. ``AwsSolutions-IAM5[Resource::*]``) on ``scope``."""
    Validations.of(scope).acknowledge(Acknowledgment(id=f"AwsSolutions::{finding}", reason=reason))


def nag_resource(scope: Construct, arn: str) -> str:
    """``arn`` (possibly holding tokens) as cdk-nag prints it in a finding id."""
    return _render(Stack.of(scope).resolve(arn))


def _render(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"<{'.'.join(value['Fn::GetAtt'])}>"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_render(part) for part in parts)
    return str(value)
