"""Write a configuration as Python code that uses the library (see the package docstring).

The code is built here, one resource at a time, in a stack of its own: a resource the library
refuses (a ``ValidationError``: nothing was created) is written as a ``CfnResource`` with the
source's properties and a comment quoting the refusal; then the stack is synthesized and each
resource compared with the source, property by property after the corpus's normalisations
(scalars as text, tags in key order); each difference becomes an ``add_property_override`` (or
a deletion) with a comment, counted as an escape hatch. The final code is built again from its
text and must give the source's properties exactly, else :class:`AdoptError`.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from ..errors import ValidationError
from ..readback.configuration import Configuration, ConfiguredResource

__all__ = ["AdoptError", "Adoption", "Escape", "adopt"]

_WINDOW, _TARGET, _TASK, _BASELINE = ("AWS::SSM::MaintenanceWindow", "AWS::SSM::MaintenanceWindowTarget",
                                      "AWS::SSM::MaintenanceWindowTask", "AWS::SSM::PatchBaseline")
_PATCH_GROUP_TAGS = ("tag:Patch Group", "tag:PatchGroup")
_RUN_COMMAND = "MaintenanceWindowRunCommandParameters"


class AdoptError(Exception):
    """The generated code does not rebuild the source (a bug of the generator: please report it)."""


@dataclass(frozen=True)
class Escape:
    """A property the library's arguments did not write as the source has it, written through
    ``add_property_override`` (``value`` None: deleted with ``add_property_deletion_override``)."""

    key: str
    path: str
    value: Any


@dataclass
class Adoption:
    """What :func:`adopt` wrote.

    Attributes:
        code: the Python module (a ``Stack`` subclass, and an app when run).
        logical_ids: each source resource's logical ID in the generated stack (for ``cdk import``).
        escapes: every property written through the escape hatch.
        refused: each resource the library refuses, with the refusal (written as a ``CfnResource``).
        raw: each resource written as a ``CfnResource`` (the refused ones, those the library's
            arguments cannot express, and those that refer to one of them), with why.
        parameters: the stack parameters written for names outside the source (given at deploy).
        findings: the library's warnings on each resource (written as comments beside it).
        notes: what each source resource holds that CloudFormation cannot write (from the reader).
        left_out: what the source holds that is not imported (:attr:`Configuration.left_out`),
            also written as comments at the top of the stack.
    """

    code: str
    logical_ids: Dict[str, str]
    escapes: List[Escape]
    refused: Dict[str, str]
    raw: Dict[str, str]
    parameters: List[str]
    findings: Dict[str, List[str]]
    notes: Dict[str, Tuple[str, ...]]
    left_out: Tuple[str, ...] = ()

    def import_mapping(self, configuration: Configuration) -> Dict[str, Dict[str, str]]:
        """The ``cdk import --resource-mapping`` file: logical ID -> CloudFormation's import identifier."""
        return {self.logical_ids[r.key]: dict(r.identifier) for r in configuration.resources
                if r.identifier and r.key in self.logical_ids}


@dataclass
class _Statement:
    key: str
    var: str
    construct_id: str
    text: str
    raw: bool = False
    comments: List[str] = field(default_factory=list)
    overrides: List[str] = field(default_factory=list)
    # a task's window variable and priority, for the Runbook that orders a window's tasks
    window: Optional[str] = None
    priority: Optional[int] = None
    call: Optional[Tuple[str, List[str]]] = None  # (constructor, arguments) the text was written from


# ---------------------------------------------------------------------- the entry point


def adopt(configuration: Configuration, *, class_name: str = "AdoptedPatching", stack_id: Optional[str] = None,
          source: str = "") -> Adoption:
    """Python code for ``configuration`` (see the module docstring); ``class_name`` names the
    ``Stack`` subclass, ``stack_id`` the stack of the app it runs (default: the class name)."""
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", class_name) or keyword.iskeyword(class_name):
        raise ValueError(f"class_name must be a Python class name in CamelCase: got {class_name!r}")
    writer = _Writer(configuration)
    parameters = writer.parameters(configuration)
    statements = parameters + _runbooks(
        [statement for resource in configuration.resources for statement in writer.statements(resource)], writer)
    refused: Dict[str, str] = {}
    raw: Dict[str, str] = {}
    namespace, stack = _scratch()
    for index, statement in enumerate(statements):
        try:
            exec(statement.text, namespace)  # noqa: S102 - the code this module writes, run to check it
        except Exception as error:  # a ValidationError; or jsii's TypeError for a value of the wrong type
            if statement.key not in writer.resources:  # a Runbook over a task the library refused: the
                statements[index] = _Statement(statement.key, statement.var, "", "")  # priorities are overrides
                continue
            resource = writer.resources[statement.key]
            needs = sorted(key for key in _referenced(resource.properties) if key in raw)
            if needs:  # the window or target it refers to is a CfnResource: so is it
                reason = f"it refers to {', '.join(needs)}, written as a CfnResource"
            else:
                reason = str(error) if isinstance(error, ValidationError) else \
                    f"{type(error).__name__}: {' '.join(str(error).split())}"
                refused[statement.key] = reason
                reason = f"mw-constructs refuses it: {reason}"
            statements[index] = writer.raw(resource, reason)
            exec(statements[index].text, namespace)  # noqa: S102
        if statements[index].raw:
            raw[statement.key] = statements[index].comments[0]
    statements = [statement for statement in statements if statement.text]
    template, logical_ids, warnings = _synthesize(stack, namespace, statements)
    escapes: List[Escape] = []
    for statement in statements:
        if statement.key not in writer.resources:
            continue  # an imported window, target or role the code refers to
        resource = writer.resources[statement.key]
        actual = template["Resources"][logical_ids[statement.key]].get("Properties", {})
        expected = _expected(resource.properties, logical_ids)
        for path, value in _differences(_normal(expected), _normal(actual), expected):
            escapes.append(Escape(resource.key, path, value))
            statement.overrides.append(
                f'_override({statement.var}, "{path}", {_pretty(value, writer.vars, 0)})' if value is not None
                else f'_delete({statement.var}, "{path}")')
        statement.comments.extend(warnings.get(statement.key, []))
    code = _module(class_name, stack_id or class_name, statements, writer, source, configuration.left_out)
    _verify(code, class_name, configuration, writer, logical_ids)
    return Adoption(code, {key: logical_ids[key] for key in writer.resources}, escapes, refused, raw,
                    list(writer.parameters_written),
                    {key: warnings[key] for key in warnings if key in writer.resources},
                    {r.key: r.notes for r in configuration.resources if r.notes}, configuration.left_out)


