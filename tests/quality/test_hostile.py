"""Hostile inputs to every public construct and option (issue 21).

Each case calls one public constructor (or factory) with one argument replaced by a hostile
value. The library must either refuse it with a registered ``ValidationError`` whose message
names the argument, leaving the construct tree exactly as it was (every path of the whole app
compared before and after), or accept it, and then the app must synthesize with aws-cdk-lib's
schema validation turned into errors. Anything else (another exception, a half-created tree, a
template that fails validation) is a bug.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any, Callable, Dict, List, Tuple

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_iam as iam

import mw_constructs as mw
from mw_constructs import ERROR_CODES, ValidationError
from tests.support.apps import new_app

UTC = timezone.utc
K = mw.PatchFilterKey

#: Values no argument should take as they are: wrong types, non-numbers, huge numbers.
WRONG_TYPES: List[Any] = [0, -1, 3.5, math.nan, math.inf, 10 ** 400, True, b"bytes", {"k": "v"}, ["x"], object(), {1, 2}]
#: Text that services refuse, or that breaks what reads it.
BAD_TEXT: List[Any] = ["", "x" * 5000, "a\x00b", "tab\tand\nnewline", "\x1b[31mred", "lone \ud800 surrogate",
                       "rôle-役割", "\u202eevil"]
#: Extra values for numbers and durations.
BAD_NUMBERS: List[Any] = [-5, 0, 10 ** 12, math.nan, math.inf, "7", None]
BAD_DURATIONS: List[Any] = [Duration.minutes(90), Duration.hours(0), Duration.hours(25), Duration.seconds(1), 3, "3h", None]


class Scene:
    """A fresh app with a stack, a window and a target, for one case."""

    def __init__(self) -> None:
        self.app = new_app()
        self.stack = Stack(self.app, "Hostile")
        self.window = mw.PatchingWindow(self.stack, "Window", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                                        duration=Duration.hours(3), cutoff=Duration.hours(1),
                                        allow_unassociated_targets=True)
        self.web = mw.PatchGroupTarget(self.stack, "Web", window=self.window, patch_group="web")

    def paths(self) -> List[str]:
        return sorted(construct.node.path for construct in self.app.node.find_all())


RATE = dict(max_concurrency="10%", max_errors="1")


def window(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"),
                                 duration=Duration.hours(3), cutoff=Duration.hours(1))
    props.update(kw)
    return mw.PatchingWindow(s.stack, "Subject", **props)


def schedule(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(text="cron(0 4 ? * SAT *)")
    props.update(kw)
    text = props.pop("text")
    return window(s, schedule=mw.WindowSchedule.expression(text, **props))


def target(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(tags={"Role": "web"})
    props.update(kw)
    return mw.WindowTarget(s.stack, "Subject", window=s.window, **props)


def command(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(document="AWS-RunShellScript", parameters={"commands": ["uptime"]}, targets=[s.web], **RATE)
    props.update(kw)
    return mw.RunCommandTask(s.stack, "Subject", window=s.window, **props)


def patch(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(operation=mw.PatchOperation.INSTALL, targets=[s.web], **RATE)
    props.update(kw)
    return mw.RunPatchBaselineTask(s.stack, "Subject", window=s.window, **props)


def automation(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(document="AWS-RestartEC2Instance", parameters={"InstanceId": "{{RESOURCE_ID}}"},
                                 targets=[s.web], **RATE)
    props.update(kw)
    return mw.AutomationTask(s.stack, "Subject", window=s.window, **props)


def lambda_task(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(function="arn:aws:lambda:eu-west-1:123456789012:function:check", payload={"a": 1})
    props.update(kw)
    return mw.LambdaTask(s.stack, "Subject", window=s.window, **props)


def step_functions(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(state_machine="arn:aws:states:eu-west-1:123456789012:stateMachine:patch",
                                 input={"a": 1})
    props.update(kw)
    return mw.StepFunctionsTask(s.stack, "Subject", window=s.window, **props)


def baseline(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(operating_system=mw.OperatingSystem.AMAZON_LINUX_2023,
                                 approval_rules=[mw.ApprovalRule(filters=[mw.PatchFilter(K.CLASSIFICATION, ["Security"])],
                                                                 approve_after_days=7)])
    props.update(kw)
    return mw.PatchBaseline(s.stack, "Subject", **props)


def rule(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(filters=[mw.PatchFilter(K.CLASSIFICATION, ["Security"])], approve_after_days=7)
    props.update(kw)
    return baseline(s, approval_rules=[mw.ApprovalRule(**props)])


def role(s: Scene, **kw: Any) -> Any:
    return mw.MaintenanceWindowRole(s.stack, "Subject", **kw)


def alerts(s: Scene, **kw: Any) -> Any:
    return mw.PatchingAlerts(s.stack, "Subject", **kw)


def compliance(s: Scene, **kw: Any) -> Any:
    return mw.PatchCompliance(s.stack, "Subject", **kw)


def notifications(s: Scene, **kw: Any) -> Any:
    return command(s, notifications=mw.TaskNotifications(**kw))


def imported_window(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(window_id="mw-0123456789abcdef0")
    props.update(kw)
    return mw.PatchingWindow.from_window_id(s.stack, "Subject", props.pop("window_id"), **props)


def imported_role(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(role_arn="arn:aws:iam::123456789012:role/patching")
    props.update(kw)
    return mw.MaintenanceWindowRole.from_role_arn(s.stack, "Subject", props.pop("role_arn"), **props)



# The rest of the public surface: constructs that need more of a scene (a ``prepare`` step runs
# before the tree is recorded), value objects (through the construct that takes them) and factories.


def _two_tasks(s: Scene) -> None:
    s.first = mw.RunCommandTask(s.stack, "First", window=s.window, document="AWS-RunShellScript",
                                parameters={"commands": ["uptime"]}, targets=[s.web], **RATE)
    s.second = mw.RunPatchBaselineTask(s.stack, "Second", window=s.window, operation=mw.PatchOperation.SCAN,
                                       targets=[s.web], **RATE)


def runbook(s: Scene, **kw: Any) -> Any:
    steps = kw.pop("steps", [s.first, s.second])
    return mw.Runbook(*steps, **kw)


runbook.prepare = _two_tasks  # type: ignore[attr-defined]


def _template(s: Scene) -> None:
    from cdk_stacksets import StackSetStack

    s.template = StackSetStack(s.stack, "Template")
    mw.PatchingWindow(s.template, "Window", schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                      duration=Duration.hours(3), cutoff=Duration.hours(1))


def stack_set(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(template=s.template, organizational_units=["ou-ab12-nonprod1"], regions=["eu-west-1"])
    props.update(kw)
    return mw.PatchingStackSet(s.stack, "Subject", **props)


stack_set.prepare = _template  # type: ignore[attr-defined]


def managed_baseline(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(operating_system=mw.OperatingSystem.UBUNTU)
    props.update(kw)
    return mw.AwsManagedBaseline(s.stack, "Subject", **props)


def instance_role(s: Scene, **kw: Any) -> Any:
    return mw.ManagedInstanceRole(s.stack, "Subject", **kw)


def group_target(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(patch_group="db")
    props.update(kw)
    return mw.PatchGroupTarget(s.stack, "Subject", window=s.window, **props)


def hooks(s: Scene, **kw: Any) -> Any:
    return patch(s, hooks=mw.PatchHooks(**kw))


def source(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(name="internal", products=["AmazonLinux2023"],
                                 configuration="[internal]\nname=Internal\nbaseurl=https://repo.example.com/\nenabled=1")
    props.update(kw)
    return baseline(s, sources=[mw.PatchSource(**props)])


def document_of(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(document="AWS-RunShellScript")
    props.update(kw)
    return command(s, document=mw.Document.of(props.pop("document"), **props))


def document_arn(s: Scene, **kw: Any) -> Any:
    return command(s, document=mw.Document.from_document_arn(**kw))


def output_s3(s: Scene, **kw: Any) -> Any:
    return command(s, output=mw.TaskOutput.s3(**kw))


def output_logs(s: Scene, **kw: Any) -> Any:
    return command(s, output=mw.TaskOutput.cloud_watch(**kw))


def concurrency_count(s: Scene, **kw: Any) -> Any:
    return command(s, max_concurrency=mw.MaxConcurrency.count(**kw))


def concurrency_percent(s: Scene, **kw: Any) -> Any:
    return command(s, max_concurrency=mw.MaxConcurrency.percent(**kw))


def errors_count(s: Scene, **kw: Any) -> Any:
    return command(s, max_errors=mw.MaxErrors.count(**kw))


def errors_percent(s: Scene, **kw: Any) -> Any:
    return command(s, max_errors=mw.MaxErrors.percent(**kw))


def cron(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(minute=0, hour=2, week_day="SUN")
    props.update(kw)
    return window(s, schedule=mw.WindowSchedule.cron(**props))


def rate(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(duration=Duration.days(1))
    props.update(kw)
    return window(s, schedule=mw.WindowSchedule.rate(**props))


def at(s: Scene, **kw: Any) -> Any:
    return window(s, schedule=mw.WindowSchedule.at(**kw))


def zones(s: Scene, **kw: Any) -> Any:
    return window(s, schedule=mw.WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=mw.RegionalTimeZones(**kw)))


def tier(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(name="canary", expression="cron(0 6 ? * SAT *)", duration=Duration.hours(4))
    props.update(kw)
    return mw.PatchingWindow.for_environment(s.stack, "Subject", environment=mw.EnvironmentSchedule.custom(**props),
                                             time_zone=None)


def for_environment(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(environment=mw.EnvironmentSchedule.PRODUCTION, time_zone=None)
    props.update(kw)
    return mw.PatchingWindow.for_environment(s.stack, "Subject", **props)


def environment_rule(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(environment=mw.EnvironmentSchedule.TEST, filters=[mw.PatchFilter(K.CLASSIFICATION, ["Security"])])
    props.update(kw)
    return baseline(s, approval_rules=[mw.ApprovalRule.for_environment(**props)])


def patch_filter(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(key=K.CLASSIFICATION, values=["Security"])
    props.update(kw)
    return baseline(s, global_filters=[mw.PatchFilter(**props)])


def packs(s: Scene, **kw: Any) -> Any:
    pytest.importorskip("cdk_nag")  # the nag extra (the floor job's first stage runs without it)
    return mw.add_compliance_checks(s.app, **kw)


def association(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(document="AWS-UpdateSSMAgent", targets=[mw.AssociationTarget.tags("Role", "web")],
                                 schedule=mw.AssociationSchedule.daily(hour=2))
    props.update(kw)
    return mw.Association(s.stack, "Subject", **props)


def patch_association(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(operation=mw.PatchOperation.SCAN, targets=[mw.AssociationTarget.patch_group("web")])
    props.update(kw)
    return mw.PatchAssociation(s.stack, "Subject", **props)


def association_schedule(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(text="cron(0 2 ? * SUN *)")
    props.update(kw)
    text = props.pop("text")
    return association(s, schedule=mw.AssociationSchedule.expression(text, **props),
                       apply_only_at_cron_interval=True)


def association_weekly(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(week_day="SUN", hour=2)
    props.update(kw)
    return association(s, schedule=mw.AssociationSchedule.weekly(props.pop("week_day"), **props))


def association_target(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(key="Role", values="web")
    props.update(kw)
    return association(s, targets=[mw.AssociationTarget.tags(**props)])


def association_target_of(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(key="tag:Role", values=["web"])
    props.update(kw)
    return association(s, targets=[mw.AssociationTarget.of(**props)])


def _policy_baseline(s: Scene) -> None:
    s.al2023 = mw.PatchBaseline(s.stack, "Al2023", operating_system=mw.OperatingSystem.AMAZON_LINUX_2023)


def patch_policy(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(policy_name="patching", regions=["eu-west-1"],
                                 baselines={mw.OperatingSystem.AMAZON_LINUX_2023: s.al2023})
    props.update(kw)
    return mw.PatchPolicy(s.stack, "Subject", **props)


patch_policy.prepare = _policy_baseline  # type: ignore[attr-defined]


def policy_tag(s: Scene, **kw: Any) -> Any:
    props: Dict[str, Any] = dict(key="Patch", value="yes")
    props.update(kw)
    return patch_policy(s, targets=mw.PatchPolicyTargets.tag(**props))


policy_tag.prepare = _policy_baseline  # type: ignore[attr-defined]


#: (builder, argument, hostile values): each value replaces that argument in an otherwise valid call.
CASES: List[Tuple[Callable[..., Any], str, List[Any]]] = [
    (window, "schedule", ["cron(0 2 ? * SUN *)", None, *WRONG_TYPES[:4]]),
    (window, "duration", BAD_DURATIONS + WRONG_TYPES[:3]),
    (window, "cutoff", BAD_DURATIONS + [Duration.hours(3)]),
    (window, "window_name", BAD_TEXT + WRONG_TYPES[:3] + ["a b", "ab"]),
    (window, "name", ["a b", 5]),  # the deprecated old keyword is checked the same way
    (window, "description", BAD_TEXT + WRONG_TYPES[:3]),
    (window, "allow_unassociated_targets", [None, 1, "yes"]),
    (window, "tags", [{"": "v"}, {"aws:x": "v"}, {"k": "x" * 300}, {"k": 5}, {5: "v"}, ["k"], {"k\x00": "v"}, {"k": "\ud800"}]),
    (window, "role", ["arn:aws:iam::123456789012:role/x", 5, object()]),
    (window, "enabled", [None, "no", 0]),
    (schedule, "text", ["", "cron()", "cron(0 2 * * SUN *)", "rate(0 days)", "rate(1 days)", "at(2030-02-30T00:00:00)",
                        "cron(0 0 29 FEB ? 2100)", "cron(0 0 ? FEB 6#5 2026)", "cron(0 2 ? * SUN *)" * 30, "\ud800",
                        None, 5]),
    (schedule, "time_zone", ["Mars/Olympus", "europe/amsterdam", "", "\ud800", 5, "UTC\x00"]),
    (schedule, "schedule_offset", [0, 7, -1, 2.5, math.nan, "2", 10 ** 400]),
    (schedule, "start_date", [datetime(2030, 1, 1), "2030-01-01", 5, date(2030, 1, 1), datetime(1, 1, 1, tzinfo=UTC),
                              datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]),
    (schedule, "end_date", [datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1), "soon"]),
    (target, "tags", [{}, {"k": []}, {"k": ""}, {"k": ["v"] * 60}, {"": "v"}, {"k": 5}, "Role=web", {"k": "\ud800"},
                      {"k": ["a", "b", "c", "d", "e", "f"]}]),
    (target, "tag_keys", [[], [""], ["a"] * 6, "Patch", [5], ["\ud800"], ["k/" * 100]]),
    (target, "instance_ids", [[], ["i-123"], ["i-0123456789abcdef0"] * 51, "i-0123456789abcdef0", [None], ["I-0123456789ABCDEF0"]]),
    (target, "resource_group", ["", "bad group!", 5, "x" * 400]),
    (target, "target_name", BAD_TEXT[:6] + [5]),
    (target, "name", ["a b"]),
    (target, "owner_information", BAD_TEXT[:6] + [5]),
    (command, "document", ["", "a", "x" * 200, 5, None, "AWS-RunPatchBaseline\x00", "arn:aws:ssm:eu-west-1:1:document/x" + "y" * 2000]),
    (command, "parameters", [{"commands": "uptime"}, {"commands": [5]}, {"": ["x"]}, {"x" * 300: ["v"]}, ["uptime"], 5,
                             {"commands": ["\ud800"]}, {"commands": ["x"] * 100}]),
    (command, "targets", [[], None, "web", [5], [object()]]),
    (command, "priority", [-1, 2.5, "1", math.nan, 10 ** 400, None]),
    (command, "max_concurrency", ["0", "101%", "-1", "", "10 %", 0, 1.5, math.nan, None]),
    (command, "max_errors", ["-1", "101%", "", "x", -1, math.nan, None]),
    (command, "timeout", [Duration.seconds(29), Duration.days(31), Duration.millis(31_500), 600, "600", None]),
    (command, "comment", BAD_TEXT + [5]),
    (command, "output_s3_bucket", ["", "UPPER", "a", "x" * 70, "bucket..name", 5]),
    (command, "output_s3_key_prefix", ["x" * 600, 5]),
    (command, "document_version", ["latest", "0", "-1", 5.5, "", None]),
    (command, "document_hash", ["zz", "a" * 63, "a" * 300, 5]),
    (command, "role", ["role", 5]),
    (command, "service_linked_role", ["yes", None, 1]),
    (command, "cutoff_behavior", ["CANCEL_TASK", 5]),
    (command, "task_name", BAD_TEXT[:6]),
    (command, "name", ["a b"]),
    (command, "description", BAD_TEXT[:6]),
    (patch, "operation", ["Install", None, 5]),
    (patch, "reboot_option", ["Reboot", "NoReboot", 5]),
    (patch, "snapshot_id", ["not-a-guid", "", 5]),
    (patch, "install_override_list", ["ftp://x/y.yaml", "https://", "s3://" + "b" * 300, 5]),
    (patch, "baseline_override", ["http://x/y.json", 5]),
    (automation, "document", ["AWS-RunShellScript", "", 5]),
    (automation, "parameters", [{"InstanceId": 5}, {"Nope": ["x"]}, {"InstanceId": ["x"] * 60}, "x"]),
    (automation, "document_version", ["v1", -2]),
    (automation, "assume_role", ["arn:aws:iam::1:role/x", 5]),
    (lambda_task, "function", ["", "arn:aws:lambda:eu-west-1:1:function:", 5, None, "x" * 200]),
    (lambda_task, "payload", ['{"a": NaN}', '{"a": Infinity}', "{" * 3000 + "}" * 3000, '{"a": "\ud800"}', "not json",
                              {"a": math.nan}, {"a": "x" * 5000}, 5]),
    (lambda_task, "client_context", ['{"a": NaN}', {"a": math.inf}, "x"]),
    (lambda_task, "qualifier", ["", "a b", "x" * 200, 5]),
    (lambda_task, "payload_base64", ["%%%", "eyJh", 5]),
    (step_functions, "state_machine", ["", "patch", 5, None]),
    (step_functions, "input", ['{"a": NaN}', "[" * 3000 + "]" * 3000, '"\ud800"', "x", {"a": "x" * 5000}]),
    (step_functions, "execution_name", ["", "has space", "x" * 81, "x" * 50 + "{{INVOCATION_ID}}", "a/b", 5]),
    (baseline, "operating_system", ["WINDOWS", None, 5]),
    (baseline, "approval_rules", ["x", [5], [None]]),
    (baseline, "global_filters", ["x", [5], [mw.PatchFilter(K.CLASSIFICATION, ["Security"])] * 5]),
    (baseline, "approved_patches", ["x", [""], ["x" * 101], ["p"] * 51, [5], ["\ud800"]]),
    (baseline, "rejected_patches", ["x", [""], [5]]),
    (baseline, "baseline_name", BAD_TEXT[:6] + [5]),
    (baseline, "name", ["a b"]),
    (baseline, "description", BAD_TEXT[:6] + [5]),
    (baseline, "patch_groups", ["web", [""], ["x" * 300], [5], ["g"] * 26]),
    (baseline, "tags", [{"": "v"}, {"k": ""}, {"k": 5}, "k=v"]),
    (baseline, "sources", ["x", [5]]),
    (rule, "approve_after_days", [-1, 361, 2.5, "7", math.nan, 10 ** 400]),
    (rule, "approve_until_date", ["2030-01-01", 5, datetime(2030, 1, 1)]),
    (rule, "compliance_level", ["HIGH", 5]),
    (rule, "filters", ["x", [5], None]),
    (role, "role_name", BAD_TEXT + [5]),
    (role, "description", BAD_TEXT[:6] + [5]),
    (role, "path", ["no-slashes", "/a b/", "/" + "x" * 600 + "/", 5]),
    (role, "permissions_boundary", ["arn", 5]),
    (imported_role, "role_arn", ["", "arn:aws:iam::1:role/x", "arn:aws:iam::123456789012:role/rôle", 5, None]),
    (imported_role, "mutable", ["yes", None]),
    (imported_window, "window_id", ["", "mw-123", "mw-0123456789ABCDEF0", 5, None, "mw-0123456789abcdef0\x00"]),
    (alerts, "windows", [[], "Window", [5], [None]]),
    (alerts, "statuses", [[], "FAILED", [5]]),
    (alerts, "alarm", ["yes", None]),
    (alerts, "alarm_period", [Duration.seconds(30), Duration.seconds(90), 60]),
    (alerts, "topic", ["arn:aws:sns:eu-west-1:123456789012:t", 5]),
    (compliance, "prefix", [None, "", 5, "a b", "x" * 500]),
    (notifications, "events", [[], "Failed", [5]]),
    (notifications, "per", ["Command", 5]),
    (notifications, "confused_deputy_conditions", ["yes", 1]),
    (notifications, "topic", ["arn:aws:sns:eu-west-1:123456789012:t", 5]),
    (notifications, "role", ["arn:aws:iam::123456789012:role/n", 5]),
    (target, "description", BAD_TEXT[:6] + [5]),
    (target, "resource_type_filters", ["AWS::EC2::Instance", ["EC2"], [5], ["AWS::EC2::Instance"] * 30]),
    (command, "instance_ids", [["i-1"], "i-0123456789abcdef0", [5]]),
    (command, "notifications", ["arn:aws:sns:eu-west-1:123456789012:t", 5]),
    (command, "output", ["s3://bucket/prefix", 5, [5]]),
    (command, "document_hash_type", ["Sha256", 5]),
    (patch, "hooks", ["AWS-RunShellScript", 5]),
    (lambda_task, "client_context_base64", ["%%%", 5, "e30" * 3000]),
    (baseline, "approved_patches_compliance_level", ["HIGH", 5]),
    (baseline, "approved_patches_enable_non_security", ["yes", None]),
    (baseline, "rejected_patches_action", ["BLOCK", 5]),
    (baseline, "available_security_updates_compliance_status", ["NON_COMPLIANT", 5]),
    (baseline, "default_for_os", ["yes", None]),
    (rule, "enable_non_security", ["yes", None]),
    (role, "use_aws_managed_policy", ["yes", None]),
    (role, "confused_deputy_conditions", ["yes", None]),
    (alerts, "alarm_actions", ["arn:aws:sns:eu-west-1:123456789012:t", [5], 5]),
    (compliance, "tag_key", ["", "x" * 200, 5, "aws:x"]),
    (compliance, "tag_value", ["x" * 300, 5]),
    (compliance, "config_rule_name", ["", "x" * 200, "a b", 5]),
    (compliance, "bucket", ["my-bucket", 5]),
    (compliance, "encryption_key", ["arn:aws:kms:eu-west-1:123456789012:key/x", 5]),
    (compliance, "sync_name", ["", "x" * 100, "a b", 5]),
    (compliance, "alert_topic", ["arn:aws:sns:eu-west-1:123456789012:t", 5]),
    (runbook, "first_priority", [-1, 2.5, "1", None, 2 ** 31, 10 ** 400]),
    (runbook, "steps", [[], [5], ["First"], [[]]]),
    (stack_set, "template", [None, "Template", 5]),
    (stack_set, "organizational_units", [[], "ou-ab12-nonprod1", ["ou-x"], ["r-ab12"] * 2, [5]]),
    (stack_set, "regions", [[], "eu-west-1", ["eu-nowhere-1"], [5], ["eu-west-1", "eu-west-1"]]),
    (stack_set, "region_order", [["us-east-1"], "eu-west-1", [5]]),
    (stack_set, "parallel_regions", ["yes", None]),
    (stack_set, "max_concurrent", [0, -1, "0%", "101%", "x", 2.5]),
    (stack_set, "failure_tolerance", [-1, "101%", "x", 2.5]),
    (stack_set, "auto_deploy", ["yes", None]),
    (stack_set, "retain_stacks_on_account_removal", ["yes", None]),
    (stack_set, "delegated_admin", ["yes", None]),
    (stack_set, "stack_set_name", ["", "a b", "x" * 200, "1abc", 5]),
    (stack_set, "description", ["x" * 1100, "a\x00b", 5]),
    (managed_baseline, "operating_system", ["UBUNTU", None, 5]),
    (managed_baseline, "patch_groups", ["web", [""], ["x" * 300], [5]]),
    (managed_baseline, "baseline_name", ["", "MyBaseline", "AWS-", 5]),
    (managed_baseline, "name", ["MyBaseline"]),
    (instance_role, "tasks", ["task", [5], 5]),
    (group_target, "patch_group", ["", "x" * 300, 5, None, "a\x00b"]),
    (group_target, "tag_key", ["", "x" * 200, 5, "aws:x"]),
    (hooks, "pre_install", [5, "", "x" * 200]),
    (hooks, "post_install", [5, ""]),
    (hooks, "on_exit", [5, ""]),
    (source, "name", ["", "a b", "x" * 100, 5]),
    (source, "products", [[], "AmazonLinux2023", [5], ["p"] * 21]),
    (source, "configuration", ["", "x" * 1100, 5]),
    (document_of, "document", ["", 5, None, "x" * 200]),
    (document_of, "type", ["Command", 5]),
    (document_arn, "arn", ["", "arn:aws:s3:::b", 5]),
    (output_s3, "bucket", ["my-bucket", 5]),
    (output_s3, "key_prefix", ["x" * 600, 5]),
    (output_logs, "log_group", ["/my/group", 5]),
    (concurrency_count, "n", [0, -1, 2.5, "5", 10 ** 400]),
    (concurrency_percent, "p", [0, 101, 2.5, "5"]),
    (errors_count, "n", [-1, 2.5, "5", 10 ** 400]),
    (errors_percent, "p", [-1, 101, 2.5, "5"]),
    (cron, "minute", [60, -1, "x", 2.5]),
    (cron, "hour", [24, "25", 2.5]),
    (cron, "day", [32, "0", "L-40"]),
    (cron, "month", [13, "JANUARY"]),
    (cron, "week_day", [8, "SUNDAY", "1#6"]),
    (cron, "year", [1969, 2200, "20x"]),
    (cron, "second", [1, "x"]),
    (rate, "duration", [Duration.minutes(1), Duration.days(366), Duration.seconds(90), 5, None]),
    (rate, "start_date", [datetime(2030, 1, 1), "2030-01-01"]),
    (at, "when", [datetime(2030, 1, 1), "2030-01-01T00:00:00", 5, None]),
    (zones, "zones", [{}, {"eu-nowhere-1": "UTC"}, {"eu-west-1": "Mars/Olympus"}, "eu-west-1", {5: "UTC"}]),
    (tier, "name", ["", 5, "x" * 200]),
    (tier, "expression", ["", "cron()", 5]),
    (tier, "duration", [Duration.hours(25), 5]),
    (tier, "cutoff", [Duration.hours(4), 5]),
    (tier, "production", ["yes", 5]),
    (tier, "summary", [5]),
    (for_environment, "environment", ["PRODUCTION", 5, None]),
    (for_environment, "time_zone", ["Mars/Olympus", 5]),
    (for_environment, "schedule", ["cron(0 2 ? * SUN *)", 5]),
    (environment_rule, "environment", ["TEST", 5]),
    (environment_rule, "delays", [{"x": 1}, 5, "7"]),
    (patch_filter, "key", ["CLASSIFICATION", 5, None]),
    (patch_filter, "values", [[], "Security", [5], ["x"] * 21]),
    (packs, "packs", ["AwsSolutionsChecks", ["Nope"], [5], {"AwsSolutionsChecks": 1}]),
    (association, "document", ["", "a", "x" * 200, 5, None, "AWS-UpdateSSMAgent\x00"]),
    (association, "targets", ["web", [5], [mw.AssociationTarget.tags("Role", "web")] * 6,
                              [mw.AssociationTarget.all_managed_nodes(), mw.AssociationTarget.tags("Role", "web")],
                              [mw.AssociationTarget.resource_types(["AWS::EC2::Instance"])], None]),
    (association, "parameters", [{"version": 5}, {"nope": ["x"]}, ["x"], {"": "x"}, {"version": "\ud800"}]),
    (association, "schedule", ["cron(0 0/3 * * ? *)", "rate(10 minutes)", "cron(0 2 15 * ? *)", 5, "x"]),
    (association, "apply_only_at_cron_interval", ["yes", 1]),
    (association, "association_name", BAD_TEXT[:6] + ["ab", "a b", 5]),
    (association, "document_version", ["latest", "0", -1, ""]),
    (association, "max_concurrency", ["0", "101%", "", 0, math.nan]),
    (association, "max_errors", ["-1", "101%", "x", -1]),
    (association, "compliance_severity", ["HIGH", 5, mw.ComplianceLevel.HIGH]),
    (association, "sync_compliance", ["AUTO", 5]),
    (association, "calendar_names", ["cal", [""], ["a b"], [5], ["x" * 200]]),
    (association, "output_s3_bucket", ["", "UPPER", "bucket..name", 5]),
    (association, "output_s3_key_prefix", ["x" * 600, 5, "prefix"]),
    (association, "output_s3_region", ["", "x" * 30, 5, "eu-west-1"]),
    (association, "wait_for_success_timeout", [Duration.seconds(14), Duration.hours(49), Duration.millis(15_500), 60]),
    (association, "automation_target_parameter_name", ["", "x" * 51, 5]),
    (association, "automation_assume_role", ["arn:aws:iam::123456789012:role/a", 5]),
    (association, "dispatch_role", ["arn:aws:iam::123456789012:role/d", 5]),
    (association, "instance_id", ["i-123", "i-0123456789abcdef0", 5]),
    (association, "tags", [{"": "v"}, {"aws:x": "v"}, {"k": 5}, "k=v"]),
    (patch_association, "operation", ["Scan", None, 5]),
    (patch_association, "targets", [None, [], "web", [5]]),
    (patch_association, "reboot_option", ["NoReboot", 5]),
    (patch_association, "snapshot_id", ["guid", 5]),
    (patch_association, "install_override_list", ["ftp://x/y", 5]),
    (patch_association, "schedule", ["rate(1 minute)", "cron(0 2 ? JAN MON *)", 5]),
    (patch_association, "apply_only_at_cron_interval", ["yes"]),
    (association_schedule, "text", ["", "cron(0 0/3 * * ? *)", "rate(31 days)", "cron(30 0 2 ? * MON *)", "\ud800", 5, None]),
    (association_schedule, "schedule_offset", [0, 7, "2", 2.5]),
    (association_weekly, "week_day", ["", "SUNDAY", "MON 1", 5, "1#6"]),
    (association_weekly, "hour", [24, -1, "2", 2.5, None]),
    (association_weekly, "minute", [60, "0", None]),
    (association_target, "key", ["", "aws:x", "x" * 200, 5, "a\x00b"]),
    (association_target, "values", ["", [], [5], ["v"] * 51, ["x" * 300]]),
    (association_target_of, "key", ["", "x" * 200, 5, "a+b"]),
    (association_target_of, "values", ["v", [5], ["v"] * 51, 5]),
    (patch_policy, "policy_name", BAD_TEXT[:6] + [5, None]),
    (patch_policy, "baselines", [{}, {"AMAZON_LINUX_2023": None}, [5], {mw.OperatingSystem.WINDOWS: None}]),
    (patch_policy, "regions", [[], "eu-west-1", ["nowhere"], [5]]),
    (patch_policy, "accounts", [[], "123456789012", ["12345"], [5]]),
    (patch_policy, "organizational_units", [[], ["ou-x"], "ou-ab12-abcdefgh", [5]]),
    (patch_policy, "targets", ["*", 5]),
    (patch_policy, "operation", ["Scan", 5]),
    (patch_policy, "scan_schedule", ["rate(1 day)", "cron(0 0/3 * * ? *)", 5]),
    (patch_policy, "install_schedule", ["cron(0 2 ? * SUN *)", 5]),
    (patch_policy, "scan_at_next_interval", ["true", None]),
    (patch_policy, "reboot_option", ["NoReboot", 5]),
    (patch_policy, "max_concurrency", ["0", 0]),
    (patch_policy, "max_errors", ["x", -1]),
    (patch_policy, "attach_policies_to_instance_profiles", ["false", None]),
    (patch_policy, "output_s3_bucket", ["UPPER", 5]),
    (patch_policy, "output_s3_region", ["", 5]),
    (patch_policy, "baseline_region", ["nowhere", 5]),
    (patch_policy, "administration_role", ["arn:aws:iam::123456789012:role/a", 5]),
    (patch_policy, "execution_role_name", ["exec", 5]),
    (patch_policy, "name", ["", "x" * 60, "a/b", 5]),
    (patch_policy, "description", ["x" * 600, 5]),
    (policy_tag, "key", ["", "x" * 200, 5]),
    (policy_tag, "value", ["x" * 300, 5, "a\x00b"]),
]


def _ids() -> List[str]:
    found = []
    for builder, argument, values in CASES:
        for index, _ in enumerate(values):
            found.append(f"{builder.__name__}-{argument}-{index}")
    return found


ALL = [(builder, argument, value) for builder, argument, values in CASES for value in values]


def test_at_least_400_hostile_cases():
    assert len(ALL) >= 400


@pytest.mark.parametrize("builder, argument, value", ALL, ids=_ids())
def test_hostile_input_is_refused_with_a_code_or_synthesizes(builder, argument, value):
    scene = Scene()
    getattr(builder, "prepare", lambda scene: None)(scene)
    before = scene.paths()
    try:
        builder(scene, **{argument: value})
    except ValidationError as error:
        assert error.code in ERROR_CODES
        assert _names(error, argument), f"the message does not name {argument!r}: {error}"
        assert scene.paths() == before, "the construct tree changed"
        return
    scene.app.synth()


def _names(error: ValidationError, argument: str) -> bool:
    words = {argument, argument.replace("_", " "), "text" if argument == "text" else argument}
    if argument == "text":
        words |= {"schedule", "expression", "cron", "rate", "at("}
    return any(word in error.message for word in words)


# ------------------------------------------------------------------ scopes and ids

#: Each public construct, built in ``scope`` with ``id`` (everything else valid).
FACTORIES: List[Tuple[str, Callable[[Scene, Any, Any], Any]]] = [
    ("PatchingWindow", lambda s, scope, id: mw.PatchingWindow(
        scope, id, schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"), duration=Duration.hours(3),
        cutoff=Duration.hours(1))),
    ("WindowTarget", lambda s, scope, id: mw.WindowTarget(scope, id, window=s.window, tags={"Role": "web"})),
    ("PatchGroupTarget", lambda s, scope, id: mw.PatchGroupTarget(scope, id, window=s.window, patch_group="db")),
    ("RunCommandTask", lambda s, scope, id: mw.RunCommandTask(scope, id, window=s.window, document="AWS-RunShellScript",
                                                              parameters={"commands": ["uptime"]}, targets=[s.web], **RATE)),
    ("RunPatchBaselineTask", lambda s, scope, id: mw.RunPatchBaselineTask(
        scope, id, window=s.window, operation=mw.PatchOperation.SCAN, targets=[s.web], **RATE)),
    ("LambdaTask", lambda s, scope, id: mw.LambdaTask(scope, id, window=s.window,
                                                      function="arn:aws:lambda:eu-west-1:123456789012:function:f")),
    ("PatchBaseline", lambda s, scope, id: mw.PatchBaseline(scope, id, operating_system=mw.OperatingSystem.UBUNTU)),
    ("AwsManagedBaseline", lambda s, scope, id: mw.AwsManagedBaseline(scope, id, operating_system=mw.OperatingSystem.UBUNTU)),
    ("MaintenanceWindowRole", lambda s, scope, id: mw.MaintenanceWindowRole(scope, id)),
    ("ManagedInstanceRole", lambda s, scope, id: mw.ManagedInstanceRole(scope, id)),
    ("from_role_arn", lambda s, scope, id: mw.MaintenanceWindowRole.from_role_arn(scope, id, "arn:aws:iam::123456789012:role/r")),
    ("from_window_id", lambda s, scope, id: mw.PatchingWindow.from_window_id(scope, id, "mw-0123456789abcdef0")),
    ("PatchingAlerts", lambda s, scope, id: mw.PatchingAlerts(scope, id)),
    ("PatchCompliance", lambda s, scope, id: mw.PatchCompliance(scope, id)),
    ("Association", lambda s, scope, id: mw.Association(scope, id, document="AWS-UpdateSSMAgent",
                                                        targets=[mw.AssociationTarget.all_managed_nodes()])),
    ("PatchAssociation", lambda s, scope, id: mw.PatchAssociation(
        scope, id, operation=mw.PatchOperation.SCAN, targets=[mw.AssociationTarget.patch_group("web")])),
]
PLACES: List[Tuple[str, Callable[[Scene], Tuple[Any, Any]]]] = [
    ("no scope", lambda s: (None, "Subject")),
    ("a string scope", lambda s: ("Hostile", "Subject")),
    ("the app", lambda s: (s.app, "Subject")),
    ("an empty id", lambda s: (s.stack, "")),
    ("a number id", lambda s: (s.stack, 5)),
    ("a taken id", lambda s: (s.stack, "Window")),
    ("a control character in the id", lambda s: (s.stack, "a\x00b")),
]
SCOPES = [(name, factory, place_name, place) for name, factory in FACTORIES for place_name, place in PLACES]


@pytest.mark.parametrize("name, factory, place_name, place", SCOPES,
                         ids=[f"{name}-{place_name.replace(' ', '_')}" for name, factory, place_name, place in SCOPES])
def test_a_bad_scope_or_id_is_refused_with_the_tree_unchanged(name, factory, place_name, place):
    scene = Scene()
    before = scene.paths()
    scope, id = place(scene)
    if name in ("MaintenanceWindowRole", "ManagedInstanceRole", "PatchingAlerts") and place_name == "the app":
        pytest.skip("creates nothing outside its stack: checked by test_a_construct_outside_a_stack_is_refused")
    with pytest.raises(ValidationError) as error:
        factory(scene, scope, id)
    assert error.value.code in {"InvalidType", "DuplicateId", "NotInStack"}, error.value
    assert scene.paths() == before


def test_a_construct_outside_a_stack_is_refused():
    for name, factory in FACTORIES:
        scene = Scene()
        before = scene.paths()
        with pytest.raises(ValidationError) as error:
            factory(scene, scene.app, "Subject")
        assert error.value.code in ("NotInStack", "InvalidType"), name
        assert scene.paths() == before, name


def test_the_hostile_suite_has_at_least_400_cases():
    assert len(ALL) + len(SCOPES) >= 400


# ------------------------------------------------------------------ what issue 21 found


def test_fails_when_alert_rules_of_two_windows_collide():
    """Issue 21: windows AB and A-B (or Fenêtre and Fentre) gave rules the same construct id."""
    scene = Scene()
    for id in ("AB", "A-B", "Fenêtre", "Fentre"):
        mw.PatchingWindow(scene.stack, id, schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))
    alerts = mw.PatchingAlerts(scene.stack, "Alerts")
    assert len(alerts.rules) == 5  # the scene's window and these four
    scene.app.synth()


def test_alerts_created_first_watch_windows_added_later_without_collision():
    scene = Scene()
    mw.PatchingAlerts(scene.stack, "Alerts")
    for id in ("AB", "A-B"):
        mw.PatchingWindow(scene.stack, id, schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))
    scene.app.synth()


def test_fails_when_a_stack_set_in_another_stack_than_its_template_is_accepted():
    from cdk_stacksets import StackSetStack

    scene = Scene()
    template = StackSetStack(scene.stack, "Template")
    other = Stack(scene.app, "Other")
    before = scene.paths()
    with pytest.raises(ValidationError) as error:
        mw.PatchingStackSet(other, "Rollout", template=template, organizational_units=["ou-ab12-product1"],
                            regions=["eu-west-1"])
    assert error.value.code == "StackSetTemplateScope" and scene.paths() == before


def test_a_token_organizational_unit_is_taken_as_given():
    from aws_cdk import CfnParameter
    from cdk_stacksets import StackSetStack

    scene = Scene()
    unit = CfnParameter(scene.stack, "Unit").value_as_string
    mw.PatchingStackSet(scene.stack, "Rollout", template=StackSetStack(scene.stack, "Template"),
                        organizational_units=[unit], regions=["eu-west-1"])


@pytest.mark.parametrize("make", [
    lambda s: lambda_task(s, payload='{"a": NaN}'),
    lambda s: lambda_task(s, payload='{"a": -Infinity}'),
    lambda s: lambda_task(s, client_context={"a": math.inf}),
    lambda s: step_functions(s, input='{"a": NaN}'),
    lambda s: lambda_task(s, payload='{"a": "\\ud800"}'),
    lambda s: step_functions(s, input={"a": "\ud800"}),
])
def test_fails_when_json_a_service_refuses_is_accepted(make):
    """Issue 21: NaN and Infinity (JavaScript's JSON.parse refuses them) and lone surrogates."""
    scene = Scene()
    before = scene.paths()
    with pytest.raises(ValidationError) as error:
        make(scene)
    assert error.value.code in ("InvalidPayload", "InvalidExecutionInput") and scene.paths() == before


def test_fails_when_a_deep_but_small_payload_cannot_be_used():
    """Issue 21: 1,400 levels of nesting in 2,800 bytes raised RecursionError."""
    scene = Scene()
    lambda_task(scene, payload="[" * 1400 + "]" * 1400)
    step_functions(scene_two := Scene(), input={"a": _nested(1400)})
    scene.app.synth()
    scene_two.app.synth()


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def test_fails_when_a_token_hides_an_oversized_payload():
    from aws_cdk import Aws

    scene = Scene()
    with pytest.raises(ValidationError) as error:
        lambda_task(scene, payload='{"a": "' + "x" * 5000 + '", "b": "' + Aws.ACCOUNT_ID + '"}')
    assert error.value.code == "InvalidPayload"


def test_fails_when_an_execution_name_is_long_once_filled():
    """Issue 21: 50 characters and {{INVOCATION_ID}} are 67 as written but 86 at run time."""
    scene = Scene()
    with pytest.raises(ValidationError) as error:
        step_functions(scene, execution_name="x" * 50 + "{{INVOCATION_ID}}")
    assert error.value.code == "InvalidExecutionName" and "86 characters" in error.value.message
    step_functions(Scene(), execution_name="x" * 44 + "{{INVOCATION_ID}}")  # 80 once filled


@pytest.mark.parametrize("expression", ["cron(0 0 29 FEB ? 2100)", "cron(0 0 ? FEB 6#5 2026)", "cron(0 0 ? FEB 2#5 2027-2030)"])
def test_fails_when_a_cron_that_never_runs_in_its_years_is_accepted(expression):
    with pytest.raises(ValidationError) as error:
        mw.WindowSchedule.expression(expression)
    assert error.value.code == "CronNeverRuns"


def test_fails_when_a_window_that_failed_counts_toward_the_quota():
    """Issue 21: the windows-per-Region counter was raised before the window existed."""
    scene = Scene()
    for _ in range(60):
        with pytest.raises(ValidationError):
            window(scene, name="a b")  # refused after... nothing: it must not count
        with pytest.raises(ValidationError):
            mw.PatchingWindow(scene.stack, "Window", schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"),
                              duration=Duration.hours(3), cutoff=Duration.hours(1))  # a taken id
    for index in range(49):  # with the scene's window: 50, the default quota
        mw.PatchingWindow(scene.stack, f"W{index}", schedule=mw.WindowSchedule.expression("cron(0 4 ? * SAT *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))
