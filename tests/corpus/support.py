"""The corpus harness: read a public configuration, rebuild it with mw-constructs, compare the
SSM resources property by property, and check what the library refuses.

An entry is a folder of ``tests/corpus/`` with ``ORIGIN.md`` (where the configuration comes
from, at which commit, under which licence), the original file(s) and ``entry.py``, which
declares:

* ``SOURCE``: the original file and its kind, ``"cloudformation"`` (a template, JSON or YAML),
  ``"cli"`` (AWS CLI commands in a document: ``aws ssm <command> --options``),
  ``"baseline-output"`` (a ``get-patch-baseline`` output, fed back to CreatePatchBaseline without
  its read-only members) or ``"resolved"``
  (a Terraform module's resources with its inputs applied, written out as CloudFormation
  properties by hand in ``resolved.json``: there is no Terraform here to evaluate the module;
  the module's own files sit beside it and a test checks every SSM resource of them is there);
* ``build(stack)``: the rebuild, returning ``{original id: construct}``;
* optional ``PARAMETERS`` (values for a template's parameters), ``PLACEHOLDERS`` (documentation
  placeholders such as ``mw-0c50858d01EXAMPLE``, each replaced by a well-formed value of its kind
  in the original and the rebuild alike), ``NOT_REBUILT`` (original resources left out, each
  with the reason), ``PARTLY`` (each difference between the original and the rebuild that stays,
  with the reason), ``ESCAPES`` (what the rebuild writes through a construct's L1 escape hatch,
  ``node.default_child.add_property_override``, because no argument says it, with the reason),
  ``REFUSED`` (what the library refuses, with the proof).

The comparison normalises only this (README of this folder, "Normalisations"): scalars compare
as text (``4`` and ``"4"``; ``true`` and ``"true"``); tags compare in key order; a reference to another resource of the
original (``Ref``, ``Fn::GetAtt``, a CLI or Terraform ID) compares equal to the rebuild's
reference to the construct built for it; parameters and ``Fn::Sub`` resolve with ``PARAMETERS``;
``DependsOn`` and properties of resource types other than the four SSM ones are not compared.
Every other difference fails the test unless ``PARTLY`` names it (a difference ``PARTLY`` names
that no longer occurs fails too).
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple

CORPUS = Path(__file__).resolve().parent
SSM_TYPES = ("AWS::SSM::MaintenanceWindow", "AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask",
             "AWS::SSM::PatchBaseline")
#: A stand-in for what only exists once deployed, in the original and the rebuild alike.
REFERENCE = "<reference to {}>"


@dataclass(frozen=True)
class Refusal:
    """Something of the original the library refuses: ``build`` must raise ``code``, and either
    ``request`` (an SSM API call) must break the botocore model, or ``fails`` says why the run
    certainly fails (then the code's strictness class must say so too)."""

    what: str
    build: Callable[[Any], Any]
    code: str
    request: Optional[Tuple[str, Dict[str, Any]]] = None
    fails: str = ""


@dataclass
class Entry:
    name: str
    folder: Path
    module: Any
    resources: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # original id -> {"Type", "Properties"}

    @property
    def partly(self) -> Dict[str, str]:
        return dict(getattr(self.module, "PARTLY", {}))

    @property
    def escapes(self) -> Dict[str, str]:
        return dict(getattr(self.module, "ESCAPES", {}))

    @property
    def refused(self) -> List[Refusal]:
        return list(getattr(self.module, "REFUSED", []))

    @property
    def not_rebuilt(self) -> Dict[str, str]:
        return dict(getattr(self.module, "NOT_REBUILT", {}))


def entries() -> List[Entry]:
    found = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "entry.py").is_file()):
        module = importlib.import_module(f"tests.corpus.{folder.name}.entry")
        entry = Entry(folder.name, folder, module)
        entry.resources = original_resources(entry)
        found.append(entry)
    return found


# ---------------------------------------------------------------------- reading originals


