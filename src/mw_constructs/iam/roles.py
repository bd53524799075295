"""IAM roles: ``MaintenanceWindowRole`` (what maintenance-window tasks run as) and
``ManagedInstanceRole`` (what the patched instances run as).

Both are ``aws_iam.IRole`` s, usable anywhere aws-cdk-lib takes a role. Anywhere this library
takes a role, any ``iam.IRole`` works too: the statements its tasks need are added to that
role's policy (see ``iam.grants``); a role imported with ``mutable=False`` is left untouched,
with a warning that names what it must allow.

Permissions follow AWS's custom maintenance-window role, reduced to what the tasks do and
scoped as far as each action allows; each task kind lists its own actions.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Set

import jsii
from aws_cdk import Resource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.interfaces.aws_iam import RoleReference
from constructs import Construct

from .._internal import iam_types
from .._internal.arns import arn_in_this_environment
from .._internal.validate import check_pattern, check_text, check_type, fail, quote
from .._internal.nag import acknowledge, nag_resource
from .._internal.scopes import check_scope, create_in
from .grants import PASS_ROLE, PASSED_TO_SSM, SSM_SERVICE, TARGET_LOOKUP_ACTIONS, Permission, set_policy_writer, target_permissions
from .._internal.signatures import truthful_signature

__all__ = ["MaintenanceWindowRole", "ManagedInstanceRole"]

#: AWS managed policies the library attaches (only these; see the docs' "IAM" guide): the maintenance
#: window role's (opt-in only) and the SSM Agent's minimum for instances.
WINDOW_ROLE_MANAGED_POLICY = "service-role/AmazonSSMMaintenanceWindowRole"
INSTANCE_CORE_POLICY = "AmazonSSMManagedInstanceCore"
_ROLE_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{1,64}")  # IAM names are ASCII (Python's \w is not)
_ROLE_PATH = re.compile(r"/|/[\x21-\x7e]{0,510}/")
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]{1,576}")


@jsii.implements(iam.IRole)
class _DelegatingRole(Resource):
    """An ``iam.IRole`` made of an ``iam.Role`` child with id ``Resource``; statements added
    through the IRole interface go where :meth:`_statements_policy` says."""

    def __init__(self, scope: Construct, id: str) -> None:
        create_in(scope, id, type(self).__name__, lambda: super(_DelegatingRole, self).__init__(scope, id))
        self._role: iam.Role  # set by the subclass
        self._role_arn: Optional[str] = None

    # --- iam.IRole, delegated to the role
    @property
    def role_arn(self) -> str:
        """The role's ARN (a token)."""
        if self._role_arn is None:  # read from jsii once: every task of every window asks
            self._role_arn = self._role.role_arn
        return self._role_arn

    @property
    def role_name(self) -> str:
        """The role's name (a token)."""
        return self._role.role_name

    @property
    def role_ref(self) -> RoleReference:
        return self._role.role_ref

    @property
    def assume_role_action(self) -> str:
        return self._role.assume_role_action

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        return self._role.policy_fragment

    @property
    def principal_account(self) -> Optional[str]:
        return self._role.principal_account

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self

    @property
    def role(self) -> iam.Role:
        """The underlying ``aws_iam.Role`` (``node.default_child`` is its ``CfnRole``'s parent)."""
        return self._role

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        return self._role.add_to_principal_policy(statement)

    def add_managed_policy(self, policy: iam.IManagedPolicy) -> None:
        self._role.add_managed_policy(policy)

    def attach_inline_policy(self, policy: iam.Policy) -> None:
        self._role.attach_inline_policy(policy)

    def grant(self, grantee: iam.IPrincipal, *actions: str) -> iam.Grant:
        return self._role.grant(grantee, *actions)

    def grant_assume_role(self, grantee: iam.IPrincipal) -> iam.Grant:
        return self._role.grant_assume_role(grantee)

    def grant_pass_role(self, grantee: iam.IPrincipal) -> iam.Grant:
        return self._role.grant_pass_role(grantee)


