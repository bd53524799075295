"""``PatchPolicy``: a Quick Setup patch policy (``AWS::SSMQuickSetup::ConfigurationManager`` of type
``AWSQuickSetupType-PatchPolicy``), its string parameters typed and checked.

A patch policy is AWS's own way to patch an account or an organization: Quick Setup deploys,
through CloudFormation StackSets, State Manager associations that run ``AWS-RunPatchBaseline``
(a scan, and an install when asked) on its own schedules, with the baselines it is given for
each operating system. Patch groups are not used.

The parameters and what they take come from the CloudFormation reference of
``ConfigurationDefinition.Parameters`` (also in aws-cdk-lib's docstring of
``CfnConfigurationManager.ConfigurationDefinitionProperty``); ``RateControlConcurrency`` and
``RateControlErrorThreshold``, which that list leaves out, from the configurations Quick
Setup writes (and the AWS provider's acceptance tests). Schedules are State Manager's
(:class:`AssociationSchedule`): the policy's associations run them.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from aws_cdk import Aws, Resource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssmquicksetup as quicksetup
from constructs import Construct

from ._internal import iam_types
from ._internal.arns import arn_in_this_environment
from ._internal.environment import placement_of
from ._internal.nag import acknowledge
from ._internal.patching import app_patching
from ._internal.scopes import create_in
from ._internal.tokens import is_token
from ._internal.validate import (
    ORGANIZATIONAL_UNIT,
    ROLE_MEMBERS,
    as_argument,
    check_instance_ids,
    check_interface,
    check_pattern,
    check_text,
    check_type,
    fail,
    has_only_tag_characters,
    quote,
)
from .baseline import AwsManagedBaseline, OperatingSystem, PatchBaseline, AWS_MANAGED_BASELINES
from .coexistence import PolicyFacts
from .schedule.association import AssociationSchedule
from .tasks.rate_control import MaxConcurrency, MaxErrors, RateControlValue
from .tasks.run_command import RebootOption, check_output_bucket
from ._internal.signatures import truthful_signature

__all__ = ["PatchPolicy", "PatchPolicyOperation", "PatchPolicyTargets", "PATCH_POLICY_PARAMETERS"]

#: Every parameter of ``AWSQuickSetupType-PatchPolicy`` the construct can write.
PATCH_POLICY_PARAMETERS: Tuple[str, ...] = (
    "PatchPolicyName", "SelectedPatchBaselines", "PatchBaselineUseDefault", "PatchBaselineRegion",
    "ConfigurationOptionsPatchOperation", "ConfigurationOptionsScanValue", "ConfigurationOptionsInstallValue",
    "ConfigurationOptionsScanNextInterval", "ConfigurationOptionsInstallNextInterval", "RebootOption",
    "IsPolicyAttachAllowed", "OutputLogEnableS3", "OutputBucketRegion", "OutputS3BucketName", "OutputS3KeyPrefix",
    "TargetType", "TargetInstances", "TargetTagKey", "TargetTagValue", "ResourceGroupName", "TargetAccounts",
    "TargetOrganizationalUnits", "TargetRegions", "RateControlConcurrency", "RateControlErrorThreshold",
)
#: The default schedules of a patch policy (the Quick Setup console's): scan daily 01:00 UTC,
#: install Sundays 02:00 UTC.
DEFAULT_SCAN = "cron(0 1 * * ? *)"
DEFAULT_INSTALL = "cron(0 2 ? * SUN *)"
_POLICY_NAME = re.compile(r"[a-zA-Z0-9_\-.]{1,128}")  # [INF] applied to nodes as a tag value: tag characters
_MANAGER_NAME = re.compile(r"[ A-Za-z0-9_-]{1,50}")  # [CFN] ConfigurationManager.Name
_EXECUTION_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")  # [API] ConfigurationDefinitionInput.LocalDeploymentExecutionRoleName
_ACCOUNT = re.compile(r"[0-9]{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]")
_DEPLOYMENT_POLICY = "AWSQuickSetupPatchPolicyDeploymentRolePolicy"


class PatchPolicyOperation(enum.Enum):
    """``ConfigurationOptionsPatchOperation``."""

    SCAN = "Scan"  #: report missing patches only (Quick Setup's default)
    SCAN_AND_INSTALL = "ScanAndInstall"  #: scan on the scan schedule, install on the install schedule


class PatchPolicyTargets:
    """Which nodes a patch policy patches in each account and Region it reaches
    (``TargetType``): :meth:`all_managed_nodes` (``*``), :meth:`instance_ids`, :meth:`tag`,
    :meth:`resource_group`. Quick Setup takes no node selector for organizational units
    (their deployments patch every node): use :meth:`all_managed_nodes` with them."""

    def __init__(self, target_type: str, parameters: Mapping[str, str]) -> None:
        self.target_type = target_type
        self.parameters: Dict[str, str] = dict(parameters)

    @staticmethod
    def all_managed_nodes() -> "PatchPolicyTargets":
        """Every managed node (``TargetType`` ``*``)."""
        return PatchPolicyTargets("*", {"TargetType": "*"})

    @staticmethod
    def instance_ids(ids: Sequence[str]) -> "PatchPolicyTargets":
        """These nodes (``TargetType`` ``InstanceIds``, ``TargetInstances``)."""
        return PatchPolicyTargets("InstanceIds", {"TargetType": "InstanceIds",
                                                  "TargetInstances": ",".join(check_instance_ids("instance_ids", ids))})

    @staticmethod
    def tag(key: str, value: str) -> "PatchPolicyTargets":
        """The nodes whose tag ``key`` is ``value`` (``TargetType`` ``Tags``)."""
        for argument, text in (("key", key), ("value", value)):
            if not is_token(text) and (not isinstance(text, str) or not 1 <= len(text) <= (128 if argument == "key" else 256)
                                       or not has_only_tag_characters(text)):
                fail("PatchPolicyTargets", f"tag {argument} {quote(text)} must be 1-{128 if argument == 'key' else 256} "
                                           f"letters, digits, spaces or '_.:/=+-@'.")
        return PatchPolicyTargets("Tags", {"TargetType": "Tags", "TargetTagKey": key, "TargetTagValue": value})

    @staticmethod
    def resource_group(name: str) -> "PatchPolicyTargets":
        """The nodes of a resource group (``TargetType`` ``ResourceGroups``; one account only)."""
        check_text("resource_group", name, 1, 300, "PatchPolicyTargets")
        return PatchPolicyTargets("ResourceGroups", {"TargetType": "ResourceGroups", "ResourceGroupName": name})

    def __repr__(self) -> str:
        return f"PatchPolicyTargets({self.parameters!r})"


BaselineLike = Union[PatchBaseline, AwsManagedBaseline]


@truthful_signature
class PatchPolicy(Resource):
    """A Quick Setup patch policy.

    Args:
        policy_name: ``PatchPolicyName`` (applied to the nodes as a tag).
        baselines: the baseline for each operating system the policy patches:
            ``{OperatingSystem.AMAZON_LINUX_2023: my_baseline, OperatingSystem.WINDOWS:
            AwsManagedBaseline(...)}``. All AWS default baselines make ``PatchBaselineUseDefault``
            ``default``, anything else ``custom``.
        regions: ``TargetRegions``, the Regions it deploys to.
        accounts: ``TargetAccounts`` (this account when neither this nor
            ``organizational_units`` is given).
        organizational_units: ``TargetOrganizationalUnits`` (OU or root IDs); not with ``accounts``.
        targets: :class:`PatchPolicyTargets` (default: all managed nodes).
        operation: :class:`PatchPolicyOperation` (default ``SCAN``).
        scan_schedule: an :class:`AssociationSchedule` cron (default: daily 01:00 UTC).
        install_schedule: an :class:`AssociationSchedule` cron (default: Sundays 02:00 UTC; only
            with ``SCAN_AND_INSTALL``).
        scan_at_next_interval: wait for the first cron interval instead of scanning as soon as
            the policy is deployed (default False, as in Quick Setup).
        install_at_next_interval: the same for the install.
        reboot_option: :class:`RebootOption` after an install (default: Quick Setup's).
        max_concurrency: ``RateControlConcurrency``.
        max_errors: ``RateControlErrorThreshold``.
        attach_policies_to_instance_profiles: ``IsPolicyAttachAllowed``: let Quick Setup attach
            the policies patching needs to the instance profiles the nodes already have.
        output_s3_bucket: the bucket command output goes to.
        output_s3_key_prefix: its key prefix.
        output_s3_region: its Region.
        baseline_region: ``PatchBaselineRegion``, where the custom baselines live (default:
            the stack's Region).
        administration_role: the role CloudFormation StackSets deploy with
            (``LocalDeploymentAdministrationRoleArn``). Left out (with ``execution_role_name``),
            the policy creates both roles: an administration role CloudFormation may assume for
            Quick Setup's StackSets of this account, and an execution role with AWS's
            ``AWSQuickSetupPatchPolicyDeploymentRolePolicy``. Give your own for organizational
            units.
        execution_role_name: ``LocalDeploymentExecutionRoleName``; the role must exist under
            that name in every member account.
        name: the configuration manager's name (1-50 of letters, digits, spaces, ``_-``).
        description: the configuration manager's description.

    Attributes:
        manager_arn: the configuration manager's ARN (a token).
        parameters: the parameters written, tokens included.
        administration_role: the role, or None where given by name only.
        execution_role: the role, or None where given by name only.
    """

    def __init__(self, scope: Construct, id: str, *, policy_name: str,
                 baselines: Mapping[OperatingSystem, BaselineLike], regions: Sequence[str],
                 accounts: Optional[Sequence[str]] = None, organizational_units: Optional[Sequence[str]] = None,
                 targets: Optional[PatchPolicyTargets] = None,
                 operation: PatchPolicyOperation = PatchPolicyOperation.SCAN,
                 scan_schedule: Union[AssociationSchedule, str, None] = None,
                 install_schedule: Union[AssociationSchedule, str, None] = None,
                 scan_at_next_interval: bool = False, install_at_next_interval: bool = False,
                 reboot_option: Optional[RebootOption] = None, max_concurrency: Optional[RateControlValue] = None,
                 max_errors: Optional[RateControlValue] = None, attach_policies_to_instance_profiles: bool = False,
                 output_s3_bucket: Union[s3.IBucket, str, None] = None, output_s3_key_prefix: Optional[str] = None,
                 output_s3_region: Optional[str] = None, baseline_region: Optional[str] = None,
                 administration_role: Optional[iam.IRole] = None, execution_role_name: Optional[str] = None,
                 name: Optional[str] = None, description: Optional[str] = None) -> None:
        check_pattern("" if policy_name is None else policy_name, _POLICY_NAME, "InvalidPatchPolicy",
                      f"policy_name must be 1-128 letters, digits or '_-.': got {quote(policy_name)}.")
        check_type("operation", operation, PatchPolicyOperation, "a PatchPolicyOperation")
        selected = _baselines(baselines)
        region_list = _list("regions", regions, _REGION, "a Region such as eu-west-1", required=True)
        if accounts is not None and organizational_units is not None:
            fail("PatchPolicyTargets", "give accounts or organizational_units, not both: a patch policy deploys to one kind.")
        account_list = None if accounts is None else _list("accounts", accounts, _ACCOUNT, "a 12-digit account ID", required=True)
        unit_list = None if organizational_units is None else _list("organizational_units", organizational_units, ORGANIZATIONAL_UNIT,
                                                                       "an OU ID (ou-...) or root ID (r-...)", required=True)
        targets = targets if targets is not None else PatchPolicyTargets.all_managed_nodes()
        check_type("targets", targets, PatchPolicyTargets, "PatchPolicyTargets.all_managed_nodes() or another factory")
        if unit_list is not None and targets.target_type != "*":
            fail("PatchPolicyTargets", "TargetType is for local (account) deployments only: with organizational_units "
                                       "use PatchPolicyTargets.all_managed_nodes() (or leave targets out).")
        scan = _schedule("scan_schedule", scan_schedule if scan_schedule is not None else DEFAULT_SCAN)
        install = None
        if operation is PatchPolicyOperation.SCAN_AND_INSTALL:
            install = _schedule("install_schedule", install_schedule if install_schedule is not None else DEFAULT_INSTALL)
        elif install_schedule is not None or install_at_next_interval:
            fail("InvalidPatchPolicy", "install_schedule and install_at_next_interval need "
                                       "operation=PatchPolicyOperation.SCAN_AND_INSTALL.")
        for argument, flag in (("scan_at_next_interval", scan_at_next_interval),
                               ("install_at_next_interval", install_at_next_interval),
                               ("attach_policies_to_instance_profiles", attach_policies_to_instance_profiles)):
            check_type(argument, flag, bool, "True or False")
        if reboot_option is not None:
            check_type("reboot_option", reboot_option, RebootOption, "a RebootOption")
        concurrency = None if max_concurrency is None else MaxConcurrency.of(max_concurrency).value
        errors = None if max_errors is None else MaxErrors.of(max_errors).value
        check_output_bucket(output_s3_bucket, output_s3_key_prefix)
        check_text("output_s3_region", output_s3_region, 3, 20, "InvalidRegion")
        check_pattern(baseline_region, _REGION, "InvalidRegion",
                      f"baseline_region must be a Region such as eu-west-1: got {quote(baseline_region)}.")
        if administration_role is not None:
            check_interface("administration_role", administration_role, ROLE_MEMBERS, "an iam.IRole")
        if (administration_role is None) != (execution_role_name is None):
            fail("InvalidPatchPolicy", "give administration_role and execution_role_name together, or neither (the "
                                       "policy then creates both).")
        if unit_list is not None and administration_role is None:
            fail("InvalidPatchPolicy", "a patch policy for organizational units needs administration_role and "
                                       "execution_role_name: the execution role must exist in every member account.")
        check_pattern(execution_role_name, _EXECUTION_ROLE_NAME, "InvalidPatchPolicy",
                      f"execution_role_name must be an IAM role name (1-64 letters, digits or '+=,.@_-'): "
                      f"got {quote(execution_role_name)}.")
        check_pattern(name, _MANAGER_NAME, "InvalidPatchPolicy",
                      f"name must be 1-50 letters, digits, spaces, '_' or '-': got {quote(name)}.")
        check_text("description", description, 0, 512, "InvalidPatchPolicy")
        create_in(scope, id, type(self).__name__, lambda: super(PatchPolicy, self).__init__(scope, id))

        self.operation = operation
        self.scan_schedule, self.install_schedule = scan, install
        self._accounts = account_list
        self._units = unit_list
        self._regions = region_list
        stack = Stack.of(self)
        parameters: Dict[str, str] = {
            "PatchPolicyName": policy_name,
            "SelectedPatchBaselines": stack.to_json_string({system.value: _selection(self, baseline)
                                                            for system, baseline in selected.items()}),
            "PatchBaselineUseDefault": "default" if all(_is_aws_default(b) for b in selected.values()) else "custom",
            "PatchBaselineRegion": baseline_region or Aws.REGION,
            "ConfigurationOptionsPatchOperation": operation.value,
            "ConfigurationOptionsScanValue": scan.expression_string,
            "ConfigurationOptionsScanNextInterval": _flag(scan_at_next_interval),
            "IsPolicyAttachAllowed": _flag(attach_policies_to_instance_profiles),
            "OutputLogEnableS3": _flag(output_s3_bucket is not None),
            "TargetRegions": ",".join(region_list),
            **targets.parameters,
        }
        if install is not None:
            parameters["ConfigurationOptionsInstallValue"] = install.expression_string
            parameters["ConfigurationOptionsInstallNextInterval"] = _flag(install_at_next_interval)
        if reboot_option is not None:
            parameters["RebootOption"] = reboot_option.value
        if concurrency is not None:
            parameters["RateControlConcurrency"] = concurrency
        if errors is not None:
            parameters["RateControlErrorThreshold"] = errors
        if output_s3_bucket is not None:
            bucket = output_s3_bucket if not isinstance(output_s3_bucket, str) else \
                s3.Bucket.from_bucket_name(self, "OutputBucket", output_s3_bucket)
            parameters["OutputS3BucketName"] = bucket.bucket_name
            parameters["OutputBucketRegion"] = output_s3_region or Aws.REGION
            if output_s3_key_prefix is not None:
                parameters["OutputS3KeyPrefix"] = output_s3_key_prefix
        if unit_list is not None:
            parameters["TargetOrganizationalUnits"] = ",".join(unit_list)
        else:
            parameters["TargetAccounts"] = ",".join(account_list) if account_list is not None else Aws.ACCOUNT_ID
        self.parameters = parameters

        self.execution_role: Optional[iam.IRole] = None
        self._administration_policy: Optional[iam.ManagedPolicy] = None
        if administration_role is None:
            created_administration, created = self._deployment_roles()
            administration_role = iam_types.role(created_administration)
            self.execution_role, execution_role_name = iam_types.role(created), created.role_name
        assert administration_role is not None and execution_role_name is not None
        self.administration_role: iam.IRole = administration_role
        self._resource = quicksetup.CfnConfigurationManager(
            self, "Resource", name=name, description=description,
            configuration_definitions=[quicksetup.CfnConfigurationManager.ConfigurationDefinitionProperty(
                type="AWSQuickSetupType-PatchPolicy", parameters=parameters,
                local_deployment_administration_role_arn=self.administration_role.role_arn,
                local_deployment_execution_role_name=execution_role_name)])
        if self._administration_policy is not None:  # the roles may act before Quick Setup deploys
            self._resource.node.add_dependency(self._administration_policy)
        app_patching(self).add_policy(self)

    @property
    def manager_arn(self) -> str:
        """The configuration manager's ARN (a token)."""
        return str(self._resource.attr_manager_arn)

    def policy_facts(self) -> PolicyFacts:
        """Where the policy deploys, for the checks across patching models."""
        accounts: Optional[frozenset[str]] = None
        if self._accounts is not None:
            accounts = None if any(is_token(a) for a in self._accounts) else frozenset(self._accounts)
        elif self._units is None:
            account = placement_of(self).account
            accounts = frozenset({account}) if account is not None else None
        regions = None if any(is_token(r) for r in self._regions) else frozenset(self._regions)
        return PolicyFacts(name=self.node.path, accounts=accounts, organizational_units=frozenset(self._units or ()),
                           regions=regions)

    def _deployment_roles(self) -> Tuple[iam.Role, iam.Role]:
        """The two roles Quick Setup's StackSets deploy with in this account: CloudFormation
        assumes the administration role (only for this account's ``AWS-QuickSetup-*`` StackSets),
        which may only assume the execution role."""
        account = Aws.ACCOUNT_ID
        administration = iam.Role(self, "AdministrationRole", assumed_by=iam_types.principal(iam.ServicePrincipal(
            "cloudformation.amazonaws.com", conditions={
                "StringEquals": {"aws:SourceAccount": account},
                "StringLike": {"aws:SourceArn": f"arn:{Aws.PARTITION}:cloudformation:*:{account}:stackset/AWS-QuickSetup-*"}})),
            description="Lets CloudFormation StackSets deploy the Quick Setup patch policy in this account")
        execution = iam.Role(self, "ExecutionRole", assumed_by=iam_types.principal(iam.ArnPrincipal(administration.role_arn)),
                             managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(_DEPLOYMENT_POLICY)],
                             description="What Quick Setup's patch policy StackSet deploys with (AWS's policy for it)")
        self._administration_policy = iam.ManagedPolicy(self, "AdministrationPolicy", roles=[iam_types.role(administration)],
                          description="The Quick Setup administration role may assume the execution role, nothing else",
                          statements=[iam.PolicyStatement(actions=["sts:AssumeRole"], resources=[execution.role_arn])])
        acknowledge(execution, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{_DEPLOYMENT_POLICY}]",
                    "AWS's managed policy for Quick Setup patch policy deployments: it creates the associations, "
                    "roles and buckets the policy needs, and AWS keeps it current as Quick Setup changes")
        return administration, execution


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _list(argument: str, values: Any, pattern: "re.Pattern[str]", what: str, *, required: bool) -> List[str]:
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence) or \
            not all(isinstance(value, str) for value in values):
        fail("PatchPolicyTargets", f"{argument} must be a list of strings, each {what}: got {quote(values)}.")
    items = list(values)
    if required and not items:
        fail("PatchPolicyTargets", f"{argument} must name at least one: each {what}.")
    for value in items:
        check_pattern(value, pattern, "PatchPolicyTargets", f"{argument} entry {quote(value)} must be {what}.")
    return items


