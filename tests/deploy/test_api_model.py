"""Every SSM resource the library synthesizes, as the API requests CloudFormation makes,
checked against the SSM service model botocore ships (tests/support/api_model.py): the example apps,
the organization example in each of its Regions, and the kitchen-sink stack. The fuzz run
(tests/quality/test_fuzz.py) checks every configuration it synthesizes the same way."""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import pytest
import regex
from aws_cdk import Stack

from examples import app as example_app  # examples/app.py
from examples import organization as organization_example  # examples/organization.py
from examples import state_manager as state_manager_example  # examples/state_manager.py
from mw_constructs import ValidationError
from mw_constructs._internal.validate import check_name, check_patch_group_name
from mw_constructs.tasks import MaxConcurrency, MaxErrors
from tests.support.api_model import check_template, problems, requests_of
from tests.support.apps import new_app
from tests.support.kitchen_sink import kitchen_sink

TOTALS = {"resources": 0, "requests": 0}


def _templates():
    app = new_app()
    example_app.build(app)
    for stack in app.synth().stacks:
        yield stack.stack_name, stack.template, ("eu-west-1",)
    app = new_app()
    organization_example.build(app)
    for path in sorted(Path(app.synth().directory).glob("*.template.json")):
        yield path.name, json.loads(path.read_text()), tuple(organization_example.REGIONS)
    app = new_app()
    state_manager_example.build(app)
    yield "PatchingStateManager", app.synth().get_stack_by_name("PatchingStateManager").template, ("eu-west-1",)
    app = new_app()
    kitchen_sink(Stack(app, "KitchenSink"))
    yield "KitchenSink", app.synth().get_stack_by_name("KitchenSink").template, ("eu-west-1",)


TEMPLATES = list(_templates())


@pytest.mark.parametrize("name, template, regions", TEMPLATES, ids=[name for name, _, _ in TEMPLATES])
def test_every_ssm_request_of_the_template_conforms_to_the_api_model(name, template, regions):
    resources, requests, disagreements = check_template(template, regions)
    TOTALS["resources"] += resources
    TOTALS["requests"] += requests
    assert disagreements == []


def test_the_conformance_run_covered_every_kind_of_request():
    if TOTALS["requests"] == 0:
        pytest.skip("the conformance tests were not selected")
    operations = {operation for _, template, regions in TEMPLATES for region in regions
                  for _, (operation, _) in requests_of(template, region)}
    print(f"API-model conformance: {TOTALS['resources']} SSM resources, {TOTALS['requests']} requests, "
          f"{len(TEMPLATES)} templates, operations {sorted(operations)}")
    assert {"CreateMaintenanceWindow", "RegisterTargetWithMaintenanceWindow", "RegisterTaskWithMaintenanceWindow",
            "CreatePatchBaseline", "RegisterPatchBaselineForPatchGroup", "UpdateMaintenanceWindow", "CreateAssociation",
            "quicksetup:CreateConfigurationManager"} <= operations


# ------------------------------------------------------------------ the oracle can fail


WINDOW = {"Name": "patching", "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1,
          "AllowUnassociatedTargets": False}


@pytest.mark.parametrize("change, expected", [
    ({"Duration": 25}, "CreateMaintenanceWindow.Duration: 25 is above the maximum 24"),
    ({"Cutoff": "1"}, "CreateMaintenanceWindow.Cutoff: expected an integer, got '1'"),
    ({"Name": "my window"}, "does not match the pattern ^[a-zA-Z0-9_\\-.]{3,128}$"),
    ({"Description": ""}, "CreateMaintenanceWindow.Description: 0 characters is below the minimum 1"),
    ({"Enabled": False}, "CreateMaintenanceWindow: Enabled is not a member of CreateMaintenanceWindowRequest"),
    ({"Schedule": None}, "CreateMaintenanceWindow.Schedule: expected a string"),
])
def test_the_model_check_finds_what_the_api_would_refuse(change, expected):
    request = {**WINDOW, **change}
    assert any(expected in problem for problem in problems("CreateMaintenanceWindow", request)), problems(
        "CreateMaintenanceWindow", request)


