"""Task output (S3, CloudWatch Logs), notifications, ManagedInstanceRole, and the new task options."""

from __future__ import annotations

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match

from mw_constructs._internal.aws_baselines import HANDLER_CODE as AWS_BASELINES_CODE, LOOKUP_TYPE, PATCH_GROUP_TYPE
from mw_constructs import (
    AwsManagedBaseline,
    ManagedInstanceRole,
    NotificationEvent,
    NotificationType,
    OperatingSystem,
    PatchBaseline,
    PatchGroupTarget,
    PatchHooks,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunCommandTask,
    RunPatchBaselineTask,
    TaskNotifications,
    TaskOutput,
    WindowSchedule,
)
from tests.support.apps import (
    cfn_lint_findings,
    new_app,
    only_properties,
    raises_code,
    role_statements,
    template_of,
    warning_ids_of,
)

RATE = dict(max_concurrency="10%", max_errors="1")


@pytest.fixture
def window(stack):
    return PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(4), cutoff=Duration.hours(1))


@pytest.fixture
def web(stack, window):
    return PatchGroupTarget(stack, "Web", window=window, patch_group="web")


def install(stack, window, web, id="Install", **kwargs):
    return RunPatchBaselineTask(stack, id, window=window, targets=[web], operation=PatchOperation.INSTALL, **RATE, **kwargs)


def run_command_parameters(stack):
    return only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")["TaskInvocationParameters"][
        "MaintenanceWindowRunCommandParameters"]


def resources(stack, resource_type):
    return list(template_of(stack).find_resources(resource_type).values())


# ------------------------------------------------------------------ the "Done when" (first bullet)


