"""What every kind of maintenance-window task shares: the window, targets, priority, rate
control, cutoff behaviour, role, name and description, checked and rendered in one place
(``AWS::SSM::MaintenanceWindowTask``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union

from aws_cdk import Resource
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from .._internal.tokens import is_token
from .._internal.validate import (
    check_int_range,
    check_interface,
    check_name,
    check_no_control_characters,
    check_pattern,
    check_text,
    check_type,
    fail,
    is_int,
    quote,
)
from .._internal.quota_use import check_in
from .._internal.windows import children_of
from ..interfaces import ROLE_MEMBERS, WINDOW_MEMBERS, IPatchingWindow, IWindowTarget
from ..pseudo_parameters import TaskKind, check_pseudo_parameters
from ..iam.grants import Permission, grant
from ..targets import check_instance_ids, check_target

__all__ = ["CutoffBehavior", "MaxConcurrency", "MaxErrors", "RateControlValue", "TaskOptions", "TaskBase", "parse_common",
           "parse_document_version", "parse_json", "parse_parameters"]

# [API] RegisterTaskWithMaintenanceWindow: MaxConcurrency / MaxErrors, 1-7 characters.
_MAX_CONCURRENCY = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)")
_MAX_ERRORS = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)")
_DOCUMENT_VERSION = re.compile(r"\$LATEST|\$DEFAULT|[1-9][0-9]*")
_WINDOW = "a PatchingWindow, or an IPatchingWindow from PatchingWindow.from_window_id(...)"


class CutoffBehavior(enum.Enum):
    """What running tasks do when the window's cutoff is reached."""

    CONTINUE_TASK = "CONTINUE_TASK"  #: SSM's default: running tasks continue
    CANCEL_TASK = "CANCEL_TASK"  #: SSM sends CancelCommand to running commands; other kinds start no new invocations


class MaxConcurrency:
    """How many targets a task runs on at once: ``MaxConcurrency.count(5)`` or ``.percent(10)``
    (or the AWS string, ``"10%"``)."""

    def __init__(self, value: str) -> None:
        check_pattern(
            "" if value is None else value, _MAX_CONCURRENCY, "InvalidMaxConcurrency",
            f"max_concurrency must be a count (1 or more, up to 7 characters) or a percentage (1%-100%) such as "
            f"'10%': got {quote(value)}.",
        )
        self.value = value

    @staticmethod
    def count(n: int) -> "MaxConcurrency":
        """At most ``n`` targets at once (1 or more)."""
        check_int_range("MaxConcurrency.count", n, 1, 9_999_999, "InvalidMaxConcurrency")
        return MaxConcurrency(str(n))

    @staticmethod
    def percent(p: int) -> "MaxConcurrency":
        """At most ``p`` percent of the targets at once (1-100)."""
        check_int_range("MaxConcurrency.percent", p, 1, 100, "InvalidMaxConcurrency", "%")
        return MaxConcurrency(f"{p}%")

    def __repr__(self) -> str:
        return f"MaxConcurrency({self.value!r})"


class MaxErrors:
    """How many failed targets stop a task: ``MaxErrors.count(0)`` stops after the first
    error; ``.percent(10)`` after 10% of the targets failed (or the AWS string, ``"1"``)."""

    def __init__(self, value: str) -> None:
        check_pattern(
            "" if value is None else value, _MAX_ERRORS, "InvalidMaxErrors",
            f"max_errors must be a count (0 or more, up to 7 characters) or a percentage (0%-100%) such as "
            f"'10%': got {quote(value)}.",
        )
        self.value = value

    @staticmethod
    def count(n: int) -> "MaxErrors":
        """Stop after ``n`` more failed targets than allowed (0: the first failure stops it)."""
        check_int_range("MaxErrors.count", n, 0, 9_999_999, "InvalidMaxErrors")
        return MaxErrors(str(n))

    @staticmethod
    def percent(p: int) -> "MaxErrors":
        """Stop after ``p`` percent of the targets failed (0-100)."""
        check_int_range("MaxErrors.percent", p, 0, 100, "InvalidMaxErrors", "%")
        return MaxErrors(f"{p}%")

    def __repr__(self) -> str:
        return f"MaxErrors({self.value!r})"