def _baselines(baselines: Any) -> Dict[OperatingSystem, BaselineLike]:
    if not isinstance(baselines, Mapping) or not baselines:
        fail("InvalidPatchPolicy", f"baselines must be a non-empty dict of OperatingSystem to PatchBaseline or "
                                   f"AwsManagedBaseline: got {quote(baselines)}.")
    for system, baseline in baselines.items():
        check_type("baselines key", system, OperatingSystem, "an OperatingSystem")
        check_type(f"baselines[{system.name}]", baseline, (PatchBaseline, AwsManagedBaseline),
                   "a PatchBaseline or an AwsManagedBaseline")
        if baseline.operating_system is not system:
            fail("InvalidPatchPolicy", f"baselines[{system.name}] is a baseline for {baseline.operating_system.name}: "
                                       f"give each operating system a baseline of its own.")
    return dict(baselines)


def _selection(scope: Construct, baseline: BaselineLike) -> Dict[str, Any]:
    """One ``SelectedPatchBaselines`` entry, as Quick Setup writes it."""
    if isinstance(baseline, AwsManagedBaseline):
        return {"value": baseline.baseline_arn, "label": baseline.name, "description": baseline.name, "disabled": False}
    label = baseline.node.default_child.name  # type: ignore[union-attr]
    return {"value": arn_in_this_environment("ssm", f"patchbaseline/{baseline.baseline_id}"), "label": label,
            "description": label, "disabled": False}


def _is_aws_default(baseline: BaselineLike) -> bool:
    return isinstance(baseline, AwsManagedBaseline) and baseline.name == AWS_MANAGED_BASELINES.get(baseline.operating_system)


def _schedule(argument: str, schedule: Union[AssociationSchedule, str]) -> AssociationSchedule:
    if isinstance(schedule, str):
        text = schedule
        schedule = as_argument(argument, lambda: AssociationSchedule.expression(text))
    check_type(argument, schedule, AssociationSchedule, "an AssociationSchedule or a cron string")
    if schedule.kind not in ("cron", "token"):
        fail("InvalidPatchPolicy", f"{argument} must be a cron: Quick Setup takes cron expressions for patch policy "
                                   f"schedules, got {quote(schedule.expression_string)}.")
    return schedule
