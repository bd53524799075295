"""``WindowTarget`` and ``PatchGroupTarget``: ``AWS::SSM::MaintenanceWindowTarget``.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-tutorial-targets-examples.html
"""

from __future__ import annotations

import difflib
import re
from typing import Any, List, Mapping, Optional, Sequence, Tuple

import jsii
from aws_cdk import Annotations
from aws_cdk import aws_events as events
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct
from typing_extensions import Unpack

from ._internal.tokens import is_token
from ._internal.validate import (
    RESOURCE_TYPE,
    UUID,
    WINDOW_MEMBERS,
    duplicate_advice,
    check_instance_ids,
    check_no_control_characters,
    check_interface,
    check_name,
    check_options,
    check_patch_group_name,
    check_pattern,
    check_text,
    fail,
    has_only_tag_characters,
    quote,
)
from ._internal.validate import check_warning_id
from ._internal.deprecations import renamed, warn_renamed
from ._internal.event_rules import state_change_rule
from .events import INVOCATION_DETAIL_TYPE, InvocationStatus, RuleTargetLike
from ._internal.quota_use import check_in
from ._internal.light_resource import LightResource
from ._internal.scopes import create_in
from ._internal.windows import children_of
from .coexistence import NodeSelector, node_selector
from .interfaces import IPatchingWindow, IWindowTarget, TagValues, TargetDetails, WindowTargetOptions
from ._internal.signatures import truthful_signature

__all__ = ["PATCH_GROUP_TAG_KEYS", "PatchGroupTarget", "WindowTarget"]

MAX_TAG_PAIRS = 5  # "up to five key-value pairs total for each target"
#: The only tag keys Patch Manager reads for a patch group (case-sensitive).
PATCH_GROUP_TAG_KEYS = ("Patch Group", "PatchGroup")
_GROUP = re.compile(  # a group name, or its ARN
    r"[a-zA-Z0-9_.\-]{1,300}|arn:aws[a-z\-]*:resource-groups:[a-z0-9\-]+:[0-9]{12}:group/[a-zA-Z0-9_.\-]{1,300}"
)
_WINDOW = "a PatchingWindow, or an IPatchingWindow from PatchingWindow.from_window_id(...)"



