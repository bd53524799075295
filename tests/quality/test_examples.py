"""The example app and the issue's walkthrough: snapshots, cfn-lint, cdk-nag, exact resources."""

from __future__ import annotations

import json

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam

from examples import app as example_app  # examples/app.py
from tests.support.apps import cfn_lint_findings, failed_rules, new_app


def synth_example(*, nag: bool, packs: bool = False):
    app = new_app(nag=nag, packs=packs)
    example_app.build(app)
    return app.synth()


@pytest.fixture(scope="module")
def assembly():
    return synth_example(nag=False)


def example_stack_names():
    app = new_app()
    example_app.build(app)
    return [child.node.id for child in app.node.children if isinstance(child, Stack)]


@pytest.mark.parametrize("stack_name", example_stack_names())
def test_example_stack_matches_snapshot(assembly, snapshot, stack_name):
    from syrupy.extensions.json import JSONSnapshotExtension

    assert assembly.get_stack_by_name(stack_name).template == snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack_name", example_stack_names())
def test_example_stack_has_no_cfn_lint_findings(assembly, stack_name):
    assert cfn_lint_findings(assembly.get_stack_by_name(stack_name).template) == []


def test_example_passes_cdk_nag_aws_solutions():
    synth_example(nag=True)  # any unacknowledged finding fails synthesis


def test_example_passes_nist_hipaa_and_pci_packs_too():
    synth_example(nag=False, packs=True)  # AwsSolutions, NIST 800-53 r5, HIPAA Security, PCI DSS 3.2.1


def test_example_has_two_windows_sharing_one_role(assembly):
    resources = assembly.get_stack_by_name("PatchingExample").template["Resources"]
    by_type = {}
    for resource in resources.values():
        by_type.setdefault(resource["Type"], []).append(resource)
    assert len(by_type["AWS::SSM::MaintenanceWindow"]) == 2
    assert len(by_type["AWS::SSM::MaintenanceWindowTarget"]) == 2
    assert len(by_type["AWS::SSM::MaintenanceWindowTask"]) == 4
    assert len(by_type["AWS::IAM::Role"]) == 1
    role_arns = {json.dumps(t["Properties"]["ServiceRoleArn"]) for t in by_type["AWS::SSM::MaintenanceWindowTask"]}
    assert len(role_arns) == 1


def walkthrough(app):
    """The example from issue 2's "Done when", as written there (minus App() and synth())."""
    from mw_constructs import (
        PatchGroupTarget,
        PatchingWindow,
        PatchOperation,
        RebootOption,
        RunPatchBaselineTask,
        WindowSchedule,
    )
    stack = Stack(app, "Patching")
    window = PatchingWindow(stack, "Window",
        schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"),
        duration=Duration.hours(3), cutoff=Duration.hours(1))
    web = PatchGroupTarget(stack, "Web", window=window, patch_group="Web Server")
    RunPatchBaselineTask(stack, "Install", window=window, targets=[web],
        operation=PatchOperation.INSTALL, reboot_option=RebootOption.REBOOT_IF_NEEDED,
        max_concurrency="10%", max_errors="1", priority=1)
    window.role.grant_pass_role(iam.Group(stack, "Admins"))
    return stack


def test_walkthrough_yields_one_of_each_and_a_pass_role_policy_on_the_group():
    app = new_app(nag=True)
    walkthrough(app)
    template = app.synth().get_stack_by_name("Patching").template
    types = sorted(r["Type"] for r in template["Resources"].values())
    assert types == [
        "AWS::IAM::Group",
        "AWS::IAM::ManagedPolicy",  # the role's statements (customer managed, not inline)
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::SSM::MaintenanceWindow",
        "AWS::SSM::MaintenanceWindowTarget",
        "AWS::SSM::MaintenanceWindowTask",
    ]
    policy = next(r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Policy")["Properties"]
    assert policy["PolicyDocument"]["Statement"][0]["Action"] == "iam:PassRole"
    assert "Groups" in policy
    assert cfn_lint_findings(template) == []


def test_nag_gate_fails_on_each_wildcard_the_role_acknowledges(monkeypatch):
    """Without the library's acknowledgments cdk-nag reports exactly the findings they name."""
    from mw_constructs.iam import roles as role_module

    acknowledged = []
    monkeypatch.setattr(
        role_module.MaintenanceWindowRole, "_acknowledge", lambda self, finding, reason: acknowledged.append(finding)
    )
    with pytest.raises(Exception) as info:
        synth_example(nag=True)
    reported = sorted(set(name[len("AwsSolutions-IAM5["):-1] for name in failed_rules(info.value)
                          if name.startswith("AwsSolutions-IAM5[")))
    assert reported == sorted(set(acknowledged))
    assert len(reported) == 9  # 4 for Run Command, 5 for the runbook stack's Automation and Step Functions tasks


# ---------------------------------------------------------------------- examples/state_manager.py (issue 23)


def _state_manager(**options):
    from examples import state_manager

    app = new_app(**options)
    state_manager.build(app)
    return app.synth().get_stack_by_name("PatchingStateManager")


def test_state_manager_example_matches_snapshot_and_passes_cfn_lint_and_every_nag_pack(snapshot):
    """A patch association, a general association and a patch policy: cfn-lint 0, and
    AwsSolutions, NIST 800-53 r5, HIPAA Security and PCI DSS 3.2.1 clean (synthesis fails on any
    unacknowledged finding)."""
    from syrupy.extensions.json import JSONSnapshotExtension

    stack = _state_manager(packs=True)
    assert cfn_lint_findings(stack.template) == []
    assert stack.template == snapshot.use_extension(JSONSnapshotExtension)
    types = sorted(r["Type"] for r in stack.template["Resources"].values() if r["Type"].startswith("AWS::SSM"))
    assert types == ["AWS::SSM::Association"] * 3 + ["AWS::SSM::PatchBaseline",
                                                      "AWS::SSMQuickSetup::ConfigurationManager"]
    assert [m for m in stack.messages if "mw-constructs:" in str(m.entry.data)] == []  # the two models do not collide
