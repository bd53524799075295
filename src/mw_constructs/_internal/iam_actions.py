"""IAM actions as plain values: which actions the steps of a runbook call, and whether the
statements of a policy allow an action. Pure Python (no aws-cdk-lib): the constructs read the
policies of a role (``iam/visible.py``) and ask these functions.

What each Automation action calls comes from its page in the Automation actions reference,
https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html, and the
API it wraps. An action that can call anything (``aws:executeScript``), a step this module does
not know, or a service or API given as a ``{{ variable }}`` makes the runbook's calls unknown
(``None``): the library then cannot say what the runbook needs and says so.

Policy matching follows IAM's evaluation for actions only: an explicit ``Deny`` (without a
condition) wins, an ``Allow`` whose ``Action`` pattern matches (``*`` and ``?`` wildcards,
case-insensitive) or whose ``NotAction`` does not, allows. Resources and conditions of an
``Allow`` are not judged: the runbook's resources are known only when it runs, so a statement
that allows the action on some resource counts as allowing it.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

__all__ = ["runbook_calls", "allows", "not_allowed", "allows_everything", "iam_action", "WINDOW_HISTORY_ACTIONS",
           "WINDOW_SCOPED_ACTIONS", "REGISTER_TASK_ACTIONS"]

#: The SSM actions a person's policy can limit to one maintenance window (resource type
#: ``maintenancewindow``); every other maintenance-window action takes only ``"*"``. From the
#: Service Authorization Reference for Systems Manager (list_awssystemsmanager.html), as recorded
#: in the iam-dataset snapshot of August 2026: e.g. DescribeMaintenanceWindowExecutions names the
#: window, DescribeMaintenanceWindowExecutionTasks, DescribeMaintenanceWindowSchedule and
#: GetMaintenanceWindowExecution name no resource.
WINDOW_SCOPED_ACTIONS = frozenset({
    "ssm:DescribeMaintenanceWindowExecutions", "ssm:DescribeMaintenanceWindowTargets",
    "ssm:DescribeMaintenanceWindowTasks", "ssm:GetMaintenanceWindow", "ssm:GetMaintenanceWindowTask",
    "ssm:RegisterTargetWithMaintenanceWindow", "ssm:RegisterTaskWithMaintenanceWindow",
})
#: What reading the schedule and the execution history of windows takes: the calls
#: ``mw-constructs status`` makes for windows (readback/account.py), and ``grant_read_history``.
WINDOW_HISTORY_ACTIONS = (
    "ssm:DescribeMaintenanceWindows", "ssm:DescribeMaintenanceWindowSchedule", "ssm:DescribeMaintenanceWindowExecutions",
    "ssm:DescribeMaintenanceWindowExecutionTasks", "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
)
#: What registering a task with a window takes besides ``iam:PassRole`` on the role it runs as
#: (RegisterTaskWithMaintenanceWindow lists iam:PassRole as its dependent action).
REGISTER_TASK_ACTIONS = ("ssm:RegisterTaskWithMaintenanceWindow",)

#: Automation actions that call nothing on the role's behalf.
_CALLS_NOTHING = frozenset({"aws:branch", "aws:sleep", "aws:pause", "aws:updateVariable"})
#: What the other actions call, when it does not depend on their inputs.
_FIXED_CALLS: Mapping[str, Tuple[str, ...]] = {
    "aws:copyImage": ("ec2:CopyImage", "ec2:DescribeImages"),
    "aws:createImage": ("ec2:CreateImage", "ec2:DescribeImages"),
    "aws:deleteImage": ("ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:DescribeImages", "ec2:DescribeSnapshots"),
    "aws:createStack": ("cloudformation:CreateStack", "cloudformation:DescribeStacks"),
    "aws:deleteStack": ("cloudformation:DeleteStack", "cloudformation:DescribeStacks"),
    "aws:executeAutomation": ("ssm:StartAutomationExecution", "ssm:GetAutomationExecution"),
    "aws:executeStateMachine": ("states:StartExecution", "states:DescribeExecution"),
    "aws:invokeLambdaFunction": ("lambda:InvokeFunction",),
    "aws:runCommand": ("ssm:SendCommand", "ssm:ListCommands", "ssm:ListCommandInvocations"),
    "aws:runInstances": ("ec2:RunInstances", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus"),
}
#: aws:executeAwsApi and the two actions that poll a property name a boto3 service and API.
_API_ACTIONS = frozenset({"aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty"})
#: boto3 service names whose IAM prefix differs (Service Authorization Reference).
_IAM_PREFIX = {"elbv2": "elasticloadbalancing", "elb": "elasticloadbalancing", "stepfunctions": "states",
               "opensearch": "es", "sesv2": "ses", "apigatewayv2": "apigateway"}
_INSTANCE_STATES = {"running": "ec2:StartInstances", "stopped": "ec2:StopInstances",
                    "terminated": "ec2:TerminateInstances"}
_SSM_TAGGED = frozenset({"ManagedInstance", "MaintenanceWindow", "Parameter"})
_VARIABLE = re.compile(r"\{\{.*?\}\}")


def iam_action(service: str, api: str) -> str:
    """The IAM action of a boto3 ``service`` and API (``ec2``, ``DescribeInstances``)."""
    return f"{_IAM_PREFIX.get(service.lower(), service.lower())}:{api}"


def runbook_calls(content: Any) -> Optional[Tuple[str, ...]]:
    """The IAM actions the steps of runbook ``content`` (a mapping, or JSON text) call,
    sorted, or ``None`` when some step's calls cannot be known."""
    document = _load(content)
    if not isinstance(document, Mapping) or not isinstance(document.get("mainSteps"), list):
        return None
    calls: Set[str] = set()
    if not _collect(document["mainSteps"], calls):
        return None
    return tuple(sorted(calls))


