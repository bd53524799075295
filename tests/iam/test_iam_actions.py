"""What runbook steps call and what policy statements allow, as plain values (no stack)."""

from __future__ import annotations

import pytest

from mw_constructs._internal.iam_actions import allows, allows_everything, not_allowed, runbook_calls


def runbook(*steps):
    return {"schemaVersion": "0.3", "mainSteps": list(steps)}


def step(action, **inputs):
    return {"name": action.split(":")[1], "action": action, "inputs": inputs}


def test_api_steps_call_their_service_and_api_with_the_iam_prefix():
    assert runbook_calls(runbook(
        step("aws:executeAwsApi", Service="ec2", Api="DescribeInstances"),
        step("aws:waitForAwsResourceProperty", Service="elbv2", Api="DescribeTargetHealth"),
        step("aws:assertAwsResourceProperty", Service="stepfunctions", Api="DescribeExecution"),
    )) == ("ec2:DescribeInstances", "elasticloadbalancing:DescribeTargetHealth", "states:DescribeExecution")


def test_steps_with_fixed_calls_and_steps_that_call_nothing():
    assert runbook_calls(runbook(step("aws:sleep", Duration="PT1M"), step("aws:runCommand", DocumentName="AWS-RunShellScript"),
                                 step("aws:approve", Approvers=["arn:aws:iam::123456789012:role/ops"]))) == (
        "ssm:ListCommandInvocations", "ssm:ListCommands", "ssm:SendCommand")


def test_inputs_choose_what_some_steps_call():
    assert runbook_calls(runbook(step("aws:changeInstanceState", DesiredState="terminated"))) == (
        "ec2:DescribeInstanceStatus", "ec2:TerminateInstances")
    assert runbook_calls(runbook(step("aws:createTags", ResourceType="Parameter"))) == ("ssm:AddTagsToResource",)
    assert runbook_calls(runbook(step("aws:createTags"))) == ("ec2:CreateTags",)
    assert runbook_calls(runbook(step("aws:approve", NotificationArn="arn:aws:sns:eu-west-1:1:t"))) == ("sns:Publish",)


def test_loops_are_read_through():
    loop = step("aws:loop", Iterators="{{ ids }}", Steps=[step("aws:invokeLambdaFunction", FunctionName="f")])
    assert runbook_calls(runbook(loop)) == ("lambda:InvokeFunction",)


@pytest.mark.parametrize("content", [
    runbook(step("aws:executeScript", Runtime="python3.11")),
    runbook(step("aws:executeAwsApi", Service="{{ service }}", Api="DescribeInstances")),
    runbook(step("aws:changeInstanceState", DesiredState="{{ state }}")),
    runbook(step("aws:someFutureAction")),
    {"schemaVersion": "0.3"},
    "not json",
    None,
])
def test_calls_that_cannot_be_known_are_none(content):
    assert runbook_calls(content) is None


def test_json_text_is_read():
    assert runbook_calls('{"mainSteps": [{"action": "aws:createImage", "inputs": {}}]}') == (
        "ec2:CreateImage", "ec2:DescribeImages")


def test_statements_allow_by_pattern_case_insensitively():
    statements = [{"Effect": "Allow", "Action": ["ec2:Describe*", "ssm:sendcommand"], "Resource": "*"}]
    assert allows(statements, "ec2:DescribeInstances") and allows(statements, "ssm:SendCommand")
    assert not_allowed(statements, ["ec2:StartInstances", "ec2:DescribeImages"]) == ["ec2:StartInstances"]


def test_an_unconditional_deny_wins_and_not_action_allows_the_rest():
    statements = [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}]
    assert allows(statements, "ec2:StopInstances") and not allows(statements, "iam:PassRole")
    assert not allows(statements, "ec2:TerminateInstances")


def test_allows_everything_only_for_a_star_action_without_denies():
    assert allows_everything([{"Effect": "Allow", "Action": "*", "Resource": "*"}])
    assert not allows_everything([{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}])
    assert not allows_everything([{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                  {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}])
