"""Typed views of aws-cdk-lib IAM objects that strict type checkers cannot match to their interfaces.

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

from aws_cdk import aws_iam as iam


def role(value: Any) -> iam.IRole:
    """``value`` (an ``iam.Role`` or an imported role) as the ``iam.IRole`` it implements."""
    return cast(iam.IRole, value)


def principal(value: Any) -> iam.IPrincipal:
    """``value`` (a service principal, a principal with conditions) as an ``iam.IPrincipal``."""
    return cast(iam.IPrincipal, value)


def service(name: str) -> iam.IPrincipal:
    """The service principal ``name`` (e.g. ``ssm.amazonaws.com``) as an ``iam.IPrincipal``."""
    return principal(iam.ServicePrincipal(name))
