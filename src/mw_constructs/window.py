"""``PatchingWindow``: one ``AWS::SSM::MaintenanceWindow``.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows.html
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, List, Mapping, Optional

import jsii
from aws_cdk import Annotations, CfnTag, Names
from aws_cdk import aws_ssm as ssm
from constructs import Construct, IValidation

from ._analysis import WindowFacts, analyse
from ._durations import whole_hours
from ._singletons import per_app
from ._tokens import is_token
from ._validate import check_name, check_pattern, check_text, check_type, fail, has_only_tag_characters, quote
from .presets import EnvironmentSchedule
from .role import MaintenanceWindowRole, _RoleBase
from .schedule import TimeZoneLike, WindowRun, WindowSchedule, window_runs

__all__ = ["PatchingWindow"]

_WINDOW_ID = re.compile(r"mw-[0-9a-f]{17}")


class _WindowBase(Construct):
    """What targets and tasks need from a window, owned or imported."""

    window_id: str
    allow_unassociated_targets: bool
    _role: Optional[_RoleBase] = None

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self._targets: List[Any] = []  # WindowTargets registered with this window
        self._tasks: List[Any] = []  # tasks registered with this window

    @property
    def role(self) -> _RoleBase:
        """The role tasks of this window run as; a ``MaintenanceWindowRole`` child
        (id ``Role``) is created the first time it is needed, unless one was given."""
        if self._role is None:
            self._role = MaintenanceWindowRole(self, "Role")
        return self._role


class PatchingWindow(_WindowBase):
    """A maintenance window: when it opens, how long it stays open, and when it stops
    starting new tasks.

    Args:
        schedule: a :class:`WindowSchedule` (expression, time zone, offset, active period).
        duration: how long the window stays open, a ``Duration`` of 1-24 whole hours.
        cutoff: how long before the end no new task starts, 0-23 whole hours, below ``duration``.
        name: window name (3-128 of ``a-zA-Z0-9_-.``); default: generated from the construct path.
        description: 1-128 characters.
        allow_unassociated_targets: let tasks name instance IDs that are not registered
            as targets (default ``False``: tasks must use registered targets).
        tags: tags for the window resource, ``{key: value}``.
        role: the :class:`MaintenanceWindowRole` tasks run as by default; created on first need.

    Attributes:
        window_id: the window ID (``mw-...``, a token).
        schedule, duration_hours, cutoff_hours: the values the window was built with.
        tier: ``"production"``, ``"non-production"`` or None (set by :meth:`for_environment`).
        role: see above. ``node.default_child`` is the ``CfnMaintenanceWindow``.

    At synthesis the app's windows are checked together and suspicious schedules get
    warnings with stable ids (see README "Schedule warnings"): starts that overlap the
    window itself, production opening before non-production in a cycle, windows of the
    same patch group open at once, task timeouts longer than the cutoff.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        schedule: WindowSchedule,
        duration: Any,
        cutoff: Any,
        name: Optional[str] = None,
        description: Optional[str] = None,
        allow_unassociated_targets: bool = False,
        tags: Optional[Mapping[str, str]] = None,
        role: Optional[_RoleBase] = None,
    ) -> None:
        check_type("schedule", schedule, WindowSchedule, "a WindowSchedule, e.g. WindowSchedule.expression('cron(0 2 ? * SUN *)')")
        duration_hours = whole_hours("duration", duration, 1, 24, "DurationRange")
        cutoff_hours = whole_hours("cutoff", cutoff, 0, 23, "CutoffRange")
        _check_cutoff_below_duration(cutoff_hours, duration_hours)
        check_name("name", name)
        check_text("description", description, 1, 128, "InvalidDescription")
        check_type("allow_unassociated_targets", allow_unassociated_targets, bool, "True or False")
        cfn_tags = _cfn_tags(tags)
        if role is not None:
            check_type("role", role, _RoleBase, "a MaintenanceWindowRole")
        super().__init__(scope, id)

        self.schedule = schedule
        self.duration_hours = duration_hours
        self.cutoff_hours = cutoff_hours
        self.allow_unassociated_targets = allow_unassociated_targets
        self.tier: Optional[str] = None
        self._role = role
        self._resource = resource = ssm.CfnMaintenanceWindow(
            self,
            "Resource",
            name=name or Names.unique_resource_name(self, max_length=128, separator="-"),
            description=description,
            schedule=schedule.expression_string,
            schedule_timezone=schedule.time_zone,
            schedule_offset=schedule.schedule_offset,
            start_date=schedule.start_date_string,
            end_date=schedule.end_date_string,
            duration=duration_hours,
            cutoff=cutoff_hours,
            allow_unassociated_targets=allow_unassociated_targets,
            tags=cfn_tags,
        )
        self.window_id = resource.ref
        _schedule_checks(scope).windows.append(self)

    @classmethod
    def for_environment(
        cls,
        scope: Construct,
        id: str,
        *,
        environment: EnvironmentSchedule,
        time_zone: Optional[TimeZoneLike],
        schedule: Optional[WindowSchedule] = None,
        duration: Any = None,
        cutoff: Any = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        allow_unassociated_targets: bool = False,
        tags: Optional[Mapping[str, str]] = None,
        role: Optional[_RoleBase] = None,
    ) -> "PatchingWindow":
        """A window for a patching tier such as ``EnvironmentSchedule.PRODUCTION``, its cron
        read in ``time_zone`` (an IANA name; None = UTC).

        Every other argument is as in the constructor and, when given, beats the preset:
        explicit argument > preset > library default. The window's ``tier`` comes from
        the preset and is recorded in the template (resource metadata
        ``mw-constructs:tier``) for ``mw-constructs check``.
        """
        check_type("environment", environment, EnvironmentSchedule, "an EnvironmentSchedule, e.g. EnvironmentSchedule.PRODUCTION")
        if description is None:
            zone = getattr(time_zone, "timezone_name", time_zone) or "UTC"
            description = f"{environment.name} patching, {environment.summary} ({zone})"[:128]
        window = cls(
            scope,
            id,
            schedule=schedule if schedule is not None else environment.schedule(time_zone),
            duration=duration if duration is not None else environment.duration,
            cutoff=cutoff if cutoff is not None else environment.cutoff,
            name=name,
            description=description,
            allow_unassociated_targets=allow_unassociated_targets,
            tags=tags,
            role=role,
        )
        window.tier = environment.tier
        if environment.tier is not None:
            window._resource.add_metadata("mw-constructs:tier", environment.tier)
        return window

    def preview(self, count: int, *, after: Optional[datetime] = None) -> List[WindowRun]:
        """The next ``count`` runs: when the window opens, the last moment a task may start
        (``cutoff``) and when it closes, in the schedule's time zone, after ``after``
        (default: now). Runs that would open while the previous one is still open are
        marked ``skipped``, as SSM records them (SKIPPED_OVERLAPPING)."""
        if is_token(self.duration_hours) or is_token(self.cutoff_hours):
            fail("UnresolvedSchedule", "duration or cutoff is an unresolved CDK token: runs cannot be previewed.")
        after = after if after is not None else datetime.now(timezone.utc)
        return window_runs(
            self.schedule, duration_hours=int(self.duration_hours), cutoff_hours=int(self.cutoff_hours),
            count=count, after=after,
        )

    def _facts(self) -> WindowFacts:
        """This window as the schedule checks see it."""
        literal = not (self.schedule.kind == "token" or is_token(self.duration_hours) or is_token(self.cutoff_hours))
        return WindowFacts(
            name=_PathLabel(self),
            schedule=self.schedule if literal else None,
            duration_hours=int(self.duration_hours) if literal else 1,
            cutoff_hours=int(self.cutoff_hours) if literal else 0,
            tier=self.tier,
            patch_groups=frozenset(group for target in self._targets for group in getattr(target, "patch_groups", ())),
            task_timeouts=tuple(
                (task._label, int(task.timeout_seconds)) for task in self._tasks
                if task.timeout_seconds is not None and not is_token(task.timeout_seconds)
            ),
        )

    @classmethod
    def from_window_id(
        cls, scope: Construct, id: str, window_id: str, *, allow_unassociated_targets: bool = False
    ) -> _WindowBase:
        """Use a window that exists already (``mw-`` followed by 17 hex digits).

        Targets and tasks can be registered with it; its role is created on first need.
        Say ``allow_unassociated_targets=True`` if the window allows tasks on
        unregistered instance IDs.
        """
        check_pattern(
            "" if window_id is None else window_id, _WINDOW_ID, "InvalidWindowId",
            f"window_id must be 'mw-' followed by 17 lower-case hex digits: got {quote(window_id)}.",
        )
        check_type("allow_unassociated_targets", allow_unassociated_targets, bool, "True or False")
        return _ImportedWindow(scope, id, window_id, allow_unassociated_targets)


