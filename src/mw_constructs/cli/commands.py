"""What the ``mw-constructs`` commands do, apart from parsing their arguments (pure Python)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import groupby
from typing import Dict, List, Sequence, Set, Tuple

from ..schedule.durations import check_window_hours
from ..schedule.engine import zone_of
from ..checks import Finding, WindowFacts, analyse, patch_group_overlaps_in
from ..coexistence import coexistence_advice
from .._internal.validate import check_warning_id
from ..errors import ValidationError
from ..schedule import REGION_TIME_ZONES, AssociationSchedule, RegionalTimeZones, WindowRun, WindowSchedule, window_runs
from ..readback import account
from ..readback.assembly import AssemblyAssociation, AssemblyWindow, invalid_window_findings, read_patching, read_windows
from .svg import CalendarRow, render

__all__ = ["calendar", "check", "preview"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# ---------------------------------------------------------------------- preview


def preview(arguments: argparse.Namespace) -> int:
    """``mw-constructs preview``: the next runs of one schedule (per Region with --follow-the-sun)."""
    if arguments.association:
        return _preview_association(arguments)
    if arguments.at_cron_interval_only:
        raise ValidationError("InvalidType", "--at-cron-interval-only is for --association: give both, or drop it.")
    check_window_hours(arguments.duration, arguments.cutoff, duration_argument="--duration", cutoff_argument="--cutoff")
    if arguments.follow_the_sun:
        return _preview_regions(arguments)
    schedule = WindowSchedule.expression(arguments.expression, time_zone=arguments.time_zone,
                                         schedule_offset=arguments.offset)
    runs = window_runs(schedule, duration_hours=arguments.duration, cutoff_hours=arguments.cutoff,
                       count=arguments.count, after=arguments.after)
    zone_name = schedule.time_zone or "UTC"
    offset = f", {schedule.schedule_offset} day(s) after each match" if schedule.schedule_offset else ""
    print(f"{schedule.expression_string} in {zone_name}{offset}: open {arguments.duration} h, "
          f"no new tasks in the last {arguments.cutoff} h")
    print(f"next {len(runs)} run(s) after {arguments.after.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(preview_table(runs, zone_name))
    if not runs:
        print("(no runs: the schedule has ended)")
    return 0


def _preview_association(arguments: argparse.Namespace) -> int:
    """The runs of a State Manager association's schedule, in UTC (associations have no zone)."""
    given = [option for option, value in (("--time-zone", arguments.time_zone), ("--follow-the-sun", arguments.follow_the_sun),
                                          ("--duration", arguments.duration != 1), ("--cutoff", arguments.cutoff != 0))
             if value]
    if given:
        raise ValidationError("InvalidType", f"{', '.join(given)} {'do' if len(given) > 1 else 'does'} not apply to "
                                             f"--association: an association runs in UTC and has no duration or cutoff. "
                                             f"Drop {'them' if len(given) > 1 else 'it'}.")
    schedule = AssociationSchedule.expression(arguments.expression, schedule_offset=arguments.offset)
    if arguments.at_cron_interval_only and schedule.kind == "rate":
        raise ValidationError("ApplyOnlyAtCronIntervalWithRate", f"--at-cron-interval-only cannot be used with "
                                                                 f"{schedule.expression_string}: SSM does not support it "
                                                                 f"for rate expressions.")
    if schedule.schedule_offset is not None and not arguments.at_cron_interval_only:
        raise ValidationError("ScheduleOffsetNeedsCronInterval", "--offset needs --at-cron-interval-only: SSM takes an "
                                                                 "association's offset only with ApplyOnlyAtCronInterval.")
    runs = schedule.next_runs(arguments.count, after=arguments.after, created=arguments.after)
    offset = f", {schedule.schedule_offset} day(s) after each match" if schedule.schedule_offset else ""
    print(f"association {schedule.expression_string} ({schedule.form}) in UTC{offset}")
    if arguments.at_cron_interval_only:
        print("ApplyOnlyAtCronInterval: it runs only on its schedule, not when created")
    else:
        print("it also runs as soon as it is created, and when a node starts matching its targets"
              + (" (a rate counts from then)" if schedule.kind == "rate" else ""))
    print(f"next {len(runs)} run(s) after {arguments.after.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    for number, run in enumerate(runs, 1):
        print(f"  {number:>3}  {run.astimezone(timezone.utc):%a %Y-%m-%d %H:%M} UTC")
    if not runs:
        print("(no runs: the schedule has ended)")
    return 0


def _preview_regions(arguments: argparse.Namespace) -> int:
    """One table per Region, each in its own zone, then every Region's runs together in UTC,
    and a warning where two Regions are open at once."""
    if arguments.time_zone is not None:
        raise ValidationError("InvalidType", "give --time-zone or --follow-the-sun, not both: with --follow-the-sun each "
                                             "Region's zone is its own (REGION=ZONE to choose it).")
    zones = RegionalTimeZones({region: zone or REGION_TIME_ZONES.get(region) or _no_zone(region)
                               for region, zone in arguments.follow_the_sun})
    schedule = WindowSchedule.expression(arguments.expression, time_zone=zones, schedule_offset=arguments.offset)
    facts, merged = [], []
    for region, zone_name in zones.items():
        local = schedule.in_region(region)
        runs = window_runs(local, duration_hours=arguments.duration, cutoff_hours=arguments.cutoff,
                           count=arguments.count, after=arguments.after)
        print(f"{region}: {schedule.expression_string} in {zone_name}, next {len(runs)} run(s)\n")
        print(preview_table(runs, zone_name))
        merged += [(run.opens.astimezone(timezone.utc), run.closes.astimezone(timezone.utc), region) for run in runs
                   if not run.skipped]
        facts.append(WindowFacts(name=f"{schedule.expression_string} [{region}]", schedule=local, region=region,
                                 duration_hours=arguments.duration, cutoff_hours=arguments.cutoff, follow_the_sun=True))
    print("All Regions in UTC:")
    for opens, closes, region in sorted(merged):
        print(f"  {opens:%a %Y-%m-%d %H:%M} to {closes:%a %H:%M} UTC  {region}")
    for finding in analyse(facts, after=arguments.after):
        print(f"\nwarning: {finding.id}\n  {finding.message}")
    return 0


def _no_zone(region: str) -> str:
    raise ValidationError("RegionWithoutTimeZone", f"--follow-the-sun {region}: the library knows no time zone for it; "
                                                   f"give one as {region}=Area/City.")


def preview_table(runs: Sequence[WindowRun], zone_name: str) -> str:
    """The runs as an aligned text table, in the schedule's zone and in UTC."""
    header = ["#", f"opens ({zone_name})", "last task start", "closes", "opens (UTC)", "last task start (UTC)", "closes (UTC)"]
    rows = [header]
    for number, run in enumerate(runs, 1):
        utc = [moment.astimezone(timezone.utc) for moment in (run.opens, run.cutoff, run.closes)]
        rows.append([
            str(number), f"{run.opens:%a %Y-%m-%d %H:%M %Z}", f"{run.cutoff:%a %H:%M %Z}", f"{run.closes:%a %H:%M %Z}",
            f"{utc[0]:%a %Y-%m-%d %H:%M}", f"{utc[1]:%a %H:%M}", f"{utc[2]:%a %H:%M}"
            + ("   may be skipped: the previous run may still be going" if run.skipped else ""),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1] for row in rows
    ).rstrip() + "\n"


# ---------------------------------------------------------------------- calendar


def calendar(arguments: argparse.Namespace) -> int:
    """``mw-constructs calendar``: the runs of every window of a cloud assembly, listed and (-o) drawn."""
    windows = read_windows(arguments.assembly)
    zone_name = arguments.time_zone or "UTC"
    zone = zone_of(arguments.time_zone)
    start = arguments.start or datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start = start.replace(tzinfo=zone) if start.tzinfo is None else start
    end = start + timedelta(weeks=arguments.weeks)
    rows = calendar_rows(windows, start, end)
    if arguments.history:
        history = account.past_executions(account.make_client(arguments.region, arguments.profile), windows, start, end)
        rows = [replace(row, executions=history.get(row.label, ())) for row in rows]
    associations = read_patching(arguments.assembly).associations
    association_rows = [association_row(association, start, end) for association in associations]
    if arguments.output is not None:  # written first: the listing may go to a pipe that closes early
        stacks = sorted({w.stack for w in windows} | {a.stack for a in associations})
        svg = render(rows + association_rows, start=start, end=end, zone=zone, zone_name=zone_name,
                     title=("Maintenance windows and associations of " if associations else "Maintenance windows of ")
                     + (", ".join(stacks) or "no stack"))
        arguments.output.write_text(svg)
    print(f"{len(windows)} window(s)" + (f" and {len(associations)} association(s)" if associations else "")
          + f" in {arguments.assembly}, {start:%Y-%m-%d} + {arguments.weeks} week(s):")
    for association, row in zip(associations, association_rows, strict=True):
        print(f"\n{row.label}\n  " + row.detail.replace("\n", "\n  "))
        for problem in association.problems:
            print(f"  not drawn: {problem}")
        for run in row.runs[:6]:
            print(f"  {run.opens.astimezone(zone):%a %Y-%m-%d %H:%M %Z}")
        if len(row.runs) > 6:
            print(f"  ... {len(row.runs) - 6} more" + (" (drawn as one band)" if row.dense_until is not None else ""))
    for window, row in zip(windows, rows, strict=True):
        print(f"\n{row.label}\n  " + row.detail.replace("\n", "\n  "))
        if window.problem:
            print(f"  not drawn: {window.problem}")
        for run in row.runs[:6]:
            print(f"  {'may be skipped ' if run.skipped else ''}{run.opens:%a %Y-%m-%d %H:%M %Z} to {run.closes:%a %H:%M %Z}")
        if row.dense_until is not None:
            print(f"  ... over {MAX_DRAWN_RUNS - 6} more: drawn as one band until "
                  f"{row.dense_until.astimezone(zone):%a %Y-%m-%d %H:%M %Z}")
        elif len(row.runs) > 6:
            print(f"  ... {len(row.runs) - 6} more")
        for execution in row.executions:
            print(f"  ran {execution.start.astimezone(zone):%a %Y-%m-%d %H:%M %Z}: {execution.status} ({execution.execution_id})")
    if len({window.region for window in windows}) > 1:
        print(f"\nAll Regions together, in {zone_name}:")
        together = sorted(((run.opens, row.label, run) for row in rows if row.dense_until is None
                           for run in row.runs if not run.skipped), key=lambda entry: entry[:2])
        for opens, label, run in together:
            print(f"  {opens.astimezone(zone):%a %Y-%m-%d %H:%M} to {run.closes.astimezone(zone):%a %H:%M %Z}  {label}")
        crowded = [row.label for row in rows if row.dense_until is not None]
        if crowded:
            print(f"  (not listed, too many runs: {', '.join(crowded)})")
    if arguments.output is None:
        print("\n(give -o FILE.svg to draw the calendar)")
    else:
        bands = sum(1 for row in rows + association_rows if row.dense_until is not None)
        drawn = sum(len(row.runs) for row in rows + association_rows if row.dense_until is None)
        print(f"\nwrote {arguments.output} ({len(rows)} window(s)"
              + (f", {len(association_rows)} association(s)" if association_rows else "") + f", {drawn} run(s)"
              + (f", {bands} row(s) with too many runs to draw one by one drawn as bands" if bands else "") + ")")
    return 0


#: Runs per window the calendar lists and draws one by one. A window with more in the period (an
#: hourly window has 672 in four weeks, a rate(5 minutes) one 8,064) is drawn as one band from its
#: first opening, so the work and the drawing stay bounded however dense the schedules are.
MAX_DRAWN_RUNS = 240


def calendar_rows(windows: Sequence[AssemblyWindow], start: datetime, end: datetime) -> List[CalendarRow]:
    """The calendar rows for ``windows`` between ``start`` and ``end``, patch-group clashes marked
    (among the runs drawn: the first ``MAX_DRAWN_RUNS`` of a dense window)."""
    computed: Dict[Tuple[WindowSchedule, int, int], List[WindowRun]] = {}  # once per schedule and spans: only read

    def runs_of(facts: WindowFacts, schedule: WindowSchedule) -> List[WindowRun]:
        key = (schedule, facts.duration_hours, facts.cutoff_hours)
        if key not in computed:
            computed[key] = window_runs(schedule, duration_hours=facts.duration_hours, cutoff_hours=facts.cutoff_hours,
                                        count=MAX_DRAWN_RUNS + 1, after=start - timedelta(microseconds=1), before=end)
        return computed[key]

    runs = {id(w.facts): runs_of(w.facts, w.facts.schedule) for w in windows if w.facts.schedule is not None}
    overlapping: dict[int, Set[int]] = {id(w.facts): set() for w in windows}
    for overlap in patch_group_overlaps_in([w.facts for w in windows], runs):  # what `check` reports
        for key, numbers in overlap.runs.items():
            overlapping[key] |= numbers
    rows = []
    for w in windows:
        found = runs.get(id(w.facts), [])
        dense_until = None
        if len(found) > MAX_DRAWN_RUNS:
            schedule_end = w.facts.schedule.end_date if w.facts.schedule is not None else None
            dense_until = min(end, schedule_end) if schedule_end is not None else end
        rows.append(CalendarRow(w.label, _detail(w, found, dense=dense_until is not None), found, overlapping[id(w.facts)],
                                title=_title(w), dense_until=dense_until))
    return rows


def association_row(association: AssemblyAssociation, start: datetime, end: datetime) -> CalendarRow:
    """A calendar row for an association: a mark at each run (it has no duration), in UTC."""
    schedule = association.schedule
    runs: List[WindowRun] = []
    if schedule is not None and schedule.kind != "token":
        # a rate counts from its creation, taken as the start of the period (that run itself is the creation run)
        after = start if schedule.kind == "rate" else start - timedelta(microseconds=1)
        runs = [WindowRun(run, run, run) for run in schedule.next_runs(MAX_DRAWN_RUNS + 1, after=after, created=start)
                if run < end]
    dense_until = end if len(runs) > MAX_DRAWN_RUNS else None
    if schedule is None:
        detail = f"association {association.stack}: schedule not known or refused"
    else:
        created = "; also when created and when targets change" if association.runs_at_creation else ""
        detail = f"association {schedule.expression_string} ({schedule.form}) UTC{created}"
    return CalendarRow(association.label, detail, runs, set(), title=detail, dense_until=dense_until)


def _title(window: AssemblyWindow) -> str:
    schedule = window.facts.schedule
    if schedule is None:
        return f"{window.stack}/{window.logical_id}"
    return f"{window.stack}/{window.logical_id}: {schedule.expression_string} {schedule.time_zone or 'UTC'}"


def _detail(window: AssemblyWindow, runs: Sequence[WindowRun], *, dense: bool = False) -> str:
    facts = window.facts
    if facts.schedule is None:
        return f"{window.stack}: schedule not known ({window.problem})"
    when, last_start = describe_runs(runs)
    if dense:
        when = f"over {MAX_DRAWN_RUNS} runs: {facts.schedule.expression_string}"
    groups = f", patch group {', '.join(sorted(facts.patch_groups))}" if facts.patch_groups else ""
    return f"{when} {facts.schedule.time_zone or 'UTC'}\n{last_start}{groups}"


def describe_runs(runs: Sequence[WindowRun]) -> Tuple[str, str]:
    """When the runs open and close, in words (``Mon-Fri 22:00-03:00 (+1 day)``), and the last
    moment a task may start (``no new tasks after 02:00``). The days are the weekdays the runs
    open on, or their dates when there is at most one run a week."""
    opened = [run for run in runs if not run.skipped]
    if not opened:
        return "no runs in this period", "-"
    first = opened[0]
    next_day = " (+1 day)" if first.closes.date() != first.opens.date() else ""
    times = f"{first.opens:%H:%M}-{first.closes:%H:%M}{next_day}"
    if len({(run.opens.hour, run.opens.minute) for run in opened}) > 1:
        times = f"{len(opened)} starts in the period, first {times}"
    last_start = f"no new tasks after {first.cutoff:%H:%M}"
    weeks = {run.opens.isocalendar()[:2] for run in opened}
    if len(opened) > len(weeks):  # several runs a week: name the weekdays
        return f"{_weekday_ranges(sorted({run.opens.weekday() for run in opened}))} {times}", last_start
    dates = ", ".join(f"{run.opens:%a %d %b}" for run in opened[:3]) + (", ..." if len(opened) > 3 else "")
    return f"{dates} {times}", last_start


def _weekday_ranges(days: List[int]) -> str:
    if len(days) == 7:
        return "daily"
    groups = [[day for _, day in group] for _, group in groupby(enumerate(days), key=lambda pair: pair[1] - pair[0])]
    return ",".join(_DAYS[g[0]] if len(g) == 1 else f"{_DAYS[g[0]]}-{_DAYS[g[-1]]}" if len(g) > 2
                    else f"{_DAYS[g[0]]},{_DAYS[g[1]]}" for g in groups)


# ---------------------------------------------------------------------- check


def check(arguments: argparse.Namespace) -> int:
    """``mw-constructs check``: invalid properties (errors) and suspicious schedules (warnings) of a
    cloud assembly; its associations' schedules, and where windows, associations and patch
    policies patch the same nodes (the library's coexistence rules)."""
    windows = read_windows(arguments.assembly)
    patching = read_patching(arguments.assembly)
    facts_of = {id(w.facts): w for w in windows}
    findings: List[Finding] = invalid_window_findings(windows)
    findings += analyse([w.facts for w in windows if w.facts.schedule is not None], after=arguments.after)
    reported = [f for f in findings if f.level == "error" or f.id not in facts_of[id(f.window)].acknowledged]
    for finding in reported:
        print(f"{finding.level}: {finding.id} [{finding.window.name}]\n  {finding.message}\n")
    errors = sum(1 for f in reported if f.level == "error")
    warnings = len(reported) - errors
    for association in patching.associations:
        for problem in association.problems:
            print(f"error: {check_warning_id('mw-constructs:InvalidAssociation')} [{association.label}]\n  {problem}\n")
            errors += 1
    advice = coexistence_advice(patching.windows + [a.facts for a in patching.associations if a.facts is not None],
                                patching.policies)
    for name, found in dict.fromkeys(advice):  # one copy per place is said once
        print(f"warning: {found.id} [{name}]\n  {found.message}\n")
        warnings += 1
    acknowledged = len(findings) - len(reported)
    counted = f"{len(windows)} window(s)" + (f", {len(patching.associations)} association(s)" if patching.associations else "") \
        + (f", {len(patching.policies)} patch polic{'y' if len(patching.policies) == 1 else 'ies'}" if patching.policies else "")
    print(f"{counted} checked: {errors} error(s), {warnings} warning(s)"
          + (f", {acknowledged} acknowledged warning(s) not shown" if acknowledged else ""))
    return 1 if errors or (arguments.strict and warnings) else 0
