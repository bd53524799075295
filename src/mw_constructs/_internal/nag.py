"""cdk-nag acknowledgments: what a construct of the library cannot avoid, acknowledged with
exact finding ids through aws-cdk-lib's ``Validations`` API (so no cdk-nag is needed to build).

cdk-nag prints a policy resource by rendering CloudFormation intrinsics: ``{"Ref": "X"}`` as
``<X>``, ``{"Fn::GetAtt": ["X", "Arn"]}`` as ``<X.Arn>``, ``Fn::Join`` by joining the parts;
:func:`nag_resource` does the same, so finding ids can be written exactly.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import Construct

__all__ = ["acknowledge", "acknowledge_in_compliance_packs", "nag_resource", "render_intrinsics"]

# Which packs besides AwsSolutions have each rule this library acknowledges (cdk-nag 3.x rule names).
_COMMON = ("CloudWatchLogGroupEncrypted", "IAMNoInlinePolicy", "LambdaInsideVPC", "S3BucketReplicationEnabled",
           "S3DefaultEncryptionKMS")
_RULES_BY_PACK = {
    "NIST.800.53.R5": _COMMON + ("LambdaConcurrency", "LambdaDLQ", "CloudWatchAlarmAction"),
    "HIPAA.Security": _COMMON + ("LambdaConcurrency", "LambdaDLQ", "IAMGroupHasUsers", "CloudWatchAlarmAction"),
    "PCI.DSS.321": _COMMON + ("IAMGroupHasUsers",),
}


def acknowledge(scope: Construct, finding: str, reason: str) -> None:
    """Acknowledge a cdk-nag finding on ``scope`` (and its children), e.g.
    ``AwsSolutions-IAM5[Resource::*]`` or ``PCI.DSS.321-LambdaDLQ``."""
    pack = finding.split("-", 1)[0]
    Validations.of(scope).acknowledge(Acknowledgment(id=f"{pack}::{finding}", reason=reason))


def acknowledge_in_compliance_packs(scope: Construct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (e.g. ``LambdaDLQ``) in every pack besides AwsSolutions that has it."""
    for pack, rules in _RULES_BY_PACK.items():
        if rule in rules:
            acknowledge(scope, f"{pack}-{rule}", reason)


def nag_resource(scope: Construct, arn: str) -> str:
    """``arn`` (possibly holding tokens) as cdk-nag prints it in a finding id."""
    return render_intrinsics(Stack.of(scope).resolve(arn))


def render_intrinsics(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag renders it (``<X>``, ``<X.Arn>``, joins)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"<{'.'.join(value['Fn::GetAtt'])}>"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(render_intrinsics(part) for part in parts)
    return str(value)
