"""Automation tasks: ``AutomationTask`` runs an SSM Automation runbook (``TaskType: AUTOMATION``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowAutomationParameters.html
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

import jsii
from aws_cdk import Annotations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from constructs import Construct, IValidation
from typing_extensions import Unpack

from .._internal.arns import arn_in_this_environment
from .._internal.registry import PerObject
from .._internal.validate import ROLE_MEMBERS, check_interface, check_options, fail
from ..documents import Document, DocumentLike, DocumentSpec, DocumentType
from .._internal.validate import check_warning_id
from ..interfaces import IPatchingWindow
from .pseudo_parameters import TaskKind
from ..iam.grants import Permission, pass_role_permission, target_permissions
from ..iam.visible import VisiblePolicy, trusted_services, visible_policy
from .._internal.iam_actions import allows_everything, not_allowed, runbook_calls
from .._internal.task_arguments import parse_document_version, parse_parameters
from ..interfaces import TaskOptions
from .base import TaskBase, TaskSettings
from .._internal.signatures import truthful_signature

__all__ = ["AutomationTask"]

_ASSUME_ROLE = "AutomationAssumeRole"
# What the task's role needs: start the runbook (automation-definition/<name>:<version>) and follow
# its execution (automation-execution/<id>), per the maintenance-window role page's custom policy and
# the Service Authorization Reference, "Systems Manager".
START_AUTOMATION_ACTION = "ssm:StartAutomationExecution"
AUTOMATION_TRACKING_ACTIONS: Tuple[str, ...] = ("ssm:GetAutomationExecution",)


@truthful_signature
class AutomationTask(TaskBase):
    """An Automation task of a window: runs the runbook ``document``, once per target (or once,
    without targets).

    Args:
        window: the window (any ``IPatchingWindow``).
        document: a runbook: a :class:`Document`, a name or ARN, or an ``ssm.CfnDocument``. A
            catalogued AWS document must be an Automation runbook and gets its parameters
            checked; a Command document is refused with the class to use instead.
        parameters: runbook parameters, ``{name: value or [values]}`` (up to 200 names of 1-50
            characters, 50 values of 1-512 characters each); pseudo parameters such as
            ``{{RESOURCE_ID}}`` pass each target's ID (see :class:`~mw_constructs.PseudoParameter`).
        document_version: ``"$LATEST"``, ``"$DEFAULT"`` or a version number.
        assume_role: the role the runbook's steps run as (its ``AutomationAssumeRole``
            parameter; it must trust ``ssm.amazonaws.com``). The task's role may pass exactly
            this role, only to SSM. Without one, the steps run as the task's role: for the
            catalogued AWS runbooks the library grants it what their steps call (e.g.
            ``ec2:CreateImage`` for AWS-CreateImage); for other runbooks it warns
            (``mw-constructs:RunbookRunsAsWindowRole``).
        **options: :class:`TaskOptions` (targets optional).

    The task's role may start exactly this runbook (``ssm:StartAutomationExecution`` on its
    automation definition) and read its executions (``ssm:GetAutomationExecution``).

    Attributes:
        task_id: the task's ID (a token).
        window: the window it is registered with.
        role: the role the window uses to start the runbook.
        document: the runbook.
        assume_role: the role the runbook runs as, or None.

    ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, document: DocumentLike,
                 parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
                 document_version: Optional[Union[str, int]] = None, assume_role: Optional[iam.IRole] = None,
                 **options: Unpack[TaskOptions]) -> None:
        check_options(type(self).__name__, options, TaskOptions.__annotations__)
        document = Document.of(document)
        document.check_type(DocumentType.AUTOMATION, type(self).__name__)
        common = TaskSettings.parse(window, options, kind="an Automation task", task_type=TaskKind.AUTOMATION)
        version = parse_document_version(document_version)
        runbook_parameters = parse_parameters(parameters, common.check_values, key_max=50, value_max=512, max_keys=200,
                                              max_values=50) or {}
        if assume_role is not None:
            check_interface("assume_role", assume_role, ROLE_MEMBERS, "an iam.IRole trusted by ssm.amazonaws.com")
            if _ASSUME_ROLE in runbook_parameters:
                fail("AssumeRoleConflict", f"give assume_role= or parameters[{_ASSUME_ROLE!r}], not both: drop the "
                                           f"parameter, assume_role= sets it.")
            runbook_parameters[_ASSUME_ROLE] = [assume_role.role_arn]
        document.check_parameters(runbook_parameters)
        super().__init__(scope, id, common)

        self.document = document
        self.assume_role = assume_role
        self._grant(_role_permissions(document, common.has_targets), f"starting the runbook {document.name}")
        passed = runbook_parameters.get(_ASSUME_ROLE, [])
        if passed:
            self._grant([pass_role_permission(arn) for arn in passed], "passing the automation assume role to SSM")
        self._grant_runbook_steps(document.spec, assume_role, bool(passed))
        self._create(
            common, task_arn=document.name,
            invocation=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_automation_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowAutomationParametersProperty(
                    document_version=version,
                    parameters=runbook_parameters or None,
                )
            ),
        )

    def _grant_runbook_steps(self, spec: Optional[DocumentSpec], assume_role: Optional[iam.IRole],
                             has_assume_role: bool) -> None:
        """Give whoever runs the runbook's steps what they call (catalogued runbooks), or check at
        synthesis that the task's role visibly allows it (other runbooks without an assume role)."""
        if assume_role is not None:
            _ASSUME_ROLE_TRUST.of(assume_role).tasks.append(self)
        if has_assume_role and assume_role is None:
            return  # an assume role given by ARN: the library cannot see or change it
        runner = assume_role if assume_role is not None else self.role
        if runner is None:
            return  # the service-linked role: AWS's policy decides
        if spec is not None and spec.steps is not None:
            self._grant(step_permissions(spec), f"the steps of {spec.name}", runner)
        elif not has_assume_role:
            _RUNBOOK_ROLES.of(runner).tasks.append(self)


