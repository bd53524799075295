"""The constructs behave like aws-cdk-lib L2s: Resources, interfaces, imports, add_* methods, roles."""

from __future__ import annotations

import pytest
from aws_cdk import Annotations as CdkAnnotations
from aws_cdk import App, Environment, RemovalPolicy, Resource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match
from constructs import Construct
from jsii._kernel import _get_overides  # what jsii registers with Node when it creates an object

from mw_constructs import (
    IMaintenanceWindowTask,
    IPatchingWindow,
    IWindowTarget,
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RunCommandTask,
    RunPatchBaselineTask,
    TaskNotifications,
    WindowSchedule,
    WindowTarget,
)
from tests.support.apps import (
    new_app,
    only_properties,
    raises_code,
    role_statements,
    template_of,
)
from tests.support.apps import sunday_window as window

SUNDAY = WindowSchedule.expression("cron(0 2 ? * SUN *)")
RATE = dict(max_concurrency="10%", max_errors="1")
WINDOW_ID = "mw-0c50858d01e0abcde"
TARGET_ID = "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"


def test_constructs_have_the_resource_surface_env_stack_and_removal_policy():
    """Windows, targets and tasks are light constructs (``LightResource``: a Construct with
    Resource's surface written in Python); the role is an aws-cdk-lib Resource. Both answer alike."""
    app = new_app()
    stack = Stack(app, "Env", env=Environment(account="123456789012", region="eu-west-1"))
    w = window(stack)
    target = w.add_patch_group_target("Web", patch_group="web")
    task = RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.SCAN, **RATE)
    role = MaintenanceWindowRole(stack, "Role")
    assert isinstance(role, Resource)
    for construct in (w, target, task, role):
        assert construct.stack is stack
        assert construct.env.account == "123456789012" and construct.env.region == "eu-west-1"
    for construct in (w, target, task):
        assert not isinstance(construct, Resource)
        # aws-cdk-lib code reads ``env`` of an ``aws_cdk.interfaces`` reference in Node: jsii registers the
        # Python property as an override of the reference's member when it creates the construct
        overrides = {entry.property for entry in _get_overides(Construct, construct)}
        assert "env" in overrides and any(name.endswith("Ref") for name in overrides)
    w.apply_removal_policy(RemovalPolicy.RETAIN)
    target.apply_removal_policy(RemovalPolicy.RETAIN)
    task.apply_removal_policy(RemovalPolicy.DESTROY)
    template = template_of(stack)
    for resource_type, policy in (("AWS::SSM::MaintenanceWindow", "Retain"), ("AWS::SSM::MaintenanceWindowTarget", "Retain"),
                                  ("AWS::SSM::MaintenanceWindowTask", "Delete")):
        resource = next(iter(template.find_resources(resource_type).values()))
        assert resource["DeletionPolicy"] == policy and resource["UpdateReplacePolicy"] == policy


def test_fails_when_a_removal_policy_is_applied_to_an_imported_window(stack):
    imported = PatchingWindow.from_window_id(stack, "Imported", WINDOW_ID)
    with raises_code("NoResource") as error:
        imported.apply_removal_policy(RemovalPolicy.RETAIN)
    assert "Env/Imported" in str(error.value) or "/Imported" in str(error.value)


def test_window_arn_is_built_from_the_window_id(stack):
    w = window(stack)
    joined = stack.resolve(w.window_arn)["Fn::Join"][1]
    assert joined == ["arn:", {"Ref": "AWS::Partition"}, ":ssm:", {"Ref": "AWS::Region"}, ":",
                      {"Ref": "AWS::AccountId"}, ":maintenancewindow/", {"Ref": stack.get_logical_id(w.node.default_child)}]


def test_imported_window_by_arn_keeps_its_account_and_region(stack):
    arn = f"arn:aws:ssm:us-east-2:210987654321:maintenancewindow/{WINDOW_ID}"
    imported = PatchingWindow.from_window_attributes(stack, "Imported", window_arn=arn)
    assert imported.window_id == WINDOW_ID and imported.window_arn == arn
    assert imported.env.account == "210987654321" and imported.env.region == "us-east-2"


def test_imported_window_by_id_is_an_arn_in_this_stack(stack):
    imported = PatchingWindow.from_window_id(stack, "Imported", WINDOW_ID)
    assert imported.window_id == WINDOW_ID
    assert stack.resolve(imported.window_arn)["Fn::Join"][1][-1] == f":maintenancewindow/{WINDOW_ID}"


def test_fails_when_an_imported_window_arn_is_not_a_window_arn(stack):
    with raises_code("InvalidWindowArn") as error:
        PatchingWindow.from_window_attributes(stack, "W", window_arn="arn:aws:ssm:eu-west-1:123456789012:document/mw-1")
    assert "window_arn" in str(error.value) and "arn:aws:ssm:eu-west-1:123456789012:document/mw-1" in str(error.value)


