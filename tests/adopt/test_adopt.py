"""Adopting existing windows (issue 22): the code ``adopt`` writes rebuilds its source exactly
(every corpus configuration, a Terraform state, what moto holds after the SSM API created it),
says what the library refuses and what only the escape hatch writes, runs as a CDK app, and
gives ``cdk import`` a mapping that names the generated logical IDs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import pytest

from mw_constructs.adopt import Adoption, adopt
from mw_constructs.readback.configuration import IMPORT_IDENTIFIERS, read_configuration
from mw_constructs.readback.files import read_template, read_terraform
from tests.corpus.support import entries, original_resources
from tests.support.adoption import STATE

CORPUS = [entry for entry in entries() if entry.module.SOURCE[1] in ("cloudformation", "resolved")]


def template_of(code: str, class_name: str = "AdoptedPatching") -> dict:
    """Build the written module from its text, as ``python OUT.py`` would."""
    from aws_cdk import App

    namespace: dict = {"__name__": "adopted"}
    exec(compile(code, "<adopted>", "exec"), namespace)
    app = App()  # as python OUT.py builds it (a source CloudFormation would refuse is reproduced, with findings)
    stack = namespace[class_name](app, "Adopted")
    return app.synth().get_stack_by_name(stack.stack_name).template


@pytest.mark.parametrize("entry", CORPUS, ids=lambda entry: entry.name)
def test_every_corpus_template_is_rebuilt_by_the_code_written_for_it(entry, tmp_path):
    """``adopt`` itself builds the code and compares each resource (AdoptError otherwise); here
    the written code is built once more and every source resource found under its logical ID."""
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": original_resources(entry)}))
    configuration = read_template(path)
    adoption = adopt(configuration, source=entry.name)
    resources = template_of(adoption.code)["Resources"]
    assert sorted(adoption.logical_ids) == sorted(r.key for r in configuration.resources)
    for key, logical_id in adoption.logical_ids.items():
        assert resources[logical_id]["Type"] == next(r.type for r in configuration.resources if r.key == key)
    for key, refusal in adoption.refused.items():
        assert refusal.startswith("[") and f"# mw-constructs refuses it: {refusal.split(']')[0]}]" in adoption.code


def test_the_corpus_counts():
    """The figures the closing note gives, and a floor so they cannot silently shrink."""
    import tempfile
    from pathlib import Path

    configurations = resources = escapes = refused = findings = 0
    for entry in CORPUS:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "template.json"
            path.write_text(json.dumps({"Resources": original_resources(entry)}))
            adoption = adopt(read_template(path))
        configurations += 1
        resources += len(adoption.logical_ids)
        escapes += len(adoption.escapes)
        refused += len(adoption.refused)
        findings += sum(len(found) for found in adoption.findings.values())
    print(f"\ncorpus: {configurations} configurations, {resources} resources round-tripped, {escapes} escape hatches, "
          f"{refused} refused, {findings} findings")
    assert configurations == len(CORPUS) >= 8 and resources >= 30


def test_a_terraform_state_is_adopted_with_idiomatic_constructs_refusals_and_escapes(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(STATE))
    configuration = read_terraform(path)
    adoption = adopt(configuration, source="state.json")
    code = adoption.code
    for written in ("PatchingWindow(", "PatchGroupTarget(", "RunPatchBaselineTask(", "operation=PatchOperation.INSTALL",
                    "MaintenanceWindowRole.from_role_arn(", "LambdaTask(", 'payload_base64="e30="',
                    "service_linked_role=True", "cutoff_behavior=CutoffBehavior.CANCEL_TASK"):
        assert written in code, written
    # the Ubuntu baseline delays approval, which AWS refuses for Ubuntu: written as it is, with the refusal
    assert list(adoption.refused) == ["module.tasks.aws_ssm_patch_baseline.ubuntu"]
    assert "ApprovalDelayNotSupported" in adoption.refused["module.tasks.aws_ssm_patch_baseline.ubuntu"]
    assert 'CfnResource(\n            self, "Ubuntu", type="AWS::SSM::PatchBaseline"' in code
    # CloudWatch output has no argument on an imported log group here: the escape hatch, said
    assert [(e.key.rsplit(".", 1)[-1], e.path) for e in adoption.escapes] == [
        ("install", "TaskInvocationParameters.MaintenanceWindowRunCommandParameters.CloudWatchOutputConfig")]
    assert "# not said by the arguments above (escape hatch):" in code
    assert adoption.notes == {"aws_ssm_maintenance_window.this": configuration.resources[0].notes}


def test_the_written_module_is_a_cdk_app_that_honours_cdk_outdir(tmp_path):
    from tests.support.adoption import write_adopted

    module = write_adopted(tmp_path)
    out = tmp_path / "cdk.out"
    environment = {**os.environ, "CDK_OUTDIR": str(out)}
    subprocess.run([sys.executable, str(module)], check=True, env=environment, capture_output=True, timeout=300)
    template = json.loads((out / "AdoptedPatching.template.json").read_text())
    assert sum(1 for r in template["Resources"].values() if r["Type"].startswith("AWS::SSM::")) == 5


def test_the_moto_account_is_adopted_and_the_import_mapping_names_the_written_logical_ids():
    """Windows, targets, a task of every kind and a baseline created through the SSM API, read
    back, written as code: the code rebuilds them, and the cdk import mapping gives each logical
    ID of the written stack the identifier CloudFormation's import expects for its type."""
    from moto import mock_aws

    from tests.readback.test_configuration import create_every_kind
    from tests.support import moto_ssm_reads

    moto_ssm_reads.install()
    with mock_aws():
        ssm = boto3.client("ssm", region_name="eu-west-1")
        create_every_kind(ssm)
        configuration = read_configuration(ssm)
    adoption = adopt(configuration, source="an account")
    resources = template_of(adoption.code)["Resources"]
    mapping = adoption.import_mapping(configuration)
    assert len(mapping) == len(configuration.resources) == 7  # window, target, four tasks, baseline
    for logical_id, identifier in mapping.items():
        assert list(identifier) == list(IMPORT_IDENTIFIERS[resources[logical_id]["Type"]])
    for kind in ("RunPatchBaselineTask(", "AutomationTask(", "LambdaTask(", "StepFunctionsTask(", "PatchBaseline("):
        assert kind in adoption.code, kind
    # priorities 1-4 of one window: a Runbook orders the tasks, named after what they run
    assert "patch_web_runbook = Runbook(run_patch_baseline, restart_ec2_instance, check, m)" in adoption.code
    assert "priority=" not in adoption.code and adoption.escapes == []


