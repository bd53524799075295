"""When windows open: the pure core of the library (no aws_cdk import).

* ``association``: :class:`AssociationSchedule`, State Manager's schedules (the same engine);
* ``expression``: :class:`WindowSchedule`, a cron, rate or at expression with its time zone,
  offset and active period, checked when it is built;
* ``cron``: the SSM cron grammar (parse a cron body into value sets);
* ``engine``: the occurrence engine (cron, rate and at runs in a time zone, DST policy);
* ``runs``: :class:`WindowRun` and :func:`window_runs` (opens, last task start, closes);
* ``zones``: IANA zones, :class:`RegionalTimeZones` for follow-the-sun windows;
* ``durations``: ``aws_cdk.Duration`` values read as whole hours, and the window-hours rule;
* ``presets``: :class:`EnvironmentSchedule`, the named patching tiers;
* ``placement``: :class:`Placement`, where a window runs (account, Region, organizational units).
"""

from .association import AssociationSchedule
from .expression import WindowSchedule
from .presets import EnvironmentSchedule
from .runs import WindowRun, window_runs
from .zones import REGION_TIME_ZONES, RegionalTimeZones, TimeZoneLike

__all__ = ["AssociationSchedule", "EnvironmentSchedule", "REGION_TIME_ZONES", "RegionalTimeZones", "TimeZoneLike", "WindowRun", "WindowSchedule",
           "window_runs"]