def test_fails_when_both_or_neither_window_id_and_arn_are_given(stack):
    with raises_code("InvalidWindowId"):
        PatchingWindow.from_window_attributes(stack, "W")
    with raises_code("InvalidWindowId"):
        PatchingWindow.from_window_attributes(stack, "W2", window_id=WINDOW_ID,
                                              window_arn=f"arn:aws:ssm:eu-west-1:123456789012:maintenancewindow/{WINDOW_ID}")


def test_fails_when_an_imported_target_id_is_not_a_uuid(stack):
    imported = PatchingWindow.from_window_id(stack, "W", WINDOW_ID)
    with raises_code("InvalidTargetId") as error:
        WindowTarget.from_target_id(stack, "T", window=imported, target_id="web-servers")
    assert "'web-servers'" in str(error.value)
    assert stack.node.try_find_child("T") is None


def test_the_cli_blog_flow_registers_a_task_on_an_existing_target_of_an_existing_window(stack):
    """aws ssm register-task-with-maintenance-window on an existing window and target, as code."""
    existing = PatchingWindow.from_window_id(stack, "Window", WINDOW_ID)
    web = WindowTarget.from_target_id(stack, "Web", window=existing, target_id=TARGET_ID)
    task = existing.add_task("Update", document="AWS-RunShellScript", targets=[web],
                             parameters={"commands": ["yum -y update"]}, priority=10, **RATE)
    assert isinstance(task, RunCommandTask) and task.window is existing
    properties = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")
    assert properties["WindowId"] == WINDOW_ID
    assert properties["Targets"] == [{"Key": "WindowTargetIds", "Values": [TARGET_ID]}]
    assert properties["TaskArn"] == "AWS-RunShellScript" and properties["Priority"] == 10
    [role_id] = template_of(stack).find_resources("AWS::IAM::Role")
    assert properties["ServiceRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]} and role_id.startswith("WindowRole")


def test_add_methods_create_children_of_the_window_and_return_them(stack):
    w = window(stack)
    tagged = w.add_target("Tagged", tags={"Role": "web"})
    group = w.add_patch_group_target("Group", patch_group="db")
    task = w.add_task("Run", document="AWS-RunShellScript", targets=[tagged, group],
                      parameters={"commands": ["uptime"]}, **RATE)
    assert isinstance(tagged, WindowTarget) and isinstance(group, PatchGroupTarget)
    assert [c.node.id for c in (tagged, group, task)] == ["Tagged", "Group", "Run"]
    assert all(c.node.scope is w for c in (tagged, group, task))
    template = template_of(stack)
    assert len(template.find_resources("AWS::SSM::MaintenanceWindowTarget")) == 2


def test_imports_and_owned_constructs_satisfy_the_public_interfaces(stack):
    owned = window(stack)
    imported = PatchingWindow.from_window_id(stack, "Imported", WINDOW_ID)
    target = WindowTarget.from_target_id(stack, "T", window=imported, target_id=TARGET_ID)
    task = imported.add_task("Run", document="AWS-RunShellScript", targets=[target],
                             parameters={"commands": ["uptime"]}, **RATE)
    windows: list[IPatchingWindow] = [owned, imported]
    targets: list[IWindowTarget] = [target, owned.add_target("Own", tags={"a": "b"})]
    tasks: list[IMaintenanceWindowTask] = [task]
    for w in windows:
        assert w.window_id and w.window_arn and isinstance(w.allow_unassociated_targets, bool)
    assert all(t.target_id and t.window for t in targets)
    assert all(t.task_id and t.role and t.window for t in tasks)


def test_a_plain_iam_role_works_as_the_window_role_and_gets_the_task_statements(stack):
    role = iam.Role(stack, "Mine", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    w = window(stack, role=role)
    target = w.add_patch_group_target("Web", patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL, **RATE)
    template = template_of(stack).to_json()
    task = next(r for r in template["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindowTask")
    assert task["Properties"]["ServiceRoleArn"] == {"Fn::GetAtt": [stack.get_logical_id(role.node.default_child), "Arn"]}
    statements = role_statements(template, stack.get_logical_id(role.node.default_child))
    assert any(s["Action"] == "ssm:SendCommand" for s in statements)
    # into the role's default (inline) policy, as every aws-cdk-lib grant does
    assert any(r["Type"] == "AWS::IAM::Policy" for r in template["Resources"].values())
    assert Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("RoleNotModified")) == []


def test_a_plain_iam_role_works_as_a_task_role(stack):
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    w = window(stack)
    target = w.add_patch_group_target("Web", patch_group="web")
    task = RunPatchBaselineTask(stack, "Scan", window=w, targets=[target], operation=PatchOperation.SCAN,
                                role=role, **RATE)
    assert task.role is role
    assert w.node.try_find_child("Role") is None, "the window's default role is not created when unused"
    template_of(stack)


def test_an_immutable_imported_role_is_left_alone_with_a_warning_naming_what_it_needs(stack):
    role = MaintenanceWindowRole.from_role_arn(stack, "Existing", "arn:aws:iam::123456789012:role/patching")
    w = window(stack, role=role)
    target = w.add_patch_group_target("Web", patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL, **RATE)
    template = template_of(stack).to_json()
    assert not [r for r in template["Resources"].values() if r["Type"].startswith("AWS::IAM::")]
    [warning] = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("RoleNotModified"))
    assert "ssm:SendCommand" in warning.entry.data and "mutable=True" in warning.entry.data


def test_fails_when_role_not_modified_is_said_once_per_task(stack):
    """Issue 20: five tasks sharing one imported role gave six warnings; the role gets one."""
    role = MaintenanceWindowRole.from_role_arn(stack, "Existing", "arn:aws:iam::123456789012:role/patching")
    w = window(stack, role=role)
    target = w.add_patch_group_target("Web", patch_group="web")
    for index in range(4):
        RunPatchBaselineTask(stack, f"Install{index}", window=w, targets=[target], operation=PatchOperation.INSTALL,
                             priority=index, **RATE)
    RunPatchBaselineTask(stack, "Notified", window=w, targets=[target], operation=PatchOperation.SCAN,
                         notifications=TaskNotifications(), **RATE)
    warnings = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("mw-constructs:RoleNotModified"))
    [warning] = warnings
    assert warning.id == "/Test/Existing" and "RoleNotModified" in warning.entry.data
    text = warning.entry.data
    assert all(f"Test/Install{index}" in text for index in range(4)) and "Test/Notified" in text
    assert text.count("ssm:SendCommand") == 1 and "iam:PassRole, condition iam:PassedToService" in text


