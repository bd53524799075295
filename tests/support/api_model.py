"""The SSM API requests CloudFormation makes for a template's SSM resources, checked against the
SSM service model that botocore ships: an oracle independent of cfn-lint and of the library.

``requests_of(template, region)`` turns every ``AWS::SSM::MaintenanceWindow``,
``MaintenanceWindowTarget``, ``MaintenanceWindowTask``, ``PatchBaseline`` and ``Association`` into the
API calls the resource provider makes (CreateMaintenanceWindow, RegisterTargetWithMaintenanceWindow,
RegisterTaskWithMaintenanceWindow, CreatePatchBaseline, RegisterPatchBaselineForPatchGroup,
RegisterDefaultPatchBaseline, CreateAssociation), an ``AWS::SSMQuickSetup::ConfigurationManager``
into Quick Setup's CreateConfigurationManager (the ssm-quicksetup model), plus the SSM calls of the library's custom resources
(AwsCustomResource's SSM calls, the window disabler's UpdateMaintenanceWindow). Intrinsic
functions are resolved as CloudFormation would in ``region``, with a realistic value of the
right shape for what only exists once deployed (a window ID ``mw-`` + 17 hex digits, a target
UUID, an ARN).

``problems(operation, parameters)`` checks a request against the model: required members,
types, unknown members, min/max (lengths of strings, lists and maps; values of numbers),
patterns (with the ``regex`` module: the model's patterns use ``\\p{L}``) and enums. botocore's
own validator checks only types, required members and minimums; this one checks everything
the model states.

Model quirks (documented, not bugs): the model does not list a pattern or enum for
``ScheduleTimezone`` (any IANA name) or for the date strings; those are the library's checks.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any, Dict, Iterator, List, Optional, Tuple

import regex

Request = Tuple[str, Dict[str, Any]]  # (operation, parameters)
ACCOUNT = "123456789012"

# CloudFormation's TaskInvocationParameters members and the API's names for them.
_INVOCATION = {
    "MaintenanceWindowRunCommandParameters": "RunCommand",
    "MaintenanceWindowAutomationParameters": "Automation",
    "MaintenanceWindowStepFunctionsParameters": "StepFunctions",
    "MaintenanceWindowLambdaParameters": "Lambda",
}
_WINDOW_KEYS = ("Name", "Description", "StartDate", "EndDate", "Schedule", "ScheduleTimezone", "ScheduleOffset",
                "Duration", "Cutoff", "AllowUnassociatedTargets", "Tags")
_TARGET_KEYS = ("WindowId", "ResourceType", "Targets", "OwnerInformation", "Name", "Description")
_TASK_KEYS = ("WindowId", "Targets", "TaskArn", "ServiceRoleArn", "TaskType", "TaskParameters", "Priority",
              "MaxConcurrency", "MaxErrors", "LoggingInfo", "Name", "Description", "CutoffBehavior", "AlarmConfiguration")
#: AWS::SSM::Association's properties that are CreateAssociation members (WaitForSuccessTimeoutSeconds
#: is CloudFormation's own: how long the stack waits, never sent to SSM).
_ASSOCIATION_KEYS = ("Name", "DocumentVersion", "InstanceId", "Parameters", "Targets", "ScheduleExpression",
                     "OutputLocation", "AssociationName", "AutomationTargetParameterName", "MaxErrors", "MaxConcurrency",
                     "ComplianceSeverity", "SyncCompliance", "ApplyOnlyAtCronInterval", "CalendarNames", "ScheduleOffset",
                     "Tags", "AssociationDispatchAssumeRole")
#: Operations of Quick Setup's own API (ssm-quicksetup), written ``quicksetup:<Operation>``.
QUICKSETUP = "quicksetup:"
_BASELINE_KEYS = ("OperatingSystem", "Name", "GlobalFilters", "ApprovalRules", "ApprovedPatches",
                  "ApprovedPatchesComplianceLevel", "ApprovedPatchesEnableNonSecurity", "RejectedPatches",
                  "RejectedPatchesAction", "Description", "Sources", "AvailableSecurityUpdatesComplianceStatus", "Tags")


@functools.lru_cache(maxsize=1)
def service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("ssm")


@functools.lru_cache(maxsize=1)
def _quicksetup_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("ssm-quicksetup")


# ---------------------------------------------------------------------- template -> requests


def requests_of(template: Dict[str, Any], region: str = "eu-west-1") -> List[Tuple[str, Request]]:
    """(logical id, request) for every SSM call the template's resources make when created."""
    resolver = _Resolver(template, region)
    found: List[Tuple[str, Request]] = []
    for logical_id, resource in (template.get("Resources") or {}).items():
        kind = resource.get("Type")
        properties = resolver.resolve(resource.get("Properties") or {})
        for request in _requests(kind, properties, resolver.physical_id(logical_id)):
            found.append((logical_id, request))
    return found


