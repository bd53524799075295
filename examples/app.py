"""Example apps.

* ``PatchingExample``: weekday-night patching for non-production, weekend-morning patching for
  production, one least-privilege role and a PassRole grant (the console steps, as code).
* ``PatchingComplete``: the same tiers built from ``EnvironmentSchedule`` presets, with patch
  baselines per OS and tier (approval delays test 3 days, production 7), an AWS-managed baseline
  for development, command output to S3 and CloudWatch Logs, SNS notifications on failures, and
  the instance role that may write the output.

Synthesize with the pinned CDK CLI (see README quick start):
    node_modules/.bin/cdk synth
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Duration, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from mw_constructs import (
    ApprovalRule,
    AwsManagedBaseline,
    ComplianceLevel,
    CutoffBehavior,
    EnvironmentSchedule,
    ManagedInstanceRole,
    MaintenanceWindowRole,
    MaxConcurrency,
    MaxErrors,
    PatchGroupTarget,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunPatchBaselineTask,
    TaskNotifications,
    TaskOutput,
    WindowSchedule,
)

TIME_ZONE = "Europe/Amsterdam"


class PatchingStack(Stack):
    """Two windows in Amsterdam time sharing one least-privilege role.

    * non-production: Monday-Friday 22:00 for 5 hours (no new tasks after 02:00);
    * production: Saturday and Sunday 06:00 for 5 hours (no new tasks after 10:00).

    Each window scans first (priority 1) and then installs (priority 2), a few
    instances at a time, and the patching admins may register tasks with the role.
    """

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        role = MaintenanceWindowRole(self, "PatchingRole")
        admins = iam.Group(self, "PatchingAdmins")
        # The admins may pass the role to SSM (to register tasks), via a customer managed policy.
        iam.ManagedPolicy(self, "PassPatchingRole", statements=[role.pass_role_statement()], groups=[admins])
        for pack in ("HIPAA.Security", "PCI.DSS.321"):
            Validations.of(admins).acknowledge(Acknowledgment(
                id=f"{pack}::{pack}-IAMGroupHasUsers",
                reason="Members are assigned outside this app (identity provider); the group only carries the grant.",
            ))

        non_production = PatchingWindow(
            self,
            "NonProduction",
            schedule=WindowSchedule.expression("cron(0 22 ? * MON-FRI *)", time_zone=TIME_ZONE),
            duration=Duration.hours(5),
            cutoff=Duration.hours(1),
            description="Non-production patching, weekday nights",
            role=role,
        )
        test_servers = PatchGroupTarget(self, "TestServers", window=non_production, patch_group="test-servers")
        self._scan_then_install(non_production, test_servers, concurrency=MaxConcurrency.percent(50), errors="25%")

        production = PatchingWindow(
            self,
            "Production",
            schedule=WindowSchedule.cron(minute=0, hour=6, week_day="SAT,SUN", time_zone=TIME_ZONE),
            duration=Duration.hours(5),
            cutoff=Duration.hours(1),
            description="Production patching, weekend mornings",
            role=role,
            tags={"environment": "production"},
        )
        web = PatchGroupTarget(self, "WebServers", window=production, patch_group="prod-web")
        self._scan_then_install(production, web, concurrency="10%", errors=MaxErrors.count(1))

    def _scan_then_install(self, window: PatchingWindow, target: PatchGroupTarget, *, concurrency, errors) -> None:
        prefix = window.node.id
        RunPatchBaselineTask(
            self,
            f"{prefix}Scan",
            window=window,
            targets=[target],
            operation=PatchOperation.SCAN,
            priority=1,
            max_concurrency=concurrency,
            max_errors=errors,
        )
        RunPatchBaselineTask(
            self,
            f"{prefix}Install",
            window=window,
            targets=[target],
            operation=PatchOperation.INSTALL,
            reboot_option=RebootOption.REBOOT_IF_NEEDED,
            priority=2,
            max_concurrency=concurrency,
            max_errors=errors,
            cutoff_behavior=CutoffBehavior.CANCEL_TASK,
            timeout=Duration.minutes(30),
        )


LINUX_SECURITY = [
    PatchFilter(PatchFilterKey.CLASSIFICATION, ["Security", "Bugfix"]),
    PatchFilter(PatchFilterKey.SEVERITY, ["Critical", "Important"]),
]
WINDOWS_SECURITY = [
    PatchFilter(PatchFilterKey.CLASSIFICATION, ["CriticalUpdates", "SecurityUpdates"]),
    PatchFilter(PatchFilterKey.MSRC_SEVERITY, ["Critical", "Important"]),
]


class CompletePatchingStack(Stack):
    """Tiers from presets, baselines per OS and tier, output to S3 and CloudWatch, notifications.

    * development (AWS's Amazon Linux 2023 default baseline), test (approve after 3 days) and
      production (approve after 7 days; Windows too), so a patch reaches production only after
      it soaked in test;
    * every task writes its output to a protected bucket and a log group created by the
      library, and failures, time-outs and cancellations are published to an encrypted topic;
    * ``ManagedInstanceRole`` is the instance profile the patched instances use.
    """

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        role = MaintenanceWindowRole(self, "PatchingRole")
        output = [TaskOutput.s3(key_prefix="patching/"), TaskOutput.cloud_watch()]
        notifications = TaskNotifications()

        AwsManagedBaseline(self, "DevelopmentBaseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                           patch_groups=["dev-fleet"])
        for tier, group in ((EnvironmentSchedule.TEST, "test-fleet"), (EnvironmentSchedule.PRODUCTION, "prod-fleet")):
            PatchBaseline(
                self, f"{tier.name.title()}LinuxBaseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                approval_rules=[ApprovalRule.for_environment(tier, filters=LINUX_SECURITY,
                                                             compliance_level=ComplianceLevel.HIGH)],
                patch_groups=[group], description=f"Amazon Linux 2023 security updates for {tier.name}",
            )
        PatchBaseline(
            self, "ProductionWindowsBaseline", operating_system=OperatingSystem.WINDOWS,
            approval_rules=[ApprovalRule.for_environment(EnvironmentSchedule.PRODUCTION, filters=WINDOWS_SECURITY,
                                                         compliance_level=ComplianceLevel.CRITICAL)],
            patch_groups=["prod-fleet"], description="Windows security updates for production",
        )

        tasks = []
        for tier, groups in ((EnvironmentSchedule.DEVELOPMENT, ["dev-fleet"]), (EnvironmentSchedule.TEST, ["test-fleet"]),
                             (EnvironmentSchedule.PRODUCTION, ["prod-fleet"])):
            name = tier.name.title()
            window = PatchingWindow.for_environment(self, f"{name}Window", environment=tier, time_zone=TIME_ZONE, role=role)
            target = PatchGroupTarget(self, f"{name}Servers", window=window, patch_group=groups)
            tasks.append(RunPatchBaselineTask(
                self, f"{name}Install", window=window, targets=[target], operation=PatchOperation.INSTALL,
                reboot_option=RebootOption.REBOOT_IF_NEEDED, max_concurrency="25%", max_errors="1",
                cutoff_behavior=CutoffBehavior.CANCEL_TASK, timeout=Duration.minutes(30),
                output=output, notifications=notifications,
            ))
        ManagedInstanceRole(self, "PatchedInstances", tasks=tasks)


def build(app: App) -> None:
    """Add the example stacks to ``app``."""
    PatchingStack(app, "PatchingExample")
    CompletePatchingStack(app, "PatchingComplete")


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
