"""``datetime.timedelta`` where the library takes a span (issue 25, point 2): read in Python, so a
window built with timedeltas asks jsii's Node process nothing about its hours, and gives the same
template as with ``aws_cdk.Duration``; the same rules and error codes apply."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from aws_cdk import Duration

from benchmarks.synth import jsii_calls
from mw_constructs import (
    EnvironmentSchedule,
    PatchingWindow,
    RunCommandTask,
    WindowSchedule,
)
from tests.support.apps import raises_code, template_of

SCHEDULE = WindowSchedule.expression("cron(0 2 ? * SUN *)")


def resources(stack):
    return template_of(stack).to_json()["Resources"]


def test_a_window_of_timedeltas_is_the_window_of_durations(stack):
    from aws_cdk import App, Stack

    from tests.support.apps import STRICT_CONTEXT

    PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=timedelta(hours=3), cutoff=timedelta(hours=1))
    other = Stack(App(context=dict(STRICT_CONTEXT)), "Test")
    PatchingWindow(other, "Window", schedule=SCHEDULE, duration=Duration.hours(3), cutoff=Duration.hours(1))
    assert resources(stack) == resources(other)


def _duration_calls(build) -> Counter:
    """The jsii calls on ``aws_cdk.Duration`` that ``build()`` makes, as ``"invoke toHours"`` or
    ``"sinvoke hours"`` (counted by the synthesis benchmark's counter)."""
    calls = jsii_calls(lambda _: build(), 0)
    return Counter({f"{call.split()[0]} {call.rsplit('.', 1)[1]}": count for call, count in calls.items()
                    if call.split()[1].startswith("aws-cdk-lib.Duration.")})


def test_timedeltas_cost_no_round_trip_to_jsii(stack):
    assert _duration_calls(lambda: PatchingWindow(stack, "Fast", schedule=SCHEDULE, duration=timedelta(hours=3),
                                                  cutoff=timedelta(hours=1))) == Counter()
    slow = _duration_calls(lambda: PatchingWindow(stack, "Slow", schedule=SCHEDULE, duration=Duration.hours(3),
                                                  cutoff=Duration.hours(1)))
    assert slow["invoke toHours"] == 2, "the counter sees Duration reads (so the zero above means something)"
    assert _duration_calls(lambda: PatchingWindow.for_environment(
        stack, "Preset", environment=EnvironmentSchedule.PRODUCTION, time_zone="Europe/Amsterdam")) == Counter()


def test_a_duration_object_given_to_many_windows_is_read_once(stack):
    three, one = Duration.hours(3), Duration.hours(1)

    def build():
        for number in range(5):
            PatchingWindow(stack, f"W{number}", schedule=SCHEDULE, duration=three, cutoff=one)

    assert _duration_calls(build)["invoke toHours"] == 2  # once per object, not once per window
    assert len(template_of(stack).find_resources("AWS::SSM::MaintenanceWindow", {"Properties": {"Duration": 3, "Cutoff": 1}})) == 5


def test_a_duration_that_is_not_whole_hours_is_refused_each_time_it_is_given(stack):
    half = Duration.minutes(90)
    for id in ("A", "B"):  # nothing of a failed read is kept
        with raises_code("NotWholeHours"):
            PatchingWindow(stack, id, schedule=SCHEDULE, duration=half, cutoff=Duration.hours(0))


@pytest.mark.parametrize("duration, cutoff, code", [
    (timedelta(hours=2, minutes=30), timedelta(hours=1), "NotWholeHours"),
    (timedelta(hours=3), timedelta(minutes=30), "NotWholeHours"),
    (timedelta(hours=25), timedelta(hours=1), "DurationRange"),
    (timedelta(0), timedelta(0), "DurationRange"),
    (timedelta(hours=-3), timedelta(hours=1), "DurationRange"),
    (timedelta(hours=3), timedelta(hours=24), "CutoffRange"),
    (timedelta(hours=3), timedelta(hours=3), "CutoffNotBelowDuration"),
])
def test_fails_when_a_timedelta_breaks_the_window_rules(stack, duration, cutoff, code):
    with raises_code(code):
        PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=duration, cutoff=cutoff)
    assert stack.node.try_find_child("Window") is None


def test_a_task_timeout_may_be_a_timedelta(stack):
    window = PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=timedelta(hours=3), cutoff=timedelta(hours=1))
    web = window.add_patch_group_target("Web", patch_group="web")
    RunCommandTask(stack, "Update", window=window, targets=[web], document="AWS-RunShellScript",
                   parameters={"commands": ["yum -y update"]}, max_concurrency="1", max_errors="1",
                   timeout=timedelta(minutes=30))
    (task,) = [r for r in resources(stack).values() if r["Type"] == "AWS::SSM::MaintenanceWindowTask"]
    params = task["Properties"]["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]
    assert params["TimeoutSeconds"] == 1800
    with raises_code("InvalidTimeout"):
        RunCommandTask(stack, "Bad", window=window, targets=[web], document="AWS-RunShellScript",
                       parameters={"commands": ["true"]}, max_concurrency="1", max_errors="1",
                       timeout=timedelta(seconds=10.5))


def test_a_custom_preset_takes_timedeltas():
    tier = EnvironmentSchedule.custom("batch", expression="cron(0 1 ? * SAT *)", duration=timedelta(hours=4))
    assert (tier.duration_hours, tier.cutoff_hours) == (4, 1)
