"""``PatchingWindow``: one ``AWS::SSM::MaintenanceWindow``.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows.html
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from aws_cdk import CfnTag, Names
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from ._durations import whole_hours
from ._tokens import is_token
from ._validate import check_name, check_text, check_type, fail, has_only_tag_characters, quote
from .role import MaintenanceWindowRole, _RoleBase
from .schedule import WindowSchedule

__all__ = ["PatchingWindow"]

_WINDOW_ID = re.compile(r"mw-[0-9a-f]{17}")


class _WindowBase(Construct):
    """What targets and tasks need from a window, owned or imported."""

    window_id: str
    allow_unassociated_targets: bool
    _role: Optional[_RoleBase] = None

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
        role: see above. ``node.default_child`` is the ``CfnMaintenanceWindow``.
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
        self._role = role
        resource = ssm.CfnMaintenanceWindow(
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

    @classmethod
    def from_window_id(
        cls, scope: Construct, id: str, window_id: str, *, allow_unassociated_targets: bool = False
    ) -> _WindowBase:
        """Use a window that exists already (``mw-`` followed by 17 hex digits).

        Targets and tasks can be registered with it; its role is created on first need.
        Say ``allow_unassociated_targets=True`` if the window allows tasks on
        unregistered instance IDs.
        """
        if not is_token(window_id) and (not isinstance(window_id, str) or not _WINDOW_ID.fullmatch(window_id)):
            fail(
                "InvalidWindowId",
                f"window_id must be 'mw-' followed by 17 lower-case hex digits: got {quote(window_id)}.",
            )
        check_type("allow_unassociated_targets", allow_unassociated_targets, bool, "True or False")
        return _ImportedWindow(scope, id, window_id, allow_unassociated_targets)


class _ImportedWindow(_WindowBase):
    def __init__(self, scope: Construct, id: str, window_id: str, allow_unassociated_targets: bool) -> None:
        super().__init__(scope, id)
        self.window_id = window_id
        self.allow_unassociated_targets = allow_unassociated_targets


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
