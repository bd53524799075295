"""Arguments every task kind checks the same way: document parameters, document versions and
JSON payloads (the API's limits, pseudo parameters and JSON), shared by the task modules."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from .tokens import is_token
from .validate import check_no_control_characters, check_pattern, fail, is_int, quote

__all__ = ["parse_document_version", "parse_json", "parse_parameters"]

_DOCUMENT_VERSION = re.compile(r"\$LATEST|\$DEFAULT|[1-9][0-9]*")
#: Checks the pseudo parameters of values found at a place (``parameters['InstanceId']``).
ValueCheck = Callable[[str, Sequence[str]], None]


def parse_parameters(parameters: Optional[Mapping[str, Any]], check_values: ValueCheck, *, key_max: int,
                     value_max: Optional[int] = None, max_keys: Optional[int] = None,
                     max_values: Optional[int] = None) -> Optional[Dict[str, List[str]]]:
    """Document parameters as ``{name: [values]}`` (a single string is one value), checked
    against the API's limits for the task type, and by ``check_values`` for pseudo parameters."""
    if parameters is None:
        return None
    if not isinstance(parameters, Mapping):
        fail("InvalidType", f"parameters must be a dict of parameter name to value(s): got {quote(parameters)}.")
    if max_keys is not None and not 1 <= len(parameters) <= max_keys:
        fail("InvalidParameters", f"parameters must name 1 to {max_keys} parameters: got {len(parameters)}. "
                                  f"Leave parameters out rather than giving an empty dict.")
    result = {}
    for key, raw in parameters.items():
        if not isinstance(key, str) or not 1 <= len(key) <= key_max:
            fail("InvalidParameters", f"parameters key {quote(key)} must be a string of 1-{key_max} characters.")
        values = [raw] if isinstance(raw, str) else raw
        if isinstance(values, (bytes, Mapping)) or not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            fail("InvalidParameters", f"parameters[{key!r}] must be a string or a list of strings: got {quote(raw)}.")
        if max_values is not None and len(values) > max_values:
            fail("InvalidParameters", f"parameters[{key!r}] has {len(values)} values; the API takes at most {max_values}.")
        for value in values:
            check_no_control_characters(f"parameters[{key!r}]", value, "InvalidParameters")
            if value_max is not None and not is_token(value) and not 1 <= len(value) <= value_max:
                fail("InvalidParameters", f"parameters[{key!r}] value {quote(value)} must be 1-{value_max} characters.")
        check_values(f"parameters[{key!r}]", values)
        result[key] = list(values)
    return result


def parse_document_version(version: Any) -> Optional[str]:
    """``document_version`` as SSM takes it: ``$LATEST``, ``$DEFAULT`` or a version number."""
    if version is None:
        return None
    if is_token(version):
        return str(version)
    text = str(version) if is_int(version) else version
    check_pattern(
        "" if text is None else text, _DOCUMENT_VERSION, "InvalidDocumentVersion",
        f"document_version must be '$LATEST', '$DEFAULT' or a version number from 1: got {quote(version)}.",
    )
    return str(text)


def parse_json(argument: str, value: Any, code: str) -> Optional[str]:
    """``value`` (a dict or a JSON string) as JSON text; tokens are kept as they are."""
    if value is None:
        return None
    if isinstance(value, str):
        if not is_token(value):
            try:
                json.loads(value)
            except ValueError as error:
                fail(code, f"{argument} must be a dict or a JSON string: {quote(value)} is not JSON ({error}).")
        return value
    if not isinstance(value, Mapping):
        fail(code, f"{argument} must be a dict or a JSON string: got {quote(value)}.")
    try:
        return json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        fail(code, f"{argument} must hold only JSON values (strings, numbers, lists, dicts, booleans, "
                               f"None): {error}.")
