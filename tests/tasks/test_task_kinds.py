"""AutomationTask, LambdaTask, StepFunctionsTask, tasks without targets, pseudo parameters,
the service-linked role, and Runbook (issue 9)."""

from __future__ import annotations

import base64
import json

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_stepfunctions as sfn

from mw_constructs import (
    AutomationTask,
    Document,
    DocumentType,
    LambdaTask,
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    PseudoParameter,
    Runbook,
    RunCommandTask,
    RunPatchBaselineTask,
    StepFunctionsTask,
    TaskNotifications,
    WindowSchedule,
)
from mw_constructs.tasks.pseudo_parameters import check_pseudo_parameters
from tests.support.apps import (
    only_properties,
    raises_code,
    resources_of_type,
    role_statements,
    template_of,
)

RATE = dict(max_concurrency="10%", max_errors="1")
MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:Patch"
FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:Check"


@pytest.fixture
def window(stack):
    return PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(4), cutoff=Duration.hours(1))


@pytest.fixture
def web(stack, window):
    return PatchGroupTarget(stack, "Web", window=window, patch_group="web")


def function(stack, id="Check"):
    return lambda_.Function(stack, id, runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
                            code=lambda_.Code.from_inline("def handler(event, context):\n    return 'ok'"))


def machine(stack, id="Machine"):
    return sfn.StateMachine(stack, id, definition_body=sfn.DefinitionBody.from_chainable(sfn.Succeed(stack, f"{id}Done")))


def tasks_by_id(stack):
    return {k: v["Properties"] for k, v in resources_of_type(template_of(stack), "AWS::SSM::MaintenanceWindowTask").items()}


def window_role_statements(stack):
    template = template_of(stack).to_json()
    role_id = next(k for k, v in template["Resources"].items()
                   if v["Type"] == "AWS::IAM::Role" and k.startswith("WindowRole"))
    return {s.get("Sid"): s for s in role_statements(template, role_id)}


# ------------------------------------------------------------------ the issue's own example


def test_the_issue_runbook_synthesizes_three_tasks_in_order_with_a_scoped_role(stack, window):
    web = PatchGroupTarget(stack, "Web", window=window, patch_group="Web Server")
    check = function(stack)
    LambdaTask(stack, "PreCheck", window=window, targets=[web], function=check,
               payload={"instance": "{{RESOURCE_ID}}"}, priority=1, **RATE)
    AutomationTask(stack, "Image", window=window, targets=[web], document="AWS-CreateImage",
                   parameters={"InstanceId": ["{{RESOURCE_ID}}"], "NoReboot": ["true"]}, priority=2, **RATE)
    RunPatchBaselineTask(stack, "Patch", window=window, targets=[web], operation=PatchOperation.INSTALL, priority=3, **RATE)
    tasks = tasks_by_id(stack)
    by_type = {props["TaskType"]: props for props in tasks.values()}
    assert [by_type[t]["Priority"] for t in ("LAMBDA", "AUTOMATION", "RUN_COMMAND")] == [1, 2, 3]
    payload = by_type["LAMBDA"]["TaskInvocationParameters"]["MaintenanceWindowLambdaParameters"]["Payload"]
    assert json.loads(base64.b64decode(payload)) == {"instance": "{{RESOURCE_ID}}"}
    assert by_type["LAMBDA"]["TaskArn"] == stack.resolve(check.function_arn)
    statements = window_role_statements(stack)
    assert statements["InvokeFunctions"]["Resource"] == stack.resolve(check.function_arn)
    assert statements["StartAutomations"]["Resource"] == stack.resolve(
        "arn:${AWS::Partition}:ssm:${AWS::Region}:*:automation-definition/AWS-CreateImage:*".replace(
            "${AWS::Partition}", stack.partition).replace("${AWS::Region}", stack.region))
    assert statements["RunbookCreateImages"]["Action"] == "ec2:CreateImage"


# ------------------------------------------------------------------ AutomationTask


