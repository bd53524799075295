"""Wrong Python types in any argument: a ValidationError with a code, never another exception,
and nothing half-created (issue 8).

Every public constructor, factory and method is called with each of its arguments replaced by
values of the wrong type (ints, floats, bools, bytes, None, lists, dicts, plain objects). Each
call must either work or raise ValidationError; when a construct refuses, its scope gains no
child.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Tuple

import pytest
from aws_cdk import Duration, Stack

import mw_constructs as mw
from mw_constructs import ValidationError
from tests.support.apps import new_app

WRONG = [0, 2.5, True, b"bytes", None, ["x"], {"k": "v"}, object()]
UTC = timezone.utc
AFTER = datetime(2025, 1, 1, tzinfo=UTC)
K = mw.PatchFilterKey
RATE = {"max_concurrency": "10%", "max_errors": "1"}

_APP = new_app()
# The harness registers hundreds of targets and tasks with one window: as if the quotas were raised.
_APP.node.set_context("mw-constructs:quotas", {"TasksPerWindow": 100_000, "TargetsPerWindow": 100_000,
                                               "MaintenanceWindowsPerRegion": 100_000, "PatchBaselinesPerRegion": 100_000})
STACK = Stack(_APP, "Types")
IDS = itertools.count()
WINDOW = mw.PatchingWindow(STACK, "Window", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                           duration=Duration.hours(3), cutoff=Duration.hours(1))
WEB = mw.PatchGroupTarget(STACK, "Web", window=WINDOW, patch_group="web")
TASK = mw.RunPatchBaselineTask(STACK, "Task", window=WINDOW, targets=[WEB], operation=mw.PatchOperation.INSTALL,
                               output=mw.TaskOutput.s3(), **RATE)
BASELINE = mw.PatchBaseline(STACK, "Baseline", operating_system=mw.OperatingSystem.AMAZON_LINUX_2023)
SECURITY = [mw.PatchFilter(K.CLASSIFICATION, ["Security"])]


def construct(factory: Callable[..., Any]) -> Callable[..., Any]:
    """Call ``factory(scope, id, **kwargs)`` in the shared stack with a fresh id."""
    return lambda **kwargs: factory(STACK, f"C{next(IDS)}", **kwargs)


# (name, callable, valid keyword arguments, keywords to corrupt)
CASES: List[Tuple[str, Callable[..., Any], Dict[str, Any], Tuple[str, ...]]] = [
    ("WindowSchedule.expression", lambda **k: mw.WindowSchedule.expression(**k),
     {"text": "cron(0 2 ? * SUN *)", "time_zone": "UTC", "schedule_offset": 1,
      "start_date": datetime(2030, 1, 1, tzinfo=UTC), "end_date": datetime(2031, 1, 1, tzinfo=UTC)},
     ("text", "time_zone", "schedule_offset", "start_date", "end_date")),
    ("WindowSchedule.cron", lambda **k: mw.WindowSchedule.cron(**k), {"hour": 2, "week_day": "SUN"},
     ("minute", "hour", "day", "month", "week_day", "year", "second", "time_zone", "schedule_offset")),
    ("WindowSchedule.rate", lambda **k: mw.WindowSchedule.rate(**k), {"duration": Duration.days(7)},
     ("duration", "start_date", "end_date")),
    ("WindowSchedule.at", lambda **k: mw.WindowSchedule.at(**k), {"when": datetime(2030, 1, 1, tzinfo=UTC)}, ("when",)),
    ("WindowSchedule.next_runs", lambda **k: mw.WindowSchedule.expression("rate(1 day)").next_runs(**k),
     {"count": 2, "after": AFTER}, ("count", "after", "before")),
    ("EnvironmentSchedule.custom", lambda **k: mw.EnvironmentSchedule.custom(**k),
     {"name": "staging", "expression": "cron(0 20 ? * WED *)", "duration": Duration.hours(4)},
     ("name", "expression", "duration", "cutoff", "production", "summary")),
    ("EnvironmentSchedule.schedule", lambda **k: mw.EnvironmentSchedule.TEST.schedule(**k), {"time_zone": "UTC"},
     ("time_zone", "schedule_offset", "start_date", "end_date")),
    ("PatchingWindow", construct(mw.PatchingWindow),
     {"schedule": mw.WindowSchedule.expression("cron(0 2 ? * SAT *)"), "duration": Duration.hours(3),
      "cutoff": Duration.hours(1)},
     ("schedule", "duration", "cutoff", "name", "description", "allow_unassociated_targets", "tags", "role")),
    ("PatchingWindow.for_environment", construct(mw.PatchingWindow.for_environment),
     {"environment": mw.EnvironmentSchedule.TEST, "time_zone": "UTC"},
     ("environment", "time_zone", "schedule", "duration", "cutoff", "name", "tags", "role")),
    ("PatchingWindow.from_window_id", construct(mw.PatchingWindow.from_window_id),
     {"window_id": "mw-0123456789abcdef0"}, ("window_id", "allow_unassociated_targets", "role")),
    ("PatchingWindow.from_window_attributes", construct(mw.PatchingWindow.from_window_attributes),
     {"window_arn": "arn:aws:ssm:eu-west-1:123456789012:maintenancewindow/mw-0123456789abcdef0"},
     ("window_id", "window_arn", "allow_unassociated_targets", "role")),
    ("PatchingWindow.preview", lambda **k: WINDOW.preview(**k), {"count": 2, "after": AFTER}, ("count", "after")),
    ("PatchingWindow.add_target", lambda **k: WINDOW.add_target(f"T{next(IDS)}", **k), {"tags": {"Role": "web"}},
     ("tags", "instance_ids", "resource_group", "name", "description", "owner_information")),
    ("WindowTarget", construct(mw.WindowTarget), {"window": WINDOW, "resource_group": "fleet"},
     ("window", "tags", "instance_ids", "resource_group", "resource_type_filters", "name", "description",
      "owner_information")),
    ("WindowTarget.from_target_id", construct(mw.WindowTarget.from_target_id),
     {"window": WINDOW, "target_id": "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"}, ("window", "target_id")),
    ("PatchGroupTarget", construct(mw.PatchGroupTarget), {"window": WINDOW, "patch_group": "db"},
     ("window", "patch_group", "tag_key", "name", "description", "owner_information")),
    ("RunCommandTask", construct(mw.RunCommandTask),
     {"window": WINDOW, "targets": [WEB], "document": "AWS-RunShellScript", "parameters": {"commands": ["true"]}, **RATE},
     ("window", "document", "parameters", "targets", "instance_ids", "priority", "max_concurrency", "max_errors",
      "cutoff_behavior", "role", "name", "description", "timeout", "output_s3_bucket", "output_s3_key_prefix",
      "comment", "document_version", "output", "notifications")),
    ("RunPatchBaselineTask", construct(mw.RunPatchBaselineTask),
     {"window": WINDOW, "targets": [WEB], "operation": mw.PatchOperation.INSTALL, **RATE},
     ("operation", "reboot_option", "snapshot_id", "install_override_list", "baseline_override", "hooks")),
    ("PatchHooks", lambda **k: mw.PatchHooks(**k), {"pre_install": "My-Pre"}, ("pre_install", "post_install", "on_exit")),
    ("MaxConcurrency", lambda **k: mw.MaxConcurrency(**k), {"value": "10%"}, ("value",)),
    ("MaxConcurrency.count", lambda **k: mw.MaxConcurrency.count(**k), {"n": 2}, ("n",)),
    ("MaxErrors.percent", lambda **k: mw.MaxErrors.percent(**k), {"p": 2}, ("p",)),
    ("Document.of", lambda **k: mw.Document.of(**k), {"document": "My-Doc"}, ("document", "type")),
    ("MaintenanceWindowRole", construct(mw.MaintenanceWindowRole), {},
     ("role_name", "description", "path", "permissions_boundary", "use_aws_managed_policy", "confused_deputy_conditions")),
    ("MaintenanceWindowRole.from_role_arn", construct(mw.MaintenanceWindowRole.from_role_arn),
     {"role_arn": "arn:aws:iam::123456789012:role/patching"}, ("role_arn", "mutable")),
    ("ManagedInstanceRole", construct(mw.ManagedInstanceRole), {"tasks": [TASK]}, ("tasks",)),
    ("TaskOutput.s3", lambda **k: mw.TaskOutput.s3(**k), {}, ("bucket", "key_prefix")),
    ("TaskOutput.cloud_watch", lambda **k: mw.TaskOutput.cloud_watch(**k), {}, ("log_group",)),
    ("TaskNotifications", lambda **k: mw.TaskNotifications(**k), {},
     ("topic", "events", "per", "confused_deputy_conditions")),
    ("PatchFilter", lambda **k: mw.PatchFilter(**k), {"key": K.CLASSIFICATION, "values": ["Security"]}, ("key", "values")),
    ("ApprovalRule", lambda **k: mw.ApprovalRule(**k), {"filters": SECURITY, "approve_after_days": 7},
     ("filters", "approve_after_days", "approve_until_date", "compliance_level", "enable_non_security")),
    ("ApprovalRule.for_environment", lambda **k: mw.ApprovalRule.for_environment(**k),
     {"environment": mw.EnvironmentSchedule.TEST, "filters": SECURITY},
     ("environment", "filters", "compliance_level", "enable_non_security", "delays")),
    ("PatchSource", lambda **k: mw.PatchSource(**k), {"name": "repo", "products": ["AmazonLinux2023"],
                                                     "configuration": "[main]"}, ("name", "products", "configuration")),
    ("PatchBaseline", construct(mw.PatchBaseline), {"operating_system": mw.OperatingSystem.AMAZON_LINUX_2023},
     ("operating_system", "approval_rules", "global_filters", "approved_patches", "approved_patches_compliance_level",
      "approved_patches_enable_non_security", "rejected_patches", "rejected_patches_action", "sources",
      "patch_groups", "default_for_os", "name", "description")),
    ("PatchBaseline.add_patch_group", lambda **k: BASELINE.add_patch_group(**k), {"patch_group": f"g{next(IDS)}"},
     ("patch_group",)),
    ("AwsManagedBaseline", construct(mw.AwsManagedBaseline), {"operating_system": mw.OperatingSystem.UBUNTU},
     ("operating_system", "patch_groups", "name")),
    ("add_compliance_checks", lambda **k: mw.add_compliance_checks(new_app(), **k), {}, ("packs",)),
]


def _calls():
    for name, function, valid, corrupt in CASES:
        for argument in corrupt:
            for value in WRONG:
                yield pytest.param(function, {**valid, argument: value}, id=f"{name}-{argument}-{type(value).__name__}")


def _children() -> int:
    return len(STACK.node.children)


@pytest.mark.parametrize("function,kwargs", list(_calls()))
def test_wrong_types_raise_validation_error_and_create_nothing(function, kwargs):
    before = _children()
    try:
        function(**kwargs)
    except ValidationError as error:
        assert error.code in mw.ERROR_CODES
        assert _children() == before, "a refused construct left a child behind"
    # any other exception type fails the test


def test_the_harness_reaches_every_case():
    assert len(CASES) >= 35
    assert all(case[0] for case in CASES)
    # the valid calls themselves work
    for name, function, valid, _ in CASES:
        function(**valid)


def test_an_unknown_keyword_suggests_the_closest_one():
    with pytest.raises(ValidationError) as info:
        mw.WindowTarget(STACK, "Typo", window=WINDOW, instance_id=["i-01234567"])  # type: ignore[call-arg]
    assert info.value.code == "UnknownArgument"
    assert "takes no argument 'instance_id'. Did you mean instance_ids?" in info.value.message