def original_resources(entry: Entry) -> Dict[str, Dict[str, Any]]:
    """The original's SSM resources as CloudFormation ``{"Type", "Properties"}``, by id."""
    path, kind = entry.module.SOURCE
    text = (entry.folder / path).read_text()
    for placeholder, value in getattr(entry.module, "PLACEHOLDERS", {}).items():
        text = text.replace(placeholder, value)
    if kind == "cloudformation":
        resources = _template(text, path)["Resources"]
    elif kind == "cli":
        resources = dict(cli_resources(text))
    elif kind == "baseline-output":  # a GetPatchBaseline response, fed back to CreatePatchBaseline
        output = json.loads(re.search(r"Output::\s*\n\n(.*?)\n\n(?=\S)", text, re.S).group(1))
        read_only = ("BaselineId", "CreatedDate", "ModifiedDate")
        resources = {"baseline": {"Type": "AWS::SSM::PatchBaseline",
                                  "Properties": {key: value for key, value in output.items() if key not in read_only}}}
    elif kind == "resolved":
        resources = json.loads(text)["Resources"]
    else:
        raise AssertionError(f"{entry.name}: unknown source kind {kind!r}")
    parameters = getattr(entry.module, "PARAMETERS", {})
    return {key: {"Type": value["Type"], "Properties": _substitute(value.get("Properties", {}), parameters)}
            for key, value in resources.items() if value.get("Type") in SSM_TYPES}


def _template(text: str, path: str) -> Dict[str, Any]:
    if path.endswith(".json"):
        return json.loads(text)
    from cfnlint.decode.cfn_yaml import loads  # reads !Ref, !Sub, ... as their long forms

    return json.loads(json.dumps(loads(text)))  # plain dicts, lists and strings


def _substitute(value: Any, parameters: Mapping[str, Any]) -> Any:
    """Template parameters and ``Fn::Sub`` of them, resolved with ``parameters``."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return parameters[value["Ref"]]
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            text = re.sub(r"\$\{([^}!]+)\}", lambda m: str(parameters.get(m.group(1), m.group(0))), value["Fn::Sub"])
            return text if "${" not in text else {"Fn::Sub": text}
        return {key: _substitute(item, parameters) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, parameters) for item in value]
    return value


# --- AWS CLI commands

#: CLI option -> API member for the options the corpus uses; every other --kebab-case option
#: maps to its PascalCase form.
_API_NAMES = {"target": "Targets", "targets": "Targets"}
#: API request -> CloudFormation resource, for the calls the corpus makes.
_CLI_RESOURCE = {"create-maintenance-window": "AWS::SSM::MaintenanceWindow",
                 "register-target-with-maintenance-window": "AWS::SSM::MaintenanceWindowTarget",
                 "register-task-with-maintenance-window": "AWS::SSM::MaintenanceWindowTask",
                 "create-patch-baseline": "AWS::SSM::PatchBaseline"}
_INVOCATION_NAMES = {"RunCommand": "MaintenanceWindowRunCommandParameters",
                     "Automation": "MaintenanceWindowAutomationParameters",
                     "Lambda": "MaintenanceWindowLambdaParameters",
                     "StepFunctions": "MaintenanceWindowStepFunctionsParameters"}
_LIST_OPTIONS = ("approved-patches", "rejected-patches")


def cli_commands(text: str) -> Iterator[Tuple[str, List[str]]]:
    """Each ``aws ssm <command> ...`` of a document (continued lines joined), tokenised; a
    ``--cli-input-json file://X`` is read from the "Contents of ``X``" block that follows."""
    joined = re.sub(r"\\[ \t]*\n\s*", " ", text)
    for match in re.finditer(r"^\s*aws ssm ([a-z-]+) (.*)$", joined, re.M):
        # as a POSIX shell reads it; shlex keeps the backslash of "\$" in double quotes, a shell drops it
        tokens = shlex.split(match.group(2).replace("\\$", "$"))
        if "--cli-input-json" in tokens:
            name = tokens[tokens.index("--cli-input-json") + 1].removeprefix("file://")
            block = re.search(rf"Contents of ``{re.escape(name)}``::\s*\n\n(.*?)\n\n(?=\S)", joined[match.end():], re.S)
            assert block, f"no contents for {name}"
            tokens = ["--cli-input-json", block.group(1)]
        yield match.group(1), tokens


def cli_resources(text: str) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """The CloudFormation resources the document's commands create, as ``cli<n>`` ids."""
    for index, (command, tokens) in enumerate(cli_commands(text), start=1):
        if command not in _CLI_RESOURCE:
            continue
        operation = "".join(part.capitalize() for part in command.split("-"))
        request = coerce(_input_shape(operation), cli_request(tokens))
        yield f"cli{index}", {"Type": _CLI_RESOURCE[command], "Properties": cfn_properties(command, request)}


def _input_shape(operation: str) -> Any:
    from tests.support.api_model import service_model

    return service_model().operation_model(operation).input_shape