def test_automation_task_renders_automation_parameters_and_version(stack, window, web):
    AutomationTask(stack, "Restart", window=window, targets=[web], document="AWS-RestartEC2Instance",
                   parameters={"InstanceId": PseudoParameter.RESOURCE_ID}, document_version=2, **RATE)
    props = next(iter(tasks_by_id(stack).values()))
    assert props["TaskType"] == "AUTOMATION" and props["TaskArn"] == "AWS-RestartEC2Instance"
    assert props["TaskInvocationParameters"] == {"MaintenanceWindowAutomationParameters": {
        "DocumentVersion": "2", "Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}}
    statements = window_role_statements(stack)
    assert sorted(statements["RunbookChangeInstanceState"]["Action"]) == ["ec2:StartInstances", "ec2:StopInstances"]
    assert "TrackAndCancelCommands" not in statements, "no Run Command bookkeeping without Run Command tasks"


def test_automation_assume_role_is_passed_and_gets_the_runbook_steps(stack, window, web):
    automation_role = MaintenanceWindowRole(stack, "AutomationRole")
    task = AutomationTask(stack, "Stop", window=window, targets=[web], document="AWS-StopEC2Instance",
                          parameters={"InstanceId": ["{{RESOURCE_ID}}"]}, assume_role=automation_role, **RATE)
    props = next(iter(tasks_by_id(stack).values()))
    parameters = props["TaskInvocationParameters"]["MaintenanceWindowAutomationParameters"]["Parameters"]
    assert parameters["AutomationAssumeRole"] == [stack.resolve(automation_role.role_arn)]
    statements = window_role_statements(stack)
    assert statements["PassRolesToSystemsManager"]["Resource"] == stack.resolve(automation_role.role_arn)
    assert statements["PassRolesToSystemsManager"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}
    assert "RunbookChangeInstanceState" not in statements, "the steps run as the assume role, not the window role"
    assert task.assume_role is automation_role
    template = template_of(stack).to_json()
    automation_role_id = next(k for k, v in template["Resources"].items()
                              if v["Type"] == "AWS::IAM::Role" and k.startswith("AutomationRole"))
    assume_sids = {s.get("Sid") for s in role_statements(template, automation_role_id)}
    assert "RunbookChangeInstanceState" in assume_sids and "RunbookDescribe" in assume_sids


def test_custom_runbook_without_assume_role_warns(stack, window):
    AutomationTask(stack, "Custom", window=window, document=Document.of("Acme-Failover", type=DocumentType.AUTOMATION))
    from aws_cdk.assertions import Annotations, Match

    Annotations.from_stack(stack).has_warning("/Test/Custom", Match.string_like_regexp("RunbookRunsAsWindowRole"))


RESTART_RUNBOOK = {"schemaVersion": "0.3", "parameters": {"InstanceId": {"type": "String"}}, "mainSteps": [
    {"name": "stop", "action": "aws:changeInstanceState",
     "inputs": {"InstanceIds": ["{{ InstanceId }}"], "DesiredState": "stopped"}},
    {"name": "describe", "action": "aws:executeAwsApi",
     "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": ["{{ InstanceId }}"]}},
    {"name": "start", "action": "aws:changeInstanceState",
     "inputs": {"InstanceIds": ["{{ InstanceId }}"], "DesiredState": "running"}},
]}


def runbook_warnings(stack):
    from aws_cdk.assertions import Annotations, Match

    return [m.entry.data for m in Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("mw-constructs:(RunbookRunsAsWindowRole|AssumeRoleNotTrustedBySsm)"))]


def test_fails_when_a_runbook_warns_though_the_users_role_allows_its_steps(stack):
    """Issue 20: RunbookRunsAsWindowRole fired where the user's own role already allowed the runbook's actions."""
    role = iam.Role(stack, "Ops", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["ec2:StartInstances", "ec2:StopInstances", "ec2:Describe*"],
                                           resources=["*"]))
    w = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                       duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
    doc = ssm.CfnDocument(stack, "Restart", document_type="Automation", content=RESTART_RUNBOOK)
    AutomationTask(stack, "Restart1", window=w, document=doc, parameters={"InstanceId": "i-0123456789abcdef0"})
    assert runbook_warnings(stack) == []


def test_runbook_warning_names_the_actions_the_role_lacks(stack):
    role = iam.Role(stack, "Ops", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["ec2:StopInstances"], resources=["*"]))
    w = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                       duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
    doc = ssm.CfnDocument(stack, "Restart", document_type="Automation", content=RESTART_RUNBOOK)
    AutomationTask(stack, "Restart1", window=w, document=doc, parameters={"InstanceId": "i-0123456789abcdef0"})
    [warning] = runbook_warnings(stack)
    assert "ec2:DescribeInstanceStatus, ec2:DescribeInstances, ec2:StartInstances" in warning
    assert "ec2:StopInstances" not in warning and "Test/Ops" in warning


