"""``mw-constructs status``: what SSM will run and what it ran, for deployed windows.

For each window (those of a synthesized app, found in the account by their ``Name``, or every
window of the account and Region with ``--all``):

* the next runs SSM reports (``DescribeMaintenanceWindowSchedule``) beside the library's own
  preview of the same window, every difference flagged;
* the last executions, each with its tasks and each task's invocations on targets
  (``DescribeMaintenanceWindowExecutions`` → ``…ExecutionTasks`` → ``…ExecutionTaskInvocations``).

Needs boto3 (``pip install 'mw-constructs[aws]'``) and AWS credentials; the rest of the CLI
needs neither. Read-only: the caller needs ``ssm:DescribeMaintenanceWindows``,
``ssm:DescribeMaintenanceWindowSchedule``, ``ssm:DescribeMaintenanceWindowExecutions``,
``ssm:DescribeMaintenanceWindowExecutionTasks`` and ``ssm:DescribeMaintenanceWindowExecutionTaskInvocations``.

Exit status: 0 all agree; 1 a schedule differs, a window of the app is not deployed, or (with
``--strict``) a recent execution, task or invocation did not succeed; 2 bad input, no boto3,
no credentials or Region, or access denied.
"""

from __future__ import annotations

import argparse
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Optional, Tuple

from ..schedule import window_runs
from .assembly import AssemblyError, AssemblyWindow, deployed_window, read_windows
from .svg import PastExecution

__all__ = ["status", "past_executions", "make_client", "StatusError", "UNSUCCESSFUL", "REQUIRED_ACTIONS"]

#: Statuses of executions, tasks and invocations that ``--strict`` counts as failures.
UNSUCCESSFUL = frozenset({"FAILED", "TIMED_OUT", "CANCELLING", "CANCELLED", "SKIPPED_OVERLAPPING"})
REQUIRED_ACTIONS = (
    "ssm:DescribeMaintenanceWindows", "ssm:DescribeMaintenanceWindowSchedule", "ssm:DescribeMaintenanceWindowExecutions",
    "ssm:DescribeMaintenanceWindowExecutionTasks", "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
)
# Two runs closer than this are the same run (SSM reports minutes; the library, seconds).
_SAME_RUN = timedelta(seconds=59)


class StatusError(Exception):
    """The AWS side cannot be asked (no boto3, credentials, Region, or permission)."""


def make_client(region: Optional[str], profile: Optional[str]) -> Any:
    """A boto3 SSM client (the one place the CLI imports boto3)."""
    try:
        import boto3
    except ImportError:
        raise StatusError("'status' needs boto3: pip install 'mw-constructs[aws]'") from None
    session = boto3.Session(profile_name=profile, region_name=region)
    if session.region_name is None:
        raise StatusError("no AWS Region: pass --region, or set AWS_REGION / AWS_DEFAULT_REGION or a profile's region")
    return session.client("ssm")


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
    windows = _windows(arguments)
    client = make_client(arguments.region, arguments.profile)
    with _aws_errors():
        reports = _reports(client, windows, arguments)
    if arguments.json:
        print(json.dumps({"windows": [_as_json(report) for report in reports]}, indent=2))
    else:
        print("\n\n".join(_as_text(report, arguments.strict) for report in reports) or "no windows")
    differs = any(report.differences for report in reports)
    failed = arguments.strict and any(report.failures for report in reports)
    return 1 if differs or failed else 0