def test_install_task_with_library_outputs_and_notifications_is_wired_and_protected():
    app = new_app(packs=True)  # AwsSolutions, NIST 800-53 r5, HIPAA, PCI DSS
    stack = Stack(app, "Complete")
    window = PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(4), cutoff=Duration.hours(1))
    web = PatchGroupTarget(stack, "Web", window=window, patch_group="web")
    task = RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL, **RATE,
                                output=[TaskOutput.s3(key_prefix="patching/"), TaskOutput.cloud_watch()],
                                notifications=TaskNotifications())
    instances = ManagedInstanceRole(stack, "Instances", tasks=[task])
    template = app.synth().get_stack_by_name("Complete").template
    assert cfn_lint_findings(template) == []
    res = template["Resources"]
    by_type = lambda t: {k: v for k, v in res.items() if v["Type"] == t}  # noqa: E731

    # the notification role: trusted by SSM, may publish to that topic only
    topic_id = next(iter(by_type("AWS::SNS::Topic")))
    notification_role_id, notification_role = next((k, v) for k, v in by_type("AWS::IAM::Role").items() if k.startswith("NotificationRole"))
    assert notification_role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert role_statements(template, notification_role_id) == [
        {"Action": "sns:Publish", "Effect": "Allow", "Resource": {"Ref": topic_id}}]

    # the window role may pass exactly that role, to SSM only
    window_role_id = next(k for k in by_type("AWS::IAM::Role") if k.startswith("WindowRole"))
    pass_role = [s for s in role_statements(template, window_role_id) if "iam:PassRole" in s["Action"]]
    assert pass_role == [{"Action": "iam:PassRole", "Effect": "Allow", "Sid": "PassRolesToSystemsManager",
                          "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
                          "Resource": {"Fn::GetAtt": [notification_role_id, "Arn"]}}]

    # the task uses the topic, the notification role, the bucket and the log group
    parameters = next(iter(by_type("AWS::SSM::MaintenanceWindowTask").values()))["Properties"]["TaskInvocationParameters"][
        "MaintenanceWindowRunCommandParameters"]
    assert parameters["NotificationConfig"] == {"NotificationArn": {"Ref": topic_id}, "NotificationType": "Command",
                                                "NotificationEvents": ["Failed", "TimedOut", "Cancelled"]}
    assert parameters["ServiceRoleArn"] == {"Fn::GetAtt": [notification_role_id, "Arn"]}
    assert parameters["OutputS3KeyPrefix"] == "patching/"
    assert parameters["CloudWatchOutputConfig"]["CloudWatchOutputEnabled"] is True

    # the bucket has every protection
    bucket_id, bucket = next((k, v) for k, v in by_type("AWS::S3::Bucket").items() if k.startswith("TaskOutputBucket"))
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                       "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    encryption = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption == {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "task-output/"
    assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 365
    assert parameters["OutputS3BucketName"] == {"Ref": bucket_id}

    # the log group is encrypted with a rotating customer managed key that only CloudWatch Logs may use
    log_group = next(iter(by_type("AWS::Logs::LogGroup").values()))["Properties"]
    key_id = log_group["KmsKeyId"]["Fn::GetAtt"][0]
    key = res[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True and log_group["RetentionInDays"] == 365
    logs_statement = key["KeyPolicy"]["Statement"][-1]
    assert logs_statement["Principal"]["Service"]["Fn::Join"][1][0] == "logs."
    tls = [p for p in by_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": bucket_id}]
    deny = tls[0]["Properties"]["PolicyDocument"]["Statement"][0]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}

    # the instance role may write the output, and is an instance profile
    instance_role_id = next(k for k in by_type("AWS::IAM::Role") if k.startswith("Instances"))
    actions = {a for s in role_statements(template, instance_role_id) for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert {"s3:PutObject", "s3:PutObjectAcl", "s3:GetEncryptionConfiguration", "logs:PutLogEvents"} <= actions
    assert len(by_type("AWS::IAM::InstanceProfile")) == 1
    assert instances.instance_profile is not None


# ------------------------------------------------------------------ outputs


def test_a_bucket_you_bring_is_used_as_it_is(stack, window, web):
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "my-patch-logs")
    install(stack, window, web, output=TaskOutput.s3(bucket, key_prefix="p/"))
    assert run_command_parameters(stack)["OutputS3BucketName"] == "my-patch-logs"
    template_of(stack).resource_count_is("AWS::S3::Bucket", 0)


def test_a_log_group_you_bring_is_used_as_it_is(stack, window, web):
    group = logs.LogGroup.from_log_group_name(stack, "Existing", "/patching/output")
    install(stack, window, web, output=TaskOutput.cloud_watch(group))
    assert run_command_parameters(stack)["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "/patching/output", "CloudWatchOutputEnabled": True}
    template_of(stack).resource_count_is("AWS::Logs::LogGroup", 0)


def test_tasks_share_one_library_bucket_log_group_topic_and_notification_role(stack, window, web):
    output = [TaskOutput.s3(key_prefix="scan/"), TaskOutput.cloud_watch()]
    notify = TaskNotifications()
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **RATE,
                         output=output, notifications=notify)
    install(stack, window, web, output=TaskOutput.s3(key_prefix="install/"), notifications=TaskNotifications())
    template = template_of(stack)
    template.resource_count_is("AWS::S3::Bucket", 2)  # the output bucket and its access-log bucket
    template.resource_count_is("AWS::Logs::LogGroup", 1)
    template.resource_count_is("AWS::SNS::Topic", 1)
    assert len([r for r in resources(stack, "AWS::IAM::Role")]) == 2  # window role + one notification role


def test_notifications_to_your_topic_per_invocation(stack, window, web):
    topic = sns.Topic.from_topic_arn(stack, "Ops", "arn:aws:sns:eu-west-1:123456789012:ops")
    install(stack, window, web, notifications=TaskNotifications(
        topic=topic, events=[NotificationEvent.ALL], per=NotificationType.INVOCATION))
    assert run_command_parameters(stack)["NotificationConfig"] == {
        "NotificationArn": "arn:aws:sns:eu-west-1:123456789012:ops", "NotificationEvents": ["All"],
        "NotificationType": "Invocation"}
    template_of(stack).resource_count_is("AWS::SNS::Topic", 0)


def test_notification_role_trusts_ssm_for_this_account_only_when_asked(stack, window, web):
    install(stack, window, web, notifications=TaskNotifications())
    RunCommandTask(stack, "Echo", window=window, targets=[web], document="AWS-RunShellScript",
                   parameters={"commands": ["true"]}, notifications=TaskNotifications(confused_deputy_conditions=True),
                   **RATE)
    trusts = {}
    for logical_id, role in template_of(stack).find_resources("AWS::IAM::Role").items():
        (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        if statement["Principal"] == {"Service": "ssm.amazonaws.com"} and logical_id.startswith("NotificationRole"):
            trusts[logical_id] = statement.get("Condition")
    assert sorted(trusts.values(), key=str) == [
        None, {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}]


@pytest.mark.parametrize(
    "make,code",
    [(lambda: TaskNotifications(events=[]), "InvalidNotifications"),
     (lambda: TaskNotifications(events=[NotificationEvent.ALL, NotificationEvent.FAILED]), "InvalidNotifications"),
     (lambda: TaskNotifications(events=["Failed"]), "InvalidType"),
     (lambda: TaskNotifications(per="Command"), "InvalidType"),
     (lambda: TaskNotifications(topic="arn:aws:sns:eu-west-1:123456789012:ops"), "InvalidType"),
     (lambda: TaskNotifications(confused_deputy_conditions="yes"), "InvalidType"),
     (lambda: TaskNotifications(role=iam.Role.from_role_arn(Stack(), "R", "arn:aws:iam::123456789012:role/n"),
                                confused_deputy_conditions=True), "InvalidNotifications"),
     (lambda: TaskOutput.s3("my-bucket"), "InvalidType"),
     (lambda: TaskOutput.s3(key_prefix="x" * 501), "InvalidS3KeyPrefix"),
     (lambda: TaskOutput.cloud_watch("/my/group"), "InvalidType")],
)
def test_fails_when_output_or_notification_options_are_invalid(make, code):
    with raises_code(code):
        make()


def test_fails_when_two_outputs_of_one_kind(stack, window, web):
    with raises_code("OutputConflict"):
        install(stack, window, web, output=[TaskOutput.s3(), TaskOutput.s3()])


def test_fails_when_output_and_output_s3_bucket_are_both_given(stack, window, web):
    with raises_code("OutputConflict"):
        install(stack, window, web, output=TaskOutput.s3(), output_s3_bucket="my-bucket")


def test_grant_output_write_to_your_own_role(stack, window, web):
    task = install(stack, window, web, output=TaskOutput.s3(key_prefix="patching/"))
    role = iam.Role(stack, "Instances", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    assert task.grant_output_write(role) is not None
    statements = only_properties(template_of(stack), "AWS::IAM::Policy")["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == ["s3:PutObject", "s3:PutObjectAcl"]
    assert statements[0]["Resource"]["Fn::Join"][1][-1] == "/patching/*"


def test_grant_output_write_without_outputs_grants_nothing(stack, window, web):
    task = install(stack, window, web)
    assert task.grant_output_write(iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))) is None


def test_imported_window_role_gets_a_warning_instead_of_pass_role(stack, window, web):
    role = __import__("mw_constructs").MaintenanceWindowRole.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/mw")
    install(stack, window, web, role=role, notifications=TaskNotifications())
    [warning] = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("RoleNotModified"))
    assert "passing the notification role to SSM" in warning.entry.data and "iam:PassRole" in warning.entry.data


# ------------------------------------------------------------------ RunPatchBaseline options and hooks


def test_patch_options_become_document_parameters(stack, window, web):
    install(stack, window, web, reboot_option=RebootOption.NO_REBOOT,
            install_override_list="s3://patch-lists/prod/install.yaml",
            baseline_override="https://example.com/baseline.json", document_version="$LATEST")
    parameters = run_command_parameters(stack)
    assert parameters["Parameters"] == {"Operation": ["Install"], "RebootOption": ["NoReboot"],
                                        "InstallOverrideList": ["s3://patch-lists/prod/install.yaml"],
                                        "BaselineOverride": ["https://example.com/baseline.json"]}
    assert parameters["DocumentVersion"] == "$LATEST"


def test_snapshot_id_is_passed_with_a_warning(stack, window, web):
    install(stack, window, web, snapshot_id="12345678-1234-1234-1234-123456789012")
    assert run_command_parameters(stack)["Parameters"]["SnapshotId"] == ["12345678-1234-1234-1234-123456789012"]
    Annotations.from_stack(stack).has_warning("*", Match.string_like_regexp("SnapshotIdInWindow"))


@pytest.mark.parametrize(
    "kwargs,code",
    [({"snapshot_id": "not-a-guid"}, "InvalidSnapshotId"),
     ({"install_override_list": "http://example.com/list.yaml"}, "InvalidOverrideUrl"),
     ({"install_override_list": "s3://bucket-only/"}, "InvalidOverrideUrl"),
     ({"baseline_override": "https://" + "x" * 250}, "InvalidOverrideUrl"),
     ({"document_version": "latest"}, "InvalidDocumentVersion"),
     ({"document_version": 0}, "InvalidDocumentVersion")],
)
def test_fails_when_patch_options_are_invalid(stack, window, web, kwargs, code):
    with raises_code(code):
        install(stack, window, web, **kwargs)


def test_fails_when_install_override_list_is_given_to_a_scan(stack, window, web):
    """Issue 20: a refusal before; SSM accepts it, a scan installs nothing: a warning, value kept."""
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **RATE,
                         install_override_list="s3://patch-lists/install.yaml")
    assert warning_ids_of(stack) == ["mw-constructs:InstallOptionWithScan"]
    assert run_command_parameters(stack)["Parameters"]["InstallOverrideList"] == ["s3://patch-lists/install.yaml"]


