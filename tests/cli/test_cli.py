"""The mw-constructs command line: preview, calendar, check, and bad arguments."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from examples import app as example_app
from mw_constructs import WindowSchedule
from mw_constructs.cli import main
from mw_constructs.cli.svg import LEFT, RIGHT, WIDTH
from tests.support import ROOT
from tests.support.apps import new_app

AMS = ZoneInfo("Europe/Amsterdam")
SVG = "{http://www.w3.org/2000/svg}"
DOCS_CALENDAR_ARGS = ["--weeks", "4", "--start", "2025-12-01", "--time-zone", "Europe/Amsterdam"]


@pytest.fixture(scope="module")
def cdk_out():
    """The example app synthesized into a directory, as `cdk synth` would."""
    app = new_app()
    example_app.build(app)
    return Path(app.synth().directory)


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ------------------------------------------------------------------ preview


def test_preview_prints_opens_last_task_start_and_closes_in_zone_and_utc(capsys):
    status, out, _ = run(capsys, "preview", "cron(0 22 ? * MON-FRI *)", "--time-zone", "Europe/Amsterdam",
                         "--duration", "5", "--cutoff", "1", "--count", "10", "--after", "2025-10-20T00:00:00Z")
    assert status == 0
    lines = out.splitlines()
    assert "opens (Europe/Amsterdam)" in lines[3] and "closes (UTC)" in lines[3]
    rows = [line.split() for line in lines[4:14]]
    assert len(rows) == 10
    assert rows[0][:9] == ["1", "Mon", "2025-10-20", "22:00", "CEST", "Tue", "02:00", "CEST", "Tue"]
    assert rows[5][1:5] == ["Mon", "2025-10-27", "22:00", "CET"]  # after the switch to winter time
    assert rows[0][-7:] == ["Mon", "2025-10-20", "20:00", "Tue", "00:00", "Tue", "01:00"]  # UTC+2
    assert rows[5][-7:] == ["Mon", "2025-10-27", "21:00", "Tue", "01:00", "Tue", "02:00"]  # UTC+1


def test_preview_marks_skipped_runs(capsys):
    status, out, _ = run(capsys, "preview", "cron(0 0-5 ? * THU#1 *)", "--duration", "6", "--count", "3",
                         "--after", "2024-01-01T00:00:00Z")
    assert status == 0 and out.count("may be skipped: the previous run may still be going") == 2


def test_fails_when_preview_says_starts_never_run(capsys):
    """Issue 20: AWS's own example runs rate(5 minutes) 'for up to two hours (as needed)'; a start is
    skipped only while the previous execution is still running, so the preview says 'may'."""
    status, out, _ = run(capsys, "preview", "rate(5 minutes)", "--duration", "2", "--cutoff", "1", "--count", "30",
                         "--after", "2024-01-01T00:00:00Z")
    assert status == 0 and "never run" not in out and "may be skipped" in out


def test_preview_with_offset(capsys):
    status, out, _ = run(capsys, "preview", "cron(30 23 ? * TUE#3 *)", "--offset", "2", "--count", "3",
                         "--after", "2024-01-01T00:00:00Z")
    assert status == 0
    assert [line.split()[2] for line in out.splitlines()[4:7]] == ["2024-01-18", "2024-02-22", "2024-03-21"]


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["preview", "cron(0 2 * * SUN *)"], "CronDaysConflict"),
        (["preview", "cron(0 2 ? * SUN *)", "--duration", "2", "--cutoff", "2"], "CutoffNotBelowDuration"),
        (["preview", "rate(1 day)", "--offset", "2"], "ScheduleOffsetNotCron"),
    ],
)
def test_preview_reports_invalid_schedules_without_a_traceback(capsys, argv, expected):
    status, out, err = run(capsys, *argv)
    assert status == 2 and expected in err and "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["preview", "cron(0 2 ? * SUN *)", "--time-zone", "Mars/Olympus"], "unknown IANA time zone"),
        (["preview", "cron(0 2 ? * SUN *)", "--count", "ten"], "not a whole number"),
        (["preview", "cron(0 2 ? * SUN *)", "--after", "yesterday"], "not an ISO-8601"),
        (["calendar", "--weeks", "0"], "not between 1 and 53"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(capsys, argv, expected):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["preview"], ["calendar"], ["check"]])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        main(command + ["--help"])
    assert exit_info.value.code == 0
    assert "usage: mw-constructs" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "preview" in capsys.readouterr().out


def test_cli_does_not_import_aws_cdk():
    code = ("import sys\nfrom mw_constructs.cli import main\n"
            "main(['preview', 'cron(0 2 ? * SUN *)', '--count', '1'])\n"
            "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_installed_console_script_runs():
    script = Path(sys.executable).with_name("mw-constructs")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    result = subprocess.run([str(script), "preview", "rate(7 days)", "--count", "2"], capture_output=True, text=True)
    assert result.returncode == 0 and "rate(7 days)" in result.stdout


# ------------------------------------------------------------------ calendar


def test_calendar_lists_windows_and_draws_one_bar_per_run_at_the_right_place(capsys, cdk_out, tmp_path):
    output = tmp_path / "calendar.svg"
    status, out, _ = run(capsys, "calendar", str(cdk_out), "--weeks", "2", "--start", "2025-12-01",
                         "--time-zone", "Europe/Amsterdam", "-o", str(output))
    assert status == 0 and "PatchingExample/NonProduction\n  Mon-Fri 22:00-03:00 (+1 day)" in out and f"wrote {output}" in out
    start = datetime(2025, 12, 1, tzinfo=AMS)
    end = start + timedelta(weeks=2)
    bars = ET.parse(output).getroot().findall(f".//{SVG}rect[@class='run']")
    by_window = {}
    for bar in bars:
        by_window.setdefault(bar.get("data-window"), []).append(bar)
    weekday_nights = WindowSchedule.expression("cron(0 22 ? * MON-FRI *)", time_zone="Europe/Amsterdam")
    weekend_mornings = WindowSchedule.expression("cron(0 6 ? * SAT,SUN *)", time_zone="Europe/Amsterdam")
    sunday_night = WindowSchedule.expression("cron(0 1 ? * SUN *)", time_zone="Europe/Amsterdam")
    assert len(by_window) == 6
    for label, window_bars in by_window.items():
        weekdays = any(word in label for word in ("NonProduction", "Development", "TestWindow"))
        schedule = sunday_night if "AppWindow" in label else weekday_nights if weekdays else weekend_mornings
        hours = 4 if "AppWindow" in label else 5
        runs = schedule.next_runs(100, after=start - timedelta(microseconds=1), before=end)
        assert len(window_bars) == len(runs)  # one bar per run
        axis = WIDTH - LEFT - RIGHT
        for bar, opens in zip(window_bars, runs):
            assert datetime.fromisoformat(bar.get("data-opens")) == opens
            x = LEFT + (opens - start).total_seconds() / (end - start).total_seconds() * axis
            assert float(bar.get("x")) == pytest.approx(x, abs=0.01)
            assert float(bar.get("width")) == pytest.approx(hours / (14 * 24) * axis, abs=0.01)  # the duration


def test_calendar_highlights_overlaps_and_skips(capsys, tmp_path):
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    template = {"Resources": {
        "A": window_resource("cron(0 2 ? * SUN *)", 4, name="a"), "B": window_resource("cron(0 4 ? * SUN *)", 2, name="b"),
        "C": window_resource("cron(0 0-5 ? * THU#1 *)", 6, name="c"),
        "TA": target_resource("A", "web"), "TB": target_resource("B", "web"),
    }}
    (directory / "Demo.template.json").write_text(json.dumps(template))
    output = tmp_path / "c.svg"
    assert main(["calendar", str(directory), "--weeks", "5", "--start", "2024-01-01", "-o", str(output)]) == 0
    root = ET.parse(output).getroot()
    assert len(root.findall(f".//{SVG}rect[@class='run overlap']")) == 10  # 5 Sundays x 2 windows
    assert len(root.findall(f".//{SVG}rect[@class='run skipped']")) == 10  # 01:00-05:00 on 4 Jan and 1 Feb


def test_calendar_computes_the_runs_of_one_schedule_once_and_marks_each_window(capsys, tmp_path, monkeypatch):
    """Issue 25: windows with the same schedule and spans share their runs (5,000 rate(5 minutes)
    windows: 4.9 s and 352 MB before, 0.9 s and 51 MB after); each window is still drawn and
    marked on its own."""
    from mw_constructs.cli import commands

    calls = []
    original = commands.window_runs
    monkeypatch.setattr(commands, "window_runs", lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs))
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    template = {"Resources": {
        "A": window_resource("cron(0 2 ? * SUN *)", 4, name="a"), "A2": window_resource("cron(0 2 ? * SUN *)", 4, name="a2"),
        "B": window_resource("cron(0 2 ? * MON *)", 2, name="b"),
        "TA": target_resource("A", "web"), "TA2": target_resource("A2", "web"), "TB": target_resource("B", "web"),
    }}
    (directory / "Demo.template.json").write_text(json.dumps(template))
    output = tmp_path / "c.svg"
    assert main(["calendar", str(directory), "--weeks", "2", "--start", "2024-01-01", "-o", str(output)]) == 0
    assert len(calls) == 2
    root = ET.parse(output).getroot()
    assert len(root.findall(f".//{SVG}rect[@class='run overlap']")) == 4  # 2 Sundays x a and a2
    assert len(root.findall(f".//{SVG}rect[@class='run']")) == 2  # b's Mondays, alone


def test_calendar_draws_a_window_with_too_many_runs_as_one_band(capsys, tmp_path):
    """A rate(5 minutes) window has 8,064 runs in four weeks: one band from its first opening, and
    a window of a few runs beside it still drawn run by run."""
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    template = {"Resources": {
        "Dense": window_resource("rate(5 minutes)", 2, name="dense", StartDate="2024-01-01T00:10:00Z"),
        "Other": window_resource("rate(5 minutes)", 2, name="other", StartDate="2024-01-01T00:00:00Z"),
        "Weekly": window_resource("cron(0 2 ? * SUN *)", 3, name="weekly"),
        "TD": target_resource("Dense", "web"), "TO": target_resource("Other", "web"),
    }}
    (directory / "Demo.template.json").write_text(json.dumps(template))
    output = tmp_path / "c.svg"
    status, out, _ = run(capsys, "calendar", str(directory), "--weeks", "4", "--start", "2024-01-08", "-o", str(output))
    assert status == 0
    assert "over 234 more: drawn as one band until Mon 2024-02-05 00:00 UTC" in out
    assert "2 row(s) with too many runs to draw one by one drawn as bands" in out
    root = ET.parse(output).getroot()
    bands = root.findall(f".//{SVG}rect[@class='run dense overlap']")  # both on patch group web, open together
    assert sorted(band.get("data-window") for band in bands) == ["dense", "other"]
    assert all(float(band.get("x")) == LEFT and float(band.get("width")) == WIDTH - LEFT - RIGHT for band in bands)
    assert len(root.findall(f".//{SVG}rect[@class='run']")) == 4  # the weekly window: four Sundays
    assert "more runs than can be drawn one by one" in ET.tostring(root, encoding="unicode")  # the legend says so


def test_calendar_band_ends_with_the_schedule(capsys, tmp_path):
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    template = {"Resources": {"Dense": window_resource("rate(5 minutes)", 2, name="dense",
                                                      StartDate="2024-01-01T00:00:00Z", EndDate="2024-01-15T00:00:00Z")}}
    (directory / "Demo.template.json").write_text(json.dumps(template))
    output = tmp_path / "c.svg"
    status, out, _ = run(capsys, "calendar", str(directory), "--weeks", "4", "--start", "2024-01-08", "-o", str(output))
    assert status == 0 and "drawn as one band until Mon 2024-01-15 00:00 UTC" in out
    band = ET.parse(output).getroot().find(f".//{SVG}rect[@class='run dense']")
    assert band is not None and float(band.get("width")) == pytest.approx((WIDTH - LEFT - RIGHT) / 4)


def test_calendar_without_an_assembly_is_an_error(capsys, tmp_path):
    status, _, err = run(capsys, "calendar", str(tmp_path / "missing"))
    assert status == 2 and "run 'cdk synth' first" in err


def test_docs_calendar_is_up_to_date(capsys, cdk_out, tmp_path):
    output = tmp_path / "calendar.svg"
    assert main(["calendar", str(cdk_out), *DOCS_CALENDAR_ARGS, "-o", str(output)]) == 0
    assert output.read_text() == (ROOT / "docs" / "calendar.svg").read_text(), (
        "docs/calendar.svg is stale: regenerate it with the command in the README")


# ------------------------------------------------------------------ check


def window_resource(expression, duration, cutoff=1, name="window", **extra):
    properties = {"Name": name, "Schedule": expression, "Duration": duration,
                  "Cutoff": cutoff, "AllowUnassociatedTargets": False, **extra}
    return {"Type": "AWS::SSM::MaintenanceWindow", "Properties": properties}


def target_resource(window, group):
    return {"Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {
        "WindowId": {"Ref": window}, "ResourceType": "INSTANCE",
        "Targets": [{"Key": "tag:Patch Group", "Values": [group]}]}}


def write_assembly(tmp_path, resources):
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    (directory / "Demo.template.json").write_text(json.dumps({"Resources": resources}))
    return directory


def test_check_passes_the_example_app(capsys, cdk_out):
    status, out, _ = run(capsys, "check", str(cdk_out), "--after", "2025-01-01T00:00:00Z")
    assert status == 0 and "6 window(s) checked: 0 error(s), 0 warning(s)" in out


def test_check_reports_warnings_and_exits_0_unless_strict(capsys, tmp_path):
    directory = write_assembly(tmp_path, {"W": window_resource("cron(0 0-5 ? * THU#1 *)", 6)})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0 and "warning: mw-constructs:OverlappingStarts" in out
    assert main(["check", str(directory), "--strict"]) == 1


def test_check_reports_invalid_hand_written_windows_as_errors(capsys, tmp_path):
    directory = write_assembly(tmp_path, {
        "Bad": window_resource("cron(0 2 * * SUN *)", 3),
        "Cut": window_resource("cron(0 2 ? * SUN *)", 2, cutoff=2),
        "Zone": window_resource("cron(0 2 ? * SUN *)", 2, ScheduleTimezone="Europe/Amsterdm"),
    })
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 1
    assert out.count("error: mw-constructs:InvalidWindow") == 3
    assert "CronDaysConflict" in out and "CutoffNotBelowDuration" in out and "UnknownTimeZone" in out


def test_check_finds_production_before_non_production_by_name(capsys, tmp_path):
    directory = write_assembly(tmp_path, {
        "TestWindow": window_resource("cron(0 2 ? * SUN#1 *)", 3, name="app-test-window"),
        "ProdWindow": window_resource("cron(0 2 ? * TUE#1 *)", 3, name="app-prod-window"),
    })
    status, out, _ = run(capsys, "check", str(directory), "--after", "2025-01-01T00:00:00Z")
    assert status == 0 and "mw-constructs:ProductionBeforeNonProduction [app-prod-window]" in out


def test_check_skips_windows_with_deploy_time_values(capsys, tmp_path):
    directory = write_assembly(tmp_path, {"W": window_resource({"Ref": "Schedule"}, 3)})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0 and "1 window(s) checked: 0 error(s), 0 warning(s)" in out


def test_check_reads_a_manifest_with_nested_assemblies(capsys, tmp_path):
    directory = tmp_path / "cdk.out"
    nested = directory / "assembly-Prod"
    nested.mkdir(parents=True)
    (nested / "Prod-Stack.template.json").write_text(json.dumps({"Resources": {"W": window_resource("cron(0 0-5 ? * THU#1 *)", 6)}}))
    (nested / "manifest.json").write_text(json.dumps({"artifacts": {"ProdStack": {
        "type": "aws:cloudformation:stack", "properties": {"templateFile": "Prod-Stack.template.json"}}}}))
    (directory / "manifest.json").write_text(json.dumps({"artifacts": {"assembly-Prod": {
        "type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}))
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 0 and "OverlappingStarts" in out


def test_check_reports_an_unreadable_template(capsys, tmp_path):
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    (directory / "Broken.template.json").write_text("{not json")
    status, _, err = run(capsys, "check", str(directory))
    assert status == 2 and "cannot read" in err


def test_check_reports_every_problem_of_a_window_not_just_the_first(capsys, tmp_path):
    """Issue 8: check stopped at the first problem of each window."""
    directory = write_assembly(tmp_path, {"Bad": window_resource(
        "cron(0 2 * * SUN *)", 25, cutoff=30, ScheduleTimezone="Europe/Amsterdm")})
    status, out, _ = run(capsys, "check", str(directory))
    assert status == 1
    assert out.count("error: mw-constructs:InvalidWindow") == 4
    for code in ("CronDaysConflict", "DurationRange", "CutoffRange", "UnknownTimeZone"):
        assert code in out


def _acknowledged_app(tmp_path, acknowledge: bool) -> Path:
    from aws_cdk import Annotations as CdkAnnotations
    from aws_cdk import Duration, Stack

    from mw_constructs import PatchingWindow

    app = new_app()
    stack = Stack(app, "Acked")
    window = PatchingWindow(stack, "Night", schedule=WindowSchedule.expression("cron(0 0-5 ? * THU#1 *)"),
                            duration=Duration.hours(6), cutoff=Duration.hours(1))
    if acknowledge:
        CdkAnnotations.of(window).acknowledge_warning("mw-constructs:OverlappingStarts", "we want hourly starts")
    return Path(app.synth(force=True).directory)


def test_check_strict_honours_warnings_the_app_acknowledged(capsys, tmp_path):
    """Issue 8: cdk synth was quiet about an acknowledged warning but check --strict failed on it."""
    status, out, _ = run(capsys, "check", str(_acknowledged_app(tmp_path, acknowledge=True)), "--strict")
    assert status == 0 and "0 warning(s)" in out and "OverlappingStarts" not in out


def test_check_strict_fails_on_the_same_warning_unacknowledged(capsys, tmp_path):
    status, out, _ = run(capsys, "check", str(_acknowledged_app(tmp_path, acknowledge=False)), "--strict")
    assert status == 1 and "mw-constructs:OverlappingStarts [Acked/Night]" in out


def test_calendar_writes_no_file_without_output(capsys, cdk_out, tmp_path, monkeypatch):
    """Issue 8: calendar wrote an SVG into the current directory unasked."""
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "calendar", str(cdk_out), "--weeks", "1", "--start", "2025-12-01")
    assert status == 0 and "wrote" not in out
    assert list(tmp_path.iterdir()) == []


def test_calendar_labels_rows_with_construct_paths_and_readable_hours(capsys, cdk_out, tmp_path):
    output = tmp_path / "calendar.svg"
    assert main(["calendar", str(cdk_out), *DOCS_CALENDAR_ARGS, "-o", str(output)]) == 0
    root = ET.parse(output).getroot()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "PatchingExample/NonProduction" in texts and "PatchingExample/Production" in texts
    assert not any("PatchingExampleNonProduction" in text for text in texts), "no logical ids"
    assert any(text.startswith("Mon-Fri 22:00-03:00 (+1 day)") for text in texts), texts


def test_calendar_labels_stay_inside_the_picture(capsys, tmp_path):
    """Issue 8: the label of a run near the right edge was clipped."""
    directory = write_assembly(tmp_path, {"Late": window_resource("cron(0 22 ? * SUN *)", 5, name="late-sunday")})
    output = tmp_path / "c.svg"
    # 8 weeks from a Tuesday: the last Monday's week label starts 34 px from the right edge
    assert main(["calendar", str(directory), "--weeks", "8", "--start", "2024-01-02", "-o", str(output)]) == 0
    root = ET.parse(output).getroot()
    width = float(root.get("width"))
    for text in root.iter(f"{SVG}text"):
        x = float(text.get("x"))
        anchor = text.get("text-anchor", "start")
        estimate = 6.6 * len(text.text or "")  # an 11 px bold sans-serif character, at most
        right = x + estimate if anchor == "start" else x + estimate / 2 if anchor == "middle" else x
        assert right <= width, f"{text.text!r} at x={x} ({anchor}) runs past the picture's width {width}"


def test_version_option_prints_the_version(capsys):
    from mw_constructs import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"mw-constructs {__version__}"


def test_calendar_keeps_the_region_of_a_long_label_and_fits_the_title():
    """Issue 24, point 7: a StackSet copy's label was cut right before its [region], so the copies
    could not be told apart, and a long title ran off the canvas."""
    from mw_constructs.cli.svg import TITLE_CHARACTERS, _shorten

    label = "OrganizationPatching/NonProductionPatching/PatchingTemplate/Window [ap-southeast-2]"
    short = _shorten(label, 44)
    assert len(short) == 44 and short.endswith("… [ap-southeast-2]") and short.startswith("OrganizationPatching/")
    assert _shorten("no region but a very long label that goes on and on", 20) == "no region but a ver…"
    assert len(_shorten("Maintenance windows of " + ", ".join(f"Stack{n}" for n in range(80)), TITLE_CHARACTERS)) \
        == TITLE_CHARACTERS


def test_calendar_says_many_starts_are_in_the_period(capsys, tmp_path):
    directory = tmp_path / "cdk.out"
    directory.mkdir()
    (directory / "Demo.template.json").write_text(json.dumps({"Resources": {
        "Hourly": window_resource("cron(0 * ? * * *)", 1, 0)}}))
    status, out, _ = run(capsys, "calendar", str(directory), "--start", "2026-12-07", "--weeks", "1")
    assert status == 0 and "168 starts in the period, first 00:00-01:00" in out
