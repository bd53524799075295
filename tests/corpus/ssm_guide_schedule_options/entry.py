"""The SSM User Guide's scheduling examples: a start date with a time zone, a weekly rate between
two dates in Tokyo, a one-time window, and a schedule offset from the third Tuesday."""

from datetime import datetime

from aws_cdk import Duration

from mw_constructs import PatchingWindow, WindowSchedule


SOURCE = ("commands.txt", "cli")


def _at(text):
    return datetime.fromisoformat(text)


def build(stack):
    return {
        "cli1": PatchingWindow(stack, "Lax", window_name="My-LAX-Maintenance-Window", allow_unassociated_targets=True,
                               duration=Duration.hours(3), cutoff=Duration.hours(1),
                               schedule=WindowSchedule.expression("cron(0 09 ? * WED *)", time_zone="America/Los_Angeles",
                                                                  start_date=_at("2021-01-01T00:00:00-08:00"))),
        "cli2": PatchingWindow(stack, "Nrt", window_name="My-NRT-Maintenance-Window", allow_unassociated_targets=True,
                               duration=Duration.hours(3), cutoff=Duration.hours(1),
                               schedule=WindowSchedule.expression("rate(7 days)", time_zone="Asia/Tokyo",
                                                                  start_date=_at("2019-01-01T00:03:15+09:00"),
                                                                  end_date=_at("2019-06-30T00:06:15+09:00"))),
        "cli3": PatchingWindow(stack, "OneTime", window_name="My-One-Time-Maintenance-Window", allow_unassociated_targets=True,
                               duration=Duration.hours(5), cutoff=Duration.hours(2),
                               schedule=WindowSchedule.expression("at(2020-07-07T15:55:00)")),
        "cli4": PatchingWindow(stack, "Offset", window_name="My-Cron-Offset-Maintenance-Window", allow_unassociated_targets=True,
                               duration=Duration.hours(4), cutoff=Duration.hours(1),
                               schedule=WindowSchedule.expression("cron(0 30 23 ? * TUE#3 *)", schedule_offset=2)),
    }