def test_hooks_run_your_documents_around_the_install(stack, window, web):
    task = install(stack, window, web, hooks=PatchHooks(pre_install="Acme-DrainNode", post_install="Acme-Smoke",
                                                        on_exit="Acme-Rejoin"))
    props = only_properties(template_of(stack), "AWS::SSM::MaintenanceWindowTask")
    assert props["TaskArn"] == "AWS-RunPatchBaselineWithHooks"
    assert props["TaskInvocationParameters"]["MaintenanceWindowRunCommandParameters"]["Parameters"] == {
        "Operation": ["Install"], "PreInstallHookDocName": ["Acme-DrainNode"],
        "PostInstallHookDocName": ["Acme-Smoke"], "OnExitHookDocName": ["Acme-Rejoin"]}
    assert task.document.name == "AWS-RunPatchBaselineWithHooks" and task.hooks.on_exit.name == "Acme-Rejoin"


def test_one_hook_is_enough(stack, window, web):
    install(stack, window, web, hooks=PatchHooks(post_install="Acme-Smoke"))
    parameters = run_command_parameters(stack)["Parameters"]
    assert parameters["PostInstallHookDocName"] == ["Acme-Smoke"] and "PreInstallHookDocName" not in parameters


def test_fails_when_hooks_are_given_to_a_scan(stack, window, web):
    """Issue 20: hooks run around an install; with a scan they are legal but unused (a warning)."""
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN, **RATE,
                         hooks=PatchHooks(pre_install="Acme-DrainNode"))
    assert warning_ids_of(stack) == ["mw-constructs:InstallOptionWithScan"]
    assert run_command_parameters(stack)["Parameters"]["PreInstallHookDocName"] == ["Acme-DrainNode"]