def _pick(properties: Dict[str, Any], keys: Tuple[str, ...]) -> Dict[str, Any]:
    return {key: properties[key] for key in keys if key in properties}


def _requests(kind: str, properties: Dict[str, Any], physical_id: str) -> Iterator[Request]:
    if kind == "AWS::SSM::MaintenanceWindow":
        yield "CreateMaintenanceWindow", _pick(properties, _WINDOW_KEYS)
    elif kind == "AWS::SSM::MaintenanceWindowTarget":
        yield "RegisterTargetWithMaintenanceWindow", _pick(properties, _TARGET_KEYS)
    elif kind == "AWS::SSM::MaintenanceWindowTask":
        request = _pick(properties, _TASK_KEYS)
        invocation = properties.get("TaskInvocationParameters")
        if invocation is not None:
            request["TaskInvocationParameters"] = {_INVOCATION.get(key, key): _lambda_blobs(key, value)
                                                   for key, value in invocation.items()}
        yield "RegisterTaskWithMaintenanceWindow", request
    elif kind == "AWS::SSM::PatchBaseline":
        yield "CreatePatchBaseline", _pick(properties, _BASELINE_KEYS)
        for group in properties.get("PatchGroups") or ():
            yield "RegisterPatchBaselineForPatchGroup", {"BaselineId": physical_id, "PatchGroup": group}
        if properties.get("DefaultBaseline"):
            yield "RegisterDefaultPatchBaseline", {"BaselineId": physical_id}
    elif kind == "AWS::SSM::Association":
        yield "CreateAssociation", _pick(properties, _ASSOCIATION_KEYS)
    elif kind == "AWS::SSMQuickSetup::ConfigurationManager":
        yield QUICKSETUP + "CreateConfigurationManager", _pick(properties, ("ConfigurationDefinitions", "Description",
                                                                           "Name", "Tags"))
    elif kind == "Custom::AwsPatchBaselineLookup":  # the library's AWS baseline registrar (_internal/aws_baselines.py)
        yield "DescribePatchBaselines", {"Filters": [{"Key": "NAME_PREFIX", "Values": [properties["BaselineName"]]},
                                                     {"Key": "OWNER", "Values": ["AWS"]}], "MaxResults": 100}
    elif kind == "Custom::AwsPatchBaselinePatchGroup":
        registration = {"BaselineId": properties["BaselineId"], "PatchGroup": properties["PatchGroup"]}
        yield "RegisterPatchBaselineForPatchGroup", registration
        yield "DeregisterPatchBaselineForPatchGroup", registration
    elif kind == "Custom::MaintenanceWindowDisabled":  # the library's window disabler (_internal/window_disabler.py)
        yield "UpdateMaintenanceWindow", {"WindowId": properties["WindowId"], "Enabled": False}


def _lambda_blobs(key: str, value: Dict[str, Any]) -> Dict[str, Any]:
    """CloudFormation takes the Lambda task's Payload as base64 text; the API takes bytes."""
    if key != "MaintenanceWindowLambdaParameters" or not isinstance(value.get("Payload"), str):
        return value
    return {**value, "Payload": base64.b64decode(value["Payload"])}


