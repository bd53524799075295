"""Schedule warnings: CDK annotations with stable ids, and the pure analysis behind them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from aws_cdk import Annotations as CdkAnnotations
from aws_cdk import Duration
from aws_cdk.assertions import Annotations, Match

from mw_constructs import (
    EnvironmentSchedule,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
)
from mw_constructs.checks import WindowFacts, analyse

AFTER = datetime(2025, 1, 1, tzinfo=timezone.utc)


def window(stack, id, expression, hours=3, cutoff=1, **kwargs):
    return PatchingWindow(stack, id, schedule=WindowSchedule.expression(expression, time_zone=kwargs.pop("zone", None)),
                          duration=Duration.hours(hours), cutoff=Duration.hours(cutoff), **kwargs)


def warnings_of(stack):
    return [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.any_value())]


def test_hour_range_that_opens_a_window_every_hour_is_flagged_with_the_fix(stack):
    window(stack, "W", "cron(0 0-5 ? * THU#1 *)", hours=4)
    [message] = warnings_of(stack)
    assert "mw-constructs:OverlappingStarts" in message
    assert "6 times a day, as little as 1 hour apart" in message
    assert ("If you meant one window from 00:00 to 05:00, start it once at hour 0 (cron(0 0 ? * THU#1 *)) "
            "with a duration of 5 hours.") in message


def test_listed_night_hours_advise_the_night_window_they_describe(stack):
    """Issue 8: 23,0-5 with 6 hours is Tuesday night into Wednesday, never '00:00 to 23:00 for 23 hours'."""
    window(stack, "W", "cron(00 23,0,1,2,3,4,5 ? * TUE#1 *)", hours=6)
    [message] = warnings_of(stack)
    assert "from 23:00 to 05:00 the next morning, start it once at hour 23 (cron(00 23 ? * TUE#1 *))" in message
    assert "its duration of 6 hours already keeps it open until then" in message
    assert "23 hours" not in message and "00:00 to 23:00" not in message


def test_scattered_starts_get_no_made_up_window(stack):
    window(stack, "W", "cron(0 1,9,17 ? * SUN *)", hours=10, cutoff=1)
    [message] = warnings_of(stack)
    assert "If you meant" not in message
    assert "shorten the duration to at most 8 hours" in message


def test_minute_starts_at_the_one_hour_minimum_suggest_no_shorter_duration(stack):
    window(stack, "W", "cron(0/15 2 ? * SUN *)", hours=1, cutoff=0)
    [message] = warnings_of(stack)
    assert "a run may go on for up to 1 hour:" in message, "no '1 hours'"
    assert "may be skipped" in message and "never run" not in message
    assert "shorter duration" not in message and "shorten the duration" not in message
    assert "Use a single minute value." in message


def test_short_rate_at_the_one_hour_minimum_suggests_no_shorter_duration(stack):
    window(stack, "W", "rate(30 minutes)", hours=1, cutoff=0)
    [message] = warnings_of(stack)
    assert "opens the window every 30 minutes and a run may go on for up to 1 hour" in message
    assert "duration of at most" not in message and "use a rate of at least 1 hour." in message


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
    assert "mw-constructs:PatchGroupWindowsOverlap" in message and "patch group web" in message


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


def test_fixed_offset_time_zone_warns_and_names_the_region_zone(stack):
    """Issue 8: time_zone='EST' was accepted silently; it never follows daylight saving time."""
    window(stack, "W", "cron(0 2 ? * SUN *)", zone="EST")
    [message] = warnings_of(stack)
    assert "mw-constructs:FixedOffsetTimeZone" in message
    assert "'EST' is a fixed offset of UTC-05:00" in message and "America/New_York" in message


def test_region_zones_and_utc_and_hawaii_are_not_fixed_offset_warnings(stack):
    for index, zone in enumerate(("America/New_York", "Asia/Tokyo", "UTC", "HST")):
        window(stack, f"W{index}", "cron(0 2 ? * SUN *)", zone=zone)
    assert [m for m in warnings_of(stack) if "FixedOffsetTimeZone" in m] == []


def test_rate_window_without_start_date_is_left_out_of_cross_window_checks_deterministically(stack):
    """Issue 8: overlap warnings of a rate window moved with the moment of synthesis."""
    a = window(stack, "Rate", "rate(1 day)", hours=4)
    b = window(stack, "Cron", "cron(0 2 ? * SUN *)", hours=4)
    PatchGroupTarget(stack, "A", window=a, patch_group="web")
    PatchGroupTarget(stack, "B", window=b, patch_group="web")
    messages = warnings_of(stack)
    assert [m.split(" [ack")[0].split("\n")[0] for m in messages if "PatchGroupWindowsOverlap" in m] == []
    [rate] = [m for m in messages if "RateWithoutStartDate" in m]
    assert "rate(1 day) has no start_date" in rate and "patch group(s) web" in rate


def test_rate_window_with_start_date_is_checked_against_the_others(stack):
    # daily 01:00-05:00 UTC from tomorrow (inside the checks' one-year horizon) meets Sunday 02:00-06:00
    start = datetime.now(timezone.utc).replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
    a = PatchingWindow(stack, "Rate", schedule=WindowSchedule.expression("rate(1 day)", start_date=start),
                       duration=Duration.hours(4), cutoff=Duration.hours(1))
    b = window(stack, "Cron", "cron(0 2 ? * SUN *)", hours=4)
    PatchGroupTarget(stack, "A", window=a, patch_group="web")
    PatchGroupTarget(stack, "B", window=b, patch_group="web")
    messages = warnings_of(stack)
    assert any("PatchGroupWindowsOverlap" in m for m in messages)
    assert not any("RateWithoutStartDate" in m for m in messages)


def test_timeout_past_the_cutoff_of_a_one_hour_window_advises_a_longer_window():
    """Issue 8: on a 1-hour window 'raise cutoff to at least 2 hours' is impossible (cutoff < duration)."""
    facts = WindowFacts(name="w", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"), duration_hours=1,
                        cutoff_hours=0, task_timeouts=(("Install", 7200),))
    [finding] = analyse([facts], after=AFTER)
    assert "Raise cutoff" not in finding.message
    assert "lengthen the window to at least 3 hours with a cutoff of 2 hours" in finding.message


def test_timeout_of_one_hour_says_hour_not_hours():
    facts = WindowFacts(name="w", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"), duration_hours=3,
                        cutoff_hours=0, task_timeouts=(("Install", 1800 + 1800),))
    [finding] = analyse([facts], after=AFTER)
    assert "Raise cutoff to at least 1 hour," in finding.message and "1 hours" not in finding.message


# ------------------------------------------------------------------ issue 20: warnings that are true


def test_fails_when_overlapping_starts_claim_starts_never_run():
    """Issue 20: an execution ends when its tasks end; SSM skips a start only while one is still running."""
    [finding] = analyse([facts("rate(5 minutes)", hours=2, cutoff=0)], after=AFTER)
    assert finding.id == "mw-constructs:OverlappingStarts"
    assert "never run" not in finding.message and "skips every start" not in finding.message
    assert "only while the previous execution is still running" in finding.message


def test_fails_when_an_hourly_cron_is_advised_a_23_hour_window():
    """Issue 20: every hour of the day has no gap, so no single window is meant."""
    [finding] = analyse([facts("cron(0 * ? * SUN *)", hours=4, cutoff=1)], after=AFTER)
    assert "hour 23" not in finding.message and "23 hours" not in finding.message
    assert "shorten the duration to at most 1 hour," in finding.message


def test_fails_when_scan_then_install_on_one_patch_group_is_an_overlap():
    """Issue 20: a 4-hour scan window at 02:00 and an install window at 04:00 is a deliberate pattern."""
    web = frozenset({"web"})
    assert analyse([facts("cron(0 2 ? * SUN *)", hours=4, patch_groups=web, scan_only=True, name="scan"),
                    facts("cron(0 4 ? * SUN *)", hours=3, patch_groups=web, name="install")], after=AFTER) == []


def test_fails_when_overlaps_are_reported_per_pair_instead_of_per_patch_group():
    web = frozenset({"web"})
    findings = analyse([facts("cron(0 2 ? * SUN *)", hours=4, patch_groups=web, name="a"),
                        facts("cron(0 3 ? * SUN *)", hours=4, patch_groups=web, name="b"),
                        facts("cron(0 4 ? * SUN *)", hours=4, patch_groups=web, name="c")], after=AFTER)
    [finding] = findings
    assert "windows a, b and c all target patch group web" in finding.message


def test_fails_when_the_cross_window_checks_read_unbounded_runs():
    """Issue 21: many dense windows share the run budget (each keeps at least a weekly window's
    year); a few windows still get a year of runs."""
    from mw_constructs.checks import _MAX_RUNS, _MIN_RUNS, _RUN_BUDGET, _RunCache

    assert _RunCache(AFTER, windows=3).count == _MAX_RUNS
    assert _RunCache(AFTER, windows=5000).count == _MIN_RUNS >= 53
    assert _RunCache(AFTER, windows=1000).count * 1000 <= _RUN_BUDGET
    web = frozenset({"web"})
    schedule = WindowSchedule.expression("rate(5 minutes)", start_date=AFTER)
    dense = [WindowFacts(name=f"w{i}", schedule=schedule, duration_hours=2, cutoff_hours=1, patch_groups=web)
             for i in range(1000)]
    found = [f for f in analyse(dense, after=AFTER) if f.id == "mw-constructs:PatchGroupWindowsOverlap"]
    assert len(found) == 1 and "patch group web" in found[0].message  # one finding for 1,000 windows


def test_windows_with_one_schedule_and_spans_have_their_runs_computed_once(monkeypatch):
    """Issue 25: a fleet's windows often share a schedule; their runs (the first, and the year the
    overlap checks sweep) are computed once for all of them, and the findings are those of
    computing them per window."""
    from mw_constructs import checks

    calls = []
    original = checks.window_runs
    monkeypatch.setattr(checks, "window_runs", lambda *args, **kwargs: calls.append(kwargs["count"]) or original(*args, **kwargs))
    web = frozenset({"web"})
    fleet = [facts("cron(0 2 ? * SUN *)", name=f"w{i}", patch_groups=web) for i in range(40)]
    other = [facts("cron(0 2 ? * SUN *)", hours=4, name="longer", patch_groups=web)]
    found = analyse(fleet + other, after=AFTER)
    assert sorted(calls) == [1, 1, calls[-1], calls[-1]] and calls[-1] > 1  # two distinct spans: twice each
    [overlap] = [f for f in found if f.id == "mw-constructs:PatchGroupWindowsOverlap"]
    assert "w0" in overlap.message and "longer" in overlap.message


def test_scan_then_install_windows_built_with_tasks_are_not_an_overlap(stack):
    scan = window(stack, "Scan", "cron(0 2 ? * SUN *)", hours=4)
    install = window(stack, "Install", "cron(0 4 ? * SUN *)", hours=3)
    for name, w, operation in (("S", scan, PatchOperation.SCAN), ("I", install, PatchOperation.INSTALL)):
        target = PatchGroupTarget(stack, f"{name}T", window=w, patch_group="web")
        RunPatchBaselineTask(stack, f"{name}Task", window=w, targets=[target], operation=operation,
                             max_concurrency="10%", max_errors="1")
    assert not [m for m in warnings_of(stack) if "PatchGroupWindowsOverlap" in m]


def test_two_installing_windows_built_with_tasks_are_an_overlap(stack):
    for name, hour in (("A", 2), ("B", 4)):
        w = window(stack, name, f"cron(0 {hour} ? * SUN *)", hours=4)
        target = PatchGroupTarget(stack, f"{name}T", window=w, patch_group="web")
        RunPatchBaselineTask(stack, f"{name}Task", window=w, targets=[target], operation=PatchOperation.INSTALL,
                             max_concurrency="10%", max_errors="1")
    assert len([m for m in warnings_of(stack) if "PatchGroupWindowsOverlap" in m]) == 1


def test_fails_when_a_numeric_day_of_week_is_silent():
    """Issue 20: SSM's 7 is Saturday; a Unix cron user writing 7 means Sunday."""
    [finding] = analyse([facts("cron(0 2 ? * 7 *)")], after=AFTER)
    assert finding.id == "mw-constructs:NumericWeekday" and "it means 'SAT'" in finding.message
    [finding] = analyse([facts("cron(0 2 ? * 2-6 *)")], after=AFTER)
    assert "it means 'MON-FRI'" in finding.message


