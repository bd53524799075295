"""``PatchingStackSet``: one patching template deployed to every account of chosen organizational
units, in chosen Regions, by a service-managed CloudFormation StackSet (cdklabs' ``cdk-stacksets``).

AWS reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
and the ``StackSetOperationPreferences`` API (rollout velocity).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import jsii
from aws_cdk import Annotations, CfnResource, Stack, Token
from cdk_stacksets import (
    Capability,
    DeploymentType,
    OperationPreferences,
    RegionConcurrencyType,
    StackSet,
    StackSetStack,
    StackSetTarget,
    StackSetTemplate,
)
from constructs import Construct, IValidation

from ._internal.environment import record_deployments
from ._internal.registry import PerApp, stack_of
from ._internal.scopes import check_scope, create_in
from ._internal.tokens import is_token
from ._internal.validate import ORGANIZATIONAL_UNIT, check_distinct, check_text, check_type, fail, is_int, quote
from ._internal.validate import check_warning_id
from .errors import ValidationError
from .quotas import CONTEXT_KEY, check_quota
from .schedule.placement import Placement
from .schedule.zones import check_region
from ._internal.windows import stack_windows
from ._internal.signatures import truthful_signature

__all__ = ["PatchingStackSet"]

_PERCENTAGE = re.compile(r"([0-9]{1,3})%")
# IAM resources whose names are global to an account, and the property that names them.
_IAM_NAMES = {
    "AWS::IAM::Role": ("RoleName", "role_name"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "managed_policy_name"),
    "AWS::IAM::InstanceProfile": ("InstanceProfileName", "instance_profile_name"),
    "AWS::IAM::User": ("UserName", "user_name"),
    "AWS::IAM::Group": ("GroupName", "group_name"),
}


@truthful_signature
class PatchingStackSet(Construct):
    """Deploy a patching template (a ``cdk_stacksets.StackSetStack`` holding windows, targets,
    tasks, baselines, roles and alerts built with this library) to every account of
    ``organizational_units`` in ``regions``, through one service-managed StackSet.

    Args:
        template: the ``StackSetStack`` to deploy (created in the stack that holds this construct).
        organizational_units: OU ids (``ou-xxxx-yyyyyyyy``) or the root id (``r-xxxx``).
        regions: the Regions, e.g. ``["eu-west-1", "us-east-1", "ap-southeast-2"]``.
        region_order: the order CloudFormation deploys the Regions in (default: ``regions``'s order).
        parallel_regions: deploy all Regions at once (default ``False``: one Region after another,
            so a failure in the first stops the rollout before it reaches the others).
        max_concurrent: accounts deployed at once per Region: a count (``5``) or a percentage
            (``"25%"``) of the accounts. Default 1.
        failure_tolerance: failed accounts per Region before CloudFormation stops the operation there
            (and does not start the next Region): a count or a percentage. Default 0.
        auto_deploy: deploy to accounts that join the OUs later, and remove the stacks from
            accounts that leave (default ``True``).
        retain_stacks_on_account_removal: keep the stacks (and their windows) in an account that
            leaves the OUs (default ``False``).
        delegated_admin: the StackSet is created from a delegated administrator account (default
            ``True``); ``False`` for the organization's management account.
        stack_set_name: the StackSet's name (default generated).
        description: the StackSet's description.

    Checked when the app is built, before anything is deployed: every follow-the-sun window of
    the template has a time zone for every Region (``RegionWithoutTimeZone``); no IAM resource of
    a template deployed to several Regions has a fixed name, since IAM names are global to an
    account and the second Region's stack would fail on it (``IamNameCollision``); the windows of
    all templates deployed to one OU and Region stay within the quota of maintenance windows per
    account and Region (``QuotaExceeded``). The template's windows are checked per Region, in that
    Region's zone. The library's own constructs need no file asset (their deploy-time functions are
    inline), so a template needs no asset buckets for them.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        template: StackSetStack,
        organizational_units: Sequence[str],
        regions: Sequence[str],
        region_order: Optional[Sequence[str]] = None,
        parallel_regions: bool = False,
        max_concurrent: Union[int, str] = 1,
        failure_tolerance: Union[int, str] = 0,
        auto_deploy: bool = True,
        retain_stacks_on_account_removal: bool = False,
        delegated_admin: bool = True,
        stack_set_name: Optional[str] = None,
        description: Optional[str] = None,
    ) -> None:
        check_scope(scope, id, "PatchingStackSet")
        check_type("template", template, StackSetStack, "a cdk_stacksets.StackSetStack holding the patching resources")
        if stack_of(template.node.scope) is not stack_of(scope):  # type: ignore[arg-type]
            fail("StackSetTemplateScope", f"template {template.node.path} belongs to stack "
                                          f"{stack_of(template.node.scope).node.path}, but the PatchingStackSet is created "  # type: ignore[arg-type]
                                          f"in {stack_of(scope).node.path}: create both in one stack (the StackSet "
                                          f"resource deploys the template of its own stack).")
        units = _list("organizational_units", organizational_units)
        for unit in units:
            if not is_token(unit) and not ORGANIZATIONAL_UNIT.fullmatch(unit):  # a token is taken as given
                fail("InvalidOrganizationalUnit", f"organizational_units entry {quote(unit)} is not an OU id "
                                                  f"('ou-' + 4-32 + '-' + 8-32 lower-case letters or digits) or the root "
                                                  f"id ('r-' + 4-32): copy it from AWS Organizations.")
        regions = [check_region("regions", region) for region in _list("regions", regions)]
        order = list(regions) if region_order is None else _list("region_order", region_order)
        strays = [region for region in order if region not in regions]
        if strays:
            fail("InvalidRolloutPreference", f"region_order names {strays}, which are not in regions {regions}: order "
                                             f"only the Regions you deploy to.")
        for name, value in (("parallel_regions", parallel_regions), ("auto_deploy", auto_deploy),
                            ("retain_stacks_on_account_removal", retain_stacks_on_account_removal),
                            ("delegated_admin", delegated_admin)):
            check_type(name, value, bool, "True or False")
        if retain_stacks_on_account_removal and not auto_deploy:
            fail("InvalidRolloutPreference", "retain_stacks_on_account_removal=True needs auto_deploy=True: stacks are "
                                             "only removed from accounts that leave the OUs by automatic deployment.")
        concurrent = _velocity("max_concurrent", max_concurrent, 1)
        tolerance = _velocity("failure_tolerance", failure_tolerance, 0)
        if stack_set_name is not None:
            check_type("stack_set_name", stack_set_name, str, "a name")
            if not Token.is_unresolved(stack_set_name) and not re.fullmatch(r"[a-zA-Z][-a-zA-Z0-9]{0,127}", stack_set_name):
                fail("InvalidName", f"stack_set_name must start with a letter and hold up to 128 letters, digits and "
                                    f"'-': got {quote(stack_set_name)}.")
        check_text("description", description, 1, 1024, "InvalidDescription")

        placed = (tuple(units), tuple(regions), template)
        _raise_first(_template_problems(template, regions))
        rollouts = _rollouts(scope)
        _raise_first(rollouts.quota_problems(scope, extra=placed))
        create_in(scope, id, "PatchingStackSet", lambda: super(PatchingStackSet, self).__init__(scope, id))
        self.template = template
        self.organizational_units: Tuple[str, ...] = placed[0]
        self.regions: Tuple[str, ...] = placed[1]

        preferences: Dict[str, Any] = {
            "region_order": order,
            "region_concurrency_type": RegionConcurrencyType.PARALLEL if parallel_regions else RegionConcurrencyType.SEQUENTIAL,
            "max_concurrent_percentage" if isinstance(concurrent, str) else "max_concurrent_count":
                int(concurrent[:-1]) if isinstance(concurrent, str) else concurrent,
            "failure_tolerance_percentage" if isinstance(tolerance, str) else "failure_tolerance_count":
                int(tolerance[:-1]) if isinstance(tolerance, str) else tolerance,
        }
        self.stack_set = StackSet(
            self, "Resource",
            template=StackSetTemplate.from_stack_set_stack(template),
            target=StackSetTarget.from_organizational_units(regions=list(regions), organizational_units=list(units)),
            deployment_type=DeploymentType.service_managed(
                auto_deploy_enabled=auto_deploy,
                auto_deploy_retain_stacks=retain_stacks_on_account_removal if auto_deploy else None,
                delegated_admin=delegated_admin),
            operation_preferences=OperationPreferences(**preferences),
            capabilities=[Capability.NAMED_IAM],
            stack_set_name=stack_set_name,
            description=description,
        )
        if isinstance(concurrent, int) and isinstance(tolerance, int) and concurrent > tolerance + 1:
            Annotations.of(self).add_warning_v2(check_warning_id("mw-constructs:ConcurrencyLimitedByFailureTolerance"), (
                f"max_concurrent={concurrent} is never reached: with failure_tolerance={tolerance}, CloudFormation "
                f"deploys at most {tolerance + 1} account(s) at a time (STRICT_FAILURE_TOLERANCE). Raise "
                f"failure_tolerance, or lower max_concurrent to {tolerance + 1}."))
        record_deployments(template, [Placement(region=region, organizational_units=self.organizational_units)
                                      for region in self.regions])
        rollouts.entries.append(placed)
        self.node.add_validation(_Problems(self))


