"""cloudposse/terraform-aws-ssm-patch-manager with its example's inputs: scan (NoReboot) and
install windows for two patch groups and an Amazon Linux 2 baseline."""

from aws_cdk import Duration

from mw_constructs import (
    ApprovalRule,
    ComplianceLevel,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)

SOURCE = ("resolved.json", "resolved")
ID = "eg-ue2-test-ssm-patch"


def build(stack):
    built = {}
    for kind, expression, group, operation, reboot in (
            ("scan", "cron(0 0 18 ? * WED *)", "TOSCAN", PatchOperation.SCAN, RebootOption.NO_REBOOT),
            ("install", "cron(0 0 21 ? * WED *)", "TOPATCH", PatchOperation.INSTALL, RebootOption.REBOOT_IF_NEEDED)):
        window = PatchingWindow(stack, f"{kind}Window", window_name=f"{ID}-{kind}-window", duration=Duration.hours(3),
                                cutoff=Duration.hours(1), schedule=WindowSchedule.expression(expression))
        target = WindowTarget(stack, f"{kind}Target", window=window, tags={"Patch Group": [group]})
        task = RunPatchBaselineTask(stack, f"{kind}Task", window=window, targets=[target], operation=operation,
                                    reboot_option=reboot, output_s3_bucket=ID, output_s3_key_prefix="scanning",
                                    service_linked_role=True, priority=1, max_concurrency=20, max_errors=50)
        patches = "scan_patches" if kind == "scan" else "install_patches"
        built.update({f"aws_ssm_maintenance_window.{kind}_window": window,
                      f"aws_ssm_maintenance_window_target.target_{kind}": target,
                      f"aws_ssm_maintenance_window_task.task_{patches}": task})
    K = PatchFilterKey
    built["aws_ssm_patch_baseline.baseline"] = PatchBaseline(
        stack, "Baseline", baseline_name=f"{ID}-AMAZON_LINUX_2", description="AMAZON_LINUX_2 baseline",
        operating_system=OperatingSystem.AMAZON_LINUX_2, approved_patches_compliance_level=ComplianceLevel.HIGH,
        approval_rules=[ApprovalRule(filters=[PatchFilter(K.PRODUCT, ["AmazonLinux2", "AmazonLinux2.0"]),
                                              PatchFilter(K.CLASSIFICATION, ["Security", "Bugfix", "Recommended"]),
                                              PatchFilter(K.SEVERITY, ["Critical", "Important", "Medium"])],
                                     approve_after_days=7, compliance_level=ComplianceLevel.HIGH, enable_non_security=True)],
        patch_groups=["TOPATCH", "TOSCAN"],
        tags={"Name": ID, "Namespace": "eg", "Environment": "ue2", "Stage": "test"})
    return built
