"""``WindowSchedule``: when a maintenance window opens, as a value object.

Pure Python: this module never imports aws_cdk, so schedules can be built, checked
and previewed without a stack (and without starting jsii). ``aws_cdk.Duration``
and ``aws_cdk.TimeZone`` are accepted by duck typing.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Optional,
    Tuple,
    Union,
)

from .._internal.tokens import is_token
from .._internal.validate import check_int_range, fail, is_int, quote
from . import engine
from .cron import MINIMUM_INTERVAL_MINUTES, CronSpec, Field, parse_cron
from .zones import RegionalTimeZones, TimeZoneLike, check_region, zone_name

__all__ = ["WindowSchedule", "check_schedule_offset"]

_MAX_EXPRESSION_LENGTH = 256  # [API] MaintenanceWindowSchedule
_RATE = re.compile(r"rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\(([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\)")
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440}
_PRIVATE = object()

Where = Callable[[Optional[Field]], str]
class WindowSchedule:
    """When a maintenance window opens: a ``cron``, ``rate`` or ``at`` expression plus
    the time zone it is read in, an optional offset in days, and an active period.

    Build one with a factory: :meth:`expression` (an AWS string), :meth:`cron`,
    :meth:`rate` or :meth:`at`. Every factory validates eagerly and raises
    :class:`mw_constructs.ValidationError`; the object is immutable.

    Attributes:
        expression_string: the ``Schedule`` string sent to SSM, e.g. ``cron(0 2 ? * SUN *)``.
        time_zone: IANA zone name the cron is read in (``ScheduleTimezone``); ``None`` = UTC,
            or a zone per Region (``time_zones``).
        time_zones: the :class:`RegionalTimeZones` given as ``time_zone`` (follow-the-sun), or
            ``None``. Runs of such a schedule are asked per Region: :meth:`in_region`.
        schedule_offset: days to wait after each cron match (1-6), or ``None``.
        start_date: tz-aware start of the active period, or ``None``.
        end_date: tz-aware end of the active period, or ``None``.
        kind: ``"cron"``, ``"rate"``, ``"at"``, or ``"token"`` for an unresolved CDK token.
    """

    expression_string: str
    time_zone: Optional[str]
    time_zones: Optional[RegionalTimeZones]
    schedule_offset: Optional[int]
    start_date: Optional[datetime]
    end_date: Optional[datetime]
    kind: str
    _cron: CronSpec
    _rate_minutes: int
    _at: datetime
    _times: Optional["engine.CronTimes"]

    __slots__ = (
        "expression_string",
        "time_zone",
        "time_zones",
        "schedule_offset",
        "start_date",
        "end_date",
        "kind",
        "_cron",
        "_rate_minutes",
        "_at",
        "_times",
    )

    def __init__(self, key: object, **values: Any) -> None:
        if key is not _PRIVATE:
            fail(
                "InvalidType",
                "WindowSchedule has no public constructor: use WindowSchedule.expression(...), "
                ".cron(...), .rate(...) or .at(...).",
            )
        for slot in self.__slots__:
            object.__setattr__(self, slot, values.get(slot.lstrip("_") if slot.startswith("_") else slot))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("WindowSchedule is immutable")

    # ------------------------------------------------------------------ factories

    @classmethod
    def expression(
        cls,
        text: str,
        *,
        time_zone: Optional[TimeZoneLike] = None,
        schedule_offset: Optional[int] = None,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> "WindowSchedule":
        """Parse and validate an AWS schedule string.

        Accepts ``cron(...)`` (6 fields, or 7 with leading seconds),
        ``rate(N minute|minutes|hour|hours|day|days)`` and
        ``at(yyyy-mm-ddThh:mm:ss)`` (UTC). An unresolved CDK token is passed through
        unchecked. ``time_zone`` is an IANA name (default: UTC); ``schedule_offset``
        (1-6 days) is for cron only; ``start_date``/``end_date`` are tz-aware
        datetimes bounding when the window may run.
        """
        if is_token(text):
            return cls._build("token", text, time_zone, schedule_offset, start_date, end_date)
        if not isinstance(text, str):
            fail("InvalidType", f"text must be a schedule string such as 'cron(0 2 ? * SUN *)': got {quote(text)}.")
        if len(text) > _MAX_EXPRESSION_LENGTH:
            fail("ScheduleSyntax", f"text must be at most {_MAX_EXPRESSION_LENGTH} characters: got {len(text)}.")
        if text.startswith("cron(") and text.endswith(")"):
            spec = _PARSED.get(text) or parse_cron(text[5:-1], _expression_where(text))
            _remember(text, spec)
            return cls._build("cron", text, time_zone, schedule_offset, start_date, end_date, cron=spec)
        if text.startswith("rate("):
            minutes = _parse_rate(text)
            return cls._build("rate", text, time_zone, schedule_offset, start_date, end_date, rate_minutes=minutes)
        if text.startswith("at("):
            moment = _parse_at(text)
            return cls._build("at", text, time_zone, schedule_offset, start_date, end_date, at=moment)
        fail(
            "ScheduleSyntax",
            f"text must be 'cron(...)', 'rate(...)' or 'at(...)' (lower case, no space before '('): "
            f"got {quote(text)}. Example: 'cron(0 2 ? * SUN *)' for Sundays at 02:00.",
        )

    @classmethod
    def cron(
        cls,
        *,
        minute: Union[str, int, None] = None,
        hour: Union[str, int, None] = None,
        day: Union[str, int, None] = None,
        month: Union[str, int, None] = None,
        week_day: Union[str, int, None] = None,
        year: Union[str, int, None] = None,
        second: Union[str, int, None] = None,
        time_zone: Optional[TimeZoneLike] = None,
        schedule_offset: Optional[int] = None,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> "WindowSchedule":
        """Build a cron schedule from its fields, each a number or a cron field string.

        Defaults: ``minute=0``, ``hour=0``, ``month="*"``, ``year="*"``; day-of-month
        is ``*`` unless ``week_day`` is given (then ``?``). Give ``day`` or
        ``week_day``, not both. Example: ``WindowSchedule.cron(hour=2, week_day="SUN")``
        is ``cron(0 2 ? * SUN *)``. Other keywords as in :meth:`expression`.
        """
        if day is not None and week_day is not None:
            fail(
                "CronDaysConflict",
                f"day ({quote(day)}) and week_day ({quote(week_day)}) cannot both be set: SSM needs "
                f"'?' in one of the two fields. Keep one of them.",
            )
        fields = {
            "minute": minute if minute is not None else 0,
            "hour": hour if hour is not None else 0,
            "day": day if day is not None else ("?" if week_day is not None else "*"),
            "month": month if month is not None else "*",
            "week_day": week_day if week_day is not None else "?",
            "year": year if year is not None else "*",
        }
        if second is not None:
            fields = {"second": second, **fields}
        texts = [_field_text(argument, value) for argument, value in fields.items()]
        text = f"cron({' '.join(texts)})"

        def where(field: Optional[Field]) -> str:
            return f"WindowSchedule.cron(...) giving {quote(text)}" if field is None else field.argument

        spec = parse_cron(text[5:-1], where)
        return cls._build("cron", text, time_zone, schedule_offset, start_date, end_date, cron=spec)

    @classmethod
    def rate(
        cls,
        duration: Any,
        *,
        start_date: Optional[datetime] = None,
        end_date: Optional[datetime] = None,
    ) -> "WindowSchedule":
        """Open the window every ``duration`` (an ``aws_cdk.Duration`` or ``timedelta``).

        The duration must be whole minutes and at least 5 minutes; it is written in the
        largest whole unit: ``Duration.days(7)`` gives ``rate(7 days)``,
        ``Duration.minutes(90)`` gives ``rate(90 minutes)``. Runs are counted from
        ``start_date`` (SSM uses the creation time when it is absent or in the past).
        """
        minutes = _whole_minutes(duration)
        unit = next(unit for unit in ("day", "hour", "minute") if minutes % _UNIT_MINUTES[unit] == 0)
        count = minutes // _UNIT_MINUTES[unit]
        text = f"rate({count} {unit}{'' if count == 1 else 's'})"
        return cls.expression(text, start_date=start_date, end_date=end_date)

    @classmethod
    def at(cls, when: datetime) -> "WindowSchedule":
        """Open the window once, at ``when`` (a tz-aware datetime, converted to UTC)."""
        _check_aware("when", when, required=True)
        if when.microsecond:
            fail("AtSyntax", f"when must be whole seconds: got {when.isoformat()}. Drop the microseconds.")
        utc = when.astimezone(timezone.utc)
        return cls.expression(f"at({utc.strftime('%Y-%m-%dT%H:%M:%S')})")

    # ------------------------------------------------------------------ occurrences

    def next_runs(self, count: int, *, after: datetime, before: Optional[datetime] = None) -> List[datetime]:
        """The next ``count`` times the window opens, strictly after ``after``.

        Returns tz-aware datetimes in the schedule's time zone (UTC when none), honouring
        every cron form, the time zone's daylight saving time, ``schedule_offset``,
        ``start_date`` and ``end_date``. Fewer than ``count`` come back when the schedule
        ends (a year field, an end date, an ``at``). Daylight saving policy (not documented
        for SSM; follows AWS's EventBridge Scheduler): a start time in a spring-forward gap
        is skipped that day; a start time in a repeated fall-back hour runs once, at its
        first occurrence. Rates count from ``start_date``, or from ``after`` without one.
        ``before`` (optional, tz-aware) stops the search: only runs strictly before it.
        """
        _check_aware("after", after, required=True)
        _check_aware("before", before)
        check_int_range("count", count, 0, None, "InvalidType")
        if self.time_zones is not None:
            fail("RegionalSchedule", f"{self.expression_string} is read in a time zone per Region "
                                     f"({', '.join(self.time_zones.regions)}): ask for the runs of one Region, "
                                     f"e.g. schedule.in_region({self.time_zones.regions[0]!r}).next_runs(...).")
        zone = engine.zone_of(self.time_zone)
        start, end = self.start_date, self.end_date
        if before is not None and (end is None or before < end):
            end = before
        if self.kind == "cron":
            offset = self.schedule_offset or 0
            # crons match years 1970-2199 only, so an earlier start date is the same as 1970 (and
            # cannot underflow datetime when the offset's days are taken off)
            search_from = after if start is None else max(after, max(start, _CRON_EPOCH) - timedelta(days=offset + 1))
            runs = engine.cron_runs(self._cron_times(), zone, offset, search_from)
        elif self.kind == "rate":
            runs = engine.rate_runs(self._rate_minutes, start or after, zone, after)
        elif self.kind == "at":
            runs = iter([self._at.astimezone(zone)] if self._at > after else [])
        else:
            fail(
                "UnresolvedSchedule",
                "the schedule expression is an unresolved CDK token (a parameter or an imported value): its runs "
                "are only known at deploy time. Preview a literal expression instead.",
            )
        return [run for run in engine.first_runs(runs, count, start, end) if run > after]

    def in_region(self, region: str) -> "WindowSchedule":
        """This schedule as it runs in ``region``: read in that Region's zone of ``time_zones``
        (RegionWithoutTimeZone when it has none). A schedule with one zone is the same everywhere."""
        if self.time_zones is None:
            check_region("region", region)
            return self
        return WindowSchedule._build(self.kind, self.expression_string, self.time_zones.zone(region),
                                     self.schedule_offset, self.start_date, self.end_date,
                                     cron=self._cron, rate_minutes=self._rate_minutes, at=self._at, times=self._times)

    def _cron_times(self) -> "engine.CronTimes":
        if self._times is None:
            object.__setattr__(self, "_times", engine.CronTimes(self._cron))
        assert self._times is not None
        return self._times

    # ------------------------------------------------------------------ derived values

    @property
    def parsed_cron(self) -> Optional[CronSpec]:
        """A cron schedule's fields as value sets (``schedule.cron.CronSpec``); None for a rate,
        an at or a token."""
        return self._cron if self.kind == "cron" else None

    @property
    def rate_minutes(self) -> Optional[int]:
        """A rate schedule's interval in minutes; None for a cron, an at or a token."""
        return self._rate_minutes if self.kind == "rate" else None

    @property
    def start_date_string(self) -> Optional[str]:
        """``start_date`` as the ISO-8601 string SSM expects, e.g. ``2021-01-01T00:00:00-08:00``."""
        return _iso(self.start_date)

    @property
    def end_date_string(self) -> Optional[str]:
        """``end_date`` as the ISO-8601 string SSM expects."""
        return _iso(self.end_date)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WindowSchedule):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        extras = "".join(
            f", {name.rstrip('s') if name == 'time_zones' else name}={getattr(self, name)!r}"
            for name in ("time_zone", "time_zones", "schedule_offset", "start_date", "end_date")
            if getattr(self, name) is not None
        )
        return f"WindowSchedule.expression({self.expression_string!r}{extras})"

    def _key(self) -> Tuple[Any, ...]:
        return (self.expression_string, self.time_zone, self.time_zones, self.schedule_offset, self.start_date, self.end_date)

    # ------------------------------------------------------------------ shared checks

    @classmethod
    def _build(
        cls,
        kind: str,
        text: str,
        time_zone: Optional[TimeZoneLike],
        schedule_offset: Optional[int],
        start_date: Optional[datetime],
        end_date: Optional[datetime],
        **parsed: Any,
    ) -> "WindowSchedule":
        time_zones = time_zone if isinstance(time_zone, RegionalTimeZones) else None
        zone = None if time_zones is not None else zone_name(time_zone)
        check_schedule_offset(schedule_offset, kind, text)
        _check_period(start_date, end_date)
        return cls(
            _PRIVATE,
            kind=kind,
            expression_string=text,
            time_zone=zone,
            time_zones=time_zones,
            schedule_offset=schedule_offset,
            start_date=start_date,
            end_date=end_date,
            **parsed,
        )


