"""What every kind of maintenance-window task shares: the window, targets, priority, rate
control, cutoff behaviour, role, name and description, checked (:class:`TaskSettings`) and
rendered (:class:`TaskBase`) in one place (``AWS::SSM::MaintenanceWindowTask``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence, Tuple

import jsii
from aws_cdk import Annotations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct

from ..errors import Advice
from .._internal.deprecations import renamed, warn_renamed
from .._internal.quota_use import check_in
from .._internal.light_resource import LightResource
from .._internal.scopes import create_in
from .._internal.validate import (
    UUID,
    duplicate_advice,
    ROLE_MEMBERS,
    WINDOW_MEMBERS,
    check_instance_ids,
    check_int_range,
    check_interface,
    check_name,
    check_pattern,
    check_target,
    check_text,
    check_type,
    fail,
    quote,
)
from .._internal.windows import TaskOrder, children_of, register_task_order
from ..iam.grants import Permission, grant
from ..interfaces import IMaintenanceWindowTask, IPatchingWindow, TaskOptions
from .pseudo_parameters import TaskKind, check_pseudo_parameters
from .rate_control import CutoffBehavior, MaxConcurrency, MaxErrors

__all__ = ["TaskBase", "TaskSettings"]

_WINDOW = "a PatchingWindow, or an IPatchingWindow from PatchingWindow.from_window_id(...)"


@dataclass(frozen=True)
class TaskSettings:
    """The checked options every task takes (:class:`~mw_constructs.tasks.TaskOptions`), as a
    task kind hands them to :class:`TaskBase`. Build it with :meth:`parse`.

    Attributes:
        window, task_type (``TaskType``), targets (the L1's ``Targets``; empty for a task without
        targets), priority (and whether it was given), max_concurrency, max_errors,
        cutoff_behavior, role, service_linked_role, name, description: as checked.
    """

    window: IPatchingWindow
    task_type: str
    targets: List[ssm.CfnMaintenanceWindowTask.TargetProperty]
    priority: int
    priority_given: bool
    max_concurrency: Optional[str]
    max_errors: Optional[str]
    cutoff_behavior: Optional[CutoffBehavior]
    role: Optional[iam.IRole]
    service_linked_role: bool
    name: Optional[str]
    description: Optional[str]
    #: Whether the name came through the old keyword ``name`` (deprecated: ``task_name``).
    name_deprecated: bool
    #: What is legal but probably not meant in the arguments (warnings the task reports when it
    #: is created): filled by ``parse`` and ``check_values``.
    advice: List[Advice] = field(default_factory=list)

    @classmethod
    def parse(cls, window: Any, options: TaskOptions, *, kind: str, task_type: str) -> "TaskSettings":
        """Check the options every task takes (before anything is created); ``kind`` names the
        task in messages (``"a Lambda task"``), ``task_type`` is its ``TaskType`` (Run Command
        tasks need targets, the others may go without)."""
        check_interface("window", window, WINDOW_MEMBERS, _WINDOW)
        check_in(window, "TasksPerWindow", len(children_of(window).tasks) + 1, lambda: f"window {window.node.path}")
        targets, advice = _task_targets(window, options.get("targets"), options.get("instance_ids"), kind,
                                        required=task_type == TaskKind.RUN_COMMAND)
        concurrency, errors = _rate_control(options.get("max_concurrency"), options.get("max_errors"), bool(targets))
        priority = options.get("priority", 1)
        check_int_range("priority", priority, 0, None, "InvalidPriority")
        cutoff_behavior = options.get("cutoff_behavior")
        if cutoff_behavior is not None:
            check_type("cutoff_behavior", cutoff_behavior, CutoffBehavior, "a CutoffBehavior, e.g. CutoffBehavior.CANCEL_TASK")
        role = options.get("role")
        if role is not None:
            check_interface("role", role, ROLE_MEMBERS, "an iam.IRole, e.g. MaintenanceWindowRole(...) or iam.Role(...)")
        service_linked_role = options.get("service_linked_role", False)
        check_type("service_linked_role", service_linked_role, bool, "True or False")
        if service_linked_role and role is not None:
            fail("ServiceLinkedRoleConflict", "service_linked_role=True runs the task as AWSServiceRoleForAmazonSSM, so it "
                                              "cannot also take role=: drop one of them.")
        name, name_keyword = renamed(options, "task_name", "name")
        description = options.get("description")
        check_name(name_keyword, name)
        check_text("description", description, 1, 128, "InvalidDescription")
        return cls(window, task_type, targets, priority, "priority" in options, concurrency, errors, cutoff_behavior,
                   role, service_linked_role, name, description, name_keyword == "name", advice)

    @property
    def has_targets(self) -> bool:
        """Whether the task runs on targets (else it runs once per window execution)."""
        return bool(self.targets)

    def check_values(self, where: str, values: Sequence[str]) -> None:
        """Check the pseudo parameters in ``values`` (found at ``where``) against this task's type and targets."""
        self.advice.extend(check_pseudo_parameters(where, values, kind=self.task_type, has_targets=self.has_targets))


