"""Reading a CloudFormation template or a Terraform state as CloudFormation resources (issue 22,
the file sources of ``import``): intrinsics in both YAML forms read as cfn-lint reads them, the
corpus's templates, Terraform's blocks as CloudFormation properties with references and import
identifiers, and hostile files ending in one line."""

from __future__ import annotations

import json
import textwrap

import pytest

from mw_constructs.readback.configuration import DISABLED_NOTE
from mw_constructs.readback.files import SourceError, as_mapping, read_template, read_terraform
from tests.corpus.support import SSM_TYPES, entries
from tests.support.adoption import STATE

TEMPLATE = {
    "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
        "Window": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": "patch", "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1, "AllowUnassociatedTargets": False}},
        "Task": {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
            "WindowId": {"Ref": "Window"}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline", "Priority": 1,
            "ServiceRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
            "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": "Target"}]}]}},
        "Target": {"Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {
            "WindowId": {"Ref": "Window"}, "ResourceType": "INSTANCE",
            "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}]}},
        "Baseline": {"Type": "AWS::SSM::PatchBaseline", "Properties": {"Name": "web", "OperatingSystem": "UBUNTU"}},
    }
}


def test_a_json_template_gives_its_ssm_resources_windows_first_and_names_what_is_not_imported(tmp_path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(TEMPLATE))
    found = read_template(path)
    assert [r.key for r in found.resources] == ["Window", "Target", "Task", "Baseline"]
    assert as_mapping(found)["Task"] == TEMPLATE["Resources"]["Task"]
    (task,) = found.of_type("AWS::SSM::MaintenanceWindowTask")
    assert task.notes == ("refers to Role (AWS::IAM::Role), which is not imported: pass its value",)
    assert all(r.identifier == {} for r in found.resources)  # a template knows no physical IDs


YAML = textwrap.dedent("""\
    Parameters:
      Group: {Type: String}
    Resources:
      Window:
        Type: AWS::SSM::MaintenanceWindow
        Properties:
          Name: !Sub "${AWS::StackName}-patch"
          Schedule: cron(0 2 ? * SUN *)
          Duration: 3
          Cutoff: 1
          AllowUnassociatedTargets: false
          Description: !Join ["-", [a, !Ref Group]]
      Target:
        Type: AWS::SSM::MaintenanceWindowTarget
        Properties:
          WindowId: !Ref Window
          ResourceType: INSTANCE
          Targets:
            - Key: !Sub tag:${Group}
              Values: [!Select [0, !Split [",", "web,db"]]]
      Task:
        Type: AWS::SSM::MaintenanceWindowTask
        Properties:
          WindowId: !Ref Window
          TaskType: RUN_COMMAND
          TaskArn: AWS-RunPatchBaseline
          Priority: 1
          ServiceRoleArn: !GetAtt Role.Arn
          Targets: [{Key: WindowTargetIds, Values: [!Ref Target]}]
          TaskInvocationParameters:
            MaintenanceWindowRunCommandParameters:
              Parameters: {Operation: [!If [Install, Install, Scan]]}
      Role: {Type: AWS::IAM::Role}
    """)


def test_a_yaml_template_reads_its_short_forms_as_cfn_lint_does(tmp_path):
    loads = pytest.importorskip("cfnlint.decode.cfn_yaml").loads  # not in the floor job's first stage

    path = tmp_path / "template.yaml"
    path.write_text(YAML)
    expected = json.loads(json.dumps(loads(YAML)))["Resources"]
    found = as_mapping(read_template(path))
    assert found == {key: {"Type": value["Type"], "Properties": value["Properties"]}
                     for key, value in expected.items() if key != "Role"}
    assert found["Task"]["Properties"]["ServiceRoleArn"] == {"Fn::GetAtt": ["Role", "Arn"]}


@pytest.mark.parametrize("entry", [e for e in entries() if e.module.SOURCE[1] == "cloudformation"], ids=lambda e: e.name)
def test_the_corpus_templates_read_as_the_corpus_harness_reads_them(entry):
    path = entry.folder / entry.module.SOURCE[0]
    document = json.loads(path.read_text())
    expected = {key: {"Type": value["Type"], "Properties": value.get("Properties", {})}
                for key, value in document["Resources"].items() if value["Type"] in SSM_TYPES}
    assert as_mapping(read_template(path)) == expected


