"""Reading an account's maintenance-window configuration as CloudFormation resources (issue 22,
the account side of ``import``), against botocore's Stubber: pagination, the mapping of every
task kind, notes for what CloudFormation cannot express, access denied, throttling, no Region."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from mw_constructs.readback import account
from mw_constructs.readback.account import AccountError
from mw_constructs.readback.configuration import (DISABLED_NOTE, IMPORT_IDENTIFIERS, import_mapping, outside_group_note,
                                                  read_configuration)

WINDOW, OTHER = "mw-0123456789abcdef0", "mw-0123456789abcdef1"
TARGET, TASK = "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6", "4b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f"
ROLE = "arn:aws:iam::123456789012:role/patching"


def client():
    return boto3.client("ssm", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")


def window_answer(window_id, name, **extra):
    return {"WindowId": window_id, "Name": name, "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1,
            "AllowUnassociatedTargets": False, "Enabled": True, **extra}


def expect_window(stub, window_id, name, *, tags=(), targets=(), tasks=(), **extra):
    stub.add_response("list_tags_for_resource", {"TagList": [{"Key": k, "Value": v} for k, v in tags]},
                      {"ResourceType": "MaintenanceWindow", "ResourceId": window_id})
    stub.add_response("get_maintenance_window", window_answer(window_id, name, **extra), {"WindowId": window_id})
    stub.add_response("describe_maintenance_window_targets", {"Targets": list(targets)}, {"WindowId": window_id})
    stub.add_response("describe_maintenance_window_tasks",
                      {"Tasks": [{"WindowId": window_id, "WindowTaskId": task["WindowTaskId"]} for task in tasks]},
                      {"WindowId": window_id})
    for task in tasks:
        stub.add_response("get_maintenance_window_task", {"WindowId": window_id, **task},
                          {"WindowId": window_id, "WindowTaskId": task["WindowTaskId"]})


def test_windows_over_two_pages_with_targets_and_a_run_command_task_by_reference():
    ssm = client()
    with Stubber(ssm) as stub:
        stub.add_response("describe_maintenance_windows", {"WindowIdentities": [{"WindowId": WINDOW, "Name": "patch"}],
                                                           "NextToken": "page-2"}, {})
        stub.add_response("describe_maintenance_windows", {"WindowIdentities": [{"WindowId": OTHER, "Name": "other"}]},
                          {"NextToken": "page-2"})
        target = {"WindowId": WINDOW, "WindowTargetId": TARGET, "ResourceType": "INSTANCE", "Name": "web",
                  "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}]}
        task = {"WindowTaskId": TASK, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline", "ServiceRoleArn": ROLE,
                "Priority": 1, "MaxConcurrency": "10%", "MaxErrors": "1", "CutoffBehavior": "CONTINUE_TASK",
                "Targets": [{"Key": "WindowTargetIds", "Values": [TARGET]}],
                "TaskInvocationParameters": {"RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600,
                                                            "Comment": ""}}}
        expect_window(stub, WINDOW, "patch", tags=[("Team", "ops")], targets=[target], tasks=[task],
                      ScheduleTimezone="Europe/Amsterdam", StartDate="2030-01-01T00:00:00Z")
        expect_window(stub, OTHER, "other")
        found = read_configuration(ssm, baselines=False)
        stub.assert_no_pending_responses()
    assert [(r.type, r.key) for r in found.resources] == [
        ("AWS::SSM::MaintenanceWindow", WINDOW), ("AWS::SSM::MaintenanceWindowTarget", TARGET),
        ("AWS::SSM::MaintenanceWindowTask", TASK), ("AWS::SSM::MaintenanceWindow", OTHER)]
    window, target, task, other = found.resources
    assert window.properties == {
        "Name": "patch", "Schedule": "cron(0 2 ? * SUN *)", "ScheduleTimezone": "Europe/Amsterdam",
        "StartDate": "2030-01-01T00:00:00Z", "Duration": 3, "Cutoff": 1, "AllowUnassociatedTargets": False,
        "Tags": [{"Key": "Team", "Value": "ops"}]}
    assert target.properties == {"WindowId": {"Ref": WINDOW}, "ResourceType": "INSTANCE", "Name": "web",
                                 "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}]}
    assert task.properties == {
        "WindowId": {"Ref": WINDOW}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline", "ServiceRoleArn": ROLE,
        "Priority": 1, "MaxConcurrency": "10%", "MaxErrors": "1", "CutoffBehavior": "CONTINUE_TASK",
        "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": TARGET}]}],
        "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {
            "Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600}}}  # the empty comment is not set
    assert (window.identifier, target.identifier, task.identifier) == (
        {"WindowId": WINDOW}, {"WindowId": WINDOW, "WindowTargetId": TARGET}, {"WindowId": WINDOW, "WindowTaskId": TASK})
    assert other.notes == () and window.notes == ()
    assert found.region == "eu-west-1"


def test_every_task_kind_maps_to_its_cloudformation_parameters_and_what_cloudformation_lacks_is_a_note():
    ssm = client()
    tasks = [
        {"WindowTaskId": "a" * 36, "TaskType": "AUTOMATION", "TaskArn": "AWS-RestartEC2Instance", "Priority": 2,
         "TaskInvocationParameters": {"Automation": {"DocumentVersion": "$DEFAULT",
                                                     "Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}},
         "Targets": [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
         "AlarmConfiguration": {"IgnorePollAlarmFailure": False, "Alarms": [{"Name": "cpu"}]}},
        {"WindowTaskId": "b" * 36, "TaskType": "LAMBDA", "TaskArn": "arn:aws:lambda:eu-west-1:123456789012:function:f",
         "Priority": 3, "TaskInvocationParameters": {"Lambda": {"Payload": b'{"a": 1}', "Qualifier": "live"}}},
        {"WindowTaskId": "c" * 36, "TaskType": "STEP_FUNCTIONS", "Priority": 4,
         "TaskArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:m",
         "TaskInvocationParameters": {"StepFunctions": {"Input": "{}", "Name": "{{INVOCATION_ID}}"}}},
    ]
    with Stubber(ssm) as stub:
        expect_window(stub, WINDOW, "kinds", tasks=tasks, Enabled=False)
        found = read_configuration(ssm, window_ids=[WINDOW, WINDOW], baselines=False)  # an ID given twice is read once
        stub.assert_no_pending_responses()
    window, automation, function, machine = found.resources
    assert window.notes == (DISABLED_NOTE,) and window.enabled is False
    assert automation.properties["TaskInvocationParameters"] == {"MaintenanceWindowAutomationParameters": {
        "DocumentVersion": "$DEFAULT", "Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}}
    assert automation.properties["Targets"] == [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}]
    assert len(automation.notes) == 1 and "AlarmConfiguration" in automation.notes[0]
    assert function.properties["TaskInvocationParameters"] == {"MaintenanceWindowLambdaParameters": {
        "Payload": "eyJhIjogMX0=", "Qualifier": "live"}}  # base64 of the bytes, as CloudFormation takes it
    assert machine.properties["TaskInvocationParameters"] == {"MaintenanceWindowStepFunctionsParameters": {
        "Input": "{}", "Name": "{{INVOCATION_ID}}"}}


def test_windows_are_chosen_by_name_and_tags():
    ssm = client()
    with Stubber(ssm) as stub:
        stub.add_response("describe_maintenance_windows", {"WindowIdentities": [
            {"WindowId": WINDOW, "Name": "patch"}, {"WindowId": OTHER, "Name": "other"}]}, {})
        stub.add_response("list_tags_for_resource", {"TagList": [{"Key": "Team", "Value": "dev"}]},
                          {"ResourceType": "MaintenanceWindow", "ResourceId": WINDOW})
        found = read_configuration(ssm, names=["patch"], tags={"Team": "ops"}, baselines=False)
        stub.assert_no_pending_responses()
    assert found.resources == ()


def test_own_baselines_with_patch_groups_tags_and_the_default_of_their_operating_system():
    ssm = client()
    with Stubber(ssm) as stub:
        stub.add_response("describe_maintenance_windows", {"WindowIdentities": []}, {})
        stub.add_response("describe_patch_baselines", {"BaselineIdentities": [
            {"BaselineId": "pb-0123456789abcdef0"}, {"BaselineId": "pb-0123456789abcdef1"}]},
            {"Filters": [{"Key": "OWNER", "Values": ["Self"]}]})
        for baseline_id, name in (("pb-0123456789abcdef0", "web"), ("pb-0123456789abcdef1", "data")):
            stub.add_response("get_patch_baseline", {
                "BaselineId": baseline_id, "Name": name, "OperatingSystem": "AMAZON_LINUX_2023",
                "ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": [
                    {"Key": "CLASSIFICATION", "Values": ["Security"]}]}, "ApproveAfterDays": 7}]},
                "PatchGroups": [name], "ApprovedPatches": [], "RejectedPatches": []}, {"BaselineId": baseline_id})
            if name == "web":  # asked once per operating system
                stub.add_response("get_default_patch_baseline", {"BaselineId": "pb-0123456789abcdef0",
                                                                 "OperatingSystem": "AMAZON_LINUX_2023"},
                                  {"OperatingSystem": "AMAZON_LINUX_2023"})
            stub.add_response("list_tags_for_resource", {"TagList": [{"Key": "Tier", "Value": name}]},
                              {"ResourceType": "PatchBaseline", "ResourceId": baseline_id})
        aws = "arn:aws:ssm:eu-west-1:123456789012:patchbaseline/pb-0fedcba9876543210"  # one of AWS's, made-up ID
        stub.add_response("describe_patch_groups", {"Mappings": [
            {"PatchGroup": "web", "BaselineIdentity": {"BaselineId": "pb-0123456789abcdef0", "BaselineName": "web"}},
            {"PatchGroup": "windows", "BaselineIdentity": {"BaselineId": aws, "BaselineName": "AWS-DefaultPatchBaseline"}}],
            "NextToken": "2"}, {})
        stub.add_response("describe_patch_groups", {"Mappings": [
            {"PatchGroup": "data", "BaselineIdentity": {"BaselineId": "pb-0123456789abcdef1", "BaselineName": "data"}}]},
            {"NextToken": "2"})
        found = read_configuration(ssm)
        stub.assert_no_pending_responses()
    # a group registered with one of AWS's baselines is said, not dropped (the account's own are PatchGroups)
    assert found.left_out == (outside_group_note("windows", "AWS-DefaultPatchBaseline"),)
    web, data = found.of_type("AWS::SSM::PatchBaseline")
    assert web.properties == {
        "Name": "web", "OperatingSystem": "AMAZON_LINUX_2023", "PatchGroups": ["web"], "DefaultBaseline": True,
        "ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": [
            {"Key": "CLASSIFICATION", "Values": ["Security"]}]}, "ApproveAfterDays": 7}]},
        "Tags": [{"Key": "Tier", "Value": "web"}]}
    assert "DefaultBaseline" not in data.properties and data.identifier == {"Id": "pb-0123456789abcdef1"}


@pytest.mark.parametrize("code", ["AccessDeniedException", "ThrottlingException"])
def test_what_aws_refuses_is_one_line_naming_what_import_needs(code):
    ssm = client()
    with Stubber(ssm) as stub:
        stub.add_client_error("describe_maintenance_windows", service_error_code=code, service_message="no")
        with pytest.raises(AccountError) as error:
            read_configuration(ssm)
    message = str(error.value)
    assert "\n" not in message and message.startswith(code)
    if code == "AccessDeniedException":
        assert "'import' needs" in message and "ssm:GetMaintenanceWindowTask" in message


def test_fails_when_no_region_is_known(monkeypatch, tmp_path):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(AccountError, match="no AWS Region"):
        account.make_client(None, None)


def test_the_import_mapping_uses_the_identifiers_cloudformation_import_expects():
    """Each type's identifier is the primaryIdentifier of its CloudFormation resource schema
    (as cfn-lint ships them), and the mapping file has one entry per logical ID."""
    import cfnlint

    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    hashes = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    for resource_type, keys in IMPORT_IDENTIFIERS.items():
        schema = json.loads((schemas / "resources" / f"{hashes[resource_type]}.json").read_text())
        assert [path.rsplit("/", 1)[-1] for path in schema["primaryIdentifier"]] == list(keys), resource_type
    ssm = client()
    with Stubber(ssm) as stub:
        target = {"WindowId": WINDOW, "WindowTargetId": TARGET, "ResourceType": "INSTANCE",
                  "Targets": [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}]}
        expect_window(stub, WINDOW, "patch", targets=[target])
        found = read_configuration(ssm, window_ids=[WINDOW], baselines=False)
    assert import_mapping(found, {WINDOW: "PatchWindow1A2B3C4D", TARGET: "WebTargetDEADBEEF"}) == {
        "PatchWindow1A2B3C4D": {"WindowId": WINDOW}, "WebTargetDEADBEEF": {"WindowId": WINDOW, "WindowTargetId": TARGET}}


# ---------------------------------------------------------------------- against moto


def create_every_kind(ssm) -> dict:
    """A window, a target, a task of every kind and a baseline with a patch group, created through
    the SSM API; what was asked, to compare with what reads back."""
    window = {"Name": "patch-web", "Schedule": "cron(0 2 ? * SUN *)", "ScheduleTimezone": "Europe/Amsterdam",
              "Duration": 4, "Cutoff": 1, "Description": "web servers", "AllowUnassociatedTargets": False}
    window_id = ssm.create_maintenance_window(**window, Tags=[{"Key": "Team", "Value": "ops"}])["WindowId"]
    target = {"ResourceType": "INSTANCE", "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}], "Name": "web"}
    target_id = ssm.register_target_with_maintenance_window(WindowId=window_id, **target)["WindowTargetId"]
    common = {"WindowId": window_id, "MaxConcurrency": "10%", "MaxErrors": "1",
              "Targets": [{"Key": "WindowTargetIds", "Values": [target_id]}]}
    tasks = {
        "RUN_COMMAND": dict(TaskArn="AWS-RunPatchBaseline", Priority=1, ServiceRoleArn=ROLE, TaskInvocationParameters={
            "RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600}}),
        "AUTOMATION": dict(TaskArn="AWS-RestartEC2Instance", Priority=2, ServiceRoleArn=ROLE, TaskInvocationParameters={
            "Automation": {"DocumentVersion": "$DEFAULT", "Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}}),
        "LAMBDA": dict(TaskArn="arn:aws:lambda:eu-west-1:123456789012:function:check", Priority=3, ServiceRoleArn=ROLE,
                       TaskInvocationParameters={"Lambda": {"Qualifier": "live"}}),
        "STEP_FUNCTIONS": dict(TaskArn="arn:aws:states:eu-west-1:123456789012:stateMachine:m", Priority=4,
                               ServiceRoleArn=ROLE, TaskInvocationParameters={"StepFunctions": {"Input": "{}"}}),
    }
    for kind, task in tasks.items():
        ssm.register_task_with_maintenance_window(TaskType=kind, **common, **task)
    baseline = {"Name": "web-al2023", "OperatingSystem": "AMAZON_LINUX_2023", "ApprovalRules": {"PatchRules": [
        {"PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security"]}]},
         "ApproveAfterDays": 7}]}}
    baseline_id = ssm.create_patch_baseline(**baseline)["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="web")
    return dict(window=window, window_id=window_id, target=target, target_id=target_id, common=common, tasks=tasks,
                baseline=baseline, baseline_id=baseline_id)


def test_what_was_created_through_the_api_reads_back_as_the_cloudformation_that_would_create_it():
    """Windows, targets, a task of every kind and baselines created through the SSM API (moto,
    with tests/support/moto_ssm_reads.py for the Get operations it lacks) read back property by
    property in CloudFormation's names, references between them as Ref."""
    from moto import mock_aws

    from tests.support import moto_ssm_reads

    moto_ssm_reads.install()
    with mock_aws():
        ssm = boto3.client("ssm", region_name="eu-west-1")
        made = create_every_kind(ssm)
        found = read_configuration(ssm)
    window, window_id, target, target_id = made["window"], made["window_id"], made["target"], made["target_id"]
    common, tasks, baseline, baseline_id = made["common"], made["tasks"], made["baseline"], made["baseline_id"]
    (read_window,) = found.of_type("AWS::SSM::MaintenanceWindow")
    assert read_window.properties == {**window, "Tags": [{"Key": "Team", "Value": "ops"}]}
    (read_target,) = found.of_type("AWS::SSM::MaintenanceWindowTarget")
    assert read_target.properties == {"WindowId": {"Ref": window_id}, **target}
    read_tasks = {task.properties["TaskType"]: task.properties for task in found.of_type("AWS::SSM::MaintenanceWindowTask")}
    assert set(read_tasks) == set(tasks)
    for kind, task in tasks.items():
        invocation = {f"MaintenanceWindow{key}Parameters": value for key, value in task["TaskInvocationParameters"].items()}
        expected = {**common, **task, "TaskType": kind, "TaskInvocationParameters": invocation,
                    "WindowId": {"Ref": window_id}, "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": target_id}]}]}
        assert read_tasks[kind] == expected, kind
    (read_baseline,) = found.of_type("AWS::SSM::PatchBaseline")
    assert read_baseline.properties == {**baseline, "PatchGroups": ["web"]}
    assert read_baseline.identifier == {"Id": baseline_id}
    assert found.left_out == ()  # DescribePatchGroups lists "web" with the account's own baseline