class _ImportedWindow(_WindowBase):
    def __init__(self, scope: Construct, id: str, window_id: str, allow_unassociated_targets: bool) -> None:
        super().__init__(scope, id)
        self.window_id = window_id
        self.allow_unassociated_targets = allow_unassociated_targets


class _PathLabel:
    """A window's construct path, read from jsii only when a message needs it."""

    def __init__(self, window: Construct) -> None:
        self._window = window
        self._path: Optional[str] = None

    def __str__(self) -> str:
        if self._path is None:
            self._path = self._window.node.path
        return self._path

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731


@jsii.implements(IValidation)
class _ScheduleChecks:
    """One per app: at synthesis, checks all its windows together and adds warnings."""

    def __init__(self) -> None:
        self.windows: List[PatchingWindow] = []
        self._reported: set = set()

    def validate(self) -> List[str]:
        facts = [window._facts() for window in self.windows]
        owner = {id(entry): window for entry, window in zip(facts, self.windows, strict=True)}
        for finding in analyse(facts):
            window = owner[id(finding.window)]
            key = (id(window), finding.id, finding.message)
            if key not in self._reported:
                self._reported.add(key)
                Annotations.of(window).add_warning_v2(finding.id, finding.message)
        return []


def _schedule_checks(scope: Construct) -> _ScheduleChecks:
    """The app's ``_ScheduleChecks``, registered on the app's root the first time."""
    def create(root: Construct) -> _ScheduleChecks:
        checks = _ScheduleChecks()
        root.node.add_validation(checks)
        return checks

    return per_app(scope, "_mw_schedule_checks", create)


