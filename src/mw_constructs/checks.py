"""Schedule checks: suspicious but legal window setups, found before anything is deployed.

Pure Python. Each check looks at plain :class:`WindowFacts` (built from constructs at
synthesis, or from synthesized templates by ``mw-constructs check``) and returns
:class:`Finding` s whose ids are public API (registered in ``mw_constructs.WARNING_IDS``;
acknowledge one with ``Annotations.of(window).acknowledge_warning(id, reason)``).

* ``mw-constructs:OverlappingStarts``: the schedule may start the window again while a run is still going.
* ``mw-constructs:ProductionBeforeNonProduction``: production patches first in some cycle.
* ``mw-constructs:PatchGroupWindowsOverlap``: windows of one patch group that install are open at once.
* ``mw-constructs:TimeoutExceedsCutoff``: a task can run past the end of its window.
* ``mw-constructs:FixedOffsetTimeZone``: ``EST`` and the like, which ignore daylight saving time.
* ``mw-constructs:RateWithoutStartDate``: a rate window whose runs depend on when it is deployed.
* ``mw-constructs:FollowTheSunOverlap``: follow-the-sun windows of one tier open at once in two Regions.
* ``mw-constructs:NumericWeekday``: a day-of-week written as a number (SSM: 1 = SUN ... 7 = SAT).
* ``mw-constructs:NoFutureRuns``: the window never opens again (an at(...) or end date in the past).
* ``mw-constructs:CronWrappingRange``: a cron range that runs backwards (``23-5``), read as Quartz does.
* ``mw-constructs:LastDayOfWeek``: a bare ``L`` in day-of-week, which is Saturday.
* ``mw-constructs:AtWithTimeZone``: a time zone with ``at(...)``, which AWS documents as UTC.

Where the windows are deployed scopes the checks: patch-group overlaps are looked for among the
windows of one account and Region (``WindowFacts.environment``), the order of production and
non-production among the windows of one Region (``WindowFacts.region``), and follow-the-sun
overlaps across Regions. Windows whose account or Region is not known count as one environment.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import combinations, pairwise
from typing import Any, Callable, Dict, FrozenSet, Hashable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from ._internal.validate import check_warning_id, plural
from .schedule import WindowRun, WindowSchedule, window_runs
from .schedule.cron import DAY_NAMES, CronSpec, week_day_field, wrapping_range_advice, wrapping_ranges
from .schedule.presets import NON_PRODUCTION_TIER, PRODUCTION_TIER
from .schedule.zones import fixed_offset_zone_advice

__all__ = ["WindowFacts", "Finding", "PatchGroupOverlap", "analyse", "overlaps_by_patch_group", "patch_group_overlaps_in",
           "follow_the_sun_overlaps",
           "placeable", "HORIZON_DAYS",
           "ACKNOWLEDGED_METADATA", "TIER_METADATA"]

#: How far ahead the cross-window checks look.
HORIZON_DAYS = 366
#: Construct metadata of a window (in the cloud assembly, at the window's path): the warning ids
#: of these checks that the app acknowledged on it, recorded at synthesis for ``mw-constructs check``.
ACKNOWLEDGED_METADATA = "mw-constructs:acknowledged"
#: Template metadata of a window resource: its tier (``production`` / ``non-production``).
TIER_METADATA = "mw-constructs:tier"
#: Runs the cross-window checks read per window: up to a year of them, at most ``_MAX_RUNS``, and
#: fewer when many windows need them, so that the work stays bounded (about ``_RUN_BUDGET`` runs in
#: all: 5,000 windows of one patch group are checked in a few seconds). Every window keeps at least
#: ``_MIN_RUNS``, a year of a weekly window; denser windows are read over a shorter horizon.
_MAX_RUNS = 3000
_MIN_RUNS = 60
_RUN_BUDGET = 300_000


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
    #: Every task of the window only scans (AWS-RunPatchBaseline with Operation Scan): it changes
    #: nothing on the instances, so it does not collide with another window's patching.
    scan_only: bool = False


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
class PatchGroupOverlap:
    """Windows of one patch group that are open at the same time and do not only scan: the
    windows involved (in the order given), the first two that overlap and when, and for each
    window (by ``id``) the indexes of its runs that overlap a run of another window of the group."""

    patch_group: str
    windows: Tuple[WindowFacts, ...]
    first: Tuple[WindowFacts, WindowFacts, datetime]
    runs: Mapping[int, FrozenSet[int]] = field(default_factory=dict)


def analyse(windows: Sequence[WindowFacts], *, after: Optional[datetime] = None) -> List[Finding]:
    """Run every check over ``windows``, looking a year ahead from ``after`` (default now)."""
    after = after or datetime.now(timezone.utc)
    findings: List[Finding] = []
    first_runs: Dict[Tuple[WindowSchedule, int, int], bool] = {}  # whether a schedule runs again, per schedule
    for window in windows:
        findings += overlapping_starts(window)
        findings += timeouts_past_cutoff(window)
        findings += fixed_offset_time_zone(window)
        findings += rate_without_start_date(window)
        findings += numeric_week_days(window)
        findings += cron_quirks(window)
        findings += at_with_time_zone(window)
        findings += no_future_runs(window, after, first_runs)
    runs = _RunCache(after, windows=sum(1 for window in windows if placeable(window)))
    for same_region in _grouped(windows, lambda window: window.region):
        findings += production_before_non_production(same_region, runs, after)
    findings += patch_group_overlaps(windows, runs)
    findings += follow_the_sun_overlaps(windows, runs)
    return findings


def _grouped(windows: Sequence[WindowFacts], key: Callable[[WindowFacts], Hashable]) -> List[List[WindowFacts]]:
    groups: Dict[Hashable, List[WindowFacts]] = {}
    for window in windows:
        groups.setdefault(key(window), []).append(window)
    return list(groups.values())


class _RunCache:
    """Runs of each window over the horizon, computed only for windows a check needs, and once
    for all windows with the same schedule, duration and cutoff (a fleet's windows often share
    one; the runs are only read)."""

    def __init__(self, after: datetime, *, windows: int = 1) -> None:
        self.after = after
        self.before = after + timedelta(days=HORIZON_DAYS)
        self.count = max(_MIN_RUNS, min(_MAX_RUNS, _RUN_BUDGET // max(windows, 1)))
        self._runs: Dict[Tuple[WindowSchedule, int, int], List[WindowRun]] = {}

    def __getitem__(self, window: WindowFacts) -> List[WindowRun]:
        assert window.schedule is not None
        key = (window.schedule, window.duration_hours, window.cutoff_hours)
        if key not in self._runs:
            self._runs[key] = window_runs(
                window.schedule, duration_hours=window.duration_hours, cutoff_hours=window.cutoff_hours,
                count=self.count, after=self.after, before=self.before,
            )
        return self._runs[key]


def placeable(window: WindowFacts) -> bool:
    """True when the window's runs are known at synthesis: not a token, not read in a zone per
    Region (the window facts carry each Region's copy), and not a rate schedule without a start
    date (SSM counts those from the moment it creates the window)."""
    schedule = window.schedule
    if schedule is None or schedule.kind == "token" or schedule.time_zones is not None:  # zones: one per Region
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
            f"{schedule.expression_string} opens the window every {_minutes(gap)} and a run may go on for up to "
            f"{plural(duration, 'hour')} (its tasks may start until {_last_start(window)} after it opens). SSM skips a "
            f"start only while the previous execution is still running (SKIPPED_OVERLAPPING): whenever a run's tasks "
            f"take longer than {_minutes(gap)}, the next start is skipped. If every run should have the whole window, "
            f"{fix[0].lower()}{fix[1:]}"
        ))]
    spec = schedule.parsed_cron
    if spec is None:  # an at(...) or a token
        return []
    starts = sorted(h * 60 + m for h in spec.hours for m in spec.minutes)
    gaps = [b - a for a, b in pairwise(starts)]
    if not gaps or min(gaps) >= open_minutes:
        return []
    close = sum(1 for gap in gaps if gap < open_minutes)
    return [Finding("mw-constructs:OverlappingStarts", window, (
        f"{schedule.expression_string} starts the window {len(starts)} times a day, as little as {_minutes(min(gaps))} "
        f"apart, and a run may go on for up to {plural(duration, 'hour')}: SSM skips a start while the previous "
        f"execution is still running (SKIPPED_OVERLAPPING), so up to {close} of the day's starts may be skipped when "
        f"runs take longer than the gap before the next start. Every cron match opens a new window; an hour list or "
        f"range does not mean 'open between these hours'.{_overlap_advice(schedule, spec, duration, min(gaps))}"
    ))]


def _overlap_advice(schedule: WindowSchedule, spec: CronSpec, duration: int, min_gap: int) -> str:
    """The single window the starts of a cron (``spec``) evidently describe, or a duration that
    fits, or nothing."""
    hours = sorted(spec.hours)
    if len(spec.minutes) == 1 and 1 < len(hours) < 24:  # all 24 hours have no gap: no single window is meant
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


def _last_start(window: WindowFacts) -> str:
    """How long after opening a run's tasks may still start (duration minus cutoff), in words."""
    return plural(window.duration_hours - window.cutoff_hours, "hour")


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


def numeric_week_days(window: WindowFacts) -> List[Finding]:
    """A day-of-week written with plain numbers (``7``, ``2-6``, ``1,4``): SSM counts 1 = SUN ... 7 =
    SAT, Unix cron 0 or 7 = Sunday and 1 = Monday, so the same digits name other days in the other
    grammar. ``nL`` and ``n#k`` are left alone: Unix cron has neither, the Quartz grammar they come
    from numbers days as SSM does, and AWS documents them with numbers (``6L``, ``5#3``)."""
    spec = window.schedule.parsed_cron if window.schedule is not None else None
    if spec is None:
        return []
    text = week_day_field(spec)
    if "#" in text or "L" in text or not re.search(r"(?<!/)[0-9]", text):  # in */s the s is a count, not a day
        return []
    named = re.sub(r"(?<![/0-9])([1-7])", lambda match: DAY_NAMES[int(match.group(1)) - 1], text)
    return [Finding("mw-constructs:NumericWeekday", window, (
        f"day-of-week {text!r} of {window.schedule.expression_string if window.schedule else ''} is read the SSM way, "
        f"1 = SUN ... 7 = SAT, so it means {named!r}; in Unix cron 1 is Monday and 7 (or 0) is Sunday. Write the day "
        f"names ({named!r}) so no reader takes it the other way."
    ))]


def at_with_time_zone(window: WindowFacts) -> List[Finding]:
    """A one-time ``at(...)`` with a time zone: AWS documents ``at()`` as UTC and does not say
    whether ``ScheduleTimezone`` applies to it. The library reads it as UTC."""
    schedule = window.schedule
    if schedule is None or schedule.kind != "at" or (schedule.time_zone is None and schedule.time_zones is None):
        return []
    zone = schedule.time_zone or ", ".join(schedule.time_zones.regions if schedule.time_zones else ())
    return [Finding("mw-constructs:AtWithTimeZone", window, (
        f"{schedule.expression_string} is given time_zone {zone!r}: AWS documents at() as a UTC timestamp and does not "
        f"say whether ScheduleTimezone applies to it, so the window may open at that time in UTC (as mw-constructs "
        f"previews it) or in {zone}. Give the time in UTC and drop time_zone (WindowSchedule.at(datetime) converts)."
    ))]


def cron_quirks(window: WindowFacts) -> List[Finding]:
    """Forms AWS does not spell out, read the way the library reads them: a range that runs
    backwards (``23-5``, read as Quartz reads it) and a bare ``L`` in day-of-week (Saturday)."""
    spec = window.schedule.parsed_cron if window.schedule is not None else None
    if spec is None:
        return []
    findings = [Finding("mw-constructs:CronWrappingRange", window, wrapping_range_advice(spec, wrap))
                for wrap in wrapping_ranges(spec)]
    if week_day_field(spec) == "L":
        findings.append(Finding("mw-constructs:LastDayOfWeek", window, (
            f"day-of-week 'L' of cron({spec.text}) is the last day of the week, Saturday (AWS: 'L' in day-of-week "
            f"'specifies the last day of the ... week'): the window opens every Saturday. Write 'SAT' if that is "
            f"meant; for the last day of the month put 'L' in day-of-month ('L * ? *' after the hours), for the last "
            f"Saturday of the month write '7L'."
        )))
    return findings


def no_future_runs(window: WindowFacts, after: datetime,
                   known: Optional[Dict[Tuple[WindowSchedule, int, int], bool]] = None) -> List[Finding]:
    """A window that never opens after ``after``: a one-time ``at(...)``, an ``end_date`` or the
    cron's years all in the past. SSM creates it; it just never runs. ``known`` keeps the answer
    per schedule, duration and cutoff across calls with the same ``after``."""
    schedule = window.schedule
    if schedule is None or not placeable(window):
        return []
    key = (schedule, window.duration_hours, window.cutoff_hours)
    runs_again = None if known is None else known.get(key)
    if runs_again is None:
        runs_again = bool(window_runs(schedule, duration_hours=window.duration_hours, cutoff_hours=window.cutoff_hours,
                                      count=1, after=after))
        if known is not None:
            known[key] = runs_again
    if runs_again:
        return []
    why = (f"end_date {schedule.end_date.isoformat()} has passed" if schedule.end_date is not None and schedule.end_date <= after
           else f"{schedule.expression_string} has no run after {after.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC")
    return [Finding("mw-constructs:NoFutureRuns", window, (
        f"the window never opens again: {why}. SSM creates it, but no task of it will run. Move the date, or remove "
        f"the window."
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
    """Windows of one patch group open at the same time where a patch run could meet another:
    one finding per patch group and placement, naming its windows."""
    placed = [w for w in windows if _may_collide(w)]
    findings = []
    for overlap in patch_group_overlaps_in(placed, _RunsById(runs, placed)):
        first, second, moment = overlap.first
        names = [str(w.name) for w in overlap.windows]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        findings.append(Finding("mw-constructs:PatchGroupWindowsOverlap", overlap.windows[0], (
            f"windows {listed} {'both' if len(names) == 2 else 'all'} target patch group {overlap.patch_group} and are open at the same time, first "
            f"{first.name} and {second.name} on {moment.astimezone(timezone.utc):%a %Y-%m-%d %H:%M} UTC: two patch "
            f"runs on the same instances may collide. Move a window, split the patch group, or let one of them only "
            f"scan."
        )))
    return findings


def patch_group_overlaps_in(windows: Sequence[WindowFacts],
                            runs: Mapping[int, Sequence[WindowRun]]) -> List[PatchGroupOverlap]:
    """The patch-group overlaps among ``windows`` that ``check`` reports and ``calendar`` outlines:
    per placement (``WindowFacts.environment``) and patch group, among windows whose runs are known
    and that do not only scan (a scan changes nothing on the instances: scan, then install, is a
    deliberate pattern). ``runs`` maps ``id(window)`` to its runs."""
    found = []
    for same_place in _grouped([w for w in windows if _may_collide(w) and id(w) in runs], lambda w: w.environment):
        users = Counter(group for w in same_place for group in w.patch_groups)
        shared = [w for w in same_place if any(users[group] > 1 for group in w.patch_groups)]  # only these can overlap
        found += overlaps_by_patch_group(shared, runs)
    return found


class _RunsById(Mapping[int, Sequence[WindowRun]]):
    """``id(window)`` -> its runs, computed on first use (only windows that share a patch group
    with another need them)."""

    def __init__(self, cache: "_RunCache", windows: Sequence[WindowFacts]) -> None:
        self._cache = cache
        self._windows = {id(window): window for window in windows}

    def __getitem__(self, key: int) -> Sequence[WindowRun]:
        return self._cache[self._windows[key]]

    def __contains__(self, key: object) -> bool:  # without computing the runs, as Mapping's would
        return key in self._windows

    def __iter__(self) -> Iterator[int]:
        return iter(self._windows)

    def __len__(self) -> int:
        return len(self._windows)


def _may_collide(window: WindowFacts) -> bool:
    return placeable(window) and bool(window.patch_groups) and not window.scan_only


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


def overlaps_by_patch_group(windows: Sequence[WindowFacts],
                            runs: Mapping[int, Sequence[WindowRun]]) -> List[PatchGroupOverlap]:
    """For each patch group, the windows of ``windows`` that target it and are open at the same
    time as another of them (skipped runs never overlap), found in one sweep over their runs.

    ``runs`` maps ``id(window)`` to its runs, in order; windows without an entry are left out.
    The cost grows with the number of runs (sorted once per patch group), not with the number of
    pairs of windows."""
    by_group: Dict[str, List[WindowFacts]] = {}
    for window in windows:
        if id(window) in runs:
            for group in sorted(window.patch_groups):
                by_group.setdefault(group, []).append(window)
    found = []
    for group, members in sorted(by_group.items()):
        if len(members) < 2:
            continue
        overlap = _sweep(group, members, runs)
        if overlap is not None:
            found.append(overlap)
    return found


def _sweep(group: str, members: Sequence[WindowFacts], runs: Mapping[int, Sequence[WindowRun]]) -> Optional[PatchGroupOverlap]:
    """One patch group's overlaps: each run that opens while a run of another window is open
    marks both. A window's own runs never overlap (a start during an open run is skipped)."""
    events = sorted((run.opens.astimezone(timezone.utc), run.closes.astimezone(timezone.utc), index, number)
                    for index, window in enumerate(members) for number, run in enumerate(runs[id(window)])
                    if not run.skipped)
    open_runs: List[Tuple[datetime, int, int]] = []  # heap of (closes, window index, run number)
    open_per_window: Counter[int] = Counter()
    unmarked: List[Tuple[int, int]] = []  # open runs not yet known to overlap another window's
    marked: Dict[int, Set[int]] = {}
    first: Optional[Tuple[int, int, datetime]] = None
    for opens, closes, index, number in events:
        while open_runs and open_runs[0][0] <= opens:
            _, ended, _ = heapq.heappop(open_runs)
            open_per_window[ended] -= 1
        if len(open_runs) > open_per_window[index]:  # a run of another window is open now
            if first is None:
                other = next(entry[1] for entry in open_runs if entry[1] != index)
                first = (other, index, opens)
            marked.setdefault(index, set()).add(number)
            for entry in unmarked:
                if entry[0] != index:
                    marked.setdefault(entry[0], set()).add(entry[1])
            unmarked = [entry for entry in unmarked if entry[0] == index]
        else:
            unmarked.append((index, number))
        heapq.heappush(open_runs, (closes, index, number))
        open_per_window[index] += 1
        unmarked = [entry for entry in unmarked if open_per_window[entry[0]]]  # keep it small
    if first is None:
        return None
    involved = tuple(window for index, window in enumerate(members) if index in marked)
    return PatchGroupOverlap(group, involved, (members[first[0]], members[first[1]], first[2]),
                             {id(members[index]): frozenset(numbers) for index, numbers in marked.items()})


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
