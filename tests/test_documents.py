"""Documents that know their type and parameters: the catalogue and the checks every task makes."""

from __future__ import annotations

import json

import pytest
from aws_cdk import aws_ssm as ssm

from mw_constructs import (
    Document,
    DocumentType,
    PatchGroupTarget,
    PatchingWindow,
    RunCommandTask,
    WindowSchedule,
)
from mw_constructs.documents import CATALOGUE
from tests.support.apps import only_role_id, raises_code, role_statements, template_of

RATE = dict(max_concurrency="10%", max_errors="1")


@pytest.fixture
def web(stack):
    from aws_cdk import Duration

    window = PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(3), cutoff=Duration.hours(1))
    return PatchGroupTarget(stack, "Web", window=window, patch_group="web")


def command(stack, web, document, parameters=None):
    return RunCommandTask(stack, "Task", window=web.window, targets=[web], document=document,
                          parameters=parameters, **RATE)


def test_the_catalogue_has_the_documents_windows_use_most_with_their_sources():
    commands = {"AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-RunShellScript", "AWS-RunPowerShellScript",
                "AWS-RunAnsiblePlaybook", "AWS-UpdateSSMAgent", "AWS-ConfigureAWSPackage"}
    runbooks = {"AWS-StopEC2Instance", "AWS-StartEC2Instance", "AWS-RestartEC2Instance", "AWS-CreateImage",
                "AWS-PatchInstanceWithRollback"}
    assert {n for n, s in CATALOGUE.items() if s.type is DocumentType.COMMAND} == commands
    assert {n for n, s in CATALOGUE.items() if s.type is DocumentType.AUTOMATION} == runbooks
    assert all(s.source.startswith("https://docs.aws.amazon.com/") for s in CATALOGUE.values())
    assert all(len({p.name for p in s.parameters}) == len(s.parameters) for s in CATALOGUE.values())


def test_fails_when_run_command_gets_an_automation_runbook(stack, web):
    """Issue 9: AWS-RestartEC2Instance synthesized as a Run Command task and failed only at deploy."""
    with raises_code("WrongDocumentType") as error:
        command(stack, web, "AWS-RestartEC2Instance", {"InstanceId": ["{{RESOURCE_ID}}"]})
    message = str(error.value)
    assert "RunCommandTask runs Command documents, but AWS-RestartEC2Instance is an Automation document" in message
    assert "use AutomationTask" in message and "RESOURCE_ID" not in message
    assert stack.node.try_find_child("Task") is None


def test_fails_when_reboot_option_reboot_is_given_through_run_command_task(stack, web):
    """Issue 9: the README's promised catch only worked through RunPatchBaselineTask."""
    with raises_code("InvalidDocumentParameter") as error:
        command(stack, web, "AWS-RunPatchBaseline", {"Operation": ["Install"], "RebootOption": ["Reboot"]})
    assert "RebootOption must be one of 'RebootIfNeeded', 'NoReboot': got 'Reboot'" in str(error.value)


def test_fails_when_a_value_differs_only_in_case_and_says_so(stack, web):
    with raises_code("InvalidDocumentParameter") as error:
        command(stack, web, Document.RUN_PATCH_BASELINE, {"Operation": ["install"]})
    assert "case-sensitive: 'Install'" in str(error.value)


@pytest.mark.parametrize("document,key,suggestion", [
    ("AWS-RunShellScript", "command", "commands"),
    ("AWS-RunPatchBaseline", "operation", "Operation"),
    ("AWS-ConfigureAWSPackage", "instalationType", "installationType"),
])
def test_fails_when_a_parameter_is_unknown_and_suggests_the_closest(stack, web, document, key, suggestion):
    parameters = {"commands": ["uptime"]} if document == "AWS-RunShellScript" else {}
    parameters[key] = ["x"]
    with raises_code("UnknownDocumentParameter") as error:
        command(stack, web, document, parameters)
    assert f"Did you mean {suggestion!r}?" in str(error.value)


