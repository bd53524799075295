"""Deploy rehearsal (tests/support/deploy_rehearsal.py): the example apps bootstrapped, deployed and
destroyed with the pinned CDK CLI against a moto server on localhost, read back over the SSM,
IAM and CloudFormation APIs and compared with their templates. It runs in a background process
while the other tests run; the tests here read its report, and check on a small stack that the
comparison and the leftover check notice what they must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.background import ROOT, Jobs

BACKGROUND_ORDER = 5  # one of the longest jobs: start it first
CDK = ROOT / "node_modules" / ".bin" / "cdk"


def start_background_jobs(jobs: Jobs) -> None:
    if CDK.exists():
        jobs.python("deploy-rehearsal", "-m", "tests.support.deploy_rehearsal", str(jobs.scratch / "rehearsal.json"))


def _report() -> dict:
    from tests.support.background import JOBS

    if not CDK.exists():
        pytest.fail("the pinned CDK CLI is not installed: run 'npm ci' first (README, quick start)")
    done = JOBS.result("deploy-rehearsal")
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads((JOBS.scratch / "rehearsal.json").read_text())


@pytest.mark.background
def test_the_example_apps_deploy_read_back_as_synthesized_and_leave_nothing_after_destroy():
    report = _report()
    print(f"deploy rehearsal: {report['seconds']} s; {report['timings']}; {report['counts']}")
    assert report["problems"] == []
    counts = report["counts"]
    # examples/app.py: 3 stacks, 6 windows; examples/state_manager.py: 1 stack, 3 associations, 1 baseline;
    # the organization: 2 tiers x 3 Regions of 1 window each
    assert counts["stacks"] == 3 + 1 + 6 and counts["stack_instances"] == 6
    assert counts["windows"] == 6 + 6 and counts["targets"] == 6 + 6 and counts["tasks"] == 13 + 6
    assert counts["baselines"] == 3 + 1 + 6 and counts["patch_groups"] >= 4 + 6 and counts["associations"] == 3
    assert counts["roles"] == counts["tasks"]  # every task's role exists and trusts SSM


@pytest.fixture(scope="module")
def moto_server():
    from moto.server import ThreadedMotoServer

    from tests.support import moto_ssm_cloudformation
    from tests.support.deploy_rehearsal import Rehearsal, free_port

    moto_ssm_cloudformation.install()
    port = free_port()
    server = ThreadedMotoServer(ip_address="localhost", port=port, verbose=False)
    server.start()
    try:
        yield Rehearsal(port, Path("."))
    finally:
        server.stop()


def _small_template() -> dict:
    from examples import app as example_app  # examples/app.py
    from tests.support.apps import new_app

    app = new_app()
    example_app.build(app)
    return app.synth().get_stack_by_name("PatchingExample").template


def test_the_read_back_notices_a_window_task_or_role_that_differs(moto_server):
    rehearsal = moto_server
    credentials = rehearsal.credentials()
    template = _small_template()
    cloudformation = rehearsal.client("cloudformation", "eu-west-1", credentials)
    rehearsal.client("ssm", "eu-west-1", credentials).put_parameter(  # what `cdk bootstrap` leaves
        Name="/cdk-bootstrap/hnb659fds/version", Value="30", Type="String", Overwrite=True)
    cloudformation.create_stack(StackName="Compared", TemplateBody=json.dumps(template),
                                Capabilities=["CAPABILITY_NAMED_IAM"])
    rehearsal.compare_stack("Compared", template, "eu-west-1", credentials)
    assert rehearsal.problems == []

    tampered = json.loads(json.dumps(template))
    windows = [r for r in tampered["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindow"]
    windows[0]["Properties"]["Duration"] += 1
    tasks = [r for r in tampered["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindowTask"]
    tasks[0]["Properties"]["MaxErrors"] = "7"
    rehearsal.compare_stack("Compared", tampered, "eu-west-1", credentials)
    assert len(rehearsal.problems) == 2
    assert "Duration is 5 in SSM, 6 in the template" in rehearsal.problems[0]
    assert "MaxErrors is '25%' in SSM, '7' in the template" in rehearsal.problems[1]

    rehearsal.problems.clear()
    rehearsal.check_nothing_left("before delete", "eu-west-1", credentials, keep_stacks=())
    assert [p.split(":")[1].strip() for p in rehearsal.problems] == [
        "windows left after destroy", "stacks left after destroy"]
    rehearsal.problems.clear()
    cloudformation.delete_stack(StackName="Compared")
    rehearsal.check_nothing_left("after delete", "eu-west-1", credentials, keep_stacks=())
    assert rehearsal.problems == []


def test_the_read_back_notices_an_association_that_differs_or_is_left(moto_server):
    """The associations of examples/state_manager.py, deployed, read back as written; one changed
    in the template, or left after the stack, is a problem."""
    from examples import state_manager
    from tests.support.apps import new_app

    rehearsal = moto_server
    credentials = rehearsal.credentials()
    app = new_app()
    state_manager.build(app)
    template = app.synth().get_stack_by_name("PatchingStateManager").template
    cloudformation = rehearsal.client("cloudformation", "eu-west-1", credentials)
    rehearsal.client("ssm", "eu-west-1", credentials).put_parameter(
        Name="/cdk-bootstrap/hnb659fds/version", Value="30", Type="String", Overwrite=True)
    cloudformation.create_stack(StackName="Associations", TemplateBody=json.dumps(template),
                                Capabilities=["CAPABILITY_NAMED_IAM"])
    before = rehearsal.counts["associations"]
    rehearsal.compare_stack("Associations", template, "eu-west-1", credentials)
    assert rehearsal.problems == [] and rehearsal.counts["associations"] == before + 3

    tampered = json.loads(json.dumps(template))
    install = next(r for r in tampered["Resources"].values()
                   if r["Type"] == "AWS::SSM::Association" and r["Properties"].get("AssociationName") == "fleet-install")
    install["Properties"]["ScheduleExpression"] = "cron(0 4 ? * SUN *)"
    rehearsal.compare_stack("Associations", tampered, "eu-west-1", credentials)
    assert rehearsal.problems == [
        next(p for p in rehearsal.problems if "ScheduleExpression is 'cron(0 3 ? * SUN *)' in SSM" in p)]
    rehearsal.problems.clear()
    rehearsal.check_nothing_left("before delete", "eu-west-1", credentials, keep_stacks=())
    assert any("associations left after destroy" in p for p in rehearsal.problems)
    rehearsal.problems.clear()
    cloudformation.delete_stack(StackName="Associations")
    rehearsal.check_nothing_left("after delete", "eu-west-1", credentials, keep_stacks=())
    assert rehearsal.problems == []
