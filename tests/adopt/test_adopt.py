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
from mw_constructs.readback.configuration import DISABLED_NOTE, IMPORT_IDENTIFIERS, outside_group_note, read_configuration
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
                    "service_linked_role=True", "cutoff_behavior=CutoffBehavior.CANCEL_TASK", "enabled=False"):
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


def _moj_state(expected: dict) -> None:
    task = expected['aws_ssm_maintenance_window_task.patch_task["group1"]']["Properties"]
    task["ServiceRoleArn"] = "arn:aws:iam::111122223333:role/patch-manager-iam-role"  # the role's ARN, in a state
    baseline = expected['aws_ssm_patch_baseline.patch_manager["WINDOWS"]']["Properties"]
    baseline.update(ApprovedPatchesComplianceLevel="UNSPECIFIED", ApprovedPatchesEnableNonSecurity=False,
                    RejectedPatchesAction="ALLOW_AS_DEPENDENCY")  # the API's defaults, as the state records them
    baseline["ApprovalRules"]["PatchRules"][0]["EnableNonSecurity"] = False


def _cloudposse_state(expected: dict) -> None:
    for name in ("task_scan_patches", "task_install_patches"):  # no role given: SSM records its service-linked role
        expected[f"aws_ssm_maintenance_window_task.{name}"]["Properties"]["ServiceRoleArn"] = (
            "arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM")
    expected["aws_ssm_patch_baseline.baseline"]["Properties"].update(
        ApprovedPatchesEnableNonSecurity=False, RejectedPatchesAction="ALLOW_AS_DEPENDENCY")