@jsii.implements(ssm_refs.IMaintenanceWindowTargetRef)
class _TargetBase(LightResource):
    """What owned and imported targets share."""

    def __init__(self, scope: Construct, id: str, window: IPatchingWindow) -> None:
        create_in(scope, id, type(self).__name__, lambda: super(_TargetBase, self).__init__(scope, id))
        self._window = window
        self.patch_groups: Tuple[str, ...] = ()

    @property
    def window(self) -> IPatchingWindow:
        """The window this target is registered with."""
        return self._window

    @property
    def target_id(self) -> str:
        raise NotImplementedError

    @property
    def maintenance_window_target_ref(self) -> ssm_refs.MaintenanceWindowTargetReference:
        """This target as aws-cdk-lib's ``IMaintenanceWindowTargetRef`` reference."""
        return ssm_refs.MaintenanceWindowTargetReference(window_id=self.window.window_id, window_target_id=self.target_id)

    def on_invocation_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                                   statuses: Optional[Sequence[InvocationStatus]] = None,
                                   description: Optional[str] = None, rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule (a child ``id`` of this target) for task invocations on this
        target ("Maintenance Window Task Target Invocation State-change Notification", this
        ``window-id`` and ``window-target-id``; ``statuses`` if given), sent to ``target``.
        Automation, Lambda and Step Functions invocations only report IN_PROGRESS and COMPLETE.
        ``event_pattern`` adds conditions on the fields the rule leaves open (e.g.
        ``detail={"owner-information": ["web"]}``); ``cross_stack_scope`` as for ``events.Rule``."""
        return state_change_rule(self, id, detail_type=INVOCATION_DETAIL_TYPE,
                                 detail={"window-id": [self.window.window_id], "window-target-id": [self.target_id]},
                                 statuses=statuses, status_type=InvocationStatus, target=target,
                                 description=description, rule_name=rule_name,
                                 event_pattern=event_pattern, cross_stack_scope=cross_stack_scope)


@truthful_signature
class WindowTarget(_TargetBase):
    """The instances a window works on: by tags, by instance IDs, or by resource group.

    Give one selector:
        tags: ``{key: value or [values]}`` (``Key=tag:<key>``); several keys are ANDed, several
            values of one key ORed; at most 5 key-value pairs in all. A key that looks like
            ``Patch Group`` but is not exactly it earns a warning: use :class:`PatchGroupTarget`
            for patch groups.
        tag_keys: tag keys the instances must have, whatever their values (``Key=tag-key``; up to
            5, ANDed); may be given with ``tags``.
        instance_ids: up to 50 IDs (``i-`` + 8 or 17 hex digits, or ``mi-`` + 17).
        resource_group: a resource group name or ARN (``ResourceType`` ``RESOURCE_GROUP``),
            optionally narrowed by ``resource_type_filters`` (e.g. ``["AWS::EC2::Instance"]``).

    Also: ``target_name`` (3-128 of ``a-zA-Z0-9_-.``; ``name`` is its deprecated old keyword), ``description`` (1-128),
    ``owner_information`` (1-128, echoed in EventBridge events for these targets).

    Attributes:
        target_id: the window target ID (a token). window: the window.
        patch_groups: the patch groups selected by an exact ``Patch Group``/``PatchGroup`` tag key.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow,
                 **options: Unpack[WindowTargetOptions]) -> None:
        check_options("WindowTarget", options, WindowTargetOptions.__annotations__)
        check_interface("window", window, WINDOW_MEMBERS, _WINDOW)
        resource_type, keyed_values = _selector(options.get("tags"), options.get("tag_keys"), options.get("instance_ids"),
                                                options.get("resource_group"), options.get("resource_type_filters"))
        name, name_keyword, description, owner_information = _details(options)
        check_in(window, "TargetsPerWindow", len(children_of(window).targets) + 1, lambda: f"window {window.node.path}")
        super().__init__(scope, id, window)
        self.patch_groups = tuple(value for key, values in keyed_values if key in _PATCH_GROUP_TARGET_KEYS
                                  for value in values)
        #: The nodes it selects, as the checks across patching models compare them (None: a token).
        self.node_selector: Optional[NodeSelector] = node_selector(keyed_values)
        children_of(window).targets.append(self)
        self._resource = resource = ssm.CfnMaintenanceWindowTarget(
            self,
            "Resource",
            window_id=window.window_id,
            resource_type=resource_type,
            targets=[ssm.CfnMaintenanceWindowTarget.TargetsProperty(key=key, values=values) for key, values in keyed_values],
            name=name,
            description=description,
            owner_information=owner_information,
        )
        self._target_id: str = resource.ref
        if name_keyword == "name":
            warn_renamed(self, type(self).__name__, "name", "target_name")
        for key, values in keyed_values:
            _warn_near_miss(self, key)
            for found in duplicate_advice(_argument_of(key), values):
                Annotations.of(self).add_warning_v2(found.id, found.message)
            if key == "tag:tag-key":
                Annotations.of(self).add_warning_v2(check_warning_id("mw-constructs:TagKeyAsTagName"), (
                    f"tags={{'tag-key': {values!r}}} selects instances with a tag named 'tag-key' (Key 'tag:tag-key'). "
                    f"To select instances that have the tag keys {values!r} whatever their values, give "
                    f"tag_keys={values!r} (Key 'tag-key'); if your tag is really named 'tag-key', acknowledge this."))

    @property
    def target_id(self) -> str:
        """The window target ID (a token)."""
        return self._target_id

    @staticmethod
    def from_target_id(scope: Construct, id: str, *, window: IPatchingWindow, target_id: str) -> IWindowTarget:
        """A target already registered with ``window`` (its ID, a UUID such as
        ``e32eecb2-646c-4f4b-8ed1-205fb8ee2df6``), for tasks to run on."""
        check_interface("window", window, WINDOW_MEMBERS, _WINDOW)
        check_pattern("" if target_id is None else target_id, UUID, "InvalidTargetId",
                      f"target_id must be a window target ID (a 36-character UUID such as "
                      f"'e32eecb2-646c-4f4b-8ed1-205fb8ee2df6'): got {quote(target_id)}.")
        return _ImportedTarget(scope, id, window, target_id)


