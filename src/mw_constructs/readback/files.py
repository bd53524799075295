"""Read the maintenance-window configuration of a file: a CloudFormation template (JSON or YAML,
with intrinsic functions in their long or short ``!Ref`` forms) or Terraform's JSON output
(``terraform show -json`` of a state or of a saved plan), as the CloudFormation resources
:mod:`readback.configuration` returns for an account.

Both files are untrusted input: size and nesting are bounded, and anything malformed ends in one
:class:`SourceError` line. Terraform's ``aws_ssm_maintenance_window``, ``_target``, ``_task``,
``aws_ssm_patch_baseline``, ``aws_ssm_patch_group`` and ``aws_ssm_default_patch_baseline`` are
read (patch groups and the default become the baseline's ``PatchGroups`` and ``DefaultBaseline``,
as CloudFormation writes them), each with the identifier CloudFormation's import needs.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Mapping, Tuple

from .._internal.task_arguments import load_json
from .configuration import DISABLED_NOTE, Configuration, ConfiguredResource, cfn_tags, outside_group_note, unset

__all__ = ["MAX_FILE_BYTES", "SSM_TYPES", "SourceError", "as_mapping", "read_template", "read_terraform"]

#: The four CloudFormation types a configuration holds.
SSM_TYPES = ("AWS::SSM::MaintenanceWindow", "AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask",
             "AWS::SSM::PatchBaseline")
#: The largest file read (CloudFormation's own limit for a template in S3 is 1 MB; states are larger).
MAX_FILE_BYTES = 64 * 1024 * 1024
_MAX_DEPTH = 200


class SourceError(Exception):
    """A file that cannot be read as a template or as Terraform's JSON (one line)."""


# ---------------------------------------------------------------------- CloudFormation


def read_template(path: Path) -> Configuration:
    """The SSM resources of a CloudFormation template, by logical ID, as written (intrinsic
    functions in their long form). A resource of the template that an SSM resource refers to
    but that is not one of them (a role, a bucket) is named in the referring resource's notes."""
    text = _text(path)
    document = _yaml(text, path) if path.suffix.lower() in (".yaml", ".yml", ".template") and not text.lstrip().startswith("{") \
        else _json(text, path)
    resources = document.get("Resources") if isinstance(document, dict) else None
    if not isinstance(resources, dict):
        raise SourceError(f"{path}: not a CloudFormation template (no Resources object)")
    found = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in SSM_TYPES:
            continue
        properties = resource.get("Properties")
        properties = {} if properties is None else properties
        if not isinstance(properties, dict):
            raise SourceError(f"{path}: {logical_id}: Properties must be an object")
        others = sorted(name for name in _references(properties) if name in resources and name != logical_id
                        and isinstance(resources[name], dict) and resources[name].get("Type") not in SSM_TYPES)
        notes = tuple(f"refers to {name} ({resources[name].get('Type')}), which is not imported: pass its value"
                      for name in others)
        found.append(ConfiguredResource(str(logical_id), str(resource["Type"]), properties, {}, notes))
    return Configuration(None, tuple(_ordered(found)))


