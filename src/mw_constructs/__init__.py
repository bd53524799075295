"""mw-constructs: AWS CDK constructs for SSM Maintenance Windows and OS patching.

Names are re-exported lazily so that the pure-Python parts (``WindowSchedule``,
``ValidationError``) load without starting aws-cdk-lib / jsii.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ERROR_CODES": "errors",
    "add_compliance_checks": "compliance",
    "ValidationError": "errors",
    "WindowSchedule": "schedule",
    "WindowRun": "schedule",
    "EnvironmentSchedule": "presets",
    "ApprovalRule": "baseline",
    "AwsManagedBaseline": "baseline",
    "ComplianceLevel": "baseline",
    "OperatingSystem": "baseline",
    "PatchBaseline": "baseline",
    "PatchFilter": "baseline",
    "PatchFilterKey": "baseline",
    "PatchSource": "baseline",
    "RejectedPatchesAction": "baseline",
    "MaintenanceWindowRole": "role",
    "ManagedInstanceRole": "role",
    "PatchingWindow": "window",
    "WindowTarget": "targets",
    "PatchGroupTarget": "targets",
    "CutoffBehavior": "tasks",
    "Document": "tasks",
    "MaxConcurrency": "tasks",
    "MaxErrors": "tasks",
    "PatchOperation": "tasks",
    "RebootOption": "tasks",
    "RunCommandTask": "tasks",
    "RunPatchBaselineTask": "tasks",
    "PatchHooks": "tasks",
    "NotificationEvent": "outputs",
    "NotificationType": "outputs",
    "TaskNotifications": "outputs",
    "TaskOutput": "outputs",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mw_constructs' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .baseline import (
        ApprovalRule,
        AwsManagedBaseline,
        ComplianceLevel,
        OperatingSystem,
        PatchBaseline,
        PatchFilter,
        PatchFilterKey,
        PatchSource,
        RejectedPatchesAction,
    )
    from .compliance import add_compliance_checks
    from .errors import ERROR_CODES, ValidationError
    from .role import MaintenanceWindowRole, ManagedInstanceRole
    from .presets import EnvironmentSchedule
    from .schedule import WindowRun, WindowSchedule
    from .targets import PatchGroupTarget, WindowTarget
    from .tasks import (
        CutoffBehavior,
        Document,
        MaxConcurrency,
        MaxErrors,
        PatchOperation,
        RebootOption,
        RunCommandTask,
        RunPatchBaselineTask,
        PatchHooks,
    )
    from .outputs import NotificationEvent, NotificationType, TaskNotifications, TaskOutput
    from .window import PatchingWindow
