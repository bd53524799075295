"""EventBridge rules on windows and targets (issue 10, part 1): exact detail-types and detail
keys from the AWS reference, filtered to this window / target."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sns as sns

from mw_constructs import (
    InvocationStatus,
    PatchingWindow,
    TaskExecutionStatus,
    WindowExecutionStatus,
    WindowSchedule,
    WindowTarget,
)
from tests.support.apps import raises_code, resources_of_type, template_of
from tests.support.aws_events import (
    EXECUTION_EVENT,
    INVOCATION_EVENT,
    TASK_EVENT,
    WINDOW_ID,
    concrete,
    matches,
    with_detail,
)


@pytest.fixture
def window(stack):
    return PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1))


def rules(stack):
    return [r["Properties"] for r in resources_of_type(template_of(stack), "AWS::Events::Rule").values()]


def test_window_execution_rule_matches_this_window_and_the_statuses(stack, window):
    topic = sns.Topic(stack, "Alerts")
    rule = window.on_execution_state_change(
        "Failed", target=targets.SnsTopic(topic),
        statuses=[WindowExecutionStatus.FAILED, WindowExecutionStatus.TIMED_OUT, WindowExecutionStatus.SKIPPED_OVERLAPPING])
    assert rule.node.scope is window
    (props,) = rules(stack)
    assert props["EventPattern"] == {
        "source": ["aws.ssm"],
        "detail-type": ["Maintenance Window Execution State-change Notification"],
        "detail": {"window-id": [stack.resolve(window.window_id)], "status": ["FAILED", "TIMED_OUT", "SKIPPED_OVERLAPPING"]},
    }
    assert props["Targets"][0]["Arn"] == stack.resolve(topic.topic_arn)


def test_task_execution_rule_covers_the_window_and_every_status_by_default(stack, window):
    window.on_task_execution_state_change("Tasks")
    (props,) = rules(stack)
    assert props["EventPattern"] == {
        "source": ["aws.ssm"],
        "detail-type": ["Maintenance Window Task Execution State-change Notification"],
        "detail": {"window-id": [stack.resolve(window.window_id)]},
    }
    assert "Targets" not in props


def test_invocation_rule_matches_this_target_of_this_window(stack, window):
    web = WindowTarget(stack, "Web", window=window, tags={"Role": "web"})
    web.on_invocation_state_change("WebFailures", statuses=[InvocationStatus.FAILED], rule_name="web-failures",
                                   description="Failed invocations on the web servers")
    (props,) = rules(stack)
    assert props["Name"] == "web-failures" and props["Description"] == "Failed invocations on the web servers"
    assert props["EventPattern"]["detail-type"] == ["Maintenance Window Task Target Invocation State-change Notification"]
    assert props["EventPattern"]["detail"] == {"window-id": [stack.resolve(window.window_id)],
                                               "window-target-id": [stack.resolve(web.target_id)], "status": ["FAILED"]}


def test_patterns_match_aws_example_events_of_this_window_and_target_only(stack, window):
    """Checked with moto's EventBridge matcher against the events in AWS's documentation."""
    target_id = INVOCATION_EVENT["detail"]["window-target-id"]
    web = WindowTarget(stack, "Web", window=window, tags={"Role": "web"})
    window.on_execution_state_change("Executions", statuses=[WindowExecutionStatus.TIMED_OUT])
    window.on_task_execution_state_change("Tasks", statuses=[TaskExecutionStatus.FAILED])
    web.on_invocation_state_change("Invocations", statuses=[InvocationStatus.TIMED_OUT])
    deployed = {stack.resolve(window.window_id)["Ref"]: WINDOW_ID, stack.resolve(web.target_id)["Ref"]: target_id}
    execution, task, invocation = (concrete(props["EventPattern"], deployed) for props in rules(stack))
    assert matches(execution, EXECUTION_EVENT) and matches(task, TASK_EVENT) and matches(invocation, INVOCATION_EVENT)
    assert not matches(execution, with_detail(EXECUTION_EVENT, status="SUCCESS"))
    assert not matches(task, with_detail(TASK_EVENT, status="SUCCESS"))
    assert not matches(invocation, with_detail(INVOCATION_EVENT, status="SUCCESS"))
    other_window = "mw-0123456789abcdef0"
    for pattern, event in ((execution, EXECUTION_EVENT), (task, TASK_EVENT), (invocation, INVOCATION_EVENT)):
        assert not matches(pattern, with_detail(event, window_id=other_window))
    assert not matches(invocation, with_detail(INVOCATION_EVENT, window_target_id="00000000-0000-0000-0000-000000000000"))
    assert not matches(execution, TASK_EVENT) and not matches(task, INVOCATION_EVENT) and not matches(invocation, EXECUTION_EVENT)


def test_imported_window_and_target_get_rules_too(stack):
    imported = PatchingWindow.from_window_id(stack, "Imported", "mw-0123456789abcdef0")
    target = WindowTarget.from_target_id(stack, "T", window=imported, target_id="12345678-1234-1234-1234-123456789012")
    imported.on_execution_state_change("Runs")
    target.on_invocation_state_change("Invocations")
    patterns = [props["EventPattern"]["detail"] for props in rules(stack)]
    assert {"window-id": ["mw-0123456789abcdef0"]} in patterns
    assert {"window-id": ["mw-0123456789abcdef0"], "window-target-id": ["12345678-1234-1234-1234-123456789012"]} in patterns


@pytest.mark.parametrize("statuses, code", [
    ([], "InvalidType"), (WindowExecutionStatus.FAILED, "InvalidType"), (["FAILED"], "InvalidType"),
    ([TaskExecutionStatus.FAILED], "InvalidType"),
])
def test_fails_when_statuses_are_not_a_list_of_the_right_enum(stack, window, statuses, code):
    with raises_code(code):
        window.on_execution_state_change("Rule", statuses=statuses)
    assert not window.node.try_find_child("Rule"), "nothing is half-created"


@pytest.mark.parametrize("kwargs, code", [
    (dict(rule_name="has space"), "InvalidName"), (dict(description="x" * 513), "InvalidDescription"),
    (dict(target="arn:aws:sns:eu-west-1:123456789012:alerts"), "InvalidType"),
])
def test_fails_when_rule_options_are_invalid(stack, window, kwargs, code):
    with raises_code(code):
        window.on_execution_state_change("Rule", **kwargs)


# ------------------------------------------------------------------ aws-cdk-lib's on_* options (issue 24)


def test_event_pattern_adds_conditions_on_the_fields_the_rule_leaves_open(stack, window):
    from aws_cdk import aws_events as events

    web = WindowTarget(stack, "Web", window=window, tags={"Role": "web"})
    web.on_invocation_state_change("Web", statuses=[InvocationStatus.FAILED], event_pattern=events.EventPattern(
        region=["eu-west-1"], detail={"owner-information": ["web-team"]}))
    (props,) = rules(stack)
    assert props["EventPattern"] == {
        "source": ["aws.ssm"], "region": ["eu-west-1"],
        "detail-type": ["Maintenance Window Task Target Invocation State-change Notification"],
        "detail": {"window-id": [stack.resolve(window.window_id)], "window-target-id": [stack.resolve(web.target_id)],
                   "status": ["FAILED"], "owner-information": ["web-team"]},
    }


def test_the_added_conditions_narrow_what_the_rule_matches(stack, window):
    """AND, not OR: with moto's matcher, AWS's example event passes only when the extra
    condition holds too."""
    from aws_cdk import aws_events as events

    window.on_execution_state_change("Here", event_pattern=events.EventPattern(region=[EXECUTION_EVENT["region"]]))
    window.on_execution_state_change("Elsewhere", event_pattern=events.EventPattern(region=["ap-south-2"]))
    deployed = {stack.resolve(window.window_id)["Ref"]: WINDOW_ID}
    here, elsewhere = (concrete(props["EventPattern"], deployed) for props in rules(stack))
    assert matches(here, EXECUTION_EVENT) and not matches(elsewhere, EXECUTION_EVENT)


@pytest.mark.parametrize("pattern", [
    dict(source=["aws.ec2"]), dict(detail_type=["Anything"]), dict(detail={"window-id": ["mw-0123456789abcdef0"]}),
    dict(detail={"status": ["FAILED"]}),
])
def test_fails_when_event_pattern_sets_a_field_the_rule_sets(stack, window, pattern):
    from aws_cdk import aws_events as events

    with raises_code("EventPatternConflict"):
        window.on_execution_state_change("Rule", statuses=[WindowExecutionStatus.FAILED],
                                         event_pattern=events.EventPattern(**pattern))
    assert not window.node.try_find_child("Rule"), "nothing is half-created"


def test_a_status_in_event_pattern_is_fine_without_statuses(stack, window):
    from aws_cdk import aws_events as events

    window.on_execution_state_change("Rule", event_pattern=events.EventPattern(detail={"status": ["FAILED"]}))
    (props,) = rules(stack)
    assert props["EventPattern"]["detail"]["status"] == ["FAILED"]


@pytest.mark.parametrize("kwargs", [dict(event_pattern={"source": ["aws.ssm"]}), dict(cross_stack_scope="stack")])
def test_fails_when_the_on_options_have_the_wrong_type(stack, window, kwargs):
    with raises_code("InvalidType"):
        window.on_task_execution_state_change("Rule", **kwargs)
    assert not window.node.try_find_child("Rule")


def test_cross_stack_scope_puts_the_rule_beside_a_target_in_another_stack(stack, window):
    """As aws-cdk-lib's on_* methods do: the rule is created in ``cross_stack_scope`` (the stack of
    its target, same account and Region), and reads the window's ID from this stack."""
    import json

    from aws_cdk import Stack
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_sqs as sqs

    other = Stack(stack.node.scope, "Consumers")
    queue = sqs.Queue(other, "Queue")
    rule = window.on_execution_state_change("ToQueue", target=targets.SqsQueue(queue), cross_stack_scope=other)
    assert rule.stack is other and rules(stack) == []
    (props,) = rules(other)
    assert "Fn::ImportValue" in json.dumps(props["EventPattern"]["detail"]["window-id"])
    assert props["Targets"][0]["Arn"] == other.resolve(queue.queue_arn)


def test_association_rules_take_the_on_options_too(stack):
    from aws_cdk import aws_events as events

    from mw_constructs import AssociationStatus, AssociationTarget, PatchAssociation, PatchOperation

    association = PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN,
                                   targets=[AssociationTarget.tags("Patch Group", "web")])
    association.on_node_state_change("Nodes", statuses=[AssociationStatus.FAILED],
                                     event_pattern=events.EventPattern(detail={"instance-id": ["i-0123456789abcdef0"]}))
    (props,) = rules(stack)
    assert props["EventPattern"]["detail"]["instance-id"] == ["i-0123456789abcdef0"]
    with raises_code("EventPatternConflict"):
        association.on_state_change("Again", event_pattern=events.EventPattern(
            detail={"association-id": ["x"]}))