@jsii.implements(IValidation)
class _Problems:
    """At synthesis, the same checks over what was added to the template after the StackSet."""

    def __init__(self, stack_set: PatchingStackSet) -> None:
        self.stack_set = stack_set

    def validate(self) -> List[str]:
        problems = _template_problems(self.stack_set.template, self.stack_set.regions)
        problems += _rollouts(self.stack_set).quota_problems(self.stack_set)
        return [str(problem) for problem in problems]


class _Rollouts:
    """Per app: every (OUs, Regions, template) deployed by a PatchingStackSet."""

    def __init__(self) -> None:
        self.entries: List[Tuple[Tuple[str, ...], Tuple[str, ...], Stack]] = []

    def quota_problems(self, scope: Construct,
                       extra: Optional[Tuple[Tuple[str, ...], Tuple[str, ...], Stack]] = None) -> List[ValidationError]:
        """Windows per account and Region: each OU and Region gets the windows of every template
        deployed to it."""
        counts: Dict[Tuple[str, str], List[Stack]] = {}
        for units, regions, template in self.entries + ([extra] if extra else []):
            for place in ((unit, region) for unit in units for region in regions):
                if template not in counts.setdefault(place, []):
                    counts[place].append(template)
        problems = []
        for (unit, region), templates in sorted(counts.items()):
            windows = sum(len(stack_windows(template)) for template in templates)
            try:
                check_quota("MaintenanceWindowsPerRegion", windows,
                            f"each account of {unit} in {region} (templates {', '.join(t.node.path for t in templates)})",
                            scope.node.try_get_context(CONTEXT_KEY))
            except ValidationError as error:
                problems.append(error)
        return problems


