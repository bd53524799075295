"""Read what SSM has deployed and what it ran, over boto3 (read-only): the account's windows,
their executions with each task and each invocation on a target, and the executions of a
period. ``mw-constructs status`` and ``calendar --history`` show what this reads.

Needs boto3 (the ``aws`` extra, or ``pip install boto3``) and AWS credentials; the rest of the library
needs neither. The caller needs the actions in :data:`REQUIRED_ACTIONS`.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional, Sequence

from .._internal.iam_actions import WINDOW_HISTORY_ACTIONS
from .assembly import AssemblyWindow

__all__ = ["AccountError", "PastExecution", "REQUIRED_ACTIONS", "association_executions", "aws_errors",
           "deployed_associations", "deployed_by_name", "every", "in_region", "make_client", "past_executions", "ssm_time",
           "window_executions"]

REQUIRED_ACTIONS = (*WINDOW_HISTORY_ACTIONS, "ssm:ListAssociations", "ssm:DescribeAssociationExecutions")


class AccountError(Exception):
    """The AWS side cannot be asked (no boto3, credentials, Region, or permission)."""


@dataclass(frozen=True)
class PastExecution:
    """A window execution SSM recorded (``mw-constructs calendar --history``)."""

    start: datetime
    end: Optional[datetime]
    status: str
    execution_id: str


def make_client(region: Optional[str], profile: Optional[str]) -> Any:
    """A boto3 SSM client (the one place the CLI imports boto3)."""
    try:
        import boto3
    except ImportError:
        raise AccountError("reading the account needs boto3: pip install boto3 (the 'aws' extra of mw-constructs)") from None
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    # the Region as the AWS SDKs and CLI read it: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
    # (botocore itself does not read AWS_REGION)
    try:
        session = boto3.Session(profile_name=profile, region_name=region or os.environ.get("AWS_REGION") or None)
    except BotoCoreError as error:  # a profile that does not exist, a config file that cannot be read
        raise AccountError(f"{' '.join(str(error).split())}: check --profile, AWS_PROFILE and AWS_CONFIG_FILE") from None
    if session.region_name is None:
        raise AccountError("no AWS Region: pass --region, or set AWS_REGION / AWS_DEFAULT_REGION or a profile's region")
    # standard retries back off from throttling (Describe* calls of a large account come in bursts)
    return session.client("ssm", config=Config(retries={"mode": "standard", "max_attempts": 10}))


def past_executions(client: Any, windows: List[AssemblyWindow], start: datetime,
                    end: datetime) -> Dict[str, List[PastExecution]]:
    """The executions SSM recorded between ``start`` and ``end`` for each window of the app
    (by label), for ``mw-constructs calendar --history``."""
    after, before = (moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") for moment in (start, end))
    history: Dict[str, List[PastExecution]] = {}
    with aws_errors():
        deployed = deployed_by_name(client)
        for window in in_region(windows, client):
            found = deployed.get(window.name or "", [])
            if len(found) != 1:
                continue
            executions = every(client, "describe_maintenance_window_executions", "WindowExecutions", page_size=100,
                                WindowId=found[0]["WindowId"], Filters=[{"Key": "ExecutedAfter", "Values": [after]},
                                                                        {"Key": "ExecutedBefore", "Values": [before]}])
            history[window.label] = [
                PastExecution(ssm_time(e["StartTime"]), ssm_time(e["EndTime"]) if e.get("EndTime") else None,
                              str(e.get("Status")), str(e.get("WindowExecutionId")))
                for e in executions if e.get("StartTime")]
    return history


@contextmanager
def aws_errors(actions: Sequence[str] = REQUIRED_ACTIONS, command: str = "status") -> Iterator[None]:
    """botocore's errors (no credentials, Region, permission, ...) as an AccountError that says
    what to do; an access denial names the ``actions`` that ``command`` needs."""
    from botocore.exceptions import BotoCoreError, ClientError  # present with boto3

    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise AccountError(_explain(error, actions, command)) from error


def every(client: Any, operation: str, key: str, *, page_size: Optional[int] = None, **parameters: Any) -> List[Dict[str, Any]]:
    """Every item under ``key`` of every page of ``operation`` (botocore's paginator follows NextToken)."""
    config = {} if page_size is None else {"PaginationConfig": {"PageSize": page_size}}
    return [item for page in client.get_paginator(operation).paginate(**parameters, **config) for item in page.get(key, [])]


def deployed_by_name(client: Any) -> Dict[str, List[Dict[str, Any]]]:
    """The account's windows (``DescribeMaintenanceWindows``) by name; a name may be used twice."""
    by_name: Dict[str, List[Dict[str, Any]]] = {}
    for identity in every(client, "describe_maintenance_windows", "WindowIdentities"):
        by_name.setdefault(str(identity.get("Name")), []).append(identity)
    return by_name


def in_region(windows: List[AssemblyWindow], client: Any) -> List[AssemblyWindow]:
    """The windows that run in the client's Region: the Region-specific copies of a StackSet
    template or a follow-the-sun window for that Region, and every window of unknown Region."""
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return [window for window in windows if window.region is None or window.region == region]


def window_executions(client: Any, window_id: str, count: int) -> List[Dict[str, Any]]:
    """The last ``count`` executions of a window, newest first, each with its tasks and each
    task's invocations on targets (as plain dicts, ready for JSON)."""
    if count == 0:
        return []
    response = client.describe_maintenance_window_executions(WindowId=window_id, MaxResults=max(count, 10))
    executions = sorted(response.get("WindowExecutions", []), key=lambda e: e.get("StartTime") or datetime.min.replace(
        tzinfo=timezone.utc), reverse=True)[:count]
    result = []
    for execution in executions:
        tasks = every(client, "describe_maintenance_window_execution_tasks", "WindowExecutionTaskIdentities",
                       WindowExecutionId=execution["WindowExecutionId"])
        result.append({
            **_common(execution, "WindowExecutionId"),
            "tasks": [{
                **_common(task, "TaskExecutionId"), "task_arn": task.get("TaskArn"), "type": task.get("TaskType"),
                "invocations": [{
                    **_common(invocation, "InvocationId"), "target": invocation.get("WindowTargetId"),
                    "execution_id": invocation.get("ExecutionId"), "owner_information": invocation.get("OwnerInformation"),
                } for invocation in every(
                    client, "describe_maintenance_window_execution_task_invocations",
                    "WindowExecutionTaskInvocationIdentities",
                    WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"])],
            } for task in tasks],
        })
    return result


def deployed_associations(client: Any) -> List[Dict[str, Any]]:
    """The account's State Manager associations (``ListAssociations``: name, document, targets,
    schedule, overview and last execution date of each)."""
    return every(client, "list_associations", "Associations")


def association_executions(client: Any, association_id: str, count: int) -> List[Dict[str, Any]]:
    """The last ``count`` executions of an association, newest first (as plain dicts, ready for JSON):
    status, detailed status, when, and how many targets ended in each status."""
    if count == 0:
        return []
    response = client.describe_association_executions(AssociationId=association_id, MaxResults=count)
    executions = sorted(response.get("AssociationExecutions", []), key=lambda e: e.get("CreatedTime") or datetime.min.replace(
        tzinfo=timezone.utc), reverse=True)[:count]
    return [{"id": execution.get("ExecutionId"), "status": execution.get("Status"),
             "details": execution.get("DetailedStatus"), "created": _iso(execution.get("CreatedTime")),
             "targets": execution.get("ResourceCountByStatus")} for execution in executions]


def _common(entry: Dict[str, Any], id_key: str) -> Dict[str, Any]:
    return {"id": entry.get(id_key), "status": entry.get("Status"), "details": entry.get("StatusDetails"),
            "start": _iso(entry.get("StartTime")), "end": _iso(entry.get("EndTime"))}


def ssm_time(value: Any) -> datetime:
    """SSM's ExecutionTime (ISO 8601, e.g. ``2026-12-06T02:00Z`` or with an offset)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value)
    text = text[:-1] + "+00:00" if text.endswith("Z") else text
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _iso(value: Any) -> Optional[str]:
    return None if value is None else _utc(ssm_time(value))


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def _explain(error: Exception, actions: Sequence[str], command: str) -> str:
    kind = type(error).__name__
    if kind in ("NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError"):
        return ("no AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
                f"or run it where a role is available; '{command}' only reads")
    if kind == "NoRegionError":
        return "no AWS Region: pass --region, or set AWS_REGION"
    response = getattr(error, "response", None)
    code = (response or {}).get("Error", {}).get("Code") if isinstance(response, dict) else None
    if code in ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "ExpiredTokenException"):
        return f"{code}: '{command}' needs {', '.join(actions)} ({error})"
    if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
        return f"{code}: AWS still throttled '{command}' after 10 attempts with backoff; run it again in a minute ({error})"
    return f"{kind}: {error}"
