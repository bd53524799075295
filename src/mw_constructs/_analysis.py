"""Schedule checks shared by the CDK annotations and ``mw-constructs check`` (pure Python).

Each check looks at plain ``WindowFacts`` (built from constructs at synth time, or from
synthesized templates by the CLI) and returns ``Finding`` s with a stable id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import combinations, pairwise
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Tuple

from .schedule import WindowRun, WindowSchedule, window_runs

OVERLAPPING_STARTS = "mw-constructs:OverlappingStarts"
PRODUCTION_FIRST = "mw-constructs:ProductionBeforeNonProduction"
PATCH_GROUP_OVERLAP = "mw-constructs:PatchGroupWindowsOverlap"
TIMEOUT_EXCEEDS_CUTOFF = "mw-constructs:TimeoutExceedsCutoff"
INVALID_WINDOW = "mw-constructs:InvalidWindow"

#: Every finding id, with what it means (public API, listed in the README).
FINDING_IDS = {
    OVERLAPPING_STARTS: "a window's schedule starts it again while it is still open; SSM skips those starts",
    PRODUCTION_FIRST: "in some patch cycle a production window opens before every non-production window",
    PATCH_GROUP_OVERLAP: "two windows targeting the same patch group are open at the same time",
    TIMEOUT_EXCEEDS_CUTOFF: "a task's timeout is longer than the window's cutoff, so it can run past the window's end",
    INVALID_WINDOW: "(CLI check, error) a synthesized window has a property SSM would reject",
}

HORIZON_DAYS = 366
MAX_RUNS = 3000


@dataclass(frozen=True, eq=False)
class WindowFacts:
    """What the checks need to know about one window."""

    name: Any  # a label for messages: a string, or anything whose str() is one (computed lazily)
    schedule: Optional[WindowSchedule]
    duration_hours: int
    cutoff_hours: int
    tier: Optional[str] = None
    patch_groups: FrozenSet[str] = frozenset()
    task_timeouts: Tuple[Tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Finding:
    """One result of a check."""

    id: str
    window: WindowFacts
    message: str
    level: str = "warning"


def analyse(windows: Sequence[WindowFacts], *, after: Optional[datetime] = None) -> List[Finding]:
    """Run every check over ``windows``, looking a year ahead from ``after`` (default now)."""
    after = after or datetime.now(timezone.utc)
    findings: List[Finding] = []
    for window in windows:
        findings += overlapping_starts(window)
        findings += timeouts_past_cutoff(window)
    runs = _RunCache(after)
    findings += production_before_non_production(windows, runs, after)
    findings += patch_group_overlaps(windows, runs)
    return findings


class _RunCache:
    """Runs of each window over the horizon, computed only for windows a check needs."""

    def __init__(self, after: datetime) -> None:
        self.after = after
        self.before = after + timedelta(days=HORIZON_DAYS)
        self._runs: Dict[int, List[WindowRun]] = {}

    def knows(self, window: WindowFacts) -> bool:
        return window.schedule is not None and window.schedule.kind != "token"

    def __getitem__(self, window: WindowFacts) -> List[WindowRun]:
        key = id(window)
        if key not in self._runs:
            self._runs[key] = window_runs(
                window.schedule, duration_hours=window.duration_hours, cutoff_hours=window.cutoff_hours,
                count=MAX_RUNS, after=self.after, before=self.before,
            )
        return self._runs[key]


def overlapping_starts(window: WindowFacts) -> List[Finding]:
    """A schedule whose consecutive starts are closer than the window's duration."""
    schedule = window.schedule
    if schedule is None or schedule.kind not in ("cron", "rate"):
        return []
    open_minutes = window.duration_hours * 60
    if schedule.kind == "rate":
        gap = schedule._rate_minutes
        if gap >= open_minutes:
            return []
        return [Finding(OVERLAPPING_STARTS, window, (
            f"{schedule.expression_string} opens the window every {gap} minutes but it stays open "
            f"{window.duration_hours} hours: SSM skips every start that falls while it is open "
            f"(SKIPPED_OVERLAPPING). Use a rate of at least {window.duration_hours} hours or a shorter duration."
        ))]
    spec = schedule._cron
    starts = sorted(h * 60 + m for h in spec.hours for m in spec.minutes)
    gaps = [b - a for a, b in pairwise(starts)]
    if not gaps or min(gaps) >= open_minutes:
        return []
    hours = sorted(spec.hours)
    first, last = hours[0], hours[-1]
    fix = (
        f"For one window from {first:02d}:00 to {last:02d}:00, use hour {first} with a duration of "
        f"{max(1, last - first)} hours."
        if len(hours) > 1 else "Use a single minute value, or a shorter duration."
    )
    skipped = sum(1 for gap in gaps if gap < open_minutes)
    return [Finding(OVERLAPPING_STARTS, window, (
        f"{schedule.expression_string} starts the window {len(starts)} times a day, {min(gaps)} minutes "
        f"apart, but each run stays open {window.duration_hours} hours: SSM skips starts while the window "
        f"is open (SKIPPED_OVERLAPPING), so up to {skipped} of them never run. Every cron match opens a new "
        f"window; an hour range does not mean 'open between these hours'. {fix}"
    ))]


