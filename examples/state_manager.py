"""State Manager example: patching without a maintenance window, in one account and Region.

``PatchingStateManager`` holds:

* two patch associations for the ``fleet`` patch group, AWS's own pattern: a daily scan at
  01:00 UTC (it also runs when deployed and when an instance joins the group, so new instances
  report compliance at once), and a Sunday 03:00 UTC install only on its schedule
  (``apply_only_at_cron_interval``), a tenth of the nodes at a time, rebooting if needed;
* a general association that keeps the SSM Agent current on every managed node, every 14 days;
* a Quick Setup patch policy for the nodes tagged ``PatchPolicy=enabled`` (a different set of
  nodes, so the two models do not scan the same instances): Amazon Linux 2023 with a custom
  baseline, Windows with AWS's default one, scan daily and install on Saturdays, with the two
  roles its StackSet deploys with.

Synthesize with the pinned CDK CLI:
    node_modules/.bin/cdk synth --app "python3 examples/state_manager.py"
then ``mw-constructs preview "cron(0 3 ? * SUN *)" --association`` shows when the install runs.
"""

from __future__ import annotations

from aws_cdk import App, Duration, Stack
from constructs import Construct

from mw_constructs import (
    ApprovalRule,
    Association,
    AssociationComplianceSeverity,
    AssociationSchedule,
    AssociationTarget,
    AwsManagedBaseline,
    MaxConcurrency,
    MaxErrors,
    OperatingSystem,
    PatchAssociation,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchOperation,
    PatchPolicy,
    PatchPolicyOperation,
    PatchPolicyTargets,
    RebootOption,
)


class StateManagerStack(Stack):
    """Patch associations, a general association and a patch policy (module docstring)."""

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        fleet = [AssociationTarget.patch_group("fleet")]
        PatchAssociation(self, "FleetScan", operation=PatchOperation.SCAN, targets=fleet,
                         schedule=AssociationSchedule.daily(hour=1), association_name="fleet-scan",
                         compliance_severity=AssociationComplianceSeverity.HIGH)
        PatchAssociation(self, "FleetInstall", operation=PatchOperation.INSTALL, targets=fleet,
                         reboot_option=RebootOption.REBOOT_IF_NEEDED,
                         schedule=AssociationSchedule.weekly("SUN", hour=3), apply_only_at_cron_interval=True,
                         association_name="fleet-install", max_concurrency=MaxConcurrency.percent(10),
                         max_errors=MaxErrors.count(2), compliance_severity=AssociationComplianceSeverity.CRITICAL)
        Association(self, "UpdateAgent", document="AWS-UpdateSSMAgent", targets=[AssociationTarget.all_managed_nodes()],
                    schedule=AssociationSchedule.rate(Duration.days(14)), association_name="update-ssm-agent",
                    max_concurrency=MaxConcurrency.percent(20), max_errors=MaxErrors.percent(10))
        linux = PatchBaseline(self, "Linux", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                              baseline_name="policy-amazon-linux-2023", description="Security and bug fixes after 7 days",
                              approval_rules=[ApprovalRule(filters=[PatchFilter(PatchFilterKey.CLASSIFICATION,
                                                                                ["Security", "Bugfix"])],
                                                           approve_after_days=7)])
        windows = AwsManagedBaseline(self, "Windows", operating_system=OperatingSystem.WINDOWS)
        PatchPolicy(self, "Policy", policy_name="tagged-fleet",
                    baselines={OperatingSystem.AMAZON_LINUX_2023: linux, OperatingSystem.WINDOWS: windows},
                    regions=["eu-west-1"], targets=PatchPolicyTargets.tag("PatchPolicy", "enabled"),
                    operation=PatchPolicyOperation.SCAN_AND_INSTALL,
                    scan_schedule=AssociationSchedule.daily(hour=2),
                    install_schedule=AssociationSchedule.weekly("SAT", hour=4), install_at_next_interval=True,
                    reboot_option=RebootOption.REBOOT_IF_NEEDED, max_concurrency="10%", max_errors="5%",
                    name="tagged-fleet-patching")


def build(app: App) -> None:
    """Add the example stack to ``app``."""
    StateManagerStack(app, "PatchingStateManager")


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
