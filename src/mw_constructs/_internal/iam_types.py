"""Typed views of aws-cdk-lib objects (IAM, KMS, SNS, EventBridge targets) that strict type checkers cannot match to their interfaces.

aws-cdk-lib's generated Python classes sometimes name a method parameter differently from the
interface the class implements: ``iam.Role.grant_pass_role(identity)`` against
``iam.IRole.grant_pass_role(grantee)``, ``iam.ServicePrincipal.add_to_principal_policy(_statement)``
against ``iam.IPrincipal.add_to_principal_policy(statement)``. pyright then refuses an ``iam.Role``
where an ``iam.IRole`` is expected (upstream: aws/aws-cdk#15584, #21099, #31454). The objects do
implement the interfaces at run time, so these helpers only restate their types, in one place, until
aws-cdk-lib's bindings are fixed. mypy accepts the code either way.
"""

from __future__ import annotations

from typing import Any, cast

from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns


def role(value: Any) -> iam.IRole:
    """``value`` (an ``iam.Role`` or an imported role) as the ``iam.IRole`` it implements."""
    return cast(iam.IRole, value)


def principal(value: Any) -> iam.IPrincipal:
    """``value`` (a service principal, a principal with conditions) as an ``iam.IPrincipal``."""
    return cast(iam.IPrincipal, value)


def service(name: str) -> iam.IPrincipal:
    """The service principal ``name`` (e.g. ``ssm.amazonaws.com``) as an ``iam.IPrincipal``."""
    return principal(iam.ServicePrincipal(name))


def key(value: Any) -> kms.IKey:
    """``value`` (a ``kms.Key``) as the ``kms.IKey`` it implements."""
    return cast(kms.IKey, value)


def topic(value: Any) -> sns.ITopic:
    """``value`` (an ``sns.Topic``) as the ``sns.ITopic`` it implements."""
    return cast(sns.ITopic, value)


def rule_target(value: Any) -> events.IRuleTarget:
    """``value`` (e.g. ``targets.SnsTopic(...)``) as the ``events.IRuleTarget`` it implements."""
    return cast(events.IRuleTarget, value)
