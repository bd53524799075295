"""The SSM maintenance-window cron grammar: parse, validate, and describe a cron body.

Pure Python, no aws_cdk. ``parse_cron`` turns the text between ``cron(`` and ``)``
into a ``CronSpec`` (value sets per field plus the special day rules) or raises
ValidationError. Grammar (AWS "Reference: Cron and rate expressions for Systems
Manager"):

    [seconds] minutes hours day-of-month month day-of-week year

Library decisions for forms AWS does not document (see the docs' "Schedules" guide, "Schedule grammar"):
  * wrapping ranges such as ``23-5`` or ``FRI-MON`` are read as Quartz reads them
    (``23,0,1,...,5``; ``FRI,SAT,SUN,MON``), and the schedule checks warn
    (``mw-constructs:CronWrappingRange``, with the one-window fix for hours); a year range
    cannot wrap;
  * a bare ``L`` in day-of-week is Saturday, as AWS defines it ("the last day of the week")
    and Quartz reads it; the checks warn (``mw-constructs:LastDayOfWeek``);
  * ``L-n`` and ``LW`` in day-of-month are rejected (no AWS page gives them a meaning);
  * ``L``, ``nW``, ``nL`` and ``n#k`` must stand alone in their field (no lists);
  * the optional seconds field takes one value from 0 to 59 (0 included: AWS's
    own examples use it);
  * names are upper case (``MON``, ``JAN``), as in every AWS example.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Callable, FrozenSet, List, Optional, Set, Tuple

from .._internal.validate import fail, quote

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # SSM: 1 = SUN ... 7 = SAT
MINIMUM_INTERVAL_MINUTES = 5  # "Cron expressions that lead to rates faster than five (5) minute aren't supported."


@dataclass(frozen=True)
class Field:
    """One position of the cron body."""

    argument: str  # keyword of WindowSchedule.cron()
    title: str  # how the AWS documentation names the field
    low: int
    high: int
    names: Tuple[str, ...] = ()

    def name_of(self, value: int) -> str:
        return self.names[value - self.low] if self.names else str(value)


SECOND = Field("second", "seconds", 0, 59)
MINUTE = Field("minute", "minutes", 0, 59)
HOUR = Field("hour", "hours", 0, 23)
DAY = Field("day", "day-of-month", 1, 31)
MONTH = Field("month", "month", 1, 12, MONTH_NAMES)
WEEK_DAY = Field("week_day", "day-of-week", 1, 7, DAY_NAMES)
YEAR = Field("year", "year", 1970, 2199)
FIELDS_6 = (MINUTE, HOUR, DAY, MONTH, WEEK_DAY, YEAR)
FIELDS_7 = (SECOND,) + FIELDS_6


@dataclass(frozen=True)
class DayRule:
    """How one of the two day fields restricts the date.

    kind is one of: ``none`` (the field is ``?``), ``set`` (``values`` holds the
    days), ``last_day`` (DOM ``L``), ``nearest_weekday`` (DOM ``nW``; ``n``),
    ``last_weekday`` (DOW ``nL``: last weekday ``n`` of the month) or
    ``nth_weekday`` (DOW ``n#k``: the ``k``-th weekday ``n``).
    """

    kind: str
    values: FrozenSet[int] = frozenset()
    n: int = 0
    k: int = 0


@dataclass(frozen=True)
class CronSpec:
    """A validated cron body as value sets (the occurrence engine works on this)."""

    text: str
    second: Optional[int]
    minutes: FrozenSet[int]
    hours: FrozenSet[int]
    day_of_month: DayRule
    months: FrozenSet[int]
    day_of_week: DayRule
    years: FrozenSet[int]
    #: The ranges that run backwards (``23-5``), as read (the checks warn about them).
    wrapped: Tuple["WrappingRange", ...] = ()


Where = Callable[[Optional[Field]], str]


def week_day_field(spec: CronSpec) -> str:
    """The day-of-week field of a parsed cron, as written."""
    return spec.text.split(" ")[-2]


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() would also accept e.g. Arabic-Indic digits."""
    return re.fullmatch(r"[0-9]+", text) is not None


def parse_cron(body: str, where: Where) -> CronSpec:
    """Parse and validate a cron body; ``where(field)`` names the field in messages."""
    parts = body.split(" ")
    if len(parts) not in (6, 7) or any(part == "" for part in parts):
        fail(
            "CronFieldCount",
            f"{where(None)} must have 6 fields (minutes hours day-of-month month day-of-week year), "
            f"optionally preceded by seconds, separated by single spaces: got {len(body.split())} "
            f"field(s) in {quote(body)}. Unix-style 5-field crons need a year: add ' *'.",
        )
    fields = FIELDS_7 if len(parts) == 7 else FIELDS_6
    texts = dict(zip(fields, parts, strict=True))
    second = _parse_second(texts[SECOND], where) if SECOND in texts else None
    wrapped: List[WrappingRange] = []
    minutes = _parse_values(texts[MINUTE], MINUTE, where, wrapped)
    hours = _parse_values(texts[HOUR], HOUR, where, wrapped)
    months = _parse_values(texts[MONTH], MONTH, where, wrapped)
    years = _parse_values(texts[YEAR], YEAR, where, wrapped)
    day_of_month = _parse_day_of_month(texts[DAY], where, wrapped)
    day_of_week = _parse_day_of_week(texts[WEEK_DAY], where, wrapped)
    _check_one_day_field(day_of_month, day_of_week, texts[DAY], texts[WEEK_DAY], where)
    in_field_order = sorted(wrapped, key=lambda wrap: fields.index(wrap.field))
    spec = CronSpec(body, second, minutes, hours, day_of_month, months, day_of_week, years, tuple(in_field_order))
    _check_frequency(spec, where)
    _check_reachable_day(spec, where)
    _check_some_year_has_the_day(spec, where)
    return spec


# ---------------------------------------------------------------- single fields


def _parse_second(text: str, where: Where) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > 59:
        fail(
            "CronSyntax",
            f"{where(SECOND)} must be one number from 0 to 59: got {quote(text)}. "
            f"Several values per minute would start a window more often than every "
            f"{MINIMUM_INTERVAL_MINUTES} minutes; drop the seconds field to start on the minute.",
        )
    return int(text)


def _parse_values(text: str, field: Field, where: Where, wrapped: List["WrappingRange"]) -> FrozenSet[int]:
    """Parse ``, - * /`` lists of numbers or names into the set of values they select."""
    if text == "?":
        fail(
            "CronSyntax",
            f"{where(field)} cannot be '?': only day-of-month and day-of-week take '?'. Use '*'.",
        )
    values: Set[int] = set()
    for item in text.split(","):
        values |= _parse_item(item, text, field, where, wrapped)
    return frozenset(values)


def _parse_item(item: str, whole: str, field: Field, where: Where, wrapped: List["WrappingRange"]) -> Set[int]:
    base, step = _split_step(item, whole, field, where)
    if base == "*":
        start, end = field.low, field.high
    elif "-" in base:
        first, _, last = base.partition("-")
        start, end = _value(first, whole, field, where), _value(last, whole, field, where)
        if start > end:
            if field is YEAR:
                fail("CronSyntax", f"{where(field)} range {quote(base)} runs backwards: years do not wrap around. "
                                   f"Write it from the earlier year, {quote(f'{end}-{start}')}.")
            values = _wrapped(field, start, end)
            wrapped.append(WrappingRange(field, base, tuple(values)))
            return set(values[::step or 1])
    else:
        start = _value(base, whole, field, where)
        end = field.high if step is not None else start
    return set(range(start, end + 1, step or 1))


def _wrapped(field: Field, start: int, end: int) -> List[int]:
    """A range that runs backwards, read as Quartz (the grammar's origin) reads it: through the
    end of the field and on from its start (hours 23-5 = 23,0,1,...,5; FRI-MON = FRI,SAT,SUN,MON)."""
    return list(range(start, field.high + 1)) + list(range(field.low, end + 1))


@dataclass(frozen=True)
class WrappingRange:
    """A range of a cron that runs backwards (``23-5``), which AWS does not document."""

    field: Field
    text: str  # the range as written, without a step
    values: Tuple[int, ...]  # what it selects, in the order it wraps


def wrapping_ranges(spec: CronSpec) -> List[WrappingRange]:
    """The ranges of ``spec`` that run backwards, in field order."""
    return list(spec.wrapped)


def wrapping_range_advice(spec: CronSpec, wrap: WrappingRange) -> str:
    """What a wrapping range selects, and the fix where one is evident (an hour range that was
    meant as one window from that night into the next morning)."""
    listed = ",".join(wrap.field.name_of(v) for v in wrap.values)
    backwards = (f"{wrap.field.title} range {quote(wrap.text)} of cron({spec.text}) runs backwards "
                 f"({wrap.field.name_of(wrap.values[0])} is after {wrap.field.name_of(wrap.values[-1])}). AWS does not "
                 f"document wrapping ranges; mw-constructs reads it as Quartz (the grammar's origin) does: "
                 f"{quote(listed)}.")
    if wrap.field is not HOUR:
        return f"{backwards} Write the list to say so plainly."
    start, end = wrap.values[0], wrap.values[-1]
    hours = (end - start) % 24
    parts = spec.text.split(" ")
    minute_text = parts[len(parts) - 6]
    minute = int(minute_text) if _is_number(minute_text) else 0
    fixed = ""
    if parts[len(parts) - 5] == wrap.text:
        parts[len(parts) - 5] = str(start)
        fixed = f": {quote('cron(' + ' '.join(parts) + ')')} with duration=Duration.hours({hours})"
    return (f"{backwards} Every cron match opens a new window, so this opens {len(wrap.values)} separate windows, all "
            f"on each matching day itself (from 00:{minute:02d} to {end:02d}:{minute:02d}, and at "
            f"{start:02d}:{minute:02d}). If you meant one window from {start:02d}:{minute:02d} until "
            f"{end:02d}:{minute:02d} the next morning, start it once at {start:02d}:{minute:02d} and give the window a "
            f"duration of {hours} hour{'' if hours == 1 else 's'}{fixed}.")


def _split_step(item: str, whole: str, field: Field, where: Where) -> Tuple[str, Optional[int]]:
    if "/" not in item:
        return item, None
    base, _, step_text = item.partition("/")
    span = field.high - field.low + 1
    if not _is_number(step_text) or not 1 <= int(step_text) <= span or not base:
        fail(
            "CronSyntax",
            f"{where(field)} has an invalid increment {quote(item)} in {quote(whole)}: write "
            f"start/step or */step with a step from 1 to {span}, e.g. '0/15'.",
        )
    return base, int(step_text)


def _value(token: str, whole: str, field: Field, where: Where) -> int:
    if field.names and token in field.names:
        return field.low + field.names.index(token)
    if field.names and token.upper() in field.names:
        fail(
            "CronUnsupportedForm",
            f"{where(field)} {quote(whole)}: write names in upper case ({quote(token.upper())}), "
            f"as AWS documents them.",
        )
    if not _is_number(token):
        names = f" or {field.names[0]}-{field.names[-1]}" if field.names else ""
        fail(
            "CronSyntax",
            f"{where(field)} {quote(whole)} is not valid: {quote(token)} is not a number"
            f"{names}. Allowed: values {field.low}-{field.high}{names} combined with ', - * /'.",
        )
    value = int(token)
    if not field.low <= value <= field.high:
        hint = ""
        if field is WEEK_DAY:
            hint = " In SSM 1 = SUN and 7 = SAT; 0 is not Sunday."
        fail(
            "CronValueOutOfRange",
            f"{where(field)} {quote(whole)} is out of range: {field.title} values run from "
            f"{field.low} to {field.high}, got {value}.{hint}",
        )
    return value


# ---------------------------------------------------------------- day fields


def _parse_day_of_month(text: str, where: Where, wrapped: List["WrappingRange"]) -> DayRule:
    if text == "?":
        return DayRule("none")
    if text == "L":
        return DayRule("last_day")
    if text.startswith("L") and len(text) > 1:
        fail(
            "CronUnsupportedForm",
            f"{where(DAY)} {quote(text)} is not part of the SSM cron grammar (AWS documents 'L' "
            f"and 'nW' only). Use 'L' for the last day of the month or e.g. '28W' for the weekday "
            f"nearest the 28th.",
        )
    match = re.fullmatch(r"([0-9]{1,2})W", text)
    if match:
        day = int(match.group(1))
        if not 1 <= day <= 31:
            fail("CronValueOutOfRange", f"{where(DAY)} {quote(text)}: the day before 'W' must be 1-31.")
        return DayRule("nearest_weekday", n=day)
    if "L" in text or "W" in text or "#" in text:
        fail(
            "CronUnsupportedForm",
            f"{where(DAY)} {quote(text)}: 'L' and 'nW' must stand alone in day-of-month, and '#' "
            f"belongs in day-of-week.",
        )
    return DayRule("set", values=_parse_values(text, DAY, where, wrapped))


def _parse_day_of_week(text: str, where: Where, wrapped: List["WrappingRange"]) -> DayRule:
    if text == "?":
        return DayRule("none")
    if text == "L":  # AWS: "the last day of the ... week"; Quartz: 7 (SAT). checks.py warns.
        return DayRule("set", values=frozenset({WEEK_DAY.high}))
    if "#" in text:
        return _parse_nth_weekday(text, where)
    match = re.fullmatch(r"([1-7]|[A-Z]{3})L", text)
    if match:
        return DayRule("last_weekday", n=_value(match.group(1), text, WEEK_DAY, where))
    if "L" in text:  # no day name contains an L
        fail(
            "CronUnsupportedForm",
            f"{where(WEEK_DAY)} {quote(text)}: 'nL' (last weekday n of the month) must stand alone, "
            f"e.g. '6L' or 'FRIL'.",
        )
    return DayRule("set", values=_parse_values(text, WEEK_DAY, where, wrapped))


def _parse_nth_weekday(text: str, where: Where) -> DayRule:
    if text.count("#") > 1 or "," in text:
        fail(
            "CronUnsupportedForm",
            f"{where(WEEK_DAY)} {quote(text)}: only one 'n#k' expression is allowed and it must "
            f"stand alone (AWS reads '3#1,6#3' as two expressions). Use one window per weekday.",
        )
    day_text, _, k_text = text.partition("#")
    day = _value(day_text, text, WEEK_DAY, where)
    if not _is_number(k_text) or not 1 <= int(k_text) <= 5:
        fail(
            "CronValueOutOfRange",
            f"{where(WEEK_DAY)} {quote(text)}: the number after '#' must be 1 to 5 (the k-th "
            f"weekday of the month).",
        )
    return DayRule("nth_weekday", n=day, k=int(k_text))


def _check_one_day_field(dom: DayRule, dow: DayRule, dom_text: str, dow_text: str, where: Where) -> None:
    if dom.kind == "none" and dow.kind == "none":
        fail(
            "CronDaysMissing",
            f"{where(None)}: day-of-month and day-of-week are both '?'; exactly one of them must "
            f"be '?'. Use '*' in day-of-month to run every day.",
        )
    if dom.kind != "none" and dow.kind != "none":
        fail(
            "CronDaysConflict",
            f"{where(None)}: day-of-month ({quote(dom_text)}) and day-of-week ({quote(dow_text)}) "
            f"cannot both be set; use '?' in one of them, e.g. day-of-month '?' with day-of-week "
            f"{quote(dow_text)}, or day-of-week '?' with day-of-month {quote(dom_text)}.",
        )


# ---------------------------------------------------------------- whole-expression rules


def _check_frequency(spec: CronSpec, where: Where) -> None:
    """Reject crons that can start windows less than five minutes apart."""
    minutes = sorted(spec.minutes)
    gaps = [b - a for a, b in pairwise(minutes)]
    if _has_consecutive_hours(spec.hours):
        gaps.append(60 - minutes[-1] + minutes[0])
    if gaps and min(gaps) < MINIMUM_INTERVAL_MINUTES:
        fail(
            "CronTooFrequent",
            f"{where(MINUTE)} {quote(_minutes_text(spec))} starts windows {min(gaps)} minute(s) apart; "
            f"SSM does not support crons faster than every {MINIMUM_INTERVAL_MINUTES} minutes. "
            f"Use fewer minute values, e.g. '0/{MINIMUM_INTERVAL_MINUTES}' or '0'.",
        )


def _minutes_text(spec: CronSpec) -> str:
    parts = spec.text.split(" ")
    return parts[1] if len(parts) == 7 else parts[0]


def _has_consecutive_hours(hours: FrozenSet[int]) -> bool:
    # 23 -> 0 counts too (conservatively: the next day may also be selected).
    return any((hour + 1) % 24 in hours for hour in hours)


def _check_reachable_day(spec: CronSpec, where: Where) -> None:
    """Reject fixed days that no selected month has (e.g. day 30 in February only)."""
    rule = spec.day_of_month
    if rule.kind == "set":
        days = rule.values
    elif rule.kind == "nearest_weekday":
        days = frozenset({rule.n})
    else:
        return
    longest = max(_month_length(month) for month in spec.months)
    if min(days) > longest:
        fail(
            "CronNeverRuns",
            f"{where(None)} never runs: no selected month has day {min(days)} "
            f"(the longest has {longest} days). Use 'L' for the last day of the month.",
        )


def _month_length(month: int) -> int:
    return calendar.monthrange(2024, month)[1]  # 2024 is a leap year: February has 29 days


def _check_some_year_has_the_day(spec: CronSpec, where: Where) -> None:
    """Reject a cron whose selected years have no day it selects: 29 February in years that are
    not leap years (``cron(0 0 29 FEB ? 2100)``), a fifth Friday in months of those years that
    have four (``cron(0 0 ? FEB 6#5 2026)``)."""
    for year in sorted(spec.years):
        for month in sorted(spec.months):
            if _has_day(spec, year, month):
                return
    years = sorted(spec.years)
    shown = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    fail("CronNeverRuns", f"{where(None)} never runs: none of its months in {shown} has the day it selects. Check the "
                          f"year field, or the day (29 FEB needs a leap year; n#5 needs a month with five of that day).")


def _has_day(spec: CronSpec, year: int, month: int) -> bool:
    first_weekday, length = calendar.monthrange(year, month)  # Monday is 0
    dom, dow = spec.day_of_month, spec.day_of_week
    if dom.kind == "set":
        return min(dom.values) <= length
    if dom.kind == "nearest_weekday":
        return dom.n <= length
    if dom.kind == "last_day" or dow.kind in ("set", "last_weekday"):
        return True
    if dow.kind == "nth_weekday":  # SSM counts 1 = SUN: Python's weekday of SUN is 6
        python_weekday = (dow.n + 5) % 7
        first = 1 + (python_weekday - first_weekday) % 7
        return first + 7 * (dow.k - 1) <= length
    return True
