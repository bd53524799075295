"""PatchingWindow(enabled=False): the custom resource in the template and its least-privilege
role, one policy per window (tests/test_handlers.py runs the inline handler itself)."""

from __future__ import annotations

import json

from aws_cdk import Duration, Stack

from mw_constructs import PatchingWindow, WindowSchedule
from mw_constructs._internal.window_disabler import HANDLER_CODE, MAX_DISABLED_WINDOWS, RESOURCE_TYPE
from tests.support.apps import (
    cfn_lint_findings,
    new_app,
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
    assert resource["Properties"]["ServiceTimeout"] == "300"  # not CloudFormation's default hour
    grants = resources_of_type(template, "AWS::IAM::Policy")
    assert {json.dumps(g["Properties"]["PolicyDocument"]["Statement"]) for g in grants.values()} == {
        json.dumps([{"Action": "ssm:UpdateMaintenanceWindow", "Effect": "Allow", "Resource": stack.resolve(w.window_arn)}])
        for w in (first, second)}
    own_grant = next(k for k, g in grants.items() if g["Properties"]["PolicyDocument"]["Statement"][0]["Resource"]
                     == stack.resolve(first.window_arn))
    assert own_grant in resource["DependsOn"]  # deleted after the resource that needs it
    (policy,) = resources_of_type(template, "AWS::IAM::ManagedPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Sid"] for s in statements] == ["WriteOwnLogs"]
    assert statements[0]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    (role,) = resources_of_type(template, "AWS::IAM::Role").values()
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert "Policies" not in role["Properties"] and "ManagedPolicyArns" not in role["Properties"]
    (function,) = resources_of_type(template, "AWS::Lambda::Function").values()
    assert function["Properties"]["Code"] == {"ZipFile": HANDLER_CODE}
    assert function["Properties"]["Timeout"] == 180
    assert cfn_lint_findings(template.to_json()) == []


def test_enabling_one_window_again_leaves_the_others_permissions_unchanged():
    """Issue 21: with one shared policy, switching A back to enabled removed A from it during the
    update, before A's resource (deleted afterwards) could enable A again. Now A's policy goes
    with A's resource, deleted after it, and nothing else changes."""
    def build(a_enabled):
        app = new_app()
        stack = Stack(app, "Stack")
        window(stack, "A", enabled=a_enabled)
        window(stack, "B", enabled=False)
        return app.synth().get_stack_by_name("Stack").template["Resources"]

    before, after = build(False), build(True)
    removed = {k: r["Type"] for k, r in before.items() if k not in after}
    assert sorted(removed.values()) == ["AWS::IAM::Policy", RESOURCE_TYPE]
    resource = next(k for k, t in removed.items() if t == RESOURCE_TYPE)
    grant = next(k for k, t in removed.items() if t == "AWS::IAM::Policy")
    assert grant in before[resource]["DependsOn"]  # CloudFormation deletes the resource first
    assert {k: r for k, r in after.items() if k in before} == {k: r for k, r in before.items() if k in after}


def test_fails_when_more_windows_are_disabled_than_one_role_can_be_allowed():
    app = new_app()
    app.node.set_context("mw-constructs:quotas", {"MaintenanceWindowsPerRegion": 200})
    stack = Stack(app, "Stack")
    for number in range(MAX_DISABLED_WINDOWS):
        window(stack, f"W{number}", enabled=False)
    before = [c.node.path for c in stack.node.find_all()]
    with raises_code("TooManyDisabledWindows") as error:
        window(stack, "OneMore", enabled=False)
    assert f"already has {MAX_DISABLED_WINDOWS} disabled windows" in str(error.value)
    assert [c.node.path for c in stack.node.find_all()] == before
    window(stack, "Enabled")  # enabled windows take no policy


def test_the_most_grants_fit_in_the_policy_size_iam_allows():
    """IAM takes at most 10,240 characters (whitespace not counted) of a role's policies: the
    synthesized grant, with the longest partition and Region and a window ID, fits that many times."""
    app = new_app()
    stack = Stack(app, "Stack")
    window(stack, "W", enabled=False)
    (grant,) = resources_of_type(template_of(stack), "AWS::IAM::Policy").values()
    document = grant["Properties"]["PolicyDocument"]
    arn = "arn:aws-us-gov:ssm:ap-southeast-5:123456789012:maintenancewindow/mw-0123456789abcdef0"
    document["Statement"][0]["Resource"] = arn
    size = len(json.dumps(document, separators=(",", ":")))
    assert MAX_DISABLED_WINDOWS * size <= 10_240 < (MAX_DISABLED_WINDOWS + 1) * size


def test_fails_when_enabled_is_not_a_bool(stack):
    with raises_code("InvalidType"):
        window(stack, enabled="no")


def test_the_docs_state_the_limit():
    from tests.support import ROOT

    assert f"A stack holds at most {MAX_DISABLED_WINDOWS} disabled windows" in (ROOT / "docs" / "operate.md").read_text()
