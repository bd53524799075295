"""The CloudFormation User Guide's maintenance window: Sundays 04:00 US Eastern, 2 hours."""

from aws_cdk import Duration

from mw_constructs import PatchingWindow, WindowSchedule

SOURCE = ("examples.json", "cloudformation")


def build(stack):
    return {"Example1MaintenanceWindow": PatchingWindow(
        stack, "UpdateSsmAgent", window_name="UpdateSSMAgentMaintenanceWindow", description="Maintenance Window to update SSM Agent",
        schedule=WindowSchedule.expression("cron(0 4 ? * SUN *)", time_zone="US/Eastern"),
        duration=Duration.hours(2), cutoff=Duration.hours(1), allow_unassociated_targets=False)}