# ---------------------------------------------------------------------- statements


class _Writer:
    """Turns each resource into the statement a person would write, with unique names."""

    def __init__(self, configuration: Configuration) -> None:
        self.resources: Dict[str, ConfiguredResource] = {r.key: r for r in configuration.resources}
        self.vars: Dict[str, str] = {}  # resource key (or "role:<arn>", "window:<id>") -> variable
        self.construct_ids: Dict[str, str] = {}
        self.parameters_written: List[str] = []
        self.ids: Set[str] = set()
        self.imports: Set[str] = {"Stack"}

    def name(self, key: str, hint: str) -> Tuple[str, str]:
        words = _words(hint) or ["resource"]
        construct_id = "".join(word[:1].upper() + word[1:] for word in words)
        construct_id = construct_id if construct_id[0].isalpha() else f"R{construct_id}"
        var = "_".join(word.lower() for word in words)
        var = var if var[0].isalpha() and not keyword.iskeyword(var) else f"r_{var}"
        base_id, base_var, number = construct_id, var, 1
        while construct_id in self.ids or var in self.vars.values() or var in _RESERVED:
            number += 1
            construct_id, var = f"{base_id}{number}", f"{base_var}_{number}"
        self.ids.add(construct_id)
        self.vars[key] = var
        self.construct_ids[key] = construct_id
        return var, construct_id

    def parameters(self, configuration: Configuration) -> List[_Statement]:
        """A stack parameter for each name the resources refer to with ``Ref`` that is not one of
        them (a template's parameter, or a resource of the template that is not imported): its
        logical ID is that name, so the Ref reads as in the source; the value is given at deploy."""
        names = sorted({name for r in configuration.resources for name in _referenced(r.properties)
                        if name not in self.resources and not name.startswith("AWS::")})
        found = []
        for name in names:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,254}", name) or name in self.ids:
                continue  # not a logical ID the stack can take: the resources referring to it stay as written
            var = "_".join(word.lower() for word in _words(name)) or "parameter"
            var = var if var not in self.vars.values() and var not in _RESERVED and not keyword.iskeyword(var) else f"{var}_parameter"
            self.ids.add(name)
            self.vars[name] = var
            self.construct_ids[name] = name
            self.parameters_written.append(name)
            found.append(_Statement(name, var, name, f"{var} = CfnParameter(self, {_py(name)}, type=\"String\")", comments=[
                f"{name} is outside what was imported: give its value at deploy (cdk deploy --parameters {name}=...)"]))
        return found

    def statements(self, resource: ConfiguredResource) -> Iterator[_Statement]:
        writers = {_WINDOW: self._window, _TARGET: self._target, _TASK: self._task, _BASELINE: self._baseline}
        try:
            yield from writers[resource.type](resource)
        except _NotIdiomatic as reason:
            yield self.raw(resource, str(reason))

    def raw(self, resource: ConfiguredResource, reason: str) -> _Statement:
        """The resource as a plain ``CfnResource`` with the source's properties, and why."""
        if resource.key in self.vars:
            var, construct_id = self.vars[resource.key], self.construct_ids[resource.key]
        else:
            var, construct_id = self.name(resource.key, _hint(resource))
        self.imports.add("CfnResource")
        text = (f"{var} = CfnResource(\n    self, {_py(construct_id)}, type={_py(resource.type)},\n"
                f"    properties={_pretty(dict(resource.properties), self.vars, 4)},\n)")
        return _Statement(resource.key, var, construct_id, text, raw=True, comments=[reason])

    # --- one writer per type

    def _window(self, resource: ConfiguredResource) -> Iterator[_Statement]:
        p = resource.properties
        if not isinstance(p.get("Schedule"), str) or not _whole(p.get("Duration")) or not _whole(p.get("Cutoff")):
            raise _NotIdiomatic("its Schedule, Duration or Cutoff is not a literal text or whole number")
        self.imports.update({"PatchingWindow", "WindowSchedule", "Duration"})
        schedule = [_py(p["Schedule"])]
        if _literal(p.get("ScheduleTimezone")):
            schedule.append(f"time_zone={_py(p['ScheduleTimezone'])}")
        if _literal(p.get("ScheduleOffset")):
            schedule.append(f"schedule_offset={_py(p['ScheduleOffset'])}")
        for key, argument in (("StartDate", "start_date"), ("EndDate", "end_date")):
            if isinstance(p.get(key), str):
                self.imports.add("datetime")
                schedule.append(f"{argument}=datetime.fromisoformat({_py(_iso(p[key]))})")
        arguments = [f"schedule=WindowSchedule.expression({', '.join(schedule)})",
                     f"duration=Duration.hours({int(p['Duration'])})", f"cutoff=Duration.hours({int(p['Cutoff'])})"]
        arguments += _texts(p, {"Name": "window_name", "Description": "description"})
        if isinstance(p.get("AllowUnassociatedTargets"), bool):
            arguments.append(f"allow_unassociated_targets={p['AllowUnassociatedTargets']!r}")
        if not resource.enabled:
            arguments.append("enabled=False")
        tags = _tags(p.get("Tags"))
        if tags:
            arguments.append(f"tags={_py(tags)}")
        var, construct_id = self.name(resource.key, _hint(resource))
        yield _Statement(resource.key, var, construct_id, _call(var, "PatchingWindow", construct_id, arguments))

    def _window_of(self, resource: ConfiguredResource) -> Iterator[Tuple[str, Optional[_Statement]]]:
        """The variable of the resource's window: an imported one, or one made from its ID."""
        window = resource.properties.get("WindowId")
        if isinstance(window, dict) and window.get("Ref") in self.vars and self.resources.get(window["Ref"], resource).type == _WINDOW:
            yield self.vars[window["Ref"]], None
        elif isinstance(window, str) and re.fullmatch(r"mw-[0-9a-f]{17}", window):
            key = f"window:{window}"
            if key in self.vars:
                yield self.vars[key], None
            else:
                self.imports.add("PatchingWindow")
                var, construct_id = self.name(key, f"existing {window}")
                yield var, _Statement(key, var, construct_id, f"{var} = PatchingWindow.from_window_id(self, {_py(construct_id)}, "
                                                              f"{_py(window)}, allow_unassociated_targets=True)")
        else:
            raise _NotIdiomatic("its WindowId is neither a window of this configuration nor a window ID")

    def _target(self, resource: ConfiguredResource) -> Iterator[_Statement]:
        p = resource.properties
        (window, made), = list(self._window_of(resource))
        if made:
            yield made
        targets = p.get("Targets") or []
        hint = _hint(resource)
        extra = _texts(p, {"Name": "target_name", "Description": "description", "OwnerInformation": "owner_information"})
        if len(targets) == 1 and targets[0].get("Key") in _PATCH_GROUP_TAGS and len(targets[0].get("Values") or []) == 1 \
                and _literal(targets[0]["Values"][0]):
            self.imports.add("PatchGroupTarget")
            arguments = [f"window={window}", f"patch_group={_py(targets[0]['Values'][0])}"]
            if targets[0]["Key"] != "tag:Patch Group":
                arguments.append(f"tag_key={_py(targets[0]['Key'][4:])}")
            var, construct_id = self.name(resource.key, hint)
            yield _Statement(resource.key, var, construct_id,
                             _call(var, "PatchGroupTarget", construct_id, arguments + extra))
            return
        arguments = [f"window={window}"]
        tags: Dict[str, Any] = {}
        for entry in targets:
            key, values = entry.get("Key"), entry.get("Values") or []
            if not isinstance(key, str) or not all(_literal(v) for v in values):
                raise _NotIdiomatic("a target value is not literal")
            if key.startswith("tag:"):
                tags[key[4:]] = list(values)
            elif key == "tag-key":
                arguments.append(f"tag_keys={_py(list(values))}")
            elif key == "InstanceIds":
                arguments.append(f"instance_ids={_py(list(values))}")
            elif key == "resource-groups:Name" and len(values) == 1:
                arguments.append(f"resource_group={_py(values[0])}")
            elif key == "resource-groups:ResourceTypeFilters":
                arguments.append(f"resource_type_filters={_py(list(values))}")
            else:
                raise _NotIdiomatic(f"target key {key!r} has no argument")
        if tags:
            arguments.append(f"tags={_py(tags)}")
        self.imports.add("WindowTarget")
        var, construct_id = self.name(resource.key, hint)
        yield _Statement(resource.key, var, construct_id, _call(var, "WindowTarget", construct_id, arguments + extra))

    def _task(self, resource: ConfiguredResource) -> Iterator[_Statement]:
        p = resource.properties
        if not all(_literal(p.get(key)) for key in ("TaskArn", "TaskType")):
            raise _NotIdiomatic("its TaskArn or TaskType is not a literal value")
        (window, made), = list(self._window_of(resource))
        if made:
            yield made
        arguments = [f"window={window}"]
        targets: List[str] = []
        for entry in p.get("Targets") or []:
            values = entry.get("Values") or []
            if entry.get("Key") == "WindowTargetIds":
                for value in values:
                    if isinstance(value, dict) and value.get("Ref") in self.vars:
                        targets.append(self.vars[value["Ref"]])
                    elif isinstance(value, str):
                        key = f"target:{value}"
                        if key not in self.vars:
                            self.imports.add("WindowTarget")
                            var, construct_id = self.name(key, f"existing target {value[:8]}")
                            yield _Statement(key, var, construct_id, f"{var} = WindowTarget.from_target_id(self, "
                                                                     f"{_py(construct_id)}, window={window}, target_id={_py(value)})")
                        targets.append(self.vars[key])
                    else:
                        raise _NotIdiomatic("a target is neither a target of this configuration nor a target ID")
            elif entry.get("Key") == "InstanceIds" and all(isinstance(v, str) for v in values):
                arguments.append(f"instance_ids={_py(list(values))}")
            else:
                raise _NotIdiomatic(f"task target key {entry.get('Key')!r} has no argument")
        if targets:
            arguments.append(f"targets=[{', '.join(targets)}]")
        role = p.get("ServiceRoleArn")
        if role is None:
            arguments.append("service_linked_role=True")
        elif isinstance(role, str) or (isinstance(role, dict) and set(role) == {"Ref"} and role["Ref"] in self.parameters_written):
            name = role if isinstance(role, str) else str(role["Ref"])  # an ARN, or the parameter that gives one
            key = f"role:{name}"
            if key not in self.vars:
                self.imports.add("MaintenanceWindowRole")
                var, construct_id = self.name(key, f"{name.rsplit('/', 1)[-1]} role")
                yield _Statement(key, var, construct_id, f"{var} = MaintenanceWindowRole.from_role_arn(self, "
                                                         f"{_py(construct_id)}, {_py(role, self.vars)})")
            arguments.append(f"role={self.vars[key]}")
        else:
            raise _NotIdiomatic("its ServiceRoleArn is not a literal ARN or a parameter")
        if _whole(p.get("Priority")):
            arguments.append(f"priority={int(p['Priority'])}")
        for key, argument in (("MaxConcurrency", "max_concurrency"), ("MaxErrors", "max_errors")):
            if _literal(p.get(key)):
                arguments.append(f"{argument}={_py(str(p[key]))}")
        arguments += _texts(p, {"Name": "task_name", "Description": "description"})
        cutoff = _member("CutoffBehavior", p.get("CutoffBehavior"))
        if cutoff is not None:
            self.imports.add("CutoffBehavior")
            arguments.append(f"cutoff_behavior={cutoff}")
        kind, task_arn = str(p["TaskType"]), str(p["TaskArn"])
        invocation = p.get("TaskInvocationParameters") or {}
        constructor, specific = self._kind(kind, task_arn, invocation)
        var, construct_id = self.name(resource.key, _hint(resource))
        arguments = arguments[:1] + specific + arguments[1:]
        priority = int(p["Priority"]) if _whole(p.get("Priority")) else None
        yield _Statement(resource.key, var, construct_id, _call(var, constructor, construct_id, arguments),
                         window=window, priority=priority, call=(constructor, arguments))

    def _kind(self, kind: str, task_arn: str, invocation: Mapping[str, Any]) -> Tuple[str, List[str]]:
        if kind == "RUN_COMMAND":
            run = invocation.get(_RUN_COMMAND) or {}
            parameters = run.get("Parameters") or {}
            common = _texts(run, {"Comment": "comment", "OutputS3BucketName": "output_s3_bucket",
                                  "OutputS3KeyPrefix": "output_s3_key_prefix"})
            if isinstance(run.get("DocumentVersion"), str):
                common.append(f"document_version={_py(run['DocumentVersion'])}")
            if _whole(run.get("TimeoutSeconds")):
                common.append(f"timeout=Duration.seconds({int(run['TimeoutSeconds'])})")
                self.imports.add("Duration")
            operation = parameters.get("Operation")
            if task_arn == "AWS-RunPatchBaseline" and set(parameters) <= {"Operation", "RebootOption"} \
                    and isinstance(operation, list) and operation in (["Scan"], ["Install"]):
                self.imports.update({"RunPatchBaselineTask", "PatchOperation"})
                specific = [f"operation=PatchOperation.{operation[0].upper()}"]
                reboot = parameters.get("RebootOption")
                options = {"RebootIfNeeded": "REBOOT_IF_NEEDED", "NoReboot": "NO_REBOOT"}
                if isinstance(reboot, list) and len(reboot) == 1 and reboot[0] in options:
                    self.imports.add("RebootOption")
                    specific.append(f"reboot_option=RebootOption.{options[reboot[0]]}")
                return "RunPatchBaselineTask", specific + common
            self.imports.add("RunCommandTask")
            specific = [f"document={_py(task_arn)}"]
            if parameters:
                specific.append(f"parameters={_py(parameters)}")
            return "RunCommandTask", specific + common
        if kind == "AUTOMATION":
            automation = invocation.get("MaintenanceWindowAutomationParameters") or {}
            self.imports.add("AutomationTask")
            specific = [f"document={_py(task_arn)}"]
            if automation.get("Parameters"):
                specific.append(f"parameters={_py(automation['Parameters'])}")
            if isinstance(automation.get("DocumentVersion"), str):
                specific.append(f"document_version={_py(automation['DocumentVersion'])}")
            return "AutomationTask", specific
        if kind == "LAMBDA":
            function = invocation.get("MaintenanceWindowLambdaParameters") or {}
            self.imports.add("LambdaTask")
            return "LambdaTask", [f"function={_py(task_arn)}"] + _texts(function, {
                "Payload": "payload_base64", "ClientContext": "client_context_base64", "Qualifier": "qualifier"})
        if kind == "STEP_FUNCTIONS":
            machine = invocation.get("MaintenanceWindowStepFunctionsParameters") or {}
            self.imports.add("StepFunctionsTask")
            return "StepFunctionsTask", [f"state_machine={_py(task_arn)}"] + _texts(machine, {"Input": "input",
                                                                                           "Name": "execution_name"})
        raise _NotIdiomatic(f"task type {kind!r} has no construct")

    def _baseline(self, resource: ConfiguredResource) -> Iterator[_Statement]:
        p = resource.properties
        system = _member("OperatingSystem", p.get("OperatingSystem", "WINDOWS"))  # the API's default
        if system is None:
            raise _NotIdiomatic("its OperatingSystem is not one the library knows")
        self.imports.update({"PatchBaseline", "OperatingSystem"})
        arguments = [f"operating_system={system}"]
        arguments += _texts(p, {"Name": "baseline_name", "Description": "description"})
        for key, argument in (("ApprovedPatches", "approved_patches"), ("RejectedPatches", "rejected_patches"),
                              ("PatchGroups", "patch_groups")):
            if isinstance(p.get(key), list) and all(isinstance(v, str) for v in p[key]):
                arguments.append(f"{argument}={_py(p[key])}")
        for key, argument, enum in (("ApprovedPatchesComplianceLevel", "approved_patches_compliance_level", "ComplianceLevel"),
                                    ("RejectedPatchesAction", "rejected_patches_action", "RejectedPatchesAction"),
                                    ("AvailableSecurityUpdatesComplianceStatus",
                                     "available_security_updates_compliance_status", "ComplianceStatus")):
            member = _member(enum, p.get(key))
            if member is not None:
                self.imports.add(enum)
                arguments.append(f"{argument}={member}")
        if isinstance(p.get("ApprovedPatchesEnableNonSecurity"), bool):
            arguments.append(f"approved_patches_enable_non_security={p['ApprovedPatchesEnableNonSecurity']}")
        sources = _sources(p.get("Sources"))
        if sources is not None:
            self.imports.add("PatchSource")
            arguments.append(f"sources={sources}")
        filters = _filters(p.get("GlobalFilters"))
        if filters is not None:
            self.imports.update({"PatchFilter", "PatchFilterKey"})
            arguments.append(f"global_filters={filters}")
        rules = _rules(p.get("ApprovalRules"))
        if rules is not None:
            self.imports.update({"ApprovalRule", "PatchFilter", "PatchFilterKey"})
            if "ComplianceLevel." in rules:
                self.imports.add("ComplianceLevel")
            if "date.fromisoformat" in rules:
                self.imports.add("date")
            arguments.append(f"approval_rules={rules}")
        if p.get("DefaultBaseline") is True:
            arguments.append("default_for_os=True")
        tags = _tags(p.get("Tags"))
        if tags:
            arguments.append(f"tags={_py(tags)}")
        var, construct_id = self.name(resource.key, _hint(resource))
        yield _Statement(resource.key, var, construct_id, _call(var, "PatchBaseline", construct_id, arguments))


