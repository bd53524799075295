"""WindowSchedule: the SSM grammar, without a stack."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from mw_constructs import ValidationError, WindowSchedule
from mw_constructs.checks import WindowFacts, analyse
from mw_constructs.schedule.cron import wrapping_range_advice, wrapping_ranges
from tests.support.apps import raises_code

AMS = ZoneInfo("Europe/Amsterdam")

# Every documented example (ssm-semantics §2.5, §2.7, §2.8) must be accepted.
VALID = [
    "cron(0 2 ? * THU#3 *)",
    "cron(15 10 ? * * *)",
    "cron(15 10 ? * MON-FRI *)",
    "cron(0 2 L * ? *)",
    "cron(15 10 ? * 6L *)",
    "cron(0 10 * * ? *)",
    "cron(15 12 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(0/10 * ? * MON-FRI *)",
    "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(30 23 ? * TUE#3 *)",
    "cron(0 16 ? * TUE *)",
    "cron(0 09 ? * WED *)",
    "cron(0 2 ? 1/1 THU#3 *)",
    "cron(30 09 ? * * *)",
    "cron(24 30 09 ? * * *)",
    "cron(0 30 23 ? * TUE#3 *)",
    "cron(0 0 ? * TUE#2 *)",
    "cron(0 0 15W * ? *)",
    "cron(0 0 1W * ? *)",
    "cron(0 0 29 2 ? *)",
    "cron(0 1-10/3 * * ? *)",
    "cron(0 0 ? * 2#5 *)",
    "cron(0 0 ? * SUN#5 *)",
    "cron(0 22 ? * MON-FRI *)",
    "cron(0 6 ? * SAT,SUN *)",
    "cron(0 0 ? * FRIL *)",
    "cron(0 0 1 JAN-MAR ? 2025-2030)",
    "cron(0 0 1 * ? 1970)",
    "cron(0 0 1 * ? 2199)",
    "cron(0 0 ? * 5#3 *)",
    "rate(30 minutes)",
    "rate(1 hour)",
    "rate(5 hours)",
    "rate(25 days)",
    "rate(1 day)",
    "rate(5 minutes)",
    "at(2020-07-07T15:55:00)",
]


@pytest.mark.parametrize("text", VALID)
def test_documented_expression_is_accepted(text):
    schedule = WindowSchedule.expression(text)
    assert schedule.expression_string == text
    assert schedule.kind == text.split("(")[0]


# ssm-semantics §2.6 "invalid" rows and the rules of §2.2-§2.4, each with its stable code.
INVALID = [
    ("cron(0 10 * * MON *)", "CronDaysConflict"),
    ("cron(0 10 ? * ? *)", "CronDaysMissing"),
    ("cron(0 10 * * *)", "CronFieldCount"),
    ("cron(0 0 0 10 * * ? *)", "CronFieldCount"),
    ("0 10 * * ? *", "ScheduleSyntax"),
    ("CRON(0 10 * * ? *)", "ScheduleSyntax"),
    ("cron(0  10 * * ? *)", "CronFieldCount"),
    ("cron(0 24 * * ? *)", "CronValueOutOfRange"),
    ("cron(60 1 * * ? *)", "CronValueOutOfRange"),
    ("cron(0 0 32 * ? *)", "CronValueOutOfRange"),
    ("cron(0 0 ? 13 * *)", "CronValueOutOfRange"),
    ("cron(0 0 ? * 0 *)", "CronValueOutOfRange"),
    ("cron(0 0 ? * 8 *)", "CronValueOutOfRange"),
    ("cron(0 0 1 * ? 1969)", "CronValueOutOfRange"),
    ("cron(0 0 1 * ? 2200)", "CronValueOutOfRange"),
    ("cron(0 0 ? * MON#6 *)", "CronValueOutOfRange"),
    ("cron(0 0 ? * MON#0 *)", "CronValueOutOfRange"),
    ("cron(0 0 ? * 3#1,6#3 *)", "CronUnsupportedForm"),
    ("cron(0 0 ? * 3#1#2 *)", "CronUnsupportedForm"),
    ("cron(* * * * ? *)", "CronTooFrequent"),
    ("cron(0/1 * * * ? *)", "CronTooFrequent"),
    ("cron(0/2 * * * ? *)", "CronTooFrequent"),
    ("cron(0,4 * * * ? *)", "CronTooFrequent"),
    ("cron(58,1 * * * ? *)", "CronTooFrequent"),
    ("cron(0 0 L-3 * ? *)", "CronUnsupportedForm"),
    ("cron(0 0 LW * ? *)", "CronUnsupportedForm"),
    ("cron(0 0 L,15 * ? *)", "CronUnsupportedForm"),
    ("cron(0 0 ? * 6L,2 *)", "CronUnsupportedForm"),
    ("cron(0 0 32W * ? *)", "CronValueOutOfRange"),
    ("cron(0 0 ? * mon *)", "CronUnsupportedForm"),
    ("cron(0 0 ? * MONDAY *)", "CronSyntax"),
    ("cron(0 ? * * ? *)", "CronSyntax"),
    ("cron(0/0 * * * ? *)", "CronSyntax"),
    ("cron(0/61 * * * ? *)", "CronSyntax"),
    ("cron(/5 * * * ? *)", "CronSyntax"),
    ("cron(0 0 1 * ? 2025-)", "CronSyntax"),
    ("cron(0 0 1-a * ? *)", "CronSyntax"),
    ("cron(0 0 15#2 * ? *)", "CronUnsupportedForm"),
    ("cron(0-59/5 0 1 * ? *)", None),  # valid control: every 5 minutes is allowed
    ("cron(*/5 0 1 * ? *)", None),
    ("cron(60 0 0 1 * ? *)", "CronSyntax"),
    ("cron(0,30 0 0 1 * ? *)", "CronSyntax"),
    ("cron(0 0 30 2 ? *)", "CronNeverRuns"),
    ("cron(0 0 31 4,6,9,11 ? *)", "CronNeverRuns"),
    ("cron(0 0 30W FEB ? *)", "CronNeverRuns"),
    ("rate(1 hours)", "RateUnitNumber"),
    ("rate(5 hour)", "RateUnitNumber"),
    ("rate(1 days)", "RateUnitNumber"),
    ("rate(0 days)", "RateSyntax"),
    ("rate(-1 days)", "RateSyntax"),
    ("rate(1.5 hours)", "RateSyntax"),
    ("rate(05 hours)", "RateSyntax"),
    ("rate(1 week)", "RateSyntax"),
    ("rate(2 months)", "RateSyntax"),
    ("rate(2 minutes)", "RateTooFrequent"),
    ("rate(1 minute)", "RateTooFrequent"),
    ("rate(5minutes)", "RateSyntax"),
    ("at(2020-02-30T00:00:00)", "AtSyntax"),
    ("at(2020-07-07 15:55:00)", "AtSyntax"),
    ("at(2020-07-07T15:55)", "AtSyntax"),
    ("at(2020-07-07T24:00:00)", "AtSyntax"),
    ("every sunday", "ScheduleSyntax"),
]


@pytest.mark.parametrize("text,code", INVALID)
def test_fails_when_expression_breaks_the_grammar(text, code):
    if code is None:
        WindowSchedule.expression(text)
        return
    with raises_code(code) as info:
        WindowSchedule.expression(text)
    assert repr(text) in str(info.value), "the message quotes the expression"


def test_fails_when_day_of_month_and_day_of_week_both_set_and_suggests_question_mark():
    with raises_code("CronDaysConflict") as info:
        WindowSchedule.expression("cron(0 2 * * SUN *)")
    message = str(info.value)
    assert "day-of-month" in message and "day-of-week" in message
    assert "cannot both be set" in message
    assert "'?'" in message


def wrap_advice(expression):
    spec = WindowSchedule.expression(expression).parsed_cron
    return [wrapping_range_advice(spec, wrap) for wrap in wrapping_ranges(spec)]


def test_fails_when_a_wrapping_range_is_refused():
    """Issue 20: AWS does not document ranges that run backwards, and Quartz (the grammar's origin)
    reads them through the end of the field: a public patching setup uses 23-5. They are accepted
    as Quartz reads them, with a warning (the schedule checks)."""
    assert WindowSchedule.expression("cron(00 23-5 ? * THU#1 *)").parsed_cron.hours == frozenset({23, 0, 1, 2, 3, 4, 5})
    assert WindowSchedule.expression("cron(0 0 ? * FRI-MON *)").parsed_cron.day_of_week.values == frozenset({6, 7, 1, 2})
    assert WindowSchedule.expression("cron(0 0 ? NOV-FEB MON *)").parsed_cron.months == frozenset({11, 12, 1, 2})
    assert WindowSchedule.expression("cron(0 22-4/2 ? * SUN *)").parsed_cron.hours == frozenset({22, 0, 2, 4})
    assert WindowSchedule.expression("cron(0 0 28-2 * ? *)").parsed_cron.day_of_month.values == frozenset({28, 29, 30, 31, 1, 2})


def test_a_year_range_cannot_wrap():
    with raises_code("CronSyntax") as info:
        WindowSchedule.expression("cron(0 0 ? * SUN 2030-2025)")
    assert "'2025-2030'" in info.value.message


def test_wrapping_hour_range_advice_leads_with_one_start_and_a_duration():
    """Issue 8: the seeds' night window gets the fix the user meant, not only a list of hours."""
    [message] = wrap_advice("cron(00 23-5 ? * TUE#1 *)")
    assert "reads it as Quartz (the grammar's origin) does: '23,0,1,2,3,4,5'" in message
    assert "opens 7 separate windows, all on each matching day itself" in message
    assert "start it once at 23:00 and give the window a duration of 6 hours" in message
    assert "'cron(00 23 ? * TUE#1 *)' with duration=Duration.hours(6)" in message


def test_wrapping_day_range_advice_lists_the_days():
    [message] = wrap_advice("cron(0 0 ? * FRI-MON *)")
    assert "'FRI,SAT,SUN,MON'" in message and "duration" not in message


def test_fails_when_a_bare_last_day_of_week_is_refused():
    """Issue 20: AWS defines 'L' in day-of-week as the last day of the week (Saturday, as in Quartz)."""
    assert WindowSchedule.expression("cron(0 0 ? * L *)").parsed_cron.day_of_week.values == frozenset({7})


def test_fails_when_day_of_week_zero_and_explains_sunday_is_one():
    with raises_code("CronValueOutOfRange") as info:
        WindowSchedule.expression("cron(0 0 ? * 0 *)")
    assert "1 = SUN" in str(info.value)


def test_fails_when_text_is_not_a_string():
    with raises_code("InvalidType"):
        WindowSchedule.expression(42)


def test_fails_when_expression_is_longer_than_256_characters():
    with raises_code("ScheduleSyntax"):
        WindowSchedule.expression("cron(" + ",".join(["0"] * 130) + " 0 * * ? *)")


def test_error_is_a_value_error_with_a_stable_code():
    with pytest.raises(ValueError) as info:
        WindowSchedule.expression("rate(1 hours)")
    assert isinstance(info.value, ValidationError)
    assert info.value.code == "RateUnitNumber"
    assert "rate(1 hour)" in info.value.message


# ------------------------------------------------------------------ cron() builder


def test_cron_builder_defaults_to_midnight_every_day():
    assert WindowSchedule.cron().expression_string == "cron(0 0 * * ? *)"


def test_cron_builder_puts_question_mark_in_day_of_month_for_week_days():
    schedule = WindowSchedule.cron(hour=2, week_day="SUN", time_zone="Europe/Amsterdam")
    assert schedule.expression_string == "cron(0 2 ? * SUN *)"
    assert schedule == WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam")


def test_cron_builder_with_every_field():
    schedule = WindowSchedule.cron(second=0, minute=30, hour=23, week_day="TUE#3", month="*", year=2030, schedule_offset=2)
    assert schedule.expression_string == "cron(0 30 23 ? * TUE#3 2030)"
    assert schedule.schedule_offset == 2


def test_fails_when_cron_builder_gets_day_and_week_day():
    with raises_code("CronDaysConflict") as info:
        WindowSchedule.cron(day=1, week_day="MON")
    assert "day (1) and week_day ('MON')" in str(info.value)


def test_fails_when_cron_builder_field_out_of_range_names_the_argument():
    with raises_code("CronValueOutOfRange") as info:
        WindowSchedule.cron(hour=24)
    assert str(info.value).startswith("[CronValueOutOfRange] hour '24'")


@pytest.mark.parametrize("value", [1.5, "0 1", "", None.__class__, True])
def test_fails_when_cron_builder_field_has_wrong_type(value):
    with raises_code("InvalidType"):
        WindowSchedule.cron(minute=value)


# ------------------------------------------------------------------ rate() and at()


@pytest.mark.parametrize(
    "duration,expected",
    [
        (timedelta(days=7), "rate(7 days)"),
        (timedelta(days=1), "rate(1 day)"),
        (timedelta(hours=1), "rate(1 hour)"),
        (timedelta(hours=36), "rate(36 hours)"),
        (timedelta(minutes=90), "rate(90 minutes)"),
        (timedelta(minutes=5), "rate(5 minutes)"),
    ],
)
def test_rate_uses_the_largest_whole_unit(duration, expected):
    assert WindowSchedule.rate(duration).expression_string == expected


def test_rate_accepts_cdk_duration():
    from aws_cdk import Duration

    assert WindowSchedule.rate(Duration.days(7)).expression_string == "rate(7 days)"
    assert WindowSchedule.rate(Duration.hours(2)).expression_string == "rate(2 hours)"


def test_fails_when_rate_is_below_five_minutes():
    with raises_code("RateTooFrequent"):
        WindowSchedule.rate(timedelta(minutes=4))


def test_fails_when_rate_is_not_whole_minutes():
    with raises_code("RateSyntax"):
        WindowSchedule.rate(timedelta(seconds=330))


def test_fails_when_rate_is_not_a_duration():
    with raises_code("InvalidType"):
        WindowSchedule.rate(60)


def test_at_converts_to_utc():
    schedule = WindowSchedule.at(datetime(2030, 7, 7, 17, 55, tzinfo=AMS))
    assert schedule.expression_string == "at(2030-07-07T15:55:00)"
    assert schedule.time_zone is None


def test_fails_when_at_is_naive():
    with raises_code("NaiveDate"):
        WindowSchedule.at(datetime(2030, 7, 7, 17, 55))


def test_fails_when_at_has_microseconds():
    with raises_code("AtSyntax"):
        WindowSchedule.at(datetime(2030, 7, 7, 17, 55, 0, 5, tzinfo=timezone.utc))


def test_fails_when_at_with_a_time_zone_is_refused():
    """Issue 20: nothing in the API ties ScheduleTimezone to the schedule's form; AWS documents at()
    as UTC without saying whether the zone applies. Accepted, read as UTC, with a warning."""
    schedule = WindowSchedule.expression("at(2030-07-07T15:55:00)", time_zone="Europe/Amsterdam")
    [run] = schedule.next_runs(1, after=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert run == datetime(2030, 7, 7, 15, 55, tzinfo=timezone.utc) and str(run.tzinfo) == "Europe/Amsterdam"
    [finding] = analyse([WindowFacts(name="w", schedule=schedule, duration_hours=3, cutoff_hours=1)],
                        after=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert finding.id == "mw-constructs:AtWithTimeZone" and "'Europe/Amsterdam'" in finding.message


# ------------------------------------------------------------------ offset, zone, period


def test_offset_is_kept_for_cron():
    schedule = WindowSchedule.expression("cron(30 23 ? * TUE#3 *)", schedule_offset=2)
    assert schedule.schedule_offset == 2


@pytest.mark.parametrize("offset", [0, 7, -1, 2.0, True, "2"])
def test_fails_when_offset_is_outside_1_to_6(offset):
    with raises_code("ScheduleOffsetRange") as info:
        WindowSchedule.expression("cron(30 23 ? * TUE#3 *)", schedule_offset=offset)
    assert "schedule_offset" in str(info.value)


@pytest.mark.parametrize("text", ["rate(7 days)", "at(2030-01-01T00:00:00)"])
def test_fails_when_offset_is_used_without_cron(text):
    with raises_code("ScheduleOffsetNotCron"):
        WindowSchedule.expression(text, schedule_offset=2)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Seoul", "Etc/UTC"])
def test_iana_zone_is_accepted(zone):
    assert WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=zone).time_zone == zone


def test_cdk_time_zone_object_is_accepted():
    from aws_cdk import TimeZone

    schedule = WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=TimeZone.of("Europe/Amsterdam"))
    assert schedule.time_zone == "Europe/Amsterdam"


def test_fails_when_time_zone_is_not_a_string():
    with raises_code("InvalidType"):
        WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=1)


