"""PatchingWindow: template shape and construction-time rules."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from aws_cdk import Duration, Fn, Stack
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Match

from mw_constructs import MaintenanceWindowRole, PatchingWindow, WindowSchedule
from tests.support.apps import only_properties, raises_code, template_of

SUNDAY_2AM = WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam")


def window(stack, **overrides):
    props = dict(schedule=SUNDAY_2AM, duration=Duration.hours(3), cutoff=Duration.hours(1))
    props.update(overrides)
    return PatchingWindow(stack, "Window", **props)


def test_window_renders_every_schedule_property(stack):
    window(
        stack,
        schedule=WindowSchedule.expression(
            "cron(30 23 ? * TUE#3 *)",
            time_zone="Europe/Amsterdam",
            schedule_offset=2,
            start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
            end_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ),
        window_name="patch-tuesday-plus-2",
        description="Two days after Patch Tuesday",
        tags={"team": "platform"},
    )
    assert only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow") == {
        "Name": "patch-tuesday-plus-2",
        "Description": "Two days after Patch Tuesday",
        "Schedule": "cron(30 23 ? * TUE#3 *)",
        "ScheduleTimezone": "Europe/Amsterdam",
        "ScheduleOffset": 2,
        "StartDate": "2025-01-01T00:00:00+00:00",
        "EndDate": "2026-01-01T00:00:00+00:00",
        "Duration": 3,
        "Cutoff": 1,
        "AllowUnassociatedTargets": False,
        "Tags": [{"Key": "team", "Value": "platform"}],
    }


def test_window_without_name_gets_a_valid_generated_name(stack):
    window(stack)
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow")
    assert props["Name"].startswith("Test-Window-")
    assert "ScheduleOffset" not in props and "StartDate" not in props


def test_window_exposes_id_l1_and_values(stack):
    w = window(stack)
    assert isinstance(w.node.default_child, ssm.CfnMaintenanceWindow)
    assert stack.resolve(w.window_id) == {"Ref": stack.get_logical_id(w.node.default_child)}
    assert (w.duration_hours, w.cutoff_hours, w.schedule) == (3, 1, SUNDAY_2AM)


def test_window_creates_no_role_until_one_is_needed(stack):
    w = window(stack)
    template_of(stack).resource_count_is("AWS::IAM::Role", 0)
    assert w.role is w.role


def test_window_uses_the_role_it_is_given(stack):
    role = MaintenanceWindowRole(stack, "Shared")
    assert window(stack, role=role).role is role


@pytest.mark.parametrize("hours,cutoff", [(1, 0), (24, 23), (2, 1)])
def test_duration_and_cutoff_limits_are_inclusive(stack, hours, cutoff):
    window(stack, duration=Duration.hours(hours), cutoff=Duration.hours(cutoff))
    template_of(stack).has_resource_properties("AWS::SSM::MaintenanceWindow", {"Duration": hours, "Cutoff": cutoff})


def test_duration_in_minutes_that_are_whole_hours_is_accepted(stack):
    window(stack, duration=Duration.minutes(180))
    template_of(stack).has_resource_properties("AWS::SSM::MaintenanceWindow", {"Duration": 3})


def test_fails_when_cutoff_is_not_below_duration(stack):
    with raises_code("CutoffNotBelowDuration") as info:
        window(stack, duration=Duration.hours(2), cutoff=Duration.hours(3))
    assert "cutoff must be less than duration: got cutoff=3 hours, duration=2 hours" in str(info.value)


def test_fails_when_cutoff_equals_duration(stack):
    with raises_code("CutoffNotBelowDuration"):
        window(stack, duration=Duration.hours(2), cutoff=Duration.hours(2))


@pytest.mark.parametrize("hours", [0, 25])
def test_fails_when_duration_is_outside_1_to_24_hours(stack, hours):
    with raises_code("DurationRange") as info:
        window(stack, duration=Duration.hours(hours), cutoff=Duration.hours(0))
    assert "duration must be from 1 to 24 hours" in str(info.value)


def test_fails_when_cutoff_is_above_23_hours(stack):
    with raises_code("CutoffRange"):
        window(stack, duration=Duration.hours(24), cutoff=Duration.hours(24))


def test_fails_when_duration_is_not_whole_hours(stack):
    with raises_code("NotWholeHours") as info:
        window(stack, duration=Duration.minutes(90))
    assert "got 1 hour 30 minutes" in str(info.value)


@pytest.mark.parametrize("value", [3, "3", None])
def test_fails_when_duration_is_not_a_cdk_duration(stack, value):
    with raises_code("InvalidType") as info:
        window(stack, duration=value)
    assert "Duration.hours(3)" in str(info.value)


def test_fails_when_schedule_is_a_string(stack):
    with raises_code("InvalidType"):
        window(stack, schedule="cron(0 2 ? * SUN *)")


@pytest.mark.parametrize("name", ["ab", "has space", "x" * 129, "ünicode"])
def test_fails_when_name_breaks_the_pattern(stack, name):
    with raises_code("InvalidName"):
        window(stack, window_name=name)


@pytest.mark.parametrize("description", ["", "x" * 129])
def test_fails_when_description_length_is_wrong(stack, description):
    with raises_code("InvalidDescription"):
        window(stack, description=description)


@pytest.mark.parametrize(
    "tags", [{"aws:owner": "x"}, {"": "x"}, {"k": "x" * 257}, {"bad#key": "x"}, {"k": 1}, ["k", "v"]]
)
def test_fails_when_tags_are_invalid(stack, tags):
    with pytest.raises(ValueError) as info:
        window(stack, tags=tags)
    assert info.value.code in ("InvalidTag", "InvalidType")


def test_fails_when_allow_unassociated_targets_is_not_bool(stack):
    with raises_code("InvalidType"):
        window(stack, allow_unassociated_targets="yes")


def test_tokens_pass_through(stack):
    name = Fn.import_value("WindowName")
    window(stack, window_name=name, description=Fn.import_value("WindowDescription"))
    template_of(stack).has_resource_properties(
        "AWS::SSM::MaintenanceWindow", {"Name": {"Fn::ImportValue": "WindowName"}}
    )


def test_from_window_id_passes_the_id_through(stack):
    imported = PatchingWindow.from_window_id(stack, "Existing", "mw-0123456789abcdef0")
    assert imported.window_id == "mw-0123456789abcdef0"
    assert imported.allow_unassociated_targets is False


@pytest.mark.parametrize("window_id", ["mw-123", "MW-0123456789abcdef0", "mw-0123456789ABCDEF0", 5])
def test_fails_when_imported_window_id_is_malformed(stack, window_id):
    with raises_code("InvalidWindowId"):
        PatchingWindow.from_window_id(stack, "Existing", window_id)


def test_window_passes_cfn_lint(stack):
    from tests.support.apps import cfn_lint_findings

    window(stack, schedule=WindowSchedule.rate(Duration.days(7)), tags={"a": "b"})
    assert cfn_lint_findings(template_of(stack).to_json()) == []


def test_window_in_a_new_stack_has_matching_logical_id():
    from tests.support.apps import new_app

    stack = Stack(new_app(), "Other")
    w = window(stack)
    template_of(stack).has_resource("AWS::SSM::MaintenanceWindow", Match.any_value())
    assert stack.get_logical_id(w.node.default_child).startswith("Window")
