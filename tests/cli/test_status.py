"""`mw-constructs status` against botocore's Stubber: every request and response is checked
against the SSM service model botocore ships (shapes as in the AWS API reference and the CLI
walkthrough: executions -> tasks -> invocations)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest
from aws_cdk import Duration, Stack
from botocore.stub import Stubber

from mw_constructs import PatchingWindow, WindowSchedule
from mw_constructs.cli import main
from mw_constructs.readback import account
from tests.support.apps import new_app

WINDOW_ID = "mw-0123456789abcdef0"
NAME = "prod-patching"
AFTER = "2026-11-24T00:00:00Z"
# The next Sundays 02:00 Europe/Amsterdam (CET, UTC+1) after AFTER, as SSM writes them.
PLANNED = ["2026-11-29T01:00Z", "2026-12-06T01:00Z", "2026-12-13T01:00Z"]
EXECUTION_ID = "6027b513-64fe-4cf0-be7d-1191aEXAMPLE"
TASK_ID = "ac0c6ae1-daa3-4a89-832e-d3845EXAMPLE"


@pytest.fixture(scope="module")
def cdk_out() -> Path:
    app = new_app()
    stack = Stack(app, "Patching")
    PatchingWindow(stack, "Production", window_name=NAME, duration=Duration.hours(3), cutoff=Duration.hours(1),
                   schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"))
    return Path(app.synth().directory)


@pytest.fixture
def ssm(monkeypatch):
    client = boto3.client("ssm", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(client)
    monkeypatch.setattr(account, "make_client", lambda region, profile: client)
    with stubber:
        yield stubber
    stubber.assert_no_pending_responses()


def identity(**overrides):
    return {"WindowId": WINDOW_ID, "Name": NAME, "Enabled": True, "Duration": 3, "Cutoff": 1,
            "Schedule": "cron(0 2 ? * SUN *)", "ScheduleTimezone": "Europe/Amsterdam", **overrides}


def expect_window(stubber, runs, *, enabled=True):
    stubber.add_response("describe_maintenance_windows", {"WindowIdentities": [identity(Enabled=enabled)]}, {})
    stubber.add_response("describe_maintenance_window_schedule", {"ScheduledWindowExecutions": [
        {"WindowId": WINDOW_ID, "Name": NAME, "ExecutionTime": run} for run in runs]},
        {"WindowId": WINDOW_ID, "MaxResults": 3})


def expect_history(stubber, *, task_status="SUCCESS", invocation_status="SUCCESS", window_status="SUCCESS",
                   details="One or more targets failed"):
    start, end = datetime(2026, 11, 22, 1, 0, tzinfo=timezone.utc), datetime(2026, 11, 22, 1, 42, tzinfo=timezone.utc)
    stubber.add_response("describe_maintenance_window_executions", {"WindowExecutions": [
        {"WindowId": WINDOW_ID, "WindowExecutionId": EXECUTION_ID, "Status": window_status, "StartTime": start, "EndTime": end}]},
        {"WindowId": WINDOW_ID, "MaxResults": 10})
    stubber.add_response("describe_maintenance_window_execution_tasks", {"WindowExecutionTaskIdentities": [
        {"WindowExecutionId": EXECUTION_ID, "TaskExecutionId": TASK_ID, "Status": task_status, "StartTime": start,
         "EndTime": end, "TaskArn": "AWS-RunPatchBaseline", "TaskType": "RUN_COMMAND",
         **({"StatusDetails": details} if task_status != "SUCCESS" else {})}]},
        {"WindowExecutionId": EXECUTION_ID})
    stubber.add_response("describe_maintenance_window_execution_task_invocations", {"WindowExecutionTaskInvocationIdentities": [
        {"WindowExecutionId": EXECUTION_ID, "TaskExecutionId": TASK_ID, "InvocationId": "e0c6ba5c-81ee-4ab4-9ff9-0a1dcEXAMPLE",
         "ExecutionId": "a5273b52-6ba1-4d84-a60e-2c0a3EXAMPLE", "TaskType": "RUN_COMMAND", "Status": invocation_status,
         "StartTime": start, "EndTime": end, "WindowTargetId": "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE"}]},
        {"WindowExecutionId": EXECUTION_ID, "TaskId": TASK_ID})


def run(capsys, *argv):
    code = main(["status", *argv, "--count", "3", "--executions", "1", "--after", AFTER])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_schedule_agrees_and_history_is_shown(capsys, cdk_out, ssm):
    expect_window(ssm, PLANNED)
    expect_history(ssm)
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 0, out
    assert "Patching/Production  mw-0123456789abcdef0" in out
    assert "schedule: SSM and the library agree" in out
    assert "DIFFERS" not in out
    assert f"execution {EXECUTION_ID}  SUCCESS" in out and "RUN_COMMAND AWS-RunPatchBaseline  SUCCESS" in out
    assert "target e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE  SUCCESS" in out


def test_schedule_given_with_an_offset_is_the_same_instant(capsys, cdk_out, ssm):
    expect_window(ssm, ["2026-11-29T02:00+01:00", "2026-12-06T02:00+01:00", "2026-12-13T02:00+01:00"])
    expect_history(ssm)
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 0 and "agree" in out


def test_schedule_differs_is_flagged_and_exits_1(capsys, cdk_out, ssm):
    # As if the window had been deployed without its time zone: every run an hour late.
    expect_window(ssm, ["2026-11-29T02:00Z", "2026-12-06T02:00Z", "2026-12-13T02:00Z"])
    expect_history(ssm)
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 1
    assert "DIFFERS: run 1: SSM 2026-11-29T02:00Z, library 2026-11-29T01:00Z" in out
    assert out.count("<- differs") == 3


def test_fewer_runs_from_ssm_are_flagged(capsys, cdk_out, ssm):
    expect_window(ssm, PLANNED[:2])
    expect_history(ssm)
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 1 and "SSM lists 2 run(s), the library 3" in out


def test_failed_task_is_shown_and_fails_only_with_strict(capsys, cdk_out, ssm):
    for strict in ((), ("--strict",)):
        expect_window(ssm, PLANNED)
        expect_history(ssm, window_status="FAILED", task_status="FAILED", invocation_status="TIMED_OUT")
        code, out, _ = run(capsys, str(cdk_out), *strict)
        assert f"task {TASK_ID}  RUN_COMMAND AWS-RunPatchBaseline  FAILED  (One or more targets failed)" in out
        assert "TIMED_OUT" in out
        assert code == (1 if strict else 0)
    assert "FAILED: 3 (execution" in out


def test_text_from_the_api_reaches_the_terminal_without_escape_sequences(capsys, cdk_out, ssm):
    expect_window(ssm, PLANNED)
    expect_history(ssm, task_status="FAILED", details="failed\x1b]0;owned\x07\x1b[2J on \u202ei-1")
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 0
    assert "failed\\x1b]0;owned\\x07\\x1b[2J on \\u202ei-1" in out  # shown, escaped
    assert not any(character in out for character in "\x1b\x07\u202e")


def test_json_output(capsys, cdk_out, ssm):
    expect_window(ssm, PLANNED)
    expect_history(ssm, task_status="FAILED")
    code, out, _ = run(capsys, str(cdk_out), "--json", "--strict")
    assert code == 1
    report = json.loads(out)["windows"][0]
    assert report["window_id"] == WINDOW_ID and report["name"] == NAME and report["enabled"] is True
    assert report["schedule"] == {"ssm": PLANNED, "library": PLANNED, "differences": []}
    task = report["executions"][0]["tasks"][0]
    assert task["status"] == "FAILED" and task["task_arn"] == "AWS-RunPatchBaseline"
    assert task["invocations"][0]["target"] == "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE"
    assert report["failures"] == [f"task {TASK_ID} FAILED"]


def test_disabled_window_without_runs_is_not_a_difference(capsys, cdk_out, ssm):
    expect_window(ssm, [], enabled=False)
    expect_history(ssm)
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 0 and "DISABLED" in out


def test_window_of_the_app_not_deployed_exits_1(capsys, cdk_out, ssm):
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": []}, {})
    code, out, _ = run(capsys, str(cdk_out))
    assert code == 1 and "not deployed: no window of this name" in out


def test_all_windows_of_the_account_are_read_from_ssm(capsys, ssm, tmp_path):
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": [identity()], "NextToken": "page2"}, {})
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": []}, {"NextToken": "page2"})
    ssm.add_response("describe_maintenance_window_schedule", {"ScheduledWindowExecutions": [
        {"WindowId": WINDOW_ID, "ExecutionTime": run} for run in PLANNED]}, {"WindowId": WINDOW_ID, "MaxResults": 3})
    expect_history(ssm)
    ssm.add_response("list_associations", {"Associations": []}, {})  # and every association: none here
    code, out, _ = run(capsys, "--all", str(tmp_path / "unused"))
    assert code == 0, out
    assert out.startswith(f"{NAME}  {WINDOW_ID}") and "agree" in out


def test_access_denied_names_the_permissions(capsys, cdk_out, ssm):
    ssm.add_client_error("describe_maintenance_windows", service_error_code="AccessDeniedException",
                         service_message="not authorized", http_status_code=400)
    code, _, err = run(capsys, str(cdk_out))
    assert code == 2
    assert "ssm:DescribeMaintenanceWindowSchedule" in err and "ssm:DescribeMaintenanceWindowExecutionTaskInvocations" in err


def test_fails_clearly_without_credentials(capsys, cdk_out, monkeypatch, tmp_path):
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                     "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask an instance metadata service
    code, out, err = run(capsys, str(cdk_out), "--region", "eu-west-1")
    assert code == 2 and out == ""
    assert "mw-constructs: error: no AWS credentials: set AWS_PROFILE" in err


def test_fails_clearly_without_a_region(capsys, cdk_out, monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code, _, err = run(capsys, str(cdk_out))
    assert code == 2 and "no AWS Region: pass --region" in err


def test_fails_clearly_without_boto3(capsys, cdk_out, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "boto3", None)
    code, _, err = run(capsys, str(cdk_out), "--region", "eu-west-1")
    assert code == 2 and "reading the account needs boto3: pip install boto3 (the 'aws' extra of mw-constructs)" in err


def test_fails_when_the_assembly_has_no_window(capsys, tmp_path):
    (tmp_path / "Empty.template.json").write_text('{"Resources": {}}')
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "no maintenance windows in" in err


def test_the_docs_show_what_status_prints(capsys, cdk_out, ssm):
    """The "Know what happened" output of docs/operate.md is this stubbed run, verbatim."""
    from tests.support import ROOT

    README = (ROOT / "docs" / "operate.md").read_text()

    expect_window(ssm, PLANNED)
    expect_history(ssm, window_status="FAILED", task_status="FAILED", invocation_status="FAILED")
    code, out, _ = run(capsys, str(cdk_out), "--strict")
    assert code == 1
    command = "$ mw-constructs status --strict --count 3 --executions 1\n"
    start = README.index(command) + len(command)
    assert README[start:README.index("```", start)] == out


def test_calendar_overlays_past_executions(capsys, cdk_out, ssm, tmp_path):
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": [identity()]}, {})
    start, end = datetime(2026, 11, 22, 1, 0, tzinfo=timezone.utc), datetime(2026, 11, 22, 1, 42, tzinfo=timezone.utc)
    filters = [{"Key": "ExecutedAfter", "Values": ["2026-11-15T23:00:00Z"]},
               {"Key": "ExecutedBefore", "Values": ["2026-11-29T23:00:00Z"]}]
    ssm.add_response("describe_maintenance_window_executions", {"WindowExecutions": [
        {"WindowId": WINDOW_ID, "WindowExecutionId": EXECUTION_ID, "Status": "FAILED", "StartTime": start, "EndTime": end}]},
        {"WindowId": WINDOW_ID, "Filters": filters, "MaxResults": 100})
    svg = tmp_path / "calendar.svg"
    code = main(["calendar", str(cdk_out), "--history", "--weeks", "2", "--start", "2026-11-16",
                 "--time-zone", "Europe/Amsterdam", "-o", str(svg)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"ran Sun 2026-11-22 02:00 CET: FAILED ({EXECUTION_ID})" in out
    drawn = svg.read_text()
    assert f'class="execution" data-status="FAILED" data-execution="{EXECUTION_ID}"' in drawn
    assert "past execution (from SSM)" in drawn


def test_calendar_without_history_asks_nothing_of_aws(capsys, cdk_out, ssm, tmp_path):
    code = main(["calendar", str(cdk_out), "-o", str(tmp_path / "c.svg")])
    assert code == 0 and 'class="execution"' not in (tmp_path / "c.svg").read_text()


def test_every_page_of_invocations_is_read(capsys, cdk_out, ssm):
    expect_window(ssm, PLANNED)
    start = datetime(2026, 11, 22, 1, 0, tzinfo=timezone.utc)
    ssm.add_response("describe_maintenance_window_executions", {"WindowExecutions": [
        {"WindowId": WINDOW_ID, "WindowExecutionId": EXECUTION_ID, "Status": "FAILED", "StartTime": start}]},
        {"WindowId": WINDOW_ID, "MaxResults": 10})
    ssm.add_response("describe_maintenance_window_execution_tasks", {"WindowExecutionTaskIdentities": [
        {"WindowExecutionId": EXECUTION_ID, "TaskExecutionId": TASK_ID, "Status": "FAILED", "TaskType": "RUN_COMMAND",
         "TaskArn": "AWS-RunPatchBaseline"}]}, {"WindowExecutionId": EXECUTION_ID})
    for page, (status, token) in enumerate((("SUCCESS", "next"), ("FAILED", None))):
        ssm.add_response("describe_maintenance_window_execution_task_invocations", {
            "WindowExecutionTaskInvocationIdentities": [{
                "WindowExecutionId": EXECUTION_ID, "TaskExecutionId": TASK_ID, "InvocationId": f"e0c6ba5c-81ee-4ab4-9ff9-0a1dcEXAMPL{page}",
                "Status": status, "WindowTargetId": f"e32eecb2-646c-4f4b-8ed1-205fbEXAMPL{page}"}], **({"NextToken": token} if token else {})},
            {"WindowExecutionId": EXECUTION_ID, "TaskId": TASK_ID, **({"NextToken": "next"} if page else {})})
    code, out, _ = run(capsys, str(cdk_out), "--strict")
    assert code == 1
    assert "target e32eecb2-646c-4f4b-8ed1-205fbEXAMPL0  SUCCESS" in out
    assert "target e32eecb2-646c-4f4b-8ed1-205fbEXAMPL1  FAILED" in out


# ------------------------------------------------------------------ associations (issue 23)

ASSOCIATION_ID = "8dfe3659-4309-493a-8755-0123456789ab"


@pytest.fixture(scope="module")
def associations_out() -> Path:
    from mw_constructs import AssociationSchedule, AssociationTarget, PatchAssociation, PatchOperation

    app = new_app()
    stack = Stack(app, "Patching")
    PatchAssociation(stack, "Scan", operation=PatchOperation.SCAN, targets=[AssociationTarget.patch_group("web")],
                     schedule=AssociationSchedule.daily(hour=1), association_name="web-scan")
    PatchAssociation(stack, "Unnamed", operation=PatchOperation.SCAN, targets=[AssociationTarget.patch_group("db")],
                     schedule=AssociationSchedule.daily(hour=2))
    return Path(app.synth().directory)


def expect_association(stubber, *, execution_status="Success"):
    stubber.add_response("list_associations", {"Associations": [{
        "AssociationId": ASSOCIATION_ID, "AssociationName": "web-scan", "Name": "AWS-RunPatchBaseline",
        "ScheduleExpression": "cron(0 1 ? * * *)", "LastExecutionDate": datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc),
        "Overview": {"Status": "Success", "DetailedStatus": "Success"}}]}, {})
    stubber.add_response("describe_association_executions", {"AssociationExecutions": [{
        "AssociationId": ASSOCIATION_ID, "ExecutionId": "0d9f8b7a-1234-4cde-8f00-0123456789ab", "Status": execution_status,
        "DetailedStatus": execution_status, "CreatedTime": datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc),
        "ResourceCountByStatus": "{Success=3}" if execution_status == "Success" else "{Failed=1, Success=2}"}]},
        {"AssociationId": ASSOCIATION_ID, "MaxResults": 1})


def test_associations_of_the_app_show_their_last_execution_and_an_unnamed_one_is_said(capsys, associations_out, ssm):
    expect_association(ssm)
    code, out, err = run(capsys, str(associations_out))
    assert code == 1, (out, err)  # the unnamed association cannot be found
    assert f"Patching/Scan  {ASSOCIATION_ID}  association AWS-RunPatchBaseline cron(0 1 ? * * *)" in out
    assert "status: Success Success, last run 2026-11-23T01:00Z" in out
    assert "execution 0d9f8b7a-1234-4cde-8f00-0123456789ab  Success  2026-11-23T01:00Z" in out
    assert "Patching/Unnamed  (not found)" in out and "has no AssociationName" in out


def test_a_failed_association_execution_fails_only_with_strict(capsys, associations_out, ssm):
    expect_association(ssm, execution_status="Failed")
    code, out, _ = run(capsys, str(associations_out), "--json")
    reported = json.loads(out)["associations"]
    assert reported[0]["failures"] == ["execution 0d9f8b7a-1234-4cde-8f00-0123456789ab Failed"]
    assert reported[1]["differences"] and code == 1


# ------------------------------------------------------------------ credentials, profiles, Regions (issue 24, point 5)


def _real_client(monkeypatch, tmp_path):
    """make_client as the CLI calls it (these tests do not take the ssm fixture, which stubs it), with no AWS
    files of the machine."""
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


def test_aws_region_is_honoured_as_the_sdks_and_cli_honour_it(monkeypatch, tmp_path):
    _real_client(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert account.make_client(None, None).meta.region_name == "eu-west-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert account.make_client(None, None).meta.region_name == "eu-west-1"  # AWS_REGION first, as the CLI reads it
    assert account.make_client("ap-southeast-2", None).meta.region_name == "ap-southeast-2"  # --region beats both
    monkeypatch.delenv("AWS_REGION")
    assert account.make_client(None, None).meta.region_name == "us-east-1"
    (tmp_path / "config").write_text("[profile ops]\nregion = eu-central-1\n")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert account.make_client(None, "ops").meta.region_name == "eu-central-1"


@pytest.mark.parametrize("config, argv, expected", [
    ("", ["--profile", "nope"], "The config profile (nope) could not be found: check --profile"),
    ("[profile ops]\nregion = eu-west-1\n[broken\n", ["--profile", "ops"], "check --profile, AWS_PROFILE and AWS_CONFIG_FILE"),
    ("", [], "no AWS Region: pass --region"),
])
def test_fails_when_a_profile_config_or_region_problem_is_not_one_line_with_exit_2(capsys, monkeypatch, tmp_path, cdk_out,
                                                                                  config, argv, expected):
    _real_client(monkeypatch, tmp_path)
    (tmp_path / "config").write_text(config)
    code, out, err = run(capsys, str(cdk_out), *argv)
    assert code == 2 and out == "" and expected in err and len(err.strip().splitlines()) == 1, err


def test_grant_read_history_allows_every_window_call_status_makes(capsys, cdk_out, ssm):
    """Issue 24: the permissions a person needs for `status`, granted by the window itself. The
    calls are recorded from a real run; each must be allowed by the statements the grant writes
    (on the window's ARN or on *, as the grant scopes it)."""
    from aws_cdk import App, Duration, Stack
    from aws_cdk import aws_iam as iam

    from mw_constructs import PatchingWindow, WindowSchedule
    from mw_constructs._internal.iam_actions import allows

    called = []
    ssm.client.meta.events.register("before-parameter-build.ssm", lambda model, **_: called.append(f"ssm:{model.name}"))
    expect_window(ssm, PLANNED)
    expect_history(ssm)
    assert run(capsys, str(cdk_out))[0] == 0
    window_calls = sorted({action for action in called if "MaintenanceWindow" in action})
    assert len(window_calls) == 5, called

    stack = Stack(App(), "People")
    window = PatchingWindow(stack, "Window", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(3), cutoff=Duration.hours(1))
    reader = iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    window.grant_read_history(reader)
    from tests.support.apps import template_of

    statements = [s for policy in template_of(stack).find_resources("AWS::IAM::Policy").values()
                  for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    assert [action for action in window_calls if not allows(statements, action)] == []
