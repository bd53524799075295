"""AWS's own example events, and an EventBridge pattern matcher that is not ours (moto's), for
proving that the library's event patterns match what AWS sends and nothing else."""

from __future__ import annotations

import copy
import json

from moto.events.models import EventPattern

WINDOW_ID = "mw-0ed7251d3fcf6e0c2"  # the window of AWS's example events
# From "Amazon EventBridge event examples for Systems Manager" (monitoring-systems-manager-event-examples).
EXECUTION_EVENT = {
    "version": "0", "id": "01234567-0123-0123-0123-0123456789ab",
    "detail-type": "Maintenance Window Execution State-change Notification", "source": "aws.ssm",
    "account": "123456789012", "time": "2016-11-16T01:00:57Z", "region": "us-east-2",
    "resources": ["arn:aws:ssm:us-east-2:123456789012:maintenancewindow/mw-123456789012345678"],
    "detail": {"start-time": "2016-11-16T01:00:56.427Z", "end-time": "2016-11-16T01:00:57.070Z",
               "window-id": WINDOW_ID, "window-execution-id": "b60fb56e-776c-4e5c-84ee-123456789012",
               "status": "TIMED_OUT"},
}
INVOCATION_EVENT = {
    **EXECUTION_EVENT, "detail-type": "Maintenance Window Task Target Invocation State-change Notification",
    "detail": {"start-time": "2016-11-16T01:00:56.427Z", "end-time": "2016-11-16T01:00:57.070Z",
               "window-id": WINDOW_ID, "window-execution-id": "b60fb56e-776c-4e5c-84ee-123456789012",
               "task-execution-id": "c9b05aba-197f-4d8d-be34-e73fbfb50b9b",
               "window-target-id": "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE", "status": "TIMED_OUT",
               "owner-information": "Owner"},
}
TASK_EVENT = {
    **EXECUTION_EVENT, "detail-type": "Maintenance Window Task Execution State-change Notification",
    "detail": {"start-time": "2016-11-16T01:00:56.427Z", "end-time": "2016-11-16T01:00:57.070Z",
               "window-id": WINDOW_ID, "window-execution-id": "b60fb56e-776c-4e5c-84ee-123456789012",
               "task-execution-id": "c9b05aba-197f-4d8d-be34-e73fbfb50b9b", "status": "FAILED"},
}
# AWS Config's "Config Rules Compliance Change" event (EventBridge events reference, aws.config).
COMPLIANCE_EVENT = {
    "version": "0", "id": "01234567-0123-0123-0123-012345678901", "detail-type": "Config Rules Compliance Change",
    "source": "aws.config", "account": "123456789012", "time": "2026-11-20T10:00:00Z", "region": "eu-west-1",
    "resources": [], "detail": {
        "resourceId": "i-0123456789abcdef0", "awsRegion": "eu-west-1", "awsAccountId": "123456789012",
        "configRuleName": "patch-compliance", "configRuleARN": "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-abc",
        "resourceType": "AWS::SSM::PatchCompliance",
        "newEvaluationResult": {"complianceType": "NON_COMPLIANT"}, "oldEvaluationResult": {"complianceType": "COMPLIANT"},
    },
}


def concrete(pattern, refs):
    """The rule's pattern with each {"Ref": id} replaced by a deployed value."""
    text = json.dumps(pattern)
    for logical_id, value in refs.items():
        text = text.replace(json.dumps({"Ref": logical_id}), json.dumps(value))
    return json.loads(text)


def matches(pattern, event) -> bool:
    return EventPattern.load(json.dumps(pattern)).matches_event(event)


def with_detail(event, **detail):
    changed = copy.deepcopy(event)
    changed["detail"].update({key.replace("_", "-"): value for key, value in detail.items()})
    return changed


