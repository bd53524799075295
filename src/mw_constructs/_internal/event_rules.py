"""The EventBridge rules behind ``on_execution_state_change`` and its siblings, and
``PatchingAlerts``: one rule per state-change event kind of a window or target."""

from __future__ import annotations

import enum
import re
from typing import Any, Dict, List, Optional, Sequence, Type, TypeVar, cast

from aws_cdk import Annotations
from aws_cdk import aws_events as events
from constructs import Construct

from ..errors import Advice
from ..events import EVENT_SOURCE, RuleTargetLike
from .validate import check_pattern, check_text, check_type, duplicate_advice, fail, quote

__all__ = ["state_change_rule"]

S = TypeVar("S", bound=enum.Enum)
_RULE_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")


def state_change_rule(scope: Construct, id: str, *, detail_type: str, detail: Dict[str, List[str]],
                      statuses: Optional[Sequence[Any]], status_type: Type[S], target: Optional[RuleTargetLike],
                      description: Optional[str], rule_name: Optional[str]) -> events.Rule:
    """An EventBridge rule in ``scope`` matching ``detail_type`` events whose ``detail`` has
    these values (and, if given, one of ``statuses``), sending them to ``target``."""
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
    rule = events.Rule(
        scope, id, description=description, rule_name=rule_name,
        event_pattern=events.EventPattern(source=[EVENT_SOURCE], detail_type=[detail_type], detail=detail),
    )
    for found in repeated:
        Annotations.of(rule).add_warning_v2(found.id, found.message)
    if target is not None:
        rule.add_target(cast(events.IRuleTarget, target))
    return rule