def test_fails_when_the_class_name_is_not_a_python_class_name():
    from mw_constructs.readback.configuration import Configuration

    with pytest.raises(ValueError, match="class_name"):
        adopt(Configuration(None, ()), class_name="not a class")
    assert isinstance(adopt(Configuration(None, ())), Adoption)


def test_hostile_source_values_stay_data_in_the_written_code(tmp_path):
    """Names, enums and numbers from an untrusted source reach the code only as literals or as
    members of the library's enums: the written module imports nothing else and calls nothing
    it should not, and it still rebuilds the source."""
    import ast

    evil = 'x"); import os; os.system("echo hacked'
    resources = {
        "Window": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": evil, "Schedule": "cron(0 2 ? * SUN *)", "Duration": "3", "Cutoff": 1, "AllowUnassociatedTargets": True,
            "Tags": [{"Key": evil, "Value": evil}]}},
        "Broken": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": "broken", "Schedule": "cron(0 3 ? * SUN *)", "Duration": "abc", "Cutoff": 1, "AllowUnassociatedTargets": True}},
        "Task": {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
            "WindowId": {"Ref": "Window"}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunShellScript", "Priority": "1e5",
            "CutoffBehavior": "CANCEL_TASK; import os", "Name": evil,
            "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {
                "Parameters": {"commands": [evil]}, "TimeoutSeconds": "6e2"}}}},
        "Baseline": {"Type": "AWS::SSM::PatchBaseline", "Properties": {
            "Name": "hostile", "OperatingSystem": "WINDOWS)\nimport os#", "ApprovalRules": {"PatchRules": [{
                "ApproveAfterDays": 7, "ComplianceLevel": "HIGH)\nimport os#",
                "PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION; import os", "Values": ["Security"]}]}}]}}},
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": resources}))
    adoption = adopt(read_template(path))  # AdoptError if the code did not rebuild the source
    tree = ast.parse(adoption.code)
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"__future__", "typing", "aws_cdk", "constructs", "mw_constructs"}
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Import)]
    called = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert "system" not in called
    # what cannot be a construct is a CfnResource, each with why; a refusal names the library's code
    assert set(adoption.raw) == {"Window", "Broken", "Task", "Baseline"}
    assert adoption.refused["Window"].startswith("[InvalidName]") and "Task" not in adoption.refused
    assert adoption.raw["Task"] == "it refers to Window, written as a CfnResource"
    assert "not a literal text or whole number" in adoption.raw["Broken"]
    assert "OperatingSystem" in adoption.raw["Baseline"]


