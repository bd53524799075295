"""``MaintenanceWindowRole``: the IAM service role maintenance-window tasks run as.

Permissions follow AWS's custom maintenance-window role
(https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-maintenance-permissions.html),
reduced to what this library's Run Command tasks do and scoped as far as each
action allows. The action lists live here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence, Set

from aws_cdk import aws_iam as iam
from constructs import Construct

from ._nag import acknowledge, nag_resource
from ._pseudo import arn_in_this_environment
from ._validate import fail

if TYPE_CHECKING:  # pragma: no cover
    from .tasks import Document

__all__ = ["MaintenanceWindowRole", "ManagedInstanceRole"]

SSM_SERVICE = "ssm.amazonaws.com"
PASSED_TO_SSM = {"StringEquals": {"iam:PassedToService": SSM_SERVICE}}
AWS_MANAGED_POLICY = "service-role/AmazonSSMMaintenanceWindowRole"
INSTANCE_CORE_POLICY = "AmazonSSMManagedInstanceCore"

# Run Command bookkeeping. None of these actions supports resource-level permissions,
# so AWS requires Resource "*". CancelCommand makes CutoffBehavior CANCEL_TASK work
# (the AWS managed policy lacks it).
COMMAND_ACTIONS = ("ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands")
# Resolving tag and resource-group targets. ListGroups and GetResources take "*" only.
TARGET_LOOKUP_ACTIONS = ("resource-groups:ListGroups", "tag:GetResources")
GROUP_RESOURCES_ACTION = "resource-groups:ListGroupResources"
# ssm:SendCommand is scoped to the documents the tasks run, and to instances.
SEND_COMMAND_ACTION = "ssm:SendCommand"

class _RoleBase(Construct):
    """What tasks and users need from a maintenance-window role, owned or imported."""

    role: iam.IRole
    role_arn: str

    def grant_pass_role(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` (a user, group or role) to pass exactly this role to SSM.

        Adds ``iam:PassRole`` on this role's ARN only, conditioned on
        ``iam:PassedToService = ssm.amazonaws.com``: what a person or pipeline needs
        to register tasks that run as this role.
        """
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=["iam:PassRole"], resource_arns=[self.role_arn], conditions=PASSED_TO_SSM,
        )

    def pass_role_statement(self) -> iam.PolicyStatement:
        """The statement ``grant_pass_role`` adds, for a policy of your own, e.g. a customer
        managed policy (compliance packs flag the inline default policies grants write to)::

            iam.ManagedPolicy(self, "PassPatchingRole", statements=[role.pass_role_statement()], groups=[admins])
        """
        return iam.PolicyStatement(actions=["iam:PassRole"], resources=[self.role_arn], conditions=PASSED_TO_SSM)

    def _allow_send_command(self, document: "Document") -> None:
        """Let the role run ``document`` (called by the tasks that use this role)."""

    def _allow_pass_role(self, role_arn: str, task: Construct) -> None:
        """Let the role pass ``role_arn`` to SSM (a task's notification role)."""
        from aws_cdk import Annotations

        Annotations.of(task).add_warning_v2(
            "mw-constructs:ImportedRoleNeedsPassRole",
            "the task runs as an imported role, which mw-constructs does not change: give it iam:PassRole "
            "on the notification role (condition iam:PassedToService = ssm.amazonaws.com), or SSM cannot notify.",
        )