def _dnx_state(expected: dict) -> None:
    for kind in ("scan", "install"):
        task = expected[f"aws_ssm_maintenance_window_task.patch_baseline_{kind}"]["Properties"]
        task["ServiceRoleArn"] = "arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM"
        run = task["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]
        run["ServiceRoleArn"] = "arn:aws:iam::111122223333:role/service-role/windows-patching-maintenance-window-task-role"
        run["CloudWatchOutputConfig"]["CloudWatchLogGroupName"] = f"/aws/ssm/windows-patching-patch-baseline-{kind}"
    baseline = expected["aws_ssm_patch_baseline.default"]["Properties"]
    baseline.update(ApprovedPatchesComplianceLevel="UNSPECIFIED", ApprovedPatchesEnableNonSecurity=False,
                    RejectedPatchesAction="ALLOW_AS_DEPENDENCY")
    baseline["ApprovalRules"]["PatchRules"][0].update(ComplianceLevel="UNSPECIFIED", EnableNonSecurity=False)


def _rhythmic_state(expected: dict) -> None:
    for kind in ("scan", "install"):  # no role given: SSM records its service-linked role
        expected[f"aws_ssm_maintenance_window_task.{kind}"]["Properties"]["ServiceRoleArn"] = (
            "arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM")


#: corpus modules given as a Terraform state: the module's address, and what the state records
#: that the hand-resolved configuration leaves out (the API's defaults, ARNs of the roles)
STATES = {"moj_ssm_patching": ("module.ssm_auto_patching.", _moj_state),
          "cloudposse_ssm_patch_manager": ("module.ssm_patch_manager.", _cloudposse_state),
          "dnx_patch_manager": ("module.patch_manager.", _dnx_state),
          "rhythmic_ssm_patch_manager": ("module.ssm_patch_manager.", _rhythmic_state)}


@pytest.mark.parametrize("name", sorted(STATES))
def test_a_corpus_module_state_reads_as_its_hand_resolved_resources_and_is_adopted(name):
    _adopted_state(name)


def _adopted_state(name: str) -> Adoption:
    """A module's state (tests/corpus/NAME/state.json) read by read_terraform equals the module
    resolved by hand as CloudFormation (resolved.json), but for what a state records that a
    configuration leaves out; tags are compared by key (a state's tags are a map, in key order)
    and a counted resource's ``[0]`` dropped; then it is adopted, the written code rebuilds it,
    and the cdk import mapping has an identifier for every resource."""
    prefix, recorded = STATES[name]
    entry = next(e for e in entries() if e.name == name)
    found = read_terraform(entry.folder / "state.json")

    def address(key):
        return key.removeprefix(prefix).removesuffix("[0]")

    def local(value):
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                return {"Ref": address(value["Ref"])}
            return {key: sorted(local(item), key=lambda tag: tag["Key"]) if key == "Tags" else local(item)
                    for key, item in value.items()}
        return [local(item) for item in value] if isinstance(value, list) else value

    actual = {address(r.key): {"Type": r.type, "Properties": local(r.properties)} for r in found.resources}
    resolved = json.loads((entry.folder / "resolved.json").read_text())["Resources"]
    expected = {address(key): local(value) for key, value in resolved.items() if value["Type"].startswith("AWS::SSM::")}
    recorded(expected)
    assert actual == expected
    adoption = adopt(found, source="state.json")
    template = template_of(adoption.code)["Resources"]
    assert sorted(adoption.logical_ids) == sorted(r.key for r in found.resources)
    assert all(template[logical_id]["Type"].startswith("AWS::SSM::") for logical_id in adoption.logical_ids.values())
    mapping = adoption.import_mapping(found)
    assert len(mapping) == len(found.resources) and set(mapping) == set(adoption.logical_ids.values())
    for resource in found.resources:
        assert set(mapping[adoption.logical_ids[resource.key]]) == set(IMPORT_IDENTIFIERS[resource.type])
    return adoption


def test_the_moj_state_is_written_with_the_automation_task_and_its_role():
    adoption = _adopted_state("moj_ssm_patching")
    assert {"Id": "pb-0a1b2c3d4e5f60718"} in adoption.import_mapping(read_terraform(
        next(e for e in entries() if e.name == "moj_ssm_patching").folder / "state.json")).values()
    assert "AutomationTask(" in adoption.code and "MaintenanceWindowRole.from_role_arn(" in adoption.code


def test_the_cloudposse_state_is_written_with_patch_group_targets_and_run_patch_baseline_tasks():
    adoption = _adopted_state("cloudposse_ssm_patch_manager")
    code = adoption.code
    assert code.count("PatchGroupTarget(") == 2 and code.count("RunPatchBaselineTask(") == 2
    assert "operation=PatchOperation.SCAN" in code and "reboot_option=RebootOption.NO_REBOOT" in code
    assert "TimeoutSeconds" not in code  # the state's 0 for an unset timeout is not a value SSM takes
    assert adoption.raw == {} and adoption.escapes == []


def test_the_dnx_state_needs_no_cfn_resource_where_its_template_needed_one():
    """The module's role and log groups are attributes in its resolved template; a state records
    their ARN and name, literals the written code keeps. What the arguments do not say is the
    escape hatch, as in the corpus rebuild: the notification role without a notification, and
    output to a log group the stack does not own. The disabled install window is said."""
    adoption = _adopted_state("dnx_patch_manager")
    assert adoption.raw == {} and adoption.refused == {}
    assert sorted(escape.path.rsplit(".", 1)[-1] for escape in adoption.escapes) == \
        ["CloudWatchOutputConfig"] * 2 + ["ServiceRoleArn"] * 2
    assert adoption.code.count("RunPatchBaselineTask(") == 2 and 'document_version="$LATEST"' in adoption.code
    assert "default_for_os=True" in adoption.code and 'time_zone="Australia/Melbourne"' in adoption.code
    (note,) = adoption.notes.values()
    assert note == (DISABLED_NOTE,) and adoption.code.count("enabled=False") == 1


def test_the_rhythmic_state_says_the_patch_groups_it_leaves_with_aws_baselines():
    """Its ten patch groups are registered with AWS's default baselines (a data source, not a
    resource of the state): each is said, in the output and at the top of the written stack."""
    adoption = _adopted_state("rhythmic_ssm_patch_manager")
    assert len(adoption.left_out) == 10 and adoption.raw == {} and adoption.escapes == []
    assert outside_group_note("UBUNTU", "AWS-UbuntuDefaultPatchBaseline") in adoption.left_out
    assert "# not imported (the source holds it, this stack does not):" in adoption.code
    assert adoption.code.count("PatchGroupTarget(") == 20 and adoption.code.count("RunPatchBaselineTask(") == 2


def test_every_baseline_property_is_an_argument_not_an_escape(tmp_path):
    """Compliance levels, the rejected-patches action, the security-updates status, non-security
    approval and alternative sources are PatchBaseline arguments in the written code."""
    resources = {
        "Windows": {"Type": "AWS::SSM::PatchBaseline", "Properties": {
            "Name": "windows", "OperatingSystem": "WINDOWS", "ApprovedPatches": ["KB5034441"],
            "ApprovedPatchesComplianceLevel": "CRITICAL", "RejectedPatches": ["KB5034439"], "RejectedPatchesAction": "BLOCK",
            "AvailableSecurityUpdatesComplianceStatus": "NON_COMPLIANT", "ApprovedPatchesEnableNonSecurity": False}},
        "Linux": {"Type": "AWS::SSM::PatchBaseline", "Properties": {
            "Name": "linux", "OperatingSystem": "AMAZON_LINUX_2023", "ApprovedPatchesEnableNonSecurity": True,
            "Sources": [{"Name": "internal", "Products": ["AmazonLinux2023"],
                         "Configuration": "[internal]\nname=internal\nbaseurl=https://repo.example.com/al2023\nenabled=1"}]}},
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": resources}))
    adoption = adopt(read_template(path))
    assert adoption.escapes == [] and adoption.raw == {}
    for written in ("approved_patches_compliance_level=ComplianceLevel.CRITICAL",
                    "rejected_patches_action=RejectedPatchesAction.BLOCK",
                    "available_security_updates_compliance_status=ComplianceStatus.NON_COMPLIANT",
                    "approved_patches_enable_non_security=False", "approved_patches_enable_non_security=True",
                    'sources=[PatchSource("internal", ["AmazonLinux2023"], "[internal]\\nname=internal'):
        assert written in adoption.code, written


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


def test_the_corpus_state_counts():
    """The figures the README and the closing note give for the corpus states."""
    resources = escapes = left_out = mapped = 0
    for name in STATES:
        found = read_terraform(next(e for e in entries() if e.name == name).folder / "state.json")
        adoption = adopt(found)
        resources += len(found.resources)
        escapes += len(adoption.escapes)
        left_out += len(adoption.left_out)
        mapped += len(adoption.import_mapping(found))
    print(f"\ncorpus states: {len(STATES)} modules, {resources} resources, {mapped} in the import mappings, "
          f"{escapes} escape hatches, {left_out} patch groups on AWS's baselines said")
    assert (len(STATES), resources, mapped, escapes, left_out) == (4, 42, 42, 4, 10)
