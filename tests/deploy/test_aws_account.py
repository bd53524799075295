"""Real-account integration test (pytest marker ``aws``): deploys tests/deploy/aws_app.py with the pinned
CDK CLI to the account and Region of your credentials, checks that SSM's
``DescribeMaintenanceWindowSchedule`` lists the library's preview for the next 10 runs of every
window (each in its own time zone, offsets included), that the task whose role carries the
confused-deputy trust conditions was registered, and destroys the stack.

Skipped unless ``MW_CONSTRUCTS_AWS_TEST=1`` and AWS credentials and a Region are set:

    MW_CONSTRUCTS_AWS_TEST=1 AWS_PROFILE=sandbox AWS_REGION=eu-west-1 python -m pytest -m aws tests/deploy/test_aws_account.py

It needs an account bootstrapped with ``cdk bootstrap`` and permission to deploy with the CDK
(assume the bootstrap roles), plus ``ssm:DescribeMaintenanceWindows``,
``ssm:DescribeMaintenanceWindowSchedule``, ``ssm:DescribeMaintenanceWindowTasks`` and
``iam:GetRole``. It creates windows that target the patch group ``mw-constructs-integration``
(no instance should carry it) and removes them; nothing runs on an instance.

The assertions (:func:`schedule_differences`, :func:`task_roles`) are unit-tested below against
botocore's Stubber.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, List

import boto3
import pytest
from botocore.stub import Stubber

from mw_constructs.cli import status as status_module
from mw_constructs.readback.assembly import AssemblyWindow, read_windows
from tests.support import ROOT

CDK = ROOT / "node_modules" / ".bin" / "cdk"
APP = f"{sys.executable} tests/deploy/aws_app.py"
RUNS = 10


def _ready() -> str:
    """Why the test cannot run here, or '' when it can."""
    if os.environ.get("MW_CONSTRUCTS_AWS_TEST") != "1":
        return "deploys to a real AWS account: set MW_CONSTRUCTS_AWS_TEST=1 (README 'Deploy and verify')"
    session = boto3.Session()
    if session.get_credentials() is None:
        return "no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID)"
    if not session.region_name:
        return "no AWS Region (set AWS_REGION)"
    if not CDK.exists():
        return "the pinned CDK CLI is not installed: run 'npm ci'"
    return ""


def schedule_differences(client: Any, windows: List[AssemblyWindow], *, count: int = RUNS,
                         after: datetime) -> List[str]:
    """For each window (found by name), every way SSM's next ``count`` runs differ from the
    library's preview; empty when they agree (``mw-constructs status``'s comparison)."""
    arguments = argparse.Namespace(count=count, executions=0, after=after)
    reports = status_module._reports(client, windows, arguments)
    return [f"{report.label}: {difference}" for report in reports for difference in report.differences]


def task_roles(client: Any, window_id: str) -> List[str]:
    """The service role ARNs of the window's tasks."""
    tasks = client.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    return [task["ServiceRoleArn"] for task in tasks if task.get("ServiceRoleArn")]


def _cdk(*arguments: str) -> None:
    env = {**os.environ, "CDK_DISABLE_VERSION_CHECK": "1"}
    subprocess.run([str(CDK), *arguments, "--app", APP, "--require-approval", "never", "--ci"], cwd=ROOT, env=env,
                   check=True, timeout=1800)


@pytest.mark.aws
@pytest.mark.skipif(bool(_ready()), reason=_ready() or "ready")
def test_deployed_windows_run_when_the_library_says_and_the_stack_is_destroyed(tmp_path):
    outdir = tmp_path / "cdk.out"
    session = boto3.Session()
    ssm, iam = session.client("ssm"), session.client("iam")
    _cdk("deploy", "MwConstructsIntegration", "--output", str(outdir))
    try:
        windows = [w for w in read_windows(outdir) if w.region in (None, session.region_name)]
        assert len(windows) >= 4
        assert schedule_differences(ssm, windows, after=datetime.now(timezone.utc)) == []
        deployed = {w["Name"]: w["WindowId"] for w in ssm.describe_maintenance_windows()["WindowIdentities"]}
        for window in windows:
            [role_arn] = set(task_roles(ssm, deployed[window.name]))
            trust = iam.get_role(RoleName=role_arn.rsplit("/", 1)[1])["Role"]["AssumeRolePolicyDocument"]
            conditions = trust["Statement"][0].get("Condition", {})
            assert "aws:SourceAccount" in str(conditions) and "aws:SourceArn" in str(conditions)
    finally:
        _cdk("destroy", "MwConstructsIntegration", "--force", "--output", str(outdir))


