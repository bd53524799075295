"""Every way an app patches, for the checks across AWS's two patching models
(``coexistence``): the windows, associations and patch policies created in each app.

Kept in a registry per app (``registry.PerApp``), not on the constructs. The checks run once
per app, at synthesis, and only when the app has an association or a patch policy (windows
alone are the schedule checks' business).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Protocol

import jsii
from aws_cdk import Annotations
from constructs import IConstruct, IValidation, Node

from ..coexistence import PatchingFacts, PolicyFacts, coexistence_advice
from .registry import PerApp

__all__ = ["AppPatching", "app_patching"]


class Patcher(Protocol):
    """A window or association, as the coexistence checks read it."""

    @property
    def node(self) -> Node: ...

    def patching_facts(self) -> List[PatchingFacts]: ...


class Policy(Protocol):
    """A patch policy, as the coexistence checks read it."""

    @property
    def node(self) -> Node: ...

    def policy_facts(self) -> PolicyFacts: ...


@dataclass
class AppPatching:
    """The windows, associations and patch policies of one app, in creation order."""

    root: IConstruct
    windows: List[Patcher] = field(default_factory=list)
    associations: List[Patcher] = field(default_factory=list)
    policies: List[Policy] = field(default_factory=list)
    _checking: bool = False

    def add_association(self, association: Patcher) -> None:
        self.associations.append(association)
        self._check()

    def add_policy(self, policy: Policy) -> None:
        self.policies.append(policy)
        self._check()

    def _check(self) -> None:
        if not self._checking:
            self._checking = True
            self.root.node.add_validation(_Coexistence(self))


@jsii.implements(IValidation)
class _Coexistence:
    """At synthesis: the collisions between the app's windows, associations and policies, each a
    warning on the association or policy involved (said once however often synthesis runs)."""

    def __init__(self, patching: AppPatching) -> None:
        self._patching = patching
        self._said: set[tuple[str, str, str]] = set()

    def validate(self) -> List[str]:
        owners: Dict[str, Any] = {}  # construct path -> the window, association or policy
        facts: List[PatchingFacts] = []
        for patcher in [*self._patching.windows, *self._patching.associations]:
            owners[patcher.node.path] = patcher
            facts.extend(patcher.patching_facts())
        policies = []
        for policy in self._patching.policies:
            owners[policy.node.path] = policy
            policies.append(policy.policy_facts())
        for name, advice in coexistence_advice(facts, policies):
            owner = owners[str(name)]
            key = (owner.node.path, advice.id, advice.message)
            if key not in self._said:
                self._said.add(key)
                Annotations.of(owner).add_warning_v2(advice.id, advice.message)
        return []


def _new(root: IConstruct) -> AppPatching:
    return AppPatching(root)


#: Per app: how it patches.
_PATCHING: PerApp[AppPatching] = PerApp(_new)


def app_patching(scope: IConstruct) -> AppPatching:
    """The registry of the app ``scope`` belongs to."""
    return _PATCHING.of(scope)