def timeouts_past_cutoff(window: WindowFacts) -> List[Finding]:
    """Tasks whose timeout is longer than the time left after the last task may start."""
    limit = window.cutoff_hours * 3600
    return [
        Finding(TIMEOUT_EXCEEDS_CUTOFF, window, (
            f"task {task} has a timeout of {_human(seconds)} but the window's cutoff leaves "
            f"{_human(limit)} after the last task may start: a task started late can run past the end "
            f"of the window. Raise cutoff to at least {_ceil_hours(seconds)} hours or shorten the timeout."
        ))
        for task, seconds in window.task_timeouts
        if seconds > limit
    ]


def production_before_non_production(
    windows: Sequence[WindowFacts], runs: "_RunCache", after: datetime
) -> List[Finding]:
    """In a patch cycle (ISO week, or calendar month for monthly schedules), production
    should open only after some non-production window has. The cycle that contains
    ``after`` is not judged: its earlier runs are not known."""
    production = [w for w in windows if w.tier == "production" and runs.knows(w)]
    others = [w for w in windows if w.tier == "non-production" and runs.knows(w)]
    if not production or not others:
        return []
    non_production_opens = sorted(run.opens.astimezone(timezone.utc) for w in others for run in runs[w] if not run.skipped)
    findings = []
    for window in production:
        opens = [run.opens.astimezone(timezone.utc) for run in runs[window] if not run.skipped]
        monthly = _is_monthly(opens)
        cycle = _month if monthly else _iso_week
        first_non_production: Dict[tuple, datetime] = {}
        for moment in non_production_opens:
            first_non_production.setdefault(cycle(moment), moment)
        for moment in opens:
            if cycle(moment) == cycle(after.astimezone(timezone.utc)):
                continue
            earliest = first_non_production.get(cycle(moment))
            if earliest is None or moment < earliest:
                when = "no non-production window opens in that cycle" if earliest is None else (
                    f"the first non-production window of that cycle opens later, at {earliest:%Y-%m-%d %H:%M} UTC")
                findings.append(Finding(PRODUCTION_FIRST, window, (
                    f"production window opens {moment:%a %Y-%m-%d %H:%M} UTC, but {when} "
                    f"(cycle: {'calendar month' if monthly else 'ISO week'}). Patches would reach production "
                    f"before they were tried elsewhere; move production later in the cycle."
                )))
                break
    return findings


def patch_group_overlaps(windows: Sequence[WindowFacts], runs: "_RunCache") -> List[Finding]:
    """Two windows that target a common patch group and are open at the same time."""
    findings = []
    for first, second in combinations([w for w in windows if runs.knows(w) and w.patch_groups], 2):
        shared = first.patch_groups & second.patch_groups
        if not shared:
            continue
        clash = _first_overlap(runs[first], runs[second])
        if clash is not None:
            findings.append(Finding(PATCH_GROUP_OVERLAP, first, (
                f"windows {first.name} and {second.name} both target patch group(s) "
                f"{', '.join(sorted(shared))} and are open at the same time, first on "
                f"{clash:%a %Y-%m-%d %H:%M} UTC: two patch runs on the same instances may collide. "
                f"Move one window or split the patch groups."
            )))
    return findings


# ---------------------------------------------------------------------- helpers


def _first_overlap(a: List[WindowRun], b: List[WindowRun]) -> Optional[datetime]:
    a = [r for r in a if not r.skipped]
    b = [r for r in b if not r.skipped]
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].opens, b[j].opens)
        if start < min(a[i].closes, b[j].closes):
            return start.astimezone(timezone.utc)
        if a[i].closes <= b[j].closes:
            i += 1
        else:
            j += 1
    return None


def _is_monthly(opens: List[datetime]) -> bool:
    months = {(m.year, m.month) for m in opens}
    return bool(opens) and len(opens) <= len(months) * 1.5


def _month(moment: datetime) -> tuple:
    return (moment.year, moment.month)


def _iso_week(moment: datetime) -> tuple:
    return moment.isocalendar()[:2]


def _human(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _ceil_hours(seconds: int) -> int:
    return -(-seconds // 3600)