def test_a_terraform_state_gives_cloudformation_properties_references_and_import_identifiers(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(STATE))
    found = read_terraform(path)
    window, target, install, function, baseline = found.resources
    assert window.properties == {"Name": "patch", "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1,
                                 "AllowUnassociatedTargets": False, "ScheduleTimezone": "UTC",
                                 "Tags": [{"Key": "Team", "Value": "ops"}]}
    assert window.notes == (DISABLED_NOTE,) and window.enabled is False
    assert target.properties == {"WindowId": {"Ref": "aws_ssm_maintenance_window.this"}, "ResourceType": "INSTANCE",
                                 "Name": "web", "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}]}
    assert install.properties == {
        "WindowId": {"Ref": "aws_ssm_maintenance_window.this"}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline",
        "Priority": 1, "MaxConcurrency": "10%", "MaxErrors": "1", "CutoffBehavior": "CANCEL_TASK",
        "ServiceRoleArn": "arn:aws:iam::123456789012:role/patching",
        "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": "aws_ssm_maintenance_window_target.web"}]}],
        "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {
            "Comment": "install", "TimeoutSeconds": 600, "Parameters": {"Operation": ["Install"]},
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "/patching", "CloudWatchOutputEnabled": True}}}}
    assert function.properties["TaskInvocationParameters"] == {"MaintenanceWindowLambdaParameters": {
        "Payload": "e30=", "Qualifier": "live"}}  # base64 of {}, as CloudFormation takes it
    assert baseline.properties == {
        "Name": "ubuntu", "OperatingSystem": "UBUNTU", "GlobalFilters": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["Ubuntu22.04"]}]},
        "ApprovalRules": {"PatchRules": [{"ApproveAfterDays": 7, "ComplianceLevel": "HIGH", "EnableNonSecurity": False,
                                          "PatchFilterGroup": {"PatchFilters": [{"Key": "PRIORITY",
                                                                                 "Values": ["Required", "Important"]}]}}]},
        "PatchGroups": ["web"], "DefaultBaseline": True}
    assert (window.identifier, target.identifier, install.identifier, baseline.identifier) == (
        {"WindowId": "mw-0123456789abcdef0"},
        {"WindowId": "mw-0123456789abcdef0", "WindowTargetId": "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"},
        {"WindowId": "mw-0123456789abcdef0", "WindowTaskId": "4b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f"},
        {"Id": "pb-0123456789abcdef0"})


def test_a_states_zeros_for_unset_numbers_are_not_read_as_values(tmp_path):
    """Terraform records an unset number as 0; where 0 is not a value SSM takes (an offset of
    1-6, a timeout of 30 s or more, a delay beside an approval date) it is left out, and kept
    where SSM takes it (a delay of 0 days, priority 0)."""
    def resource(kind, values):
        return {"address": f"{kind}.x", "mode": "managed", "type": kind, "name": "x", "values": values}

    state = {"values": {"root_module": {"resources": [
        resource("aws_ssm_maintenance_window", {"id": "mw-0123456789abcdef0", "name": "w", "schedule": "rate(7 days)",
                                                "duration": 2, "cutoff": 0, "schedule_offset": 0}),
        resource("aws_ssm_maintenance_window_task", {
            "id": "4b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f", "window_id": "mw-0123456789abcdef0", "task_type": "RUN_COMMAND",
            "task_arn": "AWS-RunShellScript", "priority": 0, "max_concurrency": "1", "max_errors": "1",
            "task_invocation_parameters": [{"run_command_parameters": [{"timeout_seconds": 0, "comment": ""}]}]}),
        resource("aws_ssm_patch_baseline", {"id": "pb-0123456789abcdef0", "name": "b", "operating_system": "WINDOWS",
                                            "approval_rule": [
                                                {"approve_after_days": 0, "approve_until_date": "2026-01-31",
                                                 "patch_filter": [{"key": "PRODUCT", "values": ["*"]}]},
                                                {"approve_after_days": 0, "approve_until_date": "",
                                                 "patch_filter": [{"key": "PRODUCT", "values": ["*"]}]}]}),
    ]}}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    window, task, baseline = read_terraform(path).resources
    assert "ScheduleOffset" not in window.properties and window.properties["Cutoff"] == 0
    assert task.properties["Priority"] == 0
    assert task.properties["TaskInvocationParameters"] == {"MaintenanceWindowRunCommandParameters": {}}
    dated, delayed = baseline.properties["ApprovalRules"]["PatchRules"]
    assert "ApproveAfterDays" not in dated and dated["ApproveUntilDate"] == "2026-01-31"
    assert delayed["ApproveAfterDays"] == 0


HOSTILE = {
    "not JSON": ("{", "not JSON"),
    "NaN": ('{"values": {"root_module": {"resources": [{"values": {"duration": NaN}}]}}}', "NaN is not a JSON number"),
    "a list": ("[]", "not the JSON of terraform show -json"),
    "a plan": ('{"planned_values": {}}', "a plan, not a state"),
    "values not an object": ('{"values": []}', "no values object"),
    "deep": ("[" * 5000 + "]" * 5000, "nested"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_fails_when_a_terraform_file_is_hostile_in_one_line(tmp_path, case):
    text, words = HOSTILE[case]
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(SourceError) as error:
        read_terraform(path)
    assert words in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("text, words", [
    ("Resources: [", "not YAML"), ("a: !Ref [", "not YAML"), ("[]", "no Resources object"),
    ("Resources:\n  W: {Type: AWS::SSM::MaintenanceWindow, Properties: []}", "Properties must be an object"),
    ("x: " + "[" * 300 + "]" * 300, "nested"),
])
def test_fails_when_a_yaml_template_is_hostile_in_one_line(tmp_path, text, words):
    path = tmp_path / "template.yaml"
    path.write_text(text)
    with pytest.raises(SourceError) as error:
        read_template(path)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_fails_when_the_file_is_missing_a_folder_binary_or_too_large(tmp_path, monkeypatch):
    from mw_constructs.readback import files

    with pytest.raises(SourceError, match="not a file"):
        read_template(tmp_path / "missing.json")
    with pytest.raises(SourceError, match="not a file"):
        read_template(tmp_path)
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(SourceError, match="not UTF-8"):
        read_template(tmp_path / "binary.json")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.json").write_text(json.dumps(TEMPLATE))
    with pytest.raises(SourceError, match="larger than"):
        read_template(tmp_path / "big.json")
