"""``PatchingAlerts``: one line that tells people when maintenance windows fail.

    PatchingAlerts(stack, "Alerts")   # every window of the stack, to a new encrypted topic

For each covered window it creates EventBridge rules (window executions, task executions, Run
Command invocations on targets) that publish a readable message to one SNS topic, and
optionally a CloudWatch alarm per window on those rules' matched events.

AWS references: https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-eventbridge-events.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, Union

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from ._internal import iam_types
from ._internal.scopes import create_in
from ._internal.validate import check_interface, check_type, duplicate_advice, fail, quote
from ._internal.nag import acknowledge_in_compliance_packs
from ._internal.event_rules import state_change_rule, topic_target
from .events import (
    INVOCATION_DETAIL_TYPE,
    TASK_EXECUTION_DETAIL_TYPE,
    WINDOW_EXECUTION_DETAIL_TYPE,
    InvocationStatus,
    TaskExecutionStatus,
    WindowExecutionStatus,
)
from .interfaces import IPatchingWindow
from ._internal.windows import OwnedWindow, stack_windows
from ._internal.signatures import truthful_signature

__all__ = ["PatchingAlerts", "AlertStatus", "DEFAULT_ALERT_STATUSES", "console_link"]

AlertStatus = Union[WindowExecutionStatus, TaskExecutionStatus, InvocationStatus]

#: What PatchingAlerts reports unless told otherwise.
DEFAULT_ALERT_STATUSES: Tuple[AlertStatus, ...] = (
    WindowExecutionStatus.FAILED, WindowExecutionStatus.TIMED_OUT, WindowExecutionStatus.CANCELLED,
    WindowExecutionStatus.SKIPPED_OVERLAPPING,
    TaskExecutionStatus.FAILED, TaskExecutionStatus.TIMED_OUT,
    InvocationStatus.FAILED, InvocationStatus.TIMED_OUT,
)

# (event kind, its status enum, detail-type, what the rule description calls the events)
_KINDS: Tuple[Tuple[str, Type[Any], str, str], ...] = (
    ("Executions", WindowExecutionStatus, WINDOW_EXECUTION_DETAIL_TYPE, "executions"),
    ("TaskExecutions", TaskExecutionStatus, TASK_EXECUTION_DETAIL_TYPE, "task executions"),
    ("Invocations", InvocationStatus, INVOCATION_DETAIL_TYPE, "task invocations on targets"),
)
_WINDOW_MEMBERS = ("window_id", "window_arn", "node")


def console_link(window_id: str, region: str) -> str:
    """The Systems Manager console page of a window's execution history."""
    return (f"https://{region}.console.aws.amazon.com/systems-manager/maintenance-windows/"
            f"{window_id}/history?region={region}")


