"""Where a stack's resources are deployed, as a :class:`~mw_constructs.schedule.placement.Placement`:
what scopes the per-account checks (quotas, one baseline per patch group and OS, overlapping
windows of a patch group).

A stack with an explicit ``env`` is one placement. Stacks whose account and Region are left to
deploy time all count as one placement together (the messages say so). A StackSet template
(``cdk_stacksets.StackSetStack``) is its own placement when it is built, and at synthesis is
checked once per placement a ``PatchingStackSet`` deploys it to.
"""

from __future__ import annotations

from typing import List, Sequence

from aws_cdk import Stack, Token
from cdk_stacksets import StackSetStack
from constructs import IConstruct

from ..schedule.placement import Placement
from .registry import PerStack, stack_of

__all__ = ["placement_of", "construction_placement", "deployments_of", "record_deployments", "is_stack_set_template"]


def _read_placement(stack: Stack) -> Placement:
    account, region = stack.account, stack.region
    return Placement(account=None if Token.is_unresolved(account) else account,
                     region=None if Token.is_unresolved(region) else region)


#: Per stack: its own placement, read once; and where StackSets deploy it (template stacks only).
_PLACEMENTS: PerStack[Placement] = PerStack(_read_placement)
_DEPLOYMENTS: PerStack[List[Placement]] = PerStack(lambda stack: [])


def placement_of(scope: IConstruct) -> Placement:
    """The account and Region of the stack of ``scope`` (None for a part only known at deploy time)."""
    return _PLACEMENTS.of(scope)


def is_stack_set_template(stack: Stack) -> bool:
    """True for a StackSet's template (deployed to many accounts and Regions)."""
    return isinstance(stack, StackSetStack)


def construction_placement(scope: IConstruct) -> Placement:
    """Where the per-account checks count ``scope`` while the app is built: its stack's
    placement, or for a StackSet template the template itself (its deployments come later)."""
    stack = stack_of(scope)
    if is_stack_set_template(stack):
        return Placement(template=stack.node.path)
    return placement_of(stack)


def record_deployments(template: Stack, placements: Sequence[Placement]) -> None:
    """Record where a StackSet deploys ``template``."""
    recorded = _DEPLOYMENTS.of(template)
    recorded += [placement for placement in placements if placement not in recorded]


def deployments_of(stack: Stack) -> List[Placement]:
    """Every placement of ``stack``'s resources: where StackSets deploy a template, else the
    stack's own placement."""
    recorded = _DEPLOYMENTS.find(stack)
    return list(recorded) if recorded else [placement_of(stack)]
