"""The EventBridge rules behind ``on_execution_state_change`` and its siblings, and
``PatchingAlerts``: one rule per state-change event kind of a window or target; and
:func:`topic_target`, an SNS topic as a rule target whose grants carry the confused-deputy
conditions that aws-cdk-lib's ``targets.SnsTopic`` leaves out."""

from __future__ import annotations

import enum
import re
from typing import Any, Dict, List, Optional, Sequence, Type, TypeVar, cast

import jsii
from aws_cdk import Annotations, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from ..errors import Advice
from ..events import EVENT_SOURCE, RuleTargetLike
from . import iam_types
from .registry import PerObject
from .validate import check_pattern, check_text, check_type, duplicate_advice, fail, quote

__all__ = ["state_change_rule", "topic_target"]

S = TypeVar("S", bound=enum.Enum)
_RULE_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")


def state_change_rule(scope: Construct, id: str, *, detail_type: str, detail: Dict[str, List[str]],
                      statuses: Optional[Sequence[Any]], status_type: Type[S], target: Optional[RuleTargetLike],
                      description: Optional[str], rule_name: Optional[str],
                      event_pattern: Optional[events.EventPattern] = None,
                      cross_stack_scope: Optional[Construct] = None) -> events.Rule:
    """An EventBridge rule in ``scope`` matching ``detail_type`` events whose ``detail`` has
    these values (and, if given, one of ``statuses``), sending them to ``target``.

    ``event_pattern`` adds conditions (AND) on fields this pattern leaves open, as aws-cdk-lib's
    ``on_*`` methods take it; ``cross_stack_scope`` is handed to ``events.Rule`` (for a target in
    another stack of the same account and Region)."""
    repeated: List[Advice] = []
    if statuses is not None:
        if isinstance(statuses, (str, bytes, enum.Enum)) or not isinstance(statuses, Sequence) or not statuses:
            fail("InvalidType", f"statuses must be a non-empty list of {status_type.__name__}: got {quote(statuses)}.")
        for status in statuses:
            check_type("statuses entry", status, status_type, f"a {status_type.__name__}, e.g. "
                                                              f"{status_type.__name__}.{next(iter(status_type)).name}")
        repeated = duplicate_advice("statuses", [status.value for status in statuses])
        detail = {**detail, "status": [status.value for status in statuses]}
    check_pattern(rule_name, _RULE_NAME, "InvalidName",
                  f"rule_name must be 1-64 letters, digits or '.-_': got {quote(rule_name)}.")
    check_text("description", description, 1, 512, "InvalidDescription")
    if target is not None and not hasattr(target, "bind"):
        fail("InvalidType", f"target must be an events.IRuleTarget, e.g. targets.SnsTopic(topic): got {quote(target)}.")
    if cross_stack_scope is not None:
        check_type("cross_stack_scope", cross_stack_scope, Construct, "a construct, e.g. the stack that holds the target")
    pattern = _with_extra(events.EventPattern(source=[EVENT_SOURCE], detail_type=[detail_type], detail=detail),
                          event_pattern)
    rule = events.Rule(scope, id, description=description, rule_name=rule_name, event_pattern=pattern,
                       cross_stack_scope=cross_stack_scope)
    for found in repeated:
        Annotations.of(rule).add_warning_v2(found.id, found.message)
    if target is not None:
        rule.add_target(cast(events.IRuleTarget, target))
    return rule


_PATTERN_FIELDS = ("account", "detail", "detail_type", "id", "region", "resources", "source", "time", "version")


def _with_extra(own: events.EventPattern, extra: Optional[events.EventPattern]) -> events.EventPattern:
    """``own`` AND ``extra``: the fields of ``extra`` that ``own`` leaves open are added; a field
    both set (``source``, ``detail-type``, a key of ``detail``) is refused, since one value would
    replace the other."""
    if extra is None:
        return own
    check_type("event_pattern", extra, events.EventPattern,
               "an events.EventPattern, e.g. events.EventPattern(detail={'owner-information': ['web']})")
    own_detail: Dict[str, Any] = dict(own.detail or {})
    extra_detail = extra.detail
    if extra_detail is not None and not isinstance(extra_detail, dict):
        fail("InvalidType", f"event_pattern.detail must be a dict of detail fields: got {quote(extra_detail)}.")
    taken = [f"'{name}'" for name in ("source", "detail_type") if getattr(extra, name) is not None]
    taken += [f"'detail.{key}'" for key in (extra_detail or {}) if key in own_detail]
    if taken:
        fail("EventPatternConflict", (
            f"event_pattern sets {', '.join(taken)}, which this method already sets (source "
            f"{quote(own.source)}, detail-type {quote(own.detail_type)}, detail keys "
            f"{quote(sorted(own_detail))}). Give only other fields in event_pattern (e.g. "
            f"detail={{'owner-information': [...]}}, region=[...]); for the status use statuses=."))
    fields = {name: getattr(extra, name) for name in _PATTERN_FIELDS if getattr(extra, name) is not None}
    fields.update(source=own.source, detail_type=own.detail_type, detail={**own_detail, **(extra_detail or {})})
    return events.EventPattern(**fields)


#: The service that publishes a rule's matches.
EVENTS_SERVICE = "events.amazonaws.com"


@jsii.implements(events.IRuleTarget)
class _TopicTarget:
    """A topic as a rule target; the grants are :func:`topic_target`'s."""

    def __init__(self, topic: sns.ITopic, message: Optional[events.RuleTargetInput]) -> None:
        self._topic = topic
        self._message = message

    def bind(self, rule: events.IRule, id: Optional[str] = None) -> events.RuleTargetConfig:
        return events.RuleTargetConfig(arn=self._topic.topic_arn, input=self._message)


def _grant(topic: sns.ITopic) -> bool:
    """Let EventBridge rules of the topic's account and Region publish to it and, if it is
    encrypted with a key of this app, use the key: only on behalf of that account's rules
    (``aws:SourceAccount``, ``aws:SourceArn``), so that no other account's rule can make
    EventBridge publish here. A topic or key imported by ARN has no policy to add to: its
    owner grants this."""
    stack = Stack.of(topic)
    conditions = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:events:{stack.region}:{stack.account}:rule/*"},
    }
    principal = iam_types.service(EVENTS_SERVICE)
    topic.add_to_resource_policy(iam.PolicyStatement(
        sid="EventBridgeRulesOfThisAccountPublish", principals=[principal], actions=["sns:Publish"],
        resources=[topic.topic_arn], conditions=conditions))
    key = topic.master_key
    if key is not None:
        key.add_to_resource_policy(iam.PolicyStatement(
            principals=[principal], actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],  # in a key policy, "*" is this key
            conditions=conditions))
    return True


#: Topics already granted (one statement per topic, however many rules publish to it).
_GRANTED: PerObject[sns.ITopic, bool] = PerObject(_grant)


def topic_target(topic: sns.ITopic, message: Optional[events.RuleTargetInput] = None) -> events.IRuleTarget:
    """``topic`` as a rule target, allowed (once per topic) with confused-deputy conditions."""
    _GRANTED.of(topic)
    return iam_types.rule_target(_TopicTarget(topic, message))
