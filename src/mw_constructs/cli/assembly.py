"""Read maintenance windows back out of a synthesized cloud assembly (``cdk.out``).

Pure Python, no jsii: the CLI uses this to preview, draw and check what an app will
deploy, including windows written with raw ``CfnMaintenanceWindow`` classes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Tuple

from .._durations import CUTOFF_HOURS, DURATION_HOURS, check_window_hours
from .._validate import check_int_range
from ..checks import ACKNOWLEDGED_METADATA, TIER_METADATA, Finding, WindowFacts
from ..errors import ValidationError
from ..presets import NON_PRODUCTION_TIER, PRODUCTION_TIER
from ..schedule import WindowSchedule, _check_offset, _zone_name

__all__ = ["AssemblyError", "AssemblyWindow", "deployed_window", "read_windows", "invalid_window_findings"]

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

    @property
    def problem(self) -> Optional[str]:
        """Why the schedule cannot be drawn, if it cannot."""
        if self.unresolved:
            return f"unresolved: {', '.join(self.unresolved)} depend(s) on deploy-time values"
        return "; ".join(self.problems) or None


def read_windows(directory: Path) -> List[AssemblyWindow]:
    """Every ``AWS::SSM::MaintenanceWindow`` of every stack template in ``directory``."""
    if not directory.is_dir():
        raise AssemblyError(f"no cloud assembly at {directory}: run 'cdk synth' first, or pass its directory")
    windows: List[AssemblyWindow] = []
    for stack, template, metadata in _stacks(directory):
        windows += _windows_of(stack, template, metadata)
    return windows


def invalid_window_findings(windows: List[AssemblyWindow]) -> List[Finding]:
    """One error per property SSM would reject, for every window."""
    return [Finding("mw-constructs:InvalidWindow", w.facts, problem, level="error")
            for w in windows for problem in w.problems]


# ---------------------------------------------------------------------- the assembly


def _stacks(directory: Path) -> Iterator[Tuple[str, Dict[str, Any], Dict[str, List[Dict[str, Any]]]]]:
    """(display name, template, construct metadata by path) of every stack, nested stages included."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        for path in sorted(directory.glob("*.template.json")):
            yield path.name[: -len(".template.json")], _load(path), {}
        return
    manifest = _load(manifest_path)
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        kind = artifact.get("type")
        properties = artifact.get("properties", {})
        if kind == "aws:cloudformation:stack" and "templateFile" in properties:
            metadata = dict(artifact.get("metadata") or {})
            if artifact.get("additionalMetadataFile"):
                extra = directory / artifact["additionalMetadataFile"]
                if extra.exists():
                    metadata.update(_load(extra))
            yield artifact.get("displayName", name), _load(directory / properties["templateFile"]), metadata
        elif kind == "cdk:cloud-assembly" and "directoryName" in properties:  # a nested stage
            yield from _stacks(directory / properties["directoryName"])


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise AssemblyError(f"cannot read {path}: {error}") from error


def _windows_of(stack: str, template: Dict[str, Any], metadata: Dict[str, List[Dict[str, Any]]]) -> List[AssemblyWindow]:
    resources = template.get("Resources", {}) or {}
    paths = {entry.get("data"): path for path, entries in metadata.items() for entry in entries or ()
             if entry.get("type") == "aws:cdk:logicalId"}
    groups: Dict[str, set[str]] = {}
    timeouts: Dict[str, List[Tuple[str, int]]] = {}
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
            seconds = run_command.get("TimeoutSeconds")
            if isinstance(seconds, int):
                timeouts.setdefault(window_ref, []).append((logical_id, seconds))
    return [
        _window(stack, logical_id, resource, paths.get(logical_id), metadata,
                frozenset(groups.get(logical_id, ())), tuple(timeouts.get(logical_id, ())))
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::SSM::MaintenanceWindow"
    ]


def _window(stack: str, logical_id: str, resource: Dict[str, Any], resource_path: Optional[str],
            metadata: Dict[str, List[Dict[str, Any]]], groups: FrozenSet[str],
            timeouts: Tuple[Tuple[str, int], ...]) -> AssemblyWindow:
    properties = resource.get("Properties", {}) or {}
    template_metadata = resource.get("Metadata", {}) or {}
    resource_path = resource_path or (f"/{template_metadata['aws:cdk:path']}" if "aws:cdk:path" in template_metadata else None)
    construct_path = resource_path[: -len("/Resource")] if resource_path and resource_path.endswith("/Resource") else resource_path
    name = properties.get("Name")
    label = construct_path.lstrip("/") if construct_path else name if isinstance(name, str) else f"{stack}/{logical_id}"
    tier = template_metadata.get(TIER_METADATA) or _guess_tier(" ".join(str(x) for x in (construct_path, name, logical_id) if x))
    acknowledged = frozenset(
        warning_id for entry in metadata.get(construct_path or "", ()) if entry.get("type") == ACKNOWLEDGED_METADATA
        for warning_id in (entry.get("data") or ())
    )
    schedule, duration, cutoff, problems, unresolved = _schedule_of(properties)
    facts = WindowFacts(name=label, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff, tier=tier,
                        patch_groups=groups, task_timeouts=timeouts)
    return AssemblyWindow(facts, stack, logical_id, label, problems, unresolved, acknowledged,
                          name if isinstance(name, str) else None)


def deployed_window(identity: Dict[str, Any]) -> AssemblyWindow:
    """A window as ``DescribeMaintenanceWindows`` returns it (the API's member names are the
    template's property names), read like a template's window."""
    schedule, duration, cutoff, problems, unresolved = _schedule_of(identity)
    name, window_id = identity.get("Name"), str(identity.get("WindowId"))
    facts = WindowFacts(name=name or window_id, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff)
    return AssemblyWindow(facts, "(deployed)", window_id, str(name or window_id), problems, unresolved,
                          name=name if isinstance(name, str) else None)


def _schedule_of(properties: Dict[str, Any]) -> Tuple[Optional[WindowSchedule], int, int, Tuple[str, ...], Tuple[str, ...]]:
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
    check("ScheduleTimezone", lambda: _zone_name(values["ScheduleTimezone"]))
    kind = "cron" if isinstance(values["Schedule"], str) and values["Schedule"].startswith("cron(") else "rate or at"
    check("ScheduleOffset", lambda: _check_offset(values["ScheduleOffset"], kind, str(values["Schedule"])))
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
