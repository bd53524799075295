"""Read aws_cdk.Duration values as whole units, turning every failure into ValidationError.

Duck-typed (no aws_cdk import), so pure modules such as presets can use it too."""

from __future__ import annotations

from typing import Any, Optional, Union

from ._tokens import is_token
from ._validate import check_int_range, fail, quote


def whole_hours(argument: str, value: Any, low: int, high: int, code: str) -> Union[int, float]:
    """``value`` (a Duration) in whole hours within [low, high]; a token passes through."""
    _check_duration(argument, value, "Duration.hours(3)")
    try:
        hours = value.to_hours()
    except Exception:  # jsii: not a whole number of hours, or a token in another unit
        fail("NotWholeHours", f"{argument} must be a whole number of hours: got {value.to_human_string()}.")
    if not is_token(hours):
        check_int_range(argument, int(hours), low, high, code, "hours")
    return hours


def whole_seconds(argument: str, value: Optional[Any], low: int, high: int, code: str) -> Optional[Union[int, float]]:
    """``value`` (a Duration or None) in whole seconds within [low, high]; a token passes through."""
    if value is None:
        return None
    _check_duration(argument, value, "Duration.minutes(30)")
    try:
        seconds = value.to_seconds()
    except Exception:  # jsii: fractional seconds, or a token in another unit
        fail(code, f"{argument} must be a whole number of seconds: got {value.to_human_string()}.")
    if not is_token(seconds):
        seconds = int(seconds)
        if not low <= seconds <= high:
            fail(code, f"{argument} must be from {low} to {high} seconds: got {value.to_human_string()} ({seconds} s).")
    return seconds


def _check_duration(argument: str, value: Any, example: str) -> None:
    if not (hasattr(value, "to_hours") and hasattr(value, "to_seconds") and hasattr(value, "to_human_string")):
        fail("InvalidType", f"{argument} must be an aws_cdk.Duration, e.g. {example}: got {quote(value)}.")
