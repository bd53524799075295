"""``mw-constructs status``: what SSM will run and what it ran, for deployed windows.

For each window (those of a synthesized app, found in the account by their ``Name``, or every
window of the account and Region with ``--all``):

* the next runs SSM reports (``DescribeMaintenanceWindowSchedule``) beside the library's own
  preview of the same window, every difference flagged;
* the last executions, each with its tasks and each task's invocations on targets
  (``DescribeMaintenanceWindowExecutions`` → ``…ExecutionTasks`` → ``…ExecutionTaskInvocations``).

What is read, and how, is ``readback.account`` (boto3, read-only); this module compares and
prints.

Exit status: 0 all agree; 1 a schedule differs, a window of the app is not deployed, or (with
``--strict``) a recent execution, task or invocation did not succeed; 2 bad input, no boto3,
no credentials or Region, or access denied.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from ..readback import account
from ..readback.assembly import AssemblyError, AssemblyWindow, deployed_window, printable, read_windows
from ..schedule import window_runs

__all__ = ["status"]

#: Statuses of executions, tasks and invocations that ``--strict`` counts as failures.
UNSUCCESSFUL = frozenset({"FAILED", "TIMED_OUT", "CANCELLING", "CANCELLED", "SKIPPED_OVERLAPPING"})
# Two runs closer than this are the same run (SSM reports minutes; the library, seconds).
_SAME_RUN = timedelta(seconds=59)


@dataclass
class _Report:
    window_id: Optional[str]
    name: Optional[str]
    label: str
    enabled: Optional[bool] = None
    ssm_runs: List[str] = field(default_factory=list)
    preview_runs: List[str] = field(default_factory=list)
    differences: List[str] = field(default_factory=list)
    executions: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def failures(self) -> List[str]:
        found = []
        for execution in self.executions:
            if execution["status"] in UNSUCCESSFUL:
                found.append(f"execution {execution['id']} {execution['status']}")
            for task in execution["tasks"]:
                if task["status"] in UNSUCCESSFUL:
                    found.append(f"task {task['id']} {task['status']}")
                found += [f"invocation {i['id']} {i['status']}" for i in task["invocations"] if i["status"] in UNSUCCESSFUL]
        return found


def status(arguments: argparse.Namespace) -> int:
    """``mw-constructs status``: SSM's schedule beside the library's preview, and the last executions."""
    windows = _windows(arguments)
    client = account.make_client(arguments.region, arguments.profile)
    with account.aws_errors():
        reports = _reports(client, windows, arguments)
    if arguments.json:
        print(json.dumps({"windows": [_as_json(report) for report in reports]}, indent=2))
    else:
        print("\n\n".join(_as_text(report, arguments.strict) for report in reports) or "no windows")
    differs = any(report.differences for report in reports)
    failed = arguments.strict and any(report.failures for report in reports)
    return 1 if differs or failed else 0


def _windows(arguments: argparse.Namespace) -> Optional[List[AssemblyWindow]]:
    """The app's windows (None with --all: every window in the account is read from SSM)."""
    if arguments.all:
        return None
    windows = read_windows(arguments.assembly)
    if not windows:
        raise AssemblyError(f"no maintenance windows in {arguments.assembly}: synthesize the app, or use --all")
    return windows


def _reports(client: Any, windows: Optional[List[AssemblyWindow]], arguments: argparse.Namespace) -> List[_Report]:
    deployed = account.deployed_by_name(client)
    windows = None if windows is None else account.in_region(windows, client)
    pairs: List[Tuple[Optional[Dict[str, Any]], AssemblyWindow]]
    if windows is None:
        pairs = [(identity, deployed_window(identity)) for found in deployed.values() for identity in found]
    else:
        pairs = []
        for window in windows:
            found = deployed.get(window.name or "", [])
            pairs.append((found[0] if len(found) == 1 else None, window))
    reports = []
    for identity, window in pairs:
        report = _Report(None if identity is None else str(identity["WindowId"]), window.name, window.label)
        if identity is None:
            report.differences.append(
                "not deployed: no window of this name in the account and Region" if window.name
                else "the window's Name is a deploy-time value: cannot find it in the account (use --all)")
            reports.append(report)
            continue
        report.enabled = bool(identity.get("Enabled", True))
        _compare_schedule(client, report, window, arguments)
        report.executions = account.window_executions(client, report.window_id or "", arguments.executions)
        reports.append(report)
    return reports


