"""Pure validation helpers shared by the constructs (no aws_cdk import).

Each helper either returns normally or raises ValidationError with a message that
names the argument, quotes the value, says what is allowed and how to fix it.
Unresolved CDK tokens are passed through unchecked by every helper.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Callable, Collection, Iterable, List, Mapping, NoReturn, Optional, Sequence, Set, Tuple, TypeVar, Union

from .tokens import is_token
from ..errors import WARNING_IDS, Advice, ValidationError

T = TypeVar("T")

# [API] MaintenanceWindowName, MaintenanceWindowTargetName, MaintenanceWindowTaskName
_NAME = re.compile(r"[a-zA-Z0-9_\-.]{3,128}")
#: How aws-cdk-lib writes a token into a string (``${Token[NAME.123]}``), and list and number tokens.
_TOKEN_TEXT = re.compile(r"\$\{Token\[[^\]]*\]\}|#\{Token\[[^\]]*\]\}|-?1\.8\d{14}e\+289")
# [API] Target values of InstanceIds: EC2 instances and managed nodes.
_INSTANCE_ID = re.compile(r"i-(?:[0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17}")
MAX_INSTANCE_IDS = 50  # "up to 50 nodes total for each maintenance window target"

#: The members the library checks, at run time, in an argument typed with one of the public
#: interfaces (``IPatchingWindow``, ``IWindowTarget``) or ``iam.IRole``.
WINDOW_MEMBERS = ("window_id", "window_arn", "allow_unassociated_targets", "role", "node")
TARGET_MEMBERS = ("target_id", "window", "node")
ROLE_MEMBERS = ("role_arn", "grant_principal", "add_to_principal_policy")
#: A 36-character UUID: the API's pattern of window target and task IDs and of a patch snapshot ID.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: [API] An organizational unit ID, or the organization's root ID (StackSets and Quick Setup targets).
ORGANIZATIONAL_UNIT = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}")
#: A CloudFormation resource type (``AWS::EC2::Instance``): resource-group type filters and
#: association ``ResourceTypes`` targets.
RESOURCE_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")


def fail(code: str, message: str) -> NoReturn:
    """Raise ValidationError(code, message)."""
    raise ValidationError(code, message)


def as_argument(argument: str, check: Callable[[], T]) -> T:
    """``check()``, whose ValidationError is reported as about ``argument``: for a value
    handed on to a check written for another name (a hook given to ``Document.of``)."""
    try:
        return check()
    except ValidationError as error:  # the same error (code, value, fix), said of ``argument``
        error.message = f"{argument}: {error.message}"
        error.args = (f"[{error.code}] {error.message}",)
        raise


def check_warning_id(warning_id: str) -> str:
    """``warning_id`` itself, after checking it is registered (an unregistered id is a library bug)."""
    if warning_id not in WARNING_IDS:
        raise AssertionError(f"unregistered warning id {warning_id!r}")
    return warning_id


def quote(value: Any) -> str:
    """Show a value the way the user would have typed it (a very long one cut, with its length)."""
    text = repr(value)
    return text if len(text) <= 160 else f"{text[:120]}... ({len(text):,} characters)"


def is_int(value: Any) -> bool:
    """True for real integers (bool is not an integer here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def plural(count: Union[int, float], unit: str) -> str:
    """``1 hour``, ``2 hours``, ``0 hours`` (``unit`` singular)."""
    shown = f"{count:g}" if isinstance(count, float) or abs(count) < 10 ** 15 else f"{count:.3e}"
    return f"{shown} {unit}" if count == 1 else f"{shown} {unit}s"


#: The largest integer the SSM API takes where it states no bound (its integers are 32-bit).
MAX_INT = 2 ** 31 - 1


def literal_text(value: str) -> str:
    """``value`` without the CDK tokens it holds (the parts that are known at synthesis)."""
    return _TOKEN_TEXT.sub("", value) if is_token(value) else value


def check_type(argument: str, value: Any, expected: Union[type, Tuple[type, ...]], described_as: str) -> None:
    """Fail with InvalidType unless value is an instance of expected."""
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        fail(
            "InvalidType",
            f"{argument} must be {described_as}: got {quote(value)} ({type(value).__name__}).",
        )


def check_interface(argument: str, value: Any, members: Collection[str], described_as: str) -> None:
    """Fail with InvalidType unless ``value`` has every name in ``members``.

    A structural check of a public interface (``IPatchingWindow``, ``iam.IRole``, ...). It looks
    at the class first, so it reads no jsii property of a construct; only objects whose class
    does not declare the members (jsii's dynamic proxies of imported resources) are asked."""
    if value is None or isinstance(value, (str, bytes, int, float, list, tuple, dict)) or not all(
        hasattr(type(value), member) or hasattr(value, member) for member in members
    ):
        fail("InvalidType", f"{argument} must be {described_as}: got {quote(value)} ({type(value).__name__}).")


def check_options(construct: str, options: Mapping[str, Any], allowed: Collection[str]) -> None:
    """Fail with UnknownArgument for a keyword a construct does not take, suggesting the
    closest one (the options of a ``**options`` signature)."""
    for name in options:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f" Did you mean {close[0]}?" if close else f" It takes: {', '.join(sorted(allowed))}."
            fail("UnknownArgument", f"{construct} takes no argument {name!r}.{hint}")


def check_int_range(argument: str, value: Any, low: int, high: Optional[int], code: str, unit: str = "") -> None:
    """Fail with code unless value is an int within [low, high] (high None = unbounded).

    ``unit`` is singular (``"hour"``) and made plural where the number asks for it."""
    if is_token(value):
        return
    units = f" {unit}s" if unit and not unit.startswith("%") else unit
    allowed = f"from {low} to {high}{units}" if high is not None else f"{low} or more{units}"
    if not is_int(value):
        fail(code, f"{argument} must be a whole number {allowed if high is not None else 'of ' + allowed}: got {quote(value)}.")
    if high is None and value > MAX_INT:
        fail(code, f"{argument} must be at most {MAX_INT:,}{units} (the API's integers are 32-bit): got {quote(value)}.")
    if value < low or (high is not None and value > high):
        got = quote(value) if abs(value) > MAX_INT else (plural(value, unit) if unit and not unit.startswith("%")
                                                         else f"{value}{unit}")
        fail(code, f"{argument} must be {allowed}: got {got}.")


def check_pattern(value: Any, pattern: "re.Pattern[str]", code: str, message: str) -> None:
    """Fail with ``code`` and ``message`` unless ``value`` is a string ``pattern`` matches
    entirely; None and unresolved tokens pass."""
    if value is None or is_token(value):
        return
    if not isinstance(value, str) or not pattern.fullmatch(value):
        fail(code, message)


def check_name(argument: str, value: Optional[str]) -> None:
    """SSM resource names: 3-128 characters of letters, digits, '_', '-', '.'."""
    check_pattern(
        value, _NAME, "InvalidName",
        f"{argument} must be 3 to 128 characters of letters, digits, '_', '-' or '.' "
        f"(no spaces): got {quote(value)}. Replace spaces with '-' or '_'.",
    )


def check_text(argument: str, value: Optional[str], low: int, high: int, code: str) -> None:
    """A free-text string whose length must be in [low, high], without control characters."""
    if value is None or is_token(value):
        return
    if not isinstance(value, str):
        fail(code, f"{argument} must be a string of {low} to {high} characters: got {quote(value)}.")
    check_no_control_characters(argument, value, code)
    if not low <= len(value) <= high:
        fail(
            code,
            f"{argument} must be {low} to {high} characters long: got {len(value)} characters "
            f"({quote(_shorten(value))}). Shorten it or leave it out.",
        )


def check_patch_group_name(group: Any, argument: str = "patch group") -> None:
    """Patch group names: 1-256 letters, digits, spaces or ``_.:/=+-@``, not starting or ending
    with a space (tokens pass)."""
    if is_token(group):
        return
    if not isinstance(group, str) or not 1 <= len(group) <= 256 or not has_only_tag_characters(group):
        fail("InvalidPatchGroup", f"{argument} {quote(group)} is not valid: 1-256 letters, digits, spaces or '_.:/=+-@'.")
    if group != group.strip():
        fail(
            "InvalidPatchGroup",
            f"{argument} {quote(group)} starts or ends with a space: Patch Manager compares the tag value exactly, "
            f"so instances tagged {quote(group.strip())} would not be in this group. Write {quote(group.strip())}.",
        )


def check_no_control_characters(argument: str, value: Any, code: str) -> None:
    """Reject control characters (tab and newlines excepted): they land raw in the template,
    where tools such as cfn-lint refuse them, and no SSM text field needs them; and lone
    surrogates (U+D800-U+DFFF), which no UTF-8 text, and so no template, can hold. Checked in
    the literal parts of a string that mixes literals and tokens too."""
    if not isinstance(value, str):
        return
    for character in literal_text(value):
        category = unicodedata.category(character)
        if category == "Cs":
            fail(code, f"{argument} contains a lone surrogate U+{ord(character):04X}, which no UTF-8 text (and so no "
                       f"template) can carry: got {quote(_shorten(value))}. Use the character it was meant to pair into.")
        if character not in "\t\n\r" and category == "Cc":
            fail(
                code,
                f"{argument} contains the control character U+{ord(character):04X}: got {quote(_shorten(value))}. "
                f"Remove it (tabs and newlines are fine).",
            )


def has_only_tag_characters(text: str, extra: str = "_.:/=+-@") -> bool:
    r"""AWS's tag character class ``[\p{L}\p{Z}\p{N}_.:/=+\-@]`` (Python's re lacks \p)."""
    return all(ch in extra or unicodedata.category(ch)[0] in "LZN" for ch in text)


def duplicate_advice(argument: str, values: Iterable[str]) -> List[Advice]:
    """A ``mw-constructs:DuplicateValue`` warning when a list AWS takes with repeats (its schema
    does not ask for unique items) names a value twice: legal, harmless, probably a slip."""
    seen: Set[str] = set()
    repeated: List[str] = []
    for value in values:
        if value in seen and not is_token(value) and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if not repeated:
        return []
    return [Advice("mw-constructs:DuplicateValue", (
        f"{argument} lists {', '.join(quote(value) for value in repeated)} more than once. AWS takes the list as "
        f"written and a repeat adds nothing: list each value once."))]


def check_distinct(argument: str, values: Iterable[str]) -> None:
    """Fail with DuplicateValue when a value is listed twice, for lists whose schema asks for
    unique items (the StackSet lists); elsewhere a repeat is :func:`duplicate_advice`."""
    seen: set[str] = set()
    for value in values:
        if value in seen and not is_token(value):
            fail("DuplicateValue", f"{argument} lists {quote(value)} twice: list each value once.")
        seen.add(value)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_instance_ids(argument: str, instance_ids: Any) -> List[str]:
    """Validate a list of EC2 / managed instance IDs (at most 50, no duplicates)."""
    if isinstance(instance_ids, str) or not isinstance(instance_ids, Sequence):
        fail("InvalidType", f"{argument} must be a list of instance IDs: got {quote(instance_ids)}.")
    ids = list(instance_ids)
    if not ids:
        fail("InvalidInstanceId", f"{argument} must list at least one instance ID.")
    if len(ids) > MAX_INSTANCE_IDS:
        fail("TooManyInstanceIds", f"{argument} lists {len(ids)} IDs: at most {MAX_INSTANCE_IDS} are allowed. Target them by tag instead.")
    for instance_id in ids:
        check_pattern(
            "" if instance_id is None else instance_id, _INSTANCE_ID, "InvalidInstanceId",
            f"{argument} entry {quote(instance_id)} is not an instance ID: use 'i-' with 8 or 17 hex "
            f"digits (EC2) or 'mi-' with 17 hex digits (managed node).",
        )
    return ids


def check_target(argument: str, target: Any) -> None:
    """Fail with InvalidType unless ``target`` is an IWindowTarget."""
    check_interface(argument, target, TARGET_MEMBERS, "a WindowTarget, PatchGroupTarget or WindowTarget.from_target_id(...)")


def check_resource_tags(argument: str, tags: Any, *, min_value_length: int = 0) -> List[Tuple[str, str]]:
    """Resource tags (``{key: value}``) as (key, value) pairs, checked as AWS checks them: keys of
    1-128 and values of ``min_value_length``-256 letters, digits, spaces or ``_.:/=+-@``, no ``aws:``
    prefix (tokens pass). The API takes empty values; some CloudFormation schemas (the patch
    baseline's) do not, hence ``min_value_length``."""
    if not isinstance(tags, Mapping):
        fail("InvalidType", f"{argument} must be a dict of tag key to value: got {quote(tags)}.")
    for key, value in tags.items():
        if is_token(key) or is_token(value):
            continue
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or not has_only_tag_characters(key):
            fail("InvalidTag", f"{argument} key {quote(key)} is not valid: 1-128 letters, digits, spaces or '_.:/=+-@'.")
        if key.lower().startswith("aws:"):
            fail("InvalidTag", f"{argument} key {quote(key)} uses the reserved 'aws:' prefix: choose another key.")
        if not isinstance(value, str) or not min_value_length <= len(value) <= 256 or not has_only_tag_characters(value):
            fail("InvalidTag", f"{argument} value {quote(value)} for key {quote(key)} is not valid: {min_value_length}-256 "
                               f"letters, digits, spaces or '_.:/=+-@'.")
    return list(tags.items())