def test_the_model_check_finds_what_create_association_and_quick_setup_would_refuse():
    """The oracle reads the association and Quick Setup models too (issue 23): the API's Name is
    3-128 characters where CloudFormation's schema allows 200, ScheduleOffset is 1-6, a Target key
    has no '+', and the execution role name is 1-64 characters."""
    association = {"Name": "AWS-RunPatchBaseline", "ScheduleExpression": "cron(0 2 ? * SUN *)"}
    assert problems("CreateAssociation", association) == []
    assert "above the maximum 128" in problems("CreateAssociation", {**association, "Name": "A" * 129})[0] or \
        "does not match" in problems("CreateAssociation", {**association, "Name": "A" * 129})[0]
    assert "above the maximum 6" in problems("CreateAssociation", {**association, "ScheduleOffset": 7})[0]
    assert "does not match" in problems("CreateAssociation", {**association, "Targets": [{"Key": "a+b", "Values": ["x"]}]})[0]
    assert "WaitForSuccessTimeoutSeconds is not a member" in problems(
        "CreateAssociation", {**association, "WaitForSuccessTimeoutSeconds": 60})[0]
    definition = {"Type": "AWSQuickSetupType-PatchPolicy", "Parameters": {"PatchPolicyName": "p"},
                  "LocalDeploymentExecutionRoleName": "x" * 65}
    assert "does not match" in problems("quicksetup:CreateConfigurationManager",
                                        {"ConfigurationDefinitions": [definition]})[0]


def test_the_model_check_reads_required_members_enums_unicode_patterns_and_blobs():
    assert problems("RegisterTaskWithMaintenanceWindow", {"WindowId": "mw-0123456789abcdef0", "TaskArn": "x"}) == [
        "RegisterTaskWithMaintenanceWindow: required member TaskType is missing"]
    assert problems("RegisterTaskWithMaintenanceWindow", {
        "WindowId": "mw-0123456789abcdef0", "TaskArn": "x", "TaskType": "RUN_COMMAND", "MaxErrors": "05"}) == [
        "RegisterTaskWithMaintenanceWindow.MaxErrors: '05' does not match the pattern "
        "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$"]
    assert problems("CreatePatchBaseline", {"Name": "base", "OperatingSystem": "WINDOWS_2025"})[0].endswith(
        "is not one of ['WINDOWS', 'AMAZON_LINUX', 'AMAZON_LINUX_2', 'AMAZON_LINUX_2022', 'UBUNTU', "
        "'REDHAT_ENTERPRISE_LINUX', 'SUSE', 'CENTOS', 'ORACLE_LINUX', 'DEBIAN', 'MACOS', 'RASPBIAN', 'ROCKY_LINUX', "
        "'ALMA_LINUX', 'AMAZON_LINUX_2023']")
    group = {"BaselineId": "pb-0123456789abcdef0"}
    assert problems("RegisterPatchBaselineForPatchGroup", {**group, "PatchGroup": "Wéb Servers 1"}) == []
    assert "does not match" in problems("RegisterPatchBaselineForPatchGroup", {**group, "PatchGroup": "web#1"})[0]
    payload = {"WindowId": "mw-0123456789abcdef0", "TaskArn": "f", "TaskType": "LAMBDA",
               "TaskInvocationParameters": {"Lambda": {"Payload": b"x" * 4097}}}
    assert problems("RegisterTaskWithMaintenanceWindow", payload) == [
        "RegisterTaskWithMaintenanceWindow.TaskInvocationParameters.Lambda.Payload: 4097 bytes is above the maximum 4096"]