def _compare_schedule(client: Any, report: _Report, window: AssemblyWindow, arguments: argparse.Namespace) -> None:
    response = client.describe_maintenance_window_schedule(WindowId=report.window_id, MaxResults=max(arguments.count, 2))
    reported = [account.ssm_time(entry["ExecutionTime"]) for entry in response.get("ScheduledWindowExecutions", [])][: arguments.count]
    report.ssm_runs = [_utc(moment) for moment in reported]
    schedule = window.facts.schedule
    if schedule is None:
        report.differences.append(f"the library cannot preview this window: {window.problem}")
        return
    planned = [run.opens for run in window_runs(schedule, duration_hours=window.facts.duration_hours,
                                                cutoff_hours=window.facts.cutoff_hours, count=arguments.count,
                                                after=arguments.after) if not run.skipped]
    report.preview_runs = [_utc(moment) for moment in planned]
    if not report.enabled:
        if reported:
            report.differences.append("the window is disabled, yet SSM lists runs for it")
        return
    for number, (ssm_run, preview_run) in enumerate(zip(reported, planned), 1):
        if abs(ssm_run - preview_run) > _SAME_RUN:
            report.differences.append(f"run {number}: SSM {_utc(ssm_run)}, library {_utc(preview_run)}")
    if len(reported) != len(planned):
        report.differences.append(f"SSM lists {len(reported)} run(s), the library {len(planned)}")


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def _as_json(report: _Report) -> Dict[str, Any]:
    return {
        "window_id": report.window_id, "name": report.name, "label": report.label, "enabled": report.enabled,
        "schedule": {"ssm": report.ssm_runs, "library": report.preview_runs, "differences": report.differences},
        "executions": report.executions, "failures": report.failures,
    }


def _as_text(report: _Report, strict: bool) -> str:
    lines = [f"{report.label}  {report.window_id or '(not found)'}" + ("" if report.enabled in (None, True) else "  DISABLED")]
    if report.ssm_runs or report.preview_runs:
        lines.append(f"  {'run':>3}  {'SSM (UTC)':<17}  library (UTC)")
        for number in range(max(len(report.ssm_runs), len(report.preview_runs))):
            ssm_run = report.ssm_runs[number] if number < len(report.ssm_runs) else "-"
            preview_run = report.preview_runs[number] if number < len(report.preview_runs) else "-"
            mark = "" if ssm_run == preview_run else "   <- differs"
            lines.append(f"  {number + 1:>3}  {ssm_run:<17}  {preview_run}{mark}")
    lines += [f"  DIFFERS: {difference}" for difference in report.differences]
    if not report.differences and report.window_id:
        lines.append("  schedule: SSM and the library agree")
    if report.window_id and not report.executions:
        lines.append("  no executions yet")
    for execution in report.executions:
        lines.append(f"  execution {execution['id']}  {execution['status']}  {execution['start']} - {execution['end'] or '…'}"
                     + (f"  ({execution['details']})" if execution["details"] else ""))
        for task in execution["tasks"]:
            lines.append(f"    task {task['id']}  {task['type']} {task['task_arn']}  {task['status']}"
                         + (f"  ({task['details']})" if task["details"] else ""))
            for invocation in task["invocations"]:
                command = f"  command {invocation['execution_id']}" if invocation["execution_id"] else ""
                lines.append(f"      target {invocation['target']}  {invocation['status']}{command}"
                             + (f"  ({invocation['details']})" if invocation["details"] else ""))
    if report.failures:
        lines.append(f"  {'FAILED' if strict else 'not successful'}: {len(report.failures)} "
                     f"({'; '.join(report.failures[:5])}{'; …' if len(report.failures) > 5 else ''})")
    return "\n".join(printable(line) for line in lines)  # status details come from the API: no escape sequences