class _Resolver:
    """CloudFormation's intrinsic functions, resolved in one Region with stand-in values for
    what only exists once deployed."""

    def __init__(self, template: Dict[str, Any], region: str) -> None:
        self.template = template
        self.region = region
        self.resources = template.get("Resources") or {}
        self.deployed: Dict[str, str] = {}  # logical id -> physical id, where known
        self.attributes: Dict[Tuple[str, str], Any] = {}  # (logical id, attribute) -> value, where known
        self.pseudo = {"AWS::Region": region, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                       "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "Patching",
                       "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT}:stack/Patching/1",
                       "AWS::NoValue": None}

    def physical_id(self, logical_id: str) -> str:
        """What ``Ref`` gives for a resource: the deployed one in ``deployed`` (set by a deploy
        test), else an ID of the shape its type has."""
        if logical_id in self.deployed:
            return self.deployed[logical_id]
        kind = self.resources.get(logical_id, {}).get("Type", "")
        digest = hashlib.sha256(f"{self.region}/{logical_id}".encode()).hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        shapes = {
            "AWS::SSM::MaintenanceWindow": f"mw-{digest[:17]}",
            "AWS::SSM::MaintenanceWindowTarget": uuid,
            "AWS::SSM::MaintenanceWindowTask": uuid,
            "AWS::KMS::Key": uuid,
            "AWS::SSM::PatchBaseline": f"pb-{digest[:17]}",
            "AWS::SNS::Topic": f"arn:aws:sns:{self.region}:{self.pseudo['AWS::AccountId']}:{logical_id}-{digest[:12]}",
            "AWS::S3::Bucket": f"{logical_id.lower()[:40]}-{digest[:12]}",
        }
        return shapes.get(kind, f"Patching-{logical_id}-{digest[:12].upper()}"[:64])

    def attribute(self, logical_id: str, name: str) -> Any:
        if (logical_id, name) in self.attributes:
            return self.attributes[(logical_id, name)]
        kind = self.resources.get(logical_id, {}).get("Type", "")
        physical = self.physical_id(logical_id)
        account, region = self.pseudo["AWS::AccountId"], self.region
        if name == "Arn":
            arns = {
                "AWS::IAM::Role": f"arn:aws:iam::{account}:role/{physical}",
                "AWS::Lambda::Function": f"arn:aws:lambda:{region}:{account}:function:{physical}",
                "AWS::StepFunctions::StateMachine": f"arn:aws:states:{region}:{account}:stateMachine:{physical}",
                "AWS::Logs::LogGroup": f"arn:aws:logs:{region}:{account}:log-group:{physical}:*",
                "AWS::KMS::Key": f"arn:aws:kms:{region}:{account}:key/{physical}",
                "AWS::S3::Bucket": f"arn:aws:s3:::{physical}",
                "AWS::SNS::Topic": physical,
            }
            return arns.get(kind, f"arn:aws:ssm:{region}:{account}:{physical}")
        if name == "Name":
            return physical
        if kind == "Custom::AwsPatchBaselineLookup" and name == "BaselineId":  # an AWS-owned baseline's ARN
            return f"arn:aws:ssm:{self.region}:{account}:patchbaseline/pb-{hashlib.sha256(physical.encode()).hexdigest()[:17]}"
        return f"{physical}.{name}"

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [item for item in (self.resolve(v) for v in value) if item is not None]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            if key == "Ref":
                return self.pseudo[argument] if argument in self.pseudo else self._ref(argument)
            if key == "Fn::GetAtt":
                logical_id, name = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.attribute(logical_id, name)
            if key == "Fn::Join":
                separator, parts = argument
                return separator.join(str(part) for part in self.resolve(parts))
            if key == "Fn::Sub":
                return self._sub(argument)
            if key == "Fn::Select":
                index, items = self.resolve(argument)
                return items[int(index)]
            if key == "Fn::Split":
                separator, text = self.resolve(argument)
                return text.split(separator)
            if key == "Fn::FindInMap":
                name, first, second = self.resolve(argument)
                return self.template["Mappings"][name][first][second]
            if key == "Fn::Base64":
                return base64.b64encode(str(self.resolve(argument)).encode()).decode()
            if key == "Fn::GetAZs":
                return [f"{self.region}a", f"{self.region}b"]
        return {k: v for k, v in ((k, self.resolve(v)) for k, v in value.items()) if v is not None}

    def _ref(self, name: str) -> Any:
        parameter = (self.template.get("Parameters") or {}).get(name)
        if parameter is not None:
            return parameter.get("Default", f"{name}-value")
        return self.physical_id(name)

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], self.resolve(argument[1]))

        def value(match: "regex.Match[str]") -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if name in self.pseudo:
                return str(self.pseudo[name])
            if "." in name:
                logical_id, attribute = name.split(".", 1)
                return self.attribute(logical_id, attribute)
            return str(self._ref(name))

        return regex.sub(r"\$\{([^!}][^}]*)\}", value, text)


