"""The error catalogue of the docs: every ValidationError code and warning id, with a real
example message produced by running the library.

    python scripts/error_catalogue.py          # print the catalogue (Markdown tables)

docs/hooks.py puts it into docs/errors.md while the site builds, so the page cannot drift from
the library; tests/quality/test_package.py checks that every code and id has its row.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Dict

from aws_cdk import App, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match

import mw_constructs as mw
from mw_constructs.checks import WindowFacts, analyse
from mw_constructs.readback.assembly import read_schedule

ROOT = Path(__file__).resolve().parent.parent

START, END = "<!-- error-catalogue:start -->", "<!-- error-catalogue:end -->"
K = mw.PatchFilterKey
UTC = timezone.utc
SECURITY = [mw.PatchFilter(K.CLASSIFICATION, ["Security"])]
RATE = dict(max_concurrency="10%", max_errors="1")
MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:HealthCheck"


class Scene:
    """A fresh stack with a window and a patch-group target, for construct examples."""

    def __init__(self) -> None:
        self.app = App()
        self.stack = Stack(self.app, "Example")
        self.window = mw.PatchingWindow(self.stack, "Window", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                                        duration=Duration.hours(3), cutoff=Duration.hours(1))
        self.web = mw.PatchGroupTarget(self.stack, "Web", window=self.window, patch_group="web")

    def window_with(self, **kwargs):
        props = dict(schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"), duration=Duration.hours(3),
                     cutoff=Duration.hours(1))
        props.update(kwargs)
        return mw.PatchingWindow(self.stack, "Other", **props)

    def task(self, cls=None, **kwargs):
        cls = cls or mw.RunPatchBaselineTask
        props = dict(window=self.window, targets=[self.web], operation=mw.PatchOperation.INSTALL, **RATE)
        props.update(kwargs)
        return cls(self.stack, "Task", **props)

    def command(self, **kwargs):
        props = dict(window=self.window, targets=[self.web], document="AWS-RunShellScript",
                     parameters={"commands": ["uptime"]}, **RATE)
        props.update(kwargs)
        return mw.RunCommandTask(self.stack, "Command", **props)

    def linux_baseline(self, id="Baseline", **kwargs):
        props = dict(operating_system=mw.OperatingSystem.AMAZON_LINUX_2023,
                     approval_rules=[mw.ApprovalRule(filters=SECURITY, approve_after_days=7)])
        props.update(kwargs)
        return mw.PatchBaseline(self.stack, id, **props)


def expression(text, **kwargs):
    return lambda s: mw.WindowSchedule.expression(text, **kwargs)


def _other_window_target(s):
    other = s.window_with()
    foreign = mw.PatchGroupTarget(s.stack, "Foreign", window=other, patch_group="db")
    s.task(targets=[foreign])


def _two_defaults(s):
    s.linux_baseline("A", default_for_os=True)
    s.linux_baseline("B", default_for_os=True)


def _group_conflict(s):
    s.linux_baseline("A", patch_groups=["web"])
    s.linux_baseline("B", patch_groups=["web"])


def _stack_set(s, template=None, **options):
    from cdk_stacksets import StackSetStack

    template = template or StackSetStack(s.stack, "Template")
    return mw.PatchingStackSet(s.stack, "Rollout", template=template, **{
        "organizational_units": ["ou-ab12-product1"], "regions": ["eu-west-1", "us-east-1"], **options})


def _named_role_in_template(s):
    from cdk_stacksets import StackSetStack

    template = StackSetStack(s.stack, "Template")
    mw.MaintenanceWindowRole(template, "PatchingRole", role_name="patching")
    _stack_set(s, template)


def _many_disabled_windows(s):
    stack = Stack(App(context={"mw-constructs:quotas": {"MaintenanceWindowsPerRegion": 100}}), "Example")
    from mw_constructs._internal.window_disabler import MAX_DISABLED_WINDOWS

    for number in range(MAX_DISABLED_WINDOWS + 1):
        mw.PatchingWindow(stack, f"Paused{number}", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1), enabled=False)


def _agent(s, **kwargs):
    props = dict(document="AWS-UpdateSSMAgent", targets=[mw.AssociationTarget.tags("Role", "web")],
                 schedule=mw.AssociationSchedule.daily(hour=2))
    props.update(kwargs)
    return mw.Association(s.stack, "UpdateAgent", **props)


def _policy(s, **kwargs):
    baseline = mw.AwsManagedBaseline(s.stack, "Windows", operating_system=mw.OperatingSystem.WINDOWS)
    props = dict(policy_name="patching", regions=["eu-west-1"], baselines={mw.OperatingSystem.WINDOWS: baseline})
    props.update(kwargs)
    return mw.PatchPolicy(s.stack, "Policy", **props)


def _scan_beside_window(s):
    s.task()
    mw.PatchAssociation(s.stack, "Scan", operation=mw.PatchOperation.SCAN, targets=[mw.AssociationTarget.patch_group("web")],
                        schedule=mw.AssociationSchedule.daily(hour=1))


def _two_scans(s):
    for name in ("ScanA", "ScanB"):
        mw.PatchAssociation(s.stack, name, operation=mw.PatchOperation.SCAN,
                            targets=[mw.AssociationTarget.patch_group("web")], schedule=mw.AssociationSchedule.daily(hour=1))


def _policy_beside_window(s):
    s.task()
    _policy(s)


EXAMPLES: Dict[str, Callable[[Scene], object]] = {
    "ScheduleSyntax": expression("CRON(0 2 ? * SUN *)"),
    "CronFieldCount": expression("cron(0 2 * * *)"),
    "CronSyntax": expression("cron(0 2 ? * MON+1 *)"),
    "CronValueOutOfRange": expression("cron(0 0 ? * 0 *)"),
    "CronDaysConflict": expression("cron(0 2 * * SUN *)"),
    "CronDaysMissing": expression("cron(0 2 ? * ? *)"),
    "CronUnsupportedForm": expression("cron(0 0 LW * ? *)"),
    "CronTooFrequent": expression("cron(0/2 * * * ? *)"),
    "CronNeverRuns": expression("cron(0 0 30 FEB ? *)"),
    "RateSyntax": expression("rate(1 week)"),
    "RateUnitNumber": expression("rate(1 hours)"),
    "RateTooFrequent": expression("rate(2 minutes)"),
    "AtSyntax": expression("at(2030-02-30T00:00:00)"),
    "ScheduleOffsetRange": expression("cron(0 0 ? * TUE#2 *)", schedule_offset=7),
    "ScheduleOffsetNotCron": expression("rate(7 days)", schedule_offset=2),
    "UnknownTimeZone": expression("cron(0 2 ? * SUN *)", time_zone="etc/UTC"),
    "NaiveDate": expression("cron(0 2 ? * SUN *)", start_date=datetime(2030, 1, 1)),
    "EndNotAfterStart": expression("cron(0 2 ? * SUN *)", start_date=datetime(2030, 1, 1, tzinfo=UTC),
                                   end_date=datetime(2029, 1, 1, tzinfo=UTC)),
    "UnresolvedSchedule": lambda s: mw.WindowSchedule.expression(Fn.import_value("Schedule")).next_runs(
        1, after=datetime(2030, 1, 1, tzinfo=UTC)),
    "DurationRange": lambda s: s.window_with(duration=Duration.hours(25), cutoff=Duration.hours(1)),
    "CutoffRange": lambda s: s.window_with(duration=Duration.hours(24), cutoff=Duration.hours(24)),
    "CutoffNotBelowDuration": lambda s: s.window_with(duration=Duration.hours(2), cutoff=Duration.hours(3)),
    "NotWholeHours": lambda s: s.window_with(duration=Duration.minutes(90)),
    "InvalidWindowId": lambda s: mw.PatchingWindow.from_window_id(s.stack, "Imported", "mw-123"),
    "InvalidWindowArn": lambda s: mw.PatchingWindow.from_window_attributes(
        s.stack, "Imported", window_arn="arn:aws:ssm:eu-west-1:123456789012:window/mw-0123456789abcdef0"),
    "InvalidTargetId": lambda s: mw.WindowTarget.from_target_id(s.stack, "Existing", window=s.window, target_id="web"),
    "InvalidTaskId": lambda s: mw.RunCommandTask.from_task_id(s.stack, "ExistingTask", window=s.window, task_id="install"),
    "NoResource": lambda s: mw.PatchingWindow.from_window_id(s.stack, "Existing", "mw-0c50858d01e0abcde").apply_removal_policy(
        RemovalPolicy.RETAIN),
    "InvalidBaselineId": lambda s: mw.PatchBaseline.from_baseline_id(s.stack, "ExistingBaseline", "my-baseline"),
    "InvalidName": lambda s: s.window_with(window_name="patch sunday"),
    "InvalidDescription": lambda s: s.window_with(description=""),
    "InvalidTag": lambda s: s.window_with(tags={"aws:owner": "ops"}),
    "TargetSelector": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, tags={"Role": "web"},
                                                instance_ids=["i-0123456789abcdef0"]),
    "TooManyTagPairs": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, tags={"a": ["1", "2", "3"], "b": ["1", "2", "3"]}),
    "InvalidInstanceId": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, instance_ids=["i-123"]),
    "TooManyInstanceIds": lambda s: mw.WindowTarget(s.stack, "T", window=s.window,
                                                    instance_ids=[f"i-{n:017x}" for n in range(51)]),
    "InvalidResourceGroup": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, resource_group="my group"),
    "InvalidResourceTypeFilter": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, resource_group="fleet",
                                                           resource_type_filters=["EC2 Instance"]),
    "InvalidOwnerInformation": lambda s: mw.WindowTarget(s.stack, "T", window=s.window, tags={"a": "b"},
                                                         owner_information="x" * 129),
    "InvalidPatchGroup": lambda s: mw.PatchGroupTarget(s.stack, "T", window=s.window, patch_group="web#1"),
    "InvalidPatchGroupTagKey": lambda s: mw.PatchGroupTarget(s.stack, "T", window=s.window, patch_group="web",
                                                             tag_key="patch group"),
    "TaskWithoutTargets": lambda s: s.task(targets=None),
    "TaskTargetsConflict": lambda s: s.task(instance_ids=["i-0123456789abcdef0"]),
    "TargetOfOtherWindow": _other_window_target,
    "UnassociatedTargetsNotAllowed": lambda s: s.task(targets=None, instance_ids=["i-0123456789abcdef0"]),
    "RateControlRequired": lambda s: s.task(max_errors=None),
    "RateControlWithoutTargets": lambda s: mw.LambdaTask(s.stack, "Check", window=s.window, function="Patch-Check",
                                                         max_concurrency="10%"),
    "ServiceLinkedRoleConflict": lambda s: s.task(service_linked_role=True, role=mw.MaintenanceWindowRole(s.stack, "R")),
    "InvalidMaxConcurrency": lambda s: s.task(max_concurrency="0"),
    "InvalidMaxErrors": lambda s: s.task(max_errors="101%"),
    "InvalidPriority": lambda s: s.task(priority=-1),
    "InvalidTimeout": lambda s: s.task(timeout=Duration.seconds(10)),
    "InvalidDocument": lambda s: s.command(document="my doc"),
    "InvalidParameters": lambda s: s.command(parameters={"commands": [5]}),
    "UnsupportedPseudoParameter": lambda s: s.command(parameters={"commands": ["echo {{TARGET_ID}}"]}),
    "AssumeRoleConflict": lambda s: mw.AutomationTask(
        s.stack, "Stop", window=s.window, document="AWS-StopEC2Instance", assume_role=mw.MaintenanceWindowRole(s.stack, "R"),
        parameters={"InstanceId": "i-0123456789abcdef0", "AutomationAssumeRole": "arn:aws:iam::123456789012:role/a"}),
    "InvalidFunction": lambda s: mw.LambdaTask(s.stack, "Check", window=s.window, function="patch check"),
    "InvalidQualifier": lambda s: mw.LambdaTask(s.stack, "Check", window=s.window,
                                                function="arn:aws:lambda:eu-west-1:123456789012:function:Check:live",
                                                qualifier="7"),
    "InvalidPayload": lambda s: mw.LambdaTask(s.stack, "Check", window=s.window, function="Patch-Check",
                                              payload="{'instance': 1}"),
    "InvalidStateMachine": lambda s: mw.StepFunctionsTask(s.stack, "Health", window=s.window, state_machine="HealthCheck"),
    "InvalidExecutionInput": lambda s: mw.StepFunctionsTask(s.stack, "Health", window=s.window,
                                                            state_machine=MACHINE, input={"note": "x" * 5000}),
    "InvalidExecutionName": lambda s: mw.StepFunctionsTask(s.stack, "Health", window=s.window, targets=[s.web],
                                                           state_machine=MACHINE, execution_name="nightly-health", **RATE),
    "InvalidRunbook": lambda s: mw.Runbook(s.command(), s.task(priority=2)),
    "InvalidRegion": lambda s: mw.RegionalTimeZones({"Ireland": "Europe/Dublin"}),
    "RegionWithoutTimeZone": lambda s: mw.WindowSchedule.expression(
        "cron(0 2 ? * SUN *)", time_zone=mw.RegionalTimeZones.local(["eu-west-1"])).in_region("us-east-1"),
    "RegionalSchedule": lambda s: mw.WindowSchedule.expression(
        "cron(0 2 ? * SUN *)", time_zone=mw.RegionalTimeZones.local(["eu-west-1", "us-east-1"])).next_runs(
        1, after=datetime(2025, 1, 1, tzinfo=UTC)),
    "InvalidOrganizationalUnit": lambda s: _stack_set(s, organizational_units=["Production"]),
    "InvalidRolloutPreference": lambda s: _stack_set(s, max_concurrent="0%"),
    "IamNameCollision": _named_role_in_template,
    "TooManyDisabledWindows": _many_disabled_windows,
    "QuotaExceeded": lambda s: s.command(targets=[mw.WindowTarget(s.stack, f"T{n}", window=s.window, tags={"Group": str(n)})
                                                  for n in range(11)]),
    "InvalidQuota": lambda s: mw.PatchingWindow(
        Stack(App(context={"mw-constructs:quotas": {"ResourcesPerStack": 1000}}), "Big"), "Window",
        schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"), duration=Duration.hours(3), cutoff=Duration.hours(1)),
    "InvalidAlarm": lambda s: mw.PatchingAlerts(s.stack, "Alerts", alarm=True, alarm_period=Duration.seconds(90)),
    "WrongDocumentType": lambda s: s.command(document="AWS-RestartEC2Instance", parameters=None),
    "UnknownDocumentParameter": lambda s: s.command(parameters={"command": ["uptime"]}),
    "InvalidDocumentParameter": lambda s: s.command(document="AWS-RunPatchBaseline",
                                                    parameters={"Operation": ["Install"], "RebootOption": ["Reboot"]}),
    "MissingDocumentParameter": lambda s: s.command(parameters={"workingDirectory": ["/tmp"]}),
    "InvalidS3Bucket": lambda s: s.task(output_s3_bucket="My_Bucket"),
    "InvalidS3KeyPrefix": lambda s: s.task(output_s3_key_prefix="logs/"),
    "InvalidComment": lambda s: s.task(comment="x" * 101),
    "InvalidPatchOperation": lambda s: s.task(operation="Patch"),
    "InvalidRebootOption": lambda s: s.task(reboot_option="Reboot"),
    "InvalidHooks": lambda s: mw.PatchHooks(),
    "InvalidSnapshotId": lambda s: s.task(snapshot_id="snapshot-1"),
    "InvalidOverrideUrl": lambda s: s.task(baseline_override="http://example.com/baseline.json"),
    "InvalidDocumentVersion": lambda s: s.task(document_version="latest"),
    "InvalidDocumentHash": lambda s: s.command(document_hash="0123abcd"),
    "OutputConflict": lambda s: s.task(output=mw.TaskOutput.s3(), output_s3_bucket="my-bucket"),
    "InvalidNotifications": lambda s: mw.TaskNotifications(events=[mw.NotificationEvent.ALL, mw.NotificationEvent.FAILED]),
    "FilterKeyNotSupported": lambda s: s.linux_baseline(approval_rules=[mw.ApprovalRule(
        filters=[mw.PatchFilter(K.MSRC_SEVERITY, ["Critical"])], approve_after_days=7)]),
    "InvalidPatchFilter": lambda s: mw.PatchFilter(K.CLASSIFICATION, []),
    "TooManyApprovalRules": lambda s: s.linux_baseline(approval_rules=[
        mw.ApprovalRule(filters=SECURITY, approve_after_days=n) for n in range(11)]),
    "ApprovalConflict": lambda s: mw.ApprovalRule(filters=SECURITY, approve_after_days=7, approve_until_date=date(2030, 1, 1)),
    "ApprovalDelayRequired": lambda s: s.linux_baseline(approval_rules=[mw.ApprovalRule(filters=SECURITY)]),
    "ApprovalDelayNotSupported": lambda s: mw.PatchBaseline(s.stack, "Ubuntu", operating_system=mw.OperatingSystem.UBUNTU,
                                                            approval_rules=[mw.ApprovalRule(filters=[mw.PatchFilter(K.PRIORITY, ["Required"])],
                                                                                            approve_after_days=3)]),
    "InvalidApprovalDelay": lambda s: mw.ApprovalRule(filters=SECURITY, approve_after_days=400),
    "InvalidPatchSource": lambda s: mw.PatchSource("repo", [], "[main]"),
    "InvalidPatchList": lambda s: s.linux_baseline(approved_patches=["x" * 101]),
    "TooManyPatchGroups": lambda s: s.linux_baseline(patch_groups=[f"group-{n}" for n in range(26)]),
    "PatchGroupBaselineConflict": _group_conflict,
    "InvalidType": lambda s: s.window_with(duration=3),
    "UnknownArgument": lambda s: s.task(max_concurency="10%"),
    "AliasConflict": lambda s: s.window_with(window_name="sunday-patching", name="sunday"),
    "EventPatternConflict": lambda s: s.window.on_execution_state_change(
        "Failed", event_pattern=events.EventPattern(source=["aws.ec2"])),
    "DuplicateValue": lambda s: _stack_set(s, regions=["eu-west-1", "eu-west-1"]),
    "DuplicateId": lambda s: mw.PatchGroupTarget(s.stack, "Web", window=s.window, patch_group="db"),
    "NotInStack": lambda s: mw.PatchingWindow(s.app, "Window", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                                              duration=Duration.hours(3), cutoff=Duration.hours(1)),
    "StackSetTemplateScope": lambda s: _stack_set(s, template=__import__("cdk_stacksets").StackSetStack(
        Stack(s.app, "Elsewhere"), "Template")),
    "RepeatedFilterKey": lambda s: mw.ApprovalRule(filters=[mw.PatchFilter(K.CLASSIFICATION, ["Security"]),
                                                            mw.PatchFilter(K.CLASSIFICATION, ["Bugfix"])],
                                                   approve_after_days=7),
    "AssociationCronUnsupported": lambda s: mw.AssociationSchedule.expression("cron(0 2 15 * ? *)"),
    "AssociationRateOutOfRange": lambda s: mw.AssociationSchedule.expression("rate(15 minutes)"),
    "ApplyOnlyAtCronIntervalWithRate": lambda s: _agent(s, schedule="rate(1 day)", apply_only_at_cron_interval=True),
    "ScheduleOffsetNeedsCronInterval": lambda s: _agent(s, schedule=mw.AssociationSchedule.weekly(
        "TUE#2", hour=2, schedule_offset=3)),
    "InvalidAssociationName": lambda s: _agent(s, association_name="update agent"),
    "InvalidAssociationTarget": lambda s: _agent(s, targets=[mw.AssociationTarget.all_managed_nodes(),
                                                             mw.AssociationTarget.tags("Role", "web")]),
    "AssociationTargetsRequired": lambda s: _agent(s, targets=None),
    "InstanceIdConflict": lambda s: _agent(s, targets=None, instance_id="i-0123456789abcdef0"),
    "AutomationTargetParameterRequired": lambda s: mw.Association(
        s.stack, "Restart", document="AWS-RestartEC2Instance", targets=[mw.AssociationTarget.tags("Role", "web")],
        max_concurrency="10%", max_errors="1"),
    "InvalidWaitForSuccessTimeout": lambda s: _agent(s, wait_for_success_timeout=Duration.days(3)),
    "InvalidCalendarName": lambda s: _agent(s, calendar_names=["business hours"]),
    "InvalidPatchPolicy": lambda s: _policy(s, scan_schedule="rate(1 day)"),
    "PatchPolicyTargets": lambda s: _policy(s, regions=[]),
}


def error_rows() -> list:
    rows = []
    for code, description in mw.ERROR_CODES.items():
        try:
            EXAMPLES[code](Scene())
        except mw.ValidationError as error:
            if error.code != code:
                raise AssertionError(f"the example for {code} raised {error.code}: {error}") from None
            rows.append((code, description, error.message))
            continue
        raise AssertionError(f"the example for {code} raised nothing")
    return rows


def _warning_of(build: Callable[[Scene], object], warning_id: str) -> str:
    scene = Scene()
    build(scene)
    found = Annotations.from_stack(scene.stack).find_warning("*", Match.string_like_regexp(warning_id))
    return found[0].entry.data.split(" [ack: ")[0]


def _invalid_association() -> str:
    """What `mw-constructs check` reports for a hand-written association State Manager refuses."""
    import tempfile

    from mw_constructs.readback.assembly import read_patching

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "Demo.template.json").write_text(__import__("json").dumps({"Resources": {"Scan": {
            "Type": "AWS::SSM::Association", "Properties": {"Name": "AWS-RunPatchBaseline",
                                                           "ScheduleExpression": "cron(0 0/3 * * ? *)"}}}}))
        return read_patching(Path(folder)).associations[0].problems[0]


def warning_rows() -> list:
    after = datetime(2025, 1, 1, tzinfo=UTC)

    def facts(text, **kw):
        schedule = mw.WindowSchedule.expression(text, time_zone=kw.pop("time_zone", None))
        if "region" in kw:  # one Region's copy of a follow-the-sun window
            kw.update(follow_the_sun=True, environment=kw["region"], name=f"{kw.pop('name', 'window')} [{kw['region']}]")
        return WindowFacts(name=kw.pop("name", "window"), schedule=schedule, duration_hours=kw.pop("hours", 3),
                           cutoff_hours=1, **kw)

    def finding(*windows):
        return lambda warning_id: next(f.message for f in analyse(list(windows), after=after) if f.id == warning_id)

    def construct(build):
        return lambda warning_id: _warning_of(build, warning_id)

    examples = {
        "mw-constructs:OverlappingStarts": finding(facts("cron(0 0-5 ? * THU#1 *)", hours=6)),
        "mw-constructs:ProductionBeforeNonProduction": finding(
            facts("cron(0 2 ? * SUN#1 *)", tier="non-production", name="test"),
            facts("cron(0 2 ? * TUE#1 *)", tier="production", name="prod")),
        "mw-constructs:PatchGroupWindowsOverlap": finding(
            facts("cron(0 2 ? * SUN *)", hours=4, name="a", patch_groups=frozenset({"web"})),
            facts("cron(0 4 ? * SUN *)", hours=2, name="b", patch_groups=frozenset({"web"}))),
        "mw-constructs:FollowTheSunOverlap": finding(
            facts("cron(0 22 ? * TUE *)", hours=5, time_zone="Europe/Dublin", region="eu-west-1", tier="production"),
            facts("cron(0 22 ? * TUE *)", hours=5, time_zone="America/New_York", region="us-east-1", tier="production")),
        "mw-constructs:TimeoutExceedsCutoff": finding(facts("cron(0 2 ? * SUN *)", task_timeouts=(("Install", 7200),))),
        "mw-constructs:FixedOffsetTimeZone": finding(facts("cron(0 2 ? * SUN *)", time_zone="EST")),
        "mw-constructs:NumericWeekday": finding(facts("cron(0 2 ? * 7 *)")),
        "mw-constructs:NoFutureRuns": finding(facts("at(2024-06-01T02:00:00)")),
        "mw-constructs:CronWrappingRange": finding(facts("cron(00 23-5 ? * THU#1 *)", hours=6)),
        "mw-constructs:LastDayOfWeek": finding(facts("cron(0 2 ? * L *)")),
        "mw-constructs:AtWithTimeZone": finding(facts("at(2030-07-07T15:55:00)", time_zone="Europe/Amsterdam")),
        "mw-constructs:RateWithoutStartDate": finding(
            facts("rate(7 days)", name="weekly", patch_groups=frozenset({"web"})),
            facts("cron(0 2 ? * SUN *)", name="sunday", patch_groups=frozenset({"web"}))),
        # what `mw-constructs check` reports for a hand-written window
        "mw-constructs:InvalidWindow": lambda _: read_schedule({"Schedule": "cron(0 2 * * SUN *)", "Duration": 3,
                                                               "Cutoff": 1})[3][0],
        "mw-constructs:InvalidAssociation": lambda _: _invalid_association(),
        "mw-constructs:PatchApprovedAndRejected": construct(
            lambda s: s.linux_baseline(approved_patches=["curl"], rejected_patches=["curl"])),
        "mw-constructs:SnapshotIdInWindow": construct(lambda s: s.task(snapshot_id="12345678-1234-1234-1234-123456789012")),
        "mw-constructs:RoleNotModified": construct(
            lambda s: s.command(role=mw.MaintenanceWindowRole.from_role_arn(s.stack, "R", "arn:aws:iam::123456789012:role/mw"),
                                output=mw.TaskOutput.s3())),
        "mw-constructs:RunbookRunsAsWindowRole": construct(
            lambda s: mw.AutomationTask(s.stack, "Failover", window=s.window,
                                        document=mw.Document.of("Acme-Failover", type=mw.DocumentType.AUTOMATION))),
        "mw-constructs:ConcurrencyLimitedByFailureTolerance": construct(
            lambda s: _stack_set(s, max_concurrent=10, failure_tolerance=1)),
        "mw-constructs:PatchGroupTagKeyNearMiss": construct(
            lambda s: mw.WindowTarget(s.stack, "T", window=s.window, tags={"Patch_Group": "web"})),
        "mw-constructs:RebootOptionWithScan": construct(
            lambda s: s.task(operation=mw.PatchOperation.SCAN, reboot_option=mw.RebootOption.REBOOT_IF_NEEDED)),
        "mw-constructs:InstallOptionWithScan": construct(
            lambda s: s.task(operation=mw.PatchOperation.SCAN, install_override_list="s3://lists/install.yaml")),
        "mw-constructs:LinuxOnlyOption": construct(
            lambda s: mw.PatchBaseline(s.stack, "Win", operating_system=mw.OperatingSystem.WINDOWS,
                                       approved_patches_enable_non_security=True)),
        "mw-constructs:WindowsOnlyOption": construct(
            lambda s: s.linux_baseline(available_security_updates_compliance_status=mw.ComplianceStatus.COMPLIANT)),
        "mw-constructs:DeprecatedDocumentHash": construct(
            lambda s: s.command(document_hash="b" * 40, document_hash_type=mw.DocumentHashType.SHA1)),
        "mw-constructs:AutomationDefinitionAsCommand": construct(
            lambda s: s.command(document="arn:aws:ssm:eu-west-1:123456789012:automation-definition/Acme-Restart:3")),
        "mw-constructs:AssumeRoleNotTrustedBySsm": construct(
            lambda s: mw.AutomationTask(s.stack, "Restart", window=s.window, document="AWS-RestartEC2Instance",
                                        parameters={"InstanceId": "i-0123456789abcdef0"},
                                        assume_role=iam.Role(s.stack, "Fn", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")))),
        "mw-constructs:DuplicateValue": construct(
            lambda s: mw.WindowTarget(s.stack, "T", window=s.window, instance_ids=["i-01234567", "i-01234567"])),
        "mw-constructs:UnknownPseudoParameter": construct(
            lambda s: mw.AutomationTask(s.stack, "Stop", window=s.window, targets=[s.web], document="AWS-StopEC2Instance",
                                        parameters={"InstanceId": "{{RESOURCEID}}"}, **RATE)),
        "mw-constructs:DefaultBaselineConflict": construct(_two_defaults),
        "mw-constructs:TagKeyAsTagName": construct(
            lambda s: mw.WindowTarget(s.stack, "T", window=s.window, tags={"tag-key": ["Patch"]})),
        "mw-constructs:UndocumentedFilterKey": construct(
            lambda s: s.linux_baseline(global_filters=[mw.PatchFilter(K.CVE_ID, ["CVE-2024-3094"])])),
        "mw-constructs:AssociationRunsAtCreation": construct(
            lambda s: mw.PatchAssociation(s.stack, "Install", operation=mw.PatchOperation.INSTALL,
                                          targets=[mw.AssociationTarget.patch_group("db")],
                                          schedule=mw.AssociationSchedule.weekly("SUN", hour=3))),
        "mw-constructs:PatchedByWindowAndAssociation": construct(_scan_beside_window),
        "mw-constructs:PatchedByTwoAssociations": construct(_two_scans),
        "mw-constructs:PatchPolicyWithWindows": construct(_policy_beside_window),
    }
    missing = sorted(set(mw.WARNING_IDS) - set(examples))
    if missing:
        raise AssertionError(f"no catalogue example for warning ids {missing}")
    return [(warning_id, description, examples[warning_id](warning_id)) for warning_id, description in mw.WARNING_IDS.items()]


def why(rule: "mw.Rule") -> str:
    """A rule's strictness class and evidence, for a table cell: AWS pages as links."""
    shown = []
    for item in rule.evidence:
        kind, _, rest = item.partition(":")
        reference, _, note = rest.partition(" ")
        if kind == "doc":
            host = reference.split("/")[2]
            label = reference.rstrip("/").split("/")[-1].removesuffix(".html") or host
            shown.append(f"[{label}]({reference}){' ' + note if note else ''}")
        elif kind == "lib":
            shown.append(rest)
        else:
            shown.append(f"`{kind}:{reference}`{' ' + note if note else ''}")
    return f"**{rule.strictness.value}**: " + "; ".join(shown)


def catalogue() -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [START, "", "| Code | Raised when | Why an error | Example message |", "|---|---|---|---|"]
    lines += [f"| `{code}` | {cell(when)} | {cell(why(mw.ERROR_RULES[code]))} | {cell(message)} |"
              for code, when, message in error_rows()]
    lines += ["", "| Warning id | Warns when | Evidence | Example message |", "|---|---|---|---|"]
    lines += [f"| `{wid}` | {cell(when)} | {cell(why(mw.WARNING_RULES[wid]))} | {cell(message)} |"
              for wid, when, message in warning_rows()]
    lines += ["", END]
    return "\n".join(lines)


if __name__ == "__main__":
    print(catalogue())