def test_runbook_statements_added_after_the_task_count(stack):
    role = iam.Role(stack, "Ops", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    w = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                       duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
    doc = ssm.CfnDocument(stack, "Restart", document_type="Automation", content=RESTART_RUNBOOK)
    AutomationTask(stack, "Restart1", window=w, document=doc, parameters={"InstanceId": "i-0123456789abcdef0"})
    iam.ManagedPolicy(stack, "OpsPolicy", roles=[role], statements=[
        iam.PolicyStatement(actions=["ec2:*"], resources=["*"])])
    assert runbook_warnings(stack) == []


def test_a_role_with_administrator_access_allows_any_runbook(stack):
    role = iam.Role(stack, "Admin", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"),
                    managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")])
    w = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                       duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
    AutomationTask(stack, "Custom", window=w, document=Document.of("Acme-Failover", type=DocumentType.AUTOMATION))
    assert runbook_warnings(stack) == []


def test_a_runbook_with_a_script_step_cannot_be_read(stack, window):
    doc = ssm.CfnDocument(stack, "Script", document_type="Automation", content={"schemaVersion": "0.3", "mainSteps": [
        {"name": "run", "action": "aws:executeScript", "inputs": {"Runtime": "python3.11", "Handler": "h", "Script": ""}}]})
    AutomationTask(stack, "Scripted", window=window, document=doc)
    [warning] = runbook_warnings(stack)
    assert "cannot see what they call" in warning and "aws:executeScript" in warning


def test_fails_when_an_assume_role_trusting_another_service_is_silent(stack, window):
    """Issue 20: Automation assumes the role as ssm.amazonaws.com; a role trusted by Lambda only cannot be assumed."""
    role = iam.Role(stack, "LambdaRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    AutomationTask(stack, "Restart", window=window, document="AWS-RestartEC2Instance",
                   parameters={"InstanceId": "i-0123456789abcdef0"}, assume_role=role)
    [warning] = runbook_warnings(stack)
    assert "AssumeRoleNotTrustedBySsm" in warning and "trusts lambda.amazonaws.com" in warning


def test_an_assume_role_trusting_ssm_among_others_is_fine(stack, window):
    role = iam.Role(stack, "Both", assumed_by=iam.CompositePrincipal(
        iam.ServicePrincipal("lambda.amazonaws.com"), iam.ServicePrincipal("ssm.amazonaws.com")))
    AutomationTask(stack, "Restart", window=window, document="AWS-RestartEC2Instance",
                   parameters={"InstanceId": "i-0123456789abcdef0"}, assume_role=role)
    assert runbook_warnings(stack) == []


def test_fails_when_an_automation_definition_arn_given_to_run_command_is_silent(stack, window, web):
    from aws_cdk.assertions import Annotations, Match

    RunCommandTask(stack, "Wrong", window=window, targets=[web], **RATE,
                   document="arn:aws:ssm:eu-west-1:123456789012:automation-definition/Acme-Restart:3")
    [warning] = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("AutomationDefinitionAsCommand"))
    assert "AutomationTask(document='Acme-Restart')" in warning.entry.data


def test_automation_task_takes_a_cfn_document_and_scopes_start_to_its_definition(stack, window):
    doc = ssm.CfnDocument(stack, "Doc", document_type="Automation", content={"schemaVersion": "0.3", "mainSteps": []})
    AutomationTask(stack, "Own", window=window, document=doc)
    statements = window_role_statements(stack)
    resource = json.dumps(statements["StartAutomations"]["Resource"])
    assert ":automation-definition/" in resource and '"Ref": "Doc"' in resource and '"Ref": "AWS::AccountId"' in resource


def test_fails_when_automation_task_gets_a_command_document(stack, window, web):
    with raises_code("WrongDocumentType") as error:
        AutomationTask(stack, "T", window=window, targets=[web], document="AWS-RunPatchBaseline",
                       parameters={"Operation": "Install"}, **RATE)
    assert "use RunCommandTask" in str(error.value)


def test_fails_when_assume_role_is_given_twice(stack, window):
    role = MaintenanceWindowRole(stack, "R")
    with raises_code("AssumeRoleConflict"):
        AutomationTask(stack, "T", window=window, document="AWS-StopEC2Instance", assume_role=role,
                       parameters={"InstanceId": ["i-0123456789abcdef0"], "AutomationAssumeRole": ["arn:x"]})


@pytest.mark.parametrize("parameters", [{}, {"x" * 51: "v"}, {"InstanceId": ["x" * 513]}, {"InstanceId": ["i"] * 51}])
def test_fails_when_automation_parameters_break_api_limits(stack, window, parameters):
    with raises_code("InvalidParameters"):
        AutomationTask(stack, "T", window=window, document="Acme-Runbook", parameters=parameters)


def test_fails_when_automation_runbook_misses_a_required_parameter(stack, window, web):
    with raises_code("MissingDocumentParameter"):
        AutomationTask(stack, "T", window=window, targets=[web], document="AWS-CreateImage", parameters={"NoReboot": "true"},
                       **RATE)


# ------------------------------------------------------------------ LambdaTask


def test_lambda_task_by_arn_with_qualifier_invokes_exactly_that_alias(stack, window):
    task = LambdaTask(stack, "Check", window=window, function=FUNCTION_ARN, qualifier="live",
                      payload='{"window": "{{WINDOW_EXECUTION_ID}}"}', client_context={"custom": {"team": "ops"}})
    props = next(iter(tasks_by_id(stack).values()))
    assert props["TaskArn"] == FUNCTION_ARN  # issue 20: the qualifier is the API's own Qualifier, not folded in
    assert "Targets" not in props and "MaxConcurrency" not in props and "MaxErrors" not in props
    parameters = props["TaskInvocationParameters"]["MaintenanceWindowLambdaParameters"]
    assert parameters["Qualifier"] == "live"
    assert base64.b64decode(parameters["Payload"]).decode() == '{"window": "{{WINDOW_EXECUTION_ID}}"}'
    assert json.loads(base64.b64decode(parameters["ClientContext"])) == {"custom": {"team": "ops"}}
    assert window_role_statements(stack)["InvokeFunctions"]["Resource"] == FUNCTION_ARN + ":live"
    assert task.function_arn == FUNCTION_ARN + ":live"


def test_lambda_task_payload_with_deploy_time_values_is_encoded_by_cloudformation(stack, window):
    check = function(stack)
    LambdaTask(stack, "T", window=window, function="Check-Fn", payload={"target": check.function_arn})
    props = next(iter(tasks_by_id(stack).values()))
    assert "Fn::Base64" in props["TaskInvocationParameters"]["MaintenanceWindowLambdaParameters"]["Payload"]
    assert props["TaskArn"] == "Check-Fn"
    resource = json.dumps(window_role_statements(stack)["InvokeFunctions"]["Resource"])
    assert ":function:Check-Fn" in resource


def test_lambda_alias_is_already_qualified(stack, window):
    check = function(stack)
    alias = lambda_.Alias(stack, "Live", alias_name="live", version=check.current_version)
    LambdaTask(stack, "T", window=window, function=alias)
    assert window_role_statements(stack)["InvokeFunctions"]["Resource"] == stack.resolve(alias.function_arn)
    with raises_code("InvalidQualifier"):  # Lambda refuses a qualifier that differs from the alias
        LambdaTask(stack, "T2", window=window, function=alias, qualifier="canary")
    LambdaTask(stack, "T3", window=window, function=alias, qualifier="live")  # the same: as the API has it


@pytest.mark.parametrize("payload", ["{not json", {"big": "x" * 4096}, {"when": object()}, 5])
def test_fails_when_lambda_payload_is_not_json_or_too_big(stack, window, payload):
    with raises_code("InvalidPayload"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, payload=payload)


@pytest.mark.parametrize("function_, code", [("has space", "InvalidFunction"), (5, "InvalidFunction"),
                                             ("arn:aws:lambda:eu-west-1:1:function:x", "InvalidFunction")])
def test_fails_when_function_is_invalid(stack, window, function_, code):
    with raises_code(code):
        LambdaTask(stack, "T", window=window, function=function_)


def test_fails_when_qualifier_is_invalid(stack, window):
    with raises_code("InvalidQualifier"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, qualifier="has space")
    with raises_code("InvalidQualifier"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN + ":live", qualifier="7")


def test_a_qualified_arn_with_the_same_qualifier_is_kept_as_written(stack, window):
    """What a template of the API's shape holds (TaskArn qualified, Qualifier the same) round-trips."""
    LambdaTask(stack, "T", window=window, function=FUNCTION_ARN + ":live", qualifier="live")
    props = next(iter(tasks_by_id(stack).values()))
    assert props["TaskArn"] == FUNCTION_ARN + ":live"
    assert props["TaskInvocationParameters"]["MaintenanceWindowLambdaParameters"]["Qualifier"] == "live"
    assert window_role_statements(stack)["InvokeFunctions"]["Resource"] == FUNCTION_ARN + ":live"


def test_an_already_encoded_payload_is_written_as_given(stack, window):
    """Issue 20: a base64 payload (as CloudFormation's Payload holds it) was refused as not JSON."""
    encoded = base64.b64encode(b'{"action": "check"}').decode()
    context = base64.b64encode(b'{"custom": {}}').decode()
    LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, payload_base64=encoded, client_context_base64=context)
    parameters = next(iter(tasks_by_id(stack).values()))["TaskInvocationParameters"]["MaintenanceWindowLambdaParameters"]
    assert parameters["Payload"] == encoded and parameters["ClientContext"] == context


