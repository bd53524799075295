"""Where a stack's resources are deployed: the account and Region that scope the per-account
checks (quotas, one baseline per patch group and OS, overlapping windows of a patch group).

A stack with an explicit ``env`` is one environment. Stacks whose account and Region are left
to deploy time all count as one environment together (the messages say so). A StackSet
template (``cdk_stacksets.StackSetStack``) is its own environment when it is built, and at
synthesis is checked once per Region it is deployed to (``PatchingStackSet`` records them).
"""

from __future__ import annotations

from typing import Hashable, List, Optional, Sequence, Tuple, cast

import jsii
from aws_cdk import Stack, Token
from cdk_stacksets import StackSetStack
from constructs import IConstruct

from .registry import PerStack, stack_of

__all__ = ["environment_of", "environment_key", "describe_environment", "deployments_of", "record_deployments",
           "is_stack_set_template", "lacks_asset_buckets"]

Environment = Tuple[Optional[str], Optional[str]]


def _read_environment(stack: Stack) -> Environment:
    account, region = stack.account, stack.region
    return (None if Token.is_unresolved(account) else account, None if Token.is_unresolved(region) else region)


#: Per stack: its (account, Region), read once; and where a StackSet deploys it (template stacks only).
_ENVIRONMENTS: PerStack[Environment] = PerStack(_read_environment)
_DEPLOYMENTS: PerStack[List[Tuple[Hashable, str]]] = PerStack(lambda stack: [])


def environment_of(scope: IConstruct) -> Environment:
    """(account, Region) of the stack of ``scope``; None for a part only known at deploy time."""
    return _ENVIRONMENTS.of(scope)


def is_stack_set_template(stack: Stack) -> bool:
    """True for a StackSet's template (deployed to many accounts and Regions)."""
    return isinstance(stack, StackSetStack)


def lacks_asset_buckets(stack: Stack) -> bool:
    """True for a StackSet template created without ``asset_buckets``, where a file asset (a
    Lambda function's code) cannot be published. Reads cdk-stacksets' synthesizer field
    ``assetBuckets`` (not public API; tests/test_organization.py notices if it moves)."""
    if not is_stack_set_template(stack):
        return False
    try:
        return not jsii.get(stack.synthesizer, "assetBuckets")
    except Exception:  # pragma: no cover - cdk-stacksets changed: let its own error speak
        return False


def environment_key(scope: IConstruct) -> Hashable:
    """The environment the per-account checks count ``scope`` in, at construction."""
    stack = stack_of(scope)
    if is_stack_set_template(stack):
        return ("StackSet template", stack.node.path)
    return environment_of(stack)


def describe_environment(key: Hashable) -> str:
    """``key`` (from :func:`environment_key`) in words, for messages."""
    if isinstance(key, tuple) and len(key) == 2 and key[0] == "StackSet template":
        return f"StackSet template {key[1]} (in each account and Region it is deployed to)"
    account, region = cast(Environment, key)
    if account is None and region is None:
        return "the stacks without an explicit account and Region (counted as one environment)"
    return f"account {account or '(unresolved)'}, Region {region or '(unresolved)'}"


def record_deployments(template: Stack, deployments: Sequence[Tuple[Hashable, str]]) -> None:
    """Record where a StackSet deploys ``template``: (environment, Region) pairs."""
    recorded = _DEPLOYMENTS.of(template)
    recorded += [deployment for deployment in deployments if deployment not in recorded]


def deployments_of(stack: Stack) -> List[Tuple[Hashable, Optional[str]]]:
    """(environment, Region) of every place ``stack``'s resources run: the Regions and
    organizational units a StackSet deploys a template to, else the stack's own environment."""
    recorded = _DEPLOYMENTS.find(stack)
    if recorded:
        return list(recorded)
    environment = environment_of(stack)
    return [(environment, environment[1])]
