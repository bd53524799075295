"""Read maintenance windows back out of a synthesized cloud assembly (``cdk.out``).

Pure Python, no jsii: the CLI uses this to preview, draw and check what an app will
deploy, including windows written with raw ``CfnMaintenanceWindow`` classes.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Optional, Tuple

from ..schedule.durations import CUTOFF_HOURS, DURATION_HOURS, check_window_hours
from .._internal.validate import check_int_range, check_name, check_text
from ..checks import ACKNOWLEDGED_METADATA, TIER_METADATA, Finding, WindowFacts
from ..coexistence import ALL_NODES, NodeSelector, PatchingFacts, PolicyFacts, node_selector
from ..documents import PATCHING_DOCUMENTS, only_scans
from ..errors import ValidationError
from ..schedule.presets import NON_PRODUCTION_TIER, PRODUCTION_TIER
from ..schedule import AssociationSchedule, WindowSchedule
from ..schedule.placement import Placement
from ..schedule.expression import check_schedule_offset
from ..schedule.zones import zone_name
from .._internal.task_arguments import load_json

__all__ = ["AssemblyAssociation", "AssemblyError", "AssemblyPatching", "AssemblyWindow", "MAX_FILE_BYTES",
           "MAX_NESTED_STAGES", "deployed_window", "invalid_window_findings", "printable", "read_patching",
           "read_schedule", "read_windows"]

_PATCH_GROUP_KEYS = ("tag:Patch Group", "tag:PatchGroup")
_PRODUCTION_WORDS = {"prod", "production", "prd", "live"}
_NON_PRODUCTION_WORDS = {"non", "nonprod", "preprod", "pre", "dev", "development", "test", "tst", "acc",
                         "acceptance", "staging", "stage", "sandbox", "sbx", "qa", "uat"}


class AssemblyError(Exception):
    """The directory is not a readable cloud assembly."""


@dataclass(frozen=True)
class AssemblyWindow:
    """A window found in a template: its facts for the checks, and where it came from."""

    facts: WindowFacts
    stack: str
    logical_id: str
    label: str  # the construct path (Stack/Window), else the window's Name, else stack/logical id
    problems: Tuple[str, ...] = ()  # every property SSM would reject
    unresolved: Tuple[str, ...] = ()  # properties that depend on deploy-time values
    acknowledged: FrozenSet[str] = frozenset()  # warning ids the app acknowledged on this window
    name: Optional[str] = None  # the window's Name property, when it is a literal
    region: Optional[str] = None  # the Region it runs in, when known

    @property
    def problem(self) -> Optional[str]:
        """Why the schedule cannot be drawn, if it cannot."""
        if self.unresolved:
            return f"unresolved: {', '.join(self.unresolved)} depend(s) on deploy-time values"
        return "; ".join(self.problems) or None


def read_windows(directory: Path) -> List[AssemblyWindow]:
    """Every ``AWS::SSM::MaintenanceWindow`` of every stack template in ``directory``, and of every
    StackSet template its stacks deploy: one entry per Region a StackSet deploys it to, and per
    Region of a follow-the-sun window (``ScheduleTimezone`` looked up by ``AWS::Region``).

    The directory is untrusted input: a file that is not a regular file inside it, larger than
    :data:`MAX_FILE_BYTES`, or not JSON, nested stages deeper than :data:`MAX_NESTED_STAGES` or
    looping, and any part of a manifest or template of the wrong shape end in one
    :class:`AssemblyError`, never a traceback. A directory with neither a manifest nor a
    template is no cloud assembly."""
    windows: List[AssemblyWindow] = []
    _read_each(directory, lambda source: windows.extend(_windows_of(source)))
    return windows


def _read_each(directory: Path, read: Callable[["_Template"], None]) -> None:
    """``read`` each template of the assembly in ``directory``; whatever is wrongly shaped (a
    manifest, a template) ends in one AssemblyError."""
    if not directory.is_dir():
        raise AssemblyError(f"no cloud assembly at {directory}: run 'cdk synth' first, or pass its directory")
    try:
        for source in _templates(directory):
            try:
                read(source)
            except _SHAPE_ERRORS as error:
                raise AssemblyError(f"the template of {source.name} in {directory} is not shaped like a CloudFormation "
                                    f"template ({type(error).__name__}: {_one_line(error)})") from None
    except _SHAPE_ERRORS as error:
        raise AssemblyError(f"{directory} holds a manifest or template mw-constructs cannot read "
                            f"({type(error).__name__}: {_one_line(error)})") from None


#: What reading a wrongly shaped file raises (a list where an object belongs, a string where a
#: list does, a number too large for a date ...): each becomes an AssemblyError.
_SHAPE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError, OverflowError)


#: The largest file of a cloud assembly read (CloudFormation takes templates up to 1 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: How deep nested stages (``cdk:cloud-assembly`` artifacts) may go.
MAX_NESTED_STAGES = 16


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:200] + "..."


def invalid_window_findings(windows: List[AssemblyWindow]) -> List[Finding]:
    """One error per property SSM would reject, for every window."""
    return [Finding("mw-constructs:InvalidWindow", w.facts, problem, level="error")
            for w in windows for problem in w.problems]


@dataclass(frozen=True)
class AssemblyAssociation:
    """A State Manager association found in a template.

    Attributes:
        stack, logical_id, label: where it came from (label: its construct path, else its
            AssociationName, else stack/logical id).
        schedule: its ``ScheduleExpression`` read in State Manager's grammar (None: none, a
            deploy-time value, or one SSM refuses: see ``problems``).
        runs_at_creation: False with ``ApplyOnlyAtCronInterval``.
        problems: what SSM would refuse in its schedule.
        facts: what it patches (None unless it runs a patching document on readable targets).
        region: the Region, when known.
    """

    stack: str
    logical_id: str
    label: str
    schedule: Optional[AssociationSchedule]
    runs_at_creation: bool
    problems: Tuple[str, ...] = ()
    facts: Optional[PatchingFacts] = None
    region: Optional[str] = None
    name: Optional[str] = None  # its AssociationName, when it is a literal


@dataclass(frozen=True)
class AssemblyPatching:
    """How an assembly patches through both of AWS's models: its associations, what each window
    patches (windows with a patching task on readable targets), and its Quick Setup patch policies."""

    associations: List[AssemblyAssociation]
    windows: List[PatchingFacts]
    policies: List[PolicyFacts]


def read_patching(directory: Path) -> AssemblyPatching:
    """The associations, patching windows and patch policies of every template in ``directory``
    (the same templates and places as :func:`read_windows`, read as untrustingly)."""
    found = AssemblyPatching([], [], [])
    _read_each(directory, lambda source: _patching_of(source, found))
    return found


def _patching_of(source: _Template, found: AssemblyPatching) -> None:
    resources = _resources(source)
    paths = {entry.get("data"): path for path, entries in source.metadata.items() for entry in entries or ()
             if entry.get("type") == "aws:cdk:logicalId"}
    selectors: Dict[str, List[NodeSelector]] = {}
    operations: Dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        properties = resource.get("Properties") or {}
        kind = resource.get("Type")
        window_ref = _ref(properties.get("WindowId"))
        if kind == "AWS::SSM::MaintenanceWindowTarget" and window_ref is not None:
            selector = _selector(properties.get("Targets"))
            if selector is not None:
                selectors.setdefault(window_ref, []).append(selector)
        elif kind == "AWS::SSM::MaintenanceWindowTask" and window_ref is not None:
            run_command = (properties.get("TaskInvocationParameters") or {}).get("MaintenanceWindowRunCommandParameters") or {}
            operation = _patch_operation(properties.get("TaskArn"), run_command.get("Parameters"))
            if operation is not None:
                operations.setdefault(window_ref, set()).add(operation)
    for logical_id, resource in resources.items():
        properties = resource.get("Properties") or {}
        kind = resource.get("Type")
        name = properties.get("Name" if kind == "AWS::SSM::MaintenanceWindow" else "AssociationName")
        label = _label(source.name, logical_id, resource, paths.get(logical_id), name)
        if kind == "AWS::SSM::MaintenanceWindow" and operations.get(logical_id) and selectors.get(logical_id):
            found.windows.extend([PatchingFacts(label, "window", place, tuple(selectors[logical_id]),
                                                frozenset(operations[logical_id]))
                                  for place in source.places])
        elif kind == "AWS::SSM::Association":
            found.associations.extend(_association(source.name, logical_id, label, properties, place)
                                      for place in source.places)
        elif kind == "AWS::SSMQuickSetup::ConfigurationManager":
            for definition in properties.get("ConfigurationDefinitions") or ():
                if isinstance(definition, dict) and definition.get("Type") == "AWSQuickSetupType-PatchPolicy":
                    found.policies.extend(_policy(label, definition.get("Parameters") or {}, place) for place in source.places)


def _label(stack: str, logical_id: str, resource: Dict[str, Any], path: Optional[str], name: Any) -> str:
    path = path or (f"/{resource['Metadata']['aws:cdk:path']}" if "aws:cdk:path" in (resource.get("Metadata") or {}) else None)
    construct = path[: -len("/Resource")] if path and path.endswith("/Resource") else path
    return printable(construct.lstrip("/") if construct else name if isinstance(name, str) else f"{stack}/{logical_id}")


def _selector(targets: Any) -> Optional[NodeSelector]:
    """The nodes a Targets list selects (None for what cannot be read: a token, a wrong shape)."""
    if not isinstance(targets, list) or not targets:
        return None
    pairs = []
    for target in targets:
        if not isinstance(target, dict) or not isinstance(target.get("Key"), str) or \
                not isinstance(target.get("Values"), list) or not all(isinstance(v, str) for v in target["Values"]):
            return None
        if target["Key"] == "InstanceIds" and target["Values"] == ["*"]:
            return ALL_NODES
        pairs.append((target["Key"], target["Values"]))
    return node_selector(pairs)


def _patch_operation(document: Any, parameters: Any) -> Optional[str]:
    operation = parameters.get("Operation") if isinstance(parameters, dict) else None
    operation = operation[0] if isinstance(operation, list) and operation else operation
    patching = isinstance(document, str) and document in PATCHING_DOCUMENTS
    return operation if patching and isinstance(operation, str) and operation in ("Scan", "Install") else None


def _association(stack: str, logical_id: str, label: str, properties: Dict[str, Any], place: Placement) -> AssemblyAssociation:
    expression, offset = properties.get("ScheduleExpression"), properties.get("ScheduleOffset")
    schedule: Optional[AssociationSchedule] = None
    problems: Tuple[str, ...] = ()
    if isinstance(expression, str):
        try:
            schedule = AssociationSchedule.expression(expression, schedule_offset=offset if isinstance(offset, int) else None)
        except ValidationError as error:
            problems = (str(error),)
    at_interval = properties.get("ApplyOnlyAtCronInterval") is True
    if at_interval and schedule is not None and schedule.kind == "rate":
        problems += ("[ApplyOnlyAtCronIntervalWithRate] ApplyOnlyAtCronInterval is not supported for rate expressions",)
    if offset is not None and not at_interval:
        problems += ("[ScheduleOffsetNeedsCronInterval] ScheduleOffset needs ApplyOnlyAtCronInterval: true",)
    operation = _patch_operation(properties.get("Name"), properties.get("Parameters"))
    selector = _selector(properties.get("Targets"))
    facts = PatchingFacts(label, "association", place, (selector,), frozenset({operation})) \
        if operation is not None and selector is not None else None
    name = properties.get("AssociationName")
    return AssemblyAssociation(stack, logical_id, label, schedule, not at_interval, problems, facts, place.region,
                               name if isinstance(name, str) else None)


def _policy(label: str, parameters: Dict[str, Any], place: Placement) -> PolicyFacts:
    def listed(key: str) -> Optional[frozenset[str]]:
        value = parameters.get(key)
        return frozenset(part.strip() for part in value.split(",") if part.strip()) if isinstance(value, str) else None

    accounts = listed("TargetAccounts")
    if accounts is None and parameters.get("TargetAccounts") == {"Ref": "AWS::AccountId"}:
        accounts = frozenset({place.account}) if place.account is not None else None
    units = listed("TargetOrganizationalUnits") or frozenset()
    if units:
        accounts = frozenset()
    return PolicyFacts(label, accounts, units, listed("TargetRegions"))


# ---------------------------------------------------------------------- the assembly


@dataclass(frozen=True)
class _Template:
    """A template and every placement it is deployed to."""

    name: str
    template: Dict[str, Any]
    metadata: Dict[str, List[Dict[str, Any]]]
    places: Tuple[Placement, ...]
    stack_set: bool = False


def _templates(directory: Path) -> Iterator[_Template]:
    """Every stack template (nested stages included), each followed by the StackSet templates
    it deploys."""
    root = directory.resolve()
    if not (directory / "manifest.json").exists() and not any(directory.glob("*.template.json")):
        raise AssemblyError(f"{directory} is not a cloud assembly: it has no manifest.json and no *.template.json "
                            f"(run 'cdk synth', or pass the directory it writes)")
    for stack in _stacks(directory, root, set()):
        yield stack
        yield from _stack_set_templates(directory, root, stack)


def _stacks(directory: Path, root: Path, seen: set[Path]) -> Iterator[_Template]:
    here = directory.resolve()
    if here in seen or len(seen) >= MAX_NESTED_STAGES:
        raise AssemblyError(f"{directory}: nested stages loop or go deeper than {MAX_NESTED_STAGES} levels")
    if here != root and root not in here.parents:
        raise AssemblyError(f"nested stage {directory} is outside the cloud assembly {root}")
    manifest_path = directory / "manifest.json"
    if seen and not manifest_path.exists():
        raise AssemblyError(f"nested stage {directory} has no manifest.json")
    seen = seen | {here}
    if not manifest_path.exists():
        for path in sorted(directory.glob("*.template.json")):
            if not path.name.endswith(".stackset.template.json"):
                yield _Template(path.name[: -len(".template.json")], _object(_load(path, root), path), {}, (Placement(),))
        return
    manifest = _object(_load(manifest_path, root), manifest_path)
    for name, artifact in sorted(_object(manifest.get("artifacts", {}), manifest_path).items()):
        artifact = _object(artifact, manifest_path)
        kind = artifact.get("type")
        properties = _object(artifact.get("properties") or {}, manifest_path)
        expected = {"aws:cloudformation:stack": "templateFile", "cdk:cloud-assembly": "directoryName"}.get(str(kind))
        if expected is not None and not isinstance(properties.get(expected), str):
            raise AssemblyError(f"{manifest_path}: artifact {name!r} ({kind}) needs properties.{expected}, a file name; "
                                f"found {properties.get(expected)!r:.60}")
        if kind == "aws:cloudformation:stack":
            metadata = dict(_object(artifact.get("metadata") or {}, manifest_path))
            if artifact.get("additionalMetadataFile"):
                extra = directory / str(artifact["additionalMetadataFile"])
                if extra.exists():
                    metadata.update(_object(_load(extra, root), extra))
            template_path = directory / str(properties["templateFile"])
            yield _Template(str(artifact.get("displayName", name)), _object(_load(template_path, root), template_path),
                            metadata, (_placement(artifact.get("environment")),))
        elif kind == "cdk:cloud-assembly":  # a nested stage
            yield from _stacks(directory / str(properties["directoryName"]), root, seen)


def _placement(text: Any) -> Placement:
    """The placement of a stack whose environment is ``aws://account/region`` (unknown parts None)."""
    match = re.fullmatch(r"aws://([^/]*)/([^/]*)", text) if isinstance(text, str) else None
    if match is None:
        return Placement()
    account, region = match.groups()
    return Placement(account=None if account.startswith("unknown-") else account,
                     region=None if region.startswith("unknown-") else region)