def test_fails_when_an_encoded_payload_is_given_as_json(stack, window):
    encoded = base64.b64encode(b'{"action": "check"}').decode()
    with raises_code("InvalidPayload") as info:
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, payload=encoded)
    assert "payload_base64" in str(info.value)


@pytest.mark.parametrize("kwargs", [{"payload_base64": "not base64!"}, {"payload_base64": base64.b64encode(b"not json").decode()},
                                    {"payload": {}, "payload_base64": base64.b64encode(b"{}").decode()},
                                    {"client_context_base64": "%%%"}])
def test_fails_when_an_encoded_value_is_not_base64_json(stack, window, kwargs):
    with raises_code("InvalidPayload"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, **kwargs)


# ------------------------------------------------------------------ StepFunctionsTask


def test_step_functions_task_starts_and_describes_only_its_state_machine(stack, window, web):
    health = machine(stack)
    StepFunctionsTask(stack, "Health", window=window, targets=[web], state_machine=health,
                      input={"instance": "{{RESOURCE_ID}}"}, execution_name="health-{{INVOCATION_ID}}", **RATE)
    props = next(iter(tasks_by_id(stack).values()))
    assert props["TaskType"] == "STEP_FUNCTIONS" and props["TaskArn"] == stack.resolve(health.state_machine_arn)
    assert props["TaskInvocationParameters"] == {"MaintenanceWindowStepFunctionsParameters": {
        "Input": '{"instance":"{{RESOURCE_ID}}"}', "Name": "health-{{INVOCATION_ID}}"}}
    statements = window_role_statements(stack)
    assert statements["StartStateMachines"]["Resource"] == stack.resolve(health.state_machine_arn)
    described = json.dumps(statements["TrackStateMachineExecutions"]["Resource"])
    assert "execution" in described and stack.resolve(health.state_machine_arn)["Ref"] in described