# ---------------------------------------------------------------------- the model


def problems(operation: str, parameters: Dict[str, Any]) -> List[str]:
    """Every way ``parameters`` break the model of ``operation`` (empty when they conform)."""
    if operation.startswith(QUICKSETUP):
        shape = _quicksetup_model().operation_model(operation[len(QUICKSETUP):]).input_shape
    else:
        shape = service_model().operation_model(operation).input_shape
    found: List[str] = []
    _check(shape, parameters, operation, found)
    return found


def _check(shape: Any, value: Any, where: str, found: List[str]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            found.append(f"{where}: expected a structure, got {value!r}")
            return
        for member in shape.required_members:
            if member not in value:
                found.append(f"{where}: required member {member} is missing")
        for key, item in value.items():
            if key not in shape.members:
                found.append(f"{where}: {key} is not a member of {shape.name}")
            else:
                _check(shape.members[key], item, f"{where}.{key}", found)
        return
    if kind == "list":
        if not isinstance(value, list):
            found.append(f"{where}: expected a list, got {value!r}")
            return
        _bounds(meta, len(value), where, "items", found)
        for index, item in enumerate(value):
            _check(shape.member, item, f"{where}[{index}]", found)
        return
    if kind == "map":
        if not isinstance(value, dict):
            found.append(f"{where}: expected a map, got {value!r}")
            return
        _bounds(meta, len(value), where, "entries", found)
        for key, item in value.items():
            _check(shape.key, key, f"{where} key {key!r}", found)
            _check(shape.value, item, f"{where}[{key!r}]", found)
        return
    if kind == "string":
        if not isinstance(value, str):
            found.append(f"{where}: expected a string, got {value!r}")
            return
        _bounds(meta, len(value), where, "characters", found)
        if "pattern" in meta and regex.search(meta["pattern"], value) is None:
            found.append(f"{where}: {value!r} does not match the pattern {meta['pattern']}")
        if "enum" in meta and value not in meta["enum"]:
            found.append(f"{where}: {value!r} is not one of {meta['enum']}")
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            found.append(f"{where}: expected an integer, got {value!r}")
            return
        _bounds(meta, value, where, "", found)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            found.append(f"{where}: expected a boolean, got {value!r}")
        return
    if kind == "blob":
        if not isinstance(value, (bytes, bytearray)):
            found.append(f"{where}: expected bytes, got {value!r}")
            return
        _bounds(meta, len(value), where, "bytes", found)
        return
    if kind == "timestamp":
        return
    found.append(f"{where}: unchecked shape type {kind}")  # pragma: no cover - not in these operations


def _bounds(meta: Dict[str, Any], size: int, where: str, unit: str, found: List[str]) -> None:
    low: Optional[int] = meta.get("min")
    high: Optional[int] = meta.get("max")
    if low is not None and size < low:
        found.append(f"{where}: {size} {unit} is below the minimum {low}".replace("  ", " "))
    if high is not None and size > high:
        found.append(f"{where}: {size} {unit} is above the maximum {high}".replace("  ", " "))


def check_template(template: Dict[str, Any], regions: Tuple[str, ...] = ("eu-west-1",)) -> Tuple[int, int, List[str]]:
    """(SSM resources, API requests, problems) of ``template`` in each of ``regions``."""
    resources, requests, found = set(), 0, []
    for region in regions:
        for logical_id, (operation, parameters) in requests_of(template, region):
            resources.add(logical_id)
            requests += 1
            found += [f"{logical_id} ({region}) {problem}" for problem in problems(operation, parameters)]
    return len(resources), requests, found