def test_role_not_modified_can_be_acknowledged_on_the_stack(stack):
    role = MaintenanceWindowRole.from_role_arn(stack, "Existing", "arn:aws:iam::123456789012:role/patching")
    w = window(stack, role=role)
    target = w.add_patch_group_target("Web", patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL, **RATE)
    CdkAnnotations.of(stack).acknowledge_warning("mw-constructs:RoleNotModified", "the role is managed by the platform team")
    assert Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("RoleNotModified")) == []


def test_a_mutable_imported_role_gets_the_statements(stack):
    role = MaintenanceWindowRole.from_role_arn(stack, "Existing", "arn:aws:iam::123456789012:role/patching",
                                               mutable=True)
    w = window(stack, role=role)
    target = w.add_patch_group_target("Web", patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL, **RATE)
    policies = template_of(stack).find_resources("AWS::IAM::Policy")
    assert len(policies) == 1
    [policy] = policies.values()
    assert policy["Properties"]["Roles"] == ["patching"]
    assert Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("RoleNotModified")) == []


def test_maintenance_window_role_takes_name_description_path_and_boundary(stack):
    boundary = iam.ManagedPolicy.from_managed_policy_name(stack, "Boundary", "patching-boundary")
    role = MaintenanceWindowRole(stack, "Role", role_name="patching-tasks", description="Runs patching",
                                 path="/patching/", permissions_boundary=boundary)
    properties = only_properties(template_of(stack), "AWS::IAM::Role")
    assert properties["RoleName"] == "patching-tasks" and properties["Description"] == "Runs patching"
    assert properties["Path"] == "/patching/"
    assert "patching-boundary" in str(stack.resolve(properties["PermissionsBoundary"]))
    assert isinstance(role.role, iam.Role)


@pytest.mark.parametrize("kwargs,code", [
    (dict(role_name="has space"), "InvalidName"),
    (dict(path="patching"), "InvalidName"),
    (dict(description=""), "InvalidDescription"),
])
def test_fails_when_maintenance_window_role_options_are_invalid(stack, kwargs, code):
    with raises_code(code):
        MaintenanceWindowRole(stack, "Role", **kwargs)
    assert stack.node.try_find_child("Role") is None


def test_grants_to_a_maintenance_window_role_go_into_its_managed_policy(stack):
    role = MaintenanceWindowRole(stack, "Role")
    bucket_arn = "arn:aws:s3:::patch-lists"
    iam.Grant.add_to_principal(grantee=role, actions=["s3:GetObject"], resource_arns=[f"{bucket_arn}/*"])
    template = template_of(stack)
    assert template.find_resources("AWS::IAM::Policy") == {}
    [policy] = template.find_resources("AWS::IAM::ManagedPolicy").values()
    assert {"Action": "s3:GetObject", "Effect": "Allow", "Resource": f"{bucket_arn}/*"} in \
        policy["Properties"]["PolicyDocument"]["Statement"]


def test_logical_ids_of_the_window_role_did_not_move():
    """MaintenanceWindowRole wraps an iam.Role child named Resource, so ids stay as before the L2 rework."""
    app = App()
    stack = Stack(app, "Ids")
    MaintenanceWindowRole(stack, "PatchingRole")
    resources = app.synth().get_stack_by_name("Ids").template["Resources"]
    assert {"PatchingRoleBA84A835", "PatchingRolePolicyFE4C855F"} <= set(resources)
