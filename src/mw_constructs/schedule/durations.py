"""Spans: read aws_cdk.Duration values as whole units, and the one rule for a window's hours.

Duck-typed (no aws_cdk import), so pure modules such as presets and the CLI use it too.
A ``datetime.timedelta`` is read in Python, without a call to jsii's Node process (each
``Duration`` read is one, and ``Duration.hours(3)`` another): the fast path for apps that build
many windows. A ``Duration`` object (immutable in aws-cdk-lib) is read once: one object given to
many windows costs one call in all. Every failure is a ValidationError; unresolved CDK tokens pass
through unchecked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable, Dict, Optional, Protocol, Tuple, Union
from weakref import WeakKeyDictionary

from .._internal.tokens import is_token
from .._internal.validate import check_int_range, fail, is_int, plural, quote

#: [API] MaintenanceWindowDurationHours and MaintenanceWindowCutoff.
DURATION_HOURS = (1, 24)
CUTOFF_HOURS = (0, 23)

Hours = Union[int, float]  # a whole number of hours, or a number-encoded CDK token


class DurationLike(Protocol):
    """What the library reads of an ``aws_cdk.Duration`` (so pure modules need not import it)."""

    def to_hours(self, *, integral: Optional[bool] = None) -> float: ...

    def to_seconds(self, *, integral: Optional[bool] = None) -> float: ...

    def to_human_string(self) -> str: ...


def whole_hours(argument: str, value: Any, low: int, high: int, code: str) -> Hours:
    """``value`` (a Duration or a timedelta) in whole hours within [low, high]; a token passes through."""
    if isinstance(value, timedelta):
        return _whole_units(argument, value, 3600, "hour", low, high, code)
    _check_duration(argument, value, "Duration.hours(3)")
    try:
        hours: Hours = _read(value, "hours", value.to_hours)
    except Exception:  # jsii: not a whole number of hours, or a token in another unit
        fail("NotWholeHours", f"{argument} must be a whole number of hours: got {value.to_human_string()}.")
    if not is_token(hours):
        hours = int(hours)
        check_int_range(argument, hours, low, high, code, "hour")
    return hours


def whole_seconds(argument: str, value: Optional[Any], low: int, high: int, code: str) -> Optional[Hours]:
    """``value`` (a Duration, a timedelta or None) in whole seconds within [low, high]; a token
    passes through."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return _whole_units(argument, value, 1, "second", low, high, code)
    _check_duration(argument, value, "Duration.minutes(30)")
    try:
        seconds: Hours = _read(value, "seconds", value.to_seconds)
    except Exception:  # jsii: fractional seconds, or a token in another unit
        fail(code, f"{argument} must be a whole number of seconds: got {value.to_human_string()}.")
    if not is_token(seconds):
        seconds = int(seconds)
        if not low <= seconds <= high:
            fail(code, f"{argument} must be from {low} to {high} seconds: got {value.to_human_string()} ({seconds} s).")
    return seconds


def window_hours(duration: Any, cutoff: Any, *, duration_argument: str = "duration",
                 cutoff_argument: str = "cutoff") -> Tuple[Hours, Hours]:
    """A window's ``duration`` and ``cutoff`` (Durations) as whole hours, checked by
    :func:`check_window_hours`."""
    duration_hours = whole_hours(duration_argument, duration, *DURATION_HOURS, code="DurationRange")
    cutoff_hours = whole_hours(cutoff_argument, cutoff, *CUTOFF_HOURS, code="CutoffRange")
    check_window_hours(duration_hours, cutoff_hours, duration_argument=duration_argument,
                       cutoff_argument=cutoff_argument)
    return duration_hours, cutoff_hours


def check_window_hours(duration_hours: Any, cutoff_hours: Any, *, duration_argument: str = "duration",
                       cutoff_argument: str = "cutoff") -> None:
    """The rule SSM enforces on a window's hours: duration 1-24, cutoff 0-23, and cutoff below
    duration (else no task could ever start). Whole numbers; tokens pass."""
    check_int_range(duration_argument, duration_hours, *DURATION_HOURS, code="DurationRange", unit="hour")
    check_int_range(cutoff_argument, cutoff_hours, *CUTOFF_HOURS, code="CutoffRange", unit="hour")
    if is_token(cutoff_hours) or is_token(duration_hours):
        return
    if is_int(cutoff_hours) and is_int(duration_hours) and cutoff_hours >= duration_hours:
        fail(
            "CutoffNotBelowDuration",
            f"{cutoff_argument} must be less than {duration_argument}: got {cutoff_argument}={plural(cutoff_hours, 'hour')}, "
            f"{duration_argument}={plural(duration_hours, 'hour')}. No task could ever start; "
            + (f"lower {cutoff_argument} to at most {plural(duration_hours - 1, 'hour')} or lengthen the window."
               if duration_hours > 1 else f"a 1-hour window needs {cutoff_argument}=0, or lengthen the window."),
        )


def _whole_units(argument: str, value: timedelta, unit_seconds: int, unit: str, low: int, high: int, code: str) -> int:
    """A timedelta as a whole number of ``unit`` s within [low, high] (the same rules and codes as a
    Duration: a fraction of an hour is NotWholeHours, of a second the range's own code)."""
    whole, rest = divmod(value, timedelta(seconds=unit_seconds))
    if rest:
        message = f"{argument} must be a whole number of {unit}s: got timedelta {value} (h:mm:ss)."
        if unit == "hour":
            fail("NotWholeHours", message)
        fail(code, message)
    check_int_range(argument, whole, low, high, code, unit)
    return int(whole)


#: What each Duration object read so far gave, by unit: a Duration never changes, so an object given
#: to many windows is asked of jsii once. Weak keys: an entry lives as long as its Duration.
_READ: "WeakKeyDictionary[Any, Dict[str, Hours]]" = WeakKeyDictionary()


def _read(duration: Any, unit: str, read: Callable[[], Hours]) -> Hours:
    """``read()`` (the Duration's ``to_hours`` or ``to_seconds``), asked of jsii once per object and unit."""
    try:
        known = _READ.get(duration)
    except TypeError:  # not weakly referable (a stand-in object): read each time
        return read()
    if known is not None and unit in known:
        return known[unit]
    value = read()  # raises for a Duration not whole in this unit: nothing is kept
    _READ.setdefault(duration, {})[unit] = value
    return value


def _check_duration(argument: str, value: Any, example: str) -> None:
    if not (hasattr(value, "to_hours") and hasattr(value, "to_seconds") and hasattr(value, "to_human_string")):
        fail("InvalidType", f"{argument} must be an aws_cdk.Duration, e.g. {example}, or a datetime.timedelta: "
                            f"got {quote(value)}.")
