"""``mw-constructs status``: what SSM will run and what it ran, for deployed windows and
State Manager associations.

For each window (those of a synthesized app, found in the account by their ``Name``, or every
window of the account and Region with ``--all``):

* the next runs SSM reports (``DescribeMaintenanceWindowSchedule``) beside the library's own
  preview of the same window, every difference flagged;
* the last executions, each with its tasks and each task's invocations on targets
  (``DescribeMaintenanceWindowExecutions`` → ``…ExecutionTasks`` → ``…ExecutionTaskInvocations``).

Then each association (those of the app, found by their ``AssociationName``, or every association
of the account with ``--all``): its document and schedule, the overview SSM keeps, and its last
executions with how many targets ended in each status (``ListAssociations``,
``DescribeAssociationExecutions``).

What is read, and how, is ``readback.account`` (boto3, read-only); this module compares and
prints.

Exit status: 0 all agree; 1 a schedule differs, a window or association of the app is not
deployed, or (with ``--strict``) a recent execution, task, invocation or association execution
did not succeed; 2 bad input, no boto3,
no credentials or Region, or access denied.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from ..readback import account
from ..readback.assembly import (AssemblyAssociation, AssemblyError, AssemblyWindow, deployed_window, printable,
                                 read_patching, read_windows)
from ..schedule import window_runs

__all__ = ["status"]

#: Statuses of executions, tasks and invocations that ``--strict`` counts as failures.
UNSUCCESSFUL = frozenset({"FAILED", "TIMED_OUT", "CANCELLING", "CANCELLED", "SKIPPED_OVERLAPPING"})
#: Association execution statuses (written Failed, TimedOut, ...) that ``--strict`` counts as failures.
UNSUCCESSFUL_ASSOCIATION = frozenset({"failed", "timedout", "cancelled"})
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


@dataclass
class _AssociationReport:
    association_id: Optional[str]
    name: Optional[str]
    label: str
    document: Optional[str] = None
    schedule: Optional[str] = None
    overview: Optional[str] = None
    last_execution: Optional[str] = None
    executions: List[Dict[str, Any]] = field(default_factory=list)
    differences: List[str] = field(default_factory=list)

    @property
    def failures(self) -> List[str]:
        return [f"execution {e['id']} {e['status']}" for e in self.executions
                if str(e["status"]).replace(" ", "").lower() in UNSUCCESSFUL_ASSOCIATION]


def status(arguments: argparse.Namespace) -> int:
    """``mw-constructs status``: SSM's schedule beside the library's preview, and the last executions."""
    windows, associations = _windows(arguments)
    client = account.make_client(arguments.region, arguments.profile)
    with account.aws_errors():
        reports = _reports(client, windows, arguments) if windows != [] else []
        association_reports = _association_reports(client, associations, arguments)
    if arguments.json:
        print(json.dumps({"windows": [_as_json(report) for report in reports],
                          "associations": [vars(report) | {"failures": report.failures} for report in association_reports]},
                         indent=2))
    else:
        texts = [_as_text(report, arguments.strict) for report in reports]
        texts += [_association_text(report, arguments.strict) for report in association_reports]
        print("\n\n".join(texts) or "no windows")
    every_report: List[Any] = [*reports, *association_reports]
    differs = any(report.differences for report in every_report)
    failed = arguments.strict and any(report.failures for report in every_report)
    return 1 if differs or failed else 0


def _windows(arguments: argparse.Namespace) -> Tuple[Optional[List[AssemblyWindow]], Optional[List[AssemblyAssociation]]]:
    """The app's windows and associations (None with --all: the account's are read from SSM)."""
    if arguments.all:
        return None, None
    windows = read_windows(arguments.assembly)
    associations = list({association.label: association for association in read_patching(arguments.assembly).associations
                         }.values())  # one entry per association, not per place it is deployed to
    if not windows and not associations:
        raise AssemblyError(f"no maintenance windows in {arguments.assembly}: synthesize the app, or use --all")
    return windows, associations


def _association_reports(client: Any, associations: Optional[List[AssemblyAssociation]],
                         arguments: argparse.Namespace) -> List[_AssociationReport]:
    if associations == []:
        return []
    deployed = account.deployed_associations(client)
    if associations is None:
        pairs: List[Tuple[Optional[Dict[str, Any]], str, Optional[str]]] = [
            (found, str(found.get("AssociationName") or found.get("AssociationId")), found.get("AssociationName"))
            for found in deployed]
    else:
        by_name: Dict[str, List[Dict[str, Any]]] = {}
        for listed in deployed:
            by_name.setdefault(str(listed.get("AssociationName")), []).append(listed)
        pairs = []
        for association in associations:
            name = association.name
            matches = by_name.get(name or "", [])
            pairs.append((matches[0] if len(matches) == 1 else None, association.label, name))
    reports = []
    for found, label, name in pairs:
        report = _AssociationReport(None if found is None else str(found.get("AssociationId")), name, label)
        if found is None:
            report.differences.append("not deployed: no association of this AssociationName in the account and Region"
                                      if name else "the association has no AssociationName: cannot find it in the "
                                                   "account (give it one, or use --all)")
            reports.append(report)
            continue
        overview = found.get("Overview") or {}
        report.document, report.schedule = found.get("Name"), found.get("ScheduleExpression")
        report.overview = " ".join(str(part) for part in (overview.get("Status"), overview.get("DetailedStatus")) if part)
        last = found.get("LastExecutionDate")
        report.last_execution = _utc(account.ssm_time(last)) if last is not None else None
        report.executions = account.association_executions(client, report.association_id or "", arguments.executions)
        reports.append(report)
    return reports


def _association_text(report: _AssociationReport, strict: bool) -> str:
    lines = [f"{report.label}  {report.association_id or '(not found)'}  association"
             + (f" {report.document}" if report.document else "") + (f" {report.schedule}" if report.schedule else "")]
    if report.overview:
        lines.append(f"  status: {report.overview}" + (f", last run {report.last_execution}" if report.last_execution else ""))
    lines += [f"  DIFFERS: {difference}" for difference in report.differences]
    if report.association_id and not report.executions:
        lines.append("  no executions yet")
    for execution in report.executions:
        targets = str(execution["targets"] or "")  # SSM writes it as text, e.g. {Failed=1, Success=2}
        lines.append(f"  execution {execution['id']}  {execution['status']}  {execution['created']}"
                     + (f"  ({execution['details']})" if execution["details"] else "") + (f"  targets: {targets}" if targets else ""))
    if report.failures:
        lines.append(f"  {'FAILED' if strict else 'not successful'}: {len(report.failures)} ({'; '.join(report.failures[:5])})")
    return "\n".join(printable(line) for line in lines)


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
