"""``PatchingWindow``: one ``AWS::SSM::MaintenanceWindow``, and windows imported by ID or ARN.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows.html
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, TypedDict, Union

import jsii
from aws_cdk import Annotations, ArnFormat, Aws, CfnMapping, CfnTag, Duration, Names, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct, IConstruct, IValidation
from typing_extensions import Unpack

from .schedule.durations import Hours, window_hours
from ._internal.environment import deployments_of, is_stack_set_template, placement_of
from ._internal.quota_use import reserve_in_environment, watch_stack_size
from ._internal.registry import PerApp, PerStack, stack_of
from ._internal.light_resource import LightResource
from ._internal.scopes import check_scope, create_in
from ._internal.windows import children_of, stack_windows
from ._internal.patching import app_patching
from ._internal.tokens import is_token
from ._internal.validate import ROLE_MEMBERS, check_interface, check_resource_tags, check_name, check_options, check_pattern, check_text, check_type, fail, quote
from .checks import ACKNOWLEDGED_METADATA, TIER_METADATA, Finding, WindowFacts, analyse
from .coexistence import PatchingFacts
from .documents import DocumentLike
from .events import (
    TASK_EXECUTION_DETAIL_TYPE,
    WINDOW_EXECUTION_DETAIL_TYPE,
    TaskExecutionStatus,
    RuleTargetLike,
    WindowExecutionStatus,
)
from ._internal.deprecations import renamed, warn_renamed
from ._internal.event_rules import state_change_rule
from ._internal.iam_actions import REGISTER_TASK_ACTIONS, WINDOW_HISTORY_ACTIONS, WINDOW_SCOPED_ACTIONS
from .interfaces import IPatchingWindow, RunCommandOptions, TagValues, TargetDetails, WindowTargetOptions
from .iam.roles import MaintenanceWindowRole
from .schedule import EnvironmentSchedule, RegionalTimeZones, TimeZoneLike, WindowRun, WindowSchedule, window_runs
from ._internal.window_disabler import MAX_DISABLED_WINDOWS, disable_window, disabled_windows
from .targets import PatchGroupTarget, WindowTarget
from .tasks import RunCommandTask
from ._internal.signatures import truthful_signature

__all__ = ["PatchingWindow", "WindowOptions"]

_WINDOW_ID = re.compile(r"mw-[0-9a-f]{17}")
_WINDOW_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:maintenancewindow/(mw-[0-9a-f]{17})")


def _grant_on_window(grantee: iam.IGrantable, window_arn: str, actions: Sequence[str]) -> iam.Grant:
    """``actions`` for ``grantee``: on ``window_arn`` where IAM takes a window, else on ``*``."""
    check_interface("grantee", grantee, ("grant_principal",), "an iam.IGrantable, e.g. an iam.Role or iam.Group")
    scoped = [action for action in actions if action in WINDOW_SCOPED_ACTIONS]
    unscoped = [action for action in actions if action not in WINDOW_SCOPED_ACTIONS]
    grants = [iam.Grant.add_to_principal(grantee=grantee, actions=scoped, resource_arns=[window_arn])] if scoped else []
    if unscoped:
        grants.append(iam.Grant.add_to_principal(grantee=grantee, actions=unscoped, resource_arns=["*"]))
    grant: iam.Grant = grants[0]
    for other in grants[1:]:
        grant = grant.combine(other)
    return grant


class WindowOptions(TypedDict, total=False):
    """What a window takes besides its schedule, duration and cutoff.

    * ``window_name``: 3-128 of ``a-zA-Z0-9_-.``; default generated from the construct path (SSM
      requires one). ``name`` is its old, deprecated keyword (until 1.0).
    * ``description``: 1-128 characters.
    * ``allow_unassociated_targets``: let tasks name instance IDs that are not registered targets
      (default ``False``: tasks use registered targets).
    * ``tags``: ``{key: value}`` for the window resource.
    * ``role``: the role tasks run as by default, any ``iam.IRole`` (default: a
      :class:`MaintenanceWindowRole` created on first need, id ``Role``).
    * ``enabled``: ``False`` keeps the window disabled (it never opens) until you set it back to
      ``True``, e.g. an install window waiting for approval. CloudFormation has no such property:
      the window is disabled right after creation, and again after every change to it, by a small
      custom resource allowed to call ``ssm:UpdateMaintenanceWindow`` on the disabled windows only.
      Default ``True``: nothing extra is created.
    """

    window_name: Optional[str]
    name: Optional[str]  #: deprecated: ``window_name``
    description: Optional[str]
    allow_unassociated_targets: bool
    tags: Optional[Mapping[str, str]]
    role: Optional[iam.IRole]
    enabled: bool


@jsii.implements(ssm_refs.IMaintenanceWindowRef)
class _WindowBase(LightResource):
    """What owned and imported windows share: the role, and registering targets and tasks."""

    def __init__(self, scope: Construct, id: str, *, role: Optional[iam.IRole] = None,
                 allow_unassociated_targets: bool = False, environment_from_arn: Optional[str] = None) -> None:
        create_in(scope, id, type(self).__name__,
                  lambda: super(_WindowBase, self).__init__(scope, id, environment_from_arn=environment_from_arn))
        self._role: Optional[iam.IRole] = role
        self._allow_unassociated_targets = allow_unassociated_targets
        self._window_arn: Optional[str] = None

    @property
    def window_id(self) -> str:
        raise NotImplementedError

    @property
    def maintenance_window_ref(self) -> ssm_refs.MaintenanceWindowReference:
        """This window as aws-cdk-lib's ``aws_cdk.interfaces.aws_ssm`` reference, so it goes where
        an ``IMaintenanceWindowRef`` is asked for."""
        return ssm_refs.MaintenanceWindowReference(window_id=self.window_id)

    @property
    def window_arn(self) -> str:
        """``arn:<partition>:ssm:<region>:<account>:maintenancewindow/<window_id>``."""
        if self._window_arn is None:
            self._window_arn = Stack.of(self).format_arn(
                service="ssm", resource="maintenancewindow", resource_name=self.window_id,
                arn_format=ArnFormat.SLASH_RESOURCE_NAME)
        return self._window_arn

    @property
    def allow_unassociated_targets(self) -> bool:
        """Whether tasks may name instance IDs that are not registered as targets."""
        return self._allow_unassociated_targets

    @property
    def role(self) -> iam.IRole:
        """The role tasks of this window run as by default: the one given, or a
        :class:`MaintenanceWindowRole` child (id ``Role``) created the first time it is needed."""
        if self._role is None:
            self._role = MaintenanceWindowRole(self, "Role")
        return self._role

    def grant_read_history(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` (a person's role, a group, a function) read this window's schedule and
        execution history: what ``mw-constructs status`` reads, and what the console's History tab
        shows. ``ssm:DescribeMaintenanceWindowExecutions`` is allowed on this window only; IAM
        cannot limit the other reads to one window (``DescribeMaintenanceWindows``,
        ``DescribeMaintenanceWindowSchedule``, ``DescribeMaintenanceWindowExecutionTasks``,
        ``DescribeMaintenanceWindowExecutionTaskInvocations`` take only ``*``), so they are allowed
        on ``*``: they read, never change, the account's windows."""
        return _grant_on_window(grantee, self.window_arn, WINDOW_HISTORY_ACTIONS)

    def grant_register_tasks(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` register tasks with this window that run as the window's ``role``:
        ``ssm:RegisterTaskWithMaintenanceWindow`` on this window, and ``iam:PassRole`` on that role,
        only to Systems Manager (``iam:PassedToService``). A task that runs as another role needs
        PassRole on that one (``MaintenanceWindowRole.grant_pass_role``)."""
        grant = _grant_on_window(grantee, self.window_arn, REGISTER_TASK_ACTIONS)
        pass_role: iam.Grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=["iam:PassRole"], resource_arns=[self.role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}})
        return grant.combine(pass_role)

    def on_execution_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                  statuses: Optional[Sequence[WindowExecutionStatus]] = None,
                                  description: Optional[str] = None, rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule (a child ``id`` of the window) for this window's executions:
        ``detail-type`` "Maintenance Window Execution State-change Notification", this
        ``window-id``, and ``statuses`` if given (default: every status), sent to ``target``::

            window.on_execution_state_change("Failed", target=targets.SnsTopic(topic),
                                             statuses=[WindowExecutionStatus.FAILED, WindowExecutionStatus.TIMED_OUT])

        As aws-cdk-lib's ``on_*`` methods: ``event_pattern`` adds conditions on fields this rule
        leaves open (e.g. ``region``, ``account``, other ``detail`` keys; a field the rule sets is
        ``EventPatternConflict``), and ``cross_stack_scope`` is the scope ``events.Rule`` uses when
        the target is in another stack of the same account and Region.
        """
        return state_change_rule(self, id, detail_type=WINDOW_EXECUTION_DETAIL_TYPE, detail={"window-id": [self.window_id]},
                                 statuses=statuses, status_type=WindowExecutionStatus, target=target,
                                 description=description, rule_name=rule_name,
                                 event_pattern=event_pattern, cross_stack_scope=cross_stack_scope)

    def on_task_execution_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                       statuses: Optional[Sequence[TaskExecutionStatus]] = None,
                                       description: Optional[str] = None,
                                       rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule (a child ``id`` of the window) for the task executions of this
        window ("Maintenance Window Task Execution State-change Notification"). The event does
        not name the task, only the window, so the rule covers every task of the window.
        ``event_pattern`` and ``cross_stack_scope`` as for :meth:`on_execution_state_change`."""
        return state_change_rule(self, id, detail_type=TASK_EXECUTION_DETAIL_TYPE, detail={"window-id": [self.window_id]},
                                 statuses=statuses, status_type=TaskExecutionStatus, target=target,
                                 description=description, rule_name=rule_name,
                                 event_pattern=event_pattern, cross_stack_scope=cross_stack_scope)

    def add_target(self, id: str, **options: Unpack[WindowTargetOptions]) -> WindowTarget:
        """Register instances with this window (a :class:`WindowTarget` child of the window):
        ``window.add_target("Web", tags={"Role": "web"})``."""
        return WindowTarget(self, id, window=self, **options)

    def add_patch_group_target(self, id: str, *, patch_group: TagValues, tag_key: str = "Patch Group",
                               **details: Unpack[TargetDetails]) -> PatchGroupTarget:
        """Register a patch group with this window (a :class:`PatchGroupTarget` child)."""
        return PatchGroupTarget(self, id, window=self, patch_group=patch_group, tag_key=tag_key, **details)

    def add_task(self, id: str, *, document: DocumentLike,
                 parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
                 **options: Unpack[RunCommandOptions]) -> RunCommandTask:
        """Register a Run Command task with this window (a :class:`RunCommandTask` child), as
        ``aws ssm register-task-with-maintenance-window --task-type RUN_COMMAND`` does. For the
        other kinds and for patching, use the task classes with ``window=``."""
        return RunCommandTask(self, id, window=self, document=document, parameters=parameters, **options)


@truthful_signature
class PatchingWindow(_WindowBase):
    """A maintenance window: when it opens, how long it stays open, and when it stops
    starting new tasks.

    Args:
        schedule: a :class:`WindowSchedule` (expression, time zone, offset, active period).
        duration: how long the window stays open, 1-24 whole hours: a ``Duration`` or a
            ``datetime.timedelta`` (read in Python, without a round trip to jsii: the faster
            choice for apps with many windows).
        cutoff: how long before the end no new task starts, 0-23 whole hours, below ``duration``
            (a ``Duration`` or a ``timedelta``).
        **options: :class:`WindowOptions` (``window_name``, ``description``, ``allow_unassociated_targets``,
            ``tags``, ``role``, ``enabled``).

    Attributes:
        window_id, window_arn: tokens. schedule, duration_hours, cutoff_hours: the values used.
        window_name: the window's name (given or generated). enabled: see ``WindowOptions``.
        tier: ``"production"``, ``"non-production"`` or None (set by :meth:`for_environment`).
        role: see ``WindowOptions``. ``node.default_child`` is the ``CfnMaintenanceWindow``.

    At synthesis the app's windows are checked together and suspicious setups get warnings
    with stable ids (see the docs' "Schedules" guide and ``mw_constructs.checks``).
    """

    def __init__(self, scope: Construct, id: str, *, schedule: WindowSchedule, duration: Union[Duration, timedelta],
                 cutoff: Union[Duration, timedelta], **options: Unpack[WindowOptions]) -> None:
        check_scope(scope, id, "PatchingWindow")
        check_options("PatchingWindow", options, WindowOptions.__annotations__)
        check_type("schedule", schedule, WindowSchedule, "a WindowSchedule, e.g. WindowSchedule.expression('cron(0 2 ? * SUN *)')")
        duration_hours, cutoff_hours = window_hours(duration, cutoff)
        name, name_keyword = renamed(options, "window_name", "name")
        description = options.get("description")
        check_name(name_keyword, name)
        check_text("description", description, 1, 128, "InvalidDescription")
        allow_unassociated_targets = options.get("allow_unassociated_targets", False)
        check_type("allow_unassociated_targets", allow_unassociated_targets, bool, "True or False")
        tags = options.get("tags")
        cfn_tags = None if tags is None else [CfnTag(key=key, value=value) for key, value in check_resource_tags("tags", tags)]
        role = options.get("role")
        if role is not None:
            check_interface("role", role, ROLE_MEMBERS, "an iam.IRole, e.g. MaintenanceWindowRole(...) or iam.Role(...)")
        enabled = options.get("enabled", True)
        check_type("enabled", enabled, bool, "True or False")
        if not enabled and disabled_windows(scope) >= MAX_DISABLED_WINDOWS:
            fail("TooManyDisabledWindows", (
                f"enabled=False: stack {stack_of(scope).node.path} already has {MAX_DISABLED_WINDOWS} disabled windows, "
                f"each with a policy on one role, and IAM takes at most 10,240 characters of a role's policies. Put the "
                f"other disabled windows in another stack."))
        if schedule.time_zones is not None:
            _check_stack_region(scope, schedule.time_zones)
        reserve = reserve_in_environment(scope, "MaintenanceWindowsPerRegion")
        watch_stack_size(scope)
        super().__init__(scope, id, role=role, allow_unassociated_targets=allow_unassociated_targets)
        reserve()
        self._stack = stack_of(scope)  # the scope's stack, already known: not asked of jsii again

        self.schedule = schedule
        self.duration_hours: Hours = duration_hours
        self.cutoff_hours: Hours = cutoff_hours
        self.tier: Optional[str] = None
        self.enabled: bool = enabled
        self.window_name: str = name or Names.unique_resource_name(self, max_length=128, separator="-")
        properties: Dict[str, Any] = dict(
            name=self.window_name,
            description=description,
            schedule=schedule.expression_string,
            schedule_timezone=schedule.time_zone if schedule.time_zones is None else _time_zone_of_region(self, schedule.time_zones),
            schedule_offset=schedule.schedule_offset,
            start_date=schedule.start_date_string,
            end_date=schedule.end_date_string,
            duration=duration_hours,
            cutoff=cutoff_hours,
            allow_unassociated_targets=allow_unassociated_targets,
        )
        self._resource = resource = ssm.CfnMaintenanceWindow(self, "Resource", tags=cfn_tags, **properties)
        self._window_id: str = resource.ref
        if name_keyword == "name":
            warn_renamed(self, "PatchingWindow", "name", "window_name")
        _SCHEDULE_CHECKS.of(scope).windows.append(self)
        app_patching(scope).windows.append(self)
        if not enabled:
            # Every property CloudFormation may change, so that a change disables the window again.
            disable_window(self, self._window_id, self.window_arn, {
                _pascal(key): value for key, value in properties.items() if value is not None})
        stack_windows(scope).append(self)

    @property
    def window_id(self) -> str:
        """The window ID (a token)."""
        return self._window_id

    @classmethod
    def for_environment(
        cls,
        scope: Construct,
        id: str,
        *,
        environment: EnvironmentSchedule,
        time_zone: Optional[TimeZoneLike],
        schedule: Optional[WindowSchedule] = None,
        duration: Union[Duration, timedelta, None] = None,
        cutoff: Union[Duration, timedelta, None] = None,
        **options: Unpack[WindowOptions],
    ) -> "PatchingWindow":
        """A window for a patching tier such as ``EnvironmentSchedule.PRODUCTION``, its cron
        read in ``time_zone`` (an IANA name; None = UTC).

        Every other argument is as in the constructor and, when given, beats the preset:
        explicit argument > preset > library default. The window's ``tier`` comes from
        the preset and is recorded in the template (resource metadata
        ``mw-constructs:tier``) for ``mw-constructs check``.
        """
        check_options("PatchingWindow.for_environment", options, WindowOptions.__annotations__)
        check_type("environment", environment, EnvironmentSchedule, "an EnvironmentSchedule, e.g. EnvironmentSchedule.PRODUCTION")
        if options.get("description") is None:
            zone = "local time of each Region" if isinstance(time_zone, RegionalTimeZones) else \
                getattr(time_zone, "timezone_name", time_zone) or "UTC"
            options["description"] = f"{environment.name} patching, {environment.summary} ({zone})"[:128]
        window = cls(
            scope,
            id,
            schedule=schedule if schedule is not None else environment.schedule(time_zone),
            # the preset's hours as timedeltas: read in Python, no round trip to jsii
            duration=duration if duration is not None else timedelta(hours=environment.duration_hours),
            cutoff=cutoff if cutoff is not None else timedelta(hours=environment.cutoff_hours),
            **options,
        )
        window.tier = environment.tier
        if environment.tier is not None:
            window._resource.add_metadata(TIER_METADATA, environment.tier)
        return window

    @staticmethod
    def from_window_id(scope: Construct, id: str, window_id: str, *, allow_unassociated_targets: bool = False,
                       role: Optional[iam.IRole] = None) -> IPatchingWindow:
        """A window that exists already (``mw-`` followed by 17 hex digits), in this stack's
        account and Region. Targets and tasks can be registered with it; its role (``role``, or
        a :class:`MaintenanceWindowRole` created on first need) runs their tasks. Say
        ``allow_unassociated_targets=True`` if the window allows tasks on unregistered instances."""
        return PatchingWindow.from_window_attributes(scope, id, window_id=window_id,
                                                     allow_unassociated_targets=allow_unassociated_targets, role=role)

    @staticmethod
    def from_window_attributes(scope: Construct, id: str, *, window_id: Optional[str] = None,
                               window_arn: Optional[str] = None, allow_unassociated_targets: bool = False,
                               role: Optional[iam.IRole] = None) -> IPatchingWindow:
        """A window that exists already, by ``window_id`` or by ``window_arn`` (give one; an ARN
        may name another account or Region). Other arguments as in :meth:`from_window_id`."""
        if (window_id is None) == (window_arn is None):
            fail("InvalidWindowId", "give window_id or window_arn (exactly one) to import a window.")
        if window_arn is not None and not is_token(window_arn):
            match = _WINDOW_ARN.fullmatch(window_arn) if isinstance(window_arn, str) else None
            if match is None:
                fail("InvalidWindowArn", f"window_arn must look like 'arn:aws:ssm:eu-west-1:123456789012:maintenancewindow/"
                                         f"mw-0123456789abcdef0': got {quote(window_arn)}.")
            window_id = match.group(1)
        check_pattern(
            "" if window_id is None else window_id, _WINDOW_ID, "InvalidWindowId",
            f"window_id must be 'mw-' followed by 17 lower-case hex digits: got {quote(window_id)}.",
        )
        check_type("allow_unassociated_targets", allow_unassociated_targets, bool, "True or False")
        if role is not None:
            check_interface("role", role, ROLE_MEMBERS, "an iam.IRole")
        assert window_id is not None
        return _ImportedWindow(scope, id, window_id, window_arn, allow_unassociated_targets, role)

    def preview(self, count: int, *, after: Optional[datetime] = None) -> List[WindowRun]:
        """The next ``count`` runs: when the window opens, the last moment a task may start
        (``cutoff``) and when it closes, in the schedule's time zone, after ``after``
        (default: now). Runs that would open before the previous one has closed are marked
        ``skipped``: SSM skips them (SKIPPED_OVERLAPPING) if the previous execution is still
        running then (see :class:`WindowRun`)."""
        if is_token(self.duration_hours) or is_token(self.cutoff_hours):
            fail("UnresolvedSchedule", "duration or cutoff is an unresolved CDK token: runs cannot be previewed.")
        after = after if after is not None else datetime.now(timezone.utc)
        return window_runs(
            self.schedule, duration_hours=int(self.duration_hours), cutoff_hours=int(self.cutoff_hours),
            count=count, after=after,
        )

    def patching_facts(self) -> List[PatchingFacts]:
        """What this window patches, per place it is deployed to (the checks across patching
        models): the node selectors of its targets and the operations of its patching tasks;
        nothing when no task runs a patching document."""
        children = children_of(self)
        operations = frozenset(operation for task in children.tasks
                               for operation in (getattr(task, "patch_operation", None),) if operation is not None)
        selectors = tuple(selector for target in children.targets
                          for selector in (getattr(target, "node_selector", None),) if selector is not None)
        if not operations or not selectors:
            return []
        return [PatchingFacts(name=self.node.path, model="window", environment=placement, selectors=selectors,
                              operations=operations) for placement in deployments_of(self._stack)]

    def _facts(self) -> List[WindowFacts]:
        """This window as the schedule checks see it: one entry per Region (and account or
        organizational units) it is deployed to, its schedule read in that Region's zone."""
        schedule = self.schedule
        literal = not (schedule.kind == "token" or is_token(self.duration_hours) or is_token(self.cutoff_hours))
        children = children_of(self)
        base = WindowFacts(
            name=_PathLabel(self),
            schedule=schedule if literal else None,
            duration_hours=int(self.duration_hours) if literal else 1,
            cutoff_hours=int(self.cutoff_hours) if literal else 0,
            tier=self.tier,
            patch_groups=frozenset(group for target in children.targets for group in target.patch_groups),
            task_timeouts=tuple(
                (task.node.id, int(seconds)) for task in children.tasks
                for seconds in (getattr(task, "timeout_seconds", None),)
                if seconds is not None and not is_token(seconds)
            ),
            scan_only=bool(children.tasks) and all(task.only_scans for task in children.tasks),
        )
        zones = schedule.time_zones
        placements = deployments_of(self._stack)
        if zones is None:
            return [replace(base, region=placement.region, environment=placement) for placement in placements]
        return [
            replace(base, name=_PathLabel(self, copy.region), schedule=schedule.in_region(copy.region) if literal else None,
                    region=copy.region, environment=copy, follow_the_sun=True)
            for placement in placements for copy in placement.follow_the_sun(zones.regions)
            if copy.region in zones.regions  # a Region without a zone is PatchingStackSet's error to report
        ]


class _ImportedWindow(_WindowBase):
    def __init__(self, scope: Construct, id: str, window_id: str, window_arn: Optional[str],
                 allow_unassociated_targets: bool, role: Optional[iam.IRole]) -> None:
        super().__init__(scope, id, role=role, allow_unassociated_targets=allow_unassociated_targets,
                         environment_from_arn=window_arn)
        self._imported_id = window_id
        if window_arn is not None:
            self._window_arn = window_arn

    @property
    def window_id(self) -> str:
        return self._imported_id


class _PathLabel:
    """A window's construct path (and the Region of a follow-the-sun copy), read from jsii only
    when a message needs it."""

    def __init__(self, window: Construct, region: Optional[str] = None) -> None:
        self._window = window
        self._region = region
        self._path: Optional[str] = None

    def __str__(self) -> str:
        if self._path is None:
            self._path = self._window.node.path + (f" [{self._region}]" if self._region else "")
        return self._path

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


@jsii.implements(IValidation)
class _ScheduleChecks:
    """One per app: at synthesis, checks all its windows together and adds warnings. The ids
    the app acknowledged on a window are recorded in its metadata for ``mw-constructs check``."""

    def __init__(self) -> None:
        self.windows: List[PatchingWindow] = []
        self._reported: Set[Tuple[int, str, str]] = set()
        self._acknowledged: Dict[int, Set[str]] = {}

    def validate(self) -> List[str]:
        facts: List[WindowFacts] = []
        owner: Dict[int, PatchingWindow] = {}
        for window in self.windows:
            for entry in window._facts():
                facts.append(entry)
                owner[id(entry)] = window
        findings: Dict[int, List[Finding]] = {}
        for finding in analyse(facts):
            findings.setdefault(id(owner[id(finding.window)]), []).append(finding)
        for window in self.windows:
            self._report(window, findings.get(id(window), []))
        return []

    def _report(self, window: PatchingWindow, findings: List[Finding]) -> None:
        if not findings:
            return
        annotations = Annotations.of(window)
        for finding in findings:
            key = (id(window), finding.id, finding.message)
            if key not in self._reported:
                self._reported.add(key)
                annotations.add_warning_v2(finding.id, finding.message)
        shown = [str(entry.data) for entry in window.node.metadata if entry.type == "aws:cdk:warning"]
        acknowledged = {f.id for f in findings if not any(f"[ack: {f.id}]" in text for text in shown)}
        recorded = self._acknowledged.setdefault(id(window), set())
        if acknowledged - recorded:
            recorded |= acknowledged
            window.node.add_metadata(ACKNOWLEDGED_METADATA, sorted(acknowledged))


def _check_stack_region(scope: Construct, zones: RegionalTimeZones) -> None:
    """A follow-the-sun window in a stack with a fixed Region needs that Region's zone."""
    stack = Stack.of(scope)
    region = placement_of(stack).region
    if region is not None and not is_stack_set_template(stack):
        zones.zone(region)


def _time_zone_of_region(scope: Construct, zones: RegionalTimeZones) -> str:
    """``ScheduleTimezone`` for ``zones``: ``Fn::FindInMap`` on a mapping of the stack keyed by
    ``AWS::Region`` (``RegionalTimeZones``, ``RegionalTimeZones2``, ... one per distinct set)."""
    mappings = _TIME_ZONE_MAPPINGS.of(scope)
    if zones not in mappings:
        mappings[zones] = CfnMapping(Stack.of(scope), f"RegionalTimeZones{len(mappings) + 1 if mappings else ''}",
                                     mapping={region: {"TimeZone": zone} for region, zone in zones.items()})
    return mappings[zones].find_in_map(Aws.REGION, "TimeZone")


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _new_schedule_checks(root: IConstruct) -> _ScheduleChecks:
    """The app's ``_ScheduleChecks``, registered as a validation of the app's root."""
    checks = _ScheduleChecks()
    root.node.add_validation(checks)
    return checks


#: Per app: the schedule checks of all its windows.
_SCHEDULE_CHECKS: PerApp[_ScheduleChecks] = PerApp(_new_schedule_checks)
#: Per stack: the ``RegionalTimeZones`` mappings of its follow-the-sun windows.
_TIME_ZONE_MAPPINGS: PerStack[Dict[RegionalTimeZones, CfnMapping]] = PerStack(lambda stack: {})