@truthful_signature
class PatchingAlerts(Construct):
    """Alerts for failed, timed-out, cancelled and skipped maintenance window runs.

    Args:
        topic: an ``sns.ITopic`` to publish to. Default: a topic created here, encrypted with a
            customer managed KMS key (rotated) that EventBridge may use, TLS-only. A topic of
            this app gets a policy statement letting EventBridge publish (and its key, one
            letting EventBridge use it), only for rules of this account and Region
            (``aws:SourceAccount`` and ``aws:SourceArn``, against the confused deputy); a topic
            imported by ARN must allow ``events.amazonaws.com`` to publish (and, if encrypted, to
            use its key) itself.
        windows: the windows to watch. Default: every ``PatchingWindow`` of this stack,
            including those created after this construct; windows imported with
            ``PatchingWindow.from_window_id`` are watched only when listed here.
        statuses: which statuses to report, any mix of ``WindowExecutionStatus``,
            ``TaskExecutionStatus`` and ``InvocationStatus`` members (each applies to its own
            event). Default :data:`DEFAULT_ALERT_STATUSES`: window FAILED, TIMED_OUT, CANCELLED,
            SKIPPED_OVERLAPPING; task FAILED, TIMED_OUT; invocation FAILED, TIMED_OUT. An event
            kind without a status in the list gets no rule.
        alarm: also create one CloudWatch alarm per window that goes to ALARM when any of its
            rules matched an event in the last ``alarm_period`` (default 5 minutes).
        alarm_actions: ``cloudwatch.IAlarmAction``s for those alarms (e.g.
            ``cw_actions.SnsAction(pager_topic)``).

    Attributes:
        topic: the topic. rules: ``{window construct path: [events.Rule, ...]}``.
        alarms: ``{window construct path: cloudwatch.Alarm}``.

    The message reads e.g. ``Maintenance window prod-patching (mw-0123…): execution 1a2b… is
    FAILED. History: https://eu-west-1.console.aws.amazon.com/systems-manager/maintenance-windows/mw-0123…/history?region=eu-west-1``.
    """

    def __init__(self, scope: Construct, id: str, *, topic: Optional[sns.ITopic] = None,
                 windows: Optional[Sequence[IPatchingWindow]] = None,
                 statuses: Optional[Sequence[AlertStatus]] = None, alarm: bool = False,
                 alarm_actions: Optional[Sequence[cloudwatch.IAlarmAction]] = None,
                 alarm_period: Duration = Duration.minutes(5)) -> None:
        if topic is not None:
            check_interface("topic", topic, ("topic_arn", "add_to_resource_policy"), "an sns.ITopic, e.g. sns.Topic(...)")
        watched = None if windows is None else _check_windows(windows)
        repeated = [] if windows is None else duplicate_advice("windows", [window.node.path for window in windows])
        chosen = _check_statuses(DEFAULT_ALERT_STATUSES if statuses is None else statuses)
        check_type("alarm", alarm, bool, "True or False")
        if alarm_actions is not None:
            if not alarm:
                fail("InvalidAlarm", "alarm_actions were given but alarm is False: say alarm=True, or drop alarm_actions.")
            if isinstance(alarm_actions, (str, bytes)) or not isinstance(alarm_actions, Sequence) or not all(
                    hasattr(action, "bind") for action in alarm_actions):
                fail("InvalidAlarm", f"alarm_actions must be a list of cloudwatch.IAlarmAction, e.g. "
                                     f"[cw_actions.SnsAction(topic)]: got {quote(alarm_actions)}.")
        check_type("alarm_period", alarm_period, Duration, "a Duration of at least one minute, e.g. Duration.minutes(5)")
        seconds = alarm_period.to_seconds()
        if seconds < 60 or seconds % 60:
            fail("InvalidAlarm", f"alarm_period must be a whole number of minutes, at least 1: got "
                                 f"{alarm_period.to_human_string()}; use e.g. Duration.minutes(5).")
        create_in(scope, id, "PatchingAlerts", lambda: super(PatchingAlerts, self).__init__(scope, id))
        for found in repeated:
            Annotations.of(self).add_warning_v2(found.id, found.message)
        self.topic: sns.ITopic = topic if topic is not None else self._create_topic()
        self.rules: Dict[str, List[events.Rule]] = {}
        self.alarms: Dict[str, cloudwatch.Alarm] = {}
        self._statuses = chosen
        self._alarm = alarm
        self._alarm_actions = list(alarm_actions or [])
        self._alarm_period = alarm_period
        if watched is not None:
            for window in watched:
                self._watch(window)
        else:
            in_stack = stack_windows(self)
            for window in list(in_stack):
                self._watch(window)
            in_stack.on_add.append(self._watch)

    def _create_topic(self) -> sns.ITopic:
        key = kms.Key(self, "TopicKey", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
                      description="Encrypts maintenance window alerts (mw-constructs)")
        # topic_target adds what EventBridge needs: sns:Publish in the topic policy and, since the topic
        # is encrypted, kms:Decrypt / kms:GenerateDataKey* in this key's policy, both only for rules of
        # this account and Region (aws:SourceAccount, aws:SourceArn).
        return iam_types.topic(sns.Topic(self, "Topic", master_key=iam_types.key(key), enforce_ssl=True,
                                          display_name="Maintenance window alerts"))

    def _watch(self, window: Union[IPatchingWindow, OwnedWindow]) -> None:
        path = window.node.path
        if path in self.rules:
            return
        stack = Stack.of(self)
        name = getattr(window, "window_name", None) or window.window_id  # a created window's name; an imported one has none
        label = _construct_id(window.node.path, stack)
        rules: List[events.Rule] = []
        for kind, status_type, detail_type, events_called in _KINDS:
            statuses = [status for status in self._statuses if isinstance(status, status_type)]
            if not statuses:
                continue
            rule = state_change_rule(
                self, f"{label}{kind}", detail_type=detail_type, detail={"window-id": [window.window_id]},
                statuses=statuses, status_type=status_type, target=None, rule_name=None,
                description=f"{', '.join(s.value for s in statuses)} {events_called} of maintenance window {name}"[:512],
            )
            rule.add_target(topic_target(self.topic, _message(kind, name)))
            rules.append(rule)
        self.rules[path] = rules
        if self._alarm and rules:
            self.alarms[path] = self._alarm_for(label, name, rules)

    def _alarm_for(self, label: str, name: str, rules: List[events.Rule]) -> cloudwatch.Alarm:
        metrics = {f"m{index}": cloudwatch.Metric(
            namespace="AWS/Events", metric_name="MatchedEvents", dimensions_map={"RuleName": rule.rule_name},
            statistic="Sum", period=self._alarm_period,
        ) for index, rule in enumerate(rules)}
        alarm = cloudwatch.Alarm(
            self, f"{label}Alarm",
            metric=cloudwatch.MathExpression(expression=" + ".join(metrics), using_metrics=metrics,
                                             period=self._alarm_period, label="Alerts"),
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"Maintenance window {name} reported a failure (mw-constructs PatchingAlerts)",
        )
        for action in self._alarm_actions:
            alarm.add_alarm_action(action)
        if not self._alarm_actions:
            acknowledge_in_compliance_packs(
                alarm, "CloudWatchAlarmAction",
                "Each alert is already published to the alerts topic by its EventBridge rule; this alarm is a state "
                "for dashboards and composite alarms (give alarm_actions to act on it)")
        return alarm