@jsii.implements(IValidation)
class _RunbookRole:
    """At synthesis: a runbook outside the catalogue, without an assume role, runs its steps as
    the task's role. Warn on each such task unless that role visibly allows what the steps call
    (read from the runbook's content when the app defines it), or everything.

    One per role, registered as a validation of the role: what the role visibly allows is read
    once for all the tasks that run as it (reading it walks the role's stack)."""

    def __init__(self, role: iam.IRole) -> None:
        self._role = role
        self.tasks: List[AutomationTask] = []
        role.node.add_validation(self)

    def validate(self) -> List[str]:
        visible = visible_policy(self._role)
        statements = visible.statements if visible is not None else []
        if allows_everything(statements):
            return []
        for task in self.tasks:
            self._check(task, visible, statements)
        return []

    def _check(self, task: AutomationTask, visible: Optional[VisiblePolicy], statements: List[Mapping[str, Any]]) -> None:
        document = task.document
        calls = runbook_calls(document.content) if document.content is not None else None
        missing = not_allowed(statements, calls) if calls is not None else None
        if missing == []:
            return
        opening = (f"{document.name} has no AutomationAssumeRole, so its steps run as the task's role "
                   f"{self._role.node.path}")
        if missing is None:
            why = ("its content is not in the app" if document.content is None
                   else "a step may call anything (such as aws:executeScript) or names its API with a variable")
            body = f", and mw-constructs cannot see what they call ({why})"
        else:
            body = f", and its steps call {', '.join(missing)}, which that role does not visibly allow"
            if visible is None:
                body += " (the role is imported: its policies are not in the app)"
            elif visible.unreadable:
                body += f" (the AWS managed policies {', '.join(visible.unreadable)} are not read)"
        Annotations.of(task).add_warning_v2(check_warning_id("mw-constructs:RunbookRunsAsWindowRole"), (
            f"{opening}{body}: grant {'them' if missing else 'what the runbook calls'} to that role, or pass "
            f"assume_role=<a role trusted by ssm.amazonaws.com that allows the runbook's actions>."))


@jsii.implements(IValidation)
class _AssumeRoleTrust:
    """At synthesis: Automation assumes an ``assume_role`` as ssm.amazonaws.com; a role of the app
    whose trust policy names other services only cannot be assumed, so the runbook cannot start.
    One per role (a validation of the role), warning on each task that passes it."""

    def __init__(self, role: iam.IRole) -> None:
        self._role = role
        self.tasks: List[AutomationTask] = []
        role.node.add_validation(self)

    def validate(self) -> List[str]:
        services = trusted_services(self._role)
        if services is None or "*" in services or any(service.startswith("ssm.") for service in services):
            return []
        trusted = ", ".join(sorted(services)) or "no service"
        for task in self.tasks:
            Annotations.of(task).add_warning_v2(check_warning_id("mw-constructs:AssumeRoleNotTrustedBySsm"), (
                f"assume_role {self._role.node.path} trusts {trusted}, not ssm.amazonaws.com: Automation cannot assume "
                f"it, so the runbook does not start. Let SSM assume it: assumed_by=iam.ServicePrincipal('ssm.amazonaws.com') "
                f"(or an iam.CompositePrincipal with it)."))
        return []


#: Per role: the runbook check of the tasks whose steps run as it, and the trust check of the
#: tasks that pass it as their assume role.
_RUNBOOK_ROLES: PerObject[iam.IRole, _RunbookRole] = PerObject(_RunbookRole)
_ASSUME_ROLE_TRUST: PerObject[iam.IRole, _AssumeRoleTrust] = PerObject(_AssumeRoleTrust)


def _role_permissions(document: Document, has_targets: bool) -> Tuple[Permission, ...]:
    """What a role needs to start ``document`` as an Automation task and follow the execution."""
    return (
        *(target_permissions() if has_targets else ()),
        Permission((START_AUTOMATION_ACTION,), document.automation_arns(), sid="StartAutomations",
                   why="an automation definition ARN ends in :<version>; the task may run any version of this runbook, "
                       "and an AWS-owned runbook is matched in any account because AWS does not say which one IAM sees"),
        Permission(AUTOMATION_TRACKING_ACTIONS, (arn_in_this_environment("ssm", "automation-execution/*"),),
                   sid="TrackAutomations",
                   why="automation execution IDs are created when the window runs, so they cannot be named in advance"),
    )


def step_permissions(spec: DocumentSpec) -> List[Permission]:
    assert spec.steps is not None
    return [Permission(step.actions, tuple(_step_resource(r) for r in step.resources), sid=step.sid,
                       why=f"{spec.name} acts on whichever instance each target resolves to at run time")
            for step in spec.steps]


def _step_resource(resource: str) -> str:
    if resource == "*":
        return resource
    service, _, rest = resource.partition(":")
    if rest.startswith(":"):
        return arn_in_this_environment(service, rest[1:], with_account=False)
    return arn_in_this_environment(service, rest)

