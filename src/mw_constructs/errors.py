"""The one exception type the library raises for bad input."""

from __future__ import annotations

__all__ = ["ValidationError"]


class ValidationError(ValueError):
    """A value that SSM or CloudFormation would reject, caught at construction time.

    ``code`` is stable public API (listed in the README): match on it, not on the
    message. The message names the argument as you typed it, quotes the value you
    gave, says what is allowed and how to fix it.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message