def test_day_names_and_the_quartz_forms_are_not_numeric_weekday_warnings():
    for expression in ("cron(0 2 ? * SAT *)", "cron(15 10 ? * 6L *)", "cron(0 2 ? * 5#3 *)", "cron(0 2 ? * * *)",
                       "cron(0 2 1 * ? *)"):
        assert analyse([facts(expression, hours=2)], after=AFTER) == [], expression


def test_fails_when_a_one_time_window_in_the_past_is_silent():
    [finding] = analyse([facts("at(2024-06-01T02:00:00)")], after=AFTER)
    assert finding.id == "mw-constructs:NoFutureRuns" and "has no run after 2025-01-01 00:00 UTC" in finding.message
    assert analyse([facts("at(2025-06-01T02:00:00)")], after=AFTER) == []


def test_fails_when_an_end_date_in_the_past_is_silent():
    ended = WindowFacts(name="w", schedule=WindowSchedule.expression(
        "cron(0 2 ? * SUN *)", end_date=datetime(2024, 12, 1, tzinfo=timezone.utc)), duration_hours=3, cutoff_hours=1)
    [finding] = analyse([ended], after=AFTER)
    assert finding.id == "mw-constructs:NoFutureRuns" and "end_date 2024-12-01" in finding.message


def test_a_past_window_warns_when_built(stack):
    window(stack, "Once", "at(2020-01-05T02:00:00)")
    [message] = warnings_of(stack)
    assert "mw-constructs:NoFutureRuns" in message