def test_explicit_defaults_with_a_scan_say_nothing(stack, window, web):
    RunCommandTask(stack, "Scan", window=window, targets=[web], document="AWS-RunPatchBaselineWithHooks", **RATE,
                   parameters={"Operation": "Scan", "RebootOption": "NoReboot", "PreInstallHookDocName": "AWS-Noop"})
    assert warning_ids_of(stack) == []


def test_fails_when_hooks_come_with_an_override(stack, window, web):
    with raises_code("InvalidHooks"):
        install(stack, window, web, hooks=PatchHooks(pre_install="Acme-DrainNode"),
                baseline_override="https://example.com/baseline.json")


def test_fails_when_hooks_name_no_document():
    with raises_code("InvalidHooks"):
        PatchHooks()


def test_fails_when_a_hook_document_name_is_invalid():
    with raises_code("InvalidDocument"):
        PatchHooks(pre_install="has space")


def test_fails_when_hooks_is_not_patch_hooks(stack, window, web):
    with raises_code("InvalidType"):
        install(stack, window, web, hooks={"pre_install": "Acme-DrainNode"})


# ------------------------------------------------------------------ AWS managed baselines for patch groups


def test_aws_default_baseline_is_registered_for_patch_groups_by_custom_resource():
    app = new_app(nag=True)
    stack = Stack(app, "Baselines")
    baseline = AwsManagedBaseline(stack, "AL2023", operating_system=OperatingSystem.AMAZON_LINUX_2023, patch_groups=["web"])
    baseline.add_patch_group("db")
    AwsManagedBaseline(stack, "Other", operating_system=OperatingSystem.AMAZON_LINUX_2023, patch_groups=["batch"])
    template = app.synth().get_stack_by_name("Baselines").template
    assert cfn_lint_findings(template) == []
    resources_ = template["Resources"]
    [(lookup_id, lookup)] = [(k, r) for k, r in resources_.items() if r["Type"] == LOOKUP_TYPE]  # one per name and stack
    assert lookup["Properties"]["BaselineName"] == "AWS-AmazonLinux2023DefaultPatchBaseline"
    registrations = [r for r in resources_.values() if r["Type"] == PATCH_GROUP_TYPE]
    assert [r["Properties"]["PatchGroup"] for r in registrations] == ["web", "db", "batch"]
    arn = {"Fn::GetAtt": [lookup_id, "BaselineId"]}
    assert all(r["Properties"]["BaselineId"] == arn for r in registrations)
    [(grant_id, grant)] = [(k, r) for k, r in resources_.items() if r["Type"] == "AWS::IAM::Policy"]
    statement = grant["Properties"]["PolicyDocument"]["Statement"]
    assert statement == [{"Sid": "RegisterThisBaseline", "Effect": "Allow", "Resource": arn,
                          "Action": ["ssm:RegisterPatchBaselineForPatchGroup", "ssm:DeregisterPatchBaselineForPatchGroup"]}]
    assert all(grant_id in r["DependsOn"] for r in registrations)  # deleted before the permission they need
    assert all(r["Properties"]["ServiceTimeout"] == "300" for r in resources_.values() if r["Type"].startswith("Custom::"))
    assert [r for r in resources_.values() if r["Type"] == "AWS::Lambda::Function"][0]["Properties"]["Code"] == \
        {"ZipFile": AWS_BASELINES_CODE}
    assert baseline.patch_groups == ("web", "db")
    assert stack.resolve(baseline.baseline_arn) == arn


