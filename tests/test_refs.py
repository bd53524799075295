"""aws-cdk-lib's ``aws_cdk.interfaces.aws_ssm`` references (issue 24, point 6): windows, targets,
tasks, baselines and associations of the library go where aws-cdk-lib asks for an
``IMaintenanceWindowRef``, ``IMaintenanceWindowTargetRef``, ``IMaintenanceWindowTaskRef``,
``IPatchBaselineRef`` or ``IAssociationRef``: they declare the jsii interface (so the jsii kernel
knows it, as for aws-cdk-lib's own L1s) and their reference names the same resource as the L1's."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk.interfaces import aws_ssm as ssm_refs

from mw_constructs import (
    AssociationTarget,
    OperatingSystem,
    PatchAssociation,
    PatchBaseline,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)


def _interfaces(obj) -> set:
    return {iface for klass in type(obj).mro() for iface in getattr(klass, "__jsii_ifaces__", [])}


@pytest.fixture
def window(stack):
    return PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))


def test_a_window_is_an_imaintenance_window_ref_naming_its_l1(stack, window):
    assert ssm_refs.IMaintenanceWindowRef in _interfaces(window)
    l1 = window.node.default_child
    assert stack.resolve(window.maintenance_window_ref.window_id) == stack.resolve(l1.maintenance_window_ref.window_id)


def test_an_imported_window_is_one_too(stack):
    imported = PatchingWindow.from_window_id(stack, "Imported", "mw-0123456789abcdef0")
    assert ssm_refs.IMaintenanceWindowRef in _interfaces(imported)
    assert imported.maintenance_window_ref.window_id == "mw-0123456789abcdef0"


def test_targets_and_tasks_are_their_refs(stack, window):
    web = window.add_patch_group_target("Web", patch_group="web")
    task = RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                                max_concurrency="1", max_errors="1")
    assert ssm_refs.IMaintenanceWindowTargetRef in _interfaces(web)
    assert ssm_refs.IMaintenanceWindowTaskRef in _interfaces(task)
    target_ref, task_ref = web.maintenance_window_target_ref, task.maintenance_window_task_ref
    l1_target, l1_task = web.node.default_child.maintenance_window_target_ref, task.node.default_child.maintenance_window_task_ref
    assert stack.resolve([target_ref.window_id, target_ref.window_target_id]) == stack.resolve(
        [l1_target.window_id, l1_target.window_target_id])
    assert stack.resolve([task_ref.window_id, task_ref.window_task_id]) == stack.resolve(
        [l1_task.window_id, l1_task.window_task_id])
    imported = WindowTarget.from_target_id(stack, "T", window=window, target_id="12345678-1234-1234-1234-123456789012")
    assert imported.maintenance_window_target_ref.window_target_id == "12345678-1234-1234-1234-123456789012"


def test_baselines_and_associations_are_their_refs(stack):
    baseline = PatchBaseline(stack, "Baseline", operating_system=OperatingSystem.AMAZON_LINUX_2023)
    association = PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN,
                                   targets=[AssociationTarget.tags("Patch Group", "web")])
    assert ssm_refs.IPatchBaselineRef in _interfaces(baseline)
    assert ssm_refs.IAssociationRef in _interfaces(association)
    assert stack.resolve(baseline.patch_baseline_ref.patch_baseline_id) == stack.resolve(
        baseline.node.default_child.patch_baseline_ref.patch_baseline_id)
    assert stack.resolve(association.association_ref.association_id) == stack.resolve(
        association.node.default_child.association_ref.association_id)


# ------------------------------------------------------------------ from_* imports (issue 24, point 6)


def test_a_task_imported_by_id_is_an_imaintenance_window_task(stack, window):
    from mw_constructs import IMaintenanceWindowTask, MaintenanceWindowRole, RunCommandTask

    role = MaintenanceWindowRole.from_role_arn(stack, "Role", "arn:aws:iam::123456789012:role/patching")
    task: IMaintenanceWindowTask = RunCommandTask.from_task_id(
        stack, "Existing", window=window, task_id="e32eecb2-646c-4f4b-8ed1-205fb8ee2df6", role=role)
    assert task.task_id == "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6" and task.window is window and task.role is role
    assert ssm_refs.IMaintenanceWindowTaskRef in _interfaces(task)
    assert task.maintenance_window_task_ref.window_task_id == "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"
    assert RunPatchBaselineTask.from_task_id(stack, "Other", window=window,
                                             task_id="e32eecb2-646c-4f4b-8ed1-205fb8ee2df7").role is None


def test_a_baseline_imported_by_id_is_an_ipatch_baseline(stack):
    imported = PatchBaseline.from_baseline_id(stack, "Existing", "pb-0123456789abcdef0")
    assert imported.baseline_id == "pb-0123456789abcdef0"
    assert imported.patch_baseline_ref.patch_baseline_id == "pb-0123456789abcdef0"
    aws = PatchBaseline.from_baseline_id(
        stack, "Aws", "arn:aws:ssm:eu-west-1:123456789012:patchbaseline/pb-0123456789abcdef0")
    assert ssm_refs.IPatchBaselineRef in _interfaces(aws)


@pytest.mark.parametrize("task_id", ["install", "e32eecb2646c4f4b8ed1205fb8ee2df6", "", None, 5])
def test_fails_when_an_imported_task_id_is_not_a_uuid(stack, window, task_id):
    from tests.support.apps import raises_code

    before = len(stack.node.find_all())
    with raises_code("InvalidTaskId"):
        RunPatchBaselineTask.from_task_id(stack, "Bad", window=window, task_id=task_id)
    assert len(stack.node.find_all()) == before


@pytest.mark.parametrize("baseline_id", ["pb-123", "pb 0123456789abcdef0", "x" * 129, None])
def test_fails_when_an_imported_baseline_id_is_not_one_ssm_takes(stack, baseline_id):
    from tests.support.apps import raises_code

    with raises_code("InvalidBaselineId"):
        PatchBaseline.from_baseline_id(stack, "Bad", baseline_id)
    assert stack.node.try_find_child("Bad") is None