def _references(value: Any) -> Iterator[str]:
    """The logical IDs ``Ref``, ``Fn::GetAtt`` and ``Fn::Sub`` name inside ``value``."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            yield value["Ref"]
        elif set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            yield str(target[0] if isinstance(target, list) and target else str(target).split(".")[0])
        elif set(value) == {"Fn::Sub"}:
            text = value["Fn::Sub"][0] if isinstance(value["Fn::Sub"], list) and value["Fn::Sub"] else value["Fn::Sub"]
            if isinstance(text, str):
                yield from (name.split(".")[0] for name in re.findall(r"\$\{([^!}][^}]*)\}", text))
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _yaml(text: str, path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SourceError("reading a YAML template needs PyYAML: pip install pyyaml") from None

    class Loader(yaml.SafeLoader):
        """YAML with CloudFormation's short forms: ``!Ref x`` is ``{"Ref": "x"}``, ``!GetAtt a.b``
        is ``{"Fn::GetAtt": ["a", "b"]}``, any other ``!Name`` is ``{"Fn::Name": ...}``."""

    def intrinsic(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if suffix == "Ref":
            return {"Ref": value}
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {f"Fn::{suffix}": value}

    Loader.add_multi_constructor("!", intrinsic)
    try:
        document = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader with the intrinsics added
    except yaml.YAMLError as error:
        raise SourceError(f"{path}: not YAML ({' '.join(str(error).split())})") from None
    except RecursionError:
        raise SourceError(f"{path}: nested too deeply") from None
    _check_depth(document, path)
    return document


# ---------------------------------------------------------------------- Terraform


def read_terraform(path: Path) -> Configuration:
    """The SSM resources of a Terraform state as ``terraform show -json`` writes it, as
    CloudFormation resources keyed by Terraform address, each with the identifier CloudFormation's
    import needs. A saved plan is refused: its IDs are not known yet, and adoption needs the
    resources that exist."""
    document = _json(_text(path), path)
    if not isinstance(document, dict):
        raise SourceError(f"{path}: not the JSON of terraform show -json (an object with values)")
    if "planned_values" in document and "values" not in document:
        raise SourceError(f"{path}: a plan, not a state: apply it, then give terraform show -json of the state")
    root = document.get("values")
    if not isinstance(root, dict):
        raise SourceError(f"{path}: not the JSON of terraform show -json of a state (no values object)")
    everything = list(_terraform_resources(root.get("root_module") or {}, path))
    resources = [r for r in everything if r["mode"] == "managed"]
    data = [r for r in everything if r["mode"] == "data"]
    ids = {str(r["values"]["id"]): r["address"] for r in resources if r["values"].get("id")}

    def ref(value: Any) -> Any:
        """A value that is the ID of another resource of the state, as a Ref to its address."""
        return {"Ref": ids[value]} if isinstance(value, str) and value in ids else value

    found: Dict[str, ConfiguredResource] = {}
    groups: List[Tuple[Any, str]] = []
    defaults: List[Any] = []
    for resource in resources:
        kind, address, values = resource["type"], resource["address"], resource["values"]
        if kind == "aws_ssm_patch_group":
            groups.append((ref(values.get("baseline_id")), str(values.get("patch_group"))))
            continue
        if kind == "aws_ssm_default_patch_baseline":
            defaults.append(ref(values.get("baseline_id")))
            continue
        mapper = _TERRAFORM.get(kind)
        if mapper is not None:
            resource_type, properties, notes = mapper(values, ref)
            found[address] = ConfiguredResource(address, resource_type, properties, _identifier(resource_type, values),
                                                notes, DISABLED_NOTE not in notes)
    names = {str(r["values"].get("id")): str(r["values"].get("name")) for r in data if r["type"] == "aws_ssm_patch_baseline"}
    left_out: List[str] = []
    for baseline, group in groups:
        if isinstance(baseline, dict) and baseline["Ref"] in found:
            found[baseline["Ref"]].properties.setdefault("PatchGroups", []).append(group)
        else:
            left_out.append(outside_group_note(group, names.get(str(baseline)) or str(baseline)))
    for baseline in defaults:
        if isinstance(baseline, dict) and baseline["Ref"] in found:
            found[baseline["Ref"]].properties["DefaultBaseline"] = True
        else:
            left_out.append(f"the default baseline {names.get(str(baseline)) or baseline} is not imported: "
                            f"it stays the default and the written code does not hold it")
    return Configuration(None, tuple(_ordered(list(found.values()))), tuple(left_out))


def _terraform_resources(module: Mapping[str, Any], path: Path) -> Iterator[Dict[str, Any]]:
    if not isinstance(module, dict):
        raise SourceError(f"{path}: a module must be an object")
    for resource in module.get("resources") or []:
        if isinstance(resource, dict) and resource.get("mode", "managed") in ("managed", "data") \
                and isinstance(resource.get("values"), dict):
            yield {"address": str(resource.get("address")), "type": str(resource.get("type")),
                   "mode": str(resource.get("mode", "managed")), "values": resource["values"]}
    for child in module.get("child_modules") or []:
        yield from _terraform_resources(child, path)


def _identifier(resource_type: str, values: Mapping[str, Any]) -> Dict[str, str]:
    """What CloudFormation's import needs, from a state's attributes."""
    resource_id, window_id = str(values.get("id") or ""), str(values.get("window_id") or "")
    if resource_type == "AWS::SSM::MaintenanceWindow":
        return {"WindowId": resource_id}
    if resource_type == "AWS::SSM::PatchBaseline":
        return {"Id": resource_id}
    if resource_type == "AWS::SSM::MaintenanceWindowTarget":
        return {"WindowId": window_id, "WindowTargetId": resource_id}
    return {"WindowId": window_id, "WindowTaskId": str(values.get("window_task_id") or resource_id)}


Mapped = Tuple[str, Dict[str, Any], Tuple[str, ...]]


def _window(values: Mapping[str, Any], ref: Callable[[Any], Any]) -> Mapped:
    properties = _fields(values, {"name": "Name", "description": "Description", "schedule": "Schedule",
                                  "schedule_timezone": "ScheduleTimezone", "schedule_offset": "ScheduleOffset",
                                  "start_date": "StartDate", "end_date": "EndDate", "duration": "Duration",
                                  "cutoff": "Cutoff", "allow_unassociated_targets": "AllowUnassociatedTargets"})
    if properties.get("ScheduleOffset") == 0:  # a state's 0 for an unset offset (SSM's smallest is 1)
        del properties["ScheduleOffset"]
    properties.update(cfn_tags(values.get("tags")))
    return "AWS::SSM::MaintenanceWindow", properties, () if values.get("enabled", True) is not False else (DISABLED_NOTE,)


def _window_target(values: Mapping[str, Any], ref: Callable[[Any], Any]) -> Mapped:
    properties = {"WindowId": ref(values.get("window_id")),
                  **_fields(values, {"resource_type": "ResourceType", "owner_information": "OwnerInformation",
                                     "name": "Name", "description": "Description"})}
    targets = [{"Key": t.get("key"), "Values": list(t.get("values") or [])} for t in values.get("targets") or []]
    if targets:
        properties["Targets"] = targets
    return "AWS::SSM::MaintenanceWindowTarget", properties, ()


def _window_task(values: Mapping[str, Any], ref: Callable[[Any], Any]) -> Mapped:
    properties = {"WindowId": ref(values.get("window_id")),
                  **_fields(values, {"task_type": "TaskType", "task_arn": "TaskArn", "service_role_arn": "ServiceRoleArn",
                                     "max_concurrency": "MaxConcurrency", "max_errors": "MaxErrors", "priority": "Priority",
                                     "name": "Name", "description": "Description", "cutoff_behavior": "CutoffBehavior"})}
    targets = [{"Key": t.get("key"), "Values": [ref(v) for v in t.get("values") or []]}
               for t in values.get("targets") or []]
    if targets:
        properties["Targets"] = targets
    invocation = _invocation(values.get("task_invocation_parameters"))
    if invocation:
        properties["TaskInvocationParameters"] = invocation
    return "AWS::SSM::MaintenanceWindowTask", properties, ()


def _invocation(blocks: Any) -> Dict[str, Any]:
    block = _one(blocks)
    found: Dict[str, Any] = {}
    run = _one(block.get("run_command_parameters"))
    if run:
        parameters = _fields(run, {"comment": "Comment", "document_hash": "DocumentHash",
                                   "document_hash_type": "DocumentHashType", "document_version": "DocumentVersion",
                                   "output_s3_bucket": "OutputS3BucketName", "output_s3_key_prefix": "OutputS3KeyPrefix",
                                   "service_role_arn": "ServiceRoleArn", "timeout_seconds": "TimeoutSeconds"})
        if parameters.get("TimeoutSeconds") == 0:  # a state's 0 for an unset timeout (SSM's smallest is 30)
            del parameters["TimeoutSeconds"]
        named = {p.get("name"): list(p.get("values") or []) for p in run.get("parameter") or [] if isinstance(p, dict)}
        if named:
            parameters["Parameters"] = named
        watch = _one(run.get("cloudwatch_config"))
        if watch:
            parameters["CloudWatchOutputConfig"] = _fields(watch, {"cloudwatch_log_group_name": "CloudWatchLogGroupName",
                                                                   "cloudwatch_output_enabled": "CloudWatchOutputEnabled"})
        notify = _one(run.get("notification_config"))
        if notify:
            parameters["NotificationConfig"] = _fields(notify, {"notification_arn": "NotificationArn",
                                                                "notification_events": "NotificationEvents",
                                                                "notification_type": "NotificationType"})
        found["MaintenanceWindowRunCommandParameters"] = parameters
    automation = _one(block.get("automation_parameters"))
    if automation:
        parameters = _fields(automation, {"document_version": "DocumentVersion"})
        named = {p.get("name"): list(p.get("values") or []) for p in automation.get("parameter") or [] if isinstance(p, dict)}
        if named:
            parameters["Parameters"] = named
        found["MaintenanceWindowAutomationParameters"] = parameters
    function = _one(block.get("lambda_parameters"))
    if function:
        parameters = _fields(function, {"client_context": "ClientContext", "qualifier": "Qualifier"})
        if isinstance(function.get("payload"), str) and function["payload"]:  # the JSON itself; CloudFormation takes base64
            parameters["Payload"] = base64.b64encode(function["payload"].encode("utf-8")).decode("ascii")
        found["MaintenanceWindowLambdaParameters"] = parameters
    machine = _one(block.get("step_functions_parameters"))
    if machine:
        found["MaintenanceWindowStepFunctionsParameters"] = _fields(machine, {"input": "Input", "name": "Name"})
    return found


def _baseline(values: Mapping[str, Any], ref: Callable[[Any], Any]) -> Mapped:
    properties = _fields(values, {"name": "Name", "operating_system": "OperatingSystem", "description": "Description",
                                  "approved_patches": "ApprovedPatches", "rejected_patches": "RejectedPatches",
                                  "approved_patches_compliance_level": "ApprovedPatchesComplianceLevel",
                                  "approved_patches_enable_non_security": "ApprovedPatchesEnableNonSecurity",
                                  "rejected_patches_action": "RejectedPatchesAction",
                                  "available_security_updates_compliance_status": "AvailableSecurityUpdatesComplianceStatus"})
    filters = [{"Key": f.get("key"), "Values": list(f.get("values") or [])} for f in values.get("global_filter") or []]
    if filters:
        properties["GlobalFilters"] = {"PatchFilters": filters}
    rules = []
    for rule in values.get("approval_rule") or []:
        entry = _fields(rule, {"approve_after_days": "ApproveAfterDays", "approve_until_date": "ApproveUntilDate",
                               "compliance_level": "ComplianceLevel", "enable_non_security": "EnableNonSecurity"})
        if "ApproveUntilDate" in entry and entry.get("ApproveAfterDays") == 0:  # a state's 0 beside a date: unset
            del entry["ApproveAfterDays"]
        entry["PatchFilterGroup"] = {"PatchFilters": [{"Key": f.get("key"), "Values": list(f.get("values") or [])}
                                                      for f in rule.get("patch_filter") or []]}
        rules.append(entry)
    if rules:
        properties["ApprovalRules"] = {"PatchRules": rules}
    sources = [{"Name": s.get("name"), "Products": list(s.get("products") or []), "Configuration": s.get("configuration")}
               for s in values.get("source") or []]
    if sources:
        properties["Sources"] = sources
    properties.update(cfn_tags(values.get("tags")))
    return "AWS::SSM::PatchBaseline", properties, ()


_TERRAFORM: Dict[str, Callable[[Mapping[str, Any], Callable[[Any], Any]], Mapped]] = {
    "aws_ssm_maintenance_window": _window, "aws_ssm_maintenance_window_target": _window_target,
    "aws_ssm_maintenance_window_task": _window_task, "aws_ssm_patch_baseline": _baseline,
}


def _fields(values: Mapping[str, Any], names: Mapping[str, str]) -> Dict[str, Any]:
    """Terraform attributes as CloudFormation properties; unset ones (null, "", []) left out."""
    return {cfn: values[tf] for tf, cfn in names.items() if tf in values and not unset(values[tf])}


def _one(blocks: Any) -> Dict[str, Any]:
    """Terraform writes a nested block as a list of (at most) one object."""
    if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict):
        return blocks[0]
    return blocks if isinstance(blocks, dict) else {}


# ---------------------------------------------------------------------- shared


def _ordered(found: List[ConfiguredResource]) -> Iterator[ConfiguredResource]:
    """Each window followed by the targets and tasks that refer to it, the rest in source order."""
    placed: set[str] = set()
    for window in (r for r in found if r.type == "AWS::SSM::MaintenanceWindow"):
        placed.add(window.key)
        yield window
        for kind in ("AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask"):
            for resource in found:
                if resource.type == kind and resource.properties.get("WindowId") == {"Ref": window.key}:
                    placed.add(resource.key)
                    yield resource
    yield from (resource for resource in found if resource.key not in placed)


def _text(path: Path) -> str:
    try:
        if not path.is_file():
            raise SourceError(f"{path}: not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise SourceError(f"{path}: {error.strerror or error}") from None


def _json(text: str, path: Path) -> Any:
    """Strict JSON (no NaN or Infinity), as the library reads every JSON it is given."""
    try:
        document = load_json(text)
    except ValueError as error:  # json.JSONDecodeError is one
        raise SourceError(f"{path}: not JSON ({' '.join(str(error).split())})") from None
    _check_depth(document, path)
    return document


def _check_depth(document: Any, path: Path) -> None:
    stack: List[Tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise SourceError(f"{path}: nested more than {_MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def as_mapping(configuration: Configuration) -> Dict[str, Dict[str, Any]]:
    """``{key: {"Type", "Properties"}}``, the shape of a template's Resources."""
    return {r.key: {"Type": r.type, "Properties": r.properties} for r in configuration.resources}

