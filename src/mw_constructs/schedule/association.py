"""``AssociationSchedule``: when a State Manager association applies, as a value object.

Pure Python, no aws_cdk. Associations read the window grammar (one parser, one engine), with
State Manager's own limits on top (AWS "Reference: Cron and rate expressions for Systems
Manager", section "Cron and rate expressions for associations"):

* a cron must be one of the forms State Manager supports: every 30 minutes; every 1, 2, 4, 8
  or 12 hours; every day at a time; every week at a time (one day, or several days of the
  week [library reading: a set of week days repeats weekly]); the n-th or the last given
  week day of every month at a time (``THU#2``, ``5L``: AWS's own association examples).
  The seconds field may only be ``0``; months and years cannot be chosen (every month, every
  year). Anything else SSM refuses (``AssociationCronUnsupported``);
* a rate must be at least 30 minutes and less than 31 days (``AssociationRateOutOfRange``);
* ``at(...)`` runs once, at a UTC time;
* ``schedule_offset`` (1-6 days) is for crons only, and only with ``ApplyOnlyAtCronInterval``
  (the association checks that);
* there is no time zone: association crons are read in UTC.

Runs: an association also applies when it is created (and when its targets change) unless it
is created with ``ApplyOnlyAtCronInterval``; :meth:`AssociationSchedule.next_runs` gives the
schedule's own runs, the creation run is the caller's to add (``mw-constructs preview``
prints it). A rate counts from the moment the association is created.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, List, Optional, Tuple

from .._internal.validate import as_argument, fail, quote
from .cron import DAY_NAMES, YEAR, CronSpec
from .expression import WindowSchedule

__all__ = ["AssociationSchedule", "ASSOCIATION_RATE_MINUTES"]

#: The shortest and (exclusive) longest rate State Manager takes, in minutes:
#: "intervals of 30 minutes or greater and less than 31 days".
ASSOCIATION_RATE_MINUTES: Tuple[int, int] = (30, 31 * 24 * 60)
#: The hour steps of "every 1, 2, 4, 8 or 12 hours".
_HOUR_STEPS = (1, 2, 4, 8, 12)
_ALL_DAYS_OF_MONTH = frozenset(range(1, 32))
_ALL_WEEK_DAYS = frozenset(range(1, 8))
_ALL_MONTHS = frozenset(range(1, 13))
_ALL_YEARS = frozenset(range(YEAR.low, YEAR.high + 1))
_SUPPORTED = ("every 30 minutes (cron(0/30 * * * ? *)), every 1, 2, 4, 8 or 12 hours (cron(0 0/4 * * ? *)), "
              "daily (cron(15 13 ? * * *)), weekly (cron(15 13 ? * MON *)), or the n-th or last week day of each "
              "month (cron(0 2 ? * THU#2 *), cron(0 2 ? * 5L *))")


class AssociationSchedule:
    """When a State Manager association applies: a ``cron``, ``rate`` or ``at`` expression in
    State Manager's grammar (module docstring), and an optional offset in days.

    Build one with :meth:`expression`, :meth:`daily`, :meth:`weekly`, :meth:`every_hours`,
    :meth:`rate` or :meth:`at`; each checks eagerly and raises ``ValidationError``.

    Attributes:
        expression_string: the ``ScheduleExpression`` sent to SSM.
        schedule_offset: days to wait after each cron match (1-6), or ``None``.
        kind: ``"cron"``, ``"rate"``, ``"at"``, or ``"token"`` for an unresolved CDK token.
        form: what the cron is, in words (``"every 4 hours"``, ``"weekly"``), or the kind.
    """

    __slots__ = ("_window", "form")

    def __init__(self, window: WindowSchedule, form: str) -> None:
        self._window = window
        self.form = form

    # ------------------------------------------------------------------ factories

    @classmethod
    def expression(cls, text: str, *, schedule_offset: Optional[int] = None) -> "AssociationSchedule":
        """Parse and check a State Manager schedule string, e.g. ``cron(0 2 ? * SUN *)``,
        ``rate(1 day)``, ``at(2030-01-01T02:00:00)``. An unresolved CDK token passes unchecked."""
        window = WindowSchedule.expression(text, schedule_offset=schedule_offset)
        return cls(window, _form(window))

    @classmethod
    def daily(cls, *, hour: int, minute: int = 0) -> "AssociationSchedule":
        """Every day at ``hour``:``minute`` UTC."""
        return cls.expression(f"cron({_number('minute', minute, 59)} {_number('hour', hour, 23)} ? * * *)")

    @classmethod
    def weekly(cls, week_day: str, *, hour: int, minute: int = 0,
               schedule_offset: Optional[int] = None) -> "AssociationSchedule":
        """Every week on ``week_day`` (``"SUN"``-``"SAT"``, a list ``"MON,THU"``, the n-th of the
        month ``"THU#2"`` or the last of the month ``"5L"``) at ``hour``:``minute`` UTC."""
        if not isinstance(week_day, str) or not week_day or " " in week_day:
            fail("InvalidType", f"week_day must be a day-of-week field such as 'SUN', 'MON,THU' or 'THU#2': got {quote(week_day)}.")
        text = f"cron({_number('minute', minute, 59)} {_number('hour', hour, 23)} ? * {week_day} *)"
        return as_argument("week_day", lambda: cls.expression(text, schedule_offset=schedule_offset))

    @classmethod
    def every_hours(cls, hours: int, *, minute: int = 0) -> "AssociationSchedule":
        """Every ``hours`` hours (1, 2, 4, 8 or 12) from midnight UTC, at ``minute`` past the hour."""
        if hours not in _HOUR_STEPS or isinstance(hours, bool):
            fail("AssociationCronUnsupported", f"hours must be one of {', '.join(map(str, _HOUR_STEPS))}: State Manager "
                                               f"runs hourly crons only at those steps; got {quote(hours)}. "
                                               f"Use AssociationSchedule.rate(...) for other intervals.")
        return cls.expression(f"cron({_number('minute', minute, 59)} 0/{hours} * * ? *)")

    @classmethod
    def rate(cls, every: Any) -> "AssociationSchedule":
        """Every ``every`` (an ``aws_cdk.Duration`` or ``timedelta``, whole minutes, 30 minutes to
        less than 31 days), counted from when the association is created."""
        window = WindowSchedule.rate(every)
        return cls(window, _form(window))

    @classmethod
    def at(cls, when: datetime) -> "AssociationSchedule":
        """Once, at ``when`` (a tz-aware datetime, converted to UTC)."""
        window = WindowSchedule.at(when)
        return cls(window, _form(window))

    # ------------------------------------------------------------------ values

    @property
    def expression_string(self) -> str:
        return self._window.expression_string

    @property
    def schedule_offset(self) -> Optional[int]:
        return self._window.schedule_offset

    @property
    def kind(self) -> str:
        return self._window.kind

    @property
    def parsed_cron(self) -> Optional[CronSpec]:
        """A cron schedule's fields as value sets; None for a rate, an at or a token."""
        return self._window.parsed_cron

    @property
    def rate_minutes(self) -> Optional[int]:
        """A rate schedule's interval in minutes; None otherwise."""
        return self._window.rate_minutes

    def next_runs(self, count: int, *, after: datetime, created: Optional[datetime] = None) -> List[datetime]:
        """The next ``count`` times the schedule applies the association, strictly after
        ``after``, in UTC. A rate counts from ``created`` (default: ``after``, as if the
        association were created then). The run at creation itself is not included."""
        if self.kind == "rate" and created is not None:
            anchored = WindowSchedule.expression(self.expression_string, start_date=created)
            return anchored.next_runs(count, after=after)
        return self._window.next_runs(count, after=after)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AssociationSchedule):
            return NotImplemented
        return (self.expression_string, self.schedule_offset) == (other.expression_string, other.schedule_offset)

    def __hash__(self) -> int:
        return hash((self.expression_string, self.schedule_offset))

    def __repr__(self) -> str:
        offset = f", schedule_offset={self.schedule_offset!r}" if self.schedule_offset is not None else ""
        return f"AssociationSchedule.expression({self.expression_string!r}{offset})"