def _load(content: Any) -> Any:
    if not isinstance(content, str):
        return content
    try:
        return json.loads(content)
    except ValueError:
        return None


def _collect(steps: Iterable[Any], calls: Set[str]) -> bool:
    for step in steps:
        found = _step_calls(step) if isinstance(step, Mapping) else None
        if found is None:
            return False
        calls.update(found)
    return True


def _step_calls(step: Mapping[str, Any]) -> Optional[Set[str]]:
    action = str(step.get("action"))
    given = step.get("inputs")
    inputs: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    if action in _CALLS_NOTHING:
        return set()
    if action in _FIXED_CALLS:
        return set(_FIXED_CALLS[action])
    if action in _API_ACTIONS:
        service, api = inputs.get("Service"), inputs.get("Api")
        if not isinstance(service, str) or not isinstance(api, str) or _VARIABLE.search(service + api):
            return None
        return {iam_action(service, api)}
    if action == "aws:approve":  # only a notification topic, when named, is called as the role
        return {"sns:Publish"} if inputs.get("NotificationArn") else set()
    if action == "aws:changeInstanceState":
        state = inputs.get("DesiredState")
        return {"ec2:DescribeInstanceStatus", _INSTANCE_STATES[state]} if state in _INSTANCE_STATES else None
    if action == "aws:createTags":
        kind = inputs.get("ResourceType", "EC2")
        return {"ssm:AddTagsToResource"} if kind in _SSM_TAGGED else ({"ec2:CreateTags"} if kind == "EC2" else None)
    if action == "aws:loop":
        nested: Set[str] = set()
        return nested if isinstance(inputs.get("Steps"), list) and _collect(inputs["Steps"], nested) else None
    return None  # aws:executeScript and anything not listed: it may call anything


def _listed(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _matches(patterns: Any, action: str) -> bool:
    return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in _listed(patterns))


def _applies(statement: Mapping[str, Any], action: str) -> bool:
    if "Action" in statement:
        return _matches(statement["Action"], action)
    if "NotAction" in statement:
        return not _matches(statement["NotAction"], action)
    return False


def allows(statements: Sequence[Mapping[str, Any]], action: str) -> bool:
    """Whether ``statements`` (IAM policy statements as JSON values) allow ``action``."""
    if any(s.get("Effect") == "Deny" and "Condition" not in s and _applies(s, action) for s in statements):
        return False
    return any(s.get("Effect") == "Allow" and _applies(s, action) for s in statements)


def not_allowed(statements: Sequence[Mapping[str, Any]], actions: Iterable[str]) -> List[str]:
    """The ``actions`` that ``statements`` do not allow, in the order given."""
    return [action for action in actions if not allows(statements, action)]


def allows_everything(statements: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``statements`` allow every action (``Action: "*"``, nothing denied outright)."""
    if any(s.get("Effect") == "Deny" and "Condition" not in s for s in statements):
        return False
    return any(s.get("Effect") == "Allow" and "*" in _listed(s.get("Action")) for s in statements)
