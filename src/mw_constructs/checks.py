"""Schedule checks: suspicious but legal window setups, found before anything is deployed.

Pure Python. Each check looks at plain :class:`WindowFacts` (built from constructs at
synthesis, or from synthesized templates by ``mw-constructs check``) and returns
:class:`Finding` s whose ids are public API (registered in ``mw_constructs.WARNING_IDS``;
acknowledge one with ``Annotations.of(window).acknowledge_warning(id, reason)``).

* ``mw-constructs:OverlappingStarts``: the schedule starts the window again while it is open.
* ``mw-constructs:ProductionBeforeNonProduction``: production patches first in some cycle.
* ``mw-constructs:PatchGroupWindowsOverlap``: two windows of one patch group are open at once.
* ``mw-constructs:TimeoutExceedsCutoff``: a task can run past the end of its window.
* ``mw-constructs:FixedOffsetTimeZone``: ``EST`` and the like, which ignore daylight saving time.
* ``mw-constructs:RateWithoutStartDate``: a rate window whose runs depend on when it is deployed.
* ``mw-constructs:FollowTheSunOverlap``: follow-the-sun windows of one tier open at once in two Regions.

Where the windows are deployed scopes the checks: patch-group overlaps are looked for among the
windows of one account and Region (``WindowFacts.environment``), the order of production and
non-production among the windows of one Region (``WindowFacts.region``), and follow-the-sun
overlaps across Regions. Windows whose account or Region is not known count as one environment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import combinations, pairwise
from typing import Any, Callable, Dict, FrozenSet, Hashable, Iterator, List, Mapping, Optional, Sequence, Tuple

from ._internal.validate import plural
from ._internal.validate import check_warning_id
from .schedule.presets import NON_PRODUCTION_TIER, PRODUCTION_TIER
from .schedule import WindowRun, WindowSchedule, window_runs
from .schedule.cron import CronSpec
from .schedule.zones import fixed_offset_zone_advice

__all__ = ["WindowFacts", "Finding", "PatchGroupClash", "analyse", "patch_group_clashes", "follow_the_sun_overlaps",
           "placeable", "HORIZON_DAYS",
           "ACKNOWLEDGED_METADATA", "TIER_METADATA"]

#: How far ahead the cross-window checks look.
HORIZON_DAYS = 366
#: Construct metadata of a window (in the cloud assembly, at the window's path): the warning ids
#: of these checks that the app acknowledged on it, recorded at synthesis for ``mw-constructs check``.
ACKNOWLEDGED_METADATA = "mw-constructs:acknowledged"
#: Template metadata of a window resource: its tier (``production`` / ``non-production``).
TIER_METADATA = "mw-constructs:tier"
_MAX_RUNS = 3000


@dataclass(frozen=True, eq=False)
class WindowFacts:
    """What the checks need to know about one window."""

    name: Any  # a label for messages: a string, or anything whose str() is one (computed lazily)
    schedule: Optional[WindowSchedule]  # None when not known at synthesis (a token)
    duration_hours: int
    cutoff_hours: int
    tier: Optional[str] = None
    patch_groups: FrozenSet[str] = frozenset()
    task_timeouts: Tuple[Tuple[str, int], ...] = ()
    #: The Region it runs in (its schedule is read there), None when not known.
    region: Optional[str] = None
    #: Where it is deployed: windows with equal values share instances and baselines. The library
    #: gives a :class:`~mw_constructs.schedule.placement.Placement` (account and Region, or a
    #: StackSet's organizational units and Region); any hashable value works. None (the default)
    #: for every window whose account and Region are unknown.
    environment: Hashable = None
    #: One of the per-Region copies of a follow-the-sun window (a RegionalTimeZones schedule).
    follow_the_sun: bool = False


@dataclass(frozen=True)
class Finding:
    """One result of a check: a registered warning id, the window, and what to do about it."""

    id: str
    window: WindowFacts
    message: str
    level: str = "warning"

    def __post_init__(self) -> None:
        check_warning_id(self.id)


@dataclass(frozen=True)
class PatchGroupClash:
    """Two windows sharing patch groups, and every pair of their runs open at the same time
    (indexes into the run lists the clash was computed from)."""

    first: WindowFacts
    second: WindowFacts
    patch_groups: FrozenSet[str]
    runs: Tuple[Tuple[int, int], ...] = field(default=())


def analyse(windows: Sequence[WindowFacts], *, after: Optional[datetime] = None) -> List[Finding]:
    """Run every check over ``windows``, looking a year ahead from ``after`` (default now)."""
    after = after or datetime.now(timezone.utc)
    findings: List[Finding] = []
    for window in windows:
        findings += overlapping_starts(window)
        findings += timeouts_past_cutoff(window)
        findings += fixed_offset_time_zone(window)
        findings += rate_without_start_date(window)
    runs = _RunCache(after)
    for same_region in _grouped(windows, lambda window: window.region):
        findings += production_before_non_production(same_region, runs, after)
    for same_environment in _grouped(windows, lambda window: window.environment):
        findings += patch_group_overlaps(same_environment, runs)
    findings += follow_the_sun_overlaps(windows, runs)
    return findings


def _grouped(windows: Sequence[WindowFacts], key: Callable[[WindowFacts], Hashable]) -> List[List[WindowFacts]]:
    groups: Dict[Hashable, List[WindowFacts]] = {}
    for window in windows:
        groups.setdefault(key(window), []).append(window)
    return list(groups.values())


class _RunCache:
    """Runs of each window over the horizon, computed only for windows a check needs."""

    def __init__(self, after: datetime) -> None:
        self.after = after
        self.before = after + timedelta(days=HORIZON_DAYS)
        self._runs: Dict[int, List[WindowRun]] = {}

    def __getitem__(self, window: WindowFacts) -> List[WindowRun]:
        key = id(window)
        if key not in self._runs:
            assert window.schedule is not None
            self._runs[key] = window_runs(
                window.schedule, duration_hours=window.duration_hours, cutoff_hours=window.cutoff_hours,
                count=_MAX_RUNS, after=self.after, before=self.before,
            )
        return self._runs[key]


def placeable(window: WindowFacts) -> bool:
    """True when the window's runs are known at synthesis: not a token, and not a rate
    schedule without a start date (SSM counts those from the moment it creates the window)."""
    schedule = window.schedule
    if schedule is None or schedule.kind == "token":
        return False
    return not (schedule.kind == "rate" and schedule.start_date is None)


# ---------------------------------------------------------------------- one window


def overlapping_starts(window: WindowFacts) -> List[Finding]:
    """A schedule whose consecutive starts are closer than the window's duration."""
    schedule = window.schedule
    if schedule is None:
        return []
    duration = window.duration_hours
    open_minutes = duration * 60
    gap = schedule.rate_minutes
    if gap is not None:
        if gap >= open_minutes:
            return []
        fix = f"Use a rate of at least {plural(duration, 'hour')}"
        fix += f", or a duration of at most {plural(gap // 60, 'hour')}." if gap >= 60 else "."
        return [Finding("mw-constructs:OverlappingStarts", window, (
            f"{schedule.expression_string} opens the window every {_minutes(gap)} but it stays open "
            f"{plural(duration, 'hour')}: SSM skips every start that falls while it is open "
            f"(SKIPPED_OVERLAPPING). {fix}"
        ))]
    spec = schedule.parsed_cron
    if spec is None:  # an at(...) or a token
        return []
    starts = sorted(h * 60 + m for h in spec.hours for m in spec.minutes)
    gaps = [b - a for a, b in pairwise(starts)]
    if not gaps or min(gaps) >= open_minutes:
        return []
    skipped = sum(1 for gap in gaps if gap < open_minutes)
    return [Finding("mw-constructs:OverlappingStarts", window, (
        f"{schedule.expression_string} starts the window {len(starts)} times a day, as little as {_minutes(min(gaps))} "
        f"apart, but each run stays open {plural(duration, 'hour')}: SSM skips starts while the window is open "
        f"(SKIPPED_OVERLAPPING), so up to {skipped} of them never run. Every cron match opens a new window; an "
        f"hour list or range does not mean 'open between these hours'.{_overlap_advice(schedule, spec, duration, min(gaps))}"
    ))]


