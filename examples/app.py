"""Example: weekday-night patching for non-production, weekend-morning patching for production.

Synthesize with the pinned CDK CLI (see README quick start):
    node_modules/.bin/cdk synth
"""

from __future__ import annotations

from aws_cdk import App, Duration, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from mw_constructs import (
    CutoffBehavior,
    MaintenanceWindowRole,
    MaxConcurrency,
    MaxErrors,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunPatchBaselineTask,
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
        role.grant_pass_role(admins)

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


def build(app: App) -> None:
    """Add the example stacks to ``app``."""
    PatchingStack(app, "PatchingExample")


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
