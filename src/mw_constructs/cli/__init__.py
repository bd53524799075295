"""``mw-constructs``: see when maintenance windows open, before you deploy.

    mw-constructs preview "cron(0 22 ? * MON-FRI *)" --time-zone Europe/Amsterdam --duration 5 --cutoff 1
    mw-constructs calendar [cdk.out] --weeks 4 -o calendar.svg
    mw-constructs check [cdk.out]
    mw-constructs status [cdk.out] [--all] [--json] [--strict]   (needs boto3 and AWS credentials)
    mw-constructs import (--template FILE | --terraform FILE | --account) -o OUT.py

Imports no aws_cdk (nor boto3, except ``status`` and ``import --account``) but in ``import``, which builds the code it
writes: the other commands read schedules and synthesized templates with the library's pure-Python core, so they
start fast and need no Node.js. This module parses arguments;
``commands`` and ``status`` run them, ``svg`` draws; ``readback`` reads ``cdk.out`` and the account.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence, Tuple

from .._version import __version__
from ..errors import WARNING_IDS, ValidationError
from ..schedule.zones import check_region, known_time_zones
from ..readback.account import AccountError
from ..readback.assembly import AssemblyError, printable
from ..readback.files import SourceError
from . import commands
from . import status as status_command

__all__ = ["main"]

PROGRAM = "mw-constructs"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 findings, 2 bad input)."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not getattr(arguments, "command", None):
        parser.print_help()
        return 2
    try:
        status: int = arguments.handler(arguments)
        return status
    except (ValidationError, AssemblyError, AccountError, SourceError) as error:
        return _fail(str(error))
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except OSError as error:  # e.g. -o in a folder that does not exist or cannot be written
        return _fail(f"{error.strerror or error}: {error.filename}" if error.filename else str(error))
    except Exception as error:  # the last line of defence: the commands read untrusted files
        if os.environ.get("MW_CONSTRUCTS_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); please report it, with the traceback "
                     f"MW_CONSTRUCTS_DEBUG=1 shows")


def _fail(message: str) -> int:
    """The one-line error (control characters escaped: the message may quote a hostile file) and exit 2."""
    print(f"{PROGRAM}: error: {printable(' '.join(message.splitlines()))}", file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="See when SSM maintenance windows open, before you deploy them.",
        epilog="Warning ids: " + "; ".join(f"{k} ({v})" for k, v in WARNING_IDS.items()),
    )
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")

    preview = subcommands.add_parser(
        "preview", help="list the next runs of one schedule",
        description="List when a window with this schedule opens, stops starting tasks, and closes, "
                    "in its time zone and in UTC.")
    preview.add_argument("expression", help="an SSM schedule: 'cron(...)', 'rate(...)' or 'at(...)'")
    preview.add_argument("--time-zone", type=_zone, default=None, help="IANA time zone the cron is read in (default: UTC)")
    preview.add_argument("--follow-the-sun", type=_region_zone, action="append", default=[], metavar="REGION[=ZONE]",
                         help="read the cron in this Region's local time (repeat for each Region; ZONE defaults to the "
                              "zone of the Region's city): one table per Region, all Regions together in UTC, and a "
                              "warning where two Regions are open at once")
    preview.add_argument("--duration", type=_whole_number, default=1, metavar="HOURS",
                         help="hours the window stays open, 1-24 (default: 1)")
    preview.add_argument("--cutoff", type=_whole_number, default=0, metavar="HOURS",
                         help="hours before the end when no new task starts, below --duration (default: 0)")
    preview.add_argument("--count", type=_int_between(1, 10_000), default=10, help="how many runs (default: 10)")
    preview.add_argument("--offset", type=_whole_number, default=None, metavar="DAYS",
                         help="schedule offset: days after each cron match, 1-6")
    preview.add_argument("--after", type=_moment, default=_now(), metavar="ISO-8601",
                         help="list runs after this moment (default: now), e.g. 2025-01-01T00:00:00Z")
    preview.add_argument("--association", action="store_true",
                         help="read the expression as a State Manager association's (its own cron and rate rules, UTC, "
                              "no duration): the runs, and whether it also runs when created")
    preview.add_argument("--at-cron-interval-only", action="store_true",
                         help="with --association: ApplyOnlyAtCronInterval (no run when created)")
    preview.set_defaults(handler=commands.preview)

    calendar = subcommands.add_parser(
        "calendar", help="list the windows of a synthesized app, and draw them as an SVG calendar with -o",
        description="Read every maintenance window from the templates in a cloud assembly (cdk.out) and list "
                    "their runs. With -o, also draw them: one row per window, one bar per run, the cutoff "
                    "hatched, overlaps of the same patch group outlined in red.")
    calendar.add_argument("assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly directory (default: cdk.out)")
    calendar.add_argument("--weeks", type=_int_between(1, 53), default=4, help="period to draw, in weeks (default: 4)")
    calendar.add_argument("-o", "--output", type=Path, default=None, metavar="FILE.svg",
                          help="write the calendar as SVG to this file (default: only list the runs)")
    calendar.add_argument("--start", type=_moment_or_date, default=None, metavar="DATE",
                          help="first day, e.g. 2025-01-06 (default: today)")
    calendar.add_argument("--time-zone", type=_zone, default=None, help="zone to draw days and hours in (default: UTC)")
    calendar.add_argument("--history", action="store_true",
                          help="also draw the executions SSM recorded in the period (needs boto3 and AWS credentials)")
    _aws_options(calendar, "for --history")
    calendar.set_defaults(handler=commands.calendar)

    check = subcommands.add_parser(
        "check", help="report schedule problems in a synthesized app",
        description="Check the windows of a cloud assembly: invalid properties (errors, all of them) and "
                    "suspicious schedules (warnings). Warnings the app acknowledged with "
                    "Annotations.of(...).acknowledge_warning(...) are not reported. Exits 1 when there are "
                    "errors, or warnings with --strict.")
    check.add_argument("assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly directory (default: cdk.out)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--after", type=_moment, default=_now(), metavar="ISO-8601",
                       help="check the year after this moment (default: now)")
    check.set_defaults(handler=commands.check)

    state = subcommands.add_parser(
        "status", help="compare deployed windows with the plan and show their last executions (needs AWS)",
        description="For the windows of a synthesized app (found in the account by Name) or, with --all, every "
                    "window of the account and Region: the next runs SSM reports (DescribeMaintenanceWindowSchedule) "
                    "beside the library's preview, every difference flagged, and the last executions with each task "
                    "and each invocation on a target. Needs boto3 (pip install boto3: the 'aws' extra) and read-only "
                    "credentials. Exits 1 when a schedule differs or a window is missing, or with --strict when a "
                    "recent execution, task or invocation did not succeed; 2 without credentials.")
    state.add_argument("assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly directory (default: cdk.out)")
    state.add_argument("--all", action="store_true", help="every window in the account and Region, not the app's")
    _aws_options(state)
    state.add_argument("--count", type=_int_between(1, 50), default=5, help="runs to compare per window (default: 5)")
    state.add_argument("--executions", type=_int_between(0, 50), default=3,
                       help="last executions to show per window (default: 3)")
    state.add_argument("--json", action="store_true", help="print JSON instead of text")
    state.add_argument("--strict", action="store_true", help="exit 1 when a recent execution, task or invocation did not succeed")
    state.add_argument("--after", type=_moment, default=_now(), metavar="ISO-8601", help=argparse.SUPPRESS)
    state.set_defaults(handler=status_command.status)

    adopt = subcommands.add_parser(
        "import", help="write existing windows as Python code that uses this library (and adopt them with cdk import)",
        description="Read maintenance windows, their targets and tasks, and patch baselines from a CloudFormation "
                    "template, a Terraform state (terraform show -json) or the account (read-only), and write them "
                    "as a CDK stack that uses mw-constructs. The code is built before it is written and rebuilds "
                    "the source exactly; what the library refuses is written as a CfnResource, what its arguments "
                    "cannot say through the escape hatch, each printed. From an account or a state, also writes "
                    "OUT.import.json for cdk import --resource-mapping.")
    sources = adopt.add_mutually_exclusive_group(required=True)
    sources.add_argument("--template", type=Path, default=None, metavar="FILE", help="a CloudFormation template, JSON or YAML")
    sources.add_argument("--terraform", type=Path, default=None, metavar="FILE",
                         help="the output of terraform show -json of a state")
    sources.add_argument("--account", action="store_true", help="the account and Region (needs boto3 and credentials)")
    _aws_options(adopt, "with --account")
    adopt.add_argument("--window-id", action="append", default=[], metavar="ID", help="with --account: only this window (repeat)")
    adopt.add_argument("--name", action="append", default=[], help="with --account: only windows of this name (repeat)")
    adopt.add_argument("--tag", action="append", default=[], type=_tag, metavar="KEY=VALUE",
                       help="with --account: only windows with this tag (repeat: all of them)")
    adopt.add_argument("--no-baselines", action="store_true", help="with --account: leave the patch baselines out")
    adopt.add_argument("--class-name", default=None, help="the Stack subclass (default: from the file name)")
    adopt.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.py", help="the module to write")
    adopt.set_defaults(handler=_import)
    return parser


def _import(arguments: argparse.Namespace) -> int:
    from .importing import import_command  # loads aws-cdk-lib: only this command needs it

    return import_command(arguments)


def _tag(text: str) -> Tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"a tag is KEY=VALUE: got {text!r}")
    return key, value


def _aws_options(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """--region and --profile, for the commands that ask AWS."""
    for option, what in (("--region", "AWS Region"), ("--profile", "AWS profile")):
        parser.add_argument(option, default=None, help=f"{what}{' ' + purpose if purpose else ''} "
                                                       f"(default: from the environment or profile)")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _zone(text: str) -> str:
    if text not in known_time_zones():
        raise argparse.ArgumentTypeError(f"unknown IANA time zone {text!r} (e.g. Europe/Amsterdam, UTC)")
    return text


def _region_zone(text: str) -> Tuple[str, Optional[str]]:
    region, _, zone = text.partition("=")
    try:
        check_region("--follow-the-sun", region)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.message) from None
    return region, (_zone(zone) if zone else None)


def _whole_number(text: str) -> int:
    """A whole number; its range is checked by the library's own rules (one place for each)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = _whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse


#: The moments the commands take (--after, --start): the schedule engine works in years 1-9999
#: and looks up to 53 weeks ahead (calendar --weeks 53, check a year), so a period must start a year
#: and a few days before the end of 9999.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(9998, 12, 1, tzinfo=timezone.utc)


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO-8601 date and time, e.g. 2025-01-01T00:00:00Z") from None
    return _in_range(text, value if value.tzinfo else value.replace(tzinfo=timezone.utc))


def _moment_or_date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2025-01-06") from None
    _in_range(text, value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return value


def _in_range(text: str, value: datetime) -> datetime:
    try:
        inside = EARLIEST <= value <= LATEST
    except OverflowError:  # an offset that takes it past year 1 or 9999
        inside = False
    if not inside:
        raise argparse.ArgumentTypeError(f"{text!r} is outside {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}, "
                                         f"the period the commands can look at")
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