def _stack_set_templates(directory: Path, root: Path, stack: _Template) -> Iterator[_Template]:
    """The templates of the stack's ``AWS::CloudFormation::StackSet`` resources that are files of
    this assembly (cdk-stacksets publishes them as file assets named by their hash)."""
    files = {path.name: path for path in directory.glob("*.json")}
    assets: Dict[str, str] = {}
    for manifest in directory.glob("*.assets.json"):
        for asset_hash, asset in _object(_object(_load(manifest, root), manifest).get("files") or {}, manifest).items():
            source = _object(_object(asset, manifest).get("source") or {}, manifest).get("path")
            if isinstance(source, str):
                assets[asset_hash] = source
    for logical_id, resource in (stack.template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::CloudFormation::StackSet":
            continue
        properties = resource.get("Properties") or {}
        url = properties.get("TemplateURL")
        url = url.get("Fn::Sub") if isinstance(url, dict) else url
        match = re.search(r"/([0-9a-f]{64})\.json$", url) if isinstance(url, str) else None
        source = assets.get(match.group(1)) if match else None
        if source is None or source not in files:
            continue
        places = []
        for group in properties.get("StackInstancesGroup") or ():
            targets = group.get("DeploymentTargets") or {}
            units, accounts = tuple(targets.get("OrganizationalUnitIds") or ()), tuple(targets.get("Accounts") or ())
            places += [Placement(region=region, organizational_units=units, accounts=() if units else accounts)
                       for region in group.get("Regions") or () if isinstance(region, str)]
        name = properties.get("StackSetName")
        yield _Template(f"{stack.name}/{name if isinstance(name, str) else logical_id}",
                        _object(_load(files[source], root), files[source]), {}, tuple(places) or (Placement(),),
                        stack_set=True)


def _load(path: Path, root: Path) -> Any:
    """A JSON file of the assembly: a regular file inside it, at most MAX_FILE_BYTES."""
    try:
        resolved = path.resolve()
        if resolved != root and root not in resolved.parents:
            raise AssemblyError(f"{path} is outside the cloud assembly {root}")
        info = resolved.stat()
        if not stat.S_ISREG(info.st_mode):
            raise AssemblyError(f"{path} is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise AssemblyError(f"{path} is {info.st_size:,} bytes: more than any cloud assembly file "
                                f"({MAX_FILE_BYTES:,} at most)")
        with open(resolved, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise AssemblyError(f"{path} is larger than {MAX_FILE_BYTES:,} bytes")
        return load_json(data.decode("utf-8"))
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise AssemblyError(f"cannot read {path}: {_one_line(error)}") from None


def _object(value: Any, path: Path) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise AssemblyError(f"{path}: expected a JSON object, found {type(value).__name__}")
    return value


def _windows_of(source: _Template) -> List[AssemblyWindow]:
    stack, template, metadata = source.name, source.template, source.metadata
    resources = _resources(source)
    paths = {entry.get("data"): path for path, entries in metadata.items() for entry in entries or ()
             if entry.get("type") == "aws:cdk:logicalId"}
    groups: Dict[str, set[str]] = {}
    timeouts: Dict[str, List[Tuple[str, int]]] = {}
    scans: Dict[str, List[bool]] = {}  # per window, whether each task only scans
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {}) or {}
        window_ref = _ref(properties.get("WindowId"))
        if window_ref is None:
            continue
        if resource.get("Type") == "AWS::SSM::MaintenanceWindowTarget":
            for target in properties.get("Targets", []) or []:
                if target.get("Key") in _PATCH_GROUP_KEYS:
                    groups.setdefault(window_ref, set()).update(v for v in target.get("Values", []) if isinstance(v, str))
        elif resource.get("Type") == "AWS::SSM::MaintenanceWindowTask":
            run_command = ((properties.get("TaskInvocationParameters") or {}).get("MaintenanceWindowRunCommandParameters") or {})
            scans.setdefault(window_ref, []).append(only_scans(properties.get("TaskArn"), run_command.get("Parameters") or {}))
            seconds = run_command.get("TimeoutSeconds")
            if isinstance(seconds, int):
                timeouts.setdefault(window_ref, []).append((logical_id, seconds))
    windows: List[AssemblyWindow] = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::SSM::MaintenanceWindow":
            continue
        window = _window(stack, logical_id, resource, paths.get(logical_id), metadata,
                         frozenset(groups.get(logical_id, ())), tuple(timeouts.get(logical_id, ())),
                         bool(scans.get(logical_id)) and all(scans[logical_id]))
        windows += _placed(window, resource, template, source)
    return windows


def _resources(source: _Template) -> Dict[str, Dict[str, Any]]:
    """The template's resources, each an object whose Properties (if any) are an object, as
    CloudFormation requires."""
    resources = source.template.get("Resources", {})
    if not isinstance(resources, dict):
        raise AssemblyError(f"the template of {source.name}: Resources is a {type(resources).__name__}, not an object")
    for logical_id, resource in resources.items():
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(resource, dict) or not isinstance(properties, (dict, type(None))):
            raise AssemblyError(f"the template of {source.name}: resource {printable(str(logical_id))!r:.80} "
                                f"{'is not an object' if not isinstance(resource, dict) else 'has Properties that are not an object'}")
    return resources


def _placed(window: AssemblyWindow, resource: Dict[str, Any], template: Dict[str, Any],
            source: _Template) -> List[AssemblyWindow]:
    """``window`` once per place it is deployed to; a follow-the-sun window read in each
    Region's zone (where the Region is left to deploy time: every Region of its mapping)."""
    properties = resource.get("Properties", {}) or {}
    zones = _zones_by_region(properties.get("ScheduleTimezone"), template)
    several = len(source.places) > 1 or zones is not None
    placed = []
    for placement in source.places:
        for copy in placement.follow_the_sun(zones) if zones is not None else [placement]:
            each = copy.region
            facts = window.facts
            problems, unresolved = window.problems, window.unresolved
            if zones is not None:
                if each not in zones:
                    problems = problems + (f"ScheduleTimezone: no time zone for Region {each} in the template's "
                                           f"mapping, so the window cannot be created there",)
                    facts = replace(facts, schedule=None)
                else:
                    schedule, duration, cutoff, problems, unresolved = read_schedule({**properties,
                                                                                     "ScheduleTimezone": zones[each]})
                    facts = replace(facts, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff)
            label = f"{window.label} [{each}]" if several and each else window.label
            placed.append(replace(window, label=label, problems=problems, unresolved=unresolved, region=each,
                                  facts=replace(facts, name=label, region=each, follow_the_sun=zones is not None,
                                                environment=copy)))
    return placed


def _zones_by_region(value: Any, template: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """{Region: zone} when ``value`` is ``Fn::FindInMap [map, Ref AWS::Region, key]`` of a
    mapping of ``template`` (as ``RegionalTimeZones`` writes it), else None."""
    lookup = value.get("Fn::FindInMap") if isinstance(value, dict) and len(value) == 1 else None
    if not (isinstance(lookup, list) and len(lookup) == 3 and lookup[1] == {"Ref": "AWS::Region"}):
        return None
    mapping = (template.get("Mappings") or {}).get(lookup[0])
    if not isinstance(mapping, dict):
        return None
    return {region: entry.get(lookup[2]) for region, entry in mapping.items() if isinstance(entry, dict)}


def _window(stack: str, logical_id: str, resource: Dict[str, Any], resource_path: Optional[str],
            metadata: Dict[str, List[Dict[str, Any]]], groups: FrozenSet[str],
            timeouts: Tuple[Tuple[str, int], ...], scan_only: bool = False) -> AssemblyWindow:
    properties = resource.get("Properties", {}) or {}
    template_metadata = resource.get("Metadata", {}) or {}
    resource_path = resource_path or (f"/{template_metadata['aws:cdk:path']}" if "aws:cdk:path" in template_metadata else None)
    construct_path = resource_path[: -len("/Resource")] if resource_path and resource_path.endswith("/Resource") else resource_path
    name = properties.get("Name")
    label = printable(construct_path.lstrip("/") if construct_path else name if isinstance(name, str)
                      else f"{stack}/{logical_id}")
    tier = template_metadata.get(TIER_METADATA) or _guess_tier(" ".join(str(x) for x in (construct_path, name, logical_id) if x))
    acknowledged = frozenset(
        warning_id for entry in metadata.get(construct_path or "", ()) if entry.get("type") == ACKNOWLEDGED_METADATA
        for warning_id in (entry.get("data") or ())
    )
    schedule, duration, cutoff, problems, unresolved = read_schedule(properties)
    problems += _text_problems(properties)
    facts = WindowFacts(name=label, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff, tier=tier,
                        patch_groups=groups, task_timeouts=timeouts, scan_only=scan_only)
    return AssemblyWindow(facts, stack, logical_id, label, problems, unresolved, acknowledged,
                          name if isinstance(name, str) else None)


def _text_problems(properties: Dict[str, Any]) -> Tuple[str, ...]:
    """What SSM would reject in a window's Name and Description (literals only)."""
    problems = []
    checks: Tuple[Tuple[str, Callable[[Any], None]], ...] = (
        ("Name", lambda value: check_name("Name", value)),
        ("Description", lambda value: check_text("Description", value, 1, 128, "InvalidDescription")))
    for key, check in checks:
        value = properties.get(key)
        if value is None or isinstance(value, (dict, list)):  # absent, or a deploy-time value
            continue
        try:
            check(value)
        except ValidationError as error:
            problems.append(str(error))
    return tuple(problems)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal or draw: control and format characters (escape
    sequences, bidi overrides, lone surrogates) shown as ``\\xNN``/``\\uNNNN`` escapes."""
    return "".join(character if unicodedata.category(character) not in ("Cc", "Cf", "Cs", "Co", "Cn")
                   else character.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for character in text)


def deployed_window(identity: Dict[str, Any]) -> AssemblyWindow:
    """A window as ``DescribeMaintenanceWindows`` returns it (the API's member names are the
    template's property names), read like a template's window."""
    schedule, duration, cutoff, problems, unresolved = read_schedule(identity)
    name, window_id = identity.get("Name"), str(identity.get("WindowId"))
    label = printable(str(name or window_id))
    facts = WindowFacts(name=label, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff)
    return AssemblyWindow(facts, "(deployed)", window_id, label, problems, unresolved,
                          name=name if isinstance(name, str) else None)


def read_schedule(properties: Dict[str, Any]) -> Tuple[Optional[WindowSchedule], int, int, Tuple[str, ...], Tuple[str, ...]]:
    """The window's schedule, duration and cutoff, every problem SSM would reject, and the
    properties that are deploy-time values (each property is checked on its own)."""
    values = {key: properties.get(key) for key in ("Schedule", "ScheduleTimezone", "ScheduleOffset", "StartDate",
                                                   "EndDate", "Duration", "Cutoff")}
    unresolved = tuple(key for key, value in values.items() if isinstance(value, (dict, list)))
    problems: List[str] = []

    def check(key: str, run: Any) -> Any:
        if key in unresolved:
            return None
        try:
            return run()
        except ValidationError as error:
            problems.append(str(error))
            return None

    duration, cutoff = values["Duration"], values["Cutoff"]

    def in_range(key: str, value: Any, hours: Tuple[int, int], code: str) -> bool:
        check_int_range(key, value, *hours, code=code, unit="hour")
        return True

    duration_ok = check("Duration", lambda: in_range("Duration", duration, DURATION_HOURS, "DurationRange"))
    cutoff_ok = check("Cutoff", lambda: in_range("Cutoff", cutoff, CUTOFF_HOURS, "CutoffRange"))
    if duration_ok and cutoff_ok:  # both whole numbers in range: the rule between them
        check("Cutoff", lambda: check_window_hours(duration, cutoff, duration_argument="Duration", cutoff_argument="Cutoff"))
    check("Schedule", lambda: WindowSchedule.expression(values["Schedule"]) if values["Schedule"] is not None
          else _missing())
    check("ScheduleTimezone", lambda: zone_name(values["ScheduleTimezone"]))
    kind = "cron" if isinstance(values["Schedule"], str) and values["Schedule"].startswith("cron(") else "rate or at"
    check("ScheduleOffset", lambda: check_schedule_offset(values["ScheduleOffset"], kind, str(values["Schedule"])))
    start = check("StartDate", lambda: _date("StartDate", values["StartDate"]))
    end = check("EndDate", lambda: _date("EndDate", values["EndDate"]))
    if problems or unresolved:
        return None, 1, 0, tuple(problems), unresolved
    try:
        schedule = WindowSchedule.expression(str(values["Schedule"]), time_zone=values["ScheduleTimezone"],
                                             schedule_offset=values["ScheduleOffset"], start_date=start, end_date=end)
    except ValidationError as error:  # a rule between properties (an end date before the start date, ...)
        return None, 1, 0, (str(error),), ()
    assert isinstance(duration, int) and isinstance(cutoff, int)  # checked above
    return schedule, duration, cutoff, (), ()


def _missing() -> None:
    raise ValidationError("ScheduleSyntax", "Schedule is missing: a window needs a cron(...), rate(...) or at(...) schedule.")


def _date(key: str, value: Any) -> Optional[datetime]:
    if value is None:
        return None
    try:
        text = value[:-1] + "+00:00" if isinstance(value, str) and value.endswith("Z") else value
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationError("NaiveDate", f"{key} {value!r} is not an ISO-8601 date and time with an offset.") from None
    if parsed.tzinfo is None:
        raise ValidationError("NaiveDate", f"{key} {value!r} has no UTC offset.")
    return parsed


def _ref(value: Any) -> Optional[str]:
    return value.get("Ref") if isinstance(value, dict) and isinstance(value.get("Ref"), str) else None


def _guess_tier(text: str) -> Optional[str]:
    words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", text)}
    if words & _NON_PRODUCTION_WORDS:
        return NON_PRODUCTION_TIER
    if words & _PRODUCTION_WORDS:
        return PRODUCTION_TIER
    return None
