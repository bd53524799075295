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
from typing import Any, Dict, Iterator, List, Optional, Tuple

from ._analysis import INVALID_WINDOW, Finding, WindowFacts
from .errors import ValidationError
from .schedule import WindowSchedule

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
    label: str
    problem: Optional[str] = None  # why the schedule could not be used, if it could not


def read_windows(directory: Path) -> List[AssemblyWindow]:
    """Every ``AWS::SSM::MaintenanceWindow`` of every stack template in ``directory``."""
    if not directory.is_dir():
        raise AssemblyError(f"no cloud assembly at {directory}: run 'cdk synth' first, or pass its directory")
    windows: List[AssemblyWindow] = []
    for stack, template in _templates(directory):
        windows += _windows_of(stack, template)
    return windows


def invalid_window_findings(windows: List[AssemblyWindow]) -> List[Finding]:
    """Errors for windows whose properties SSM would reject."""
    return [Finding(INVALID_WINDOW, w.facts, w.problem, level="error") for w in windows if w.problem and not w.problem.startswith("unresolved")]


# ---------------------------------------------------------------------- templates


def _templates(directory: Path) -> Iterator[Tuple[str, Dict[str, Any]]]:
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        for path in sorted(directory.glob("*.template.json")):
            yield path.name[: -len(".template.json")], _load(path)
        return
    manifest = _load(manifest_path)
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        kind = artifact.get("type")
        properties = artifact.get("properties", {})
        if kind == "aws:cloudformation:stack" and "templateFile" in properties:
            yield artifact.get("displayName", name), _load(directory / properties["templateFile"])
        elif kind == "cdk:cloud-assembly" and "directoryName" in properties:  # a nested stage
            yield from _templates(directory / properties["directoryName"])


def _load(path: Path) -> Dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise AssemblyError(f"cannot read {path}: {error}") from error


def _windows_of(stack: str, template: Dict[str, Any]) -> List[AssemblyWindow]:
    resources = template.get("Resources", {}) or {}
    groups: Dict[str, set] = {}
    timeouts: Dict[str, list] = {}
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
        _window(stack, logical_id, resource, frozenset(groups.get(logical_id, ())), tuple(timeouts.get(logical_id, ())))
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::SSM::MaintenanceWindow"
    ]


def _window(stack: str, logical_id: str, resource: Dict[str, Any], groups: frozenset, timeouts: tuple) -> AssemblyWindow:
    properties = resource.get("Properties", {}) or {}
    metadata = resource.get("Metadata", {}) or {}
    name = properties.get("Name")
    path = metadata.get("aws:cdk:path")
    label = name if isinstance(name, str) else f"{stack}/{logical_id}"
    tier = metadata.get("mw-constructs:tier") or _guess_tier(" ".join(str(x) for x in (path, name, logical_id) if x))
    schedule, duration, cutoff, problem = _schedule_of(properties)
    facts = WindowFacts(name=label, schedule=schedule, duration_hours=duration, cutoff_hours=cutoff, tier=tier,
                        patch_groups=groups, task_timeouts=timeouts)
    return AssemblyWindow(facts, stack, logical_id, label, problem)


def _schedule_of(properties: Dict[str, Any]) -> Tuple[Optional[WindowSchedule], int, int, Optional[str]]:
    values = {key: properties.get(key) for key in ("Schedule", "ScheduleTimezone", "ScheduleOffset", "StartDate",
                                                   "EndDate", "Duration", "Cutoff")}
    unresolved = [key for key, value in values.items() if isinstance(value, (dict, list))]
    if unresolved:
        return None, 1, 0, f"unresolved: {', '.join(unresolved)} depend(s) on deploy-time values"
    duration, cutoff = values["Duration"], values["Cutoff"]
    try:
        if not isinstance(duration, int) or not 1 <= duration <= 24:
            raise ValidationError("DurationRange", f"Duration must be 1 to 24 hours: got {duration!r}.")
        if not isinstance(cutoff, int) or not 0 <= cutoff < duration:
            raise ValidationError("CutoffNotBelowDuration", f"Cutoff must be 0 to Duration - 1 hours: got {cutoff!r} (Duration {duration!r}).")
        schedule = WindowSchedule.expression(
            values["Schedule"], time_zone=values["ScheduleTimezone"], schedule_offset=values["ScheduleOffset"],
            start_date=_date("StartDate", values["StartDate"]), end_date=_date("EndDate", values["EndDate"]),
        )
    except ValidationError as error:
        return None, 1, 0, str(error)
    return schedule, duration, cutoff, None


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
        return "non-production"
    if words & _PRODUCTION_WORDS:
        return "production"
    return None
