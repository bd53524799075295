"""``EnvironmentSchedule``: named patching tiers, built from the same primitives users call.

Pure Python (aws_cdk is imported only when you read ``.duration`` / ``.cutoff``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Optional, Union

if TYPE_CHECKING:  # pragma: no cover - aws_cdk is imported only when a Duration is read
    from aws_cdk import Duration

from .._internal.tokens import is_token
from .._internal.validate import as_argument, check_type, fail, quote
from .durations import window_hours
from .expression import WindowSchedule
from .zones import TimeZoneLike

__all__ = ["EnvironmentSchedule", "PRODUCTION_TIER", "NON_PRODUCTION_TIER"]

#: The tier of production windows (``PatchingWindow.tier``, template metadata ``mw-constructs:tier``).
PRODUCTION_TIER = "production"
#: The tier of every window that patches before production.
NON_PRODUCTION_TIER = "non-production"


@dataclass(frozen=True)
class EnvironmentSchedule:
    """A patching tier: when its window opens (a cron read in the zone you choose), how
    long it stays open, how long before the end no new task starts, and whether it is
    production (used to check that production patches after non-production).

    Presets (all with a 1-hour cutoff):

    ============================  ==========================  ==============  ==========
    preset                        opens                       open for        tier
    ============================  ==========================  ==============  ==========
    ``SANDBOX``                   Mon-Fri 22:00               5 h (to 03:00)  non-prod
    ``DEVELOPMENT``               Mon-Fri 22:00               5 h (to 03:00)  non-prod
    ``TEST``                      Mon-Fri 22:00               5 h (to 03:00)  non-prod
    ``ACCEPTANCE``                Sat and Sun 06:00           5 h (to 11:00)  non-prod
    ``PRODUCTION``                Sat and Sun 06:00           5 h (to 11:00)  production
    ``MANAGEMENT_SERVERS``        first Tuesday 23:00         6 h (to 05:00)  -
    ``WEB_SERVERS``               first Thursday 23:00        6 h (to 05:00)  -
    ``APPLICATION_SERVERS``       second Thursday 23:00       6 h (to 05:00)  -
    ``DATABASE_SERVERS``          third Thursday 23:00        6 h (to 05:00)  -
    ============================  ==========================  ==============  ==========

    A night window such as 23:00-05:00 is one start at 23:00 with a 6-hour duration; an
    hour range like ``23-5`` in the cron would open a new window every hour instead.
    Use a preset with ``PatchingWindow.for_environment(...)``, or
    ``EnvironmentSchedule.custom(...)`` for another tier.
    """

    name: str
    expression: str
    duration_hours: int
    cutoff_hours: int = 1
    tier: Optional[str] = None
    summary: str = ""

    SANDBOX: ClassVar["EnvironmentSchedule"]
    DEVELOPMENT: ClassVar["EnvironmentSchedule"]
    TEST: ClassVar["EnvironmentSchedule"]
    ACCEPTANCE: ClassVar["EnvironmentSchedule"]
    PRODUCTION: ClassVar["EnvironmentSchedule"]
    MANAGEMENT_SERVERS: ClassVar["EnvironmentSchedule"]
    WEB_SERVERS: ClassVar["EnvironmentSchedule"]
    APPLICATION_SERVERS: ClassVar["EnvironmentSchedule"]
    DATABASE_SERVERS: ClassVar["EnvironmentSchedule"]

    def schedule(
        self,
        time_zone: Optional[TimeZoneLike],
        *,
        schedule_offset: Optional[int] = None,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> WindowSchedule:
        """The tier's cron as a ``WindowSchedule`` read in ``time_zone`` (None = UTC)."""
        return WindowSchedule.expression(
            self.expression, time_zone=time_zone, schedule_offset=schedule_offset,
            start_date=start_date, end_date=end_date,
        )

    @property
    def duration(self) -> "Duration":
        """How long the window stays open, as an ``aws_cdk.Duration``."""
        from aws_cdk import Duration

        return Duration.hours(self.duration_hours)

    @property
    def cutoff(self) -> "Duration":
        """How long before the end no new task starts, as an ``aws_cdk.Duration``."""
        from aws_cdk import Duration

        return Duration.hours(self.cutoff_hours)

    @property
    def is_production(self) -> bool:
        """True for production tiers."""
        return self.tier == PRODUCTION_TIER

    @staticmethod
    def custom(
        name: str,
        *,
        expression: str,
        duration: Union["Duration", timedelta],
        cutoff: Union["Duration", timedelta, None] = None,
        production: Optional[bool] = None,
        summary: str = "",
    ) -> "EnvironmentSchedule":
        """Another tier: ``expression`` is a cron (checked now), ``duration`` and ``cutoff``
        are ``Duration`` s of whole hours (cutoff default: 1 hour); ``production`` says
        whether the tier is production (None: neither, e.g. a server-role tier)."""
        if not isinstance(name, str) or not name.strip():
            fail("InvalidName", f"name must be a non-empty string: got {quote(name)}.")
        as_argument("expression", lambda: WindowSchedule.expression(expression))
        if cutoff is None:
            cutoff = timedelta(hours=1)
        duration_hours, cutoff_hours = window_hours(duration, cutoff)
        if is_token(duration_hours) or is_token(cutoff_hours):
            fail("InvalidType", "duration and cutoff of a preset must be literal Durations, not tokens.")
        if production is not None:
            check_type("production", production, bool, "True, False or None")
        if not isinstance(summary, str):
            fail("InvalidType", f"summary must be a string: got {quote(summary)}.")
        tier = None if production is None else (PRODUCTION_TIER if production else NON_PRODUCTION_TIER)
        return EnvironmentSchedule(name, expression, int(duration_hours), int(cutoff_hours), tier, summary)