@truthful_signature
class MaintenanceWindowRole(_DelegatingRole):
    """An IAM role trusted by ``ssm.amazonaws.com`` only, for maintenance-window tasks.

    Least-privilege statements in a customer managed policy (``policy``; compliance packs reject
    inline ones):

    * ``ssm:SendCommand`` on the documents of the tasks that use the role (added as tasks
      register) and on EC2 instances / managed instances of this account and Region;
    * ``ssm:CancelCommand``, ``GetCommandInvocation``, ``ListCommandInvocations``,
      ``ListCommands`` (``*``: no resource-level permissions exist);
    * ``resource-groups:ListGroups`` and ``tag:GetResources`` (``*``) and
      ``resource-groups:ListGroupResources`` on this account's groups, to resolve targets;
    * ``iam:PassRole`` on the notification roles of its tasks, only to SSM.

    Grants made to it (``bucket.grant_read(role)``, ``role.add_to_principal_policy(...)``) go
    into that managed policy too. ``grant_pass_role(grantee)`` lets a user, group or role pass
    exactly this role, and only to SSM (``iam:PassedToService``).

    Args:
        role_name: a fixed name (1-64 of ``\\w+=,.@-``); default: generated by CloudFormation,
            unique per stack (fixed names collide when one template is deployed to several Regions).
        description: up to 1000 characters (default names the library).
        path: the role's path, e.g. ``/patching/`` (default ``/``).
        permissions_boundary: a managed policy that bounds the role's permissions.
        use_aws_managed_policy: also attach ``AmazonSSMMaintenanceWindowRole`` (broader; flagged
            by cdk-nag AwsSolutions-IAM4). Default ``False``.
        confused_deputy_conditions: add ``aws:SourceAccount`` (this stack's account) and
            ``aws:SourceArn`` (this account's maintenance windows in this Region) to the trust
            policy, as AWS recommends. **Off by default:** AWS does not document which of these
            keys SSM sets when it assumes a maintenance-window role, and this is not yet proven
            against a real account; turn it on after checking that your tasks still run.

    The wildcard resources AWS requires are acknowledged for cdk-nag on this construct with
    their exact finding ids.

    Attributes:
        role: the underlying ``aws_iam.Role``; policy: the ``aws_iam.ManagedPolicy``;
        role_arn, role_name: tokens.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role_name: Optional[str] = None,
        description: Optional[str] = None,
        path: Optional[str] = None,
        permissions_boundary: Optional[iam.IManagedPolicy] = None,
        use_aws_managed_policy: bool = False,
        confused_deputy_conditions: bool = False,
    ) -> None:
        for argument, value in (("use_aws_managed_policy", use_aws_managed_policy),
                                ("confused_deputy_conditions", confused_deputy_conditions)):
            check_type(argument, value, bool, "True or False")
        check_pattern(role_name, _ROLE_NAME, "InvalidName",
                      f"role_name must be 1 to 64 letters, digits or '+=,.@_-': got {quote(role_name)}.")
        check_text("description", description, 1, 1000, "InvalidDescription")
        check_pattern(path, _ROLE_PATH, "InvalidName",
                      f"path must start and end with '/' (e.g. '/patching/'), at most 512 characters: got {quote(path)}.")
        if permissions_boundary is not None and not hasattr(permissions_boundary, "managed_policy_arn"):
            fail("InvalidType", f"permissions_boundary must be an iam.IManagedPolicy: got {quote(permissions_boundary)}.")
        super().__init__(scope, id)
        self._statements: Dict[str, iam.PolicyStatement] = {}
        self._resources: Dict[str, Set[str]] = {}
        self._actions: Dict[str, Set[str]] = {}
        self._acknowledged: Set[str] = set()
        self._document = iam.PolicyDocument(statements=_base_statements())
        self._role = iam.Role(
            self,
            "Resource",
            assumed_by=_ssm_principal(self, confused_deputy_conditions),
            role_name=role_name,
            path=path,
            permissions_boundary=permissions_boundary,
            description=description or "Service role for SSM maintenance window tasks (mw-constructs)",
            managed_policies=(
                [iam.ManagedPolicy.from_aws_managed_policy_name(WINDOW_ROLE_MANAGED_POLICY)] if use_aws_managed_policy else None
            ),
        )
        self.policy = iam.ManagedPolicy(
            self, "Policy", document=self._document, roles=[iam_types.role(self._role)],
            description="What SSM maintenance window tasks do when they run as this role (mw-constructs)",
        )
        self._acknowledge(
            "Resource::*",
            f"{', '.join(TARGET_LOOKUP_ACTIONS)} (resolving targets) and the Run Command actions that track and cancel "
            "commands support no resource-level permissions, so AWS requires Resource '*' (Service Authorization "
            "Reference)",
        )
        self._acknowledge(
            f"Resource::{nag_resource(self, arn_in_this_environment('resource-groups', 'group/*'))}",
            "resource-groups:ListGroupResources is scoped to this account's groups: the window resolves whichever "
            "group a target names at run time, so the group name is not known to the role",
        )
        set_policy_writer(self, self._allow)  # tasks' permissions join this role's managed policy

    @staticmethod
    def from_role_arn(scope: Construct, id: str, role_arn: str, *, mutable: bool = False) -> iam.IRole:
        """Use an existing role (``arn:aws:iam::<account>:role/<name>``).

        By default (``mutable=False``) the library adds nothing to it: it must already allow
        what its tasks need (see the docs' "IAM" guide); each task that would need a statement warns
        (``mw-constructs:RoleNotModified``). ``mutable=True`` lets the library attach a policy
        with those statements to the role."""
        check_pattern("" if role_arn is None else role_arn, _ROLE_ARN, "InvalidType",
                      f"role_arn must be an IAM role ARN such as 'arn:aws:iam::123456789012:role/patching': got {quote(role_arn)}.")
        check_type("mutable", mutable, bool, "True or False")
        check_scope(scope, id, "MaintenanceWindowRole.from_role_arn")
        if scope.node.try_find_child(id) is not None:  # aws-cdk-lib would leave a "MutableRole<id>" child behind
            fail("DuplicateId", f"id {id!r} of MaintenanceWindowRole.from_role_arn is taken: {scope.node.path or 'the app'} "
                                f"already has a child named {id!r}. Give each construct in a scope its own id.")
        imported: List[iam.IRole] = []
        create_in(scope, id, "MaintenanceWindowRole.from_role_arn",
                  lambda: imported.append(iam.Role.from_role_arn(scope, id, role_arn, mutable=mutable)))
        return imported[0]

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        """Add ``statement`` to this role's customer managed policy (what grants call)."""
        self.policy.add_statements(statement)
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=self.policy)

    def grant_pass_role(self, grantee: iam.IPrincipal) -> iam.Grant:
        """Allow ``grantee`` (a user, group or role) to pass exactly this role, and only to SSM.

        Adds ``iam:PassRole`` on this role's ARN, conditioned on ``iam:PassedToService =
        ssm.amazonaws.com``, to ``grantee``'s default policy (an inline policy, as every
        aws-cdk-lib grant does); for a customer managed policy use :meth:`pass_role_statement`."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=[PASS_ROLE], resource_arns=[self.role_arn],
                                          conditions=PASSED_TO_SSM)

    def pass_role_statement(self) -> iam.PolicyStatement:
        """The statement :meth:`grant_pass_role` adds, for a policy of your own (compliance packs
        flag the inline default policies grants write to)::

            iam.ManagedPolicy(self, "PassPatchingRole", statements=[role.pass_role_statement()], groups=[admins])
        """
        return iam.PolicyStatement(actions=[PASS_ROLE], resources=[self.role_arn], conditions=PASSED_TO_SSM)

    # --- what tasks add: one statement per sid, merged as tasks register

    def _allow(self, permissions: Sequence[Permission]) -> None:
        """Add ``permissions`` to this role's policy: each into the statement of its ``sid``
        (actions and resources merged), wildcard resources acknowledged with ``why``."""
        for permission in permissions:
            statement = self._statements.get(permission.sid)
            if statement is None:
                statement = iam.PolicyStatement(sid=permission.sid, actions=list(permission.actions),
                                                resources=[], conditions=PASSED_TO_SSM if permission.pass_to_ssm else None)
                self._statements[permission.sid] = statement
                self._document.add_statements(statement)
            actions = self._actions.setdefault(permission.sid, set())
            new_actions = [action for action in permission.actions if action not in actions]
            if new_actions:
                if actions:  # a new statement already holds the first permission's actions
                    statement.add_actions(*new_actions)
                actions.update(new_actions)
            known = self._resources.setdefault(permission.sid, set())
            for resource in permission.resources:
                if resource in known:
                    continue
                known.add(resource)
                statement.add_resources(resource)
                shown = nag_resource(self, resource)
                if "*" in shown and shown != "*" and shown not in self._acknowledged:
                    self._acknowledged.add(shown)
                    self._acknowledge(f"Resource::{shown}", permission.why)
            if "*" in permission.actions[0] and permission.why:  # pragma: no cover - no wildcard actions are granted
                raise AssertionError("wildcard actions are never granted")

    def _acknowledge(self, finding: str, reason: str) -> None:
        acknowledge(self, f"AwsSolutions-IAM5[{finding}]", reason)


@truthful_signature
class ManagedInstanceRole(_DelegatingRole):
    """An EC2 instance role for SSM managed nodes, with its instance profile.

    Attaches the AWS managed ``AmazonSSMManagedInstanceCore`` policy (what the SSM Agent
    needs; acknowledged for cdk-nag AwsSolutions-IAM4) and lets the instances write the
    output of ``tasks`` (see ``RunCommandTask.grant_output_write``) through a customer managed
    policy (``OutputPolicy``); the wildcards those grants need are acknowledged here with their
    exact finding ids. It is an ``iam.IRole``: pass it as ``role=`` to ``ec2.Instance`` or a
    launch template.

    Attributes:
        role: the ``aws_iam.Role`` (trusted by ec2.amazonaws.com).
        instance_profile: the ``aws_iam.InstanceProfile`` to launch instances with.
    """

    def __init__(self, scope: Construct, id: str, *, tasks: Sequence[Any] = ()) -> None:
        if isinstance(tasks, (str, bytes)) or not isinstance(tasks, Sequence):
            fail("InvalidType", f"tasks must be a list of Run Command tasks: got {quote(tasks)}.")
        for task in tasks:
            if not hasattr(task, "output_write_statements"):
                fail("InvalidType", f"tasks entry must be a RunCommandTask or RunPatchBaselineTask: got {quote(task)}.")
        super().__init__(scope, id)
        self._role = iam.Role(
            self, "Resource", assumed_by=iam_types.service("ec2.amazonaws.com"),
            description="Instance role for SSM managed nodes (mw-constructs)",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(INSTANCE_CORE_POLICY)],
        )
        self._output_policy: Optional[iam.ManagedPolicy] = None
        self.instance_profile = iam.InstanceProfile(self, "InstanceProfile", role=iam_types.role(self._role))
        acknowledge(
            self, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{INSTANCE_CORE_POLICY}]",
            "AmazonSSMManagedInstanceCore is AWS's documented minimum for the SSM Agent and is kept current by AWS",
        )
        for task in tasks:
            self.grant_output_write(task)

    def grant_output_write(self, task: Any) -> None:
        """Let these instances write ``task``'s output (S3 and/or CloudWatch Logs). The
        statements go to a customer managed policy of this role (``OutputPolicy``)."""
        for statement in task.output_write_statements():
            if self._output_policy is None:
                self._output_policy = iam.ManagedPolicy(
                    self, "OutputPolicy", roles=[iam_types.role(self._role)],
                    description="Lets the instances write maintenance window task output (mw-constructs)",
                )
            self._output_policy.add_statements(statement)
            for resource in statement.resources:
                if "*" in nag_resource(self, resource):
                    acknowledge(
                        self, f"AwsSolutions-IAM5[Resource::{nag_resource(self, resource)}]",
                        "Instances write one object per command invocation under the task's output prefix, and "
                        "logs:DescribeLogGroups takes no resource-level permission",
                    )


def _base_statements() -> List[iam.PolicyStatement]:
    """Resolving targets: the statements every MaintenanceWindowRole policy starts with."""
    return [iam.PolicyStatement(sid=p.sid, actions=list(p.actions), resources=list(p.resources))
            for p in target_permissions()]


def _ssm_principal(scope: Construct, confused_deputy_conditions: bool) -> iam.IPrincipal:
    """ssm.amazonaws.com, optionally only on behalf of this account's maintenance windows."""
    principal = iam.ServicePrincipal(SSM_SERVICE)
    if not confused_deputy_conditions:
        return iam_types.principal(principal)
    stack = Stack.of(scope)
    return iam_types.principal(principal.with_conditions({
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ssm:{stack.region}:{stack.account}:maintenancewindow/*"},
    }))
