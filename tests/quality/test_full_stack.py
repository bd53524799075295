"""Every feature at once, through cfn-lint, cdk-nag and aws-cdk-lib's schema validation; tokens."""

from __future__ import annotations

from aws_cdk import CfnParameter, Duration, Fn, Stack

from mw_constructs import (
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
)
from tests.support.apps import cfn_lint_findings, new_app, only_properties, template_of
from tests.support.kitchen_sink import kitchen_sink


def test_kitchen_sink_passes_cfn_lint_and_cdk_nag():
    app = new_app(nag=True)
    kitchen_sink(Stack(app, "Full"))
    template = app.synth().get_stack_by_name("Full").template
    assert cfn_lint_findings(template) == []
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::SSM::MaintenanceWindowTarget") == 4
    assert types.count("AWS::SSM::MaintenanceWindowTask") == 3


def test_tokens_pass_through_every_check(stack):
    hours = CfnParameter(stack, "Hours", type="Number").value_as_number
    cutoff = CfnParameter(stack, "Cutoff", type="Number").value_as_number
    group = CfnParameter(stack, "Group").value_as_string
    concurrency = CfnParameter(stack, "Concurrency").value_as_string
    window = PatchingWindow(
        stack, "Window", schedule=WindowSchedule.expression(Fn.import_value("Schedule"), time_zone=Fn.import_value("Zone")),
        duration=Duration.hours(hours), cutoff=Duration.hours(cutoff), window_name=Fn.import_value("Name"),
    )
    target = PatchGroupTarget(stack, "Web", window=window, patch_group=group)
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[target], operation=PatchOperation.SCAN,
                         max_concurrency=concurrency, max_errors=Fn.import_value("Errors"))
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindow")
    assert props["Duration"] == {"Ref": "Hours"} and props["Cutoff"] == {"Ref": "Cutoff"}
    assert props["Schedule"] == {"Fn::ImportValue": "Schedule"}
    task = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")
    assert task["MaxConcurrency"] == {"Ref": "Concurrency"}