def test_step_functions_execution_arns_of_a_literal_arn():
    from mw_constructs.tasks.step_functions import execution_arns

    assert execution_arns(MACHINE_ARN) == "arn:aws:states:eu-west-1:123456789012:execution:Patch:*"


@pytest.mark.parametrize("name", ["patch", "patch-{{WINDOW_EXECUTION_ID}}", "has space-{{INVOCATION_ID}}", "x" * 81])
def test_fails_when_execution_name_could_repeat_or_is_invalid(stack, window, web, name):
    with raises_code("InvalidExecutionName"):
        StepFunctionsTask(stack, "T", window=window, targets=[web], state_machine=MACHINE_ARN, execution_name=name, **RATE)


def test_targetless_execution_name_may_use_the_window_execution(stack, window):
    StepFunctionsTask(stack, "T", window=window, state_machine=MACHINE_ARN, execution_name="patch-{{WINDOW_EXECUTION_ID}}")


@pytest.mark.parametrize("state_machine", ["Patch", "arn:aws:states:eu-west-1:123456789012:activity:x", 5])
def test_fails_when_state_machine_is_invalid(stack, window, state_machine):
    with raises_code("InvalidStateMachine"):
        StepFunctionsTask(stack, "T", window=window, state_machine=state_machine)


@pytest.mark.parametrize("input_", ["[1,", "x" * 10, {"big": "x" * 4096}])
def test_fails_when_step_functions_input_is_invalid(stack, window, input_):
    with raises_code("InvalidExecutionInput"):
        StepFunctionsTask(stack, "T", window=window, state_machine=MACHINE_ARN, input=input_)


# ------------------------------------------------------------------ targets and rate control


def test_targetless_tasks_get_no_target_permissions_and_no_rate_control(stack, window):
    StepFunctionsTask(stack, "T", window=window, state_machine=MACHINE_ARN)
    props = next(iter(tasks_by_id(stack).values()))
    assert not {"Targets", "MaxConcurrency", "MaxErrors"} & set(props)


@pytest.mark.parametrize("rate", [dict(max_concurrency="1"), dict(max_errors="0"), RATE])
def test_fails_when_a_task_without_targets_sets_rate_control(stack, window, rate):
    with raises_code("RateControlWithoutTargets"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, **rate)


