"""Constructs that are aws-cdk-lib resources by interface, not by class.

An ``aws_cdk.Resource`` wrapper costs more than a ``constructs.Construct`` one: jsii creates a
``Resource`` in Node (it computes an environment and a physical name for it) and the library then
reads its ``stack`` back over jsii. :class:`LightResource` is a plain ``Construct`` that declares
aws-cdk-lib's ``IResource`` to jsii and answers its members in Python: ``stack`` (found once),
``env`` (the stack's account and Region, or those of an ARN the construct was imported by) and
``apply_removal_policy`` (on the L1 child ``Resource``). The construct tree, and so every path and
logical id, is the same as with ``Resource``.
"""

from __future__ import annotations

from typing import Optional

import jsii
from aws_cdk import Arn, ArnFormat, CfnResource, IResource, RemovalPolicy, Stack
from aws_cdk.interfaces import ResourceEnvironment
from constructs import Construct

from .validate import fail

__all__ = ["LightResource"]


@jsii.implements(IResource)
class LightResource(Construct):
    """A construct with aws-cdk-lib's ``IResource`` surface (see the module docstring)."""

    def __init__(self, scope: Construct, id: str, *, environment_from_arn: Optional[str] = None) -> None:
        super().__init__(scope, id)
        self._light_stack: Optional[Stack] = None
        self._environment_from_arn = environment_from_arn

    @property
    def stack(self) -> Stack:
        """The stack this construct is defined in."""
        if self._light_stack is None:
            self._light_stack = Stack.of(self)
        return self._light_stack

    @property
    def env(self) -> ResourceEnvironment:
        """The account and Region of the resource: its stack's, or those of the ARN it was imported by."""
        if self._environment_from_arn is not None:
            parts = Arn.split(self._environment_from_arn, ArnFormat.SLASH_RESOURCE_NAME)
            return ResourceEnvironment(account=parts.account or self.stack.account,
                                       region=parts.region or self.stack.region)
        return ResourceEnvironment(account=self.stack.account, region=self.stack.region)

    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        """Apply ``policy`` to the CloudFormation resource this construct wraps (its ``Resource``
        child), as ``aws_cdk.Resource`` does; an imported one has none (``ImportedResource``)."""
        child = self.node.try_find_child("Resource")
        if not isinstance(child, CfnResource):
            fail("ImportedResource", f"apply_removal_policy: {self.node.path} was imported, so this app creates no "
                                     f"resource whose removal it could decide. Apply the policy where the resource "
                                     f"is created.")
        child.apply_removal_policy(policy)
