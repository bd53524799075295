"""``WindowTarget`` and ``PatchGroupTarget``: ``AWS::SSM::MaintenanceWindowTarget``.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-tutorial-targets-examples.html
"""

from __future__ import annotations

import re
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

from aws_cdk import aws_ssm as ssm
from constructs import Construct

from ._tokens import is_token
from ._validate import (
    check_distinct,
    check_name,
    check_patch_group_name,
    check_pattern,
    check_text,
    check_type,
    fail,
    has_only_tag_characters,
    quote,
)
from .window import _WindowBase

__all__ = ["WindowTarget", "PatchGroupTarget", "check_instance_ids"]

MAX_TAG_PAIRS = 5  # "up to five key-value pairs total for each target"
MAX_INSTANCE_IDS = 50  # "up to 50 nodes total for each maintenance window target"
PATCH_GROUP_TAG_KEYS = ("Patch Group", "PatchGroup")
_INSTANCE_ID = re.compile(r"i-(?:[0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17}")
_GROUP = re.compile(  # a group name, or its ARN
    r"[a-zA-Z0-9_.\-]{1,300}|arn:aws[a-z\-]*:resource-groups:[a-z0-9\-]+:[0-9]{12}:group/[a-zA-Z0-9_.\-]{1,300}"
)
_RESOURCE_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")

TagValues = Union[str, Sequence[str]]


class WindowTarget(Construct):
    """The instances a window works on: by tags, by instance IDs, or by resource group.

    Give exactly one of:
        tags: ``{key: value or [values]}``; several keys are ANDed, several values of one
            key ORed; at most 5 key-value pairs in all.
        instance_ids: up to 50 IDs (``i-`` + 8 or 17 hex digits, or ``mi-`` + 17).
        resource_group: a resource group name or ARN (``ResourceType`` ``RESOURCE_GROUP``),
            optionally narrowed by ``resource_type_filters`` (e.g. ``["AWS::EC2::Instance"]``).

    Also: ``name`` (3-128 of ``a-zA-Z0-9_-.``), ``description`` (1-128),
    ``owner_information`` (1-128, echoed in EventBridge events for these targets).

    Attributes:
        target_id: the window target ID (a token).
        window: the window this target is registered with.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        window: _WindowBase,
        tags: Optional[Mapping[str, TagValues]] = None,
        instance_ids: Optional[Sequence[str]] = None,
        resource_group: Optional[str] = None,
        resource_type_filters: Optional[Sequence[str]] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        owner_information: Optional[str] = None,
    ) -> None:
        check_type("window", window, _WindowBase, "a PatchingWindow (or PatchingWindow.from_window_id(...))")
        resource_type, keyed_values = _selector(tags, instance_ids, resource_group, resource_type_filters)
        check_name("name", name)
        check_text("description", description, 1, 128, "InvalidDescription")
        check_text("owner_information", owner_information, 1, 128, "InvalidOwnerInformation")
        super().__init__(scope, id)
        self.window = window
        window._targets.append(self)
        resource = ssm.CfnMaintenanceWindowTarget(
            self,
            "Resource",
            window_id=window.window_id,
            resource_type=resource_type,
            targets=[ssm.CfnMaintenanceWindowTarget.TargetsProperty(key=key, values=values) for key, values in keyed_values],
            name=name,
            description=description,
            owner_information=owner_information,
        )
        self.target_id = resource.ref


class PatchGroupTarget(WindowTarget):
    """The instances of a Patch Manager patch group: ``tag:Patch Group = <patch_group>``.

    ``tag_key`` is ``"Patch Group"`` (default) or ``"PatchGroup"``, which fleets with
    "Allow tags in instance metadata" enabled must use (instance-metadata tag keys
    cannot contain spaces). ``patch_group`` is one name or a list of names (ORed).

    Attributes:
        patch_groups: the patch group names, as a tuple.
        tag_key: the tag key used.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        window: _WindowBase,
        patch_group: TagValues,
        tag_key: str = "Patch Group",
        name: Optional[str] = None,
        description: Optional[str] = None,
        owner_information: Optional[str] = None,
    ) -> None:
        if tag_key not in PATCH_GROUP_TAG_KEYS:
            fail(
                "InvalidPatchGroupTagKey",
                f"tag_key must be exactly 'Patch Group' or 'PatchGroup' (case-sensitive; Patch Manager reads "
                f"only these): got {quote(tag_key)}. Use 'PatchGroup' when instance-metadata tags are enabled.",
            )
        groups = _as_values("patch_group", patch_group)
        for group in groups:
            check_patch_group_name(group, "patch_group")
        self.patch_groups: Tuple[str, ...] = tuple(groups)
        self.tag_key = tag_key
        super().__init__(
            scope, id, window=window, tags={tag_key: groups}, name=name, description=description,
            owner_information=owner_information,
        )


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
    check_distinct(argument, ids)
    return ids


