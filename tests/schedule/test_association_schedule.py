"""AssociationSchedule: State Manager's schedule grammar, without a stack (issue 23).

The documented examples of "Cron and rate expressions for associations" are accepted and run
when AWS says; what State Manager does not take is refused with a code; and every cron the
window grammar accepts is either refused or runs in one of the documented repeats (checked
from its runs, not from how the library classified it), agreeing with aws-croniter.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mw_constructs import AssociationSchedule, WindowSchedule
from mw_constructs.schedule.association import ASSOCIATION_RATE_MINUTES
from tests.support.apps import raises_code
from tests.support.cron_samples import croniter_runs, random_cron_bodies

UTC = timezone.utc
AFTER = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday

#: AWS's association examples (cron and rate tables, the offset example, the seconds note).
DOCUMENTED = {
    "cron(0/30 * * * ? *)": "every 30 minutes",
    "cron(0 0/1 * * ? *)": "every hour",
    "cron(0 0/2 * * ? *)": "every 2 hours",
    "cron(0 0/4 * * ? *)": "every 4 hours",
    "cron(0 0/8 * * ? *)": "every 8 hours",
    "cron(0 0/12 * * ? *)": "every 12 hours",
    "cron(15 13 ? * * *)": "daily",
    "cron(15 13 ? * MON *)": "weekly",
    "cron(0 */30 * * * ? *)": "every 30 minutes",
    "cron(0 0 ? * THU#2 *)": "monthly, THU #2",
    "cron(0 0 ? * 3L *)": "monthly, last TUE",
    "cron(0 0 2 ? * SUN *)": "weekly",
    "cron(0 16 ? * TUE *)": "weekly",
    "rate(30 minutes)": "rate",
    "rate(1 hour)": "rate",
    "rate(5 hours)": "rate",
    "rate(15 days)": "rate",
    "rate(7 days)": "rate",
    "at(2030-07-07T15:55:00)": "once",
}


@pytest.mark.parametrize("text", sorted(DOCUMENTED))
def test_every_documented_example_is_accepted_and_named(text):
    assert AssociationSchedule.expression(text).form == DOCUMENTED[text]


def test_documented_examples_run_when_aws_says():
    def first(text: str, count: int = 3, **kwargs) -> list:
        return [run.strftime("%a %Y-%m-%d %H:%M") for run in
                AssociationSchedule.expression(text, **kwargs).next_runs(count, after=AFTER)]

    assert first("cron(0/30 * * * ? *)") == ["Mon 2024-01-01 00:30", "Mon 2024-01-01 01:00", "Mon 2024-01-01 01:30"]
    assert first("cron(0 0/4 * * ? *)") == ["Mon 2024-01-01 04:00", "Mon 2024-01-01 08:00", "Mon 2024-01-01 12:00"]
    assert first("cron(15 13 ? * MON *)") == ["Mon 2024-01-01 13:15", "Mon 2024-01-08 13:15", "Mon 2024-01-15 13:15"]
    # "the second Thursday of each month ... offset 3: the next Sunday, three days later"
    assert first("cron(0 0 ? * THU#2 *)", schedule_offset=3) == [
        "Sun 2024-01-14 00:00", "Sun 2024-02-11 00:00", "Sun 2024-03-17 00:00"]
    assert first("cron(0 0 ? * 3L *)", 2) == ["Tue 2024-01-30 00:00", "Tue 2024-02-27 00:00"]
    # a rate counts from when the association is created
    created = AFTER + timedelta(minutes=7)
    assert AssociationSchedule.expression("rate(1 hour)").next_runs(2, after=created, created=created) == [
        created + timedelta(hours=1), created + timedelta(hours=2)]


REFUSED = {
    "cron(0 0/3 * * ? *)": "AssociationCronUnsupported",  # every 3 hours: not one of 1, 2, 4, 8, 12
    "cron(0/15 * * * ? *)": "AssociationCronUnsupported",  # every 15 minutes
    "cron(0 1,13,20 * * ? *)": "AssociationCronUnsupported",  # hours that are no repeat
    "cron(0 2 15 * ? *)": "AssociationCronUnsupported",  # a day of the month
    "cron(0 2 L * ? *)": "AssociationCronUnsupported",  # the last day of the month
    "cron(0 2 ? JAN MON *)": "AssociationCronUnsupported",  # a month
    "cron(0 2 ? * MON 2030)": "AssociationCronUnsupported",  # a year
    "cron(30 0 2 ? * MON *)": "AssociationCronUnsupported",  # seconds other than 0
    "cron(0,30 8 ? * MON *)": "AssociationCronUnsupported",  # two times on a weekly day
    "cron(0 0/4 ? * MON *)": "AssociationCronUnsupported",  # a repeat on one week day
    "rate(29 minutes)": "AssociationRateOutOfRange",
    "rate(31 days)": "AssociationRateOutOfRange",
    "rate(744 hours)": "AssociationRateOutOfRange",
    "rate(5 minutes)": "AssociationRateOutOfRange",
    "cron(0 2 ? * MON)": "CronFieldCount",  # the window grammar's own errors still apply
    "rate(1 hours)": "RateUnitNumber",
    "weekly": "ScheduleSyntax",
}


@pytest.mark.parametrize("text", sorted(REFUSED))
def test_fails_when_state_manager_would_refuse_the_schedule(text):
    with raises_code(REFUSED[text]) as error:
        AssociationSchedule.expression(text)
    assert repr(text)[1:-1] in str(error.value) or text == "weekly"


def test_the_rate_range_ends_are_exact():
    low, high = ASSOCIATION_RATE_MINUTES
    assert AssociationSchedule.expression(f"rate({low} minutes)").rate_minutes == 30
    assert AssociationSchedule.expression(f"rate({high - 1} minutes)").rate_minutes == high - 1
    assert AssociationSchedule.expression("rate(30 days)").form == "rate"


def test_fails_when_an_offset_is_given_to_a_rate_or_a_value_out_of_range():
    with raises_code("ScheduleOffsetNotCron"):
        AssociationSchedule.expression("rate(1 day)", schedule_offset=2)
    with raises_code("ScheduleOffsetRange"):
        AssociationSchedule.expression("cron(0 2 ? * MON *)", schedule_offset=7)


def test_factories_write_the_forms_state_manager_takes():
    assert AssociationSchedule.daily(hour=3, minute=30).expression_string == "cron(30 3 ? * * *)"
    assert AssociationSchedule.weekly("SUN", hour=2).expression_string == "cron(0 2 ? * SUN *)"
    assert AssociationSchedule.weekly("THU#2", hour=2, schedule_offset=3).schedule_offset == 3
    assert AssociationSchedule.every_hours(4, minute=15).expression_string == "cron(15 0/4 * * ? *)"
    assert AssociationSchedule.rate(timedelta(days=1)).expression_string == "rate(1 day)"
    when = datetime(2030, 1, 1, 2, tzinfo=UTC)
    assert AssociationSchedule.at(when).next_runs(2, after=AFTER) == [when]


@pytest.mark.parametrize("call, code", [
    (lambda: AssociationSchedule.every_hours(3), "AssociationCronUnsupported"),
    (lambda: AssociationSchedule.every_hours(True), "AssociationCronUnsupported"),
    (lambda: AssociationSchedule.daily(hour=24), "CronValueOutOfRange"),
    (lambda: AssociationSchedule.daily(hour=2, minute=-1), "CronValueOutOfRange"),
    (lambda: AssociationSchedule.weekly("MON 2", hour=1), "InvalidType"),
    (lambda: AssociationSchedule.weekly("FUNDAY", hour=1), "CronSyntax"),
    (lambda: AssociationSchedule.rate(timedelta(minutes=10)), "AssociationRateOutOfRange"),
    (lambda: AssociationSchedule.rate("1 day"), "InvalidType"),
])
def test_fails_when_a_factory_is_given_what_state_manager_refuses(call, code):
    with raises_code(code):
        call()


def _repeat_of(runs: list) -> str:
    """How a list of runs repeats, read from the runs alone: the same times every day, evenly
    spread over the day every 30 minutes, 1, 2, 4, 8 or 12 hours, or once a day ("daily"); one
    time on some days of each week ("weekly"); at most once a month ("monthly"); else "other"."""
    if not runs:
        return "monthly"
    by_day: dict = {}
    for run in runs:
        by_day.setdefault(run.date(), []).append(run.hour * 60 + run.minute)
    times = {tuple(minutes) for minutes in by_day.values()}
    span = (runs[-1].date() - runs[0].date()).days + 1
    if len(by_day) == span and span > 7 and len(times) <= 3:  # every day (the first and last may be partial)
        full = max(times, key=len)
        gaps = {b - a for a, b in zip(full, full[1:])} | ({1440 - full[-1] + full[0]} if len(full) > 1 else set())
        if len(full) == 1 or (len(gaps) == 1 and gaps <= {30, 60, 120, 240, 480, 720}):
            return "daily"
        return "other"
    if len(times) == 1 and len(next(iter(times))) == 1:
        weekdays = {day.weekday() for day in by_day}
        if len(by_day) > len(weekdays):  # days of the week that come back
            return "weekly"
        months = [(day.year, day.month) for day in by_day]
        return "monthly" if len(set(months)) == len(months) else "other"
    return "other"


def test_every_cron_is_refused_or_runs_in_a_documented_repeat():
    """1000 random crons of the window grammar: each is refused with AssociationCronUnsupported,
    or its runs over ten weeks repeat every 30 minutes, 1, 2, 4, 8 or 12 hours, daily, weekly or
    once a month, and agree with aws-croniter's (UTC: associations have no time zone)."""
    from mw_constructs import ValidationError

    pytest.importorskip("aws_croniter")
    accepted = refused = 0
    for index, body in enumerate(random_cron_bodies(1000, seed=23) + _association_shaped(300)):
        text = f"cron({body})"
        try:
            schedule = AssociationSchedule.expression(text)
        except ValidationError as error:
            assert error.code == "AssociationCronUnsupported" and index < 1000, (text, error)  # shaped ones pass
            refused += 1
            continue
        accepted += 1
        after = AFTER + timedelta(days=index)
        runs = schedule.next_runs(400, after=after)
        runs = [run for run in runs if run < after + timedelta(weeks=10)]
        assert _repeat_of(runs) != "other", (text, schedule.form, runs[:5])
        theirs, _ = croniter_runs(body, None, after, len(runs))
        assert runs[:len(theirs)] == theirs and (theirs or not runs), text
    assert accepted > 380 and refused > 800, (accepted, refused)