def _message(kind: str, name: str) -> events.RuleTargetInput:
    field = events.EventField.from_path
    window_id, region, status = field("$.detail.window-id"), field("$.region"), field("$.detail.status")
    execution = field("$.detail.window-execution-id")
    if kind == "Executions":
        happened = f"execution {execution} is {status}"
    elif kind == "TaskExecutions":
        happened = f"task execution {field('$.detail.task-execution-id')} of execution {execution} is {status}"
    else:
        happened = (f"task execution {field('$.detail.task-execution-id')} of execution {execution} is {status} "
                    f"on target {field('$.detail.window-target-id')}")
    return events.RuleTargetInput.from_text(
        f"Maintenance window {name} ({window_id}) in {field('$.account')}/{region}: {happened}. "
        f"History: {console_link(window_id, region)}")


def _construct_id(path: str, stack: Stack) -> str:
    """An id for the rules of the window at ``path``, unique by construction: its path below the
    stack when that is letters and digits only (the ids rules have always had), otherwise those
    letters and digits with a short hash of the path after a '-' (which the first kind never
    holds), so that ``A-B`` and ``AB``, or ``Fenêtre`` and ``Fentre``, never meet."""
    below = path[len(stack.node.path) + 1:] if path.startswith(stack.node.path + "/") else path
    if re.fullmatch(r"[A-Za-z0-9]+", below):
        return below
    digest = hashlib.sha256(below.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9]', '', below) or 'Window'}-{digest}"


def _check_windows(windows: Any) -> List[IPatchingWindow]:
    if isinstance(windows, (str, bytes)) or not isinstance(windows, Sequence) or not windows:
        fail("InvalidType", f"windows must be a non-empty list of windows (PatchingWindow or imported): got {quote(windows)}; "
                            f"leave it out to watch every window of the stack.")
    for window in windows:
        check_interface("windows entry", window, _WINDOW_MEMBERS, "a PatchingWindow or PatchingWindow.from_window_id(...)")
    unique: Dict[str, IPatchingWindow] = {}
    for window in windows:
        unique.setdefault(window.node.path, window)  # a window listed twice is watched once (and warned about)
    return list(unique.values())


def _check_statuses(statuses: Any) -> List[AlertStatus]:
    kinds = tuple(status_type for _, status_type, _, _ in _KINDS)
    if isinstance(statuses, (str, bytes, WindowExecutionStatus, TaskExecutionStatus, InvocationStatus)) or not isinstance(
            statuses, Sequence) or not statuses:
        fail("InvalidType", f"statuses must be a non-empty list of WindowExecutionStatus, TaskExecutionStatus or "
                            f"InvocationStatus members: got {quote(statuses)}.")
    for status in statuses:
        if not isinstance(status, kinds):
            fail("InvalidType", f"statuses entry must be a WindowExecutionStatus, TaskExecutionStatus or InvocationStatus "
                                f"member, e.g. WindowExecutionStatus.FAILED: got {quote(status)}.")
    return list(statuses)  # a repeat is legal in an event pattern: each rule warns (DuplicateValue)
