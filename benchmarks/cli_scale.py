"""The CLI at scale: ``check`` and ``calendar`` over a cloud assembly of thousands of windows.

    python -m benchmarks.cli_scale [windows] [schedule]

Writes an assembly with ``windows`` windows (default 5,000), all on one patch group, each with
``schedule`` (default a weekly cron; ``"rate(5 minutes)"`` for the densest), runs
``mw-constructs check`` and ``mw-constructs calendar -o`` on it in a fresh process each, and
prints the wall time and peak memory of each run (issue 21 asks for 5,000 windows of one patch
group checked in under 5 s and 500 MB, and the calendar of 5,000 rate(5 minutes) windows in under
10 s and 1 GB).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Tuple


def write_assembly(directory: Path, windows: int, schedule: str, group: str = "web") -> None:
    """A cloud assembly of one stack holding ``windows`` windows and a patch-group target each."""
    resources: Dict[str, object] = {}
    for index in range(windows):
        hour, day = index % 24, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")[index % 7]
        expression = schedule.format(hour=hour, day=day)
        resources[f"Window{index}"] = {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": f"window-{index}", "Schedule": expression, "StartDate": "2025-01-01T00:00:00Z", "Duration": 2, "Cutoff": 1, "AllowUnassociatedTargets": False}}
        resources[f"Target{index}"] = {"Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {
            "WindowId": {"Ref": f"Window{index}"}, "ResourceType": "INSTANCE",
            "Targets": [{"Key": "tag:Patch Group", "Values": [group]}]}}
    (directory / "Scale.template.json").write_text(json.dumps({"Resources": resources}))
    (directory / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {"Scale": {
        "type": "aws:cloudformation:stack", "environment": "aws://123456789012/eu-west-1",
        "properties": {"templateFile": "Scale.template.json"}}}}))


def measure(*argv: str) -> Tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of ``mw-constructs argv`` in a new process."""
    code = ("import resource, sys; from mw_constructs.cli import main; status = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(status)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, done.returncode


def main() -> None:
    windows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    schedule = sys.argv[2] if len(sys.argv) > 2 else "cron(0 {hour} ? * {day} *)"
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        write_assembly(directory, windows, schedule)
        for argv in (("check", str(directory), "--after", "2025-01-01T00:00:00Z"),
                     ("calendar", str(directory), "--weeks", "4", "--start", "2025-01-06", "-o", str(directory / "c.svg"))):
            seconds, megabytes, status = measure(*argv)
            print(f"{argv[0]:9} {windows:,} windows ({schedule}): {seconds:6.2f} s, {megabytes:7.1f} MB peak, exit {status}")


if __name__ == "__main__":
    main()
