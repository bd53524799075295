"""The CloudFormation User Guide's patch baseline: Windows Server 2019 security and critical
updates, and Active Directory application patches, approved after 7 days."""

from mw_constructs import ApprovalRule, ComplianceLevel, OperatingSystem, PatchBaseline, PatchFilter, PatchFilterKey
from tests.corpus.support import Refusal

SOURCE = ("examples.json", "cloudformation")
K = PatchFilterKey
_SEVERITY = PatchFilter(K.MSRC_SEVERITY, ["Critical", "Important", "Moderate"])
_ACTIVE_DIRECTORY = [_SEVERITY, PatchFilter(K.CLASSIFICATION, ["*"]), PatchFilter(K.PATCH_SET, ["APPLICATION"]),
                     PatchFilter(K.PRODUCT, ["Active Directory Rights Management Services Client 2.0"]),
                     PatchFilter(K.PRODUCT_FAMILY, ["Active Directory"])]
PARTLY = {
    "Example1myPatchBaseline.ApprovalRules.PatchRules": "the second rule has five filters, one more than the API "
                                                        "takes (REFUSED); the rebuild keeps the first rule",
}
REFUSED = [
    Refusal("an approval rule with five patch filters",
            lambda stack: PatchBaseline(stack, "B", operating_system=OperatingSystem.WINDOWS, approval_rules=[
                ApprovalRule(filters=_ACTIVE_DIRECTORY, approve_after_days=7)]), "InvalidPatchFilter",
            request=("CreatePatchBaseline", {"Name": "myPatchBaseline", "OperatingSystem": "WINDOWS", "ApprovalRules": {
                "PatchRules": [{"PatchFilterGroup": {"PatchFilters": [
                    {"Key": f.key.value, "Values": list(f.values)} for f in _ACTIVE_DIRECTORY]}, "ApproveAfterDays": 7}]}})),
]


def build(stack):
    return {"Example1myPatchBaseline": PatchBaseline(
        stack, "Windows", baseline_name="myPatchBaseline", description="Baseline containing all updates approved for Windows instances",
        operating_system=OperatingSystem.WINDOWS, patch_groups=["myPatchGroup"],
        approval_rules=[ApprovalRule(filters=[_SEVERITY, PatchFilter(K.CLASSIFICATION, ["SecurityUpdates", "CriticalUpdates"]),
                                              PatchFilter(K.PRODUCT, ["WindowsServer2019"])],
                                     approve_after_days=7, compliance_level=ComplianceLevel.CRITICAL)])}
