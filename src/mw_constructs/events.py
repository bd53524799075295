"""EventBridge events of maintenance windows: the statuses as enums, and the rules that
``window.on_execution_state_change(...)`` and ``target.on_invocation_state_change(...)`` create.

Systems Manager sends these events (``source: aws.ssm``, best-effort delivery) with the exact
``detail-type`` strings below; ``detail`` carries ``window-id``, ``window-target-id`` and
``status`` (SSM writes the statuses in upper case).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-eventbridge-events.html
"""

from __future__ import annotations

import enum
import re
from typing import Any, Dict, List, Optional, Protocol, Sequence, Type, TypeVar, cast

from aws_cdk import aws_events as events
from constructs import Construct

from ._internal.validate import check_distinct, check_pattern, check_text, check_type, fail, quote

__all__ = ["RuleTargetLike", "WindowExecutionStatus", "TaskExecutionStatus", "InvocationStatus", "EVENT_SOURCE",
           "WINDOW_EXECUTION_DETAIL_TYPE", "TASK_EXECUTION_DETAIL_TYPE", "INVOCATION_DETAIL_TYPE", "state_change_rule"]

EVENT_SOURCE = "aws.ssm"
WINDOW_EXECUTION_DETAIL_TYPE = "Maintenance Window Execution State-change Notification"
TASK_EXECUTION_DETAIL_TYPE = "Maintenance Window Task Execution State-change Notification"
INVOCATION_DETAIL_TYPE = "Maintenance Window Task Target Invocation State-change Notification"

S = TypeVar("S", bound=enum.Enum)
_RULE_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")


class RuleTargetLike(Protocol):
    """What a rule's ``target`` takes: any ``events.IRuleTarget`` (``targets.SnsTopic(topic)``,
    ``targets.LambdaFunction(fn)``, ...). Spelt with positional-only parameters because
    aws-cdk-lib's target classes name ``bind``'s parameters differently from ``IRuleTarget``,
    which strict type checkers would otherwise refuse."""

    def bind(self, __rule: Any, __id: Optional[str] = None) -> Any:
        ...


class WindowExecutionStatus(enum.Enum):
    """Statuses of a window execution (``Maintenance Window Execution State-change Notification``)."""

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"
    SKIPPED_OVERLAPPING = "SKIPPED_OVERLAPPING"  #: the window was still open from its previous start


class TaskExecutionStatus(enum.Enum):
    """Statuses of a task execution (``Maintenance Window Task Execution State-change Notification``)."""

    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"


class InvocationStatus(enum.Enum):
    """Statuses of a task's invocation on one target
    (``Maintenance Window Task Target Invocation State-change Notification``).

    Run Command tasks report IN_PROGRESS, SUCCESS, FAILED, TIMED_OUT, CANCELLING and
    CANCELLED; Automation, Lambda and Step Functions tasks only IN_PROGRESS and COMPLETE
    (COMPLETE whether they succeeded or not)."""

    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"
    COMPLETE = "COMPLETE"


def state_change_rule(scope: Construct, id: str, *, detail_type: str, detail: Dict[str, List[str]],
                      statuses: Optional[Sequence[Any]], status_type: Type[S], target: Optional[RuleTargetLike],
                      description: Optional[str], rule_name: Optional[str]) -> events.Rule:
    """An EventBridge rule in ``scope`` matching ``detail_type`` events whose ``detail`` has
    these values (and, if given, one of ``statuses``), sending them to ``target``."""
    if statuses is not None:
        if isinstance(statuses, (str, bytes, enum.Enum)) or not isinstance(statuses, Sequence) or not statuses:
            fail("InvalidType", f"statuses must be a non-empty list of {status_type.__name__}: got {quote(statuses)}.")
        for status in statuses:
            check_type("statuses entry", status, status_type, f"a {status_type.__name__}, e.g. "
                                                              f"{status_type.__name__}.{next(iter(status_type)).name}")
        check_distinct("statuses", [status.value for status in statuses])
        detail = {**detail, "status": [status.value for status in statuses]}
    check_pattern(rule_name, _RULE_NAME, "InvalidName",
                  f"rule_name must be 1-64 letters, digits or '.-_': got {quote(rule_name)}.")
    check_text("description", description, 1, 512, "InvalidDescription")
    if target is not None and not hasattr(target, "bind"):
        fail("InvalidType", f"target must be an events.IRuleTarget, e.g. targets.SnsTopic(topic): got {quote(target)}.")
    rule = events.Rule(
        scope, id, description=description, rule_name=rule_name,
        event_pattern=events.EventPattern(source=[EVENT_SOURCE], detail_type=[detail_type], detail=detail),
    )
    if target is not None:
        rule.add_target(cast(events.IRuleTarget, target))
    return rule
