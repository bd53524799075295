"""Schedule warnings: CDK annotations with stable ids, and the pure analysis behind them."""

from __future__ import annotations

from datetime import datetime, timezone

from aws_cdk import Annotations as CdkAnnotations
from aws_cdk import Duration
from aws_cdk.assertions import Annotations, Match

from mw_constructs import (EnvironmentSchedule, PatchGroupTarget, PatchingWindow, PatchOperation,
                           RunPatchBaselineTask, WindowSchedule)
from mw_constructs._analysis import WindowFacts, analyse

AFTER = datetime(2025, 1, 1, tzinfo=timezone.utc)


def window(stack, id, expression, hours=3, cutoff=1, **kwargs):
    return PatchingWindow(stack, id, schedule=WindowSchedule.expression(expression, time_zone=kwargs.pop("zone", None)),
                          duration=Duration.hours(hours), cutoff=Duration.hours(cutoff), **kwargs)


def warnings_of(stack):
    return [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.any_value())]


def test_hour_range_that_opens_a_window_every_hour_is_flagged_with_the_fix(stack):
    window(stack, "W", "cron(0 0-5 ? * THU#1 *)", hours=6)
    [message] = warnings_of(stack)
    assert "mw-constructs:OverlappingStarts" in message
    assert "6 times a day, 60 minutes apart" in message
    assert "use hour 0 with a duration of 5 hours" in message


def test_one_start_a_day_is_not_flagged(stack):
    window(stack, "W", "cron(0 23 ? * THU#1 *)", hours=6)
    assert warnings_of(stack) == []


def test_rate_shorter_than_the_window_is_flagged(stack):
    window(stack, "W", "rate(1 hour)", hours=3)
    assert "OverlappingStarts" in warnings_of(stack)[0]


def test_task_timeout_longer_than_the_cutoff_is_flagged(stack):
    w = window(stack, "W", "cron(0 2 ? * SUN *)", hours=4, cutoff=1)
    target = PatchGroupTarget(stack, "T", window=w, patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL,
                         max_concurrency="10%", max_errors="1", timeout=Duration.hours(2))
    [message] = warnings_of(stack)
    assert "mw-constructs:TimeoutExceedsCutoff" in message and "Install" in message and "at least 2 hours" in message


def test_production_before_non_production_in_the_cycle_is_flagged(stack):
    # NOAA-OWP/hydrovis#615: Dev/Test on the first Sunday, Prod on the first Tuesday.
    PatchingWindow.for_environment(stack, "Test", environment=EnvironmentSchedule.custom(
        "test", expression="cron(0 2 ? * SUN#1 *)", duration=Duration.hours(3), production=False), time_zone="UTC")
    PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.custom(
        "prod", expression="cron(0 2 ? * TUE#1 *)", duration=Duration.hours(3), production=True), time_zone="UTC")
    [message] = warnings_of(stack)
    assert "mw-constructs:ProductionBeforeNonProduction" in message and "calendar month" in message


def test_presets_patch_non_production_first(stack):
    PatchingWindow.for_environment(stack, "Test", environment=EnvironmentSchedule.TEST, time_zone="Europe/Amsterdam")
    PatchingWindow.for_environment(stack, "Acc", environment=EnvironmentSchedule.ACCEPTANCE, time_zone="Europe/Amsterdam")
    PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone="Europe/Amsterdam")
    assert warnings_of(stack) == []


def test_windows_of_one_patch_group_open_at_once_are_flagged(stack):
    first = window(stack, "A", "cron(0 2 ? * SUN *)", hours=4)
    second = window(stack, "B", "cron(0 4 ? * SUN *)", hours=2)
    PatchGroupTarget(stack, "TA", window=first, patch_group="web")
    PatchGroupTarget(stack, "TB", window=second, patch_group=["db", "web"])
    [message] = warnings_of(stack)
    assert "mw-constructs:PatchGroupWindowsOverlap" in message and "patch group(s) web" in message


def test_overlapping_windows_of_different_patch_groups_are_fine(stack):
    PatchGroupTarget(stack, "TA", window=window(stack, "A", "cron(0 2 ? * SUN *)", hours=4), patch_group="web")
    PatchGroupTarget(stack, "TB", window=window(stack, "B", "cron(0 4 ? * SUN *)", hours=2), patch_group="db")
    assert warnings_of(stack) == []


def test_a_warning_can_be_acknowledged_by_its_id(stack):
    w = window(stack, "W", "cron(0 0-5 ? * THU#1 *)", hours=6)
    CdkAnnotations.of(w).acknowledge_warning("mw-constructs:OverlappingStarts", "hourly restarts are intended")
    assert warnings_of(stack) == []


def test_warnings_are_reported_once_per_synthesis_even_when_synthesized_again(stack):
    window(stack, "W", "cron(0 0-5 ? * THU#1 *)", hours=6)
    assert len(warnings_of(stack)) == 1
    assert len(warnings_of(stack)) == 1


# ------------------------------------------------------------------ the pure analysis


def facts(expression, hours=3, cutoff=1, **kwargs):
    return WindowFacts(name=kwargs.pop("name", expression), schedule=WindowSchedule.expression(expression),
                       duration_hours=hours, cutoff_hours=cutoff, **kwargs)


def test_analysis_names_the_first_production_run_before_non_production():
    findings = analyse([facts("cron(0 2 ? * SUN#1 *)", tier="non-production"),
                        facts("cron(0 2 ? * TUE#1 *)", tier="production", name="prod")], after=AFTER)
    [finding] = findings
    assert finding.id == "mw-constructs:ProductionBeforeNonProduction" and finding.window.name == "prod"
    assert "Tue 2025-04-01 02:00 UTC" in finding.message  # April 2025 starts on a Tuesday


def test_analysis_finds_the_first_overlap():
    findings = analyse([facts("cron(0 2 ? * SUN *)", hours=4, patch_groups=frozenset({"web"})),
                        facts("cron(0 5 ? * SUN *)", hours=2, patch_groups=frozenset({"web"}))], after=AFTER)
    assert [f.id for f in findings] == ["mw-constructs:PatchGroupWindowsOverlap"]
    assert "Sun 2025-01-05 05:00 UTC" in findings[0].message


def test_analysis_of_back_to_back_windows_finds_no_overlap():
    assert analyse([facts("cron(0 2 ? * SUN *)", hours=3, patch_groups=frozenset({"web"})),
                    facts("cron(0 5 ? * SUN *)", hours=2, patch_groups=frozenset({"web"}))], after=AFTER) == []


def test_analysis_ignores_the_cycle_it_starts_in():
    # `after` is a Saturday: this week's weekday runs are already past and not known.
    saturday = datetime(2025, 1, 4, 5, tzinfo=timezone.utc)
    assert analyse([facts("cron(0 22 ? * MON-FRI *)", tier="non-production"),
                    facts("cron(0 6 ? * SAT,SUN *)", tier="production")], after=saturday) == []
