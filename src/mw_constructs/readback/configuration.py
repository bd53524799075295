"""Read the maintenance-window configuration an account already has, over boto3 (read-only):
its windows, their targets and tasks (with the tasks' invocation parameters) and its own patch
baselines with their patch groups, each as the CloudFormation resource that would create it.

This is the account side of adopting existing windows (``mw-constructs import --account``,
issue 22): the resources come back in CloudFormation's property names, so a template, a
Terraform plan and an account are read into one shape, and each carries the identifier
CloudFormation's resource import asks for. What the account holds that CloudFormation cannot
write (a window's ``Enabled``, a task's ``AlarmConfiguration``) is kept as a note on the resource,
never dropped silently.

Needs boto3 (the ``aws`` extra, or ``pip install boto3``) and the actions in :data:`IMPORT_ACTIONS`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .account import aws_errors, every

__all__ = ["Configuration", "ConfiguredResource", "DISABLED_NOTE", "IMPORT_ACTIONS", "IMPORT_IDENTIFIERS", "cfn_tags", "import_mapping",
           "outside_group_note",
           "read_configuration", "unset"]

IMPORT_ACTIONS = (
    "ssm:DescribeMaintenanceWindows", "ssm:GetMaintenanceWindow", "ssm:DescribeMaintenanceWindowTargets",
    "ssm:DescribeMaintenanceWindowTasks", "ssm:GetMaintenanceWindowTask", "ssm:ListTagsForResource",
    "ssm:DescribePatchBaselines", "ssm:GetPatchBaseline", "ssm:GetDefaultPatchBaseline", "ssm:DescribePatchGroups",
)

#: The properties CloudFormation's resource import identifies each type by (the ``primaryIdentifier``
#: of its resource schema): the keys of a ``cdk import --resource-mapping`` entry.
IMPORT_IDENTIFIERS: Mapping[str, Tuple[str, ...]] = {
    "AWS::SSM::MaintenanceWindow": ("WindowId",),
    "AWS::SSM::MaintenanceWindowTarget": ("WindowId", "WindowTargetId"),
    "AWS::SSM::MaintenanceWindowTask": ("WindowId", "WindowTaskId"),
    "AWS::SSM::PatchBaseline": ("Id",),
}

#: The API's invocation-parameter members and CloudFormation's names for them.
_INVOCATION = {"RunCommand": "MaintenanceWindowRunCommandParameters", "Automation": "MaintenanceWindowAutomationParameters",
               "StepFunctions": "MaintenanceWindowStepFunctionsParameters", "Lambda": "MaintenanceWindowLambdaParameters"}
_WINDOW = ("Name", "Description", "StartDate", "EndDate", "Schedule", "ScheduleTimezone", "ScheduleOffset", "Duration",
           "Cutoff", "AllowUnassociatedTargets")
_TARGET = ("ResourceType", "Targets", "OwnerInformation", "Name", "Description")
_TASK = ("Targets", "TaskArn", "ServiceRoleArn", "TaskType", "TaskParameters", "Priority", "MaxConcurrency", "MaxErrors",
         "LoggingInfo", "Name", "Description", "CutoffBehavior")
_BASELINE = ("Name", "OperatingSystem", "GlobalFilters", "ApprovalRules", "ApprovedPatches", "ApprovedPatchesComplianceLevel",
             "ApprovedPatchesEnableNonSecurity", "RejectedPatches", "RejectedPatchesAction", "PatchGroups", "Description",
             "Sources", "AvailableSecurityUpdatesComplianceStatus")


#: The note on a disabled window: what CloudFormation cannot say, and how the written code says it.
DISABLED_NOTE = ("disabled: CloudFormation has no such property; written as PatchingWindow(enabled=False), "
                 "which disables the window again after each deploy that changes it")


@dataclass(frozen=True)
class ConfiguredResource:
    """One resource of a configuration (an account, a template, a Terraform state or plan), as
    CloudFormation would create it.

    Attributes:
        key: its name in the source: the physical ID for an account (``mw-...``, a target's or
            task's ID, ``pb-...``), the logical ID for a template, the address for Terraform;
            another resource refers to it as ``{"Ref": key}``.
        type: the CloudFormation type, e.g. ``AWS::SSM::MaintenanceWindow``.
        properties: the CloudFormation properties (empty ones left out).
        identifier: what CloudFormation's resource import needs to adopt it (:data:`IMPORT_IDENTIFIERS`);
            empty where the source knows no physical ID (a template, a plan).
        notes: what the source holds that the CloudFormation type cannot express.
        enabled: False for a window the source has disabled (CloudFormation has no such
            property; the written code says ``PatchingWindow(enabled=False)``).
    """

    key: str
    type: str
    properties: Dict[str, Any]
    identifier: Dict[str, str]
    notes: Tuple[str, ...] = ()
    enabled: bool = True


@dataclass(frozen=True)
class Configuration:
    """What a source holds: each window followed by its targets and tasks, then the baselines
    (:func:`read_configuration` for an account; ``readback.files`` for a template or Terraform)."""

    region: Optional[str]
    resources: Tuple[ConfiguredResource, ...]
    #: what the source holds that is not imported and has no resource to be written as (a patch
    #: group registered with one of AWS's baselines), one sentence each
    left_out: Tuple[str, ...] = ()

    def of_type(self, resource_type: str) -> List[ConfiguredResource]:
        return [resource for resource in self.resources if resource.type == resource_type]


def read_configuration(client: Any, *, window_ids: Sequence[str] = (), names: Sequence[str] = (),
                       tags: Optional[Mapping[str, str]] = None, baselines: bool = True) -> Configuration:
    """The windows of the client's account and Region (all, or those with one of ``window_ids`` or
    ``names`` and all of ``tags``), each with its targets and tasks, and (``baselines``) the
    account's own patch baselines with their patch groups and whether each is its operating
    system's default. Raises ``AccountError`` in one line for what AWS refuses."""
    found: List[ConfiguredResource] = []
    with aws_errors(IMPORT_ACTIONS, "import"):
        for identity in _windows(client, window_ids, names):
            window_id = str(identity["WindowId"])
            window_tags = _tags(client, "MaintenanceWindow", window_id)
            if tags and any(window_tags.get(key) != value for key, value in tags.items()):
                continue
            found.append(_window(client.get_maintenance_window(WindowId=window_id), window_tags))
            targets = every(client, "describe_maintenance_window_targets", "Targets", WindowId=window_id)
            found.extend(_target(target) for target in targets)
            for task in every(client, "describe_maintenance_window_tasks", "Tasks", WindowId=window_id):
                found.append(_task(client.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task["WindowTaskId"]),
                                   {str(target["WindowTargetId"]) for target in targets}))
        left_out: List[str] = []
        if baselines:
            found.extend(_baselines(client))
            own = {resource.key for resource in found if resource.type == "AWS::SSM::PatchBaseline"}
            for mapping in every(client, "describe_patch_groups", "Mappings"):
                identity = mapping.get("BaselineIdentity") or {}
                if identity.get("BaselineId") not in own and _arn_id(identity.get("BaselineId")) not in own:
                    left_out.append(outside_group_note(str(mapping.get("PatchGroup")), str(identity.get("BaselineName")
                                                                                           or identity.get("BaselineId"))))
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return Configuration(region, tuple(found), tuple(left_out))


