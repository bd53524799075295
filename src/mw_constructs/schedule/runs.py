"""The runs of a window: when it opens, the last moment a task may start, when it closes.

Pure Python (no aws_cdk import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

from .durations import check_window_hours
from .expression import WindowSchedule

__all__ = ["WindowRun", "window_runs"]


@dataclass(frozen=True)
class WindowRun:
    """One execution of a window: when it opens, the last moment a task may start
    (``opens + duration - cutoff``) and when it closes, all in the schedule's zone.
    ``skipped`` is True when the window would open before its previous run has closed: SSM skips
    that start (and records SKIPPED_OVERLAPPING) only if the previous execution is still running
    then, which depends on how long its tasks take, so the run *may* be skipped. A run not marked
    opens however long the tasks before it take."""

    opens: datetime
    cutoff: datetime
    closes: datetime
    skipped: bool = False


def window_runs(
    schedule: WindowSchedule,
    *,
    duration_hours: int,
    cutoff_hours: int,
    count: int,
    after: datetime,
    before: Optional[datetime] = None,
) -> List[WindowRun]:
    """The next ``count`` runs (opening before ``before``, if given) of a window with this
    schedule, duration and cutoff.

    Durations are absolute time (a 5-hour window across a DST change still lasts 5 hours).
    """
    check_window_hours(duration_hours, cutoff_hours, duration_argument="duration_hours", cutoff_argument="cutoff_hours")
    runs: List[WindowRun] = []
    open_until: Optional[datetime] = None
    for opens in schedule.next_runs(count, after=after, before=before):
        zone = opens.tzinfo
        utc = opens.astimezone(timezone.utc)
        try:
            closes = (utc + timedelta(hours=duration_hours)).astimezone(zone)
            cutoff = (utc + timedelta(hours=duration_hours - cutoff_hours)).astimezone(zone)
        except OverflowError:  # closes after the end of year 9999, where Python's time ends: no more runs
            break
        skipped = open_until is not None and opens < open_until
        runs.append(WindowRun(opens, cutoff, closes, skipped))
        if not skipped:
            open_until = closes
    return runs
