"""The CLI against hostile input: cloud assemblies that are broken, wrongly shaped, looping,
huge or malicious, and hostile arguments.

A cloud assembly is a folder of files anyone could have written. Whatever is in it, ``check``,
``calendar`` and ``status`` end one of two ways, never with a traceback:

* a folder that is not a readable cloud assembly (wrong JSON shapes, files outside the folder or
  not regular files, nesting that loops or is too deep, a folder with no manifest and no template)
  is refused: exit 2 and one line on stderr naming what is wrong;
* a well-formed template whose window holds values SSM would refuse (a duration of 10**400, a
  start date in year 1) is a window with a problem: ``check`` reports it as an error (exit 1),
  ``calendar`` lists it as not drawn.

Text from the files reaches the terminal and the SVG with control characters escaped.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

from mw_constructs.cli import main
from mw_constructs.readback import assembly

COMMANDS = ("check", "calendar", "status")


def window(**properties: Any) -> Dict[str, Any]:
    return {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
        "Name": "window-w", "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1,
        "AllowUnassociatedTargets": False, **properties}}


def stack_manifest(template_file: Any = "App.template.json", **artifact: Any) -> Dict[str, Any]:
    return {"version": "36.0.0", "artifacts": {"App": {
        "type": "aws:cloudformation:stack", "environment": "aws://123456789012/eu-west-1",
        "properties": {"templateFile": template_file}, **artifact}}}


def stage(directory_name: str) -> Dict[str, Any]:
    return {"version": "36.0.0", "artifacts": {"Stage": {
        "type": "cdk:cloud-assembly", "properties": {"directoryName": directory_name}}}}


def write(folder: Path, name: str, content: Any) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))


def app(template: Any, manifest: Any = None) -> Callable[[Path], None]:
    """An assembly of one stack with this template (and manifest)."""
    def build(folder: Path) -> None:
        write(folder, "manifest.json", stack_manifest() if manifest is None else manifest)
        write(folder, "App.template.json", template)
    return build


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return '{"Resources": {"W": ' + json.dumps(window())[:-1] + ', "Metadata": ' + opener * depth + closer * depth + "}}}"


def looping(folder: Path) -> None:
    write(folder, "manifest.json", stage("a"))
    write(folder / "a", "manifest.json", stage("../b"))
    (folder / "b").symlink_to(folder)


def symlink_to(target: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        write(folder, "manifest.json", stack_manifest())
        (folder / "App.template.json").symlink_to(target)
    return build


def not_a_file(folder: Path) -> None:
    write(folder, "manifest.json", stack_manifest())
    (folder / "App.template.json").mkdir()


def manifest_is_a_folder(folder: Path) -> None:
    (folder / "manifest.json").mkdir()


def binary(folder: Path) -> None:
    write(folder, "manifest.json", stack_manifest())
    (folder / "App.template.json").write_bytes(b'{"Resources": {"W": "\xff\xfe"}}')


def nothing(folder: Path) -> None:
    pass


def unrelated_files(folder: Path) -> None:
    write(folder, "notes.txt", "hello")
    write(folder, "data.json", {"a": 1})


def too_large(folder: Path) -> None:
    write(folder, "manifest.json", stack_manifest())
    write(folder, "App.template.json", {"Resources": {"W": window()}, "Padding": "x" * 2_000})


VALID = {"Resources": {"W": window()}}

#: Assemblies that are not readable cloud assemblies: each is refused with exit 2 and one line
#: saying what is wrong (the words expected in it).
REFUSED: Dict[str, tuple[Callable[[Path], None], str]] = {
    "empty folder": (nothing, "not a cloud assembly"),
    "folder of unrelated files": (unrelated_files, "not a cloud assembly"),
    "manifest is a list": (app(VALID, manifest=[]), "expected a JSON object"),
    "manifest is a string": (app(VALID, manifest="\"x\""), "expected a JSON object"),
    "manifest is not JSON": (app(VALID, manifest="{not json"), "cannot read"),
    "manifest is a folder": (manifest_is_a_folder, "not a regular file"),
    "artifacts is a list": (app(VALID, manifest={"artifacts": []}), "expected a JSON object"),
    "artifact is a string": (app(VALID, manifest={"artifacts": {"App": "stack"}}), "expected a JSON object"),
    "stack without a template file": (app(VALID, manifest=stack_manifest(properties=None)), "templateFile"),
    "template file is a number": (app(VALID, manifest=stack_manifest(template_file=7)), "templateFile"),
    "template file is a list": (app(VALID, manifest=stack_manifest(template_file=["a"])), "templateFile"),
    "template file is missing": (app(VALID, manifest=stack_manifest(template_file="Gone.template.json")), "cannot read"),
    "template file is /dev/zero": (app(VALID, manifest=stack_manifest(template_file="/dev/zero")), "outside"),
    "template file outside the folder": (app(VALID, manifest=stack_manifest(template_file="../../../etc/passwd")),
                                         "outside"),
    "template is a symlink to /dev/zero": (symlink_to("/dev/zero"), "outside"),
    "template is a folder": (not_a_file, "not a regular file"),
    "template is a list": (app([]), "expected a JSON object"),
    "template is null": (app("null"), "expected a JSON object"),
    "template is not UTF-8": (binary, "cannot read"),
    "template holds NaN": (app('{"Resources": {"W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": '
                               '{"Duration": NaN}}}}'), "cannot read"),
    "template holds Infinity": (app('{"Resources": {"W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": '
                                    '{"Duration": -Infinity}}}}'), "cannot read"),
    "template nested 100,000 levels": (app(nested(100_000)), "cannot read"),
    "template nested 100,000 objects": (app(nested(100_000, '{"a":', "}")), "cannot read"),
    "resources is a list": (app({"Resources": [window()]}), "Resources is a list"),
    "resource is a string": (app({"Resources": {"W": "window"}}), "resource 'W' is not an object"),
    "properties is a list": (app({"Resources": {"W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": []}}}),
                             "Properties that are not an object"),
    "targets is a string": (app({"Resources": {"W": window(), "T": {
        "Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {"WindowId": {"Ref": "W"}, "Targets": "web"}}}}), "App"),
    "a target is a string": (app({"Resources": {"W": window(), "T": {
        "Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {"WindowId": {"Ref": "W"}, "Targets": ["web"]}}}}),
        "App"),
    "metadata entries are strings": (app(VALID, manifest=stack_manifest(metadata={"/App/W": "x"})), "App"),
    "metadata file is /dev/zero": (app(VALID, manifest=stack_manifest(additionalMetadataFile="/dev/zero")), "outside"),
    "metadata file is a list": (lambda folder: (app(VALID, manifest=stack_manifest(additionalMetadataFile="m.json"))(folder),
                                                write(folder, "m.json", [1])), "expected a JSON object"),
    "assets manifest is a list": (lambda folder: (app(VALID)(folder), write(folder, "App.assets.json", [])),
                                  "expected a JSON object"),
    "assets entry is a string": (lambda folder: (app(VALID)(folder), write(folder, "App.assets.json", {"files": {"a": "b"}})),
                                 "App.assets.json"),
    "stage directory is '.'": (lambda folder: write(folder, "manifest.json", stage(".")), "loop"),
    "stage directory outside the folder": (lambda folder: write(folder, "manifest.json", stage("..")), "outside"),
    "stages loop through a link": (looping, "loop"),
    "stage directory is a number": (lambda folder: write(folder, "manifest.json", {"artifacts": {"S": {
        "type": "cdk:cloud-assembly", "properties": {"directoryName": 5}}}}), "directoryName"),
    "file larger than the bound": (too_large, "bytes"),
}


@pytest.fixture
def small_files(monkeypatch):
    """Files over 1,000 bytes count as too large (the real bound is 64 MiB)."""
    monkeypatch.setattr(assembly, "MAX_FILE_BYTES", 1_000)


def run(capsys, *argv: str):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_assembly_is_refused_in_one_line(capsys, tmp_path, monkeypatch, case, command):
    build, words = REFUSED[case]
    if case == "file larger than the bound":
        monkeypatch.setattr(assembly, "MAX_FILE_BYTES", 1_000)
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    build(folder)
    extra = ["-o", str(tmp_path / "c.svg")] if command == "calendar" else []
    status, out, err = run(capsys, command, str(folder), *extra)
    assert status == 2, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mw-constructs: error: "), err
    assert "internal error" not in err and "Traceback" not in err
    assert words in err, err
    assert not (tmp_path / "c.svg").exists()  # nothing written from a refused assembly


#: Well-formed windows whose values SSM would refuse: each is a problem of that window (an
#: error of `check`, "not drawn" in the calendar), never a crash.
REFUSED_VALUES: Dict[str, Dict[str, Any]] = {
    "duration 10**400": {"Duration": 10**400},
    "duration 1e400": {"Duration": "__1e400__"},
    "cutoff -10**400": {"Cutoff": -(10**400)},
    "offset 10**400": {"Schedule": "cron(0 2 ? * SUN#1 *)", "ScheduleOffset": 10**400},
    "start date is a number": {"StartDate": 10**400},
    "start date not a date": {"StartDate": "9999-99-99T00:00:00Z"},
    "end date before the start date": {"StartDate": "2025-01-02T00:00:00Z", "EndDate": "0001-01-01T00:00:00+14:00"},
    "schedule is a number": {"Schedule": 5},
    "schedule is 100,000 characters": {"Schedule": "cron(" + "1," * 50_000 + ")"},
    "schedule never runs in its years": {"Schedule": "cron(0 0 29 FEB ? 2100)"},
    "time zone is a number": {"ScheduleTimezone": 3},
    "time zone unknown": {"ScheduleTimezone": "Mars/Olympus_Mons"},
    "name with control characters": {"Name": "patch\x1b[2J\x07"},
    "description of 10,000 characters": {"Description": "d" * 10_000},
}


@pytest.mark.parametrize("case", sorted(REFUSED_VALUES))
def test_window_values_ssm_refuses_are_reported_not_crashed_on(capsys, tmp_path, case):
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    text = json.dumps({"Resources": {"W": window(**REFUSED_VALUES[case])}}).replace('"__1e400__"', "1e400")
    app(text)(folder)
    status, out, err = run(capsys, "check", str(folder), "--after", "2025-01-01T00:00:00Z")
    assert status == 1 and err == "", (out, err)
    assert "error: mw-constructs:InvalidWindow" in out
    assert "\x1b" not in out and "\x07" not in out
    status, out, err = run(capsys, "calendar", str(folder), "--start", "2025-01-06", "-o", str(tmp_path / "c.svg"))
    assert status == 0 and err == "", (out, err)
    assert "not drawn" in out
    ET.parse(tmp_path / "c.svg")  # still a well-formed document


#: Windows at the edges of time (SSM takes any ISO-8601 date): read, checked and drawn.
EDGES = {
    "start date in year 1": ({"StartDate": "0001-01-01T00:00:00Z"}, "2025-01-01"),
    "end date in year 1, east of UTC": ({"Schedule": "rate(1 day)", "EndDate": "0001-01-01T00:00:00+14:00"}, "2025-01-01"),
    "start date at the very end": ({"Schedule": "rate(5 minutes)", "StartDate": "9999-12-31T23:59:59-12:00"}, "9998-12-01"),
    "at in year 9999": ({"Schedule": "at(9999-12-31T23:59:59)"}, "9998-12-01"),
    "at in year 1": ({"Schedule": "at(0001-01-01T00:00:00)"}, "2025-01-01"),
    "rate starting near the end": ({"Schedule": "rate(5 minutes)", "StartDate": "9998-11-30T00:00:00Z"}, "9998-11-30"),
    "cron near the end": ({"Schedule": "cron(0 2 ? * * *)", "ScheduleTimezone": "Pacific/Kiritimati"}, "9998-11-30"),
}


@pytest.mark.parametrize("case", sorted(EDGES))
def test_windows_at_the_ends_of_time_are_checked_and_drawn(capsys, tmp_path, case):
    properties, after = EDGES[case]
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    app({"Resources": {"W": window(**properties)}})(folder)
    for argv in (("check", "--after", f"{after}T00:00:00Z"),
                 ("calendar", "--start", after, "--weeks", "53", "-o", str(tmp_path / "c.svg"))):
        status, out, err = run(capsys, argv[0], str(folder), *argv[1:])
        assert status in (0, 1) and err == "", (argv, out, err)
        assert "InvalidWindow" not in out  # a legal window, whatever its dates


@pytest.mark.parametrize("moment", ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00+01:00", "1969-12-31T23:59:59Z"])
@pytest.mark.parametrize("command", ["check", "calendar", "preview"])
def test_moments_beyond_what_the_commands_can_look_at_are_refused(capsys, command, moment):
    option = "--start" if command == "calendar" else "--after"
    first = ["cron(0 2 ? * * *)"] if command == "preview" else []
    with pytest.raises(SystemExit) as exited:
        main([command, *first, option, moment])
    assert exited.value.code == 2
    assert "outside 1970-01-01 to 9998-12-01" in capsys.readouterr().err


def test_control_characters_in_names_never_reach_the_terminal_or_the_svg(capsys, tmp_path):
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    hostile = "evil\x1b]0;owned\x07\x1b[2J\u202e\x00\x0b"
    app({"Resources": {"W": window(Name=hostile)}})(folder)
    for argv in (("check",), ("calendar", "--start", "2025-01-06", "-o", str(tmp_path / "c.svg"))):
        status, out, err = run(capsys, argv[0], str(folder), *argv[1:])
        assert not any(c in out + err for c in "\x1b\x07\u202e\x00\x0b"), (out, err)
    svg = (tmp_path / "c.svg").read_text()
    ET.fromstring(svg)  # the document parses: no character XML forbids
    assert "\x1b" not in svg and "\x00" not in svg


def test_unwritable_output_is_one_line(capsys, tmp_path):
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    app(VALID)(folder)
    for target in (tmp_path / "missing" / "c.svg", tmp_path):
        status, out, err = run(capsys, "calendar", str(folder), "-o", str(target))
        assert status == 2 and len(err.splitlines()) == 1 and "internal error" not in err, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_output_folder_is_one_line(capsys, tmp_path):
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    app(VALID)(folder)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    status, _, err = run(capsys, "calendar", str(folder), "-o", str(locked / "c.svg"))
    assert status == 2 and "Permission denied" in err and len(err.splitlines()) == 1


def test_a_valid_assembly_beside_the_cases_still_passes(capsys, tmp_path):
    """The refusals come from the hostile parts: the same assembly without them is read."""
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    app(VALID)(folder)
    status, out, err = run(capsys, "check", str(folder))
    assert status == 0 and "1 window(s) checked" in out and err == ""


def test_unexpected_errors_are_one_line_unless_debugging(capsys, tmp_path, monkeypatch):
    """The last line of defence: an error no rule foresaw is one line too (and the traceback
    with MW_CONSTRUCTS_DEBUG=1)."""
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    app(VALID)(folder)
    from mw_constructs.cli import commands

    def broken(*_: Any, **__: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(commands, "analyse", broken)
    monkeypatch.delenv("MW_CONSTRUCTS_DEBUG", raising=False)
    status, _, err = run(capsys, "check", str(folder))
    assert status == 2 and err.startswith("mw-constructs: error: internal error (ZeroDivisionError: boom)")
    monkeypatch.setenv("MW_CONSTRUCTS_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["check", str(folder)])


#: Hostile arguments to ``preview``: each is exit 2 and one line.
PREVIEW: Dict[str, tuple[str, ...]] = {
    "control characters": ("cron(0 2 ? * SUN *)\x1b[2J",),
    "100,000 characters": ("cron(" + "1," * 50_000 + ")",),
    "count 10**400": ("cron(0 2 ? * SUN *)", "--count", str(10**400)),
    "after year 10000": ("cron(0 2 ? * SUN *)", "--after", "10000-01-01T00:00:00Z"),
    "offset 10**400": ("cron(0 2 ? * SUN#1 *)", "--offset", str(10**400)),
    "duration 10**400": ("cron(0 2 ? * SUN *)", "--duration", str(10**400)),
    "lone surrogate": ("cron(0 2 ? * SUN \ud800)",),
    "unknown zone with escapes": ("cron(0 2 ? * SUN *)", "--time-zone", "\x1b[31mEurope/X"),
}


@pytest.mark.parametrize("case", sorted(PREVIEW))
def test_hostile_preview_arguments_are_one_line(capsys, case):
    with pytest.raises(SystemExit) as exited:  # argparse's own errors exit 2 themselves
        raise SystemExit(main(list(("preview",) + PREVIEW[case])))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in err, err
    assert last.startswith("mw-constructs") or "error:" in last, err


@pytest.mark.parametrize("after", ["9998-12-01T00:00:00Z", "1970-01-01T00:00:00Z"])
def test_preview_at_the_ends_of_time(capsys, after):
    status, out, err = run(capsys, "preview", "cron(0 2 ? * * *)", "--after", after, "--count", "5")
    assert status == 0 and err == "", err
