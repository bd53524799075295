"""What a role of the app visibly allows and trusts, read from its stack at synthesis.

A role defined in the app (an ``iam.Role``, a ``MaintenanceWindowRole``, anything with one
``iam.CfnRole`` in its subtree) shows its statements in the stack: its inline policies, the
``AWS::IAM::Policy`` / ``AWS::IAM::RolePolicy`` resources attached to it, and the customer
managed policies of the stack attached to it. AWS managed policies are not in the stack: only
``AdministratorAccess`` is read (it allows everything); others are named as unreadable. An
imported role shows nothing (``None``).

Call these at synthesis (from a validation), when every statement has been added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Set

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import IConstruct

__all__ = ["VisiblePolicy", "visible_policy", "trusted_services"]

#: AWS managed policies whose content the library knows, by name.
_KNOWN_MANAGED = {"AdministratorAccess": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@dataclass
class VisiblePolicy:
    """The statements a role shows in its stack, and the managed policies that cannot be read."""

    statements: List[Mapping[str, Any]] = field(default_factory=list)
    unreadable: List[str] = field(default_factory=list)


def _cfn_role(role: IConstruct) -> Optional[iam.CfnRole]:
    found = [child for child in role.node.find_all() if isinstance(child, iam.CfnRole)]
    return found[0] if len(found) == 1 else None


def _statements(document: Any) -> List[Mapping[str, Any]]:
    statements = document.get("Statement", []) if isinstance(document, Mapping) else []
    statements = [statements] if isinstance(statements, Mapping) else statements
    return [s for s in statements if isinstance(s, Mapping)]


def _text(value: Any) -> str:
    """The literal text of a resolved value (the literal parts of an Fn::Join)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_text(part) for part in parts)
    return ""


def visible_policy(role: IConstruct) -> Optional[VisiblePolicy]:
    """What ``role`` visibly allows, or None for a role not defined in the app."""
    cfn = _cfn_role(role)
    if cfn is None:
        return None
    stack = Stack.of(cfn)
    ref = stack.resolve(cfn.ref)
    found = VisiblePolicy()
    for policy in stack.resolve(cfn.policies) or []:
        found.statements += _statements(policy.get("PolicyDocument"))
    managed: Dict[str, iam.CfnManagedPolicy] = {}
    for child in stack.node.find_all():
        if isinstance(child, iam.CfnPolicy) and ref in (stack.resolve(child.roles) or []):
            found.statements += _statements(stack.resolve(child.policy_document))
        elif isinstance(child, iam.CfnRolePolicy) and stack.resolve(child.role_name) == ref:
            found.statements += _statements(stack.resolve(child.policy_document))
        elif isinstance(child, iam.CfnManagedPolicy):
            if ref in (stack.resolve(child.roles) or []):
                found.statements += _statements(stack.resolve(child.policy_document))
            else:
                managed[str(stack.resolve(child.ref))] = child
    for arn in stack.resolve(cfn.managed_policy_arns) or []:
        own = managed.get(str(arn))
        if own is not None:
            found.statements += _statements(stack.resolve(own.policy_document))
            continue
        name = _text(arn).rpartition("/")[2]
        if name in _KNOWN_MANAGED:
            found.statements += _KNOWN_MANAGED[name]
        else:
            found.unreadable.append(name or str(arn))
    return found


def trusted_services(role: IConstruct) -> Optional[Set[str]]:
    """The service principals ``role``'s trust policy allows to assume it (``"*"`` when anyone
    may), or None for a role not defined in the app."""
    cfn = _cfn_role(role)
    if cfn is None:
        return None
    services: Set[str] = set()
    for statement in _statements(Stack.of(cfn).resolve(cfn.assume_role_policy_document)):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal == "*" or (isinstance(principal, Mapping) and principal.get("AWS") == "*"):
            services.add("*")
        elif isinstance(principal, Mapping):
            value = principal.get("Service")
            services.update(_text(v) for v in (value if isinstance(value, list) else [value]) if v is not None)
    return services
