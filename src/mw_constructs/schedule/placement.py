"""``Placement``: where a window runs, as the checks that work across windows scope it.

Windows in one placement share instances, baselines and quotas (one account and Region, or the
accounts of some organizational units in one Region); a window is read in the time zone of its
placement's Region. The constructs place a window from its stack (and the StackSets that deploy
that stack), and ``mw-constructs`` places it from the cloud assembly: both build the same values,
and expand a follow-the-sun window over its Regions with the same :meth:`Placement.follow_the_sun`.

Pure Python (no aws_cdk import).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, List, Optional, Tuple

__all__ = ["Placement"]


@dataclass(frozen=True)
class Placement:
    """Where a window runs.

    * a stack with an explicit environment: ``Placement(account="111122223333", region="eu-west-1")``;
    * stacks whose account and Region are left to deploy time: ``Placement()``: they all count as
      one place (the messages say so);
    * a StackSet template while it is built: ``Placement(template="Admin/Template")``, its own place;
    * where a StackSet deploys it: ``Placement(region="eu-west-1", organizational_units=("ou-...",))``,
      or ``accounts=(...)`` for a StackSet that targets accounts.

    Attributes:
        account, region: None where not known before deployment.
        organizational_units, accounts: the StackSet's targets (empty for a stack).
        template: the construct path of a StackSet template not yet placed by a StackSet.
    """

    account: Optional[str] = None
    region: Optional[str] = None
    organizational_units: Tuple[str, ...] = ()
    accounts: Tuple[str, ...] = ()
    template: Optional[str] = None

    def follow_the_sun(self, regions: Iterable[str]) -> List["Placement"]:
        """This placement for a window read in a time zone per Region (``regions``: those of its
        ``RegionalTimeZones``): itself where its Region is known (also when that Region has no
        zone: the caller reports that), and one placement per Region of ``regions`` where the
        Region is left to deploy time, since the template may then run in any of them."""
        if self.region is not None:
            return [self]
        return [replace(self, region=region) for region in sorted(regions)]

    def describe(self) -> str:
        """The placement in words, for messages."""
        if self.template is not None:
            return f"StackSet template {self.template} (in each account and Region it is deployed to)"
        if self.organizational_units or self.accounts:
            targets = (f"organizational units {', '.join(self.organizational_units)}" if self.organizational_units
                       else f"accounts {', '.join(self.accounts)}")
            return f"each account of {targets}, Region {self.region or '(unresolved)'}"
        if self.account is None and self.region is None:
            return "the stacks without an explicit account and Region (counted as one environment)"
        return f"account {self.account or '(unresolved)'}, Region {self.region or '(unresolved)'}"