#: Crons already parsed (a valid text parses to the same spec every time; invalid ones are not kept):
#: an app or a cloud assembly reads the same few schedules many times.
_PARSED: Dict[str, CronSpec] = {}


def _remember(text: str, spec: CronSpec) -> None:
    if len(_PARSED) >= 4096:
        _PARSED.clear()
    _PARSED[text] = spec


#: The first moment a cron can match (its year field starts at 1970).
_CRON_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# ---------------------------------------------------------------------- helpers


def _expression_where(text: str) -> Where:
    def where(field: Optional[Field]) -> str:
        prefix = f"schedule expression {quote(text)}"
        return prefix if field is None else f"{prefix}: {field.title} field"

    return where


def _field_text(argument: str, value: Any) -> str:
    if is_int(value):
        return str(value)
    if isinstance(value, str) and value and " " not in value:
        return value
    fail(
        "InvalidType",
        f"{argument} must be a number or a cron field string without spaces (e.g. '0', '1-5', "
        f"'MON-FRI'): got {quote(value)}.",
    )


def _parse_rate(text: str) -> int:
    match = _RATE.fullmatch(text)
    if not match:
        fail(
            "RateSyntax",
            f"schedule expression {quote(text)} is not a valid rate: write 'rate(N unit)' with N a "
            f"positive whole number and unit one of minute(s), hour(s), day(s), e.g. 'rate(7 days)'.",
        )
    value_text, unit = match.groups()
    value = int(value_text)
    if value == 0 or value_text.startswith("0"):
        fail("RateSyntax", f"schedule expression {quote(text)}: the rate must be a positive whole number without leading zeros.")
    singular = unit.rstrip("s")
    if (value == 1) != (unit == singular):
        wanted = singular if value == 1 else singular + "s"
        fail(
            "RateUnitNumber",
            f"schedule expression {quote(text)}: SSM wants a singular unit for 1 and a plural one "
            f"above 1. Write 'rate({value} {wanted})'.",
        )
    minutes = value * _UNIT_MINUTES[singular]
    _check_rate_floor(minutes, text)
    return minutes