def past_executions(windows: List[AssemblyWindow], start: datetime, end: datetime, *, region: Optional[str],
                    profile: Optional[str]) -> Dict[str, List[PastExecution]]:
    """The executions SSM recorded between ``start`` and ``end`` for each window of the app
    (by label), for ``mw-constructs calendar --history``."""
    client = make_client(region, profile)
    after, before = (moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") for moment in (start, end))
    history: Dict[str, List[PastExecution]] = {}
    with _aws_errors():
        deployed = _deployed_by_name(client)
        for window in _in_region(windows, client):
            found = deployed.get(window.name or "", [])
            if len(found) != 1:
                continue
            executions = _every(client, "describe_maintenance_window_executions", "WindowExecutions", page_size=100,
                                WindowId=found[0]["WindowId"], Filters=[{"Key": "ExecutedAfter", "Values": [after]},
                                                                        {"Key": "ExecutedBefore", "Values": [before]}])
            history[window.label] = [
                PastExecution(_moment(e["StartTime"]), _moment(e["EndTime"]) if e.get("EndTime") else None,
                              str(e.get("Status")), str(e.get("WindowExecutionId")))
                for e in executions if e.get("StartTime")]
    return history


@contextmanager
def _aws_errors() -> Iterator[None]:
    """botocore's errors (no credentials, Region, permission, ...) as a StatusError that says what to do."""
    from botocore.exceptions import BotoCoreError, ClientError  # present with boto3

    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise StatusError(_explain(error)) from error


def _every(client: Any, operation: str, key: str, *, page_size: Optional[int] = None, **parameters: Any) -> List[Dict[str, Any]]:
    """Every item under ``key`` of every page of ``operation`` (botocore's paginator follows NextToken)."""
    config = {} if page_size is None else {"PaginationConfig": {"PageSize": page_size}}
    return [item for page in client.get_paginator(operation).paginate(**parameters, **config) for item in page.get(key, [])]


def _deployed_by_name(client: Any) -> Dict[str, List[Dict[str, Any]]]:
    """The account's windows (``DescribeMaintenanceWindows``) by name; a name may be used twice."""
    by_name: Dict[str, List[Dict[str, Any]]] = {}
    for identity in _every(client, "describe_maintenance_windows", "WindowIdentities"):
        by_name.setdefault(str(identity.get("Name")), []).append(identity)
    return by_name


def _windows(arguments: argparse.Namespace) -> Optional[List[AssemblyWindow]]:
    """The app's windows (None with --all: every window in the account is read from SSM)."""
    if arguments.all:
        return None
    windows = read_windows(arguments.assembly)
    if not windows:
        raise AssemblyError(f"no maintenance windows in {arguments.assembly}: synthesize the app, or use --all")
    return windows


def _in_region(windows: List[AssemblyWindow], client: Any) -> List[AssemblyWindow]:
    """The windows that run in the client's Region: the Region-specific copies of a StackSet
    template or a follow-the-sun window for that Region, and every window of unknown Region."""
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return [window for window in windows if window.region is None or window.region == region]


def _reports(client: Any, windows: Optional[List[AssemblyWindow]], arguments: argparse.Namespace) -> List[_Report]:
    deployed = _deployed_by_name(client)
    windows = None if windows is None else _in_region(windows, client)
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
        report.executions = _executions(client, report.window_id or "", arguments.executions)
        reports.append(report)
    return reports


def _compare_schedule(client: Any, report: _Report, window: AssemblyWindow, arguments: argparse.Namespace) -> None:
    response = client.describe_maintenance_window_schedule(WindowId=report.window_id, MaxResults=max(arguments.count, 2))
    reported = [_moment(entry["ExecutionTime"]) for entry in response.get("ScheduledWindowExecutions", [])][: arguments.count]
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


def _executions(client: Any, window_id: str, count: int) -> List[Dict[str, Any]]:
    if count == 0:
        return []
    response = client.describe_maintenance_window_executions(WindowId=window_id, MaxResults=max(count, 10))
    executions = sorted(response.get("WindowExecutions", []), key=lambda e: e.get("StartTime") or datetime.min.replace(
        tzinfo=timezone.utc), reverse=True)[:count]
    result = []
    for execution in executions:
        tasks = _every(client, "describe_maintenance_window_execution_tasks", "WindowExecutionTaskIdentities",
                       WindowExecutionId=execution["WindowExecutionId"])
        result.append({
            **_common(execution, "WindowExecutionId"),
            "tasks": [{
                **_common(task, "TaskExecutionId"), "task_arn": task.get("TaskArn"), "type": task.get("TaskType"),
                "invocations": [{
                    **_common(invocation, "InvocationId"), "target": invocation.get("WindowTargetId"),
                    "execution_id": invocation.get("ExecutionId"), "owner_information": invocation.get("OwnerInformation"),
                } for invocation in _every(
                    client, "describe_maintenance_window_execution_task_invocations",
                    "WindowExecutionTaskInvocationIdentities",
                    WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"])],
            } for task in tasks],
        })
    return result


def _common(entry: Dict[str, Any], id_key: str) -> Dict[str, Any]:
    return {"id": entry.get(id_key), "status": entry.get("Status"), "details": entry.get("StatusDetails"),
            "start": _iso(entry.get("StartTime")), "end": _iso(entry.get("EndTime"))}


def _moment(value: Any) -> datetime:
    """SSM's ExecutionTime (ISO 8601, e.g. ``2026-12-06T02:00Z`` or with an offset)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value)
    text = text[:-1] + "+00:00" if text.endswith("Z") else text
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(value: Any) -> Optional[str]:
    return None if value is None else _utc(_moment(value))


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
    return "\n".join(lines)


def _explain(error: Exception) -> str:
    kind = type(error).__name__
    if kind in ("NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError"):
        return ("no AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
                "or run it where a role is available; 'status' only reads")
    if kind == "NoRegionError":
        return "no AWS Region: pass --region, or set AWS_REGION"
    response = getattr(error, "response", None)
    code = (response or {}).get("Error", {}).get("Code") if isinstance(response, dict) else None
    if code in ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "ExpiredTokenException"):
        return f"{code}: 'status' needs {', '.join(REQUIRED_ACTIONS)} ({error})"
    return f"{kind}: {error}"
