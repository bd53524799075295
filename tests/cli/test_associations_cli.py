"""The CLI and State Manager (issue 23): preview an association's schedule, list and draw the
associations of an assembly, and check them (their schedules, and the coexistence rules) as the
constructs do."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mw_constructs.cli import main
from tests.cli.test_cli import target_resource, window_resource, write_assembly
from tests.support.apps import new_app


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def association_resource(expression=None, group="web", operation="Scan", **extra):
    properties = {"Name": "AWS-RunPatchBaseline", "Parameters": {"Operation": [operation]},
                  "Targets": [{"Key": "tag:Patch Group", "Values": [group]}], **extra}
    if expression is not None:
        properties["ScheduleExpression"] = expression
    return {"Type": "AWS::SSM::Association", "Properties": properties}


def install_task(window, target):
    return {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
        "WindowId": {"Ref": window}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline", "Priority": 1,
        "MaxConcurrency": "1", "MaxErrors": "1", "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": target}]}],
        "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {"Parameters": {"Operation": ["Install"]}}}}}


# ------------------------------------------------------------------ preview


def test_preview_an_association_in_utc_with_its_creation_run(capsys):
    status, out, _ = run(capsys, "preview", "cron(0 0 ? * THU#2 *)", "--association", "--offset", "3",
                         "--at-cron-interval-only", "--after", "2024-01-01T00:00:00Z", "--count", "2")
    assert status == 0
    assert "association cron(0 0 ? * THU#2 *) (monthly, THU #2) in UTC, 3 day(s) after each match" in out
    assert "Sun 2024-01-14 00:00 UTC" in out and "Sun 2024-02-11 00:00 UTC" in out
    assert "not when created" in out
    status, out, _ = run(capsys, "preview", "rate(1 day)", "--association", "--after", "2024-01-01T00:00:00Z", "--count", "1")
    assert status == 0 and "also runs as soon as it is created" in out and "Tue 2024-01-02 00:00 UTC" in out


@pytest.mark.parametrize("argv, expected", [
    (["cron(0 0/3 * * ? *)", "--association"], "[AssociationCronUnsupported]"),
    (["rate(10 minutes)", "--association"], "[AssociationRateOutOfRange]"),
    (["rate(1 day)", "--association", "--at-cron-interval-only"], "[ApplyOnlyAtCronIntervalWithRate]"),
    (["cron(0 0 ? * THU#2 *)", "--association", "--offset", "2"], "[ScheduleOffsetNeedsCronInterval]"),
    (["cron(0 2 ? * SUN *)", "--association", "--time-zone", "Europe/Paris"], "--time-zone does not apply"),
    (["cron(0 2 ? * SUN *)", "--association", "--duration", "3", "--cutoff", "1"], "--duration, --cutoff do not apply"),
    (["cron(0 2 ? * SUN *)", "--at-cron-interval-only"], "--at-cron-interval-only is for --association"),
])
def test_fails_when_an_association_preview_is_what_state_manager_refuses(capsys, argv, expected):
    status, out, err = run(capsys, "preview", *argv)
    assert status == 2 and expected in err and len(err.strip().splitlines()) == 1 and out == ""


# ------------------------------------------------------------------ calendar and check of an assembly


def test_the_state_manager_example_is_listed_drawn_and_checked_clean(capsys, tmp_path):
    from examples import state_manager

    app = new_app()
    state_manager.build(app)
    directory = Path(app.synth().directory)
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0 and "0 window(s), 3 association(s), 1 patch policy checked: 0 error(s), 0 warning(s)" in out
    svg = tmp_path / "calendar.svg"
    status, out, _ = run(capsys, "calendar", str(directory), "--start", "2026-12-07", "--weeks", "2", "-o", str(svg))
    assert status == 0 and "0 window(s) and 3 association(s)" in out
    assert "association cron(0 3 ? * SUN *) (weekly) UTC" in out and "Sun 2026-12-13 03:00 UTC" in out
    assert "association rate(14 days) (rate) UTC; also when created" in out
    marks = [rect for rect in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}rect")
             if rect.get("class") == "run"]
    assert len(marks) == 14 + 2  # daily scan, Sunday install; the agent's next update is 14 days after creation
    assert "wrote" in out and "3 association(s), 16 run(s)" in out


def test_fails_when_check_passes_a_window_and_an_association_on_one_patch_group(capsys, tmp_path):
    directory = write_assembly(tmp_path, {
        "Window": window_resource("cron(0 2 ? * SUN *)", 3), "Target": target_resource("Window", "web"),
        "Task": install_task("Window", "Target"), "Scan": association_resource("cron(0 1 ? * * *)")})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0 and "warning: mw-constructs:PatchedByWindowAndAssociation [Demo/Scan]" in out
    assert "both patch patch group web" in out
    status, _, _ = run(capsys, "check", str(directory), "--strict")
    assert status == 1


def test_fails_when_check_passes_an_association_schedule_state_manager_refuses(capsys, tmp_path):
    directory = write_assembly(tmp_path, {
        "Every3h": association_resource("cron(0 0/3 * * ? *)"),
        "RateAtInterval": association_resource("rate(1 day)", group="db", ApplyOnlyAtCronInterval=True),
        "Offset": association_resource("cron(0 0 ? * THU#2 *)", group="app", ScheduleOffset=2)})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 1 and out.count("error: mw-constructs:InvalidAssociation") == 3
    assert "[AssociationCronUnsupported]" in out and "[ApplyOnlyAtCronIntervalWithRate]" in out
    assert "[ScheduleOffsetNeedsCronInterval]" in out and "3 error(s)" in out


def test_check_reads_patch_policies_and_two_scans(capsys, tmp_path):
    policy = {"Type": "AWS::SSMQuickSetup::ConfigurationManager", "Properties": {"ConfigurationDefinitions": [{
        "Type": "AWSQuickSetupType-PatchPolicy", "Parameters": {
            "PatchPolicyName": "fleet", "TargetRegions": "eu-west-1", "TargetAccounts": {"Ref": "AWS::AccountId"},
            "TargetType": "*"}}]}}
    directory = write_assembly(tmp_path, {
        "Window": window_resource("cron(0 2 ? * SUN *)", 3), "Target": target_resource("Window", "web"),
        "Task": install_task("Window", "Target"), "Policy": policy,
        "ScanA": association_resource("cron(0 1 ? * * *)", group="db"),
        "ScanB": association_resource("cron(0 5 ? * * *)", group="db")})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0
    assert "warning: mw-constructs:PatchPolicyWithWindows [Demo/Policy]" in out
    assert "warning: mw-constructs:PatchedByTwoAssociations [Demo/ScanB]" in out
    assert "2 warning(s)" in out


def test_fails_when_an_association_template_is_hostile_in_one_line(capsys, tmp_path):
    directory = write_assembly(tmp_path, {"Bad": {"Type": "AWS::SSM::Association", "Properties": {
        "Name": "AWS-RunPatchBaseline", "ScheduleExpression": {"Fn::Nope": []}, "Targets": "everything",
        "Parameters": {"Operation": 5}}}})
    status, out, err = run(capsys, "check", str(directory))
    assert status == 0 and "1 association(s) checked" in out.replace("0 window(s), ", "") and err == ""
    (directory / "Demo.template.json").write_text(json.dumps({"Resources": {"Bad": {"Type": "AWS::SSM::Association",
                                                                                    "Properties": []}}}))
    status, _, err = run(capsys, "check", str(directory))
    assert status == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("resource", [
    {"Type": "AWS::SSM::Association", "Properties": {"Name": {"Ref": "Doc"}, "Parameters": [], "Targets": {}}},
    {"Type": "AWS::SSM::Association", "Properties": {"ScheduleExpression": "cron(" + "0 " * 5000 + ")"}},
    {"Type": "AWS::SSM::Association", "Properties": {"ScheduleExpression": "rate(1 day)", "ScheduleOffset": "2",
                                                     "ApplyOnlyAtCronInterval": "yes"}},
    {"Type": "AWS::SSMQuickSetup::ConfigurationManager", "Properties": {"ConfigurationDefinitions": "all"}},
    {"Type": "AWS::SSMQuickSetup::ConfigurationManager", "Properties": {"ConfigurationDefinitions": [
        {"Type": "AWSQuickSetupType-PatchPolicy", "Parameters": []}]}},
    {"Type": "AWS::SSMQuickSetup::ConfigurationManager", "Properties": {"ConfigurationDefinitions": [
        {"Type": "AWSQuickSetupType-PatchPolicy", "Parameters": {"TargetRegions": 5, "TargetAccounts": ["x"]}}]}},
])
def test_hostile_association_and_policy_resources_end_in_one_line_or_a_clean_result(capsys, tmp_path, resource):
    directory = write_assembly(tmp_path, {"Subject": resource})
    for command in ("check", "calendar"):
        status, out, err = run(capsys, command, str(directory))
        assert status in (0, 1, 2), (command, status)
        assert "Traceback" not in out + err and "internal error" not in err
        assert status != 2 or len(err.strip().splitlines()) == 1