@jsii.implements(ssm_refs.IMaintenanceWindowTaskRef)
class TaskBase(LightResource):
    """A maintenance-window task of any kind: creates the ``AWS::SSM::MaintenanceWindowTask``
    (id ``Resource``) from the checked :class:`TaskSettings` and what its kind adds.

    A kind's constructor checks all its arguments first (``TaskSettings.parse`` for the common
    ones), then calls ``super().__init__(scope, id, settings)``, grants its role what it needs
    (``self._grant``) and creates the L1 (``self._create``); see ARCHITECTURE.md.

    Attributes:
        task_id: the window task ID (a token). window, role: the window and the role it runs as
        (None with ``service_linked_role=True``). task_type: ``RUN_COMMAND``, ``AUTOMATION``,
        ``LAMBDA`` or ``STEP_FUNCTIONS``. priority: its priority. ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, settings: TaskSettings) -> None:
        create_in(scope, id, type(self).__name__, lambda: super(TaskBase, self).__init__(scope, id))
        self._window = settings.window
        self._role: Optional[iam.IRole] = (None if settings.service_linked_role
                                           else settings.role if settings.role is not None else settings.window.role)
        self.task_type = settings.task_type
        self.priority = settings.priority
        self._task_id: Optional[str] = None
        self._resource: Optional[ssm.CfnMaintenanceWindowTask] = None
        children_of(settings.window).tasks.append(self)
        register_task_order(self, TaskOrder(priority_given=settings.priority_given, renumber=self._set_priority))
        for found in settings.advice:
            Annotations.of(self).add_warning_v2(found.id, found.message)

    @property
    def window(self) -> IPatchingWindow:
        """The window the task belongs to."""
        return self._window

    @property
    def only_scans(self) -> bool:
        """Whether the task only scans for missing patches (a patching document with ``Operation``
        ``Scan``): it changes nothing on the instances. False for every other task."""
        return False

    @property
    def role(self) -> Optional[iam.IRole]:
        """The role the task runs as (None: SSM's service-linked role)."""
        return self._role

    def _grant(self, permissions: Sequence[Permission], what: str, role: Optional[iam.IRole] = None) -> None:
        """Give ``role`` (default: the task's role) ``permissions``; ``what`` names them in the
        warning an unchangeable imported role earns. Nothing for the service-linked role."""
        role = role if role is not None else self._role
        if role is None:
            return
        grant(role, permissions, self, what)

    def _set_priority(self, priority: int) -> None:
        """Renumber the task (a Runbook numbers its steps through its ``TaskOrder``)."""
        self.priority = priority
        assert self._resource is not None
        self._resource.priority = priority

    @property
    def task_id(self) -> str:
        """The window task ID (a token), read from the L1 on first use."""
        if self._task_id is None:
            assert self._resource is not None
            self._task_id = self._resource.ref
        return self._task_id

    @staticmethod
    def from_task_id(scope: Construct, id: str, *, window: IPatchingWindow, task_id: str,
                     role: Optional[iam.IRole] = None) -> IMaintenanceWindowTask:
        """A task already registered with ``window``, by its window task ID (a UUID such as
        ``e32eecb2-646c-4f4b-8ed1-205fb8ee2df6``): for code that takes an ``IMaintenanceWindowTask``
        or aws-cdk-lib's ``IMaintenanceWindowTaskRef``. ``role``: the role it runs as, if you
        know it (the import cannot look it up)."""
        check_interface("window", window, WINDOW_MEMBERS, _WINDOW)
        check_pattern("" if task_id is None else task_id, UUID, "InvalidTaskId",
                      f"task_id must be a window task ID (a 36-character UUID such as "
                      f"'e32eecb2-646c-4f4b-8ed1-205fb8ee2df6'): got {quote(task_id)}.")
        if role is not None:
            check_interface("role", role, ROLE_MEMBERS, "an iam.IRole")
        return _ImportedTask(scope, id, window, task_id, role)

    @property
    def maintenance_window_task_ref(self) -> ssm_refs.MaintenanceWindowTaskReference:
        """This task as aws-cdk-lib's ``IMaintenanceWindowTaskRef`` reference."""
        return ssm_refs.MaintenanceWindowTaskReference(window_id=self.window.window_id, window_task_id=self.task_id)

    def _create(self, common: TaskSettings, *, task_arn: str,
                invocation: ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty) -> ssm.CfnMaintenanceWindowTask:
        self._resource = ssm.CfnMaintenanceWindowTask(
            self,
            "Resource",
            window_id=common.window.window_id,
            task_type=common.task_type,
            task_arn=task_arn,
            priority=common.priority,
            targets=common.targets or None,
            max_concurrency=common.max_concurrency,
            max_errors=common.max_errors,
            service_role_arn=self._role.role_arn if self._role is not None else None,
            cutoff_behavior=common.cutoff_behavior.value if common.cutoff_behavior else None,
            name=common.name,
            description=common.description,
            task_invocation_parameters=invocation,
        )
        if common.name_deprecated:
            warn_renamed(self, type(self).__name__, "name", "task_name")
        return self._resource


@jsii.implements(ssm_refs.IMaintenanceWindowTaskRef)
class _ImportedTask(LightResource):
    """A task registered outside this app (``TaskBase.from_task_id``)."""

    def __init__(self, scope: Construct, id: str, window: IPatchingWindow, task_id: str,
                 role: Optional[iam.IRole]) -> None:
        create_in(scope, id, "ImportedTask", lambda: super(_ImportedTask, self).__init__(scope, id))
        self._window, self._task_id, self._role = window, task_id, role

    @property
    def task_id(self) -> str:
        return self._task_id

    @property
    def window(self) -> IPatchingWindow:
        return self._window

    @property
    def role(self) -> Optional[iam.IRole]:
        return self._role

    @property
    def maintenance_window_task_ref(self) -> ssm_refs.MaintenanceWindowTaskReference:
        return ssm_refs.MaintenanceWindowTaskReference(window_id=self._window.window_id, window_task_id=self._task_id)


# ---------------------------------------------------------------------- helpers


def _task_targets(window: IPatchingWindow, targets: Any, instance_ids: Any, kind: str, *,
                  required: bool) -> Tuple[List[Any], List[Advice]]:
    if targets is not None and instance_ids is not None:
        fail(
            "TaskTargetsConflict",
            "give targets or instance_ids, not both: register the instances as a WindowTarget and list it in targets.",
        )
    if targets is None and instance_ids is None:
        if not required:
            return [], []
        fail(
            "TaskWithoutTargets",
            f"{kind} needs targets: pass targets=[...] (WindowTargets of the same window), or "
            f"instance_ids=[...] on a window with allow_unassociated_targets=True.",
        )
    if instance_ids is not None:
        if not window.allow_unassociated_targets:
            fail(
                "UnassociatedTargetsNotAllowed",
                f"instance_ids={quote(list(instance_ids) if isinstance(instance_ids, (list, tuple)) else instance_ids)} "
                f"needs a window created with allow_unassociated_targets=True; otherwise register the "
                f"instances with WindowTarget(instance_ids=...) and pass targets=[...].",
            )
        ids = check_instance_ids("instance_ids", instance_ids)
        return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="InstanceIds", values=ids)], duplicate_advice("instance_ids", ids)
    if isinstance(targets, (str, bytes, dict)) or not isinstance(targets, Sequence) or not targets:
        fail("InvalidType", f"targets must be a non-empty list of WindowTarget: got {quote(targets)}.")
    for target in targets:
        check_target("targets entry", target)
        if target.window is not window:
            fail(
                "TargetOfOtherWindow",
                f"target {quote(target.node.id)} is registered with another window: a task can only use "
                f"targets of its own window. Register a target with this window too.",
            )
    repeated = len(set(map(id, targets))) != len(targets)  # node paths (jsii calls) only when one repeats
    advice = duplicate_advice("targets", [target.node.path for target in targets]) if repeated else []
    check_in(window, "TargetsPerTask", len(targets), lambda: f"{kind} of window {window.node.path}")
    return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[t.target_id for t in targets])], advice


def _rate_control(max_concurrency: Any, max_errors: Any, has_targets: bool) -> Tuple[Optional[str], Optional[str]]:
    if not has_targets:
        given = [name for name, value in (("max_concurrency", max_concurrency), ("max_errors", max_errors)) if value is not None]
        if given:
            fail(
                "RateControlWithoutTargets",
                f"{' and '.join(given)} must be left out of a task without targets (SSM rejects them there: the task "
                f"runs once): drop {' and '.join(given)}, or give the task targets.",
            )
        return None, None
    missing = [name for name, value in (("max_concurrency", max_concurrency), ("max_errors", max_errors)) if value is None]
    if missing:
        fail(
            "RateControlRequired",
            f"{' and '.join(missing)} must be set for a task with targets (SSM requires both), e.g. "
            f"max_concurrency='10%', max_errors='1'.",
        )
    return MaxConcurrency.of(max_concurrency).value, MaxErrors.of(max_errors).value