def _selector(
    tags: Optional[Mapping[str, TagValues]],
    instance_ids: Optional[Sequence[str]],
    resource_group: Optional[str],
    resource_type_filters: Optional[Sequence[str]],
) -> Tuple[str, List[Tuple[str, List[str]]]]:
    given = [name for name, value in (("tags", tags), ("instance_ids", instance_ids), ("resource_group", resource_group)) if value is not None]
    if len(given) != 1:
        fail(
            "TargetSelector",
            f"give exactly one of tags, instance_ids or resource_group: got {', '.join(given) or 'none'}. "
            f"Register one WindowTarget per selector.",
        )
    if resource_type_filters is not None and resource_group is None:
        fail("TargetSelector", "resource_type_filters narrows a resource_group: give resource_group too, or drop it.")
    if tags is not None:
        return "INSTANCE", _tag_targets(tags)
    if instance_ids is not None:
        return "INSTANCE", [("InstanceIds", check_instance_ids("instance_ids", instance_ids))]
    return "RESOURCE_GROUP", _group_targets(resource_group, resource_type_filters)


def _tag_targets(tags: Mapping[str, TagValues]) -> List[Tuple[str, List[str]]]:
    if not isinstance(tags, Mapping) or not tags:
        fail("InvalidType", f"tags must be a non-empty dict of tag key to value(s): got {quote(tags)}.")
    targets = []
    for key, raw in tags.items():
        _check_target_tag_key(key)
        values = _as_values(f"tags[{key!r}]", raw)
        for value in values:
            if not is_token(value) and (not value or len(value) > 256):
                fail("InvalidTag", f"tags[{key!r}] value {quote(value)} must be 1-256 characters.")
        targets.append((f"tag:{key}", values))
    pairs = sum(len(values) for _, values in targets)
    if pairs > MAX_TAG_PAIRS:
        fail(
            "TooManyTagPairs",
            f"tags has {pairs} key-value pairs: a window target allows at most {MAX_TAG_PAIRS}. "
            f"Split them over several targets, or tag the instances with one common value.",
        )
    return targets


def _check_target_tag_key(key: Any) -> None:
    if is_token(key):
        return
    # Target Key is 'tag:<key>', 1-163 characters of [\p{L}\p{Z}\p{N}_.:/=\-@] (no '+').
    if not isinstance(key, str) or not 1 <= len(key) <= 128 or not has_only_tag_characters(key, "_.:/=-@"):
        fail(
            "InvalidTag",
            f"tags key {quote(key)} cannot be targeted: use 1-128 letters, digits, spaces or '_.:/=-@'.",
        )


def _group_targets(group: Any, filters: Optional[Sequence[str]]) -> List[Tuple[str, List[str]]]:
    check_pattern(
        group, _GROUP, "InvalidResourceGroup",
        f"resource_group must be a resource group name (letters, digits, '_.-') or its ARN: got {quote(group)}.",
    )
    targets = [("resource-groups:Name", [group])]
    if filters is not None:
        values = _as_values("resource_type_filters", filters)
        for value in values:
            check_pattern(
                value, _RESOURCE_TYPE, "InvalidResourceTypeFilter",
                f"resource_type_filters entry {quote(value)} must look like 'AWS::EC2::Instance'.",
            )
        targets.append(("resource-groups:ResourceTypeFilters", values))
    return targets


def _as_values(argument: str, raw: Any) -> List[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, Sequence) or not values or not all(isinstance(v, str) for v in values):
        fail("InvalidType", f"{argument} must be a string or a non-empty list of strings: got {quote(raw)}.")
    check_distinct(argument, values)
    return list(values)
