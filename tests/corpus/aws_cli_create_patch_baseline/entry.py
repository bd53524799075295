"""AWS CLI examples of create-patch-baseline: Windows Server baselines approving after 7 days or
until a date, an Amazon Linux baseline with a custom repository, one with approved patches."""

from datetime import date

from mw_constructs import (
    ApprovalRule,
    ComplianceLevel,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchSource,
)

SOURCE = ("create-patch-baseline.rst", "cli")
_REPOSITORY = (
    "[amzn-main] \nname=amzn-main-Base\nmirrorlist=http://repo./$awsregion./$awsdomain//$releasever/main/mirror.list "
    "//nmirrorlist_expire=300//nmetadata_expire=300 \npriority=10 \nfailovermethod=priority \nfastestmirror_enabled=0 "
    "\ngpgcheck=1 \ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-amazon-ga \nenabled=1 \nretries=3 \ntimeout=5\n"
    "report_instanceid=yes"
)


def build(stack):
    K = PatchFilterKey
    windows_filters = [PatchFilter(K.MSRC_SEVERITY, ["Critical", "Important", "Moderate"]),
                       PatchFilter(K.CLASSIFICATION, ["SecurityUpdates", "Updates", "UpdateRollups", "CriticalUpdates"])]
    description = "Baseline containing all updates approved for Windows Server production systems"
    return {
        "cli1": PatchBaseline(stack, "Delay", baseline_name="Windows-Production-Baseline-AutoApproval", description=description,
                              operating_system=OperatingSystem.WINDOWS,
                              approval_rules=[ApprovalRule(filters=windows_filters, approve_after_days=7)]),
        "cli2": PatchBaseline(stack, "Until", baseline_name="Windows-Production-Baseline-AutoApproval", description=description,
                              operating_system=OperatingSystem.WINDOWS,
                              approval_rules=[ApprovalRule(filters=windows_filters, approve_until_date=date(2020, 7, 7))]),
        "cli3": PatchBaseline(
            stack, "AmazonLinux", baseline_name="Amazon-Linux-2017.09-Production-Baseline",
            description="My approval rules patch baseline for Amazon Linux 2017.09 instances",
            operating_system=OperatingSystem.AMAZON_LINUX, tags={"Environment": "Production"},
            approval_rules=[ApprovalRule(filters=[PatchFilter(K.SEVERITY, ["Important", "Critical"]),
                                                  PatchFilter(K.CLASSIFICATION, ["Security", "Bugfix"]),
                                                  PatchFilter(K.PRODUCT, ["AmazonLinux2017.09"])],
                                         approve_after_days=7, enable_non_security=True)],
            sources=[PatchSource("My-AL2017.09", ["AmazonLinux2017.09"], _REPOSITORY)]),
        "cli4": PatchBaseline(
            stack, "Alpha", baseline_name="Amazon-Linux-2017.09-Alpha-Baseline",
            description="My custom approve/reject patch baseline for Amazon Linux 2017.09 instances",
            operating_system=OperatingSystem.AMAZON_LINUX,
            approved_patches=["CVE-2018-1234567", "example-pkg-EE-2018*.amzn1.noarch"],
            approved_patches_compliance_level=ComplianceLevel.HIGH, approved_patches_enable_non_security=True,
            tags={"Environment": "Alpha"}),
    }