_RESERVED = {"self", "scope", "id", "kwargs", "app", "cast"}


def _runbooks(statements: List[_Statement], writer: _Writer) -> List[_Statement]:
    """A window's tasks whose priorities are consecutive (1, 2, 2, 3: tasks of one priority run
    together) are ordered by a ``Runbook`` after the last of them, without ``priority=``."""
    by_window: Dict[str, List[_Statement]] = {}
    for statement in statements:
        if statement.window is not None and statement.priority is not None and statement.call is not None:
            by_window.setdefault(statement.window, []).append(statement)
    result = list(statements)
    for window, tasks in by_window.items():
        levels = sorted({task.priority for task in tasks if task.priority is not None})
        if len(tasks) < 2 or levels != list(range(levels[0], levels[0] + len(levels))):
            continue
        for task in tasks:
            constructor, arguments = task.call  # type: ignore[misc]
            kept = [argument for argument in arguments if not argument.startswith("priority=")]
            task.text = _call(task.var, constructor, task.construct_id, kept)
        steps = []
        for level in levels:
            together = [task.var for task in tasks if task.priority == level]
            steps.append(together[0] if len(together) == 1 else f"[{', '.join(together)}]")
        first = "" if levels[0] == 1 else f", first_priority={levels[0]}"
        writer.imports.add("Runbook")
        key = f"runbook:{window}"
        runbook = _Statement(key, f"{window}_runbook", "", f"{window}_runbook = Runbook({', '.join(steps)}{first})",
                             comments=[f"the tasks of {window} in the order they run (their priorities, from {levels[0]})"])
        writer.vars[key] = runbook.var
        result.insert(result.index(tasks[-1]) + 1, runbook)
    return result


