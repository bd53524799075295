"""cdk-nag compliance packs: run them on an app in one line.

    from mw_constructs import add_compliance_checks
    add_compliance_checks(app)   # AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1

cdk-nag is not a runtime dependency of mw-constructs: install it (``pip install cdk-nag``)
where you run the checks. Findings fail ``cdk synth``; acknowledge the ones you accept with
``Validations.of(scope).acknowledge(Acknowledgment(id=..., reason=...))``. The library's own
acknowledgments use that same aws-cdk-lib API, so they need no cdk-nag either.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from aws_cdk import App, Validations

from ._internal.validate import fail, quote

__all__ = ["COMPLIANCE_PACKS", "add_compliance_checks"]

#: The cdk-nag packs the examples are kept clean against: class name -> the prefix of its finding ids.
COMPLIANCE_PACKS: Mapping[str, str] = {
    "AwsSolutionsChecks": "AwsSolutions",
    "NIST80053R5Checks": "NIST.800.53.R5",
    "HIPAASecurityChecks": "HIPAA.Security",
    "PCIDSS321Checks": "PCI.DSS.321",
}


def add_compliance_checks(app: App, *, packs: Sequence[str] = tuple(COMPLIANCE_PACKS)) -> None:
    """Register cdk-nag ``packs`` (class names; default: all four of ``COMPLIANCE_PACKS``) as
    validation plugins of ``app``."""
    if isinstance(packs, (str, bytes, Mapping)) or not isinstance(packs, Sequence) or not all(isinstance(pack, str) for pack in packs):
        fail("InvalidType", f"packs must be a list of cdk-nag pack class names such as {list(COMPLIANCE_PACKS)}: got {quote(packs)}.")
    try:
        import cdk_nag
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("add_compliance_checks needs cdk-nag 3: pip install 'cdk-nag>=3,<4' (the 'nag' extra of mw-constructs)") from error
    unknown = [pack for pack in packs if not hasattr(cdk_nag, pack)]
    if unknown:
        fail("InvalidType", f"packs names unknown cdk-nag packs {unknown}: use class names such as {list(COMPLIANCE_PACKS)}.")
    Validations.of(app).add_plugins(*(getattr(cdk_nag, pack)(app) for pack in packs))
