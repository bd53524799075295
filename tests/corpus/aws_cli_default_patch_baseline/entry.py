"""A Windows Server baseline as get-patch-baseline prints it, every default written out, created
again as written."""

from mw_constructs import (
    ApprovalRule,
    ComplianceLevel,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    RejectedPatchesAction,
)

SOURCE = ("get-patch-baseline.rst", "baseline-output")


def build(stack):
    return {"baseline": PatchBaseline(
        stack, "WindowsPatching", baseline_name="WindowsPatching", description="Patches for Windows Servers",
        operating_system=OperatingSystem.WINDOWS, global_filters=[],
        approval_rules=[ApprovalRule(filters=[PatchFilter(PatchFilterKey.PRODUCT, ["WindowsServer2016"])],
                                     compliance_level=ComplianceLevel.CRITICAL, approve_after_days=0,
                                     enable_non_security=False)],
        approved_patches=[], approved_patches_compliance_level=ComplianceLevel.UNSPECIFIED,
        approved_patches_enable_non_security=False, rejected_patches=[],
        rejected_patches_action=RejectedPatchesAction.ALLOW_AS_DEPENDENCY, patch_groups=["QA", "DEV"], sources=[])}
