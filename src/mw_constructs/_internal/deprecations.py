"""Renamed keyword arguments: the old keyword keeps working until 1.0, with a deprecation.

The resource-name keywords follow aws-cdk-lib (``topic_name``, ``rule_name``): ``window_name``,
``target_name``, ``task_name``, ``baseline_name``. A constructor reads the value with
:func:`renamed` before it creates anything (both keywords at once is ``AliasConflict``) and, once
the construct exists, reports the old keyword with :func:`warn_renamed`: as aws-cdk-lib reports
its deprecated APIs (``Annotations.add_deprecation``: shown by ``cdk synth``, an error under
``CDK_BLOCK_DEPRECATIONS``) and as a Python ``DeprecationWarning`` at the caller's line.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Mapping, Optional, Tuple

import jsii
from aws_cdk import Annotations
from constructs import IConstruct

from .validate import fail

__all__ = ["REMOVED_IN", "renamed", "warn_renamed"]

REMOVED_IN = "1.0"


def renamed(options: Mapping[str, Any], new: str, old: str) -> Tuple[Optional[Any], str]:
    """The value given as ``new`` or as its old name ``old``, and the keyword that gave it."""
    if options.get(old) is not None and options.get(new) is not None:
        fail("AliasConflict", f"{new}= and {old}= are one argument ({old}= is its old, deprecated name): give only "
                              f"{new}={options[new]!r}.")
    if options.get(old) is not None:
        return options[old], old
    return options.get(new), new


#: Frames of this package and of jsii's runtime (which calls every construct's __init__).
_OURS = tuple(os.path.dirname(os.path.abspath(path)) + os.sep
              for path in (os.path.dirname(os.path.abspath(__file__)), jsii.__file__))


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the user's line: the first frame outside this
    package and jsii's runtime."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_OURS):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    return level


def warn_renamed(construct: IConstruct, api: str, old: str, new: str) -> None:
    """Report that ``api`` was given ``old=`` where it now takes ``new=``."""
    message = f"use {new}= instead; {old}= will be removed in mw-constructs {REMOVED_IN}"
    Annotations.of(construct).add_deprecation(f"mw_constructs.{api}({old}=...)", message)
    warnings.warn(f"{api}({old}=...) is deprecated: {message}", DeprecationWarning, stacklevel=_caller_level())