def import_mapping(configuration: Configuration, logical_ids: Mapping[str, str]) -> Dict[str, Dict[str, str]]:
    """The ``cdk import --resource-mapping`` file: for each resource given a logical ID in
    ``logical_ids`` (by key), the identifier CloudFormation's import needs."""
    return {logical_ids[resource.key]: dict(resource.identifier)
            for resource in configuration.resources if resource.key in logical_ids}


# ---------------------------------------------------------------------- windows, targets, tasks


def _windows(client: Any, window_ids: Sequence[str], names: Sequence[str]) -> Iterable[Mapping[str, Any]]:
    if window_ids:
        return [{"WindowId": window_id} for window_id in dict.fromkeys(window_ids)]
    identities = every(client, "describe_maintenance_windows", "WindowIdentities")
    return [identity for identity in identities if not names or identity.get("Name") in names]


def _window(window: Mapping[str, Any], tags: Mapping[str, str]) -> ConfiguredResource:
    window_id = str(window["WindowId"])
    properties = {**_pick(window, _WINDOW), **cfn_tags(tags)}
    enabled = window.get("Enabled", True) is not False
    return ConfiguredResource(window_id, "AWS::SSM::MaintenanceWindow", properties, {"WindowId": window_id},
                              () if enabled else (DISABLED_NOTE,), enabled)


def _target(target: Mapping[str, Any]) -> ConfiguredResource:
    window_id, target_id = str(target["WindowId"]), str(target["WindowTargetId"])
    properties = {"WindowId": {"Ref": window_id}, **_pick(target, _TARGET)}
    return ConfiguredResource(target_id, "AWS::SSM::MaintenanceWindowTarget", properties,
                            {"WindowId": window_id, "WindowTargetId": target_id})


