"""PatchingWindow(enabled=False): the custom resource in the template, its least-privilege
role, and its inline handler run against botocore's Stubber."""

from __future__ import annotations

import json

import boto3
import pytest
from aws_cdk import Duration
from botocore.stub import Stubber

from mw_constructs import PatchingWindow, WindowSchedule
from mw_constructs._internal.window_disabler import HANDLER_CODE, RESOURCE_TYPE
from tests.support.apps import (
    cfn_lint_findings,
    raises_code,
    resources_of_type,
    template_of,
)


def window(stack, id="Window", **options):
    return PatchingWindow(stack, id, schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1), **options)


def test_enabled_windows_add_nothing(stack):
    window(stack)
    window(stack, "Explicit", enabled=True)
    template = template_of(stack).to_json()
    assert {r["Type"] for r in template["Resources"].values()} == {"AWS::SSM::MaintenanceWindow"}


def test_disabled_windows_share_one_function_allowed_only_on_them(stack):
    first, second = window(stack, "First", enabled=False), window(stack, "Second", enabled=False)
    window(stack, "Open")
    assert first.enabled is False
    template = template_of(stack)
    disabled = resources_of_type(template, RESOURCE_TYPE)
    assert len(disabled) == 2
    template.resource_count_is("AWS::Lambda::Function", 1)
    by_window = {json.dumps(r["Properties"]["WindowId"]): r for r in disabled.values()}
    first_ref = stack.resolve(first.window_id)
    resource = by_window[json.dumps(first_ref)]
    assert resource["Properties"]["Window"] == {
        "Name": first.window_name, "Schedule": "cron(0 2 ? * SUN *)", "ScheduleTimezone": "Europe/Amsterdam",
        "Duration": 3, "Cutoff": 1, "AllowUnassociatedTargets": False}
    (policy,) = resources_of_type(template, "AWS::IAM::ManagedPolicy").values()
    statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    update = statements["DisableTheseWindows"]
    assert update["Action"] == "ssm:UpdateMaintenanceWindow"
    assert update["Resource"] == [stack.resolve(first.window_arn), stack.resolve(second.window_arn)]
    assert statements["WriteOwnLogs"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert list(statements) == ["DisableTheseWindows", "WriteOwnLogs"]
    (role,) = resources_of_type(template, "AWS::IAM::Role").values()
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert "Policies" not in role["Properties"] and "ManagedPolicyArns" not in role["Properties"]
    (function,) = resources_of_type(template, "AWS::Lambda::Function").values()
    assert function["Properties"]["Code"] == {"ZipFile": HANDLER_CODE}
    assert len(HANDLER_CODE) <= 4096  # CloudFormation's limit for inline code
    assert cfn_lint_findings(template.to_json()) == []


def test_fails_when_enabled_is_not_a_bool(stack):
    with raises_code("InvalidType"):
        window(stack, enabled="no")


# ------------------------------------------------------------------ the handler


@pytest.fixture
def handler(monkeypatch):
    client = boto3.client("ssm", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(client)
    monkeypatch.setattr(boto3, "client", lambda service: client)
    sent: list = []
    namespace: dict = {}
    exec(compile(HANDLER_CODE, "index.py", "exec"), namespace)

    class _Response:  # what urllib.request.urlopen returns, as a context manager
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b""

    def urlopen(request, timeout):
        assert request.get_method() == "PUT" and request.full_url == "https://cloudformation-response.example/presigned"
        sent.append(json.loads(request.data))
        return _Response()

    monkeypatch.setattr(namespace["urllib"].request, "urlopen", urlopen)
    with stubber:
        yield namespace["handler"], stubber, sent
    stubber.assert_no_pending_responses()


def event(request_type):
    return {"RequestType": request_type, "ResponseURL": "https://cloudformation-response.example/presigned",
            "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1", "RequestId": "r-1",
            "LogicalResourceId": "WindowDisabled", "ResourceType": RESOURCE_TYPE,
            "ResourceProperties": {"ServiceToken": "arn", "WindowId": "mw-0123456789abcdef0", "Window": {"Duration": 3}}}


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_handler_disables_the_window(handler, request_type):
    run, stubber, sent = handler
    stubber.add_response("update_maintenance_window", {"WindowId": "mw-0123456789abcdef0", "Enabled": False},
                         {"WindowId": "mw-0123456789abcdef0", "Enabled": False})
    run(event(request_type), None)
    assert sent == [{"Status": "SUCCESS", "Reason": "window mw-0123456789abcdef0 disabled",
                     "PhysicalResourceId": "disabled-mw-0123456789abcdef0", "StackId": event("Create")["StackId"],
                     "RequestId": "r-1", "LogicalResourceId": "WindowDisabled"}]


def test_handler_enables_the_window_again_on_delete(handler):
    run, stubber, sent = handler
    stubber.add_response("update_maintenance_window", {"WindowId": "mw-0123456789abcdef0", "Enabled": True},
                         {"WindowId": "mw-0123456789abcdef0", "Enabled": True})
    run(event("Delete"), None)
    assert sent[0]["Status"] == "SUCCESS" and sent[0]["Reason"] == "window mw-0123456789abcdef0 enabled again"


def test_handler_succeeds_on_delete_of_a_window_that_is_gone(handler):
    run, stubber, sent = handler
    stubber.add_client_error("update_maintenance_window", service_error_code="DoesNotExistException", http_status_code=400)
    run(event("Delete"), None)
    assert sent[0]["Status"] == "SUCCESS" and sent[0]["Reason"].endswith("no longer exists")


def test_handler_reports_a_failure_to_cloudformation(handler):
    run, stubber, sent = handler
    stubber.add_client_error("update_maintenance_window", service_error_code="AccessDeniedException",
                             service_message="not allowed", http_status_code=400)
    run(event("Create"), None)
    assert sent[0]["Status"] == "FAILED" and sent[0]["Reason"].startswith("AccessDeniedException: ") and "not allowed" in sent[0]["Reason"]