def test_fails_when_a_required_parameter_is_missing(stack, web):
    with raises_code("MissingDocumentParameter") as error:
        command(stack, web, "AWS-ConfigureAWSPackage", {"action": ["Install"]})
    assert "AWS-ConfigureAWSPackage needs the parameter name" in str(error.value)


def test_fails_when_a_one_value_parameter_gets_several(stack, web):
    with raises_code("InvalidDocumentParameter") as error:
        command(stack, web, "AWS-RunShellScript", {"commands": ["uptime"], "workingDirectory": ["/a", "/b"]})
    assert "workingDirectory takes one value: got 2 values" in str(error.value)


def test_list_parameters_take_several_values(stack, web):
    command(stack, web, "AWS-RunShellScript", {"commands": ["uptime", "df -h"]})
    template_of(stack)


def test_documents_outside_the_catalogue_pass_unchecked(stack, web):
    command(stack, web, "Company-Reboot", {"anything": ["goes"]})
    template_of(stack)


def test_fails_when_a_custom_document_declares_another_type(stack, web):
    with raises_code("WrongDocumentType"):
        command(stack, web, Document.of("Company-Runbook", type=DocumentType.AUTOMATION))


def test_fails_when_a_catalogued_document_is_declared_with_the_wrong_type():
    with raises_code("WrongDocumentType"):
        Document.of("AWS-RunShellScript", type=DocumentType.AUTOMATION)


def test_a_cfn_document_gives_its_name_type_and_an_arn_for_iam(stack, web):
    """Issue 9: Document.of(cfn_document.ref) put the document's name where IAM needs an ARN."""
    cfn = ssm.CfnDocument(stack, "Doc", document_type="Command", content={
        "schemaVersion": "2.2", "description": "uptime",
        "mainSteps": [{"action": "aws:runShellScript", "name": "run", "inputs": {"runCommand": ["uptime"]}}]})
    document = Document.of(cfn)
    assert document.type is DocumentType.COMMAND
    command(stack, web, cfn)
    template = template_of(stack).to_json()
    task = next(r for r in template["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindowTask")
    assert task["Properties"]["TaskArn"] == {"Ref": "Doc"}
    [send] = [s for s in role_statements(template, only_role_id(template)) if s["Action"] == "ssm:SendCommand"]
    documents = [r for r in send["Resource"] if "document/" in json.dumps(r)]
    assert documents == [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm:", {"Ref": "AWS::Region"}, ":",
                                            {"Ref": "AWS::AccountId"}, ":document/", {"Ref": "Doc"}]]}]


def test_fails_when_an_automation_cfn_document_is_given_to_run_command(stack, web):
    cfn = ssm.CfnDocument(stack, "Runbook", document_type="Automation", content={"schemaVersion": "0.3", "mainSteps": []})
    with raises_code("WrongDocumentType"):
        command(stack, web, cfn)


def test_a_document_arn_is_used_as_it_is():
    arn = "arn:aws:ssm:eu-west-1:123456789012:document/Shared-Doc"
    assert Document.from_document_arn(arn).arn() == arn
    with raises_code("InvalidDocument"):
        Document.from_document_arn("Shared-Doc")
    assert Document.from_document_arn("arn:aws:ssm:us-east-1::document/AWS-RunShellScript").name == \
        "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"  # AWS-owned: no account


@pytest.mark.parametrize("arn", ["arn:aws:s3:::bucket", "arn:aws:ssm:eu-west-1:123456789012:parameter/x",
                                 "arn:aws:ssm:eu-west-1:123:document/Doc", "arn:aws:ssm:eu-west-1:123456789012:document/a b"])
def test_fails_when_a_document_arn_is_not_an_ssm_document(arn):
    with raises_code("InvalidDocument"):
        Document.from_document_arn(arn)
