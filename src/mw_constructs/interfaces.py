"""The public interfaces the constructs reference each other through.

A window, target or task created by this app and one imported with a ``from_...`` method
are interchangeable wherever an interface is expected (aws-cdk's "Construct Interface"
guideline). Roles are plain ``aws_iam.IRole`` s. This module sits below every construct
module, so signatures can name these types without import circles; the option types of the
``add_*`` methods are imported for type checkers only (never at run time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Optional, Protocol, Sequence, Union

from aws_cdk import IResource
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from typing_extensions import Unpack

from .events import InvocationStatus, RuleTargetLike, TaskExecutionStatus, WindowExecutionStatus

if TYPE_CHECKING:  # types only: these modules import this one
    from .documents import DocumentLike
    from .targets import TagValues, TargetDetails, WindowTargetOptions
    from .tasks.run_command import RunCommandOptions

__all__ = ["IPatchingWindow", "IWindowTarget", "IMaintenanceWindowTask"]


class IPatchingWindow(IResource, Protocol):
    """A maintenance window (``PatchingWindow``, or one imported with
    ``PatchingWindow.from_window_id`` / ``from_window_attributes``)."""

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
                                  description: Optional[str] = None, rule_name: Optional[str] = None) -> events.Rule:
        """An EventBridge rule for this window's executions (see ``PatchingWindow``)."""
        ...

    def on_task_execution_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                       statuses: Optional[Sequence[TaskExecutionStatus]] = None,
                                       description: Optional[str] = None,
                                       rule_name: Optional[str] = None) -> events.Rule:
        """An EventBridge rule for the task executions of this window (every task)."""
        ...


class IWindowTarget(IResource, Protocol):
    """A target registered with a window (``WindowTarget``, ``PatchGroupTarget``, or one
    imported with ``WindowTarget.from_target_id``)."""

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
                                   description: Optional[str] = None, rule_name: Optional[str] = None) -> events.Rule:
        """An EventBridge rule for task invocations on this target."""
        ...


class IMaintenanceWindowTask(IResource, Protocol):
    """A task registered with a window (``RunCommandTask``, ``RunPatchBaselineTask``,
    ``AutomationTask``, ``LambdaTask``, ``StepFunctionsTask``)."""

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


#: The members the library checks, at run time, in an argument typed with an interface.
WINDOW_MEMBERS = ("window_id", "window_arn", "allow_unassociated_targets", "role", "node")
TARGET_MEMBERS = ("target_id", "window", "node")
ROLE_MEMBERS = ("role_arn", "grant_principal", "add_to_principal_policy")
