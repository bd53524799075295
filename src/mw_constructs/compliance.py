"""cdk-nag compliance packs: run them on an app in one line, and acknowledge what a construct
cannot avoid with exact finding ids.

    from mw_constructs import add_compliance_checks
    add_compliance_checks(app)   # AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1

cdk-nag is not a runtime dependency of mw-constructs: install it (``pip install cdk-nag``)
where you run the checks. Findings fail ``cdk synth``; acknowledge the ones you accept with
``Validations.of(scope).acknowledge(Acknowledgment(id=..., reason=...))``. The library's own
acknowledgments use that same aws-cdk-lib API, so they need no cdk-nag either.

cdk-nag prints a policy resource by rendering CloudFormation intrinsics: ``{"Ref": "X"}`` as
``<X>``, ``{"Fn::GetAtt": ["X", "Arn"]}`` as ``<X.Arn>``, ``Fn::Join`` by joining the parts;
:func:`nag_resource` does the same, so finding ids can be written exactly.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from aws_cdk import Acknowledgment, App, Stack, Validations
from constructs import Construct

from ._internal.validate import fail

__all__ = ["add_compliance_checks", "COMPLIANCE_PACKS", "acknowledge", "acknowledge_in_compliance_packs", "nag_resource"]

#: The cdk-nag packs the examples are kept clean against: class name -> the prefix of its finding ids.
COMPLIANCE_PACKS: Mapping[str, str] = {
    "AwsSolutionsChecks": "AwsSolutions",
    "NIST80053R5Checks": "NIST.800.53.R5",
    "HIPAASecurityChecks": "HIPAA.Security",
    "PCIDSS321Checks": "PCI.DSS.321",
}

# Which packs besides AwsSolutions have each rule this library acknowledges (cdk-nag 3.x rule names).
_COMMON = ("CloudWatchLogGroupEncrypted", "IAMNoInlinePolicy", "LambdaInsideVPC", "S3BucketReplicationEnabled",
           "S3DefaultEncryptionKMS")
_RULES_BY_PACK = {
    "NIST.800.53.R5": _COMMON + ("LambdaConcurrency", "LambdaDLQ", "CloudWatchAlarmAction"),
    "HIPAA.Security": _COMMON + ("LambdaConcurrency", "LambdaDLQ", "IAMGroupHasUsers", "CloudWatchAlarmAction"),
    "PCI.DSS.321": _COMMON + ("IAMGroupHasUsers",),
}


def add_compliance_checks(app: App, *, packs: Sequence[str] = tuple(COMPLIANCE_PACKS)) -> None:
    """Register cdk-nag ``packs`` (class names; default: all four of ``COMPLIANCE_PACKS``) as
    validation plugins of ``app``."""
    try:
        import cdk_nag
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("add_compliance_checks needs cdk-nag: pip install 'cdk-nag>=3,<4'") from error
    if isinstance(packs, (str, bytes, Mapping)) or not isinstance(packs, Sequence) or not all(isinstance(pack, str) for pack in packs):
        fail("InvalidType", f"packs must be a list of cdk-nag pack class names such as {list(COMPLIANCE_PACKS)}: got {packs!r}.")
    unknown = [pack for pack in packs if not hasattr(cdk_nag, pack)]
    if unknown:
        fail("InvalidType", f"packs names unknown cdk-nag packs {unknown}: use class names such as {list(COMPLIANCE_PACKS)}.")
    Validations.of(app).add_plugins(*(getattr(cdk_nag, pack)(app) for pack in packs))


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
