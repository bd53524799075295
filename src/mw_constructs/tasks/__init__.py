"""Maintenance-window tasks, one module per kind, sharing one base (``_base``).

* ``RunCommandTask`` and its patching flavour ``RunPatchBaselineTask`` (``run_command``);
* ``AutomationTask`` (``automation``), ``LambdaTask`` (``lambda_function``) and
  ``StepFunctionsTask`` (``step_functions``).
"""

from ._base import CutoffBehavior, MaxConcurrency, MaxErrors, RateControlValue, TaskBase, TaskOptions
from .automation import AutomationTask
from .lambda_function import FunctionLike, LambdaTask
from .run_command import (
    PatchHooks,
    PatchOperation,
    RebootOption,
    RunCommandOptions,
    RunCommandTask,
    RunPatchBaselineTask,
)
from .step_functions import StateMachineLike, StepFunctionsTask

__all__ = [
    "AutomationTask",
    "CutoffBehavior",
    "FunctionLike",
    "LambdaTask",
    "MaxConcurrency",
    "MaxErrors",
    "PatchHooks",
    "PatchOperation",
    "RateControlValue",
    "RebootOption",
    "RunCommandOptions",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "StateMachineLike",
    "StepFunctionsTask",
    "TaskBase",
    "TaskOptions",
]
