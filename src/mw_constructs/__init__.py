"""mw-constructs: AWS CDK constructs for SSM Maintenance Windows and OS patching."""

from .errors import ValidationError
from .role import MaintenanceWindowRole
from .schedule import WindowSchedule
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
)
from .window import PatchingWindow

__all__ = [
    "CutoffBehavior",
    "Document",
    "MaintenanceWindowRole",
    "MaxConcurrency",
    "MaxErrors",
    "PatchGroupTarget",
    "PatchOperation",
    "PatchingWindow",
    "RebootOption",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "ValidationError",
    "WindowSchedule",
    "WindowTarget",
]