def test_fails_when_a_run_command_task_has_no_targets(stack, window):
    with raises_code("TaskWithoutTargets"):
        RunCommandTask(stack, "T", window=window, document="AWS-RunShellScript", parameters={"commands": ["true"]})


# ------------------------------------------------------------------ pseudo parameters


@pytest.mark.parametrize("value, kind, has_targets, code", [
    ("{{RESOURCE_ID}}", "RUN_COMMAND", True, "UnsupportedPseudoParameter"),
    ("{{TARGET_ID}}", "RUN_COMMAND", True, "UnsupportedPseudoParameter"),
    ("{{RESOURCE_ID}}", "LAMBDA", False, "UnsupportedPseudoParameter"),
    ("{{TARGET_TYPE}}", "AUTOMATION", False, "UnsupportedPseudoParameter"),
    ("{{WINDOW_TARGET_ID}}", "STEP_FUNCTIONS", False, "UnsupportedPseudoParameter"),
    ("{{LOGGING_S3_BUCKET_NAME}}", "LAMBDA", True, "UnsupportedPseudoParameter"),
])
def test_fails_when_a_pseudo_parameter_is_used_where_aws_does_not_fill_it(value, kind, has_targets, code):
    with raises_code(code) as error:
        check_pseudo_parameters("payload", [value], kind=kind, has_targets=has_targets)
    assert value in str(error.value)


def test_a_misspelt_pseudo_parameter_warns_with_the_closest():
    """Issue 20: SSM passes an unknown {{NAME}} on as written: legal, so a warning, not an error."""
    [advice] = check_pseudo_parameters("payload", ["x-{{RESOURCEID}}"], kind="AUTOMATION", has_targets=True)
    assert advice.id == "mw-constructs:UnknownPseudoParameter" and "Did you mean {{RESOURCE_ID}}?" in advice.message


def test_a_task_reports_a_misspelt_pseudo_parameter(stack, window, web):
    from aws_cdk.assertions import Annotations, Match

    AutomationTask(stack, "Stop", window=window, targets=[web], document="AWS-StopEC2Instance",
                   parameters={"InstanceId": "{{RESOURCEID}}"}, **RATE)
    Annotations.from_stack(stack).has_warning("/Test/Stop", Match.string_like_regexp("UnknownPseudoParameter"))


@pytest.mark.parametrize("value, kind, has_targets", [
    ("{{RESOURCE_ID}}", "AUTOMATION", True), ("{{TARGET_ID}}", "LAMBDA", True), ("{{TARGET_TYPE}}", "RUN_COMMAND", True),
    ("{{WINDOW_EXECUTION_ID}}", "LAMBDA", False), ("{{INVOCATION_ID}}", "STEP_FUNCTIONS", False),
    ("{{ssm:/my/param}}", "RUN_COMMAND", True), ("{{ InstanceId }}", "AUTOMATION", True),
])
def test_pseudo_parameters_pass_where_aws_fills_them(value, kind, has_targets):
    assert check_pseudo_parameters("payload", [value], kind=kind, has_targets=has_targets) == []


def test_pseudo_parameter_constants_are_the_strings_ssm_replaces():
    assert PseudoParameter.RESOURCE_ID == "{{RESOURCE_ID}}"
    assert PseudoParameter.TASK_EXECUTION_ID == "{{TASK_EXECUTION_ID}}"


def test_fails_when_a_targetless_lambda_payload_names_the_resource(stack, window):
    with raises_code("UnsupportedPseudoParameter") as error:
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, payload={"id": PseudoParameter.RESOURCE_ID})
    assert "no targets" in str(error.value)


# ------------------------------------------------------------------ roles


def test_service_linked_role_leaves_service_role_arn_out_and_grants_nothing(stack, window, web):
    task = LambdaTask(stack, "T", window=window, targets=[web], function=FUNCTION_ARN, service_linked_role=True, **RATE)
    props = next(iter(tasks_by_id(stack).values()))
    assert "ServiceRoleArn" not in props and task.role is None
    assert not resources_of_type(template_of(stack), "AWS::IAM::Role"), "no window role is created"


def test_fails_when_service_linked_role_and_role_are_both_given(stack, window):
    with raises_code("ServiceLinkedRoleConflict"):
        LambdaTask(stack, "T", window=window, function=FUNCTION_ARN, service_linked_role=True,
                   role=MaintenanceWindowRole(stack, "R"))


