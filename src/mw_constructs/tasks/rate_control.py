"""Rate control and cutoff behaviour of a task: how many targets it runs on at once, how many
failures stop it, and what running tasks do at the window's cutoff.

Pure values (no aws_cdk import). AWS reference:
https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html
"""

from __future__ import annotations

import enum
import re
from typing import Any, Type, TypeVar, Union, cast

from .._internal.tokens import is_token
from .._internal.validate import check_int_range, check_pattern, fail, is_int, quote

__all__ = ["CutoffBehavior", "MaxConcurrency", "MaxErrors", "RateControlValue"]

# [API] RegisterTaskWithMaintenanceWindow: MaxConcurrency / MaxErrors, 1-7 characters.
_MAX_CONCURRENCY = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)")
_MAX_ERRORS = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)")


class CutoffBehavior(enum.Enum):
    """What running tasks do when the window's cutoff is reached."""

    CONTINUE_TASK = "CONTINUE_TASK"  #: SSM's default: running tasks continue
    CANCEL_TASK = "CANCEL_TASK"  #: SSM sends CancelCommand to running commands; other kinds start no new invocations


class MaxConcurrency:
    """How many targets a task runs on at once: ``MaxConcurrency.count(5)`` or ``.percent(10)``
    (or the AWS string, ``"10%"``)."""

    def __init__(self, value: str) -> None:
        check_pattern(
            "" if value is None else value, _MAX_CONCURRENCY, "InvalidMaxConcurrency",
            f"max_concurrency must be a count (1 or more, up to 7 characters) or a percentage (1%-100%) such as "
            f"'10%': got {quote(value)}.",
        )
        self.value = value

    @staticmethod
    def count(n: int) -> "MaxConcurrency":
        """At most ``n`` targets at once (1 or more)."""
        check_int_range("MaxConcurrency.count", n, 1, 9_999_999, "InvalidMaxConcurrency")
        return MaxConcurrency(str(n))

    @staticmethod
    def percent(p: int) -> "MaxConcurrency":
        """At most ``p`` percent of the targets at once (1-100)."""
        check_int_range("MaxConcurrency.percent", p, 1, 100, "InvalidMaxConcurrency", "%")
        return MaxConcurrency(f"{p}%")

    @staticmethod
    def of(value: "RateControlValue") -> "MaxConcurrency":
        """``value`` as a MaxConcurrency: itself, an AWS string (``"10%"``) or a whole number (a
        token passes unchecked)."""
        return _read(MaxConcurrency, MaxErrors, value, "max_concurrency", 1, "InvalidMaxConcurrency")

    def __repr__(self) -> str:
        return f"MaxConcurrency({self.value!r})"


class MaxErrors:
    """How many failed targets stop a task: ``MaxErrors.count(0)`` stops after the first
    error; ``.percent(10)`` after 10% of the targets failed (or the AWS string, ``"1"``)."""

    def __init__(self, value: str) -> None:
        check_pattern(
            "" if value is None else value, _MAX_ERRORS, "InvalidMaxErrors",
            f"max_errors must be a count (0 or more, up to 7 characters) or a percentage (0%-100%) such as "
            f"'10%': got {quote(value)}.",
        )
        self.value = value

    @staticmethod
    def count(n: int) -> "MaxErrors":
        """Stop after ``n`` more failed targets than allowed (0: the first failure stops it)."""
        check_int_range("MaxErrors.count", n, 0, 9_999_999, "InvalidMaxErrors")
        return MaxErrors(str(n))

    @staticmethod
    def percent(p: int) -> "MaxErrors":
        """Stop after ``p`` percent of the targets failed (0-100)."""
        check_int_range("MaxErrors.percent", p, 0, 100, "InvalidMaxErrors", "%")
        return MaxErrors(f"{p}%")

    @staticmethod
    def of(value: "RateControlValue") -> "MaxErrors":
        """``value`` as a MaxErrors: itself, an AWS string (``"1"``, ``"10%"``) or a whole number
        (a token passes unchecked)."""
        return _read(MaxErrors, MaxConcurrency, value, "max_errors", 0, "InvalidMaxErrors")

    def __repr__(self) -> str:
        return f"MaxErrors({self.value!r})"


RateControlValue = Union[str, int, MaxConcurrency, MaxErrors]


R = TypeVar("R", MaxConcurrency, MaxErrors)


def _read(kind: Type[R], other: type, value: Any, argument: str, low: int, code: str) -> R:
    """``value`` as a ``kind``: itself, a token, a whole number from ``low`` or an AWS string (which
    ``kind`` checks); the other kind of value is refused with ``code``, naming ``argument``."""
    if isinstance(value, kind):
        return value
    if isinstance(value, other):
        fail(code, f"{argument} must be a {kind.__name__} value: got {value!r}.")
    if is_token(value):
        return kind(str(value))
    if is_int(value):
        check_int_range(argument, value, low, 9_999_999, code)
        return kind(str(value))
    return kind(cast(str, value))  # the constructor refuses what is not an AWS string
