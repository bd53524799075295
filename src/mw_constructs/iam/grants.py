"""How a task's role gets what the task needs: the ``Permission`` value every task kind builds,
the statements every task with targets shares, and the one path by which permissions reach a
role (a ``MaintenanceWindowRole``'s tidy managed policy, or any other ``iam.IRole``'s policy).

Each task kind lists its own actions, beside its code and with the AWS page they come from
(``tasks/run_command.py``, ``tasks/automation.py``, ...). What is shared lives here:

* resolving tag and resource-group targets (any task with targets): the maintenance-window
  service role page, https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-maintenance-permissions.html;
* which actions take resource-level permissions: the Service Authorization Reference,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html;
* ``iam:PassRole``, only to Systems Manager (notification and automation roles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Sequence, Set, Tuple

import jsii
from aws_cdk import Annotations
from aws_cdk import aws_iam as iam
from constructs import Construct, Dependable, IDependable, IValidation

from .._internal.arns import arn_in_this_environment
from .._internal.registry import PerObject
from .._internal.validate import check_warning_id

__all__ = ["Permission", "grant", "pass_role_permission", "set_policy_writer", "target_permissions",
           "PASSED_TO_SSM", "PASS_ROLE", "SSM_SERVICE"]

SSM_SERVICE = "ssm.amazonaws.com"
PASS_ROLE = "iam:PassRole"
#: The condition on every ``iam:PassRole`` the library grants: only to Systems Manager.
PASSED_TO_SSM: Dict[str, Dict[str, str]] = {"StringEquals": {"iam:PassedToService": SSM_SERVICE}}
#: Resolving tag and resource-group targets. ListGroups and GetResources take "*" only.
TARGET_LOOKUP_ACTIONS: Tuple[str, ...] = ("resource-groups:ListGroups", "tag:GetResources")
#: Scoped to this account's resource groups.
GROUP_RESOURCES_ACTION = "resource-groups:ListGroupResources"


@dataclass(frozen=True)
class Permission:
    """One statement a task needs from its role, as plain values (compared without jsii).

    ``sid`` names the statement it joins in a ``MaintenanceWindowRole``'s policy; ``why``
    says why a wildcard in ``resources`` is needed (the cdk-nag acknowledgment's reason)."""

    actions: Tuple[str, ...]
    resources: Tuple[str, ...]
    pass_to_ssm: bool = False  # condition iam:PassedToService = ssm.amazonaws.com
    sid: str = field(default="", compare=False)
    why: str = field(default="", compare=False)

    def statement(self) -> iam.PolicyStatement:
        return iam.PolicyStatement(actions=list(self.actions), resources=list(self.resources),
                                   conditions=PASSED_TO_SSM if self.pass_to_ssm else None)


def target_permissions() -> Tuple[Permission, Permission]:
    """What resolving tag and resource-group targets takes (any task with targets)."""
    return (
        Permission(TARGET_LOOKUP_ACTIONS, ("*",), sid="ResolveTargets"),
        Permission((GROUP_RESOURCES_ACTION,), (arn_in_this_environment("resource-groups", "group/*"),),
                   sid="ResolveResourceGroupTargets"),
    )


def pass_role_permission(role_arn: str) -> Permission:
    """``iam:PassRole`` on ``role_arn``, only to Systems Manager (notification and automation roles)."""
    return Permission((PASS_ROLE,), (role_arn,), pass_to_ssm=True, sid="PassRolesToSystemsManager")


PolicyWriter = Callable[[Sequence[Permission]], None]
#: Per role: how the library writes permissions into it, when the role says so (a
#: ``MaintenanceWindowRole`` merges them into its managed policy), and what it already gave a
#: role of any other kind (and whether that took).
_WRITERS: PerObject[iam.IRole, "PolicyWriter | None"] = PerObject(lambda role: None)
_GIVEN: PerObject[iam.IRole, Dict[Permission, bool]] = PerObject(lambda role: {})


def set_policy_writer(role: iam.IRole, writer: PolicyWriter) -> None:
    """Make :func:`grant` hand ``role``'s permissions to ``writer`` (the role's own policy)."""
    _WRITERS.put(role, writer)


def grant(role: iam.IRole, permissions: Sequence[Permission], task: Construct, what: str) -> None:
    """Make ``role`` allow ``permissions`` (``what`` says what they are for, in a warning).

    A role with a policy writer (a ``MaintenanceWindowRole``) gets tidy statements in its
    managed policy; any other role gets each statement once in its principal policy: an
    ``iam.Role``'s default policy, or a policy attached to a mutable imported role. A role
    imported with ``mutable=False`` takes nothing: at synthesis the role gets one warning with
    everything its tasks need (``_RoleNeeds``), however many tasks run as it."""
    writer = _WRITERS.of(role)
    if writer is not None:
        writer(permissions)
        return
    given = _GIVEN.of(role)
    missing = []
    for permission in permissions:
        if permission not in given:
            result = role.add_to_principal_policy(permission.statement())
            given[permission] = bool(result.statement_added) and _took(role, result.policy_dependable)
        if not given[permission]:
            missing.append(permission)
    if missing:
        _NEEDS.of(role).add(task, what, missing)


@jsii.implements(IValidation)
class _RoleNeeds:
    """What the tasks running as one unchangeable role need from it, said once per role.

    Registered as a validation of the role, so the warning is added at synthesis, when every
    task has registered, on the role's construct (acknowledge it there or on a scope above)."""

    def __init__(self, role: iam.IRole) -> None:
        self._role = role
        self._needs: Dict[str, Tuple[List[str], Set[str]]] = {}  # what -> (task paths, actions)
        role.node.add_validation(self)

    def add(self, task: Construct, what: str, permissions: Sequence[Permission]) -> None:
        tasks, actions = self._needs.setdefault(what, ([], set()))
        if task.node.path not in tasks:
            tasks.append(task.node.path)
        actions.update(action for permission in permissions for action in permission.actions)

    def validate(self) -> List[str]:
        if not self._needs:
            return []
        parts = []
        for what, (tasks, actions) in self._needs.items():
            condition = ", condition iam:PassedToService = ssm.amazonaws.com" if PASS_ROLE in actions else ""
            parts.append(f"{what} for {', '.join(tasks)} ({', '.join(sorted(actions))}{condition})")
        message = (f"the role is imported with mutable=False, so mw-constructs adds nothing to it: make sure it allows "
                   f"{'; '.join(parts)}. Or import it with mutable=True so the library adds these.")
        Annotations.of(self._role).add_warning_v2(check_warning_id("mw-constructs:RoleNotModified"), message)  # kept once
        return []


#: Per role that takes nothing: what its tasks need, reported once at synthesis.
_NEEDS: PerObject[iam.IRole, _RoleNeeds] = PerObject(_RoleNeeds)


def _took(role: iam.IRole, dependable: IDependable) -> bool:
    """Whether a statement ``role.add_to_principal_policy`` accepted went into a real policy.

    An ``iam.Role`` always keeps it (in its default policy, reported lazily); a mutable imported
    role attaches a ``Policy`` construct; an immutable imported role answers with an empty
    dependency group ("pretend it was added") and keeps nothing."""
    if isinstance(role, iam.Role):
        return True
    return isinstance(dependable, Construct) or bool(Dependable.of(dependable).dependency_roots)
