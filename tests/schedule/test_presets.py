"""EnvironmentSchedule presets and PatchingWindow.for_environment / preview."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from aws_cdk import Duration
from syrupy.extensions.json import JSONSnapshotExtension

from mw_constructs import EnvironmentSchedule, PatchingWindow, WindowSchedule
from tests.support.apps import only_properties, raises_code, template_of

AMS = ZoneInfo("Europe/Amsterdam")
PRESETS = ["SANDBOX", "DEVELOPMENT", "TEST", "ACCEPTANCE", "PRODUCTION",
           "MANAGEMENT_SERVERS", "WEB_SERVERS", "APPLICATION_SERVERS", "DATABASE_SERVERS"]


@pytest.mark.parametrize("name", PRESETS)
def test_preset_matches_snapshot(name, snapshot):
    preset = getattr(EnvironmentSchedule, name)
    runs = preset.schedule("Europe/Amsterdam").next_runs(4, after=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert {
        "expression": preset.expression, "duration_hours": preset.duration_hours, "cutoff_hours": preset.cutoff_hours,
        "tier": preset.tier, "summary": preset.summary, "first_runs": [run.isoformat() for run in runs],
    } == snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("name", ["SANDBOX", "DEVELOPMENT", "TEST"])
def test_non_production_presets_open_weekday_nights_for_five_hours(name):
    preset = getattr(EnvironmentSchedule, name)
    runs = preset.schedule("Europe/Amsterdam").next_runs(5, after=datetime(2025, 1, 5, 12, tzinfo=AMS))
    assert [run.strftime("%a %H:%M") for run in runs] == ["Mon 22:00", "Tue 22:00", "Wed 22:00", "Thu 22:00", "Fri 22:00"]
    assert (preset.duration_hours, preset.cutoff_hours, preset.is_production) == (5, 1, False)


@pytest.mark.parametrize("name", ["ACCEPTANCE", "PRODUCTION"])
def test_weekend_presets_open_saturday_and_sunday_0600(name):
    preset = getattr(EnvironmentSchedule, name)
    runs = preset.schedule("Europe/Amsterdam").next_runs(2, after=datetime(2025, 1, 6, tzinfo=AMS))
    assert [run.strftime("%a %H:%M") for run in runs] == ["Sat 06:00", "Sun 06:00"]
    assert (preset.duration_hours, preset.cutoff_hours) == (5, 1)


def test_only_production_is_the_production_tier():
    assert EnvironmentSchedule.PRODUCTION.is_production
    assert not EnvironmentSchedule.ACCEPTANCE.is_production


@pytest.mark.parametrize(
    "name,weekday,nth", [("MANAGEMENT_SERVERS", "Tue", 1), ("WEB_SERVERS", "Thu", 1),
                         ("APPLICATION_SERVERS", "Thu", 2), ("DATABASE_SERVERS", "Thu", 3)]
)
def test_server_role_presets_open_once_a_month_at_2300_for_six_hours(name, weekday, nth):
    preset = getattr(EnvironmentSchedule, name)
    runs = preset.schedule("UTC").next_runs(12, after=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert len({(run.year, run.month) for run in runs}) == 12
    assert all(run.strftime("%a %H:%M") == f"{weekday} 23:00" and (run.day - 1) // 7 + 1 == nth for run in runs)
    assert preset.duration_hours == 6 and "23-" not in preset.expression


def test_production_window_for_environment_opens_weekends_0600_amsterdam(stack):
    window = PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION,
                                            time_zone="Europe/Amsterdam")
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow")
    assert (props["Schedule"], props["ScheduleTimezone"], props["Duration"], props["Cutoff"]) == (
        "cron(0 6 ? * SAT,SUN *)", "Europe/Amsterdam", 5, 1)
    assert window.tier == "production"
    runs = window.preview(2, after=datetime(2025, 3, 24, tzinfo=timezone.utc))
    assert [(r.opens.strftime("%a %H:%M %Z"), r.closes.strftime("%H:%M")) for r in runs] == [
        ("Sat 06:00 CET", "11:00"), ("Sun 06:00 CEST", "11:00")]  # across the switch to summer time


def test_for_environment_records_the_tier_in_the_template(stack):
    PatchingWindow.for_environment(stack, "Test", environment=EnvironmentSchedule.TEST, time_zone="UTC")
    resource = next(iter(template_of(stack).find_resources("AWS::SSM::MaintenanceWindow").values()))
    assert resource["Metadata"]["mw-constructs:tier"] == "non-production"


def test_explicit_arguments_beat_the_preset(stack):
    schedule = WindowSchedule.expression("cron(0 4 ? * SUN *)", time_zone="UTC")
    PatchingWindow.for_environment(
        stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone="Europe/Amsterdam",
        schedule=schedule, duration=Duration.hours(3), cutoff=Duration.hours(2), window_name="prod-override",
        description="Overridden",
    )
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow")
    assert (props["Schedule"], props["ScheduleTimezone"], props["Duration"], props["Cutoff"]) == ("cron(0 4 ? * SUN *)", "UTC", 3, 2)
    assert (props["Name"], props["Description"]) == ("prod-override", "Overridden")


def test_preset_beats_library_default(stack):
    PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone=None)
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow")
    assert props["Description"] == "production patching, weekends 06:00-11:00 (UTC)"
    assert "ScheduleTimezone" not in props


def test_presets_are_not_changed_by_use(stack):
    PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone="Asia/Tokyo",
                                   duration=Duration.hours(2))
    assert EnvironmentSchedule.PRODUCTION.duration_hours == 5
    with pytest.raises(FrozenInstanceError):
        EnvironmentSchedule.PRODUCTION.duration_hours = 1


def test_fails_when_environment_is_not_a_preset(stack):
    with raises_code("InvalidType"):
        PatchingWindow.for_environment(stack, "Prod", environment="production", time_zone="UTC")


def test_fails_when_preset_time_zone_is_unknown(stack):
    with raises_code("UnknownTimeZone"):
        PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone="Amsterdam")


def test_custom_tier():
    tier = EnvironmentSchedule.custom("staging", expression="cron(0 20 ? * WED *)", duration=Duration.hours(4),
                                      production=False, summary="Wednesday 20:00-00:00")
    assert (tier.duration_hours, tier.cutoff_hours, tier.tier) == (4, 1, "non-production")
    assert tier.duration.to_hours() == 4 and tier.cutoff.to_hours() == 1


@pytest.mark.parametrize(
    "kwargs,code",
    [({"expression": "cron(0 20 * * WED *)", "duration": Duration.hours(4)}, "CronDaysConflict"),
     ({"expression": "cron(0 20 ? * WED *)", "duration": Duration.hours(2), "cutoff": Duration.hours(2)}, "CutoffNotBelowDuration"),
     ({"expression": "cron(0 20 ? * WED *)", "duration": 4}, "InvalidType"),
     ({"expression": "cron(0 20 ? * WED *)", "duration": Duration.minutes(90)}, "NotWholeHours"),
     ({"expression": "cron(0 20 ? * WED *)", "duration": Duration.hours(25)}, "DurationRange"),
     ({"expression": "cron(0 20 ? * WED *)", "duration": Duration.hours(4), "production": "yes"}, "InvalidType")],
)
def test_fails_when_custom_tier_is_invalid(kwargs, code):
    with raises_code(code):
        EnvironmentSchedule.custom("staging", **kwargs)


def test_preview_marks_starts_inside_an_open_window_as_skipped(stack):
    window = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 0-5 ? * THU#1 *)"),
                            duration=Duration.hours(6), cutoff=Duration.hours(1))
    runs = window.preview(7, after=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert [run.skipped for run in runs] == [False] + [True] * 5 + [False]