def _check_cutoff_below_duration(cutoff: Any, duration: Any) -> None:
    if is_token(cutoff) or is_token(duration):
        return
    if cutoff >= duration:
        fail(
            "CutoffNotBelowDuration",
            f"cutoff must be less than duration: got cutoff={int(cutoff)} hours, duration={int(duration)} "
            f"hours. No task could ever start; lower cutoff to at most {int(duration) - 1} hours or lengthen the window.",
        )


def _cfn_tags(tags: Optional[Mapping[str, str]]) -> Optional[list]:
    if tags is None:
        return None
    if not isinstance(tags, Mapping):
        fail("InvalidType", f"tags must be a dict of tag key to value: got {quote(tags)}.")
    result = []
    for key, value in tags.items():
        _check_resource_tag(key, value)
        result.append(CfnTag(key=key, value=value))
    return result


def _check_resource_tag(key: Any, value: Any) -> None:
    if is_token(key) or is_token(value):
        return
    if not isinstance(key, str) or not 1 <= len(key) <= 128 or not has_only_tag_characters(key):
        fail(
            "InvalidTag",
            f"tags key {quote(key)} is not valid: 1-128 letters, digits, spaces or '_.:/=+-@'.",
        )
    if key.lower().startswith("aws:"):
        fail("InvalidTag", f"tags key {quote(key)} uses the reserved 'aws:' prefix: choose another key.")
    if not isinstance(value, str) or len(value) > 256 or not has_only_tag_characters(value):
        fail(
            "InvalidTag",
            f"tags value {quote(value)} for key {quote(key)} is not valid: 0-256 letters, digits, spaces or '_.:/=+-@'.",
        )