@truthful_signature
class PatchGroupTarget(WindowTarget):
    """The instances of a Patch Manager patch group: ``tag:Patch Group = <patch_group>``.

    ``tag_key`` is ``"Patch Group"`` (default) or ``"PatchGroup"``, which fleets with
    "Allow tags in instance metadata" enabled must use (instance-metadata tag keys
    cannot contain spaces). ``patch_group`` is one name or a list of names (ORed); a name
    with leading or trailing spaces is refused, since Patch Manager compares exactly.
    Also ``target_name``, ``description`` and ``owner_information`` as for :class:`WindowTarget`.

    Attributes:
        patch_groups: the patch group names, as a tuple.
        tag_key: the tag key used.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, patch_group: TagValues,
                 tag_key: str = "Patch Group", **details: Unpack[TargetDetails]) -> None:
        check_options("PatchGroupTarget", details, TargetDetails.__annotations__)
        if tag_key not in PATCH_GROUP_TAG_KEYS:
            fail(
                "InvalidPatchGroupTagKey",
                f"tag_key must be exactly 'Patch Group' or 'PatchGroup' (case-sensitive; Patch Manager reads "
                f"only these): got {quote(tag_key)}. Use 'PatchGroup' when instance-metadata tags are enabled.",
            )
        groups = _as_values("patch_group", patch_group)
        for group in groups:
            check_patch_group_name(group, "patch_group")
        self.tag_key = tag_key
        super().__init__(scope, id, window=window, tags={tag_key: groups}, **details)


class _ImportedTarget(_TargetBase):
    def __init__(self, scope: Construct, id: str, window: IPatchingWindow, target_id: str) -> None:
        super().__init__(scope, id, window)
        self._target_id = target_id

    @property
    def target_id(self) -> str:
        return self._target_id


# ---------------------------------------------------------------------- helpers

_PATCH_GROUP_TARGET_KEYS = tuple(f"tag:{key}" for key in PATCH_GROUP_TAG_KEYS)


def _details(options: TargetDetails) -> Tuple[Optional[str], str, Optional[str], Optional[str]]:
    """The name (and the keyword that gave it), description and owner information, checked."""
    name, name_keyword = renamed(options, "target_name", "name")
    description, owner_information = options.get("description"), options.get("owner_information")
    check_name(name_keyword, name)
    check_text("description", description, 1, 128, "InvalidDescription")
    check_text("owner_information", owner_information, 1, 128, "InvalidOwnerInformation")
    return name, name_keyword, description, owner_information


def _selector(
    tags: Optional[Mapping[str, TagValues]],
    tag_keys: Optional[Sequence[str]],
    instance_ids: Optional[Sequence[str]],
    resource_group: Optional[str],
    resource_type_filters: Optional[Sequence[str]],
) -> Tuple[str, List[Tuple[str, List[str]]]]:
    by_tag = tags is not None or tag_keys is not None
    given = [name for name, value in (("tags/tag_keys", by_tag), ("instance_ids", instance_ids is not None),
                                      ("resource_group", resource_group is not None)) if value]
    if len(given) != 1:
        fail(
            "TargetSelector",
            f"give one selector: tags and/or tag_keys, instance_ids, or resource_group: got {', '.join(given) or 'none'}. "
            f"Register one WindowTarget per selector.",
        )
    if resource_type_filters is not None and resource_group is None:
        fail("TargetSelector", "resource_type_filters narrows a resource_group: give resource_group too, or drop it.")
    if by_tag:
        return "INSTANCE", (_tag_targets(tags) if tags is not None else []) + (
            _tag_key_targets(tag_keys) if tag_keys is not None else [])
    if instance_ids is not None:
        return "INSTANCE", [("InstanceIds", check_instance_ids("instance_ids", instance_ids))]
    return "RESOURCE_GROUP", _group_targets(resource_group, resource_type_filters)


def _argument_of(key: str) -> str:
    """The WindowTarget argument a target ``Key`` was given as (for messages)."""
    if key.startswith("tag:"):
        return f"tags[{key[len('tag:'):]!r}]"
    return {"tag-key": "tag_keys", "InstanceIds": "instance_ids",
            "resource-groups:ResourceTypeFilters": "resource_type_filters"}.get(key, key)


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
            check_no_control_characters(f"tags[{key!r}] value", value, "InvalidTag")
            if key in PATCH_GROUP_TAG_KEYS:
                check_patch_group_name(value, f"tags[{key!r}] value")
        targets.append((f"tag:{key}", values))
    pairs = sum(len(values) for _, values in targets)
    if pairs > MAX_TAG_PAIRS:
        fail(
            "TooManyTagPairs",
            f"tags has {pairs} key-value pairs: a window target allows at most {MAX_TAG_PAIRS}. "
            f"Split them over several targets, or tag the instances with one common value.",
        )
    return targets


def _tag_key_targets(tag_keys: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """``Key=tag-key`` with the keys as values: instances that have all of them."""
    keys = _as_values("tag_keys", tag_keys)
    for key in keys:
        _check_target_tag_key(key, "tag_keys entry")
    if len(keys) > MAX_TAG_PAIRS:
        fail("TooManyTagPairs", f"tag_keys has {len(keys)} keys: a window target allows at most {MAX_TAG_PAIRS} tag keys "
                                f"(AWS: 'up to five tag-keys total for each target'). Split them over several targets.")
    return [("tag-key", keys)]


def _check_target_tag_key(key: Any, argument: str = "tags key") -> None:
    if is_token(key):
        return
    # Target Key is 'tag:<key>', 1-163 characters of [\p{L}\p{Z}\p{N}_.:/=\-@] (no '+').
    if not isinstance(key, str) or not 1 <= len(key) <= 128 or not has_only_tag_characters(key, "_.:/=-@"):
        fail(
            "InvalidTag",
            f"{argument} {quote(key)} cannot be targeted: use 1-128 letters, digits, spaces or '_.:/=-@'.",
        )


def _warn_near_miss(target: Construct, key: str) -> None:
    """A tag key close to, but not exactly, one Patch Manager reads for patch groups."""
    tag = key[len("tag:"):] if key.startswith("tag:") else None
    if tag is None or is_token(tag) or tag in PATCH_GROUP_TAG_KEYS:
        return
    folded = re.sub(r"[\s_.:/=@-]", "", tag).lower()
    if folded not in ("patchgroup", "patchgroups") and difflib.SequenceMatcher(None, folded, "patchgroup").ratio() < 0.85:
        return
    Annotations.of(target).add_warning_v2(
        check_warning_id("mw-constructs:PatchGroupTagKeyNearMiss"),
        f"tag key {quote(tag)} is not 'Patch Group' or 'PatchGroup', the only keys Patch Manager reads (case-sensitive) to "
        f"put an instance in a patch group and pick its baseline. If you meant a patch group, use "
        f"PatchGroupTarget(..., patch_group=...); if {quote(tag)} is your own tag, acknowledge this warning.",
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
                value, RESOURCE_TYPE, "InvalidResourceTypeFilter",
                f"resource_type_filters entry {quote(value)} must look like 'AWS::EC2::Instance'.",
            )
        targets.append(("resource-groups:ResourceTypeFilters", values))
    return targets


def _as_values(argument: str, raw: Any) -> List[str]:
    values = [raw] if isinstance(raw, str) else raw
    if isinstance(values, (bytes, Mapping)) or not isinstance(values, Sequence) or not values \
            or not all(isinstance(v, str) for v in values):
        fail("InvalidType", f"{argument} must be a string or a non-empty list of strings: got {quote(raw)}.")
    return list(values)