RateControlValue = Union[str, int, MaxConcurrency, MaxErrors]


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
    * ``role``: any ``iam.IRole`` (default: the window's role); see README "IAM".
    * ``service_linked_role``: ``True`` leaves ``ServiceRoleArn`` out, so SSM runs the task
      as its service-linked role ``AWSServiceRoleForAmazonSSM``. AWS no longer recommends
      this; it exists for setups that rely on it. The library then grants nothing.
    * ``name``: 3-128 of ``a-zA-Z0-9_-.``; ``description``: 1-128 characters.
    """

    targets: Optional[Sequence[IWindowTarget]]
    instance_ids: Optional[Sequence[str]]
    priority: int
    max_concurrency: Optional[RateControlValue]
    max_errors: Optional[RateControlValue]
    cutoff_behavior: Optional[CutoffBehavior]
    role: Optional[iam.IRole]
    service_linked_role: bool
    name: Optional[str]
    description: Optional[str]


@dataclass(frozen=True)
class _Common:
    """The checked common options of one task."""

    window: IPatchingWindow
    task_type: str
    targets: List[Any]  # TargetProperty list (empty: a task without targets)
    priority: int
    priority_given: bool
    max_concurrency: Optional[str]
    max_errors: Optional[str]
    cutoff_behavior: Optional[CutoffBehavior]
    role: Optional[iam.IRole]
    service_linked_role: bool
    name: Optional[str]
    description: Optional[str]

    @property
    def has_targets(self) -> bool:
        return bool(self.targets)

    def check_values(self, where: str, values: Sequence[str]) -> None:
        """Check the pseudo parameters in ``values`` against this task's type and targets."""
        check_pseudo_parameters(where, values, kind=self.task_type, has_targets=self.has_targets)


def parse_common(window: Any, options: TaskOptions, *, kind: str, task_type: str) -> _Common:
    """Check the options every task takes; ``kind`` names the task in messages, ``task_type``
    is its ``TaskType`` (Run Command tasks need targets, the others may go without)."""
    check_interface("window", window, WINDOW_MEMBERS, _WINDOW)
    check_in(window, "TasksPerWindow", len(children_of(window).tasks) + 1, lambda: f"window {window.node.path}")
    targets = _task_targets(window, options.get("targets"), options.get("instance_ids"), kind,
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
    name, description = options.get("name"), options.get("description")
    check_name("name", name)
    check_text("description", description, 1, 128, "InvalidDescription")
    return _Common(window, task_type, targets, priority, "priority" in options, concurrency, errors, cutoff_behavior,
                   role, service_linked_role, name, description)


class TaskBase(Resource):
    """A maintenance-window task of any kind: creates the ``AWS::SSM::MaintenanceWindowTask``
    (id ``Resource``) from the checked common options and what its kind adds.

    Attributes:
        task_id: the window task ID (a token). window, role: the window and the role it runs as
        (None with ``service_linked_role=True``). task_type: ``RUN_COMMAND``, ``AUTOMATION``,
        ``LAMBDA`` or ``STEP_FUNCTIONS``. priority: its priority. ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, common: _Common) -> None:
        super().__init__(scope, id)
        self._window = common.window
        self._role: Optional[iam.IRole] = (None if common.service_linked_role
                                           else common.role if common.role is not None else common.window.role)
        self.task_type = common.task_type
        self.priority = common.priority
        self._priority_given = common.priority_given
        self._task_id: Optional[str] = None
        self._resource: Optional[ssm.CfnMaintenanceWindowTask] = None
        children_of(common.window).tasks.append(self)

    @property
    def window(self) -> IPatchingWindow:
        """The window the task belongs to."""
        return self._window

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
        """Set by a Runbook, which numbers its steps."""
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

    def _create(self, common: _Common, *, task_arn: str,
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
        return self._resource


# ---------------------------------------------------------------------- helpers


def _task_targets(window: IPatchingWindow, targets: Any, instance_ids: Any, kind: str, *, required: bool) -> List[Any]:
    if targets is not None and instance_ids is not None:
        fail(
            "TaskTargetsConflict",
            "give targets or instance_ids, not both: register the instances as a WindowTarget and list it in targets.",
        )
    if targets is None and instance_ids is None:
        if not required:
            return []
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
        return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="InstanceIds", values=ids)]
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
    if len(set(map(id, targets))) != len(targets):
        fail("DuplicateValue", "targets lists the same WindowTarget twice: list each target once.")
    check_in(window, "TargetsPerTask", len(targets), lambda: f"{kind} of window {window.node.path}")
    return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[t.target_id for t in targets])]


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
    return _concurrency(max_concurrency), _errors(max_errors)


def _concurrency(value: Any) -> str:
    if isinstance(value, MaxConcurrency):
        return value.value
    if isinstance(value, MaxErrors):
        fail("InvalidMaxConcurrency", f"max_concurrency must be a MaxConcurrency value: got {value!r}.")
    if is_token(value):
        return str(value)
    if is_int(value):
        check_int_range("max_concurrency", value, 1, 9_999_999, "InvalidMaxConcurrency")
        return str(value)
    return MaxConcurrency(value).value


def _errors(value: Any) -> str:
    if isinstance(value, MaxErrors):
        return value.value
    if isinstance(value, MaxConcurrency):
        fail("InvalidMaxErrors", f"max_errors must be a MaxErrors value: got {value!r}.")
    if is_token(value):
        return str(value)
    if is_int(value):
        check_int_range("max_errors", value, 0, 9_999_999, "InvalidMaxErrors")
        return str(value)
    return MaxErrors(value).value


def parse_parameters(parameters: Optional[Mapping[str, Any]], common: _Common, *, key_max: int,
                     value_max: Optional[int] = None, max_keys: Optional[int] = None,
                     max_values: Optional[int] = None) -> Optional[Dict[str, List[str]]]:
    """Document parameters as ``{name: [values]}`` (a single string is one value), checked
    against the API's limits for the task type and for pseudo parameters."""
    if parameters is None:
        return None
    if not isinstance(parameters, Mapping):
        fail("InvalidType", f"parameters must be a dict of parameter name to value(s): got {quote(parameters)}.")
    if max_keys is not None and not 1 <= len(parameters) <= max_keys:
        fail("InvalidParameters", f"parameters must name 1 to {max_keys} parameters: got {len(parameters)}. "
                                  f"Leave parameters out rather than giving an empty dict.")
    result = {}
    for key, raw in parameters.items():
        if not isinstance(key, str) or not 1 <= len(key) <= key_max:
            fail("InvalidParameters", f"parameters key {quote(key)} must be a string of 1-{key_max} characters.")
        values = [raw] if isinstance(raw, str) else raw
        if isinstance(values, (bytes, Mapping)) or not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            fail("InvalidParameters", f"parameters[{key!r}] must be a string or a list of strings: got {quote(raw)}.")
        if max_values is not None and len(values) > max_values:
            fail("InvalidParameters", f"parameters[{key!r}] has {len(values)} values; the API takes at most {max_values}.")
        for value in values:
            check_no_control_characters(f"parameters[{key!r}]", value, "InvalidParameters")
            if value_max is not None and not is_token(value) and not 1 <= len(value) <= value_max:
                fail("InvalidParameters", f"parameters[{key!r}] value {quote(value)} must be 1-{value_max} characters.")
        common.check_values(f"parameters[{key!r}]", values)
        result[key] = list(values)
    return result


def parse_document_version(version: Any) -> Optional[str]:
    if version is None:
        return None
    if is_token(version):
        return str(version)
    text = str(version) if is_int(version) else version
    check_pattern(
        "" if text is None else text, _DOCUMENT_VERSION, "InvalidDocumentVersion",
        f"document_version must be '$LATEST', '$DEFAULT' or a version number from 1: got {quote(version)}.",
    )
    return str(text)


def parse_json(argument: str, value: Any, code: str) -> Optional[str]:
    """``value`` (a dict or a JSON string) as JSON text; tokens are kept as they are."""
    if value is None:
        return None
    if isinstance(value, str):
        if not is_token(value):
            try:
                json.loads(value)
            except ValueError as error:
                fail(code, f"{argument} must be a dict or a JSON string: {quote(value)} is not JSON ({error}).")
        return value
    if not isinstance(value, Mapping):
        fail(code, f"{argument} must be a dict or a JSON string: got {quote(value)}.")
    try:
        return json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        fail(code, f"{argument} must hold only JSON values (strings, numbers, lists, dicts, booleans, "
                               f"None): {error}.")
