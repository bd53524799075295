"""WindowTarget and PatchGroupTarget."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk.assertions import Annotations, Match

from mw_constructs import PatchGroupTarget, PatchingWindow, WindowSchedule, WindowTarget
from tests.support.apps import only_properties, raises_code, template_of, warnings_of


@pytest.fixture
def window(stack):
    return PatchingWindow(
        stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
        duration=Duration.hours(3), cutoff=Duration.hours(1),
    )


def target_properties(stack):
    return only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTarget")


def test_patch_group_target_uses_the_patch_group_tag(stack, window):
    target = PatchGroupTarget(stack, "Web", window=window, patch_group="Web Server")
    props = target_properties(stack)
    assert props["ResourceType"] == "INSTANCE"
    assert props["Targets"] == [{"Key": "tag:Patch Group", "Values": ["Web Server"]}]
    assert stack.resolve(props["WindowId"]) == stack.resolve(window.window_id)
    assert target.patch_groups == ("Web Server",) and target.window is window
    assert stack.resolve(target.target_id) == {"Ref": stack.get_logical_id(target.node.default_child)}


def test_patch_group_target_supports_the_metadata_safe_key(stack, window):
    PatchGroupTarget(stack, "Web", window=window, patch_group=["web-a", "web-b"], tag_key="PatchGroup")
    assert target_properties(stack)["Targets"] == [{"Key": "tag:PatchGroup", "Values": ["web-a", "web-b"]}]


@pytest.mark.parametrize("key", ["patch group", "Patch-Group", "Patch_Group", "PatchGroups"])
def test_fails_when_patch_group_tag_key_is_not_one_patch_manager_reads(stack, window, key):
    with raises_code("InvalidPatchGroupTagKey") as info:
        PatchGroupTarget(stack, "Web", window=window, patch_group="web", tag_key=key)
    assert repr(key) in str(info.value)


@pytest.mark.parametrize("group", ["", "x" * 257, "bad#group"])
def test_fails_when_patch_group_name_is_invalid(stack, window, group):
    with raises_code("InvalidPatchGroup"):
        PatchGroupTarget(stack, "Web", window=window, patch_group=group)


def test_tag_target_ands_keys_and_ors_values(stack, window):
    WindowTarget(
        stack, "Tagged", window=window, tags={"Environment": ["test", "acceptance"], "Role": "web"},
        target_name="tagged-web", description="Test web servers", owner_information="team-web",
    )
    assert target_properties(stack) == {
        "WindowId": {"Ref": stack.get_logical_id(window.node.default_child)},
        "ResourceType": "INSTANCE",
        "Targets": [
            {"Key": "tag:Environment", "Values": ["test", "acceptance"]},
            {"Key": "tag:Role", "Values": ["web"]},
        ],
        "Name": "tagged-web",
        "Description": "Test web servers",
        "OwnerInformation": "team-web",
    }


def test_fails_when_tags_have_more_than_five_pairs(stack, window):
    with raises_code("TooManyTagPairs") as info:
        WindowTarget(stack, "Tagged", window=window, tags={"a": ["1", "2", "3"], "b": ["1", "2", "3"]})
    assert "6 key-value pairs" in str(info.value)


def test_five_tag_pairs_are_allowed(stack, window):
    WindowTarget(stack, "Tagged", window=window, tags={"a": ["1", "2", "3"], "b": ["1", "2"]})
    template_of(stack)


@pytest.mark.parametrize("tags", [{}, {"k": []}, {"k": [1]}, {"bad+key": "v"}, {"k": ""}])
def test_fails_when_tags_are_invalid(stack, window, tags):
    with pytest.raises(ValueError) as info:
        WindowTarget(stack, "Tagged", window=window, tags=tags)
    assert info.value.code in ("InvalidType", "InvalidTag")


def test_instance_id_target(stack, window):
    ids = ["i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"]
    WindowTarget(stack, "Hosts", window=window, instance_ids=ids)
    assert target_properties(stack)["Targets"] == [{"Key": "InstanceIds", "Values": ids}]


@pytest.mark.parametrize("bad", ["i-123", "i-0123456789ABCDEF0", "instance-1", "mi-01234567", ""])
def test_fails_when_instance_id_is_malformed(stack, window, bad):
    with raises_code("InvalidInstanceId") as info:
        WindowTarget(stack, "Hosts", window=window, instance_ids=[bad])
    assert repr(bad) in str(info.value)


def test_fails_when_more_than_50_instance_ids(stack, window):
    ids = [f"i-{n:017x}" for n in range(51)]
    with raises_code("TooManyInstanceIds"):
        WindowTarget(stack, "Hosts", window=window, instance_ids=ids)


def test_fails_when_a_repeated_value_is_refused(stack, window):
    """Issue 20: the target's Values take repeats; a repeat is a warning and reaches the template as written."""
    WindowTarget(stack, "Hosts", window=window, instance_ids=["i-01234567", "i-01234567"])
    WindowTarget(stack, "Tagged", window=window, tags={"Role": ["web", "web"]})
    assert [t["Targets"][0]["Values"] for t in (r["Properties"] for r in template_of(stack).find_resources(
        "AWS::SSM::MaintenanceWindowTarget").values())] == [["i-01234567", "i-01234567"], ["web", "web"]]
    warnings = [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("DuplicateValue"))]
    assert len(warnings) == 2 and "instance_ids lists 'i-01234567' more than once" in warnings[0]
    assert "tags['Role'] lists 'web' more than once" in warnings[1]


