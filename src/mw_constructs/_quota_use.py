"""Where the constructs count what a quota limits (quotas.py holds the quotas themselves)."""

from __future__ import annotations

from typing import Dict, Hashable, List, Tuple

import jsii
from aws_cdk import CfnResource, Stack
from constructs import Construct, IConstruct, IValidation

from ._environment import describe_environment, environment_key
from ._singletons import per_app, per_stack
from .quotas import CONTEXT_KEY, QUOTAS, check_quota, limit_of

__all__ = ["count_in_environment", "check_in", "watch_stack_size"]


def count_in_environment(scope: Construct, quota: str) -> None:
    """Count one more of ``quota`` (e.g. MaintenanceWindowsPerRegion) in the environment of
    ``scope``; fail with QuotaExceeded before anything is created when that is one too many."""
    counts: Dict[Tuple[str, Hashable], int] = per_app(scope, "_mw_quota_counts", lambda root: {})
    key = (quota, environment_key(scope))
    check_quota(quota, counts.get(key, 0) + 1, describe_environment(key[1]), scope.node.try_get_context(CONTEXT_KEY))
    counts[key] = counts.get(key, 0) + 1


def check_in(scope: IConstruct, quota: str, count: int, where: str) -> None:
    """Fail with QuotaExceeded when ``count`` of ``quota`` in ``where`` is above the limit."""
    check_quota(quota, count, where, scope.node.try_get_context(CONTEXT_KEY))


@jsii.implements(IValidation)
class _StackSize:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def validate(self) -> List[str]:
        resources = sum(1 for node in _own_nodes(self.stack) if isinstance(node, CfnResource))
        limit = limit_of(QUOTAS["ResourcesPerStack"], self.stack.node.try_get_context(CONTEXT_KEY))
        if resources <= limit:
            return []
        quota = QUOTAS["ResourcesPerStack"]
        return [f"[QuotaExceeded] stack {self.stack.stack_name} would have {resources} {quota.counts}: the limit is "
                f"{limit} ({quota.name}, {quota.source}). Fix: {quota.fix}."]


def _own_nodes(stack: Stack) -> List[IConstruct]:
    """The constructs of ``stack``, not those of stacks nested in it."""
    found: List[IConstruct] = []
    pending: List[IConstruct] = list(stack.node.children)
    while pending:
        node = pending.pop()
        if isinstance(node, Stack):
            continue
        found.append(node)
        pending.extend(node.node.children)
    return found


def watch_stack_size(scope: Construct) -> None:
    """Check at synthesis that the stack of ``scope`` stays within CloudFormation's resource limit
    (the quota context is checked now, so that a bad override fails at construction)."""
    limit_of(QUOTAS["ResourcesPerStack"], scope.node.try_get_context(CONTEXT_KEY))

    def create(stack: Stack) -> _StackSize:
        check = _StackSize(stack)
        stack.node.add_validation(check)
        return check

    per_stack(scope, "_mw_stack_size", create)