def test_a_corpus_module_state_reads_as_its_hand_resolved_resources_and_is_adopted():
    """The MoJ module's state (tests/corpus/moj_ssm_patching/state.json) read by read_terraform
    equals the module resolved by hand as CloudFormation (resolved.json), but for what a state
    records that a configuration leaves out: the API's defaults, and the role's ARN where the
    module refers to its role resource; then it is adopted, with the cdk import mapping."""
    entry = next(e for e in entries() if e.name == "moj_ssm_patching")
    found = read_terraform(entry.folder / "state.json")
    prefix = "module.ssm_auto_patching."

    def local(value):
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                return {"Ref": value["Ref"].removeprefix(prefix)}
            return {key: local(item) for key, item in value.items()}
        return [local(item) for item in value] if isinstance(value, list) else value

    actual = {r.key.removeprefix(prefix): {"Type": r.type, "Properties": local(r.properties)} for r in found.resources}
    expected = json.loads((entry.folder / "resolved.json").read_text())["Resources"]
    task = expected['aws_ssm_maintenance_window_task.patch_task["group1"]']["Properties"]
    task["ServiceRoleArn"] = "arn:aws:iam::111122223333:role/patch-manager-iam-role"  # the role's ARN, in a state
    baseline = expected['aws_ssm_patch_baseline.patch_manager["WINDOWS"]']["Properties"]
    baseline.update(ApprovedPatchesComplianceLevel="UNSPECIFIED", ApprovedPatchesEnableNonSecurity=False,
                    RejectedPatchesAction="ALLOW_AS_DEPENDENCY")  # the API's defaults, as the state records them
    baseline["ApprovalRules"]["PatchRules"][0]["EnableNonSecurity"] = False
    assert actual == expected
    adoption = adopt(found, source="state.json")
    mapping = adoption.import_mapping(found)
    assert len(mapping) == 4 and {"Id": "pb-0a1b2c3d4e5f60718"} in mapping.values()
    assert "AutomationTask(" in adoption.code and "MaintenanceWindowRole.from_role_arn(" in adoption.code


def test_a_name_outside_the_source_becomes_a_stack_parameter_with_the_same_logical_id(tmp_path):
    """A template's parameter (or a resource that is not imported) the SSM resources Ref: a
    CfnParameter of that logical ID, so every Ref reads as in the source, and a role given by
    one is still MaintenanceWindowRole.from_role_arn."""
    resources = {
        "Window": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": "patch", "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1, "AllowUnassociatedTargets": True}},
        "Task": {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
            "WindowId": {"Ref": "Window"}, "TaskType": "LAMBDA", "Priority": 1,
            "TaskArn": "arn:aws:lambda:eu-west-1:123456789012:function:check",
            "ServiceRoleArn": {"Ref": "PatchingRoleArn"}, "Description": {"Fn::Sub": "run by ${PatchingRoleArn}"}}},
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Parameters": {"PatchingRoleArn": {"Type": "String"}}, "Resources": resources}))
    adoption = adopt(read_template(path))
    assert adoption.parameters == ["PatchingRoleArn"] and adoption.raw == {}
    assert 'patching_role_arn = CfnParameter(self, "PatchingRoleArn", type="String")' in adoption.code
    assert "MaintenanceWindowRole.from_role_arn(self, \"PatchingRoleArnRole\", _ref(patching_role_arn))" in adoption.code
    template = template_of(adoption.code)
    assert set(template["Parameters"]) >= {"PatchingRoleArn"}
    (task,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindowTask"]
    assert task["Properties"]["ServiceRoleArn"] == {"Ref": "PatchingRoleArn"}
