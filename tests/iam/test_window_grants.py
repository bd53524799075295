"""grant_read_history and grant_register_tasks (issue 24, point 6): what a person needs to read a
window's history (what `mw-constructs status` calls) and to register tasks with it, each action on
the window where IAM can name one (the Service Authorization Reference's resource types) and on
``*`` only where it cannot."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam

from mw_constructs import MaintenanceWindowRole, PatchingWindow, WindowSchedule
from mw_constructs._internal.iam_actions import WINDOW_HISTORY_ACTIONS, WINDOW_SCOPED_ACTIONS
from tests.support.apps import raises_code, template_of


@pytest.fixture
def window(stack):
    return PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))


def statements_of(stack, principal_logical_prefix: str):
    policies = template_of(stack).find_resources("AWS::IAM::Policy")
    statements = []
    for logical_id, policy in policies.items():
        if logical_id.startswith(principal_logical_prefix):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def actions_of(statement):
    return [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]


def window_arn(stack, window):
    return stack.resolve(window.window_arn)


def test_read_history_allows_executions_on_this_window_and_the_unscopable_reads_on_star(stack, window):
    reader = iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    grant = window.grant_read_history(reader)
    assert grant.success
    statements = statements_of(stack, "ReaderDefaultPolicy")
    by_resource = {str(s["Resource"]): set(actions_of(s)) for s in statements}
    assert by_resource == {
        str(window_arn(stack, window)): {"ssm:DescribeMaintenanceWindowExecutions"},
        "*": {"ssm:DescribeMaintenanceWindows", "ssm:DescribeMaintenanceWindowSchedule",
              "ssm:DescribeMaintenanceWindowExecutionTasks", "ssm:DescribeMaintenanceWindowExecutionTaskInvocations"},
    }
    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in statements)


def test_every_granted_action_is_scoped_as_iam_allows(stack, window):
    """No action the reference lets a policy scope to a window is given on *, and none that takes
    only * is given on the window (IAM would not match it)."""
    people = iam.Group(stack, "People")
    window.grant_read_history(people)
    window.grant_register_tasks(people)
    for statement in statements_of(stack, "PeopleDefaultPolicy"):
        for action in actions_of(statement):
            if action.startswith("ssm:"):
                assert (statement["Resource"] != "*") == (action in WINDOW_SCOPED_ACTIONS), (action, statement["Resource"])


def test_register_tasks_allows_registering_on_this_window_and_passing_its_role_to_ssm_only(stack, window):
    admins = iam.Group(stack, "Admins")
    window.grant_register_tasks(admins)
    statements = statements_of(stack, "AdminsDefaultPolicy")
    assert {"Action": "ssm:RegisterTaskWithMaintenanceWindow", "Effect": "Allow",
            "Resource": window_arn(stack, window)} in statements
    (pass_role,) = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert pass_role["Resource"] == stack.resolve(window.role.role_arn)
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}
    assert len(statements) == 2


def test_register_tasks_passes_the_window_s_own_role(stack):
    role = MaintenanceWindowRole(stack, "TaskRole")
    window = PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
    admins = iam.Group(stack, "Admins")
    window.grant_register_tasks(admins)
    (pass_role,) = [s for s in statements_of(stack, "AdminsDefaultPolicy") if s["Action"] == "iam:PassRole"]
    assert pass_role["Resource"] == stack.resolve(role.role_arn)


def test_an_imported_window_grants_on_its_arn(stack):
    imported = PatchingWindow.from_window_id(stack, "Imported", "mw-0123456789abcdef0")
    reader = iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    imported.grant_read_history(reader)
    scoped = [s for s in statements_of(stack, "ReaderDefaultPolicy") if s["Resource"] != "*"]
    assert "maintenancewindow/mw-0123456789abcdef0" in str(scoped[0]["Resource"])


def test_the_history_actions_are_the_window_calls_of_status():
    from mw_constructs.readback.account import REQUIRED_ACTIONS

    assert set(WINDOW_HISTORY_ACTIONS) == {a for a in REQUIRED_ACTIONS if "MaintenanceWindow" in a}


@pytest.mark.parametrize("grantee", ["arn:aws:iam::123456789012:role/ops", None, 5])
def test_fails_when_the_grantee_is_not_grantable(stack, window, grantee):
    with raises_code("InvalidType"):
        window.grant_read_history(grantee)
    with raises_code("InvalidType"):
        window.grant_register_tasks(grantee)
