"""AWS CLI examples of create-maintenance-window: a rate(5 minutes) window open up to 2 hours,
and a one-time at(...) window, both with tags and unassociated targets allowed."""

from aws_cdk import Duration

from mw_constructs import PatchingWindow, WindowSchedule

SOURCE = ("create-maintenance-window.rst", "cli")


def build(stack):
    return {
        "cli1": PatchingWindow(stack, "Tutorial", window_name="My-Tutorial-Maintenance-Window",
                               schedule=WindowSchedule.expression("rate(5 minutes)"),
                               duration=Duration.hours(2), cutoff=Duration.hours(1),
                               allow_unassociated_targets=True, tags={"Purpose": "Tutorial"}),
        "cli2": PatchingWindow(stack, "OneTime", window_name="My-One-Time-Maintenance-Window",
                               schedule=WindowSchedule.expression("at(2020-05-14T15:55:00)"),
                               duration=Duration.hours(5), cutoff=Duration.hours(2),
                               allow_unassociated_targets=True, tags={"Environment": "Production"}),
    }
