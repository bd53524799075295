"""The public interfaces the constructs reference each other through, and the option sets
their ``add_*`` methods take.

A window, target or task created by this app and one imported with a ``from_...`` method
are interchangeable wherever an interface is expected (aws-cdk's "Construct Interface"
guideline). Roles are plain ``aws_iam.IRole`` s. This module sits below every construct
module: a window, its targets and its tasks name each other through it, and the option
TypedDicts live here because the interfaces' signatures take them. The value types the
options name (rate control, outputs) are imported for type checkers only; they are plain
values that do not import this module.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Mapping, Optional, Sequence, TypedDict, Union

from aws_cdk import Duration, IResource
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct
# typing_extensions' Protocol, the one jsii builds aws-cdk-lib's interfaces on: with
# typing_extensions < 4.7 on Python < 3.12 its metaclass is not typing's, and a class that
# derives from both would not be created.
from typing_extensions import Protocol, Unpack

from .documents import DocumentHashType, DocumentLike
from .events import InvocationStatus, RuleTargetLike, TaskExecutionStatus, WindowExecutionStatus

if TYPE_CHECKING:  # values the options name; they import nothing of the constructs
    from .tasks.outputs import TaskNotifications, TaskOutput
    from .tasks.rate_control import CutoffBehavior, RateControlValue

__all__ = ["IMaintenanceWindowTask", "IPatchBaseline", "IPatchingWindow", "IWindowTarget", "RunCommandOptions", "TagValues",
           "TargetDetails", "TaskOptions", "WindowTargetOptions"]

#: One tag value, or several (ORed).
TagValues = Union[str, Sequence[str]]


class TargetDetails(TypedDict, total=False):
    """What every kind of window target may also say about itself."""

    target_name: Optional[str]  #: 3-128 of ``a-zA-Z0-9_-.``
    name: Optional[str]  #: deprecated (until 1.0): ``target_name``
    description: Optional[str]  #: 1-128 characters
    owner_information: Optional[str]  #: 1-128 characters, echoed in EventBridge events for these targets


class WindowTargetOptions(TargetDetails, total=False):
    """How a :class:`WindowTarget` selects instances: ``tags`` and/or ``tag_keys``, or
    ``instance_ids``, or ``resource_group``."""

    tags: Optional[Mapping[str, TagValues]]
    tag_keys: Optional[Sequence[str]]
    instance_ids: Optional[Sequence[str]]
    resource_group: Optional[str]
    resource_type_filters: Optional[Sequence[str]]


class IPatchingWindow(IResource, ssm_refs.IMaintenanceWindowRef, Protocol):
    """A maintenance window (``PatchingWindow``, or one imported with
    ``PatchingWindow.from_window_id`` / ``from_window_attributes``); also an aws-cdk-lib
    ``IMaintenanceWindowRef``."""

    @property
    def window_id(self) -> str:
        """The window ID, ``mw-`` followed by 17 hex digits (a token for a created window)."""
        ...

    @property
    def window_arn(self) -> str:
        """``arn:<partition>:ssm:<region>:<account>:maintenancewindow/<window_id>``."""
        ...

    @property
    def allow_unassociated_targets(self) -> bool:
        """Whether tasks may name instance IDs that are not registered as targets."""
        ...

    @property
    def role(self) -> iam.IRole:
        """The role this window's tasks run as unless a task names another."""
        ...

    def add_target(self, id: str, **options: Unpack[WindowTargetOptions]) -> IWindowTarget:
        """Register instances with this window: a ``WindowTarget`` child of the window."""
        ...

    def grant_read_history(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read this window's schedule and execution history (see ``PatchingWindow``)."""
        ...

    def grant_register_tasks(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` register tasks with this window that run as its role (see ``PatchingWindow``)."""
        ...

    def add_patch_group_target(self, id: str, *, patch_group: TagValues, tag_key: str = "Patch Group",
                               **details: Unpack[TargetDetails]) -> IWindowTarget:
        """Register a patch group with this window: a ``PatchGroupTarget`` child of the window."""
        ...

    def add_task(self, id: str, *, document: DocumentLike,
                 parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
                 **options: Unpack[RunCommandOptions]) -> IMaintenanceWindowTask:
        """Register a Run Command task with this window: a ``RunCommandTask`` child of the window."""
        ...

    def on_execution_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                  statuses: Optional[Sequence[WindowExecutionStatus]] = None,
                                  description: Optional[str] = None, rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule for this window's executions (see ``PatchingWindow``)."""
        ...

    def on_task_execution_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                       statuses: Optional[Sequence[TaskExecutionStatus]] = None,
                                       description: Optional[str] = None,
                                       rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule for the task executions of this window (every task)."""
        ...


class IWindowTarget(IResource, ssm_refs.IMaintenanceWindowTargetRef, Protocol):
    """A target registered with a window (``WindowTarget``, ``PatchGroupTarget``, or one
    imported with ``WindowTarget.from_target_id``); also an aws-cdk-lib ``IMaintenanceWindowTargetRef``."""

    @property
    def target_id(self) -> str:
        """The window target ID (a UUID; a token for a created target)."""
        ...

    @property
    def window(self) -> IPatchingWindow:
        """The window the target is registered with."""
        ...

    def on_invocation_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                   statuses: Optional[Sequence[InvocationStatus]] = None,
                                   description: Optional[str] = None, rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule for task invocations on this target."""
        ...


class IMaintenanceWindowTask(IResource, ssm_refs.IMaintenanceWindowTaskRef, Protocol):
    """A task registered with a window (``RunCommandTask``, ``RunPatchBaselineTask``,
    ``AutomationTask``, ``LambdaTask``, ``StepFunctionsTask``); also an aws-cdk-lib
    ``IMaintenanceWindowTaskRef``."""

    @property
    def task_id(self) -> str:
        """The window task ID (a token)."""
        ...

    @property
    def window(self) -> IPatchingWindow:
        """The window the task belongs to."""
        ...

    @property
    def role(self) -> Optional[iam.IRole]:
        """The role the task runs as (None: SSM's service-linked role, ``service_linked_role=True``)."""
        ...



class IPatchBaseline(IResource, ssm_refs.IPatchBaselineRef, Protocol):
    """A patch baseline (``PatchBaseline``, or one imported with ``PatchBaseline.from_baseline_id``);
    also an aws-cdk-lib ``IPatchBaselineRef``."""

    @property
    def baseline_id(self) -> str:
        """The baseline ID (``pb-`` and 17 hex digits, or an AWS baseline's ARN; a token for a created one)."""
        ...


class TaskOptions(TypedDict, total=False):
    """The options every kind of task takes (``**options`` of each task class).

    * ``targets``: registered targets of the same window (``WindowTargetIds``), e.g.
      ``[web]``; or ``instance_ids`` on a window with ``allow_unassociated_targets=True``.
      Run Command tasks need targets; Automation, Lambda and Step Functions tasks may go
      without (they then run once per window execution).
    * ``priority``: 0 or more, default 1; lower runs first, equal priorities run in parallel
      (or let a :class:`~mw_constructs.Runbook` number them).
    * ``max_concurrency``, ``max_errors``: required on a task with targets and refused on one
      without (SSM's rules): AWS strings (``"10%"``, ``"1"``, ``"0"`` for errors), whole
      numbers, or :class:`MaxConcurrency` / :class:`MaxErrors`.
    * ``cutoff_behavior``: :class:`CutoffBehavior` (SSM's default: ``CONTINUE_TASK``).
    * ``role``: any ``iam.IRole`` (default: the window's role); see the docs' "IAM" guide.
    * ``service_linked_role``: ``True`` leaves ``ServiceRoleArn`` out, so SSM runs the task
      as its service-linked role ``AWSServiceRoleForAmazonSSM``. AWS no longer recommends
      this; it exists for setups that rely on it. The library then grants nothing.
    * ``task_name``: 3-128 of ``a-zA-Z0-9_-.`` (``name`` is its old, deprecated keyword, until
      1.0); ``description``: 1-128 characters.
    """

    targets: Optional[Sequence[IWindowTarget]]
    instance_ids: Optional[Sequence[str]]
    priority: int
    max_concurrency: Optional[RateControlValue]
    max_errors: Optional[RateControlValue]
    cutoff_behavior: Optional[CutoffBehavior]
    role: Optional[iam.IRole]
    service_linked_role: bool
    task_name: Optional[str]
    name: Optional[str]  #: deprecated (until 1.0): ``task_name``
    description: Optional[str]


class RunCommandOptions(TaskOptions, total=False):
    """What Run Command tasks take besides :class:`TaskOptions`.

    * ``timeout``: delivery timeout, 30 seconds to 30 days (a ``Duration``).
    * ``output``: a :class:`TaskOutput` (S3 or CloudWatch Logs) or one of each in a list; the
      library creates a protected bucket / log group when you give none.
    * ``output_s3_bucket``, ``output_s3_key_prefix``: the same as ``TaskOutput.s3(...)``, as plain
      values (an ``s3.IBucket`` or a bucket name; prefix up to 500 characters).
    * ``notifications``: :class:`TaskNotifications` (SNS topic, notification role, PassRole).
    * ``comment``: up to 100 characters. ``document_version``: ``"$LATEST"``, ``"$DEFAULT"`` or a number.
    * ``document_hash``, ``document_hash_type``: run the document only if its hash is this one
      (the hex SHA-256 SSM computed; :class:`DocumentHashType`, default SHA-256).
    """

    timeout: Union[Duration, timedelta, None]
    output: Optional[Union[TaskOutput, Sequence[TaskOutput]]]
    output_s3_bucket: Optional[Union[s3.IBucket, str]]
    output_s3_key_prefix: Optional[str]
    notifications: Optional[TaskNotifications]
    comment: Optional[str]
    document_version: Optional[Union[str, int]]
    document_hash: Optional[str]
    document_hash_type: Optional[DocumentHashType]
