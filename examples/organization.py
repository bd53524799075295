"""Organization example: the tiered patching stack in every account of two organizational units,
in three Regions, each Region patching at the same local time (follow the sun).

* ``OrganizationPatching`` (the delegated administrator's stack) holds two StackSets:
  ``NonProductionPatching`` for the non-production OU and ``ProductionPatching`` for the
  production OU, each deployed to eu-west-1 (Europe/Dublin), us-east-1 (America/New_York) and
  ap-southeast-2 (Australia/Sydney), one Region after another, 25% of the accounts at a time;
  accounts that join an OU get the stack automatically.
* Each template: a least-privilege role, an Amazon Linux 2023 baseline whose approval delay
  fits the tier (non-production 3 days, production 7), one window at the tier's local time, its
  patch group and an install task, and alerts on failures.

In every Region, the non-production accounts patch on Tuesday night and production on
Saturday morning, local time; the Regions take turns (``mw-constructs check`` warns when two
Regions' windows of one tier would be open at once).

Synthesize with the pinned CDK CLI:
    node_modules/.bin/cdk synth --app "python3 examples/organization.py"
then ``mw-constructs calendar cdk.out`` lists every Region's windows in its own time.
"""

from __future__ import annotations

from aws_cdk import App, Duration, Environment, Stack
from cdk_stacksets import StackSetStack
from constructs import Construct

from mw_constructs import (
    ApprovalRule,
    ComplianceLevel,
    EnvironmentSchedule,
    MaintenanceWindowRole,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchGroupTarget,
    PatchingAlerts,
    PatchingStackSet,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RegionalTimeZones,
    RunPatchBaselineTask,
)

#: The delegated administrator account for CloudFormation StackSets, and its home Region.
ADMINISTRATOR = Environment(account="111111111111", region="us-east-1")
REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"]
#: Each Region patches at its own local time: Europe/Dublin, America/New_York, Australia/Sydney.
LOCAL_TIME = RegionalTimeZones.local(REGIONS)

NON_PRODUCTION = EnvironmentSchedule.custom(
    "non-production", expression="cron(0 22 ? * TUE *)", duration=Duration.hours(4), production=False,
    summary="Tuesdays 22:00-02:00")
PRODUCTION = EnvironmentSchedule.custom(
    "production", expression="cron(0 6 ? * SAT *)", duration=Duration.hours(4), production=True,
    summary="Saturdays 06:00-10:00")

#: (tier, organizational unit, days a patch waits before approval)
TIERS = [
    (NON_PRODUCTION, "ou-ab12-nonprod1", 3),
    (PRODUCTION, "ou-ab12-product1", 7),
]

LINUX_SECURITY = [
    PatchFilter(PatchFilterKey.CLASSIFICATION, ["Security"]),
    PatchFilter(PatchFilterKey.SEVERITY, ["Critical", "Important"]),
]


class TierTemplate(StackSetStack):
    """What every account of one tier gets, in each Region: the tiered patching stack."""

    def __init__(self, scope: Construct, id: str, *, tier: EnvironmentSchedule, approve_after_days: int) -> None:
        super().__init__(scope, id)
        patch_group = f"{tier.name}-fleet"
        PatchBaseline(
            self, "LinuxBaseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
            approval_rules=[ApprovalRule(filters=LINUX_SECURITY, approve_after_days=approve_after_days,
                                         compliance_level=ComplianceLevel.HIGH)],
            patch_groups=[patch_group], description=f"Amazon Linux 2023 security updates for {tier.name}",
        )
        role = MaintenanceWindowRole(self, "PatchingRole")
        window = PatchingWindow.for_environment(self, "Window", environment=tier, time_zone=LOCAL_TIME, role=role)
        servers = PatchGroupTarget(self, "Servers", window=window, patch_group=patch_group)
        RunPatchBaselineTask(
            self, "Install", window=window, targets=[servers], operation=PatchOperation.INSTALL,
            reboot_option=RebootOption.REBOOT_IF_NEEDED, max_concurrency="25%", max_errors="1",
            timeout=Duration.minutes(30),
        )
        PatchingAlerts(self, "Alerts")


class OrganizationStack(Stack):
    """The delegated administrator's stack: one StackSet per tier."""

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        for tier, unit, days in TIERS:
            name = "".join(part.title() for part in tier.name.split("-"))
            template = TierTemplate(self, f"{name}Template", tier=tier, approve_after_days=days)
            PatchingStackSet(
                self, f"{name}Patching", template=template, organizational_units=[unit], regions=REGIONS,
                max_concurrent="25%", failure_tolerance="10%",
                description=f"{tier.name} patching windows, {tier.summary} local time, in {', '.join(REGIONS)}",
            )


def build(app: App) -> None:
    """Add the organization stack to ``app``."""
    OrganizationStack(app, "OrganizationPatching", env=ADMINISTRATOR)


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