def _task(task: Mapping[str, Any], target_ids: Iterable[str]) -> ConfiguredResource:
    window_id, task_id = str(task["WindowId"]), str(task["WindowTaskId"])
    properties: Dict[str, Any] = {"WindowId": {"Ref": window_id}, **_pick(task, _TASK)}
    known = set(target_ids)
    if "Targets" in properties:  # the window's own targets, by reference
        properties["Targets"] = [
            {**entry, "Values": [{"Ref": value} if value in known else value for value in entry.get("Values", [])]}
            if entry.get("Key") == "WindowTargetIds" else dict(entry) for entry in properties["Targets"]]
    invocation = task.get("TaskInvocationParameters") or {}
    parameters = {_INVOCATION[key]: _invocation(key, value) for key, value in invocation.items()
                  if key in _INVOCATION and value}
    if parameters:
        properties["TaskInvocationParameters"] = parameters
    notes = tuple(f"{key} is set ({value!r}): CloudFormation's AWS::SSM::MaintenanceWindowTask has no such property"
                  for key, value in task.items() if key == "AlarmConfiguration" and value)
    return ConfiguredResource(task_id, "AWS::SSM::MaintenanceWindowTask", properties,
                            {"WindowId": window_id, "WindowTaskId": task_id}, notes)


def _invocation(kind: str, parameters: Mapping[str, Any]) -> Dict[str, Any]:
    values = {key: value for key, value in parameters.items() if not unset(value)}
    if kind == "Lambda" and isinstance(values.get("Payload"), (bytes, bytearray)):
        values["Payload"] = base64.b64encode(bytes(values["Payload"])).decode("ascii")  # CloudFormation takes it so
    return values


# ---------------------------------------------------------------------- baselines


def _baselines(client: Any) -> List[ConfiguredResource]:
    identities = every(client, "describe_patch_baselines", "BaselineIdentities",
                       Filters=[{"Key": "OWNER", "Values": ["Self"]}])
    defaults: Dict[str, Optional[str]] = {}
    found = []
    for identity in identities:
        baseline = client.get_patch_baseline(BaselineId=identity["BaselineId"])
        baseline_id = str(baseline["BaselineId"])
        properties = _pick(baseline, _BASELINE)
        system = str(baseline.get("OperatingSystem") or "WINDOWS")  # the API's default
        if system not in defaults:
            defaults[system] = client.get_default_patch_baseline(OperatingSystem=system).get("BaselineId")
        if baseline_id in (defaults[system], _arn_id(defaults[system])):
            properties["DefaultBaseline"] = True
        properties.update(cfn_tags(_tags(client, "PatchBaseline", baseline_id)))
        found.append(ConfiguredResource(baseline_id, "AWS::SSM::PatchBaseline", properties, {"Id": baseline_id}))
    return found


def outside_group_note(group: str, baseline: str) -> str:
    """What a patch group registered with a baseline that is not imported (one of AWS's) is told."""
    return (f"patch group {group} is registered with {baseline}, a baseline that is not imported (AWS's own, or "
            f"not selected): the registration stays as it is and the written code does not hold it")


def _arn_id(value: Optional[str]) -> Optional[str]:
    """The ID of a baseline ARN (GetDefaultPatchBaseline answers with ARNs for AWS's baselines)."""
    return value.rsplit("/", 1)[-1] if value else value


# ---------------------------------------------------------------------- helpers


def _tags(client: Any, resource_type: str, resource_id: str) -> Dict[str, str]:
    answer = client.list_tags_for_resource(ResourceType=resource_type, ResourceId=resource_id)
    return {str(tag["Key"]): str(tag["Value"]) for tag in answer.get("TagList", [])}


def _pick(values: Mapping[str, Any], keys: Sequence[str]) -> Dict[str, Any]:
    """The members ``keys`` that are set (SSM's window dates are already the ISO 8601 text CloudFormation takes)."""
    return {key: values[key] for key in keys if key in values and not unset(values[key])}


def unset(value: Any) -> bool:
    """A member a source leaves empty (None, "", [] or {}): not written as a property."""
    return value is None or value == [] or value == {} or value == ""


def cfn_tags(tags: Any) -> Dict[str, Any]:
    """``{"Tags": [{"Key", "Value"}, ...]}`` for a tag mapping, or nothing when it is empty."""
    return {"Tags": [{"Key": key, "Value": value} for key, value in tags.items()]} if isinstance(tags, dict) and tags else {}
