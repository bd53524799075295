"""RunCommandTask and RunPatchBaselineTask."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_s3 as s3

from mw_constructs import (
    CutoffBehavior,
    Document,
    DocumentHashType,
    MaintenanceWindowRole,
    MaxConcurrency,
    MaxErrors,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunCommandTask,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)
from tests.support.apps import (
    only_properties,
    only_role_id,
    raises_code,
    role_statements,
    template_of,
    warning_ids_of,
)

RATE = dict(max_concurrency="10%", max_errors="1")


def make_window(stack, id="Window", **overrides):
    props = dict(schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"), duration=Duration.hours(3), cutoff=Duration.hours(1))
    props.update(overrides)
    return PatchingWindow(stack, id, **props)


@pytest.fixture
def window(stack):
    return make_window(stack)


@pytest.fixture
def web(stack, window):
    return PatchGroupTarget(stack, "Web", window=window, patch_group="web")


def task_properties(stack):
    return only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")


def test_install_task_wires_window_targets_role_and_parameters(stack, window, web):
    task = RunPatchBaselineTask(
        stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL,
        reboot_option=RebootOption.NO_REBOOT, priority=2, **RATE,
    )
    props = task_properties(stack)
    assert props == {
        "WindowId": stack.resolve(window.window_id),
        "TaskType": "RUN_COMMAND",
        "TaskArn": "AWS-RunPatchBaseline",
        "Priority": 2,
        "Targets": [{"Key": "WindowTargetIds", "Values": [stack.resolve(web.target_id)]}],
        "MaxConcurrency": "10%",
        "MaxErrors": "1",
        "ServiceRoleArn": stack.resolve(window.role.role_arn),
        "TaskInvocationParameters": {
            "MaintenanceWindowRunCommandParameters": {
                "Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"]}
            }
        },
    }
    assert task.operation is PatchOperation.INSTALL and task.reboot_option is RebootOption.NO_REBOOT
    assert stack.resolve(task.task_id) == {"Ref": stack.get_logical_id(task.node.default_child)}


def test_install_leaves_the_reboot_option_to_the_documents_default(stack, window, web):
    """Issue 20: the library wrote RebootIfNeeded where nothing was given; now nothing is written
    (the document's default is RebootIfNeeded), so a template round-trips as written."""
    task = RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL, **RATE)
    params = task_properties(stack)["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["Parameters"]
    assert params == {"Operation": ["Install"]}
    assert task.reboot_option is None


def test_scan_has_no_reboot_option(stack, window, web):
    task = RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **RATE)
    params = task_properties(stack)["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["Parameters"]
    assert params == {"Operation": ["Scan"]}
    assert task.reboot_option is None


def test_scan_with_no_reboot_is_accepted_as_written(stack, window, web):
    """Issue 20: RebootOptionWithScan refused Scan + NoReboot, which SSM accepts and a widely used
    Terraform module deploys; the value reaches the template unchanged, with no warning."""
    task = RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                                reboot_option=RebootOption.NO_REBOOT, **RATE)
    params = task_properties(stack)["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["Parameters"]
    assert params == {"Operation": ["Scan"], "RebootOption": ["NoReboot"]}
    assert task.reboot_option is RebootOption.NO_REBOOT and warning_ids_of(stack) == []


def test_fails_when_a_scan_is_told_to_reboot_if_needed(stack, window, web):
    """A scan never reboots: RebootIfNeeded with Scan is legal but not what it says (a warning)."""
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                         reboot_option=RebootOption.REBOOT_IF_NEEDED, **RATE)
    assert warning_ids_of(stack) == ["mw-constructs:RebootOptionWithScan"]
    params = task_properties(stack)["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["Parameters"]
    assert params["RebootOption"] == ["RebootIfNeeded"]


def test_run_command_with_the_patch_document_gets_the_same_advice(stack, window, web):
    """The library agreed with itself on nothing: RunCommandTask took Scan + RebootIfNeeded silently."""
    RunCommandTask(stack, "Scan", window=window, targets=[web], document="AWS-RunPatchBaseline",
                   parameters={"Operation": "Scan", "RebootOption": "RebootIfNeeded"}, **RATE)
    assert warning_ids_of(stack) == ["mw-constructs:RebootOptionWithScan"]


def test_fails_when_reboot_option_is_reboot(stack, window, web):
    with raises_code("InvalidRebootOption") as info:
        RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL,
                             reboot_option="Reboot", **RATE)
    assert "'Reboot'" in str(info.value) and "RebootIfNeeded" in str(info.value)


def test_string_values_of_the_enums_are_accepted(stack, window, web):
    task = RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation="Install",
                                reboot_option="NoReboot", **RATE)
    assert task.reboot_option is RebootOption.NO_REBOOT


def test_fails_when_operation_is_unknown(stack, window, web):
    with raises_code("InvalidPatchOperation"):
        RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation="Patch", **RATE)