class _NotIdiomatic(Exception):
    """A resource the writer cannot express with the library's arguments (written as a CfnResource)."""


# ---------------------------------------------------------------------- building and comparing


def _scratch() -> Tuple[Dict[str, Any], Any]:
    import aws_cdk
    import mw_constructs

    app = aws_cdk.App()  # as `python OUT.py` builds it: schema findings are warnings, kept as findings
    stack = aws_cdk.Stack(app, "Adopted")
    from typing import cast

    namespace: Dict[str, Any] = {"cast": cast, "Any": Any, "CfnResource": aws_cdk.CfnResource,
                                 "CfnParameter": aws_cdk.CfnParameter, "IConstruct": object}
    exec(_HELPERS, namespace)  # noqa: S102 - the helpers the written module defines
    namespace.update({name: getattr(mw_constructs, name) for name in mw_constructs.__all__ if name[:1].isupper()})
    namespace.update({"Duration": aws_cdk.Duration, "Stack": aws_cdk.Stack, "self": stack})
    from datetime import date, datetime

    namespace.update({"date": date, "datetime": datetime})
    return namespace, stack


def _synthesize(stack: Any, namespace: Mapping[str, Any],
                statements: List[_Statement]) -> Tuple[Dict[str, Any], Dict[str, str], Dict[str, List[str]]]:
    """The stack's template, each statement's logical ID, and the library's warnings by statement."""
    import aws_cdk

    logical_ids: Dict[str, str] = {}
    paths: Dict[str, str] = {}
    for statement in statements:
        construct = namespace[statement.var]
        if not hasattr(construct, "node"):
            continue  # a Runbook: it orders tasks, it is not a resource
        child = construct.node.default_child or construct
        if isinstance(child, aws_cdk.CfnElement):
            logical_ids[statement.key] = aws_cdk.Stack.of(child).get_logical_id(child)
        paths[statement.key] = construct.node.path
    assembly = aws_cdk.App.of(stack).synth()  # type: ignore[union-attr]
    artifact = assembly.get_stack_by_name(stack.stack_name)
    warnings: Dict[str, List[str]] = {}
    deepest_first = sorted(paths.items(), key=lambda item: -len(item[1]))
    for message in artifact.messages:
        text = str(message.entry.data)
        owner = next((key for key, path in deepest_first
                      if message.id == f"/{path}" or message.id.startswith(f"/{path}/")), None)
        if owner is not None and message.entry.type == "aws:cdk:warning":
            warnings.setdefault(owner, []).append(" ".join(text.split()))
    report = Path(str(assembly.directory)) / "validation-report.json"  # CloudFormation's schema, as warnings
    if report.is_file():
        for plugin in json.loads(report.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                for construct in violation.get("violatingConstructs", []):
                    owner = next((key for key, path in paths.items() if construct.get("constructPath") == path), None)
                    if owner is not None:
                        warnings.setdefault(owner, []).append(
                            f"CloudFormation's schema refuses it: {' '.join(str(violation.get('description')).split())}")
    return artifact.template, logical_ids, warnings


def _expected(properties: Mapping[str, Any], logical_ids: Mapping[str, str]) -> Dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Ref"} and value["Ref"] in logical_ids:
                return {"Ref": logical_ids[value["Ref"]]}
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value
    return {key: walk(value) for key, value in properties.items()}


def _normal(value: Any) -> Any:
    """The comparison's normalisations: scalars as text, tags in key order."""
    if isinstance(value, dict):
        normal = {key: _normal(item) for key, item in value.items()}
        if isinstance(normal.get("Tags"), list):
            normal["Tags"] = sorted(normal["Tags"], key=lambda tag: json.dumps(tag, sort_keys=True))
        return normal
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _differences(expected: Any, actual: Any, original: Any, path: str = "") -> Iterator[Tuple[str, Any]]:
    """(property path, the source's value or None to delete) for each difference, as deep as
    dictionaries go (a path with a '.' in a key is overridden at its parent)."""
    if isinstance(expected, dict) and isinstance(actual, dict) and (not path or "." not in path.rsplit(".", 1)[-1]):
        for key in list(expected) + [key for key in actual if key not in expected]:
            where = f"{path}.{key}" if path else key
            if "." in key:
                if expected.get(key) != actual.get(key):
                    yield path or key, original if path else original.get(key)
                    return
                continue
            if key not in expected:
                yield where, None
            elif key not in actual or expected[key] != actual[key]:
                if isinstance(expected[key], dict) and isinstance(actual.get(key), dict):
                    yield from _differences(expected[key], actual[key], original[key], where)
                else:
                    yield where, original[key]
    elif expected != actual:
        yield path, original


def _verify(code: str, class_name: str, configuration: Configuration, writer: _Writer,
            logical_ids: Mapping[str, str]) -> None:
    """Build the written module from its text and compare every resource with the source."""
    import aws_cdk

    namespace: Dict[str, Any] = {"__name__": "adopted"}
    exec(compile(code, "<adopted>", "exec"), namespace)  # noqa: S102 - the module just written
    app = aws_cdk.App()  # as `python OUT.py` builds it: schema findings are warnings, kept as findings
    stack = namespace[class_name](app, "Adopted")
    template = app.synth().get_stack_by_name(stack.stack_name).template
    for resource in configuration.resources:
        actual = template["Resources"].get(logical_ids[resource.key], {}).get("Properties", {})
        if _normal(_expected(resource.properties, logical_ids)) != _normal(actual):
            raise AdoptError(f"the code written for {resource.key} does not rebuild it: please report this")


# ---------------------------------------------------------------------- the module's text


def _module(class_name: str, stack_id: str, statements: List[_Statement], writer: _Writer, source: str,
            left_out: Sequence[str]) -> str:
    library = sorted(name for name in writer.imports if name not in ("Stack", "Duration", "CfnResource", "date", "datetime"))
    cdk = sorted({"App", "CfnParameter", "CfnResource", "Stack"} | ({"Duration"} & writer.imports))
    lines = [f'"""{class_name}: the maintenance windows of {source or "a configuration"}, adopted with mw-constructs.',
             "",
             "Written by `mw-constructs import`. Synthesize it with `python THIS_FILE.py` or",
             '`cdk synth --app "python THIS_FILE.py"`; adopt the existing resources with `cdk import`',
             "and the resource mapping written beside it, then deploy as usual.",
             '"""',
             "",
             "from __future__ import annotations",
             "",
             *([f"from datetime import {', '.join(sorted({'date', 'datetime'} & writer.imports))}"]
               if {"date", "datetime"} & writer.imports else []),
             "from typing import Any, cast",
             ""]
    lines += [f"from aws_cdk import {', '.join(cdk)}", "from constructs import Construct, IConstruct", ""]
    if library:
        lines += ["from mw_constructs import (", *(f"    {name}," for name in library), ")", ""]
    lines += ["", *_HELPERS.splitlines(), "", "",
              f"class {class_name}(Stack):",
              f'    """The adopted maintenance windows ({len(writer.resources)} resources)."""',
              "",
              "    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:",
              "        super().__init__(scope, id, **kwargs)"]
    if left_out:
        lines += ["", "        # not imported (the source holds it, this stack does not):"]
        lines += [f"        # {line}" for note in left_out for line in _wrap(f"- {note}")]
    for statement in statements:
        lines.append("")
        lines += [f"        # {line}" for comment in statement.comments for line in _wrap(comment)]
        lines += [f"        {line}" for line in statement.text.splitlines()]
        if statement.overrides:
            lines.append("        # not said by the arguments above (escape hatch):")
            lines += [f"        {line}" for line in statement.overrides]
    lines += ["", "", 'if __name__ == "__main__":',
              "    app = App()",
              f"    {class_name}(app, {_py(stack_id)})",
              "    app.synth()", ""]
    return "\n".join(lines)


_HELPERS = '''def _cfn(construct: IConstruct) -> CfnResource:
    """The CloudFormation resource a construct writes (itself for a CfnResource)."""
    return cast(CfnResource, construct.node.default_child or construct)


def _override(construct: IConstruct, path: str, value: Any) -> None:
    _cfn(construct).add_property_override(path, value)


def _delete(construct: IConstruct, path: str) -> None:
    _cfn(construct).add_property_deletion_override(path)


def _ref(construct: IConstruct) -> str:
    if isinstance(construct, CfnParameter):
        return construct.value_as_string
    return _cfn(construct).ref'''


# ---------------------------------------------------------------------- small helpers


def _call(var: str, constructor: str, construct_id: str, arguments: List[str]) -> str:
    head = f"{var} = {constructor}(self, {_py(construct_id)}, "
    one_line = head + ", ".join(arguments) + ")"
    if len(one_line) <= 110:
        return one_line
    return f"{var} = {constructor}(\n    self, {_py(construct_id)},\n" + "".join(f"    {a},\n" for a in arguments) + ")"


def _py(value: Any, variables: Optional[Mapping[str, str]] = None) -> str:
    """``value`` as Python source; ``{"Ref": key}`` of a written resource as ``_ref(variable)``."""
    if isinstance(value, dict):
        if variables and set(value) == {"Ref"} and value["Ref"] in variables:
            return f"_ref({variables[value['Ref']]})"
        return "{" + ", ".join(f"{_py(k)}: {_py(v, variables)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py(item, variables) for item in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    if isinstance(value, str):  # double quotes, as formatters write them; JSON's escapes are Python's too
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _pretty(value: Any, variables: Mapping[str, str], indent: int, width: int = 100) -> str:
    """``_py(value)``, broken over lines (4 more spaces a level) where one line would be too long."""
    flat = _py(value, variables)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or (
            isinstance(value, dict) and set(value) == {"Ref"}):
        return flat
    inner = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{inner}{_py(key)}: {_pretty(item, variables, indent + 4, width)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{inner}{_pretty(item, variables, indent + 4, width)}," for item in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _filters(group: Any) -> Optional[str]:
    """A PatchFilterGroup as ``[PatchFilter(PatchFilterKey.X, [...]), ...]``, or None."""
    filters = group.get("PatchFilters") if isinstance(group, dict) and set(group) == {"PatchFilters"} else None
    if not isinstance(filters, list) or not all(
            isinstance(f, dict) and set(f) == {"Key", "Values"} and _member("PatchFilterKey", f["Key"]) is not None
            and isinstance(f["Values"], list) and all(isinstance(v, str) for v in f["Values"]) for f in filters):
        return None
    return "[" + ", ".join(f"PatchFilter({_member('PatchFilterKey', f['Key'])}, {_py(f['Values'])})" for f in filters) + "]"


def _rules(rules: Any) -> Optional[str]:
    """ApprovalRules as ``[ApprovalRule(...), ...]``, or None where a member has no argument."""
    patch_rules = rules.get("PatchRules") if isinstance(rules, dict) and set(rules) == {"PatchRules"} else None
    if not isinstance(patch_rules, list):
        return None
    written = []
    for rule in patch_rules:
        known = {"PatchFilterGroup", "ApproveAfterDays", "ApproveUntilDate", "ComplianceLevel", "EnableNonSecurity"}
        filters = _filters(rule.get("PatchFilterGroup")) if isinstance(rule, dict) and set(rule) <= known else None
        if filters is None:
            return None
        arguments = [f"filters={filters}"]
        if isinstance(rule.get("ApproveAfterDays"), int):
            arguments.append(f"approve_after_days={rule['ApproveAfterDays']}")
        if isinstance(rule.get("ApproveUntilDate"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", rule["ApproveUntilDate"]):
            arguments.append(f"approve_until_date=date.fromisoformat({_py(rule['ApproveUntilDate'])})")
        level = _member("ComplianceLevel", rule.get("ComplianceLevel"))
        if level is not None:
            arguments.append(f"compliance_level={level}")
        if isinstance(rule.get("EnableNonSecurity"), bool):
            arguments.append(f"enable_non_security={rule['EnableNonSecurity']!r}")
        written.append(f"ApprovalRule({', '.join(arguments)})")
    return "[" + ", ".join(written) + "]"


def _sources(sources: Any) -> Optional[str]:
    """Sources as ``[PatchSource(...), ...]``, or None where one is not three texts."""
    if not isinstance(sources, list) or not sources:
        return None
    written = []
    for source in sources:
        if not (isinstance(source, dict) and set(source) == {"Name", "Products", "Configuration"}
                and isinstance(source["Name"], str) and isinstance(source["Configuration"], str)
                and isinstance(source["Products"], list) and all(isinstance(p, str) for p in source["Products"])):
            return None
        written.append(f"PatchSource({_py(source['Name'])}, {_py(source['Products'])}, {_py(source['Configuration'])})")
    return f"[{', '.join(written)}]"


def _member(enum: str, value: Any) -> Optional[str]:
    """``Enum.MEMBER`` for the library's enum ``enum`` member whose value is ``value``, or None:
    source text only reaches the written code as a member the library defines (or a literal)."""
    import mw_constructs

    if not isinstance(value, str):
        return None
    member = next((m for m in getattr(mw_constructs, enum) if m.value == value), None)
    return f"{enum}.{member.name}" if member is not None else None


def _referenced(value: Any) -> Iterator[str]:
    """The keys ``{"Ref": key}`` names inside ``value``."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            yield value["Ref"]
        for item in value.values():
            yield from _referenced(item)
    elif isinstance(value, list):
        for item in value:
            yield from _referenced(item)


def _words(text: str) -> List[str]:
    """The words of a name, its CamelCase split too: ``EC2Instance-web`` is EC2, Instance, web."""
    return [word for part in re.split(r"[^A-Za-z0-9]+", text)
            for word in re.findall(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+", part)]


def _whole(value: Any) -> bool:
    """A whole number, or its text (CloudFormation takes ``4`` and ``"4"``)."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit() and len(value) < 10)


def _literal(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _texts(properties: Mapping[str, Any], names: Mapping[str, str]) -> List[str]:
    return [f"{argument}={_py(properties[key])}" for key, argument in names.items() if isinstance(properties.get(key), str)]


def _tags(tags: Any) -> Dict[str, str]:
    if not isinstance(tags, list) or not all(isinstance(t, dict) and isinstance(t.get("Key"), str)
                                             and isinstance(t.get("Value"), str) for t in tags):
        return {}
    return {t["Key"]: t["Value"] for t in tags}


def _iso(text: str) -> str:
    """An ISO 8601 date Python 3.10's ``fromisoformat`` reads (no ``Z``)."""
    return text[:-1] + "+00:00" if text.endswith("Z") else text


def _hint(resource: ConfiguredResource) -> str:
    """What to call a resource in the code: its Name, else the last part of a Terraform address
    or a logical ID, else its kind (an account's IDs say nothing)."""
    name = resource.properties.get("Name")
    if isinstance(name, str) and name.strip():
        return name
    if re.fullmatch(r"(mw|pb)-[0-9a-f]{17}|[0-9a-f-]{36}", resource.key):
        task_arn = resource.properties.get("TaskArn")
        if resource.type == _TASK and isinstance(task_arn, str):  # the document or function it runs
            return re.split(r"[:/]", task_arn)[-1].removeprefix("AWS-") or "task"
        return {_WINDOW: "window", _TARGET: "target", _TASK: "task", _BASELINE: "baseline"}[resource.type]
    return resource.key.rsplit(".", 1)[-1]


def _wrap(text: str, width: int = 100) -> List[str]:
    """A comment's lines: its words (source text among them, control characters escaped) up to ``width``."""
    from ..readback.assembly import printable

    words, lines, line = printable(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])