class MaintenanceWindowRole(_RoleBase):
    """An IAM role trusted by ``ssm.amazonaws.com`` only, for maintenance-window tasks.

    Inline, least-privilege statements:

    * ``ssm:SendCommand`` on the documents of the tasks that use the role (added as
      tasks register) and on EC2 instances / managed instances of this account and Region;
    * ``ssm:CancelCommand``, ``GetCommandInvocation``, ``ListCommandInvocations``,
      ``ListCommands`` (``*``: no resource-level permissions exist);
    * ``resource-groups:ListGroups`` and ``tag:GetResources`` (``*``) and
      ``resource-groups:ListGroupResources`` on this account's groups, to resolve targets.

    ``confused_deputy_conditions=True`` adds ``aws:SourceAccount`` (this stack's account) and
    ``aws:SourceArn`` (this account's maintenance windows in this Region) conditions to the
    trust policy, as AWS recommends against the confused-deputy problem. **Off by default:**
    AWS does not document which of these keys SSM sets when it assumes a maintenance-window
    role, and this has not yet been proven against a real account; turn it on after checking
    that your windows' tasks still run.

    No AWS managed policy is attached unless ``use_aws_managed_policy=True``, which adds
    ``AmazonSSMMaintenanceWindowRole`` (broader, and flagged by cdk-nag AwsSolutions-IAM4).
    The wildcard resources AWS requires are acknowledged for cdk-nag on this construct
    with their exact finding ids.

    The statements live in a customer managed policy (``policy``), not inline.

    Attributes:
        role: the underlying ``aws_iam.Role``.
        policy: the ``aws_iam.ManagedPolicy`` holding the statements above.
        role_arn: its ARN (a token).
        role_name: its name (a token).
    """

    def __init__(
        self, scope: Construct, id: str, *, use_aws_managed_policy: bool = False, confused_deputy_conditions: bool = False
    ) -> None:
        super().__init__(scope, id)
        for argument, value in (("use_aws_managed_policy", use_aws_managed_policy),
                                ("confused_deputy_conditions", confused_deputy_conditions)):
            if not isinstance(value, bool):
                fail("InvalidType", f"{argument} must be True or False: got {value!r}.")
        self._documents: Set[str] = set()
        self._send_command: Optional[iam.PolicyStatement] = None
        self._pass_role: Optional[iam.PolicyStatement] = None
        self._passed: list = []
        self._policy = iam.PolicyDocument(statements=_base_statements())
        self.role = iam.Role(
            self,
            "Resource",
            assumed_by=_ssm_principal(self, confused_deputy_conditions),
            description="Service role for SSM maintenance window tasks (mw-constructs)",
            managed_policies=(
                [iam.ManagedPolicy.from_aws_managed_policy_name(AWS_MANAGED_POLICY)] if use_aws_managed_policy else None
            ),
        )
        # A customer managed policy, not an inline one (NIST/HIPAA/PCI: IAMNoInlinePolicy).
        self.policy = iam.ManagedPolicy(
            self, "Policy", document=self._policy, roles=[self.role],
            description="What SSM maintenance window tasks do when they run as this role (mw-constructs)",
        )
        self.role_arn = self.role.role_arn
        self.role_name = self.role.role_name
        self._acknowledge(
            "Resource::*",
            f"{', '.join(COMMAND_ACTIONS + TARGET_LOOKUP_ACTIONS)} support no resource-level permissions, "
            "so AWS requires Resource '*' (Service Authorization Reference)",
        )
        self._acknowledge(
            f"Resource::{nag_resource(self, arn_in_this_environment('resource-groups', 'group/*'))}",
            "resource-groups:ListGroupResources is scoped to this account's groups: the window resolves whichever "
            "group a target names at run time, so the group name is not known to the role",
        )

    @classmethod
    def from_role_arn(cls, scope: Construct, id: str, role_arn: str) -> "_RoleBase":
        """Use an existing role. Its policies are left untouched (nothing is added to it)."""
        return _ImportedRole(scope, id, role_arn)

    def _allow_send_command(self, document: "Document") -> None:
        if document.name in self._documents:
            return
        self._documents.add(document.name)
        if self._send_command is None:
            self._send_command = iam.PolicyStatement(
                sid="RunCommandOnInstances",
                actions=[SEND_COMMAND_ACTION],
                resources=[arn_in_this_environment("ec2", "instance/*"), arn_in_this_environment("ssm", "managed-instance/*")],
            )
            self._policy.add_statements(self._send_command)
            for service, resource in (("ec2", "instance/*"), ("ssm", "managed-instance/*")):
                self._acknowledge(
                    f"Resource::{nag_resource(self, arn_in_this_environment(service, resource))}",
                    "ssm:SendCommand must reach every instance the window's targets resolve to at run time "
                    "(tags and resource groups are resolved by SSM, not known at synth time)",
                )
        self._send_command.add_resources(document.arn())

    def _allow_pass_role(self, role_arn: str, task: Construct) -> None:
        if self._pass_role is None:
            self._pass_role = iam.PolicyStatement(
                sid="PassNotificationRoles", actions=["iam:PassRole"], resources=[], conditions=PASSED_TO_SSM,
            )
            self._policy.add_statements(self._pass_role)
        if role_arn not in self._passed:
            self._passed.append(role_arn)
            self._pass_role.add_resources(role_arn)

    def _acknowledge(self, finding: str, reason: str) -> None:
        acknowledge(self, f"AwsSolutions-IAM5[{finding}]", reason)


class _ImportedRole(_RoleBase):
    def __init__(self, scope: Construct, id: str, role_arn: str) -> None:
        super().__init__(scope, id)
        self.role = iam.Role.from_role_arn(self, "Resource", role_arn, mutable=False)
        self.role_arn = role_arn
        self.role_name = self.role.role_name


def _base_statements() -> list:
    return [
        iam.PolicyStatement(sid="TrackAndCancelCommands", actions=list(COMMAND_ACTIONS), resources=["*"]),
        iam.PolicyStatement(sid="ResolveTargets", actions=list(TARGET_LOOKUP_ACTIONS), resources=["*"]),
        iam.PolicyStatement(
            sid="ResolveResourceGroupTargets",
            actions=[GROUP_RESOURCES_ACTION],
            resources=[arn_in_this_environment("resource-groups", "group/*")],
        ),
    ]



class ManagedInstanceRole(Construct):
    """An EC2 instance role for SSM managed nodes, with its instance profile.

    Attaches the AWS managed ``AmazonSSMManagedInstanceCore`` policy (what the SSM Agent
    needs; acknowledged for cdk-nag AwsSolutions-IAM4) and lets the instances write the
    output of ``tasks`` (see ``RunCommandTask.grant_output_write``); the wildcards those
    grants need are acknowledged here with their exact finding ids.

    Attributes:
        role: the ``aws_iam.Role`` (trusted by ec2.amazonaws.com).
        instance_profile: the ``aws_iam.InstanceProfile`` to launch instances with.
    """

    def __init__(self, scope: Construct, id: str, *, tasks: Sequence[Any] = ()) -> None:
        super().__init__(scope, id)
        self.role = iam.Role(
            self, "Resource", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Instance role for SSM managed nodes (mw-constructs)",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(INSTANCE_CORE_POLICY)],
        )
        self._output_policy: Optional[iam.ManagedPolicy] = None
        self.instance_profile = iam.InstanceProfile(self, "InstanceProfile", role=self.role)
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
                    self, "OutputPolicy", roles=[self.role],
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


def _ssm_principal(scope: Construct, confused_deputy_conditions: bool) -> iam.IPrincipal:
    """ssm.amazonaws.com, optionally only on behalf of this account's maintenance windows."""
    principal = iam.ServicePrincipal(SSM_SERVICE)
    if not confused_deputy_conditions:
        return principal
    from aws_cdk import Stack

    stack = Stack.of(scope)
    return principal.with_conditions({
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ssm:{stack.region}:{stack.account}:maintenancewindow/*"},
    })
