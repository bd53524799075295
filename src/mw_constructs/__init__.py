"""mw-constructs: AWS CDK constructs for SSM Maintenance Windows and OS patching.

Names are re-exported lazily so that the pure-Python parts (``WindowSchedule``,
``ValidationError``, the checks) load without starting aws-cdk-lib / jsii. ``__all__`` is
a literal list, so type checkers see every name; a test keeps it equal to ``_EXPORTS``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, List

from ._version import __version__

__all__ = [
    "ApprovalRule",
    "Association",
    "AssociationComplianceSeverity",
    "AssociationSchedule",
    "AssociationStatus",
    "AssociationSyncCompliance",
    "AssociationTarget",
    "AutomationTask",
    "AwsManagedBaseline",
    "ComplianceLevel",
    "ComplianceStatus",
    "CutoffBehavior",
    "Document",
    "DocumentHashType",
    "DocumentType",
    "ERROR_CODES",
    "ERROR_RULES",
    "EnvironmentSchedule",
    "IMaintenanceWindowTask",
    "IPatchBaseline",
    "IPatchingWindow",
    "IWindowTarget",
    "InvocationStatus",
    "LambdaTask",
    "MaintenanceWindowRole",
    "ManagedInstanceRole",
    "MaxConcurrency",
    "MaxErrors",
    "NotificationEvent",
    "NotificationType",
    "OperatingSystem",
    "PatchAssociation",
    "PatchBaseline",
    "PatchCompliance",
    "PatchFilter",
    "PatchFilterKey",
    "PatchGroupTarget",
    "PatchHooks",
    "PatchOperation",
    "PatchPolicy",
    "PatchPolicyOperation",
    "PatchPolicyTargets",
    "PatchSource",
    "PatchingAlerts",
    "PatchingStackSet",
    "PatchingWindow",
    "PseudoParameter",
    "REGION_TIME_ZONES",
    "RebootOption",
    "RegionalTimeZones",
    "RejectedPatchesAction",
    "Rule",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "Runbook",
    "StepFunctionsTask",
    "Strictness",
    "TaskExecutionStatus",
    "TaskNotifications",
    "TaskOutput",
    "ValidationError",
    "WARNING_IDS",
    "WARNING_RULES",
    "WindowExecutionStatus",
    "WindowRun",
    "WindowSchedule",
    "WindowTarget",
    "__version__",
    "add_compliance_checks",
]

# Where each public name lives (loaded on first access).
_EXPORTS = {
    "ApprovalRule": "baseline",
    "Association": "associations",
    "AssociationComplianceSeverity": "associations",
    "AssociationSchedule": "schedule",
    "AssociationStatus": "events",
    "AssociationSyncCompliance": "associations",
    "AssociationTarget": "associations",
    "AutomationTask": "tasks",
    "AwsManagedBaseline": "baseline",
    "ComplianceLevel": "baseline",
    "ComplianceStatus": "baseline",
    "CutoffBehavior": "tasks",
    "Document": "documents",
    "DocumentHashType": "documents",
    "DocumentType": "documents",
    "ERROR_CODES": "errors",
    "ERROR_RULES": "errors",
    "EnvironmentSchedule": "schedule",
    "IMaintenanceWindowTask": "interfaces",
    "IPatchBaseline": "interfaces",
    "IPatchingWindow": "interfaces",
    "IWindowTarget": "interfaces",
    "InvocationStatus": "events",
    "LambdaTask": "tasks",
    "MaintenanceWindowRole": "iam",
    "ManagedInstanceRole": "iam",
    "MaxConcurrency": "tasks",
    "MaxErrors": "tasks",
    "NotificationEvent": "tasks",
    "NotificationType": "tasks",
    "OperatingSystem": "baseline",
    "PatchAssociation": "associations",
    "PatchBaseline": "baseline",
    "PatchCompliance": "patch_compliance",
    "PatchFilter": "baseline",
    "PatchFilterKey": "baseline",
    "PatchGroupTarget": "targets",
    "PatchHooks": "tasks",
    "PatchOperation": "tasks",
    "PatchPolicy": "patch_policy",
    "PatchPolicyOperation": "patch_policy",
    "PatchPolicyTargets": "patch_policy",
    "PatchSource": "baseline",
    "PatchingAlerts": "alerts",
    "PatchingStackSet": "organization",
    "PatchingWindow": "window",
    "PseudoParameter": "tasks",
    "REGION_TIME_ZONES": "schedule",
    "RebootOption": "tasks",
    "RegionalTimeZones": "schedule",
    "RejectedPatchesAction": "baseline",
    "Rule": "errors",
    "RunCommandTask": "tasks",
    "RunPatchBaselineTask": "tasks",
    "Runbook": "runbook",
    "StepFunctionsTask": "tasks",
    "Strictness": "errors",
    "TaskExecutionStatus": "events",
    "TaskNotifications": "tasks",
    "TaskOutput": "tasks",
    "ValidationError": "errors",
    "WARNING_IDS": "errors",
    "WARNING_RULES": "errors",
    "WindowExecutionStatus": "events",
    "WindowRun": "schedule",
    "WindowSchedule": "schedule",
    "WindowTarget": "targets",
    "add_compliance_checks": "compliance_packs",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mw_constructs' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return list(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .alerts import PatchingAlerts
    from .baseline import (
        ApprovalRule,
        AwsManagedBaseline,
        ComplianceLevel,
        ComplianceStatus,
        OperatingSystem,
        PatchBaseline,
        PatchFilter,
        PatchFilterKey,
        PatchSource,
        RejectedPatchesAction,
    )
    from .compliance_packs import add_compliance_checks
    from .documents import Document, DocumentHashType, DocumentType
    from .errors import ERROR_CODES, ERROR_RULES, WARNING_IDS, WARNING_RULES, Rule, Strictness, ValidationError
    from .events import AssociationStatus, InvocationStatus, TaskExecutionStatus, WindowExecutionStatus
    from .iam import MaintenanceWindowRole, ManagedInstanceRole
    from .interfaces import IMaintenanceWindowTask, IPatchBaseline, IPatchingWindow, IWindowTarget
    from .organization import PatchingStackSet
    from .patch_compliance import PatchCompliance
    from .runbook import Runbook
    from .schedule import AssociationSchedule, EnvironmentSchedule, REGION_TIME_ZONES, RegionalTimeZones, WindowRun, WindowSchedule
    from .targets import PatchGroupTarget, WindowTarget
    from .tasks import (
        AutomationTask,
        CutoffBehavior,
        LambdaTask,
        MaxConcurrency,
        MaxErrors,
        NotificationEvent,
        NotificationType,
        PatchHooks,
        PatchOperation,
        PseudoParameter,
        RebootOption,
        RunCommandTask,
        RunPatchBaselineTask,
        StepFunctionsTask,
        TaskNotifications,
        TaskOutput,
    )
    from .window import PatchingWindow
    from .associations import Association, AssociationComplianceSeverity, AssociationSyncCompliance, AssociationTarget, PatchAssociation
    from .patch_policy import PatchPolicy, PatchPolicyOperation, PatchPolicyTargets
