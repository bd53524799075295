"""``mw-constructs``: see when maintenance windows open, before you deploy.

    mw-constructs preview "cron(0 22 ? * MON-FRI *)" --time-zone Europe/Amsterdam --duration 5 --cutoff 1
    mw-constructs calendar [cdk.out] --weeks 4 -o calendar.svg
    mw-constructs check [cdk.out]

Never imports aws_cdk: it reads schedules and synthesized templates with the library's
pure-Python core, so it starts fast and needs no Node.js.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional, Sequence

from ._analysis import FINDING_IDS, Finding, analyse
from ._assembly import AssemblyError, AssemblyWindow, invalid_window_findings, read_windows
from ._calendar import CalendarRow, render
from ._engine import zone_of
from .errors import ValidationError
from .schedule import WindowRun, WindowSchedule, known_time_zones, window_runs

PROGRAM = "mw-constructs"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 findings, 2 bad input)."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not getattr(arguments, "command", None):
        parser.print_help()
        return 2
    try:
        return arguments.handler(arguments)
    except (ValidationError, AssemblyError) as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0


# ---------------------------------------------------------------------- preview


def _preview(arguments: argparse.Namespace) -> int:
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


def preview_table(runs: Sequence[WindowRun], zone_name: str) -> str:
    """The runs as an aligned text table, in the schedule's zone and in UTC."""
    header = ["#", f"opens ({zone_name})", "last task start", "closes", "opens (UTC)", "last task start (UTC)", "closes (UTC)"]
    rows = [header]
    for number, run in enumerate(runs, 1):
        utc = [moment.astimezone(timezone.utc) for moment in (run.opens, run.cutoff, run.closes)]
        rows.append([
            str(number), f"{run.opens:%a %Y-%m-%d %H:%M %Z}", f"{run.cutoff:%a %H:%M %Z}", f"{run.closes:%a %H:%M %Z}",
            f"{utc[0]:%a %Y-%m-%d %H:%M}", f"{utc[1]:%a %H:%M}", f"{utc[2]:%a %H:%M}"
            + ("   skipped: previous run still open" if run.skipped else ""),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1] for row in rows
    ).rstrip() + "\n"


# ---------------------------------------------------------------------- calendar


def _calendar(arguments: argparse.Namespace) -> int:
    windows = read_windows(arguments.assembly)
    zone_name = arguments.time_zone or "UTC"
    zone = zone_of(arguments.time_zone)
    start = arguments.start or datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start = start.replace(tzinfo=None).replace(tzinfo=zone) if start.tzinfo is None else start
    end = start + timedelta(weeks=arguments.weeks)
    rows = calendar_rows(windows, start, end)
    svg = render(rows, start=start, end=end, zone=zone, zone_name=zone_name,
                 title="Maintenance windows of " + (", ".join(sorted({w.stack for w in windows})) or "no stack"))
    arguments.output.write_text(svg)
    print(f"{len(windows)} window(s) in {arguments.assembly}, {start:%Y-%m-%d} + {arguments.weeks} week(s):")
    for window, row in zip(windows, rows, strict=True):
        print(f"\n{row.label}\n  " + row.detail.replace("\n", "; "))
        if window.problem:
            print(f"  not drawn: {window.problem}")
        for run in row.runs[:6]:
            print(f"  {'skipped ' if run.skipped else ''}{run.opens:%a %Y-%m-%d %H:%M %Z} to {run.closes:%a %H:%M %Z}")
        if len(row.runs) > 6:
            print(f"  ... {len(row.runs) - 6} more")
    print(f"\nwrote {arguments.output} ({len(rows)} window(s), {sum(len(r.runs) for r in rows)} run(s))")
    return 0


def calendar_rows(windows: Sequence[AssemblyWindow], start: datetime, end: datetime) -> List[CalendarRow]:
    """The calendar rows for ``windows`` between ``start`` and ``end``, overlaps marked."""
    runs = [
        window_runs(w.facts.schedule, duration_hours=w.facts.duration_hours, cutoff_hours=w.facts.cutoff_hours,
                    count=10_000, after=start - timedelta(microseconds=1), before=end)
        if w.facts.schedule is not None else []
        for w in windows
    ]
    overlapping = [set() for _ in windows]
    for i, first in enumerate(windows):
        for j in range(i + 1, len(windows)):
            if first.facts.patch_groups & windows[j].facts.patch_groups:
                for a, b in _overlapping_pairs(runs[i], runs[j]):
                    overlapping[i].add(a)
                    overlapping[j].add(b)
    return [CalendarRow(w.label, _detail(w), runs[k], overlapping[k]) for k, w in enumerate(windows)]


