"""Where the constructs count what a quota limits (quotas.py holds the quotas themselves)."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

import jsii
from aws_cdk import CfnResource, Stack
from constructs import Construct, IConstruct, IValidation

from ..schedule.placement import Placement
from .environment import construction_placement
from .registry import PerApp, PerStack
from ..quotas import CONTEXT_KEY, QUOTAS, check_quota, limit_of

__all__ = ["reserve_in_environment", "check_in", "watch_stack_size"]


def reserve_in_environment(scope: Construct, quota: str) -> Callable[[], None]:
    """Check there is room for one more of ``quota`` (e.g. MaintenanceWindowsPerRegion) in the
    environment of ``scope`` (QuotaExceeded when not), before anything is created; the returned
    function counts it, to be called once the construct exists (one that fails counts nothing)."""
    counts = _COUNTS.of(scope)
    key = (quota, construction_placement(scope))
    check_in(scope, quota, counts.get(key, 0) + 1, key[1].describe)

    def count() -> None:
        counts[key] = counts.get(key, 0) + 1

    return count


def check_in(scope: IConstruct, quota: str, count: int, where: Callable[[], str]) -> None:
    """Fail with QuotaExceeded when ``count`` of ``quota`` in ``where()`` is above the limit.
    Up to the default nothing is read (a raised quota is never below it)."""
    if count > QUOTAS[quota].default:
        check_quota(quota, count, where(), _quota_context(scope))


def _quota_context(scope: IConstruct) -> Any:
    """The app's ``mw-constructs:quotas`` context, read and checked once per app (context is
    fixed before the first construct is added), so that a bad override fails at construction."""
    return _CONTEXT.of(scope)


def _read_quota_context(root: IConstruct) -> Any:
    context = root.node.try_get_context(CONTEXT_KEY)
    for quota in QUOTAS.values():
        limit_of(quota, context)
    return context


#: aws-cdk-lib's own limit on a stack's resources: its context key, and its default.
CDK_RESOURCE_LIMIT_KEY = "@aws-cdk/core:stackResourceLimit"
CDK_RESOURCE_LIMIT_DEFAULT = 500


@jsii.implements(IValidation)
class _StackSize:
    """CloudFormation's 500 resources per stack, checked at synthesis where aws-cdk-lib does not:
    aws-cdk-lib refuses a bigger stack itself (TooManyResourcesInStack) unless the app raised or
    switched off its limit (``@aws-cdk/core:stackResourceLimit`` above 500, or 0). Only then is the
    stack's tree walked to count its resources (one ``find_all``): in every other app this check
    asks jsii for the context value alone."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def validate(self) -> List[str]:
        if _cdk_refuses_above(self.stack, QUOTAS["ResourcesPerStack"].default):
            return []
        resources = _own_resources(self.stack)
        limit = limit_of(QUOTAS["ResourcesPerStack"], self.stack.node.try_get_context(CONTEXT_KEY))
        if resources <= limit:
            return []
        quota = QUOTAS["ResourcesPerStack"]
        return [f"[QuotaExceeded] stack {self.stack.stack_name} would have {resources} {quota.counts}: the limit is "
                f"{limit} ({quota.name}, {quota.source}). Fix: {quota.fix}."]


def _cdk_refuses_above(stack: Stack, limit: int) -> bool:
    """Whether aws-cdk-lib's own limit makes it refuse every stack with more than ``limit``
    resources (its context value is 1-``limit``, or unset: the default of 500)."""
    value = stack.node.try_get_context(CDK_RESOURCE_LIMIT_KEY)
    if value is None:
        return CDK_RESOURCE_LIMIT_DEFAULT <= limit
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False  # not a limit aws-cdk-lib can compare with: count here
    try:
        number = float(value)  # -c @aws-cdk/core:stackResourceLimit=1000 on the command line is a string
    except ValueError:
        return False
    return 0 < number <= limit


def _own_resources(stack: Stack) -> int:
    """The CloudFormation resources of ``stack``, not those of stacks inside it (nested stacks,
    StackSet templates). One ``find_all`` per stack: walking the tree node by node costs two
    jsii calls a construct."""
    nodes = stack.node.find_all()
    count = sum(1 for node in nodes if isinstance(node, CfnResource))
    own_path = stack.node.path
    inner = {path: node for node in nodes if isinstance(node, Stack) for path in (node.node.path,) if path != own_path}
    for path, inner_stack in inner.items():
        if not any(path.startswith(other + "/") for other in inner):  # the outermost ones hold the rest
            count -= sum(1 for node in inner_stack.node.find_all() if isinstance(node, CfnResource))
    return count


def watch_stack_size(scope: Construct) -> None:
    """Check at synthesis that the stack of ``scope`` stays within CloudFormation's resource limit
    (and check the app's quota context now)."""
    _STACK_SIZE.of(scope)


def _watch(stack: Stack) -> _StackSize:
    _quota_context(stack)
    check = _StackSize(stack)
    stack.node.add_validation(check)
    return check


#: Per app: what each quota counts so far, by (quota, environment); the app's quota context.
_COUNTS: PerApp[Dict[Tuple[str, Placement], int]] = PerApp(lambda root: {})
_CONTEXT: PerApp[Any] = PerApp(_read_quota_context)
#: Per stack: the check of its resource count at synthesis.
_STACK_SIZE: PerStack[_StackSize] = PerStack(_watch)