def _overlap_advice(schedule: WindowSchedule, spec: CronSpec, duration: int, min_gap: int) -> str:
    """The single window the starts of a cron (``spec``) evidently describe, or a duration that
    fits, or nothing."""
    hours = sorted(spec.hours)
    if len(spec.minutes) == 1 and len(hours) > 1:
        # The hours as a circle: a block of consecutive hours is one night's or day's window.
        circular_gaps = [((b - a) % 24, b) for a, b in zip(hours, hours[1:] + hours[:1], strict=True)]
        widest, first = max(circular_gaps)
        if all(gap == 1 for gap, start in circular_gaps if start != first):
            last = (first - widest) % 24
            span = (last - first) % 24
            (minute,) = spec.minutes
            meant = (f" If you meant one window from {first:02d}:{minute:02d} to {last:02d}:{minute:02d}"
                     f"{' the next morning' if last < first else ''}, start it once at hour {first} ({_with_hour(schedule, first)})")
            if duration >= span:
                return f"{meant}: its duration of {plural(duration, 'hour')} already keeps it open until then."
            return f"{meant} with a duration of {plural(span, 'hour')}."
    if len(spec.minutes) > 1 and len(hours) == 1:
        return " Use a single minute value."
    if min_gap >= 60:
        return f" Or shorten the duration to at most {plural(min_gap // 60, 'hour')}, so each run ends before the next starts."
    return ""


