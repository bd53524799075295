"""Four SSM read operations moto 5.2.5 does not answer, added to its SSM responses for the tests
that read an account's configuration back (issue 22): GetMaintenanceWindowTask (the task with
its invocation parameters), GetPatchBaseline (with the patch groups registered for it),
GetDefaultPatchBaseline (the baseline registered as default, else one of AWS's, as SSM answers)
and DescribePatchGroups (the registrations made with the account's baselines: moto fills every
new group's other systems with AWS's default baselines, which SSM does not list);
ListTagsForResource of a patch baseline, which moto refuses as an invalid ID; and a window's
AllowUnassociatedTargets, which moto drops (GetMaintenanceWindow always answers it).

Each answers from moto's own models, in the API's member names; ``install()`` is idempotent
and leaves an operation moto gains in a later release alone.
"""

from __future__ import annotations

from typing import Any, Dict

from moto.core.responses import ActionResult
from moto.ssm.models import SimpleSystemManagerBackend
from moto.ssm.responses import SimpleSystemManagerResponse

#: What GetDefaultPatchBaseline answers when the account registered none: an AWS-owned baseline's ARN.
AWS_DEFAULT = "arn:aws:ssm:{region}:aws:patchbaseline/pb-0000000000000000{index}"


def _get_maintenance_window_task(self: Any) -> ActionResult:
    window = self.ssm_backend.get_maintenance_window(self._get_param("WindowId"))
    task = window.tasks[self._get_param("WindowTaskId")]
    answer: Dict[str, Any] = {key: value for key, value in task.to_json().items() if value is not None}
    if task.cutoff_behavior:
        answer["CutoffBehavior"] = task.cutoff_behavior
    if task.alarm_configurations:
        answer["AlarmConfiguration"] = task.alarm_configurations
    return ActionResult(answer)


def _get_patch_baseline(self: Any) -> ActionResult:
    baseline = self.ssm_backend.baselines[self._get_param("BaselineId")]
    described = baseline.to_json()
    answer = {key: value for key, value in described.items() if value is not None and key not in (
        "BaselineName", "BaselineDescription", "DefaultBaseline")}
    answer["Name"] = described["BaselineName"]
    if described.get("BaselineDescription"):
        answer["Description"] = described["BaselineDescription"]
    answer["PatchGroups"] = sorted(name for name, group in self.ssm_backend.patch_groups.items()
                                   if baseline.id in group.associations.values())
    return ActionResult(answer)


def _get_default_patch_baseline(self: Any) -> ActionResult:
    system = self._get_param("OperatingSystem") or "WINDOWS"
    chosen = [baseline.id for baseline in self.ssm_backend.baselines.values()
              if baseline.default_baseline and baseline.operating_system == system]
    region = self.ssm_backend.region_name
    return ActionResult({"BaselineId": chosen[0] if chosen else AWS_DEFAULT.format(region=region, index=len(system) % 10),
                         "OperatingSystem": system})


def _describe_patch_groups(self: Any) -> ActionResult:
    backend = self.ssm_backend
    mappings = [{"PatchGroup": name, "BaselineIdentity": {
        "BaselineId": baseline_id, "BaselineName": backend.baselines[baseline_id].name,
        "OperatingSystem": system, "DefaultBaseline": bool(backend.baselines[baseline_id].default_baseline)}}
        for name, group in sorted(backend.patch_groups.items())
        for system, baseline_id in sorted(group.associations.items()) if baseline_id in backend.baselines]
    return ActionResult({"Mappings": mappings})


_create_window = SimpleSystemManagerResponse.create_maintenance_window
_get_window = SimpleSystemManagerResponse.get_maintenance_window
_ALLOWED: Dict[str, bool] = {}  # window ID -> AllowUnassociatedTargets


def _create_maintenance_window(self: Any) -> Any:
    result = _create_window(self)
    _ALLOWED[result.result["WindowId"]] = bool(self._get_param("AllowUnassociatedTargets"))
    return result


def _get_maintenance_window(self: Any) -> Any:
    result = _get_window(self)
    window_id = self._get_param("WindowId")
    if window_id in _ALLOWED:
        result.result["AllowUnassociatedTargets"] = _ALLOWED[window_id]
    return result


_validate = SimpleSystemManagerBackend._validate_resource_type_and_id


def _validate_resource_type_and_id(self: Any, resource_type: str, resource_id: str) -> str:
    if resource_type == "PatchBaseline" and resource_id in self.baselines:
        return resource_id
    return str(_validate(self, resource_type, resource_id))


def install() -> None:
    SimpleSystemManagerBackend._validate_resource_type_and_id = _validate_resource_type_and_id  # type: ignore[method-assign]
    SimpleSystemManagerResponse.create_maintenance_window = _create_maintenance_window  # type: ignore[method-assign]
    SimpleSystemManagerResponse.get_maintenance_window = _get_maintenance_window  # type: ignore[method-assign]
    for name, method in (("get_maintenance_window_task", _get_maintenance_window_task),
                         ("get_patch_baseline", _get_patch_baseline),
                         ("get_default_patch_baseline", _get_default_patch_baseline),
                         ("describe_patch_groups", _describe_patch_groups)):
        if not hasattr(SimpleSystemManagerResponse, name):
            setattr(SimpleSystemManagerResponse, name, method)
