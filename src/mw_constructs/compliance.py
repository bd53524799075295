"""Run cdk-nag's compliance packs on an app in one line.

    from mw_constructs import add_compliance_checks
    add_compliance_checks(app)   # AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1

cdk-nag is not a runtime dependency of mw-constructs: install it (``pip install cdk-nag``)
where you run the checks. Findings fail ``cdk synth``; acknowledge the ones you accept with
``Validations.of(scope).acknowledge(Acknowledgment(id=..., reason=...))``.
"""

from __future__ import annotations

from typing import Any, Sequence

__all__ = ["add_compliance_checks", "COMPLIANCE_PACKS"]

#: The packs mw-constructs' examples are kept clean against, by cdk-nag class name.
COMPLIANCE_PACKS = ("AwsSolutionsChecks", "NIST80053R5Checks", "HIPAASecurityChecks", "PCIDSS321Checks")


def add_compliance_checks(app: Any, *, packs: Sequence[str] = COMPLIANCE_PACKS) -> None:
    """Register cdk-nag ``packs`` (default: all four) as validation plugins of ``app``."""
    try:
        import cdk_nag
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("add_compliance_checks needs cdk-nag: pip install 'cdk-nag>=3,<4'") from error
    from aws_cdk import Validations

    unknown = [pack for pack in packs if not hasattr(cdk_nag, pack)]
    if unknown:
        from ._validate import fail

        fail("InvalidType", f"packs names unknown cdk-nag packs {unknown}: use class names such as {list(COMPLIANCE_PACKS)}.")
    Validations.of(app).add_plugins(*(getattr(cdk_nag, pack)(app) for pack in packs))