def test_an_iam_role_of_your_own_gets_the_statements_in_its_default_policy(stack, window):
    own = iam.Role(stack, "Own", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    StepFunctionsTask(stack, "T", window=window, state_machine=MACHINE_ARN, role=own)
    policy = only_properties(template_of(stack), "AWS::IAM::Policy")
    actions = {s["Action"] for s in policy["PolicyDocument"]["Statement"]}
    assert actions == {"states:StartExecution", "states:DescribeExecution"}


def test_an_existing_notification_role_is_used_and_passed(stack, window, web):
    notification_role = iam.Role.from_role_arn(stack, "Sns", "arn:aws:iam::123456789012:role/ssm-sns")
    RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript",
                   parameters={"commands": ["true"]}, notifications=TaskNotifications(role=notification_role), **RATE)
    props = next(iter(tasks_by_id(stack).values()))
    assert props["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["ServiceRoleArn"] == \
        "arn:aws:iam::123456789012:role/ssm-sns"
    assert window_role_statements(stack)["PassRolesToSystemsManager"]["Resource"] == "arn:aws:iam::123456789012:role/ssm-sns"
    roles = [v for v in resources_of_type(template_of(stack), "AWS::IAM::Role").values()]
    assert len(roles) == 1, "no notification role is created"


# ------------------------------------------------------------------ Runbook


def runbook_tasks(stack, window, web):
    pre = LambdaTask(stack, "PreCheck", window=window, targets=[web], function=FUNCTION_ARN, **RATE)
    stop_web = RunCommandTask(stack, "StopWeb", window=window, targets=[web], document="AWS-RunShellScript",
                              parameters={"commands": ["systemctl stop web"]}, **RATE)
    stop_db = RunCommandTask(stack, "StopDb", window=window, targets=[web], document="AWS-RunShellScript",
                             parameters={"commands": ["systemctl stop db"]}, **RATE)
    patch = RunPatchBaselineTask(stack, "Patch", window=window, targets=[web], operation=PatchOperation.INSTALL, **RATE)
    return pre, stop_web, stop_db, patch


def test_runbook_numbers_steps_and_shares_a_priority_within_a_step(stack, window, web):
    pre, stop_web, stop_db, patch = runbook_tasks(stack, window, web)
    runbook = Runbook(pre, [stop_web, stop_db], patch)
    assert runbook.priorities == (1, 2, 3)
    priorities = {k.rstrip("0123456789ABCDEF"): v["Priority"] for k, v in tasks_by_id(stack).items()}
    assert priorities == {"PreCheck": 1, "StopWeb": 2, "StopDb": 2, "Patch": 3}
    assert [t.priority for t in (pre, stop_web, stop_db, patch)] == [1, 2, 2, 3]
    assert "1: PreCheck" in repr(runbook) and "StopWeb+StopDb" in repr(runbook)


def test_runbook_can_start_at_another_priority(stack, window, web):
    pre, stop_web, stop_db, patch = runbook_tasks(stack, window, web)
    assert Runbook(pre, stop_web, first_priority=10).priorities == (10, 11)


def test_fails_when_runbook_steps_are_wrong(stack, window, web):
    pre, stop_web, stop_db, patch = runbook_tasks(stack, window, web)
    other = PatchingWindow(stack, "Other", schedule=WindowSchedule.expression("cron(0 2 ? * SAT *)"),
                           duration=Duration.hours(2), cutoff=Duration.hours(1))
    foreign = LambdaTask(stack, "Foreign", window=other, function=FUNCTION_ARN)
    numbered = LambdaTask(stack, "Numbered", window=window, function=FUNCTION_ARN, priority=4)
    for steps in ((), (pre, []), (pre, "task"), (pre, pre), (pre, foreign), (pre, numbered), (pre, [stop_web, 5])):
        with raises_code("InvalidRunbook"):
            Runbook(*steps)
    Runbook(pre, stop_web)
    with raises_code("InvalidRunbook"):
        Runbook(stop_db, pre)  # pre already has its place


def test_fails_when_first_priority_is_negative(stack, window, web):
    pre, *_ = runbook_tasks(stack, window, web)
    with raises_code("InvalidPriority"):
        Runbook(pre, first_priority=-1)


def test_a_kind_of_every_task_synthesizes_in_one_stack():
    """(aws-cdk-lib's own Function and StateMachine carry a DependsOn cfn-lint flags, W3005; the
    example app shows how to drop it, so here they are imported by ARN.)"""
    from tests.support.apps import cfn_lint_findings, new_app

    app = new_app()
    stack = Stack(app, "Kinds")
    win = PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                         duration=Duration.hours(4), cutoff=Duration.hours(1))
    target = PatchGroupTarget(stack, "Web", window=win, patch_group="web")
    Runbook(
        LambdaTask(stack, "Pre", window=win, targets=[target], function=FUNCTION_ARN, **RATE),
        AutomationTask(stack, "Image", window=win, targets=[target], document="AWS-CreateImage",
                       parameters={"InstanceId": "{{RESOURCE_ID}}"}, **RATE),
        RunPatchBaselineTask(stack, "Patch", window=win, targets=[target], operation=PatchOperation.INSTALL, **RATE),
        StepFunctionsTask(stack, "Health", window=win, state_machine=MACHINE_ARN),
    )
    template = app.synth().get_stack_by_name("Kinds").template
    assert cfn_lint_findings(template) == []