#: Per app: every placement of a template by a PatchingStackSet.
_ROLLOUTS: PerApp[_Rollouts] = PerApp(lambda root: _Rollouts())


def _rollouts(scope: Construct) -> _Rollouts:
    return _ROLLOUTS.of(scope)


def _template_problems(template: Stack, regions: Sequence[str]) -> List[ValidationError]:
    """Follow-the-sun windows without a zone for some Region; fixed IAM names in a template
    deployed to several Regions."""
    problems = []
    for window in stack_windows(template):
        zones = window.schedule.time_zones
        missing = [region for region in regions if zones is not None and region not in zones.regions]
        if missing:
            problems.append(ValidationError("RegionWithoutTimeZone", (
                f"window {window.node.path} reads its schedule in a time zone per Region, but has none for "
                f"{', '.join(missing)}, where the StackSet deploys it: add them to its RegionalTimeZones "
                f"(e.g. RegionalTimeZones.local([...])), or deploy only to {', '.join(zones.regions) if zones else ''}.")))
    if len(regions) > 1:
        for resource in template.node.find_all():
            if isinstance(resource, CfnResource) and resource.cfn_resource_type in _IAM_NAMES:
                problem = _fixed_iam_name(template, resource, len(regions))
                if problem is not None:
                    problems.append(problem)
    return problems


def _fixed_iam_name(template: Stack, resource: CfnResource, region_count: int) -> Optional[ValidationError]:
    """An error when ``resource`` has a name that is the same in every Region."""
    property_name, attribute = _IAM_NAMES[resource.cfn_resource_type]
    name = getattr(resource, attribute, None)
    resolved = None if name is None else template.resolve(name)
    if resolved is None or "AWS::Region" in repr(resolved):
        return None  # no name: CloudFormation generates one unique to each stack instance
    path = re.sub(r"(/Resource)+$", "", resource.node.path)
    return ValidationError("IamNameCollision", (
        f"{property_name} {quote(resolved)} of {path} is the same in every Region, but IAM names are global to an "
        f"account and the StackSet deploys this template to {region_count} Regions of each account: the second "
        f"Region's stack would fail with 'already exists'. Leave the name out (CloudFormation then generates one per "
        f"stack), or put the Region in it, e.g. f\"patching-{{Aws.REGION}}\"."))


def _raise_first(problems: List[ValidationError]) -> None:
    if problems:
        raise problems[0]


def _list(argument: str, values: Any) -> List[str]:
    if isinstance(values, str) or not isinstance(values, (list, tuple)) or not values:
        fail("InvalidType", f"{argument} must be a non-empty list: got {quote(values)}.")
    for value in values:
        check_type(argument, value, str, "a list of strings")
    check_distinct(argument, values)
    return list(values)


def _velocity(argument: str, value: Any, low: int) -> Union[int, str]:
    """A count of at least ``low`` or a percentage from ``low``% to 100%."""
    if is_int(value) and value >= low:
        return int(value)
    match = _PERCENTAGE.fullmatch(value) if isinstance(value, str) else None
    if match is not None and low <= int(match.group(1)) <= 100:
        return str(value)
    fail("InvalidRolloutPreference", f"{argument} must be a whole number of accounts of at least {low} or a percentage "
                                     f"from {low}% to 100%: got {quote(value)}.")