def _tier(name: str, expression: str, hours: int, tier: Optional[str], summary: str) -> EnvironmentSchedule:
    return EnvironmentSchedule(name, expression, hours, 1, tier, summary)


_WEEKDAY_NIGHTS = "cron(0 22 ? * MON-FRI *)"
_WEEKEND_MORNINGS = "cron(0 6 ? * SAT,SUN *)"
EnvironmentSchedule.SANDBOX = _tier("sandbox", _WEEKDAY_NIGHTS, 5, NON_PRODUCTION_TIER, "weekdays 22:00-03:00")
EnvironmentSchedule.DEVELOPMENT = _tier("development", _WEEKDAY_NIGHTS, 5, NON_PRODUCTION_TIER, "weekdays 22:00-03:00")
EnvironmentSchedule.TEST = _tier("test", _WEEKDAY_NIGHTS, 5, NON_PRODUCTION_TIER, "weekdays 22:00-03:00")
EnvironmentSchedule.ACCEPTANCE = _tier("acceptance", _WEEKEND_MORNINGS, 5, NON_PRODUCTION_TIER, "weekends 06:00-11:00")
EnvironmentSchedule.PRODUCTION = _tier("production", _WEEKEND_MORNINGS, 5, PRODUCTION_TIER, "weekends 06:00-11:00")
EnvironmentSchedule.MANAGEMENT_SERVERS = _tier("management-servers", "cron(0 23 ? * TUE#1 *)", 6, None, "first Tuesday 23:00-05:00")
EnvironmentSchedule.WEB_SERVERS = _tier("web-servers", "cron(0 23 ? * THU#1 *)", 6, None, "first Thursday 23:00-05:00")
EnvironmentSchedule.APPLICATION_SERVERS = _tier("application-servers", "cron(0 23 ? * THU#2 *)", 6, None, "second Thursday 23:00-05:00")
EnvironmentSchedule.DATABASE_SERVERS = _tier("database-servers", "cron(0 23 ? * THU#3 *)", 6, None, "third Thursday 23:00-05:00")
