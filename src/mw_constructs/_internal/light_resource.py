"""``LightResource``: aws-cdk-lib's resource surface over a plain ``constructs.Construct``.

An app has one window, target and task construct per window it patches, often hundreds. Each
is a wrapper around its L1 (``Resource``), and every wrapper is one jsii create, so what a
create costs is paid hundreds of times. Measured on a two-core machine (498 creates of an
otherwise empty Python subclass that implements an ``aws_cdk.interfaces`` reference):
``aws_cdk.Resource`` 116-137 ms, ``constructs.Construct`` with the members below 94 ms
(``benchmarks/synth.py`` measures the whole library). So these constructs are Constructs that
give, in Python, what ``Resource`` gives: ``stack``, ``env`` and ``apply_removal_policy``.
Nothing else of ``Resource`` is used by them (no generated physical names, no cross-environment
name tokens); imported ones parse their environment from the ARN they were given, as
``Resource(environment_from_arn=...)`` does.

``env`` is also a member of the ``aws_cdk.interfaces`` references (``IEnvironmentAware``), so
jsii registers it as an override: aws-cdk-lib code that asks a reference for its environment
gets this one.
"""

from __future__ import annotations

from typing import Optional

from aws_cdk import Arn, ArnFormat, CfnResource, RemovalPolicy, Stack
from aws_cdk.interfaces import ResourceEnvironment
from constructs import Construct

from .registry import inherit_stack, stack_of
from .validate import fail

__all__ = ["LightResource"]


class LightResource(Construct):
    """A construct with the surface of ``aws_cdk.Resource`` (``IResource``), written in Python.

    ``node.default_child`` is the L1 the subclass creates with id ``Resource``.
    """

    def __init__(self, scope: Construct, id: str, *, environment_from_arn: Optional[str] = None) -> None:
        super().__init__(scope, id)
        inherit_stack(self, scope)
        self._environment_from_arn = environment_from_arn

    @property
    def stack(self) -> Stack:
        """The stack this construct is in."""
        stack: Stack = stack_of(self)
        return stack

    @property
    def env(self) -> ResourceEnvironment:
        """The account and Region of the resource: those of its stack, or, for one imported by
        ARN, those of the ARN (tokens where the ARN is one)."""
        stack = self.stack
        if self._environment_from_arn is None:
            return ResourceEnvironment(account=stack.account, region=stack.region)
        parts = Arn.split(self._environment_from_arn, ArnFormat.SLASH_RESOURCE_NAME)
        return ResourceEnvironment(account=stack.account if parts.account is None else parts.account,
                                   region=stack.region if parts.region is None else parts.region)

    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        """Apply ``policy`` to the CloudFormation resource (``node.default_child``), as
        ``Resource.apply_removal_policy`` does."""
        child = self.node.default_child
        if not isinstance(child, CfnResource):
            fail("NoResource", f"apply_removal_policy on {self.node.path}: it has no CloudFormation resource of its own "
                               f"(it was imported). Apply the policy where the resource is defined.")
        child.apply_removal_policy(policy)