def _number(argument: str, value: Any, high: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        fail("CronValueOutOfRange", f"{argument} must be a whole number from 0 to {high}: got {quote(value)}.")
    return str(value)


def _form(window: WindowSchedule) -> str:
    """What the schedule is, in words; ValidationError where State Manager does not take it."""
    text = window.expression_string
    if window.kind == "token":
        return "token"
    if window.kind == "at":
        return "once"
    if window.kind == "rate":
        minutes = window.rate_minutes or 0
        low, high = ASSOCIATION_RATE_MINUTES
        if not low <= minutes < high:
            fail("AssociationRateOutOfRange",
                 f"schedule expression {quote(text)} runs every {minutes} minute(s): State Manager takes rates of "
                 f"30 minutes or more and less than 31 days. Use e.g. 'rate(30 minutes)' or 'rate(30 days)'.")
        return "rate"
    spec = window.parsed_cron
    assert spec is not None
    return _cron_form(spec, text)


def _cron_form(spec: CronSpec, text: str) -> str:
    def refuse(why: str) -> None:
        fail("AssociationCronUnsupported",
             f"schedule expression {quote(text)}: {why}. State Manager takes only {_SUPPORTED}; "
             f"for anything else use a maintenance window.")

    if spec.second not in (None, 0):
        refuse(f"the seconds field must be 0 for an association, got {spec.second}")
    if spec.months != _ALL_MONTHS:
        refuse("an association cannot choose months (its month field must be *)")
    if spec.years != _ALL_YEARS:
        refuse("an association cannot choose years (its year field must be *)")
    dom, dow = spec.day_of_month, spec.day_of_week
    every_day = (dom.kind == "set" and dom.values == _ALL_DAYS_OF_MONTH and dow.kind == "none") or \
        (dom.kind == "none" and dow.kind == "set" and dow.values == _ALL_WEEK_DAYS)
    minutes, hours = sorted(spec.minutes), sorted(spec.hours)
    if every_day:
        if len(minutes) == 2 and minutes[1] - minutes[0] == 30 and len(hours) == 24:
            return "every 30 minutes"
        if len(minutes) == 1:
            if len(hours) == 1:
                return "daily"
            step = 24 // len(hours) if 24 % len(hours) == 0 else 0
            if step in _HOUR_STEPS and hours == list(range(hours[0], 24, step)) and hours[0] < step:
                return "every hour" if step == 1 else f"every {step} hours"
        refuse("its minutes and hours are not one of the supported repeats (every 30 minutes, every 1, 2, 4, 8 or "
               "12 hours) nor one time of day")
    if dom.kind != "none":
        refuse("an association cannot choose days of the month (day-of-month must be ? or *)")
    if len(minutes) != 1 or len(hours) != 1:
        refuse("a weekly or monthly association runs at one time of day (one minute, one hour)")
    if dow.kind == "set":
        return "weekly" if len(dow.values) == 1 else f"weekly on {len(dow.values)} days"
    if dow.kind == "nth_weekday":
        return f"monthly, {DAY_NAMES[dow.n - 1]} #{dow.k}"
    return f"monthly, last {DAY_NAMES[dow.n - 1]}"