def coerce(shape: Any, value: Any) -> Any:
    """Shorthand text as the model's types, as the CLI reads it: one value of a list member is a
    one-item list, numbers and booleans of such members are numbers and booleans."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {key: coerce(shape.members[key], item) if key in shape.members else item for key, item in value.items()}
    if kind == "map" and isinstance(value, dict):
        return {key: coerce(shape.value, item) for key, item in value.items()}
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(shape.member, item) for item in items]
    if kind in ("integer", "long") and isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def cli_request(tokens: List[str]) -> Dict[str, Any]:
    """API members from CLI options: JSON values, shorthand syntax, flags."""
    request: Dict[str, Any] = {}
    index = 0
    while index < len(tokens):
        option = tokens[index].removeprefix("--")
        values = []
        index += 1
        while index < len(tokens) and not tokens[index].startswith("--"):
            values.append(tokens[index])
            index += 1
        if option == "cli-input-json":
            request.update(json.loads(values[0]))
            continue
        if option in ("cli-binary-format",):
            continue
        negated = option.startswith("no-")
        name = _API_NAMES.get(option) or "".join(part.capitalize() for part in option.removeprefix("no-").split("-"))
        if not values:
            request[name] = not negated
        elif option in _LIST_OPTIONS:
            request[name] = values[0].split(",")
        elif name in ("Targets", "Tags"):
            request[name] = [shorthand(value) for value in values]
        else:
            request[name] = _value(values[0])
    return request


def _value(text: str) -> Any:
    if text[:1] in "{[":
        return json.loads(text)
    if "=" in text and re.match(r"^[A-Z][A-Za-z]*=", text):
        return shorthand(text)
    return text


def shorthand(text: str) -> Any:
    """The AWS CLI's shorthand syntax (``Key=a,Values=b,c``; nested ``{}`` and ``[]``)."""
    value, rest = _shorthand_map(text, 0)
    assert rest == len(text), f"trailing text in {text!r}"
    return value


def _shorthand_map(text: str, at: int) -> Tuple[Dict[str, Any], int]:
    result: Dict[str, Any] = {}
    while at < len(text) and text[at] != "}":
        key_end = text.index("=", at)
        key = text[at:key_end]
        at = key_end + 1
        if text[at] == "[":
            value, at = _shorthand_list(text, at + 1)
        elif text[at] == "{":
            value, at = _shorthand_map(text, at + 1)
            at += 1  # }
        else:
            # a scalar runs to the next ",Key=" (so "Values=a,b,c" is a list) or the end
            end = at
            scalars = []
            while True:
                next_comma = _next_comma(text, end)
                scalars.append(text[end:next_comma])
                if next_comma >= len(text) or text[next_comma] != "," or re.match(r"[A-Za-z]+=", text[next_comma + 1:]):
                    at = next_comma
                    break
                end = next_comma + 1
            value = scalars if len(scalars) > 1 else scalars[0]
        result[key] = value
        if at < len(text) and text[at] == ",":
            at += 1
    return result, at


def _shorthand_list(text: str, at: int) -> Tuple[List[Any], int]:
    items: List[Any] = []
    while text[at] != "]":
        if text[at] == "{":
            value, at = _shorthand_map(text, at + 1)
            at += 1
            items.append(value)
        else:
            end = min(i for i in (text.find(",", at), text.find("]", at)) if i >= 0)
            items.append(text[at:end])
            at = end
        if text[at] == ",":
            at += 1
    return items, at + 1


def _next_comma(text: str, at: int) -> int:
    for index in range(at, len(text)):
        if text[index] in ",}]":
            return index
    return len(text)


def cfn_properties(command: str, request: Dict[str, Any]) -> Dict[str, Any]:
    """API request members as the CloudFormation resource's properties (same names; the task's
    invocation parameters under their CloudFormation names, a Lambda payload base64-encoded as
    CloudFormation takes it)."""
    properties = {key: value for key, value in request.items() if key != "ClientToken"}
    invocation = properties.get("TaskInvocationParameters")
    if isinstance(invocation, dict):
        renamed = {_INVOCATION_NAMES[key]: value for key, value in invocation.items()}
        lam = renamed.get("MaintenanceWindowLambdaParameters")
        if lam and isinstance(lam.get("Payload"), str):
            lam["Payload"] = base64.b64encode(lam["Payload"].encode()).decode()
        properties["TaskInvocationParameters"] = renamed
    return properties


# ---------------------------------------------------------------------- comparing


@dataclass
class Comparison:
    differences: Dict[str, str]  # path -> what differs
    compared: int  # resources compared