def _check_rate_floor(minutes: int, text: str) -> None:
    if minutes < MINIMUM_INTERVAL_MINUTES:
        fail(
            "RateTooFrequent",
            f"schedule expression {quote(text)} opens a window every {minutes} minute(s); windows "
            f"cannot start more often than every {MINIMUM_INTERVAL_MINUTES} minutes.",
        )


def _whole_minutes(duration: Any) -> int:
    if isinstance(duration, timedelta):
        seconds: Any = duration.total_seconds()
    elif hasattr(duration, "to_seconds"):
        try:
            seconds = duration.to_seconds(integral=False)
        except Exception:  # jsii raises for token durations given in another unit
            seconds = None
        if seconds is None or is_token(seconds):
            fail(
                "InvalidType",
                "duration must be a literal Duration for WindowSchedule.rate(); for a token use "
                "WindowSchedule.expression() with the whole 'rate(...)' string.",
            )
    else:
        fail(
            "InvalidType",
            f"duration must be an aws_cdk.Duration or datetime.timedelta, e.g. Duration.days(7): "
            f"got {quote(duration)}.",
        )
    if seconds % 60:
        fail("RateSyntax", f"duration must be a whole number of minutes: got {seconds} seconds.")
    minutes = int(seconds // 60)
    if minutes < MINIMUM_INTERVAL_MINUTES:
        fail("RateTooFrequent", f"duration must be at least {MINIMUM_INTERVAL_MINUTES} minutes, the most often a window "
                                f"can open: got {minutes} minute(s). Use Duration.minutes({MINIMUM_INTERVAL_MINUTES}) or more.")
    return minutes


def _parse_at(text: str) -> datetime:
    match = _AT.fullmatch(text)
    moment = None
    if match:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        try:
            moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
        except ValueError:
            moment = None
    if moment is None:
        fail(
            "AtSyntax",
            f"schedule expression {quote(text)} is not a valid one-time schedule: write "
            f"'at(yyyy-mm-ddThh:mm:ss)' with a real UTC date and time, e.g. 'at(2030-07-07T15:55:00)'.",
        )
    return moment


def check_schedule_offset(offset: Any, kind: str, text: str) -> None:
    """``schedule_offset`` rules: 1-6 whole days, and only with a cron (a token passes)."""
    if offset is None or is_token(offset):
        return
    check_int_range("schedule_offset", offset, 1, 6, "ScheduleOffsetRange", "day")
    if kind not in ("cron", "token"):
        fail(
            "ScheduleOffsetNotCron",
            f"schedule_offset={offset} cannot be used with {quote(text)}: SSM supports offsets for "
            f"cron expressions only. Use a cron schedule or drop schedule_offset.",
        )


def _check_period(start: Optional[datetime], end: Optional[datetime]) -> None:
    _check_aware("start_date", start)
    _check_aware("end_date", end)
    if start is not None and end is not None and end <= start:
        fail(
            "EndNotAfterStart",
            f"end_date must be after start_date: got start_date={start.isoformat()}, "
            f"end_date={end.isoformat()}.",
        )


def _check_aware(argument: str, value: Optional[datetime], *, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, datetime):
        fail("InvalidType", f"{argument} must be a datetime with a time zone: got {quote(value)}.")
    if value.tzinfo is None or value.utcoffset() is None:
        fail(
            "NaiveDate",
            f"{argument} must carry a time zone: got {value.isoformat()} (naive). Add tzinfo, e.g. "
            f"datetime(2025, 1, 1, tzinfo=ZoneInfo('Europe/Amsterdam')).",
        )


def _iso(value: Optional[datetime]) -> Optional[str]:
    return None if value is None else value.isoformat(timespec="seconds")
