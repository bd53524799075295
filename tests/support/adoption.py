"""Fixtures of the adoption tests (issue 22): a Terraform state as ``terraform show -json`` writes
it, with a child module, and the code ``adopt`` writes for it (checked by the typing gate)."""

from __future__ import annotations

import json
from pathlib import Path

STATE = {
    "format_version": "1.0",
    "values": {"root_module": {"resources": [
        {"address": "aws_ssm_maintenance_window.this", "mode": "managed", "type": "aws_ssm_maintenance_window", "name": "this",
         "values": {"id": "mw-0123456789abcdef0", "name": "patch", "schedule": "cron(0 2 ? * SUN *)", "duration": 3,
                    "cutoff": 1, "allow_unassociated_targets": False, "enabled": False, "schedule_timezone": "UTC",
                    "description": "", "end_date": None, "tags": {"Team": "ops"}}},
        {"address": "aws_ssm_maintenance_window_target.web", "mode": "managed",
         "type": "aws_ssm_maintenance_window_target", "name": "web",
         "values": {"id": "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6", "window_id": "mw-0123456789abcdef0",
                    "resource_type": "INSTANCE", "name": "web", "owner_information": "",
                    "targets": [{"key": "tag:Patch Group", "values": ["web"]}]}},
        {"address": "data.aws_iam_role.patching", "mode": "data", "type": "aws_iam_role", "name": "patching",
         "values": {"id": "patching"}},
    ], "child_modules": [{"address": "module.tasks", "resources": [
        {"address": "module.tasks.aws_ssm_maintenance_window_task.install", "mode": "managed",
         "type": "aws_ssm_maintenance_window_task", "name": "install",
         "values": {"id": "4b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f", "window_task_id": "4b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f",
                    "window_id": "mw-0123456789abcdef0", "task_type": "RUN_COMMAND", "task_arn": "AWS-RunPatchBaseline",
                    "priority": 1, "max_concurrency": "10%", "max_errors": "1", "cutoff_behavior": "CANCEL_TASK",
                    "service_role_arn": "arn:aws:iam::123456789012:role/patching",
                    "targets": [{"key": "WindowTargetIds", "values": ["e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"]}],
                    "task_invocation_parameters": [{
                        "run_command_parameters": [{"comment": "install", "timeout_seconds": 600, "document_version": "",
                                                    "parameter": [{"name": "Operation", "values": ["Install"]}],
                                                    "cloudwatch_config": [{"cloudwatch_log_group_name": "/patching",
                                                                           "cloudwatch_output_enabled": True}],
                                                    "notification_config": []}],
                        "automation_parameters": [], "lambda_parameters": [], "step_functions_parameters": []}]}},
        {"address": "module.tasks.aws_ssm_maintenance_window_task.lambda", "mode": "managed",
         "type": "aws_ssm_maintenance_window_task", "name": "lambda",
         "values": {"id": "5b4a0b8a-8d4e-4a4e-9f59-0a1b2c3d4e5f", "window_id": "mw-0123456789abcdef0", "task_type": "LAMBDA",
                    "task_arn": "arn:aws:lambda:eu-west-1:123456789012:function:f", "priority": 2,
                    "task_invocation_parameters": [{"lambda_parameters": [{"payload": "{}", "qualifier": "live"}]}]}},
        {"address": "module.tasks.aws_ssm_patch_baseline.ubuntu", "mode": "managed", "type": "aws_ssm_patch_baseline",
         "name": "ubuntu", "values": {
             "id": "pb-0123456789abcdef0", "name": "ubuntu", "operating_system": "UBUNTU", "approved_patches": [],
             "global_filter": [{"key": "PRODUCT", "values": ["Ubuntu22.04"]}],
             "approval_rule": [{"approve_after_days": 7, "compliance_level": "HIGH", "enable_non_security": False,
                                "patch_filter": [{"key": "PRIORITY", "values": ["Required", "Important"]}]}],
             "source": [], "tags": {}}},
        {"address": "module.tasks.aws_ssm_patch_group.web", "mode": "managed", "type": "aws_ssm_patch_group", "name": "web",
         "values": {"id": "web,pb-0123456789abcdef0", "baseline_id": "pb-0123456789abcdef0", "patch_group": "web"}},
        {"address": "module.tasks.aws_ssm_default_patch_baseline.ubuntu", "mode": "managed",
         "type": "aws_ssm_default_patch_baseline", "name": "ubuntu",
         "values": {"id": "UBUNTU", "baseline_id": "pb-0123456789abcdef0", "operating_system": "UBUNTU"}},
    ]}]}},
}


def write_adopted(directory: Path) -> Path:
    """The module ``adopt`` writes for :data:`STATE`, as ``directory/adopted_state/adopted_state.py``."""
    from mw_constructs.adopt import adopt
    from mw_constructs.readback.files import read_terraform

    folder = directory / "adopted_state"
    folder.mkdir(parents=True, exist_ok=True)
    state = folder / "state.json"
    state.write_text(json.dumps(STATE))
    target = folder / "adopted_state.py"
    target.write_text(adopt(read_terraform(state), source="a Terraform state").code)
    return target
