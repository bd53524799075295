"""Patching through both of AWS's models at once: maintenance-window tasks, State Manager
associations and Quick Setup patch policies, and where they collide.

Pure Python (no aws_cdk import): the constructs describe what each one patches as
:class:`PatchingFacts` (or :class:`PolicyFacts`) and :func:`coexistence_advice` says what is
probably not meant, with the registered warning ids:

* ``mw-constructs:PatchedByWindowAndAssociation``: a window task and an association patch or
  scan the same nodes in one place;
* ``mw-constructs:PatchedByTwoAssociations``: two associations of one operation do (a scan and
  an install association on the same nodes is the pattern Quick Setup itself creates: silence);
* ``mw-constructs:PatchPolicyWithWindows``: a patch policy may reach the account and Region of
  window-based patching.

Each scan overwrites the patch compliance data the previous one reported, so two methods on one
node make its compliance flip between two baselines' views, and installs reboot it at times no
one of them shows (AWS, "Avoiding unintentional patch compliance data overwrites").

"The same nodes" is read from the target selectors, never guessed: all managed nodes
(``InstanceIds`` ``*``) meets every selector; otherwise two selectors meet when they have the
same keys and, for every key, a value in common (``Patch Group`` and ``PatchGroup`` tags count
as one key). Selectors the library cannot read (a token) meet nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, FrozenSet, Hashable, List, Optional, Sequence, Tuple

from ._internal.tokens import is_token
from .errors import Advice

__all__ = ["ALL_NODES", "NodeSelector", "PatchingFacts", "PolicyFacts", "coexistence_advice", "node_selector",
           "selectors_meet"]

#: One target selector: (key, values) pairs, ANDed; the values of one key ORed.
NodeSelector = FrozenSet[Tuple[str, FrozenSet[str]]]
#: Every managed node of the account and Region (``InstanceIds`` ``*``).
ALL_NODES: NodeSelector = frozenset({("InstanceIds", frozenset({"*"}))})
_PATCH_GROUP_KEYS = ("tag:Patch Group", "tag:PatchGroup")


def node_selector(pairs: Sequence[Tuple[str, Sequence[str]]]) -> Optional[NodeSelector]:
    """A selector from target (key, values) pairs; None when a key or value is a token."""
    selector = []
    for key, values in pairs:
        if is_token(key) or any(is_token(value) for value in values):
            return None
        selector.append(("patch-group" if key in _PATCH_GROUP_KEYS else key, frozenset(values)))
    return frozenset(selector)


def selectors_meet(first: NodeSelector, second: NodeSelector) -> bool:
    """Whether two selectors (see the module docstring) choose some node in common."""
    if first == ALL_NODES or second == ALL_NODES:
        return True
    keys = {key for key, _ in first}
    if keys != {key for key, _ in second} or len(keys) != len(first) or len(keys) != len(second):
        return False
    values = dict(second)
    return all(first_values & values[key] for key, first_values in first)


@dataclass(frozen=True)
class PatchingFacts:
    """What one window or association patches.

    Attributes:
        name: a label for messages (anything whose ``str()`` is one).
        model: ``"window"`` or ``"association"``.
        environment: where it runs (a :class:`~mw_constructs.schedule.placement.Placement` for
            the constructs); equal values share nodes.
        selectors: the node selectors it runs on (a window's targets; an association's targets).
        operations: ``"Scan"`` and/or ``"Install"``.
    """

    name: Any
    model: str
    environment: Hashable
    selectors: Tuple[NodeSelector, ...]
    operations: FrozenSet[str]


@dataclass(frozen=True)
class PolicyFacts:
    """Where a Quick Setup patch policy deploys: accounts (None: not known before deployment),
    organizational units, Regions (None: not known)."""

    name: Any
    accounts: Optional[FrozenSet[str]]
    organizational_units: FrozenSet[str]
    regions: Optional[FrozenSet[str]]

    def may_reach(self, environment: Hashable) -> bool:
        """Whether the policy may patch in ``environment`` (a Placement, or anything with
        ``account`` and ``region``; an unknown part may be anywhere)."""
        region, account = getattr(environment, "region", None), getattr(environment, "account", None)
        in_region = self.regions is None or region is None or region in self.regions
        in_account = bool(self.organizational_units) or self.accounts is None or account is None or account in self.accounts
        return in_region and in_account


def coexistence_advice(facts: Sequence[PatchingFacts], policies: Sequence[PolicyFacts] = ()) -> List[Tuple[Any, Advice]]:
    """(name, advice) for each collision (module docstring), reported on the association or
    policy involved; each pair is said once."""
    found: List[Tuple[Any, Advice]] = []
    associations = [fact for fact in facts if fact.model == "association"]
    windows = [fact for fact in facts if fact.model == "window"]
    for index, association in enumerate(associations):
        for window in windows:
            shared = _shared(association, window)
            if shared is not None:
                found.append((association.name, Advice("mw-constructs:PatchedByWindowAndAssociation", (
                    f"association {association.name} ({_operations(association)}) and window {window.name} "
                    f"({_operations(window)}) both patch {shared} in {_where(association.environment)}: each scan "
                    f"overwrites the patch compliance the other reported, and installs run on two schedules. Patch "
                    f"these nodes through one of them (move the window's targets, or narrow the association's)."))))
        for other in associations[index + 1:]:
            shared = _shared(association, other) if association.operations & other.operations else None
            if shared is not None:
                found.append((other.name, Advice("mw-constructs:PatchedByTwoAssociations", (
                    f"associations {association.name} ({_operations(association)}) and {other.name} "
                    f"({_operations(other)}) both {_operations(other)} {shared} in {_where(other.environment)}: each "
                    f"overwrites the patch compliance the other reported. Use one association per operation and set of "
                    f"nodes, with targets that do not overlap."))))
    for policy in policies:
        reached = [window for window in windows if policy.may_reach(window.environment)]
        if reached:
            names = ", ".join(str(window.name) for window in reached[:3]) + (" ..." if len(reached) > 3 else "")
            found.append((policy.name, Advice("mw-constructs:PatchPolicyWithWindows", (
                f"patch policy {policy.name} may patch where windows already patch ({names}): a patch policy scans "
                f"and installs on its own schedule and overwrites the compliance data the windows report. AWS "
                f"recommends one automated method: remove the windows' patch tasks where the policy applies, or keep "
                f"the policy out of those accounts and Regions."))))
    return found


def _shared(first: PatchingFacts, second: PatchingFacts) -> Optional[str]:
    """The nodes two facts both patch, in words, or None."""
    if first.environment != second.environment:
        return None
    for mine in first.selectors:
        for theirs in second.selectors:
            if selectors_meet(mine, theirs):
                return _describe(theirs if mine == ALL_NODES else mine)
    return None


def _describe(selector: NodeSelector) -> str:
    if selector == ALL_NODES:
        return "every managed node"
    parts = []
    for key, values in sorted(selector, key=lambda pair: pair[0]):
        shown = ", ".join(sorted(values))
        parts.append(f"patch group {shown}" if key == "patch-group" else f"{key} = {shown}")
    return " and ".join(parts)


def _operations(facts: PatchingFacts) -> str:
    return " and ".join(sorted(operation.lower() for operation in facts.operations)) or "patching"


def _where(environment: Hashable) -> str:
    describe = getattr(environment, "describe", None)
    return str(describe()) if callable(describe) else "one environment"
