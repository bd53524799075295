"""The kitchen sink: every option of a window, its targets and Run Command tasks in one stack
(cfn-lint, cdk-nag, the API model and the least-privilege audit all read it)."""

from __future__ import annotations

from datetime import datetime, timezone

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from mw_constructs import (
    CutoffBehavior,
    Document,
    MaintenanceWindowRole,
    MaxConcurrency,
    MaxErrors,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunCommandTask,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)


def kitchen_sink(stack: Stack) -> None:
    """Build the kitchen sink in ``stack``."""
    role = MaintenanceWindowRole(stack, "Role")
    role.grant_pass_role(iam.Group(stack, "Admins"))
    window = PatchingWindow(
        stack, "Window",
        schedule=WindowSchedule.cron(
            minute=30, hour=23, week_day="TUE#2", time_zone="America/Los_Angeles", schedule_offset=3,
            start_date=datetime(2025, 1, 1, tzinfo=timezone.utc), end_date=datetime(2030, 1, 1, tzinfo=timezone.utc),
        ),
        duration=Duration.hours(6), cutoff=Duration.hours(2), window_name="patch-tuesday-plus-3",
        description="Three days after Patch Tuesday", allow_unassociated_targets=True, tags={"team": "ops"}, role=role,
    )
    web = PatchGroupTarget(stack, "Web", window=window, patch_group=["web-a", "web-b"], tag_key="PatchGroup",
                           target_name="web", description="Web servers", owner_information="team-web")
    tagged = WindowTarget(stack, "Tagged", window=window, tags={"Environment": "prod", "Role": ["db", "cache"]})
    hosts = WindowTarget(stack, "Hosts", window=window, instance_ids=["i-0123456789abcdef0", "mi-0123456789abcdef0"])
    group = WindowTarget(stack, "Group", window=window, resource_group="patching",
                         resource_type_filters=["AWS::EC2::Instance"])
    logs = s3.Bucket.from_bucket_name(stack, "Logs", "patch-logs")
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web, tagged, hosts, group],
                         operation=PatchOperation.SCAN, priority=0, max_concurrency=MaxConcurrency.percent(25),
                         max_errors=MaxErrors.count(0))
    RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL,
                         reboot_option=RebootOption.NO_REBOOT, priority=1, max_concurrency=2, max_errors="10%",
                         cutoff_behavior=CutoffBehavior.CANCEL_TASK, timeout=Duration.hours(1), task_name="install",
                         description="Install approved patches", output_s3_bucket=logs, output_s3_key_prefix="patch/",
                         comment="install")
    RunCommandTask(stack, "Reboot", window=window, instance_ids=["i-0123456789abcdef0"],
                   document=Document.RUN_SHELL_SCRIPT, parameters={"commands": ["systemctl reboot"]},
                   priority=2, max_concurrency="1", max_errors="0")