def compare(entry: Entry, template: Dict[str, Any], built: Mapping[str, str]) -> Comparison:
    """Compare the original's SSM resources with the rebuild's template; ``built`` maps each
    original id to the rebuild's logical id."""
    differences: Dict[str, str] = {}
    resources = template["Resources"]
    ids = dict(built)  # the SSM resources, and any other resource of the original the rebuild makes
    for original, resource in entry.resources.items():
        if original in entry.not_rebuilt:
            continue
        if original not in built:
            differences[original] = "not rebuilt"
            continue
        rebuilt = resources[built[original]]
        if rebuilt["Type"] != resource["Type"]:
            differences[f"{original}.Type"] = f"{resource['Type']} rebuilt as {rebuilt['Type']}"
            continue
        expected = _sorted_tags(_references(resource["Properties"], ids, entry))
        actual = _sorted_tags(_references(rebuilt.get("Properties", {}), {v: v for v in ids.values()}, entry, rebuilt=True))
        _diff(expected, actual, original, differences)
    compared = sum(1 for original in entry.resources if original in built and original not in entry.not_rebuilt)
    return Comparison(differences, compared)


def _references(value: Any, ids: Mapping[str, str], entry: Entry, rebuilt: bool = False) -> Any:
    """References to resources of the configuration, as one stand-in text per resource."""
    names = getattr(entry.module, "REFERENCES", {})
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in ids:
            return REFERENCE.format(ids[value["Ref"]])
        if set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"][0] if isinstance(value["Fn::GetAtt"], list) else value["Fn::GetAtt"].split(".")[0]
            if target in ids:
                return REFERENCE.format(ids[target])
        return {key: _references(item, ids, entry, rebuilt) for key, item in value.items()}
    if isinstance(value, list):
        return [_references(item, ids, entry, rebuilt) for item in value]
    if not rebuilt and isinstance(value, str) and value in names and names[value] in ids:
        return REFERENCE.format(ids[names[value]])  # a CLI / Terraform ID or a placeholder naming a resource
    return value


def _sorted_tags(properties: Any) -> Any:
    """Tags are a set: compared in key order."""
    if isinstance(properties, dict) and isinstance(properties.get("Tags"), list):
        return {**properties, "Tags": sorted(properties["Tags"], key=lambda tag: str(tag.get("Key")))}
    return properties


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _diff(expected: Any, actual: Any, path: str, found: Dict[str, str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}"
            if key not in actual:
                found[where] = f"missing in the rebuild (original: {json.dumps(expected[key])[:120]})"
            elif key not in expected:
                found[where] = f"added by the rebuild: {json.dumps(actual[key])[:120]}"
            else:
                _diff(expected[key], actual[key], where, found)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            found[path] = f"{json.dumps(expected)[:120]} rebuilt as {json.dumps(actual)[:120]}"
            return
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            _diff(a, b, f"{path}[{index}]", found)
    elif _text(expected) != _text(actual):
        found[path] = f"{json.dumps(expected)[:120]} rebuilt as {json.dumps(actual)[:120]}"


# ---------------------------------------------------------------------- figures


def lines_of_original(entry: Entry) -> int:
    """Non-blank lines of the original that define the compared resources: the template, the
    commands of a CLI document, the output of a baseline, the module's aws_ssm_* blocks."""
    path, kind = entry.module.SOURCE
    text = (entry.folder / path).read_text()
    if kind == "baseline-output":
        output = re.search(r"Output::\s*\n\n(.*?)\n\n(?=\S)", text, re.S)
        return sum(1 for line in (output.group(1) if output else "").splitlines() if line.strip())
    if kind == "cli":  # each command's physical lines, with a --cli-input-json file's
        lines = text.splitlines()
        count = 0
        for index, line in enumerate(lines):
            if line.strip().startswith("aws ssm "):
                count += 1
                while lines[index].rstrip().endswith("\\") and index + 1 < len(lines):
                    index += 1
                    count += 1
        files = re.findall(r"Contents of ``[^`]+``::\s*\n\n(.*?)\n\n(?=\S)", text, re.S)
        return count + sum(1 for block in files for line in block.splitlines() if line.strip())
    if kind == "resolved":  # the module's aws_ssm_* resource blocks
        count = 0
        for path in entry.folder.glob("*.tf"):
            inside = False
            for line in path.read_text().splitlines():
                inside = inside or line.startswith('resource "aws_ssm_')
                if inside and line.strip() and not line.strip().startswith(("#", "//")):
                    count += 1
                if inside and line.startswith("}"):
                    inside = False
        return count
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith(("#", "//")))


def lines_of_rebuild(entry: Entry) -> int:
    """Non-blank, non-comment lines of ``build``'s body (its docstring left out)."""
    import ast
    import textwrap

    source = textwrap.dedent(inspect.getsource(entry.module.build))
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    lines = source.splitlines()[body[0].lineno - 1:body[-1].end_lineno]
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))
