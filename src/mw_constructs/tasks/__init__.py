"""Maintenance-window tasks, one module per kind, on one shared base (``base``).

* ``RunCommandTask`` and its patching flavour ``RunPatchBaselineTask`` (``run_command``), with
  where their output goes and who hears about it (``outputs``);
* ``AutomationTask`` (``automation``), ``LambdaTask`` (``lambda_function``) and
  ``StepFunctionsTask`` (``step_functions``);
* what every kind shares: :class:`TaskOptions` (the options), :class:`TaskSettings` (the same,
  checked), :class:`TaskBase`, rate control (``rate_control``) and the pseudo parameters SSM
  fills in when a task runs (``pseudo_parameters``).
"""

from ..interfaces import RunCommandOptions, TaskOptions
from .automation import AutomationTask
from .base import TaskBase, TaskSettings
from .lambda_function import FunctionLike, LambdaTask
from .outputs import NotificationEvent, NotificationType, TaskNotifications, TaskOutput
from .pseudo_parameters import PseudoParameter
from .rate_control import CutoffBehavior, MaxConcurrency, MaxErrors, RateControlValue
from .run_command import PatchHooks, PatchOperation, RebootOption, RunCommandTask, RunPatchBaselineTask
from .step_functions import StateMachineLike, StepFunctionsTask

__all__ = [
    "AutomationTask",
    "CutoffBehavior",
    "FunctionLike",
    "LambdaTask",
    "MaxConcurrency",
    "MaxErrors",
    "NotificationEvent",
    "NotificationType",
    "PatchHooks",
    "PatchOperation",
    "PseudoParameter",
    "RateControlValue",
    "RebootOption",
    "RunCommandOptions",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "StateMachineLike",
    "StepFunctionsTask",
    "TaskBase",
    "TaskNotifications",
    "TaskOptions",
    "TaskOutput",
    "TaskSettings",
]
