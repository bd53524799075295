"""WindowSchedule.next_runs and window_runs: the occurrence engine, without a stack."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from mw_constructs import WindowSchedule
from mw_constructs.schedule import window_runs
from tests.support.apps import raises_code

UTC = timezone.utc
LA = ZoneInfo("America/Los_Angeles")
AMS = ZoneInfo("Europe/Amsterdam")
NEW_YEAR_2024 = datetime(2024, 1, 1, tzinfo=UTC)


def runs(text, count=4, after=NEW_YEAR_2024, **kwargs):
    return WindowSchedule.expression(text, **kwargs).next_runs(count, after=after)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------------ issue 3 "Done when"


def test_third_tuesday_plus_two_days_lands_on_thursday():
    schedule = WindowSchedule.expression("cron(30 23 ? * TUE#3 *)", time_zone="UTC", schedule_offset=2)
    assert schedule.next_runs(3, after=datetime(2024, 1, 1, tzinfo=timezone.utc)) == [
        utc(2024, 1, 18, 23, 30), utc(2024, 2, 22, 23, 30), utc(2024, 3, 21, 23, 30)
    ]


def test_los_angeles_wednesday_0900_follows_daylight_saving():
    schedule = WindowSchedule.expression("cron(0 09 ? * WED *)", time_zone="America/Los_Angeles")
    found = schedule.next_runs(2, after=datetime(2021, 3, 9, tzinfo=timezone.utc))
    assert found == [utc(2021, 3, 10, 17, 0), utc(2021, 3, 17, 16, 0)]
    assert all(run.tzinfo == LA and run.hour == 9 for run in found)


# ------------------------------------------------------------------ documented examples (§2.5, §2.11)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("cron(0 2 ? * THU#3 *)", [utc(2024, 1, 18, 2), utc(2024, 2, 15, 2), utc(2024, 3, 21, 2), utc(2024, 4, 18, 2)]),
        ("cron(30 23 ? * TUE#3 *)", [utc(2024, 1, 16, 23, 30), utc(2024, 2, 20, 23, 30), utc(2024, 3, 19, 23, 30)]),
        ("cron(15 10 ? * 6L *)", [utc(2024, 1, 26, 10, 15), utc(2024, 2, 23, 10, 15), utc(2024, 3, 29, 10, 15), utc(2024, 4, 26, 10, 15)]),
        ("cron(0 2 L * ? *)", [utc(2024, 1, 31, 2), utc(2024, 2, 29, 2), utc(2024, 3, 31, 2), utc(2024, 4, 30, 2)]),
        ("cron(0 0 ? * 2#5 *)", [utc(2024, 1, 29), utc(2024, 4, 29), utc(2024, 7, 29), utc(2024, 9, 30)]),
        ("cron(0 0 ? * SUN#5 *)", [utc(2024, 3, 31), utc(2024, 6, 30), utc(2024, 9, 29)]),
        ("cron(0 0 15W * ? *)", [utc(2024, 1, 15), utc(2024, 2, 15), utc(2024, 3, 15), utc(2024, 4, 15)]),
        ("cron(0 0 31W * ? *)", [utc(2024, 1, 31), utc(2024, 3, 29), utc(2024, 5, 31)]),
        ("cron(0 0 1W * ? *)", [utc(2024, 2, 1), utc(2024, 3, 1), utc(2024, 4, 1)]),
        ("cron(0 0 29 2 ? *)", [utc(2024, 2, 29), utc(2028, 2, 29), utc(2032, 2, 29)]),
        ("cron(0 1-10/3 * * ? *)", [utc(2024, 1, 1, 1), utc(2024, 1, 1, 4), utc(2024, 1, 1, 7), utc(2024, 1, 1, 10)]),
        ("cron(15 10 ? * * *)", [utc(2024, 1, 1, 10, 15), utc(2024, 1, 2, 10, 15), utc(2024, 1, 3, 10, 15)]),
        ("cron(15 10 ? * MON-FRI *)", [utc(2024, 1, 1, 10, 15), utc(2024, 1, 2, 10, 15), utc(2024, 1, 3, 10, 15),
                                        utc(2024, 1, 4, 10, 15), utc(2024, 1, 5, 10, 15), utc(2024, 1, 8, 10, 15)]),
        ("cron(0 8 1 * ? *)", [utc(2024, 1, 1, 8), utc(2024, 2, 1, 8), utc(2024, 3, 1, 8)]),
        ("cron(0/5 8-17 ? * MON-FRI *)", [utc(2024, 1, 1, 8, 0), utc(2024, 1, 1, 8, 5), utc(2024, 1, 1, 8, 10)]),
        ("cron(24 30 09 ? * * *)", [utc(2024, 1, 1, 9, 30, 24), utc(2024, 1, 2, 9, 30, 24)]),
        ("cron(0 2 ? 1/1 THU#3 *)", [utc(2024, 1, 18, 2), utc(2024, 2, 15, 2)]),
    ],
)
def test_documented_examples_run_when_aws_says(text, expected):
    assert runs(text, len(expected)) == expected


def test_patch_tuesday_plus_three_is_the_friday_after():
    assert runs("cron(0 0 ? * TUE#2 *)", 3, schedule_offset=3) == [utc(2024, 1, 12), utc(2024, 2, 16), utc(2024, 3, 15)]


def test_second_thursday_plus_three_is_the_sunday_after():
    found = runs("cron(0 0 ? * THU#2 *)", 2, schedule_offset=3)
    assert [run.strftime("%a") for run in found] == ["Sun", "Sun"]


def test_documented_first_run_after_start_date_is_wednesday_january_6():
    # AWS's example text says "Wednesday, January 4, 2021"; 2021-01-04 is a Monday.
    schedule = WindowSchedule.expression(
        "cron(0 09 ? * WED *)", time_zone="America/Los_Angeles",
        start_date=datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=-8))),
    )
    assert schedule.next_runs(1, after=datetime(2020, 12, 1, tzinfo=UTC)) == [datetime(2021, 1, 6, 9, tzinfo=LA)]


# ------------------------------------------------------------------ months, leap years, # and W edges


def test_leap_day_skips_2100():
    found = runs("cron(0 0 29 2 ? *)", 30)
    assert utc(2096, 2, 29) in found and utc(2104, 2, 29) in found
    assert not any(run.year == 2100 for run in found)


def test_fifth_weekday_skips_months_without_one():
    found = runs("cron(0 0 ? * MON#5 *)", 5)
    assert [run.month for run in found] == [1, 4, 7, 9, 12]


def test_fifth_thursday_in_february_only_in_years_that_have_one():
    assert runs("cron(0 0 ? FEB THU#5 *)", 2) == [utc(2024, 2, 29), utc(2052, 2, 29)]


def test_nearest_weekday_never_leaves_the_month():
    assert runs("cron(0 0 1W JUN ? 2024)", 1) == [utc(2024, 6, 3)]  # the 1st is a Saturday: Monday the 3rd
    assert runs("cron(0 0 30W JUN ? 2024)", 1) == [utc(2024, 6, 28)]  # the 30th is a Sunday and the last day
    assert runs("cron(0 0 31W APR-JUN ? 2024)", 3) == [utc(2024, 5, 31)]  # April and June have no 31st


def test_last_day_of_february_in_leap_and_common_years():
    assert runs("cron(0 0 L FEB ? *)", 2) == [utc(2024, 2, 29), utc(2025, 2, 28)]


def test_year_field_ends_the_series():
    assert runs("cron(0 0 1 1 ? 2025-2026)", 5) == [utc(2025, 1, 1), utc(2026, 1, 1)]


def test_steps_in_day_of_week_and_year():
    assert runs("cron(0 0 ? * 2/3 *)", 3) == [utc(2024, 1, 4), utc(2024, 1, 8), utc(2024, 1, 11)]  # MON and THU
    assert runs("cron(0 0 1 1 ? 2025/5)", 2) == [utc(2025, 1, 1), utc(2030, 1, 1)]


# ------------------------------------------------------------------ daylight saving time


def test_los_angeles_spring_forward_skips_a_start_in_the_gap():
    found = runs("cron(30 2 * * ? *)", 3, after=datetime(2024, 3, 9, tzinfo=LA), time_zone="America/Los_Angeles")
    assert found == [datetime(2024, 3, day, 2, 30, tzinfo=LA) for day in (9, 11, 12)]  # 10 March 02:30 does not exist


def test_los_angeles_fall_back_runs_a_repeated_time_once_at_its_first_occurrence():
    found = runs("cron(30 1 * * ? *)", 2, after=datetime(2024, 11, 2, 12, tzinfo=LA), time_zone="America/Los_Angeles")
    assert [run.astimezone(UTC) for run in found] == [utc(2024, 11, 3, 8, 30), utc(2024, 11, 4, 9, 30)]


def test_los_angeles_hourly_cron_across_fall_back_does_not_repeat_the_hour():
    found = runs("cron(30 * * * ? *)", 4, after=datetime(2024, 11, 3, 0, 0, tzinfo=LA), time_zone="America/Los_Angeles")
    assert [run.astimezone(UTC).hour for run in found] == [7, 8, 10, 11]  # 00:30 PDT, 01:30 PDT, 02:30 PST, 03:30 PST


def test_amsterdam_spring_forward_skips_a_start_in_the_gap():
    found = runs("cron(30 2 ? * SUN *)", 2, after=datetime(2024, 3, 25, tzinfo=AMS), time_zone="Europe/Amsterdam")
    assert found[0] == datetime(2024, 4, 7, 2, 30, tzinfo=AMS)  # 31 March 02:30 does not exist
    found = runs("cron(30 2 ? * SUN *)", 2, after=datetime(2024, 3, 20, tzinfo=AMS), time_zone="Europe/Amsterdam")
    assert [run.day for run in found] == [24, 7]


def test_amsterdam_fall_back_runs_once_in_summer_time():
    found = runs("cron(30 2 ? * SUN *)", 1, after=datetime(2024, 10, 26, tzinfo=AMS), time_zone="Europe/Amsterdam")
    assert found[0].astimezone(UTC) == utc(2024, 10, 27, 0, 30)  # 02:30 CEST, not 02:30 CET


def test_window_duration_is_absolute_time_across_fall_back():
    schedule = WindowSchedule.expression("cron(0 0 ? * SUN *)", time_zone="Europe/Amsterdam")
    run = window_runs(schedule, duration_hours=5, cutoff_hours=1, count=1, after=datetime(2024, 10, 26, tzinfo=AMS))[0]
    assert (run.opens.hour, run.cutoff.hour, run.closes.hour) == (0, 3, 4)  # the 02:00-03:00 hour happens twice
    assert run.closes.astimezone(UTC) - run.opens.astimezone(UTC) == timedelta(hours=5)


def test_offset_keeps_the_wall_time_across_daylight_saving():
    found = runs("cron(0 9 ? * 6L *)", 1, after=datetime(2024, 3, 1, tzinfo=AMS), time_zone="Europe/Amsterdam", schedule_offset=3)
    assert found == [datetime(2024, 4, 1, 9, 0, tzinfo=AMS)]  # Fri 29 March CET + 3 days = Mon 1 April CEST, 09:00


# ------------------------------------------------------------------ offsets and active periods


def test_offset_crosses_the_month_end():
    assert runs("cron(0 0 ? * 6L *)", 3, schedule_offset=3) == [utc(2024, 1, 29), utc(2024, 2, 26), utc(2024, 4, 1)]


def test_offset_never_uses_a_match_that_already_passed():
    # 16 January matched before `after`; its run on the 18th is still ahead but does not happen.
    found = runs("cron(30 23 ? * TUE#3 *)", 1, after=utc(2024, 1, 17), schedule_offset=2)
    assert found == [utc(2024, 2, 22, 23, 30)]


def test_end_date_cuts_the_series():
    found = runs("cron(0 6 ? * SAT *)", 10, end_date=utc(2024, 1, 21))
    assert found == [utc(2024, 1, 6, 6), utc(2024, 1, 13, 6), utc(2024, 1, 20, 6)]


def test_end_date_is_exclusive_and_start_date_inclusive():
    found = runs("cron(0 6 ? * SAT *)", 10, start_date=utc(2024, 1, 13, 6), end_date=utc(2024, 1, 27, 6))
    assert found == [utc(2024, 1, 13, 6), utc(2024, 1, 20, 6)]


def test_start_date_far_ahead_is_found_quickly():
    found = runs("cron(0 0 1 * ? *)", 2, start_date=utc(2150, 6, 15))
    assert found == [utc(2150, 7, 1), utc(2150, 8, 1)]


def test_rate_counts_from_the_start_date():
    start = datetime(2019, 1, 1, 0, 3, 15, tzinfo=timezone(timedelta(hours=9)))
    found = WindowSchedule.expression("rate(7 days)", start_date=start, end_date=datetime(2019, 6, 30, tzinfo=UTC)).next_runs(
        30, after=datetime(2018, 12, 1, tzinfo=UTC))
    assert found[0] == start and found[-1] == start + timedelta(weeks=25)
    assert len(found) == 26 and all(run.astimezone(start.tzinfo).strftime("%a %H:%M:%S") == "Tue 00:03:15" for run in found)


def test_rate_without_start_date_counts_from_after():
    found = runs("rate(5 hours)", 2)
    assert found == [utc(2024, 1, 1, 5), utc(2024, 1, 1, 10)]


def test_rate_in_a_zone_is_absolute_time():
    after = datetime(2024, 3, 30, 12, tzinfo=AMS)
    found = runs("rate(1 day)", 2, after=after, time_zone="Europe/Amsterdam")
    assert [run.hour for run in found] == [13, 13]  # 24 h after noon CET is 13:00 CEST
    assert found[0].astimezone(UTC) - after.astimezone(UTC) == timedelta(days=1)


def test_at_runs_once():
    assert runs("at(2024-05-01T10:00:00)", 3) == [utc(2024, 5, 1, 10)]
    assert runs("at(2023-05-01T10:00:00)", 3) == []


def test_zero_runs_and_bad_arguments():
    schedule = WindowSchedule.expression("cron(0 6 ? * SAT *)")
    assert schedule.next_runs(0, after=NEW_YEAR_2024) == []
    with raises_code("NaiveDate"):
        schedule.next_runs(1, after=datetime(2024, 1, 1))
    with raises_code("InvalidType"):
        schedule.next_runs(-1, after=NEW_YEAR_2024)


def test_fails_when_asking_runs_of_a_token():
    from aws_cdk import Fn

    with raises_code("UnresolvedSchedule"):
        WindowSchedule.expression(Fn.import_value("S")).next_runs(1, after=NEW_YEAR_2024)


# ------------------------------------------------------------------ window runs


def test_window_run_has_open_last_task_start_and_close():
    schedule = WindowSchedule.expression("cron(0 22 ? * MON-FRI *)", time_zone="Europe/Amsterdam")
    run = window_runs(schedule, duration_hours=5, cutoff_hours=1, count=1, after=datetime(2024, 1, 1, tzinfo=AMS))[0]
    assert run.opens == datetime(2024, 1, 1, 22, tzinfo=AMS)
    assert run.cutoff == datetime(2024, 1, 2, 2, tzinfo=AMS)
    assert run.closes == datetime(2024, 1, 2, 3, tzinfo=AMS)
    assert not run.skipped


def test_runs_that_start_while_the_window_is_open_are_skipped():
    schedule = WindowSchedule.expression("cron(0 0-5 ? * THU#1 *)")
    found = window_runs(schedule, duration_hours=6, cutoff_hours=1, count=7, after=NEW_YEAR_2024)
    assert [run.skipped for run in found] == [False, True, True, True, True, True, False]
    assert found[-1].opens == utc(2024, 2, 1)


def test_fails_when_window_runs_get_a_cutoff_not_below_duration():
    with raises_code("CutoffNotBelowDuration"):
        window_runs(WindowSchedule.expression("rate(1 day)"), duration_hours=2, cutoff_hours=2, count=1, after=NEW_YEAR_2024)


@pytest.mark.parametrize(
    "text,step", [("rate(30 minutes)", timedelta(minutes=30)), ("rate(1 hour)", timedelta(hours=1)),
                  ("rate(5 hours)", timedelta(hours=5)), ("rate(25 days)", timedelta(days=25))]
)
def test_documented_rate_examples_run_every_interval(text, step):
    found = runs(text, 3, start_date=NEW_YEAR_2024, after=NEW_YEAR_2024 - timedelta(seconds=1))
    assert found == [NEW_YEAR_2024 + k * step for k in range(3)]


def test_wrapping_hour_range_row_gives_the_documented_quartz_runs():
    # ssm-semantics §2.11 computes `00 23-5 ? * THU#1 *` with Quartz semantics; mw-constructs reads
    # the wrapping range the same way (with a warning), and its list gives the same runs.
    expected = [utc(2024, 1, 4, h) for h in (0, 1, 2, 3, 4, 5, 23)] + [utc(2024, 2, 1, 0)]
    assert runs("cron(00 23-5 ? * THU#1 *)", 8) == expected
    assert runs("cron(00 23,0-5 ? * THU#1 *)", 8) == expected