def test_a_task_kind_written_as_architecture_md_says_synthesizes(stack, window, web):
    """ARCHITECTURE.md "Adding a task kind", followed outside the library: check everything,
    then the base, the grant and the L1."""
    from aws_cdk import aws_ssm as ssm

    from mw_constructs.iam.grants import Permission, target_permissions
    from mw_constructs.interfaces import TaskOptions
    from mw_constructs.tasks import TaskBase, TaskSettings
    from mw_constructs.tasks.pseudo_parameters import TaskKind

    class RestartAgentTask(TaskBase):
        """Restart the SSM Agent on the targets (AWS-RunShellScript with a fixed command)."""

        def __init__(self, scope, id, *, window, **options):
            settings = TaskSettings.parse(window, TaskOptions(**options), kind="a restart task",
                                          task_type=TaskKind.RUN_COMMAND)
            super().__init__(scope, id, settings)
            self._grant((*target_permissions(), Permission(("ssm:SendCommand",), ("*",), sid="RestartAgent")),
                        "restarting the agent")
            self._create(settings, task_arn="AWS-RunShellScript", invocation=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_run_command_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowRunCommandParametersProperty(
                    parameters={"commands": ["systemctl restart amazon-ssm-agent"]})))

    with raises_code("RateControlRequired"):  # the common options are checked before anything is made
        RestartAgentTask(stack, "Bad", window=window, targets=[web])
    assert stack.node.try_find_child("Bad") is None
    task = RestartAgentTask(stack, "Restart", window=window, targets=[web], **RATE)
    properties = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")
    assert properties["TaskArn"] == "AWS-RunShellScript" and properties["MaxConcurrency"] == "10%"
    assert task.task_id and task.role is window.role


def test_the_role_of_many_runbook_tasks_is_read_once_and_each_task_is_warned(stack, monkeypatch):
    """Issue 25: each task read its role's policies at synthesis, walking the whole stack once per
    task (160 tasks on one role: 4.8 s of synthesis). One check per role reads them once."""
    from mw_constructs.tasks import automation

    reads = []
    original = automation.visible_policy
    monkeypatch.setattr(automation, "visible_policy", lambda role: reads.append(role) or original(role))
    role = iam.Role(stack, "Ops", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["ec2:StopInstances"], resources=["*"]))
    doc = ssm.CfnDocument(stack, "Restart", document_type="Automation", content=RESTART_RUNBOOK)
    for number in range(3):
        w = PatchingWindow(stack, f"W{number}", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                           duration=Duration.hours(3), cutoff=Duration.hours(1), role=role)
        AutomationTask(stack, f"Restart{number}", window=w, document=doc, parameters={"InstanceId": "i-0123456789abcdef0"})
    warnings = runbook_warnings(stack)
    assert len(reads) == 1
    assert len(warnings) == 3 and all("ec2:StartInstances" in warning for warning in warnings)


def test_an_assume_role_passed_by_many_tasks_is_read_once_and_each_task_is_warned(stack, window, monkeypatch):
    from mw_constructs.tasks import automation

    reads = []
    original = automation.trusted_services
    monkeypatch.setattr(automation, "trusted_services", lambda role: reads.append(role) or original(role))
    lambda_role = iam.Role(stack, "LambdaRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    for number in range(3):
        AutomationTask(stack, f"Restart{number}", window=window, document="AWS-RestartEC2Instance",
                       parameters={"InstanceId": "i-0123456789abcdef0"}, assume_role=lambda_role)
    warnings = runbook_warnings(stack)
    assert len(reads) == 1
    assert len(warnings) == 3 and all("trusts lambda.amazonaws.com" in warning for warning in warnings)