def _overlapping_pairs(first: List[WindowRun], second: List[WindowRun]):
    for a, run_a in enumerate(first):
        for b, run_b in enumerate(second):
            if not (run_a.skipped or run_b.skipped) and run_a.opens < run_b.closes and run_b.opens < run_a.closes:
                yield a, b


def _detail(window: AssemblyWindow) -> str:
    facts = window.facts
    if facts.schedule is None:
        return f"{window.stack}: schedule not known ({window.problem})"
    groups = f", patch group {', '.join(sorted(facts.patch_groups))}" if facts.patch_groups else ""
    zone = facts.schedule.time_zone or "UTC"
    return (f"{facts.schedule.expression_string} {zone}\n"
            f"open {facts.duration_hours} h, cutoff {facts.cutoff_hours} h{groups}")


# ---------------------------------------------------------------------- check


def _check(arguments: argparse.Namespace) -> int:
    windows = read_windows(arguments.assembly)
    findings: List[Finding] = invalid_window_findings(windows)
    findings += analyse([w.facts for w in windows if w.facts.schedule is not None], after=arguments.after)
    for finding in findings:
        print(f"{finding.level}: {finding.id} [{finding.window.name}]\n  {finding.message}\n")
    errors = sum(1 for f in findings if f.level == "error")
    warnings = len(findings) - errors
    print(f"{len(windows)} window(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (arguments.strict and warnings) else 0


# ---------------------------------------------------------------------- arguments


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="See when SSM maintenance windows open, before you deploy them.",
        epilog="Finding ids reported by 'check': " + "; ".join(f"{k} ({v})" for k, v in FINDING_IDS.items()),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    preview = commands.add_parser(
        "preview", help="list the next runs of one schedule",
        description="List when a window with this schedule opens, stops starting tasks, and closes, "
                    "in its time zone and in UTC.")
    preview.add_argument("expression", help="an SSM schedule: 'cron(...)', 'rate(...)' or 'at(...)'")
    preview.add_argument("--time-zone", type=_zone, default=None, help="IANA time zone the cron is read in (default: UTC)")
    preview.add_argument("--duration", type=_int_between(1, 24), default=1, metavar="HOURS",
                         help="hours the window stays open, 1-24 (default: 1)")
    preview.add_argument("--cutoff", type=_int_between(0, 23), default=0, metavar="HOURS",
                         help="hours before the end when no new task starts, below --duration (default: 0)")
    preview.add_argument("--count", type=_int_between(1, 10_000), default=10, help="how many runs (default: 10)")
    preview.add_argument("--offset", type=_int_between(1, 6), default=None, metavar="DAYS",
                         help="schedule offset: days after each cron match, 1-6")
    preview.add_argument("--after", type=_moment, default=_now(), metavar="ISO-8601",
                         help="list runs after this moment (default: now), e.g. 2025-01-01T00:00:00Z")
    preview.set_defaults(handler=_preview)

    calendar = commands.add_parser(
        "calendar", help="draw the windows of a synthesized app as an SVG calendar",
        description="Read every maintenance window from the templates in a cloud assembly (cdk.out), list "
                    "their runs and draw them: one row per window, one bar per run, the cutoff hatched, "
                    "overlaps of the same patch group outlined in red.")
    calendar.add_argument("assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly directory (default: cdk.out)")
    calendar.add_argument("--weeks", type=_int_between(1, 53), default=4, help="period to draw, in weeks (default: 4)")
    calendar.add_argument("-o", "--output", type=Path, default=Path("calendar.svg"), help="SVG file to write (default: calendar.svg)")
    calendar.add_argument("--start", type=_moment_or_date, default=None, metavar="DATE",
                          help="first day, e.g. 2025-01-06 (default: today)")
    calendar.add_argument("--time-zone", type=_zone, default=None, help="zone to draw days and hours in (default: UTC)")
    calendar.set_defaults(handler=_calendar)

    check = commands.add_parser(
        "check", help="report schedule problems in a synthesized app",
        description="Check the windows of a cloud assembly: invalid properties (errors) and suspicious "
                    "schedules (warnings). Exits 1 when there are errors, or warnings with --strict.")
    check.add_argument("assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly directory (default: cdk.out)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--after", type=_moment, default=_now(), metavar="ISO-8601",
                       help="check the year after this moment (default: now)")
    check.set_defaults(handler=_check)
    return parser


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _zone(text: str) -> str:
    if text not in known_time_zones():
        raise argparse.ArgumentTypeError(f"unknown IANA time zone {text!r} (e.g. Europe/Amsterdam, UTC)")
    return text


def _int_between(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO-8601 date and time, e.g. 2025-01-01T00:00:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _moment_or_date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2025-01-06") from None
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