def test_run_command_task_renders_every_option(stack, window, web):
    bucket = s3.Bucket.from_bucket_name(stack, "Logs", "patch-logs")
    RunCommandTask(
        stack, "Script", window=window, targets=[web], document=Document.RUN_SHELL_SCRIPT,
        parameters={"commands": ["yum -y update ca-certificates"], "executionTimeout": "600"},
        priority=0, max_concurrency=MaxConcurrency.count(2), max_errors=MaxErrors.percent(0),
        cutoff_behavior=CutoffBehavior.CANCEL_TASK, task_name="refresh-certs", description="Refresh CA bundle",
        timeout=Duration.minutes(10), output_s3_bucket=bucket, output_s3_key_prefix="run-command/",
        comment="certs",
    )
    props = task_properties(stack)
    assert props["TaskArn"] == "AWS-RunShellScript"
    assert (props["Priority"], props["MaxConcurrency"], props["MaxErrors"]) == (0, "2", "0%")
    assert (props["CutoffBehavior"], props["Name"], props["Description"]) == ("CANCEL_TASK", "refresh-certs", "Refresh CA bundle")
    assert props["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"] == {
        "Parameters": {"commands": ["yum -y update ca-certificates"], "executionTimeout": ["600"]},
        "TimeoutSeconds": 600,
        "OutputS3BucketName": "patch-logs",
        "OutputS3KeyPrefix": "run-command/",
        "Comment": "certs",
    }


def test_custom_document_is_scoped_to_the_account_in_the_role(stack, window, web):
    RunCommandTask(stack, "Custom", window=window, targets=[web], document="Acme-Patch", **RATE)
    template = template_of(stack).to_json()
    send = next(s for s in role_statements(template, only_role_id(template)) if s["Action"] == "ssm:SendCommand")
    document_arn = send["Resource"][-1]["Fn::Join"][1]
    assert {"Ref": "AWS::AccountId"} in document_arn and document_arn[-1] == ":document/Acme-Patch"


def test_int_rate_control_is_a_count(stack, window, web):
    RunCommandTask(stack, "Script", window=window, targets=[web], document="AWS-RunShellScript",
                   parameters={"commands": ["uptime"]}, max_concurrency=5, max_errors=0)
    props = task_properties(stack)
    assert (props["MaxConcurrency"], props["MaxErrors"]) == ("5", "0")


@pytest.mark.parametrize("value", ["1", "10", "1%", "50%", "99%", "100%", "1000000"])
def test_valid_max_concurrency(value):
    assert MaxConcurrency(value).value == value


@pytest.mark.parametrize("value", ["0", "0%", "101%", "05", "00", "10000000", "10 %", "-1", ""])
def test_fails_when_max_concurrency_breaks_the_api_pattern(value):
    with raises_code("InvalidMaxConcurrency") as info:
        MaxConcurrency(value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("value", ["0", "0%", "1", "10", "5%", "100%", "1000000"])
def test_valid_max_errors(value):
    assert MaxErrors(value).value == value


@pytest.mark.parametrize("value", ["101%", "05", "00", "10000000", "x"])
def test_fails_when_max_errors_breaks_the_api_pattern(value):
    with raises_code("InvalidMaxErrors"):
        MaxErrors(value)


@pytest.mark.parametrize("call", [lambda: MaxConcurrency.count(0), lambda: MaxConcurrency.percent(101), lambda: MaxConcurrency.percent(0)])
def test_fails_when_concurrency_helper_is_out_of_range(call):
    with raises_code("InvalidMaxConcurrency"):
        call()


def test_fails_when_errors_helper_is_negative():
    with raises_code("InvalidMaxErrors"):
        MaxErrors.count(-1)


def test_fails_when_helpers_are_swapped(stack, window, web):
    with raises_code("InvalidMaxConcurrency"):
        RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript",
                       max_concurrency=MaxErrors.count(1), max_errors="1")


@pytest.mark.parametrize("missing", ["max_concurrency", "max_errors"])
def test_fails_when_rate_control_is_missing(stack, window, web, missing):
    rate = dict(RATE)
    del rate[missing]
    with raises_code("RateControlRequired") as info:
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **rate)
    assert missing in str(info.value)


def test_fails_when_task_has_no_targets(stack, window):
    with raises_code("TaskWithoutTargets"):
        RunPatchBaselineTask(stack, "Scan", window=window, operation=PatchOperation.SCAN, **RATE)


def test_fails_when_target_belongs_to_another_window(stack, window):
    other = make_window(stack, "Other")
    foreign = PatchGroupTarget(stack, "Foreign", window=other, patch_group="db")
    with raises_code("TargetOfOtherWindow") as info:
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[foreign], operation=PatchOperation.SCAN, **RATE)
    assert "'Foreign'" in str(info.value)


