"""Maintenance-window tasks, one module per kind, sharing one base (``_base``).

* ``RunCommandTask`` and its patching flavour ``RunPatchBaselineTask`` (``run_command``).
"""

from ._base import CutoffBehavior, MaxConcurrency, MaxErrors, RateControlValue, TaskBase, TaskOptions
from .run_command import (
    PatchHooks,
    PatchOperation,
    RebootOption,
    RunCommandOptions,
    RunCommandTask,
    RunPatchBaselineTask,
)

__all__ = [
    "CutoffBehavior",
    "MaxConcurrency",
    "MaxErrors",
    "PatchHooks",
    "PatchOperation",
    "RateControlValue",
    "RebootOption",
    "RunCommandOptions",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "TaskBase",
    "TaskOptions",
]
