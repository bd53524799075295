"""EventBridge events of maintenance windows: their detail types and statuses (pure values; the
rules ``window.on_execution_state_change(...)`` and ``target.on_invocation_state_change(...)``
create are built from them).

Systems Manager sends these events (``source: aws.ssm``, best-effort delivery) with the exact
``detail-type`` strings below; ``detail`` carries ``window-id``, ``window-target-id`` and
``status`` (SSM writes the statuses in upper case).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-eventbridge-events.html
"""

from __future__ import annotations

import enum
from typing import Any, Optional, Protocol

__all__ = ["ASSOCIATION_DETAIL_TYPE", "AssociationStatus", "EVENT_SOURCE", "INSTANCE_ASSOCIATION_DETAIL_TYPE",
           "INVOCATION_DETAIL_TYPE", "InvocationStatus", "RuleTargetLike", "TASK_EXECUTION_DETAIL_TYPE", "TaskExecutionStatus",
           "WINDOW_EXECUTION_DETAIL_TYPE", "WindowExecutionStatus"]

EVENT_SOURCE = "aws.ssm"
WINDOW_EXECUTION_DETAIL_TYPE = "Maintenance Window Execution State-change Notification"
TASK_EXECUTION_DETAIL_TYPE = "Maintenance Window Task Execution State-change Notification"
INVOCATION_DETAIL_TYPE = "Maintenance Window Task Target Invocation State-change Notification"
#: State Manager: an association's overall state, and its state on one managed node.
ASSOCIATION_DETAIL_TYPE = "EC2 State Manager Association State Change"
INSTANCE_ASSOCIATION_DETAIL_TYPE = "EC2 State Manager Instance Association State Change"


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


class AssociationStatus(enum.Enum):
    """``status`` of the State Manager events (the API's ``AssociationStatusName``)."""

    PENDING = "Pending"
    SUCCESS = "Success"
    FAILED = "Failed"