def _with_hour(schedule: WindowSchedule, hour: int) -> str:
    body = schedule.expression_string[len("cron("):-1].split(" ")
    body[len(body) - 5] = str(hour)
    return f"cron({' '.join(body)})"


def timeouts_past_cutoff(window: WindowFacts) -> List[Finding]:
    """Tasks whose timeout is longer than the time left after the last task may start."""
    findings = []
    limit = window.cutoff_hours * 3600
    for task, seconds in window.task_timeouts:
        if seconds <= limit:
            continue
        needed = -(-seconds // 3600)
        if needed < window.duration_hours:
            fix = f"Raise cutoff to at least {plural(needed, 'hour')}, or shorten the timeout."
        elif needed <= 23:
            fix = (f"A cutoff must stay below the duration: lengthen the window to at least {plural(needed + 1, 'hour')} "
                   f"with a cutoff of {plural(needed, 'hour')}, or shorten the timeout.")
        else:
            fix = "Shorten the timeout: a cutoff can be at most 23 hours."
        findings.append(Finding("mw-constructs:TimeoutExceedsCutoff", window, (
            f"task {task} has a timeout of {_human(seconds)} but the window's cutoff leaves "
            f"{_human(limit)} after the last task may start: a task started at the last moment can run past the "
            f"end of the window. {fix}"
        )))
    return findings


def fixed_offset_time_zone(window: WindowFacts) -> List[Finding]:
    """A schedule read in a legacy fixed-offset zone such as ``EST``."""
    advice = fixed_offset_zone_advice(window.schedule.time_zone if window.schedule is not None else None)
    return [Finding("mw-constructs:FixedOffsetTimeZone", window, advice)] if advice else []


def rate_without_start_date(window: WindowFacts) -> List[Finding]:
    """A rate window that takes part in cross-window checks but whose runs cannot be placed."""
    schedule = window.schedule
    if schedule is None or schedule.kind != "rate" or schedule.start_date is not None:
        return []
    if window.tier is None and not window.patch_groups:
        return []
    roles = []
    if window.patch_groups:
        roles.append(f"overlaps with other windows of patch group(s) {', '.join(sorted(window.patch_groups))}")
    if window.tier is not None:
        roles.append("the order of production and non-production windows")
    return [Finding("mw-constructs:RateWithoutStartDate", window, (
        f"{schedule.expression_string} has no start_date, so SSM counts its runs from the moment it creates the "
        f"window: {' and '.join(roles)} cannot be checked before it is deployed. Give the schedule a start_date "
        f"to fix its runs."
    ))]


# ---------------------------------------------------------------------- several windows


def production_before_non_production(
    windows: Sequence[WindowFacts], runs: "_RunCache", after: datetime
) -> List[Finding]:
    """In a patch cycle (ISO week, or calendar month for monthly schedules), production
    should open only after some non-production window has. The cycle that contains
    ``after`` is not judged: its earlier runs are not known."""
    production = [w for w in windows if w.tier == PRODUCTION_TIER and placeable(w)]
    others = [w for w in windows if w.tier == NON_PRODUCTION_TIER and placeable(w)]
    if not production or not others:
        return []
    non_production_opens = sorted(run.opens.astimezone(timezone.utc) for w in others for run in runs[w] if not run.skipped)
    findings = []
    for window in production:
        opens = [run.opens.astimezone(timezone.utc) for run in runs[window] if not run.skipped]
        monthly = _is_monthly(opens)
        cycle = _month if monthly else _iso_week
        first_non_production: Dict[Tuple[int, int], datetime] = {}
        for moment in non_production_opens:
            first_non_production.setdefault(cycle(moment), moment)
        for moment in opens:
            if cycle(moment) == cycle(after.astimezone(timezone.utc)):
                continue
            earliest = first_non_production.get(cycle(moment))
            if earliest is None or moment < earliest:
                when = "no non-production window opens in that cycle" if earliest is None else (
                    f"the first non-production window of that cycle opens later, at {earliest:%Y-%m-%d %H:%M} UTC")
                findings.append(Finding("mw-constructs:ProductionBeforeNonProduction", window, (
                    f"production window opens {moment:%a %Y-%m-%d %H:%M} UTC, but {when} "
                    f"(cycle: {'calendar month' if monthly else 'ISO week'}). Patches would reach production "
                    f"before they were tried elsewhere; move production later in the cycle."
                )))
                break
    return findings


def patch_group_overlaps(windows: Sequence[WindowFacts], runs: "_RunCache") -> List[Finding]:
    """Two windows that target a common patch group and are open at the same time."""
    placed = [w for w in windows if placeable(w)]
    users = Counter(group for w in placed for group in w.patch_groups)
    shared = [w for w in placed if any(users[group] > 1 for group in w.patch_groups)]  # only these can clash
    findings = []
    for clash in patch_group_clashes(shared, {id(w): runs[w] for w in shared}, first_only=True):
        a, b = clash.runs[0]
        moment = max(runs[clash.first][a].opens, runs[clash.second][b].opens).astimezone(timezone.utc)
        findings.append(Finding("mw-constructs:PatchGroupWindowsOverlap", clash.first, (
            f"windows {clash.first.name} and {clash.second.name} both target patch group(s) "
            f"{', '.join(sorted(clash.patch_groups))} and are open at the same time, first on "
            f"{moment:%a %Y-%m-%d %H:%M} UTC: two patch runs on the same instances may collide. "
            f"Move one window or split the patch groups."
        )))
    return findings


def follow_the_sun_overlaps(windows: Sequence[WindowFacts], runs: "_RunCache") -> List[Finding]:
    """Follow-the-sun windows of one tier (or, without a tier, copies of one window) that are
    open at the same time in two Regions: the point of following the sun is that the Regions
    take turns."""
    groups = _grouped([w for w in windows if w.follow_the_sun and placeable(w) and w.region is not None],
                      lambda window: window.tier or _base_name(window))
    findings = []
    seen = set()
    for group in groups:
        for first, second in combinations(group, 2):
            names = (str(first.name), str(second.name))
            if first.region == second.region or names in seen:  # one pair of copies in several accounts: once
                continue
            seen.add(names)
            pair = next(_overlapping_runs(runs[first], runs[second]), None)
            if pair is None:
                continue
            a, b = runs[first][pair[0]], runs[second][pair[1]]
            findings.append(Finding("mw-constructs:FollowTheSunOverlap", first, (
                f"follow-the-sun windows {first.name} and {second.name}"
                f"{f' (tier {first.tier})' if first.tier else ''} are open at the same time in {first.region} and "
                f"{second.region}: {a.opens:%a %Y-%m-%d %H:%M %Z} to {a.closes:%H:%M %Z} overlaps "
                f"{b.opens:%a %H:%M %Z} to {b.closes:%H:%M %Z} "
                f"({max(a.opens, b.opens).astimezone(timezone.utc):%a %H:%M} UTC). Shorten the windows, or move "
                f"one Region's local start so the Regions take turns."
            )))
    return findings


def _base_name(window: WindowFacts) -> str:
    """A per-Region copy's label without its ' [region]' suffix."""
    label = str(window.name)
    suffix = f" [{window.region}]"
    return label[: -len(suffix)] if label.endswith(suffix) else label


def patch_group_clashes(
    windows: Sequence[WindowFacts], runs: Mapping[int, Sequence[WindowRun]], *, first_only: bool = False
) -> List[PatchGroupClash]:
    """Pairs of ``windows`` that share a patch group and have runs open at the same time.

    ``runs`` maps ``id(window)`` to its runs (in order); windows without an entry are left
    out. Skipped runs never clash. With ``first_only``, each clash holds its first pair only."""
    clashes = []
    for first, second in combinations([w for w in windows if id(w) in runs and w.patch_groups], 2):
        shared = first.patch_groups & second.patch_groups
        if not shared:
            continue
        pairs = []
        for pair in _overlapping_runs(runs[id(first)], runs[id(second)]):
            pairs.append(pair)
            if first_only:
                break
        if pairs:
            clashes.append(PatchGroupClash(first, second, frozenset(shared), tuple(pairs)))
    return clashes


# ---------------------------------------------------------------------- helpers


def _overlapping_runs(a: Sequence[WindowRun], b: Sequence[WindowRun]) -> Iterator[Tuple[int, int]]:
    """Index pairs of runs of ``a`` and ``b`` open at the same time, in order of time."""
    a_open = [(i, r) for i, r in enumerate(a) if not r.skipped]
    b_open = [(j, r) for j, r in enumerate(b) if not r.skipped]
    start_j = 0
    for i, run_a in a_open:
        while start_j < len(b_open) and b_open[start_j][1].closes <= run_a.opens:
            start_j += 1
        for j, run_b in b_open[start_j:]:
            if run_b.opens >= run_a.closes:
                break
            yield i, j


def _is_monthly(opens: List[datetime]) -> bool:
    months = {(m.year, m.month) for m in opens}
    return bool(opens) and len(opens) <= len(months) * 1.5


def _month(moment: datetime) -> Tuple[int, int]:
    return (moment.year, moment.month)


def _iso_week(moment: datetime) -> Tuple[int, int]:
    year, week, _ = moment.isocalendar()
    return (year, week)


def _minutes(minutes: int) -> str:
    return plural(minutes // 60, "hour") if minutes % 60 == 0 else plural(minutes, "minute")


def _human(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
