"""MaintenanceWindowRole and grant_pass_role."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam

from mw_constructs import (
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    RunCommandTask,
    WindowSchedule,
)
from tests.support.apps import (
    only_properties,
    only_role_id,
    raises_code,
    role_statements,
    template_of,
)


def test_role_is_trusted_by_ssm_only_and_has_no_managed_policy(stack):
    MaintenanceWindowRole(stack, "Role")
    props = only_properties(template_of(stack), "AWS::IAM::Role")
    assert props["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in props


def _actions(stack) -> list:
    template = template_of(stack).to_json()
    statements = role_statements(template, only_role_id(template))
    return [a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]


def test_role_only_resolves_targets_until_a_task_needs_more(stack):
    MaintenanceWindowRole(stack, "Role")
    assert "Policies" not in only_properties(template_of(stack), "AWS::IAM::Role"), "no inline policy"
    actions = _actions(stack)
    assert sorted(actions) == ["resource-groups:ListGroupResources", "resource-groups:ListGroups", "tag:GetResources"]


def test_a_run_command_task_brings_cancel_command_and_send_command(stack):
    role = MaintenanceWindowRole(stack, "Role")
    window = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(2), cutoff=Duration.hours(1), role=role)
    web = PatchGroupTarget(stack, "Web", window=window, patch_group="web")
    RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript",
                   parameters={"commands": ["true"]}, max_concurrency="1", max_errors="0")
    actions = _actions(stack)
    assert {"ssm:CancelCommand", "ssm:SendCommand", "tag:GetResources"} <= set(actions)
    assert not any(a.startswith(("iam:", "lambda:", "states:")) or a.endswith("*") for a in actions)


def test_managed_policy_only_as_opt_in(stack):
    MaintenanceWindowRole(stack, "Role", use_aws_managed_policy=True)
    props = only_properties(template_of(stack), "AWS::IAM::Role")
    arn = props["ManagedPolicyArns"][0]["Fn::Join"][1]
    assert arn[-1] == ":iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"
    assert "tag:GetResources" in _actions(stack), "the role's own policy is still attached"


def test_fails_when_use_aws_managed_policy_is_not_bool(stack):
    with raises_code("InvalidType"):
        MaintenanceWindowRole(stack, "Role", use_aws_managed_policy="yes")


def test_grant_pass_role_is_scoped_to_the_role_and_to_ssm(stack):
    role = MaintenanceWindowRole(stack, "Role")
    group = iam.Group(stack, "Admins")
    grant = role.grant_pass_role(group)
    assert isinstance(grant, iam.Grant)
    policy = only_properties(template_of(stack), "AWS::IAM::Policy")
    assert policy["Groups"] == [stack.resolve(group.group_name)]
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Action": "iam:PassRole",
            "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": stack.resolve(role.role_arn),
        }
    ]


def test_grant_pass_role_to_a_user_and_a_role(stack):
    role = MaintenanceWindowRole(stack, "Role")
    role.grant_pass_role(iam.User(stack, "Operator"))
    role.grant_pass_role(iam.Role(stack, "Pipeline", assumed_by=iam.AccountRootPrincipal()))
    template_of(stack).resource_count_is("AWS::IAM::Policy", 2)


def test_imported_role_grants_pass_role_on_its_arn(stack):
    arn = "arn:aws:iam::123456789012:role/patching"
    role = MaintenanceWindowRole.from_role_arn(stack, "Existing", arn)
    role.grant_pass_role(iam.Group(stack, "Admins"))
    statement = only_properties(template_of(stack), "AWS::IAM::Policy")["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == arn


def test_trust_policy_has_no_conditions_by_default(stack):
    MaintenanceWindowRole(stack, "Role")
    statement = only_properties(template_of(stack), "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"][0]
    assert "Condition" not in statement


def test_confused_deputy_conditions_are_opt_in(stack):
    MaintenanceWindowRole(stack, "Role", confused_deputy_conditions=True)
    statement = only_properties(template_of(stack), "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source_arn = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Join"][1]
    assert source_arn[-1] == ":maintenancewindow/*" and {"Ref": "AWS::Region"} in source_arn


def test_fails_when_confused_deputy_conditions_is_not_bool(stack):
    with raises_code("InvalidType"):
        MaintenanceWindowRole(stack, "Role", confused_deputy_conditions="yes")
