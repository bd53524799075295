"""Arguments every task kind checks the same way: document parameters, document versions and
JSON payloads (the API's limits, pseudo parameters and JSON), shared by the task modules."""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence

from .tokens import is_token
from .validate import check_no_control_characters, check_pattern, fail, is_int, quote

__all__ = ["load_json", "parse_document_version", "parse_json", "parse_parameters"]

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
    """``value`` (a dict or a JSON string) as JSON text the services take: strict JSON (no
    ``NaN`` or ``Infinity``, which JavaScript's ``JSON.parse`` refuses), valid Unicode (no lone
    surrogates), nested as deep as its size allows. A string given is kept as written; a token
    is kept as it is."""
    if value is None:
        return None
    if isinstance(value, str):
        if is_token(value):
            return value
        check_no_control_characters(argument, value.replace("\n", "").replace("\r", "").replace("\t", ""), code)
        try:
            parsed = load_json(value)
        except ValueError as error:
            fail(code, f"{argument} must be a dict or a JSON string: {quote(value)} is not JSON ({error}).")
        _check_strings(argument, parsed, code)
        return value
    if not isinstance(value, Mapping):
        fail(code, f"{argument} must be a dict or a JSON string: got {quote(value)}.")
    with _nesting_room(_size_hint(value), argument, code):
        try:
            text = json.dumps(value, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as error:
            fail(code, f"{argument} must hold only JSON values (strings, numbers other than NaN and infinity, lists, "
                       f"dicts, booleans, None): {error}.")
    _check_strings(argument, value, code)
    return text


def load_json(text: str) -> Any:
    """``json.loads`` of strict JSON (ValueError for NaN and Infinity, as JavaScript's JSON.parse),
    nested as deep as the text's length allows, never a RecursionError."""
    limit = sys.getrecursionlimit()
    needed = min(len(text), _MAX_NESTING) + 200
    if needed > limit:
        sys.setrecursionlimit(needed)
    try:
        return json.loads(text, parse_constant=_not_json)
    except RecursionError:
        raise ValueError(f"nested more than {_MAX_NESTING:,} levels deep") from None
    finally:
        sys.setrecursionlimit(limit)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (JavaScript's JSON.parse refuses it)")


def _check_strings(argument: str, value: Any, code: str) -> None:
    """Every string of a JSON value (keys too) is valid Unicode: walked without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            check_no_control_characters(argument, item.replace("\n", "").replace("\r", "").replace("\t", ""), code)
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)


def _size_hint(value: Any) -> int:
    """An upper bound of a JSON value's nesting depth: the number of containers in it."""
    count, pending = 0, [value]
    while pending and count < 1_000_000:
        item = pending.pop()
        if isinstance(item, Mapping):
            count += 1
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            count += 1
            pending.extend(item)
    return count


@contextmanager
def _nesting_room(depth: int, argument: str, code: str) -> Iterator[None]:
    """Let the json module (recursive) read or write ``depth`` levels of nesting: the services
    take any depth their size limits allow (a 4 KB payload can nest 2,000 levels). Bounded by
    the size checks that come after, and restored afterwards."""
    limit = sys.getrecursionlimit()
    needed = min(depth, _MAX_NESTING) + 200
    if needed > limit:
        sys.setrecursionlimit(needed)
    try:
        yield
    except RecursionError:
        fail(code, f"{argument} is nested more than {_MAX_NESTING:,} levels deep: no service takes JSON that size.")
    finally:
        sys.setrecursionlimit(limit)


#: The deepest JSON the library reads: more than any payload within the services' size limits.
_MAX_NESTING = 10_000