def _association_shaped(count: int) -> list:
    """Random crons of the shapes State Manager documents (each must be accepted)."""
    import random

    rnd = random.Random(2023)
    days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    bodies = []
    for _ in range(count):
        minute, hour, step = rnd.randint(0, 59), rnd.randint(0, 23), rnd.choice([1, 2, 4, 8, 12])
        bodies.append(rnd.choice([
            f"{rnd.randint(0, 29)}/30 * * * ? *",
            f"{minute} {rnd.randint(0, step - 1)}/{step} * * ? *",
            f"{minute} {hour} ? * * *",
            f"{minute} {hour} * * ? *",
            f"{minute} {hour} ? * {rnd.choice(days)} *",
            f"{minute} {hour} ? * {rnd.choice(days)}#{rnd.randint(1, 5)} *",
            f"{minute} {hour} ? * {rnd.randint(1, 7)}L *",
        ]))
    return bodies


def test_an_association_cron_runs_as_the_same_cron_of_a_window_in_utc():
    for text in ("cron(0 0/2 * * ? *)", "cron(15 13 ? * MON,THU *)", "cron(0 3 ? * 5#1 *)"):
        assert AssociationSchedule.expression(text).next_runs(10, after=AFTER) == \
            WindowSchedule.expression(text).next_runs(10, after=AFTER)


def test_near_misses_of_the_documented_shapes_are_refused():
    """Crons one step away from a documented shape (every 3 or 6 hours, every 15 or 20 minutes,
    a day of the month, a month, a repeat on some week days) are refused, each of 300."""
    import random

    from mw_constructs import ValidationError

    rnd = random.Random(7)
    for _ in range(300):
        minute, hour = rnd.randint(0, 59), rnd.randint(0, 23)
        body = rnd.choice([
            f"{minute} {rnd.randint(0, 2)}/{rnd.choice([3, 5, 6, 7, 9, 10, 11])} * * ? *",
            f"{rnd.randint(0, 9)}/{rnd.choice([10, 15, 20, 45])} * * * ? *",
            f"{minute} {hour} {rnd.randint(1, 28)} * ? *",
            f"{minute} {hour} ? {rnd.randint(1, 12)} * *",
            f"{minute} 0/{rnd.choice([2, 4])} ? * MON-FRI *",
            f"{minute},{(minute + 30) % 60} {hour} * * ? *",
        ])
        with pytest.raises(ValidationError) as error:
            AssociationSchedule.expression(f"cron({body})")
        assert error.value.code == "AssociationCronUnsupported", body
