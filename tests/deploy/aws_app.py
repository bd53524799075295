"""The real-account integration app (tests/deploy/test_aws_account.py): windows whose schedules SSM
must agree with the library on, and a task whose role carries the confused-deputy trust
conditions, in the account and Region of the caller's credentials.

    cdk deploy MwConstructsIntegration --app "python3 tests/deploy/aws_app.py"
"""

from __future__ import annotations

import os

from aws_cdk import App, Duration, Environment, Stack

from mw_constructs import (
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RegionalTimeZones,
    RunPatchBaselineTask,
    WindowSchedule,
)

STACK = "MwConstructsIntegration"


def build(app: App) -> Stack:
    region = os.environ.get("CDK_DEFAULT_REGION")
    stack = Stack(app, STACK, env=Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region))
    schedules = {
        "Weekly": WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"),
        "AfterPatchTuesday": WindowSchedule.expression("cron(0 23 ? * TUE#2 *)", time_zone="America/New_York",
                                                       schedule_offset=2),
        "LastFriday": WindowSchedule.expression("cron(30 21 ? * 6L *)", time_zone="Australia/Sydney"),
        "EveryTwoDays": WindowSchedule.expression("cron(15 3 */2 * ? *)", time_zone="UTC"),
    }
    if region:  # follow-the-sun: the local time of this Region, from the region-keyed mapping
        schedules["LocalTime"] = WindowSchedule.expression("cron(0 4 ? * SAT *)",
                                                           time_zone=RegionalTimeZones.local([region]))
    role = MaintenanceWindowRole(stack, "ConfusedDeputyRole", confused_deputy_conditions=True)
    for id, schedule in schedules.items():
        window = PatchingWindow(stack, id, schedule=schedule, duration=Duration.hours(2), cutoff=Duration.hours(1),
                                window_name=f"mw-constructs-integration-{id.lower()}", role=role)
        target = PatchGroupTarget(stack, f"{id}Servers", window=window, patch_group="mw-constructs-integration")
        RunPatchBaselineTask(stack, f"{id}Scan", window=window, targets=[target], operation=PatchOperation.SCAN,
                             max_concurrency="1", max_errors="1")
    return stack


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
