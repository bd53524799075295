"""State Manager associations, Quick Setup patch policies and the checks across both patching
models (issue 23): template assertions, every property of AWS::SSM::Association settable, a
test_fails_when_... for every rule, the coexistence warnings on a mixed app and not on a clean one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import Duration, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template

import mw_constructs as mw
from mw_constructs import (
    Association,
    AssociationComplianceSeverity,
    AssociationSchedule,
    AssociationSyncCompliance,
    AssociationTarget,
    OperatingSystem,
    PatchAssociation,
    PatchOperation,
    PatchPolicy,
    PatchPolicyOperation,
    PatchPolicyTargets,
    RebootOption,
)
from tests.support.apps import new_app, raises_code, sunday_window

ENV = Environment(account="111122223333", region="eu-west-1")
WEB = [AssociationTarget.patch_group("web")]


@pytest.fixture
def env_stack() -> Stack:
    return Stack(new_app(), "Patching", env=ENV)


def associations(stack: Stack) -> dict:
    return Template.from_stack(stack).find_resources("AWS::SSM::Association")


def warnings(stack: Stack, warning_id: str) -> list:
    return Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(warning_id))


# ---------------------------------------------------------------------- Association


def test_every_property_of_the_cloudformation_schema_is_settable(env_stack):
    """Every writable property of AWS::SSM::Association (cfn-lint's schema: all but the read-only
    AssociationId) is written by some argument: all of them on one association, and the
    deprecated InstanceId, which excludes most others, on a second."""
    import cfnlint

    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    hashes = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    schema = json.loads((schemas / "resources" / f"{hashes['AWS::SSM::Association']}.json").read_text())
    writable = set(schema["properties"]) - {path.rsplit("/", 1)[-1] for path in schema.get("readOnlyProperties", [])}
    runner = iam.Role(env_stack, "Runner", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    Association(env_stack, "Everything", document="AWS-RestartEC2Instance",
                targets=[AssociationTarget.tags("Role", "web")], parameters={}, automation_assume_role=runner,
                schedule=AssociationSchedule.weekly("TUE#2", hour=2, schedule_offset=2),
                apply_only_at_cron_interval=True, association_name="restart-web", document_version="$DEFAULT",
                max_concurrency="10%", max_errors="1", compliance_severity=AssociationComplianceSeverity.HIGH,
                sync_compliance=AssociationSyncCompliance.AUTO, calendar_names=["business-hours"],
                output_s3_bucket="patch-logs-111122223333", output_s3_key_prefix="restart/", output_s3_region="eu-west-1",
                wait_for_success_timeout=Duration.minutes(30), automation_target_parameter_name="InstanceId",
                dispatch_role=iam.Role(env_stack, "Dispatch", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com")),
                tags={"Team": "ops"})
    Association(env_stack, "Legacy", document="AWS-UpdateSSMAgent", instance_id="i-0123456789abcdef0")
    written = {key for resource in associations(env_stack).values() for key in resource["Properties"]}
    assert written == writable and len(writable) == 19


def test_a_patch_association_writes_the_patch_document_and_its_parameters(env_stack):
    PatchAssociation(env_stack, "Install", operation=PatchOperation.INSTALL, targets=WEB,
                     reboot_option=RebootOption.NO_REBOOT, schedule=AssociationSchedule.weekly("SUN", hour=3),
                     apply_only_at_cron_interval=True, max_concurrency=mw.MaxConcurrency.percent(20),
                     max_errors=mw.MaxErrors.count(0), compliance_severity=AssociationComplianceSeverity.CRITICAL)
    (resource,) = associations(env_stack).values()
    assert resource["Properties"] == {
        "Name": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"]},
        "Targets": [{"Key": "tag:Patch Group", "Values": ["web"]}], "ScheduleExpression": "cron(0 3 ? * SUN *)",
        "ApplyOnlyAtCronInterval": True, "MaxConcurrency": "20%", "MaxErrors": "0", "ComplianceSeverity": "CRITICAL"}
    assert warnings(env_stack, "mw-constructs:AssociationRunsAtCreation") == []


def test_targets_take_every_form_ssm_documents(stack):
    forms = [
        [AssociationTarget.tags("Environment", ["prod", "staging"]), AssociationTarget.tag_keys(["Patch"])],
        [AssociationTarget.instance_ids(["i-0123456789abcdef0", "mi-0123456789abcdef0"])],
        [AssociationTarget.all_managed_nodes()],
        [AssociationTarget.resource_group("web-servers"), AssociationTarget.resource_types(["AWS::EC2::Instance"])],
        [AssociationTarget.patch_group(["web", "db"], tag_key="PatchGroup")],
    ]
    for index, targets in enumerate(forms):
        Association(stack, f"Agent{index}", document="AWS-UpdateSSMAgent", targets=targets)
    written = [resource["Properties"]["Targets"] for resource in associations(stack).values()]
    assert written[2] == [{"Key": "InstanceIds", "Values": ["*"]}]
    assert written[3] == [{"Key": "resource-groups:Name", "Values": ["web-servers"]},
                          {"Key": "resource-groups:ResourceTypeFilters", "Values": ["AWS::EC2::Instance"]}]
    assert written[4] == [{"Key": "tag:PatchGroup", "Values": ["web", "db"]}]


def test_an_automation_association_passes_its_role_and_grants_the_runbook_steps(env_stack):
    runner = iam.Role(env_stack, "Runner", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))
    association = Association(env_stack, "Restart", document="AWS-RestartEC2Instance",
                              targets=[AssociationTarget.tags("Role", "web")], automation_assume_role=runner,
                              automation_target_parameter_name="InstanceId", max_concurrency="1", max_errors="0")
    assert association.parameters == {"AutomationAssumeRole": [runner.role_arn]}
    template = Template.from_stack(env_stack)
    statements = [s for policy in template.find_resources("AWS::IAM::Policy").values()
                  for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert {"ec2:StopInstances", "ec2:StartInstances", "ec2:DescribeInstanceStatus", "tag:GetResources"} <= actions


def test_the_output_is_written_by_the_nodes_role(env_stack):
    bucket = s3.Bucket(env_stack, "Logs")
    association = Association(env_stack, "Inventory", document="AWS-GatherSoftwareInventory",
                              targets=[AssociationTarget.all_managed_nodes()], schedule="rate(30 minutes)",
                              output_s3_bucket=bucket, output_s3_key_prefix="inventory/")
    nodes = mw.ManagedInstanceRole(env_stack, "Nodes")
    assert association.grant_output_write(nodes) is not None
    assert [s.actions for s in association.output_write_statements()] == [["s3:PutObject", "s3:PutObjectAcl"],
                                                                          ["s3:GetEncryptionConfiguration"]]


def test_an_install_association_that_runs_at_creation_is_said(stack):
    PatchAssociation(stack, "Install", operation=PatchOperation.INSTALL, targets=WEB,
                     schedule=AssociationSchedule.weekly("SUN", hour=3))
    PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN, targets=[AssociationTarget.patch_group("db")],
                     schedule=AssociationSchedule.daily(hour=1))
    (found,) = warnings(stack, "mw-constructs:AssociationRunsAtCreation")
    assert found.id == "/Test/Install" and "as soon as it is deployed" in found.entry.data


@pytest.mark.parametrize("kwargs, code", [
    (dict(association_name="a b"), "InvalidAssociationName"),
    (dict(association_name="ab"), "InvalidAssociationName"),
    (dict(targets=[AssociationTarget.tags("Role", "web")] * 6), "InvalidAssociationTarget"),
    (dict(targets=[AssociationTarget.tags("Role", "web"), AssociationTarget.tags("Role", "db")]), "InvalidAssociationTarget"),
    (dict(targets=[AssociationTarget.resource_types(["AWS::EC2::Instance"])]), "InvalidAssociationTarget"),
    (dict(targets=None), "AssociationTargetsRequired"),
    (dict(targets=None, instance_id="i-0123456789abcdef0", schedule="rate(1 day)"), "InstanceIdConflict"),
    (dict(wait_for_success_timeout=Duration.seconds(10)), "InvalidWaitForSuccessTimeout"),
    (dict(wait_for_success_timeout=Duration.hours(49)), "InvalidWaitForSuccessTimeout"),
    (dict(calendar_names=["a calendar"]), "InvalidCalendarName"),
    (dict(schedule="rate(1 day)", apply_only_at_cron_interval=True), "ApplyOnlyAtCronIntervalWithRate"),
    (dict(schedule=None, apply_only_at_cron_interval=True), "ApplyOnlyAtCronIntervalWithRate"),
    (dict(schedule=AssociationSchedule.weekly("THU#2", hour=0, schedule_offset=3)), "ScheduleOffsetNeedsCronInterval"),
    (dict(schedule="cron(0 0/3 * * ? *)"), "AssociationCronUnsupported"),
    (dict(schedule="rate(10 minutes)"), "AssociationRateOutOfRange"),
    (dict(automation_assume_role=iam.Role.from_role_arn(Stack(), "R", "arn:aws:iam::123456789012:role/r")), "WrongDocumentType"),
    (dict(parameters={"version": "1", "allowDowngrade": "maybe"}), "InvalidDocumentParameter"),
    (dict(document="x" * 129), "InvalidDocument"),
    (dict(output_s3_region="eu-west-1"), "InvalidRegion"),
    (dict(max_concurrency="0"), "InvalidMaxConcurrency"),
])
def test_fails_when_an_association_is_what_ssm_refuses(stack, kwargs, code):
    props = dict(document="AWS-UpdateSSMAgent", targets=[AssociationTarget.tags("Role", "web")])
    props.update(kwargs)
    before = [c.node.path for c in stack.node.find_all()]
    with raises_code(code):
        Association(stack, "Agent", **props)
    assert [c.node.path for c in stack.node.find_all()] == before


def test_fails_when_an_automation_association_with_rate_control_names_no_target_parameter(stack):
    with raises_code("AutomationTargetParameterRequired"):
        Association(stack, "Restart", document="AWS-RestartEC2Instance", targets=[AssociationTarget.tags("Role", "web")],
                    max_concurrency="10%", max_errors="1")
    with raises_code("AutomationTargetParameterRequired"):
        Association(stack, "Restart", document="AWS-RestartEC2Instance", targets=[AssociationTarget.tags("Role", "web")],
                    automation_target_parameter_name="x" * 51)


def test_fails_when_a_patch_association_has_no_targets_or_a_wrong_operation(stack):
    with raises_code("AssociationTargetsRequired"):
        PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN, targets=None)  # type: ignore[arg-type]
    with raises_code("InvalidPatchOperation"):
        PatchAssociation(stack, "Scan", operation="Rescan", targets=WEB)  # type: ignore[arg-type]


@pytest.mark.parametrize("build, code", [
    (lambda: AssociationTarget.tags("aws:owner", "x"), "InvalidAssociationTarget"),
    (lambda: AssociationTarget.tags("Role", []), "InvalidAssociationTarget"),
    (lambda: AssociationTarget.of("a+b", ["x"]), "InvalidAssociationTarget"),
    (lambda: AssociationTarget.of("tag:Role", ["v"] * 51), "InvalidAssociationTarget"),
    (lambda: AssociationTarget.instance_ids(["i-1"]), "InvalidInstanceId"),
    (lambda: AssociationTarget.patch_group("web", tag_key="patch group"), "InvalidPatchGroupTagKey"),
    (lambda: AssociationTarget.resource_types(["EC2"]), "InvalidAssociationTarget"),
])
def test_fails_when_a_target_is_what_ssm_refuses(build, code):
    with raises_code(code):
        build()


# ---------------------------------------------------------------------- coexistence


def _window_patching(stack: Stack, group: str = "web", operation: PatchOperation = PatchOperation.INSTALL) -> None:
    window = sunday_window(stack, f"Window{group}")
    target = mw.PatchGroupTarget(stack, f"Target{group}", window=window, patch_group=group)
    mw.RunPatchBaselineTask(stack, f"Task{group}", window=window, targets=[target], operation=operation,
                            max_concurrency="10%", max_errors="1")


def test_fails_when_a_window_and_an_association_patching_one_patch_group_are_silent(env_stack):
    _window_patching(env_stack)
    PatchAssociation(env_stack, "Scan", operation=PatchOperation.SCAN, targets=WEB, schedule=AssociationSchedule.daily(hour=1))
    (found,) = warnings(env_stack, "mw-constructs:PatchedByWindowAndAssociation")
    assert found.id == "/Patching/Scan"
    assert "patch group web" in found.entry.data and "account 111122223333, Region eu-west-1" in found.entry.data


def test_fails_when_an_all_nodes_association_beside_a_window_is_silent(env_stack):
    _window_patching(env_stack, "db")
    PatchAssociation(env_stack, "Scan", operation=PatchOperation.SCAN, targets=[AssociationTarget.all_managed_nodes()],
                     schedule=AssociationSchedule.daily(hour=1))
    assert len(warnings(env_stack, "mw-constructs:PatchedByWindowAndAssociation")) == 1


def test_fails_when_two_scan_associations_on_the_same_tag_are_silent(env_stack):
    for name in ("ScanA", "ScanB"):
        PatchAssociation(env_stack, name, operation=PatchOperation.SCAN,
                         targets=[AssociationTarget.tags("Env", ["prod", "staging"])], schedule=AssociationSchedule.daily(hour=1))
    (found,) = warnings(env_stack, "mw-constructs:PatchedByTwoAssociations")
    assert found.id == "/Patching/ScanB" and "Env" in found.entry.data


def test_fails_when_a_patch_policy_beside_windows_in_its_account_and_region_is_silent(env_stack):
    _window_patching(env_stack)
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    PatchPolicy(env_stack, "Policy", policy_name="patching", regions=["eu-west-1"],
                baselines={OperatingSystem.WINDOWS: windows})
    (found,) = warnings(env_stack, "mw-constructs:PatchPolicyWithWindows")
    assert found.id == "/Patching/Policy" and "Patching/Windowweb" in found.entry.data


def test_a_clean_app_of_both_models_is_silent(env_stack):
    """Windows for one patch group, associations for another, a scan and an install association
    on the same nodes (Quick Setup's own pattern), a policy in another Region: no warning."""
    _window_patching(env_stack, "web")
    PatchAssociation(env_stack, "Scan", operation=PatchOperation.SCAN, targets=[AssociationTarget.patch_group("db")],
                     schedule=AssociationSchedule.daily(hour=1))
    PatchAssociation(env_stack, "Install", operation=PatchOperation.INSTALL, targets=[AssociationTarget.patch_group("db")],
                     schedule=AssociationSchedule.weekly("SUN", hour=3), apply_only_at_cron_interval=True)
    Association(env_stack, "Agent", document="AWS-UpdateSSMAgent", targets=[AssociationTarget.all_managed_nodes()],
                schedule=AssociationSchedule.rate(Duration.days(14)))
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    PatchPolicy(env_stack, "Policy", policy_name="patching", regions=["us-east-1"],
                baselines={OperatingSystem.WINDOWS: windows})
    found = Annotations.from_stack(env_stack).find_warning("*", Match.string_like_regexp("mw-constructs:"))
    assert [f.entry.data for f in found] == []


def test_the_same_nodes_in_two_environments_do_not_collide():
    app = new_app()
    _window_patching(Stack(app, "Dublin", env=ENV))
    other = Stack(app, "Virginia", env=Environment(account="111122223333", region="us-east-1"))
    PatchAssociation(other, "Scan", operation=PatchOperation.SCAN, targets=WEB, schedule=AssociationSchedule.daily(hour=1))
    assert warnings(other, "mw-constructs:PatchedByWindowAndAssociation") == []


def test_coexistence_rules_without_a_stack():
    from mw_constructs.coexistence import ALL_NODES, PatchingFacts, coexistence_advice, node_selector, selectors_meet

    web = node_selector([("tag:Patch Group", ["web"])])
    web_no_space = node_selector([("tag:PatchGroup", ["web", "db"])])
    assert web and web_no_space and selectors_meet(web, web_no_space)  # the two patch group keys are one
    assert not selectors_meet(web, node_selector([("tag:Patch Group", ["db"])]))
    assert not selectors_meet(web, node_selector([("tag:Patch Group", ["web"]), ("tag:Env", ["prod"])]))
    assert selectors_meet(ALL_NODES, node_selector([("InstanceIds", ["i-0123456789abcdef0"])]))
    assert node_selector([("tag:Role", ["${Token[TOKEN.1]}"])]) is None
    window = PatchingFacts("w", "window", "here", (web,), frozenset({"Install"}))
    scan = PatchingFacts("a", "association", "here", (web_no_space,), frozenset({"Scan"}))
    install = PatchingFacts("b", "association", "here", (ALL_NODES,), frozenset({"Install"}))
    ids = [advice.id for _, advice in coexistence_advice([window, scan, install])]
    assert ids == ["mw-constructs:PatchedByWindowAndAssociation", "mw-constructs:PatchedByWindowAndAssociation"]
    elsewhere = PatchingFacts("c", "association", "there", (web,), frozenset({"Scan"}))
    assert coexistence_advice([window, elsewhere]) == []


# ---------------------------------------------------------------------- PatchPolicy


def test_a_patch_policy_writes_every_parameter_quick_setup_takes(env_stack):
    custom = mw.PatchBaseline(env_stack, "Linux", operating_system=OperatingSystem.AMAZON_LINUX_2023, baseline_name="linux",
                              approval_rules=[mw.ApprovalRule(filters=[mw.PatchFilter(mw.PatchFilterKey.CLASSIFICATION,
                                                                                        ["Security"])],
                                                              approve_after_days=7)])
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    policy = PatchPolicy(env_stack, "Policy", policy_name="fleet", baselines={OperatingSystem.AMAZON_LINUX_2023: custom,
                                                                              OperatingSystem.WINDOWS: windows},
                         regions=["eu-west-1", "eu-central-1"], accounts=["111122223333"],
                         targets=PatchPolicyTargets.tag("Patch", "yes"), operation=PatchPolicyOperation.SCAN_AND_INSTALL,
                         scan_schedule=AssociationSchedule.daily(hour=1), install_schedule="cron(0 2 ? * SUN *)",
                         install_at_next_interval=True, reboot_option=RebootOption.REBOOT_IF_NEEDED,
                         max_concurrency="10%", max_errors="2%", attach_policies_to_instance_profiles=True,
                         output_s3_bucket="patch-logs-111122223333", output_s3_key_prefix="policy/",
                         baseline_region="eu-west-1", name="fleet patching", description="every node")
    (manager,) = Template.from_stack(env_stack).find_resources("AWS::SSMQuickSetup::ConfigurationManager").values()
    (definition,) = manager["Properties"]["ConfigurationDefinitions"]
    parameters = definition["Parameters"]
    assert definition["Type"] == "AWSQuickSetupType-PatchPolicy"
    assert parameters["ConfigurationOptionsPatchOperation"] == "ScanAndInstall"
    assert parameters["ConfigurationOptionsInstallNextInterval"] == "true"
    assert parameters["PatchBaselineUseDefault"] == "custom" and parameters["TargetType"] == "Tags"
    assert parameters["TargetRegions"] == "eu-west-1,eu-central-1" and parameters["TargetAccounts"] == "111122223333"
    assert set(policy.parameters) == set(mw.patch_policy.PATCH_POLICY_PARAMETERS) - {
        "TargetInstances", "ResourceGroupName", "TargetOrganizationalUnits"}  # other TargetTypes, the OU form
    assert "LocalDeploymentAdministrationRoleArn" in definition and "LocalDeploymentExecutionRoleName" in definition


def test_the_patch_policy_parameters_are_aws_s_list():
    """Every parameter AWS's reference lists for AWSQuickSetupType-PatchPolicy (aws-cdk-lib ships
    it in CfnConfigurationManager's docstring) is one the construct writes, and RateControl*."""
    import re

    from aws_cdk import aws_ssmquicksetup as quicksetup

    doc = quicksetup.CfnConfigurationManager.ConfigurationDefinitionProperty.__init__.__doc__ or ""
    section = doc[doc.index("**Patch Policy"):doc.index("**Resource Explorer")]
    documented = {name for name in re.findall(r"``([A-Z][A-Za-z0-9]+)``", section)} - {
        "Scan", "ScanAndInstall", "InstanceIds", "ResourceGroups", "Tags", "RebootIfNeeded", "NoReboot",
        "OutputS3Location"}  # values, and the heading of the three Output* parameters
    assert documented and documented <= set(mw.patch_policy.PATCH_POLICY_PARAMETERS)
    assert set(mw.patch_policy.PATCH_POLICY_PARAMETERS) - documented == {"RateControlConcurrency",
                                                                        "RateControlErrorThreshold"}


def test_an_organization_policy_uses_given_roles(env_stack):
    admin = iam.Role.from_role_arn(env_stack, "Admin", "arn:aws:iam::111122223333:role/AWS-QuickSetup-Admin")
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    policy = PatchPolicy(env_stack, "Policy", policy_name="org", baselines={OperatingSystem.WINDOWS: windows},
                         regions=["eu-west-1"], organizational_units=["ou-ab12-cdefghij"], administration_role=admin,
                         execution_role_name="AWS-QuickSetup-Exec")
    assert policy.parameters["TargetOrganizationalUnits"] == "ou-ab12-cdefghij" and "TargetAccounts" not in policy.parameters
    assert policy.parameters["PatchBaselineUseDefault"] == "default" and policy.execution_role is None


@pytest.mark.parametrize("kwargs, code", [
    (dict(regions=[]), "PatchPolicyTargets"),
    (dict(regions=["moon-1"]), "PatchPolicyTargets"),
    (dict(accounts=["111122223333"], organizational_units=["ou-ab12-cdefghij"]), "PatchPolicyTargets"),
    (dict(accounts=["1234"]), "PatchPolicyTargets"),
    (dict(organizational_units=["ou-ab12-cdefghij"], targets=PatchPolicyTargets.tag("a", "b")), "PatchPolicyTargets"),
    (dict(organizational_units=["ou-ab12-cdefghij"]), "InvalidPatchPolicy"),  # no roles that exist in members
    (dict(policy_name="fleet patching"), "InvalidPatchPolicy"),
    (dict(scan_schedule="rate(1 day)"), "InvalidPatchPolicy"),
    (dict(scan_schedule="cron(0 0/3 * * ? *)"), "AssociationCronUnsupported"),
    (dict(install_schedule="cron(0 2 ? * SUN *)"), "InvalidPatchPolicy"),  # install without SCAN_AND_INSTALL
    (dict(execution_role_name="exec"), "InvalidPatchPolicy"),  # without the administration role
    (dict(name="a/b"), "InvalidPatchPolicy"),
    (dict(baselines={}), "InvalidPatchPolicy"),
    (dict(baseline_region="moon"), "InvalidRegion"),
])
def test_fails_when_a_patch_policy_is_what_quick_setup_refuses(env_stack, kwargs, code):
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    props = dict(policy_name="fleet", regions=["eu-west-1"], baselines={OperatingSystem.WINDOWS: windows})
    props.update(kwargs)
    before = [c.node.path for c in env_stack.node.find_all()]
    with raises_code(code):
        PatchPolicy(env_stack, "Policy", **props)
    assert [c.node.path for c in env_stack.node.find_all()] == before


def test_fails_when_a_baseline_is_given_for_another_operating_system(env_stack):
    windows = mw.AwsManagedBaseline(env_stack, "Windows", operating_system=OperatingSystem.WINDOWS)
    with raises_code("InvalidPatchPolicy"):
        PatchPolicy(env_stack, "Policy", policy_name="fleet", regions=["eu-west-1"],
                    baselines={OperatingSystem.UBUNTU: windows})


# ---------------------------------------------------------------------- operate


def test_state_change_rules_match_the_association_and_the_statuses_asked(stack):
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_sns as sns

    from mw_constructs import AssociationStatus

    topic = sns.Topic(stack, "Alerts")
    scan = PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN, targets=WEB,
                            schedule=AssociationSchedule.daily(hour=1))
    scan.on_state_change("Failed", target=targets.SnsTopic(topic), statuses=[AssociationStatus.FAILED])
    scan.on_node_state_change("NodeFailed", statuses=[AssociationStatus.FAILED])
    rules = Template.from_stack(stack).find_resources("AWS::Events::Rule")
    patterns = sorted((r["Properties"]["EventPattern"] for r in rules.values()), key=lambda p: p["detail-type"][0])
    assert [p["detail-type"] for p in patterns] == [["EC2 State Manager Association State Change"],
                                                     ["EC2 State Manager Instance Association State Change"]]
    for pattern in patterns:
        assert pattern["source"] == ["aws.ssm"] and pattern["detail"]["status"] == ["Failed"]
        assert pattern["detail"]["association-id"] == [{"Fn::GetAtt": [next(
            k for k, r in Template.from_stack(stack).find_resources("AWS::SSM::Association").items()), "AssociationId"]}]
    with raises_code("InvalidType"):
        scan.on_state_change("Bad", statuses=["Failed"])  # type: ignore[list-item]
