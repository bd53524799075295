"""Acknowledge the cdk-nag findings a construct cannot avoid, with exact finding ids.

Uses aws-cdk-lib's own ``Validations.of(...).acknowledge`` (no cdk-nag dependency). cdk-nag
prints a policy resource by rendering CloudFormation intrinsics: ``{"Ref": "X"}`` as
``<X>``, ``{"Fn::GetAtt": ["X", "Arn"]}`` as ``<X.Arn>``, ``Fn::Join`` by joining the parts.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import Construct


#: The compliance packs besides AwsSolutions that the examples are checked against.
COMPLIANCE_PACKS = ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")


def acknowledge(scope: Construct, finding: str, reason: str) -> None:
    """Acknowledge a cdk-nag finding on ``scope`` (and its children), e.g.
    ``AwsSolutions-IAM5[Resource::*]`` or ``PCI.DSS.321-LambdaDLQ``."""
    pack = finding.split("-", 1)[0]
    Validations.of(scope).acknowledge(Acknowledgment(id=f"{pack}::{finding}", reason=reason))


def acknowledge_in_compliance_packs(scope: Construct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (e.g. ``LambdaDLQ``) in every pack of ``COMPLIANCE_PACKS`` that has it."""
    for pack in COMPLIANCE_PACKS:
        if rule in _RULES_BY_PACK.get(pack, ()):
            acknowledge(scope, f"{pack}-{rule}", reason)


# Which packs have each rule this library acknowledges (cdk-nag 3.x rule names).
_COMMON = ("CloudWatchLogGroupEncrypted", "IAMNoInlinePolicy", "LambdaInsideVPC", "S3BucketReplicationEnabled",
           "S3DefaultEncryptionKMS")
_RULES_BY_PACK = {
    "NIST.800.53.R5": _COMMON + ("LambdaConcurrency", "LambdaDLQ"),
    "HIPAA.Security": _COMMON + ("LambdaConcurrency", "LambdaDLQ", "IAMGroupHasUsers"),
    "PCI.DSS.321": _COMMON + ("IAMGroupHasUsers",),
}


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