@pytest.mark.parametrize("zone", ["Europe/Amsterdm", "CEST", "+01:00", ""])
def test_fails_when_time_zone_is_unknown(zone):
    with raises_code("UnknownTimeZone"):
        WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=zone)


def test_fails_when_time_zone_has_wrong_case_and_suggests_the_right_name():
    with raises_code("UnknownTimeZone") as info:
        WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="etc/UTC")
    assert "'Etc/UTC'" in str(info.value)


def test_dates_are_rendered_as_iso_8601_with_offset():
    schedule = WindowSchedule.expression(
        "cron(0 09 ? * WED *)",
        start_date=datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=-8))),
        end_date=datetime(2021, 6, 30, 12, 0, 30, 999, tzinfo=AMS),
    )
    assert schedule.start_date_string == "2021-01-01T00:00:00-08:00"
    assert schedule.end_date_string == "2021-06-30T12:00:30+02:00"


def test_fails_when_start_date_is_naive():
    with raises_code("NaiveDate"):
        WindowSchedule.expression("cron(0 2 ? * SUN *)", start_date=datetime(2025, 1, 1))


def test_fails_when_end_date_is_a_string():
    with raises_code("InvalidType"):
        WindowSchedule.expression("cron(0 2 ? * SUN *)", end_date="2025-01-01T00:00:00Z")


@pytest.mark.parametrize("days", [0, -1])
def test_fails_when_end_date_is_not_after_start_date(days):
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with raises_code("EndNotAfterStart"):
        WindowSchedule.expression("cron(0 2 ? * SUN *)", start_date=start, end_date=start + timedelta(days=days))


def test_tokens_pass_through_unchecked():
    from aws_cdk import Fn

    token = Fn.import_value("PatchingSchedule")
    schedule = WindowSchedule.expression(token, schedule_offset=2)
    assert schedule.kind == "token"
    assert schedule.expression_string == token


def test_schedule_is_immutable_and_has_no_public_constructor():
    schedule = WindowSchedule.expression("rate(1 day)")
    with pytest.raises(AttributeError):
        schedule.expression_string = "rate(2 days)"
    with raises_code("InvalidType"):
        WindowSchedule(None)


@pytest.mark.parametrize("text", ["cron(\u0663 0 * * ? *)", "cron(0 0 1/\u0665 * ? *)", "rate(\u0665 minutes)", "at(\u0662030-01-01T00:00:00)"])
def test_fails_when_digits_are_not_ascii(text):
    with pytest.raises(ValidationError):
        WindowSchedule.expression(text)
