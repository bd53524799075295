"""Occurrence engine: when a WindowSchedule opens, computed in pure Python.

Cron expressions are evaluated on the wall clock of the schedule's IANA zone (UTC when
none). Library policy for daylight saving time, which SSM does not document; it follows
what AWS documents for EventBridge Scheduler:

* a start time that falls in a spring-forward gap does not exist that day: the run is
  skipped;
* a start time that occurs twice in a fall-back hour runs once, at its first occurrence.

``schedule_offset`` N: each cron match strictly after ``after`` opens the window N
calendar days later at the same wall time (AWS: a match that already passed is never
used, even if match + N is still ahead). Rate schedules run every interval of absolute
time from ``start_date``; without one, from ``after`` (as if deployed then). ``at`` runs
once. ``start_date`` (inclusive) and ``end_date`` (exclusive) bound the runs.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple
from zoneinfo import ZoneInfo

from .cron import CronSpec, DayRule

UTC = timezone.utc
_ONE_DAY = timedelta(days=1)


def zone_of(name: Optional[str]) -> tzinfo:
    """The tzinfo for an IANA name (``timezone.utc`` when None)."""
    return UTC if name is None else ZoneInfo(name)


# ---------------------------------------------------------------------- cron


class CronTimes:
    """The precomputed, sorted value lists of one CronSpec."""

    __slots__ = ("spec", "second", "times", "months", "years")

    def __init__(self, spec: CronSpec) -> None:
        self.spec = spec
        self.second = spec.second or 0
        self.times: Tuple[Tuple[int, int], ...] = tuple(
            (hour, minute) for hour in sorted(spec.hours) for minute in sorted(spec.minutes)
        )
        self.months = tuple(sorted(spec.months))
        self.years = tuple(sorted(spec.years))

    def wall_matches(self, start: datetime) -> Iterator[datetime]:
        """Naive wall-clock datetimes matching the cron, from ``start`` (inclusive) on."""
        start = start.replace(tzinfo=None)
        first_time = (start.hour, start.minute) if start.second <= self.second else (start.hour, start.minute + 1)
        for year in self.years[bisect_left(self.years, start.year):]:
            for month in self.months:
                if (year, month) < (start.year, start.month):
                    continue
                for day in matching_days(self.spec.day_of_month, self.spec.day_of_week, year, month):
                    if (year, month, day) < (start.year, start.month, start.day):
                        continue
                    same_day = (year, month, day) == (start.year, start.month, start.day)
                    times = self.times[bisect_left(self.times, first_time):] if same_day else self.times
                    for hour, minute in times:
                        yield datetime(year, month, day, hour, minute, self.second)


@lru_cache(maxsize=4096)
def matching_days(dom: DayRule, dow: DayRule, year: int, month: int) -> Tuple[int, ...]:
    """The days of ``year``-``month`` selected by the day-of-month / day-of-week rules."""
    first_weekday, length = calendar.monthrange(year, month)  # Monday = 0
    rule = dom if dom.kind != "none" else dow
    kind = rule.kind
    if rule is dom:
        if kind == "set":
            return tuple(day for day in sorted(rule.values) if day <= length)
        if kind == "last_day":
            return (length,)
        return _nearest_weekday(rule.n, first_weekday, length)
    # day-of-week rules; SSM numbers days 1 = SUN ... 7 = SAT
    ssm_weekday_of_first = (first_weekday + 1) % 7 + 1
    if kind == "set":
        return tuple(day for day in range(1, length + 1) if (ssm_weekday_of_first + day - 2) % 7 + 1 in rule.values)
    first = 1 + (rule.n - ssm_weekday_of_first) % 7  # first day of the month with that weekday
    if kind == "last_weekday":
        return (first + 7 * ((length - first) // 7),)
    day = first + 7 * (rule.k - 1)  # nth_weekday
    return (day,) if day <= length else ()


def _nearest_weekday(n: int, first_weekday: int, length: int) -> Tuple[int, ...]:
    """Quartz ``nW``: the weekday nearest day n, never leaving the month; none if n > length."""
    if n > length:
        return ()
    weekday = (first_weekday + n - 1) % 7  # Monday = 0
    if weekday == 5:  # Saturday: Friday before, or Monday after when n is the 1st
        return (n - 1,) if n > 1 else (n + 2,)
    if weekday == 6:  # Sunday: Monday after, or Friday before when n is the last day
        return (n + 1,) if n < length else (n - 2,)
    return (n,)


def resolve_wall_time(wall: datetime, zone: tzinfo) -> Optional[datetime]:
    """Attach ``zone`` to a naive wall time under the DST policy (None = skipped, in a gap)."""
    aware = wall.replace(tzinfo=zone)
    if zone is UTC:
        return aware
    before, after = aware.utcoffset(), aware.replace(fold=1).utcoffset()
    if before is not None and after is not None and before < after:  # spring forward: this wall time does not exist
        return None
    return aware  # fold=0: the first occurrence when the hour repeats


def cron_runs(times: CronTimes, zone: tzinfo, offset_days: int, after: datetime) -> Iterator[datetime]:
    """Aware run times strictly after ``after`` for a cron (with its offset), in order.

    A match counts when its (first-occurrence) instant is after ``after``; its run is the
    match's wall time ``offset_days`` later, attached to the zone under the DST policy.
    """
    local_after = after.astimezone(zone)
    for wall in times.wall_matches(local_after):
        if wall.replace(tzinfo=zone) <= after:
            continue
        run = resolve_wall_time(wall + timedelta(days=offset_days), zone)
        if run is not None:
            yield run


# ---------------------------------------------------------------------- rate, at


def rate_runs(minutes: int, anchor: datetime, zone: tzinfo, after: datetime) -> Iterator[datetime]:
    """``anchor + k * interval`` (absolute time) strictly after ``after``."""
    step = timedelta(minutes=minutes)
    try:
        anchor, after = anchor.astimezone(UTC), after.astimezone(UTC)  # same-zone arithmetic would be wall-clock
    except OverflowError:  # a start in the last hours of year 9999, after the end of Python's time: no runs
        return
    k = (after - anchor) // step + 1 if after >= anchor else 0
    last = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)  # runs end where datetime does (year 9999)
    run = anchor + k * step
    while run <= last:
        yield run.astimezone(zone)
        run += step


def first_runs(
    runs: Iterator[datetime], count: int, start: Optional[datetime], end: Optional[datetime]
) -> List[datetime]:
    """The first ``count`` runs inside [start, end)."""
    result: List[datetime] = []
    if count <= 0:
        return result
    for run in runs:
        if end is not None and run >= end:
            break
        if start is not None and run < start:
            continue
        result.append(run)
        if len(result) == count:
            break
    return result
