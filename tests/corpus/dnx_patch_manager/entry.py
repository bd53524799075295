"""DNXLabs' Windows patching module with its README's inputs: scan and install windows in
Melbourne time (install disabled until approved), CloudWatch output, a default baseline."""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs

from mw_constructs import (
    ApprovalRule,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunPatchBaselineTask,
    TaskOutput,
    WindowSchedule,
    WindowTarget,
)

SOURCE = ("resolved.json", "resolved")
NAME = "windows-patching"
_NOTIFICATION_ROLE = ("run_command_parameters.service_role_arn is set without a notification; the library writes "
                      "MaintenanceWindowRunCommandParameters.ServiceRoleArn only for notifications")
ESCAPES = {
    "aws_ssm_maintenance_window_task.patch_baseline_scan[0].TaskInvocationParameters.ServiceRoleArn": _NOTIFICATION_ROLE,
    "aws_ssm_maintenance_window_task.patch_baseline_install[0].TaskInvocationParameters.ServiceRoleArn": _NOTIFICATION_ROLE,
}


def build(stack):
    role = iam.Role(stack, "TaskRole", role_name=f"{NAME}-maintenance-window-task-role", path="/service-role/",
                    assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    built = {"aws_iam_role.maintenance_window_task[0]": role}
    for kind, expression, operation, rate, reboot in (
            ("scan", "cron(0 23 ? * SAT *)", PatchOperation.SCAN, "20%", None),
            ("install", "cron(0 23 ? * SUN *)", PatchOperation.INSTALL, "10%", RebootOption.NO_REBOOT)):
        window = PatchingWindow(stack, f"{kind}Window", window_name=f"{NAME}-maintenance-window-{kind}",
                                schedule=WindowSchedule.expression(expression, time_zone="Australia/Melbourne"),
                                duration=Duration.hours(5), cutoff=Duration.hours(1), enabled=kind == "scan")
        target = WindowTarget(stack, f"{kind}Target", window=window, tags={"PatchGroup": ["windows-server"]},
                              target_name=f"{NAME}-{kind}-target",
                              description=f"This is a maintenance window {kind} target for {NAME}")
        group = logs.LogGroup(stack, f"{kind}Logs", log_group_name=f"/aws/ssm/{NAME}-patch-baseline-{kind}",
                              retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.DESTROY)
        task = RunPatchBaselineTask(stack, f"{kind}Task", window=window, targets=[target], operation=operation,
                                    reboot_option=reboot, document_version="$LATEST", timeout=Duration.seconds(600),
                                    output=TaskOutput.cloud_watch(group), service_linked_role=True,
                                    task_name=f"{NAME}-patch-baseline-{kind}", priority=1, max_concurrency=rate, max_errors=rate)
        task.node.default_child.add_property_override(
            "TaskInvocationParameters.MaintenanceWindowRunCommandParameters.ServiceRoleArn", role.role_arn)
        built.update({f"aws_ssm_maintenance_window.patch_baseline_{kind}[0]": window,
                      f"aws_ssm_maintenance_window_target.patch_baseline_{kind}[0]": target,
                      f"aws_ssm_maintenance_window_task.patch_baseline_{kind}[0]": task,
                      f"aws_cloudwatch_log_group.patch_baseline_{kind}[0]": group})
    built["aws_ssm_patch_baseline.default[0]"] = PatchBaseline(
        stack, "Default", baseline_name=f"{NAME}-DefaultPatchBaseline", description=f"Custom Patch Baseline WINDOWS for {NAME}",
        operating_system=OperatingSystem.WINDOWS, default_for_os=True, patch_groups=["windows-server"],
        approval_rules=[ApprovalRule(filters=[
            PatchFilter(PatchFilterKey.CLASSIFICATION, ["CriticalUpdates", "SecurityUpdates"]),
            PatchFilter(PatchFilterKey.MSRC_SEVERITY, ["Critical", "Important"])], approve_after_days=7)])
    return built