def test_templates_become_the_requests_cloudformation_makes():
    template = {"Mappings": {"Zones": {"eu-west-1": {"TimeZone": "Europe/Dublin"}}}, "Resources": {
        "W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            **WINDOW, "ScheduleTimezone": {"Fn::FindInMap": ["Zones", {"Ref": "AWS::Region"}, "TimeZone"]}}},
        "T": {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
            "WindowId": {"Ref": "W"}, "TaskArn": {"Fn::GetAtt": ["F", "Arn"]}, "TaskType": "LAMBDA",
            "TaskInvocationParameters": {"MaintenanceWindowLambdaParameters": {
                "Payload": base64.b64encode(b'{"a":1}').decode()}}}},
        "F": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "B": {"Type": "AWS::SSM::PatchBaseline", "Properties": {"Name": "base", "PatchGroups": ["web"],
                                                                "DefaultBaseline": True}},
    }}
    requests = dict((logical_id + operation, parameters) for logical_id, (operation, parameters)
                    in requests_of(template, "eu-west-1"))
    assert requests["WCreateMaintenanceWindow"]["ScheduleTimezone"] == "Europe/Dublin"
    task = requests["TRegisterTaskWithMaintenanceWindow"]
    assert task["WindowId"].startswith("mw-") and len(task["WindowId"]) == 20
    assert task["TaskArn"].startswith("arn:aws:lambda:eu-west-1:123456789012:function:")
    assert task["TaskInvocationParameters"] == {"Lambda": {"Payload": b'{"a":1}'}}
    assert requests["BRegisterPatchBaselineForPatchGroup"]["PatchGroup"] == "web"
    assert requests["BRegisterDefaultPatchBaseline"]["BaselineId"].startswith("pb-")
    assert all(problems(operation, parameters) == [] for _, (operation, parameters) in requests_of(template))


def test_every_value_of_the_library_enums_is_one_the_api_accepts():
    from mw_constructs import (
        AssociationComplianceSeverity,
        AssociationStatus,
        AssociationSyncCompliance,
        ComplianceLevel,
        CutoffBehavior,
        NotificationEvent,
        NotificationType,
        OperatingSystem,
        PatchFilterKey,
        RejectedPatchesAction,
    )
    from tests.support.api_model import service_model

    for enum, shape in ((OperatingSystem, "OperatingSystem"), (ComplianceLevel, "PatchComplianceLevel"),
                        (RejectedPatchesAction, "PatchAction"), (PatchFilterKey, "PatchFilterKey"),
                        (CutoffBehavior, "MaintenanceWindowTaskCutoffBehavior"), (NotificationEvent, "NotificationEvent"),
                        (NotificationType, "NotificationType"),
                        (AssociationComplianceSeverity, "AssociationComplianceSeverity"),
                        (AssociationSyncCompliance, "AssociationSyncCompliance"), (AssociationStatus, "AssociationStatusName")):
        assert {member.value for member in enum} <= set(service_model().shape_for(shape).enum), enum


_ALPHABET = (string.ascii_letters + string.digits + " _.:/=+-@#%*()!,;'\"\t\x7f\u00e9\u4e2d\u00a0\u2003\u0660\u00b2"
             "\U0001F600")


@pytest.mark.parametrize("shape, check", [
    ("PatchGroup", lambda text: check_patch_group_name(text)),
    ("MaintenanceWindowName", lambda text: check_name("name", text)),
    ("BaselineName", lambda text: check_name("name", text)),
    ("MaxConcurrency", lambda text: MaxConcurrency.of(text).value),
    ("MaxErrors", lambda text: MaxErrors.of(text).value),
])
def test_the_library_never_accepts_a_value_the_api_model_refuses(shape, check):
    """A differential test against the model (20,000 seeded random strings each). The library is
    stricter in one documented place: a patch group name that starts or ends with white space."""
    from tests.support.api_model import service_model

    meta = service_model().shape_for(shape).metadata
    generator = random.Random(shape)
    alphabet = _ALPHABET if not shape.startswith("Max") else "0123456789%% "
    looser = []
    for _ in range(20_000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 8)))
        api = regex.search(meta.get("pattern", ""), text) is not None and meta.get("min", 0) <= len(text) <= meta.get("max", 10**6)
        try:
            check(text)
            library = True
        except ValidationError:
            library = False
        if library and not api:
            looser.append(text)
    assert looser == []