def test_fails_when_a_target_listed_twice_is_refused(stack, window, web):
    """Issue 20: Targets Values takes repeats (the schema does not ask for unique items): a warning, kept as written."""
    from aws_cdk.assertions import Annotations, Match

    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web, web], operation=PatchOperation.SCAN, **RATE)
    [task] = template_of(stack).find_resources("AWS::SSM::MaintenanceWindowTask").values()
    assert len(task["Properties"]["Targets"][0]["Values"]) == 2
    Annotations.from_stack(stack).has_warning("/Test/Scan", Match.string_like_regexp("mw-constructs:DuplicateValue"))


def test_fails_when_targets_is_a_single_target(stack, window, web):
    with raises_code("InvalidType"):
        RunPatchBaselineTask(stack, "Scan", window=window, targets=web, operation=PatchOperation.SCAN, **RATE)


def test_fails_when_instance_ids_are_used_without_unassociated_targets(stack, window):
    with raises_code("UnassociatedTargetsNotAllowed") as info:
        RunPatchBaselineTask(stack, "Scan", window=window, instance_ids=["i-01234567"], operation=PatchOperation.SCAN, **RATE)
    assert "allow_unassociated_targets=True" in str(info.value)


def test_instance_ids_on_a_window_that_allows_unassociated_targets(stack):
    window = make_window(stack, allow_unassociated_targets=True)
    RunPatchBaselineTask(stack, "Scan", window=window, instance_ids=["i-01234567"], operation=PatchOperation.SCAN, **RATE)
    assert task_properties(stack)["Targets"] == [{"Key": "InstanceIds", "Values": ["i-01234567"]}]


def test_fails_when_targets_and_instance_ids_are_both_given(stack, web):
    window = web.window
    with raises_code("TaskTargetsConflict"):
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], instance_ids=["i-01234567"],
                             operation=PatchOperation.SCAN, **RATE)


@pytest.mark.parametrize("priority", [-1, 1.5, True, "1"])
def test_fails_when_priority_is_not_a_non_negative_int(stack, window, web, priority):
    with raises_code("InvalidPriority"):
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, priority=priority, **RATE)


@pytest.mark.parametrize("timeout", [Duration.seconds(29), Duration.days(31), Duration.millis(30500)])
def test_fails_when_timeout_is_outside_30_seconds_to_30_days(stack, window, web, timeout):
    with raises_code("InvalidTimeout"):
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, timeout=timeout, **RATE)


def test_fails_when_cutoff_behavior_is_a_string(stack, window, web):
    with raises_code("InvalidType"):
        RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                             cutoff_behavior="CANCEL", **RATE)


@pytest.mark.parametrize("document,code", [("ab", "InvalidDocument"), ("has space", "InvalidDocument"), (7, "InvalidType")])
def test_fails_when_document_name_is_invalid(stack, window, web, document, code):
    with raises_code(code):
        RunCommandTask(stack, "T", window=window, targets=[web], document=document, **RATE)


@pytest.mark.parametrize(
    "bucket,prefix,code",
    [("Bad_Bucket", None, "InvalidS3Bucket"), ("ab", None, "InvalidS3Bucket"), (None, "logs/", "InvalidS3KeyPrefix"),
     ("patch-logs", "x" * 501, "InvalidS3KeyPrefix"), (42, None, "InvalidType")],
)
def test_fails_when_output_location_is_invalid(stack, window, web, bucket, prefix, code):
    with raises_code(code):
        RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript",
                       output_s3_bucket=bucket, output_s3_key_prefix=prefix, **RATE)


def test_fails_when_comment_is_longer_than_100(stack, window, web):
    with raises_code("InvalidComment"):
        RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript", comment="x" * 101, **RATE)


@pytest.mark.parametrize("parameters", [{"commands": 5}, {"": "x"}, {"x" * 256: "y"}, {"commands": ["a\x00b"]}])
def test_fails_when_parameters_are_invalid(stack, window, web, parameters):
    with raises_code("InvalidParameters"):
        RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript", parameters=parameters, **RATE)


@pytest.mark.parametrize("parameters", [{"commands": "echo {{TARGET_ID}}"}, {"commands": ["{{RESOURCE_ID}}"]}])
def test_fails_when_run_command_parameters_use_resource_pseudo_parameters(stack, window, web, parameters):
    with raises_code("UnsupportedPseudoParameter") as error:
        RunCommandTask(stack, "T", window=window, targets=[web], document="AWS-RunShellScript", parameters=parameters, **RATE)
    assert "Run Command tasks do not support it" in str(error.value)


def test_tasks_share_the_window_role_and_it_lists_each_document_once(stack, window, web):
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **RATE)
    RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL, **RATE)
    template = template_of(stack).to_json()
    send = next(s for s in role_statements(template, only_role_id(template)) if s["Action"] == "ssm:SendCommand")
    assert len(send["Resource"]) == 3  # instances, managed instances, AWS-RunPatchBaseline