def test_fails_when_an_aws_baseline_and_a_custom_one_serve_one_patch_group(stack):
    AwsManagedBaseline(stack, "AL2023", operating_system=OperatingSystem.AMAZON_LINUX_2023, patch_groups=["web"])
    with raises_code("PatchGroupBaselineConflict"):
        PatchBaseline(stack, "Custom", operating_system=OperatingSystem.AMAZON_LINUX_2023, patch_groups=["web"])


def test_fails_when_aws_baseline_name_is_not_an_aws_one(stack):
    with raises_code("InvalidName"):
        AwsManagedBaseline(stack, "X", operating_system=OperatingSystem.WINDOWS, baseline_name="My-Baseline")


def test_other_aws_predefined_baseline_by_name(stack):
    AwsManagedBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS,
                       baseline_name="AWS-WindowsPredefinedPatchBaseline-OS-Applications", patch_groups=["web"])
    lookup = next(r for r in resources(stack, LOOKUP_TYPE))["Properties"]
    assert lookup["BaselineName"] == "AWS-WindowsPredefinedPatchBaseline-OS-Applications"


def test_grant_output_write_covers_the_plain_output_s3_bucket_argument(stack, window, web):
    task = install(stack, window, web, output_s3_bucket="my-patch-logs", output_s3_key_prefix="plain/")
    role = iam.Role(stack, "Instances", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    task.grant_output_write(role)
    assert run_command_parameters(stack)["OutputS3BucketName"] == "my-patch-logs"
    statements = only_properties(template_of(stack), "AWS::IAM::Policy")["PolicyDocument"]["Statement"]
    assert statements[0]["Resource"]["Fn::Join"][1][-1] == ":s3:::my-patch-logs/plain/*"