def test_fails_when_instance_ids_is_a_string(stack, window):
    with raises_code("InvalidType"):
        WindowTarget(stack, "Hosts", window=window, instance_ids="i-01234567")


def test_resource_group_target(stack, window):
    WindowTarget(stack, "Group", window=window, resource_group="patching-fleet", resource_type_filters=["AWS::EC2::Instance"])
    props = target_properties(stack)
    assert props["ResourceType"] == "RESOURCE_GROUP"
    assert props["Targets"] == [
        {"Key": "resource-groups:Name", "Values": ["patching-fleet"]},
        {"Key": "resource-groups:ResourceTypeFilters", "Values": ["AWS::EC2::Instance"]},
    ]


def test_fails_when_resource_group_name_is_invalid(stack, window):
    with raises_code("InvalidResourceGroup"):
        WindowTarget(stack, "Group", window=window, resource_group="has space")


def test_fails_when_resource_type_filter_is_malformed(stack, window):
    with raises_code("InvalidResourceTypeFilter"):
        WindowTarget(stack, "Group", window=window, resource_group="fleet", resource_type_filters=["EC2 Instance"])


def test_fails_when_resource_type_filters_come_without_a_group(stack, window):
    with raises_code("TargetSelector"):
        WindowTarget(stack, "Hosts", window=window, instance_ids=["i-01234567"], resource_type_filters=["AWS::EC2::Instance"])


@pytest.mark.parametrize(
    "selectors",
    [{}, {"tags": {"a": "b"}, "instance_ids": ["i-01234567"]}, {"tags": {"a": "b"}, "resource_group": "g"}],
)
def test_fails_unless_exactly_one_selector_is_given(stack, window, selectors):
    with raises_code("TargetSelector"):
        WindowTarget(stack, "Target", window=window, **selectors)


def test_fails_when_owner_information_is_too_long(stack, window):
    with raises_code("InvalidOwnerInformation"):
        WindowTarget(stack, "Target", window=window, tags={"a": "b"}, owner_information="x" * 129)


def test_fails_when_window_is_not_a_window(stack):
    with raises_code("InvalidType"):
        WindowTarget(stack, "Target", window="mw-0123456789abcdef0", tags={"a": "b"})


def test_target_on_imported_window(stack):
    imported = PatchingWindow.from_window_id(stack, "Existing", "mw-0123456789abcdef0")
    PatchGroupTarget(stack, "Web", window=imported, patch_group="web")
    assert target_properties(stack)["WindowId"] == "mw-0123456789abcdef0"


@pytest.mark.parametrize("group", [" web", "web ", "  "])
def test_fails_when_a_patch_group_has_leading_or_trailing_spaces(stack, window, group):
    """Issue 8: ' web' was accepted and would never match an instance's tag."""
    with raises_code("InvalidPatchGroup") as error:
        PatchGroupTarget(stack, "T", window=window, patch_group=group)
    assert repr(group) in str(error.value)
    assert stack.node.try_find_child("T") is None


@pytest.mark.parametrize("key", ["patch group", "Patch_Group", "Patch-Group", "patchgroup", "PatchGroups"])
def test_a_tag_key_near_patch_group_warns_and_points_at_patch_group_target(stack, window, key):
    from aws_cdk.assertions import Annotations, Match

    WindowTarget(stack, "T", window=window, tags={key: "web"})
    [warning] = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("PatchGroupTagKeyNearMiss"))
    assert repr(key) in warning.entry.data and "PatchGroupTarget" in warning.entry.data


@pytest.mark.parametrize("key", ["Patch Group", "PatchGroup", "Role", "Group"])
def test_exact_patch_group_keys_and_other_keys_do_not_warn(stack, window, key):
    from aws_cdk.assertions import Annotations, Match

    WindowTarget(stack, "T", window=window, tags={key: "web"})
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []


def test_tag_keys_select_instances_that_have_the_keys(stack, window):
    """Issue 20: the SSM user guide's tag-key selector (instances that have the keys, any value)
    could not be expressed."""
    WindowTarget(stack, "Tagged", window=window, tag_keys=["Name", "CostCenter"], tags={"Env": "prod"})
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTarget")
    assert props["ResourceType"] == "INSTANCE"
    assert props["Targets"] == [{"Key": "tag:Env", "Values": ["prod"]}, {"Key": "tag-key", "Values": ["Name", "CostCenter"]}]


def test_fails_when_tag_key_is_written_as_a_tag_name(stack, window):
    """Issue 20: tags={"tag-key": [...]} silently became Key tag:tag-key, which selects something
    else. It is kept as written (a tag may be named tag-key) and warns with the fix."""
    WindowTarget(stack, "Tagged", window=window, tags={"tag-key": ["Patch"]})
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTarget")
    assert props["Targets"] == [{"Key": "tag:tag-key", "Values": ["Patch"]}]
    [warning] = warnings_of(stack)
    assert "TagKeyAsTagName" in warning and "tag_keys=['Patch']" in warning


def test_fails_when_there_are_more_than_five_tag_keys(stack, window):
    with raises_code("TooManyTagPairs"):
        WindowTarget(stack, "Tagged", window=window, tag_keys=[f"k{i}" for i in range(6)])
