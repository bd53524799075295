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