# ------------------------------------------------------------------ the assertions, against stubbed responses


@pytest.fixture
def stubbed():
    client = boto3.client("ssm", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture(scope="module")
def integration_windows(tmp_path_factory) -> List[AssemblyWindow]:
    import importlib.util

    from tests.support.apps import new_app

    spec = importlib.util.spec_from_file_location("integration_app", ROOT / "tests" / "deploy" / "aws_app.py")
    assert spec is not None and spec.loader is not None
    integration_app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(integration_app)
    previous = os.environ.get("CDK_DEFAULT_REGION")
    os.environ["CDK_DEFAULT_REGION"] = "eu-west-1"
    try:
        app = new_app()
        integration_app.build(app)
    finally:
        if previous is None:
            os.environ.pop("CDK_DEFAULT_REGION")
        else:
            os.environ["CDK_DEFAULT_REGION"] = previous
    return [w for w in read_windows(Path(app.synth().directory)) if w.region in (None, "eu-west-1")]


def _ssm_answers(stubber: Stubber, window: AssemblyWindow, runs: List[str]) -> None:
    identity = {"WindowId": "mw-0123456789abcdef0", "Name": window.name, "Enabled": True}
    stubber.add_response("describe_maintenance_windows", {"WindowIdentities": [identity]}, {})
    stubber.add_response("describe_maintenance_window_schedule", {"ScheduledWindowExecutions": [
        {"WindowId": "mw-0123456789abcdef0", "Name": window.name, "ExecutionTime": run} for run in runs]},
        {"WindowId": "mw-0123456789abcdef0", "MaxResults": RUNS})


AFTER = datetime(2026, 11, 25, tzinfo=timezone.utc)


def _preview(window: AssemblyWindow) -> List[str]:
    from mw_constructs.schedule import window_runs

    assert window.facts.schedule is not None
    return [run.opens.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ") for run in window_runs(
        window.facts.schedule, duration_hours=window.facts.duration_hours, cutoff_hours=window.facts.cutoff_hours,
        count=RUNS, after=AFTER)]


def test_the_integration_app_has_every_schedule_form(integration_windows):
    names = sorted(w.name or "" for w in integration_windows)
    assert names == ["mw-constructs-integration-afterpatchtuesday", "mw-constructs-integration-everytwodays",
                     "mw-constructs-integration-lastfriday", "mw-constructs-integration-localtime",
                     "mw-constructs-integration-weekly"]
    offset = next(w for w in integration_windows if w.name.endswith("afterpatchtuesday"))
    # the second Tuesday 23:00 New York time, two days later: a Thursday
    assert {datetime.strptime(run, "%Y-%m-%dT%H:%MZ").strftime("%a") for run in _preview(offset)} == {"Fri"}  # 04:00 UTC


def test_schedule_assertion_passes_when_ssm_lists_the_preview(stubbed, integration_windows):
    client, stubber = stubbed
    window = integration_windows[0]
    _ssm_answers(stubber, window, _preview(window))
    assert schedule_differences(client, [window], after=AFTER) == []


def test_schedule_assertion_fails_when_ssm_runs_an_hour_late_or_lists_fewer_runs(stubbed, integration_windows):
    client, stubber = stubbed
    window = next(w for w in integration_windows if w.name.endswith("weekly"))
    runs = _preview(window)
    late = [runs[0][:11] + f"{int(runs[0][11:13]) + 1:02d}" + runs[0][13:], *runs[1:-1]]
    _ssm_answers(stubber, window, late)
    differences = schedule_differences(client, [window], after=AFTER)
    assert differences == [f"{window.label}: run 1: SSM {late[0]}, library {runs[0]}",
                           f"{window.label}: SSM lists {RUNS - 1} run(s), the library {RUNS}"]


def test_task_roles_reads_every_task_role(stubbed):
    client, stubber = stubbed
    arn = "arn:aws:iam::123456789012:role/Integration-ConfusedDeputyRole-ABC"
    stubber.add_response("describe_maintenance_window_tasks", {"Tasks": [
        {"WindowId": "mw-0123456789abcdef0", "WindowTaskId": "ac0c6ae1-daa3-4a89-832e-d3845EXAMPLE",
         "ServiceRoleArn": arn, "Type": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline"}]},
        {"WindowId": "mw-0123456789abcdef0"})
    assert task_roles(client, "mw-0123456789abcdef0") == [arn]


def test_is_skipped_here_with_a_reason():
    if os.environ.get("MW_CONSTRUCTS_AWS_TEST") == "1":
        pytest.skip("a real-account run")
    assert _ready().startswith("deploys to a real AWS account: set MW_CONSTRUCTS_AWS_TEST=1")