def test_task_role_overrides_window_role(stack, window, web):
    role = MaintenanceWindowRole(stack, "TaskRole")
    task = RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, role=role, **RATE)
    assert task.role is role
    assert task_properties(stack)["ServiceRoleArn"] == stack.resolve(role.role_arn)
    template_of(stack).resource_count_is("AWS::IAM::Role", 1)


def test_task_on_imported_window_and_imported_role(stack):
    window = PatchingWindow.from_window_id(stack, "Existing", "mw-0123456789abcdef0", allow_unassociated_targets=True)
    role = MaintenanceWindowRole.from_role_arn(stack, "Role", "arn:aws:iam::123456789012:role/patching")
    RunPatchBaselineTask(stack, "Scan", window=window, instance_ids=["i-01234567"], operation=PatchOperation.SCAN, role=role, **RATE)
    props = task_properties(stack)
    assert props["WindowId"] == "mw-0123456789abcdef0"
    assert props["ServiceRoleArn"] == "arn:aws:iam::123456789012:role/patching"
    template_of(stack).resource_count_is("AWS::IAM::Role", 0)


def test_window_target_list_on_a_run_command_task(stack, window):
    a = WindowTarget(stack, "A", window=window, tags={"Role": "a"})
    b = WindowTarget(stack, "B", window=window, tags={"Role": "b"})
    RunCommandTask(stack, "T", window=window, targets=[a, b], document="AWS-RunShellScript",
                   parameters={"commands": ["true"]}, **RATE)
    assert task_properties(stack)["Targets"][0]["Values"] == [stack.resolve(a.target_id), stack.resolve(b.target_id)]


def test_document_arn_of_aws_and_own_documents():
    assert Document.RUN_PATCH_BASELINE.is_aws_owned
    assert not Document.of("Acme-Patch").is_aws_owned
    assert Document.of("arn:aws:ssm:eu-west-1:123456789012:document/X").arn() == "arn:aws:ssm:eu-west-1:123456789012:document/X"


@pytest.mark.parametrize("value", [0, "0", "0%"])
def test_fails_when_max_concurrency_is_zero_naming_the_argument_the_user_gave(stack, window, web, value):
    """Issue 8: max_concurrency=0 blamed MaxConcurrency.count, an API the user did not call."""
    with raises_code("InvalidMaxConcurrency") as error:
        RunPatchBaselineTask(stack, "T", window=window, targets=[web], operation=PatchOperation.SCAN,
                             max_concurrency=value, max_errors="1")
    message = str(error.value)
    assert message.startswith("[InvalidMaxConcurrency] max_concurrency") and repr(value) in message
    assert "MaxConcurrency.count" not in message


def test_fails_when_max_concurrency_count_is_zero_naming_the_call(stack, window, web):
    with raises_code("InvalidMaxConcurrency") as error:
        MaxConcurrency.count(0)
    assert "MaxConcurrency.count" in str(error.value)


def test_fails_when_priority_is_negative_with_a_plain_message(stack, window, web):
    """Issue 8: 'priority must be from 0 or more'."""
    with raises_code("InvalidPriority") as error:
        RunPatchBaselineTask(stack, "T", window=window, targets=[web], operation=PatchOperation.SCAN, priority=-1, **RATE)
    assert "priority must be 0 or more: got -1." in str(error.value)
    assert "from 0 or more" not in str(error.value)


def test_document_hash_pins_the_document(stack, window, web):
    """Issue 20: DocumentHash / DocumentHashType could not be written."""
    digest = "a" * 64
    RunCommandTask(stack, "Run", window=window, targets=[web], document="Acme-Patch", document_hash=digest,
                   document_hash_type=DocumentHashType.SHA256, **RATE)
    params = task_properties(stack)["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]
    assert params["DocumentHash"] == digest and params["DocumentHashType"] == "Sha256"
    assert warning_ids_of(stack) == []


@pytest.mark.parametrize("digest, kind", [("abc", None), ("g" * 64, None), ("a" * 64, DocumentHashType.SHA1)])
def test_fails_when_the_document_hash_can_match_no_document(stack, window, web, digest, kind):
    with raises_code("InvalidDocumentHash"):
        RunCommandTask(stack, "Run", window=window, targets=[web], document="Acme-Patch", document_hash=digest,
                       document_hash_type=kind, **RATE)


def test_fails_when_the_document_hash_is_sha1(stack, window, web):
    RunCommandTask(stack, "Run", window=window, targets=[web], document="Acme-Patch", document_hash="b" * 40,
                   document_hash_type=DocumentHashType.SHA1, **RATE)
    assert warning_ids_of(stack) == ["mw-constructs:DeprecatedDocumentHash"]
