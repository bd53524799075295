"""``mw-constructs import`` at scale: a template of N windows, each with a patch-group target and an
install task, read and written as code (which adopt builds twice: to learn its escapes, and to
check the result).

    python -m benchmarks.adopt_scale [windows]

Prints the wall time of reading and of writing the code (issue 22 asks for the time to import 50
windows).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def template(windows: int) -> dict:
    resources: dict = {}
    for index in range(windows):
        resources[f"Window{index}"] = {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {
            "Name": f"patch-{index}", "Schedule": f"cron(0 {index % 24} ? * {('SUN', 'SAT')[index % 2]} *)",
            "Duration": 3, "Cutoff": 1, "AllowUnassociatedTargets": False}}
        resources[f"Target{index}"] = {"Type": "AWS::SSM::MaintenanceWindowTarget", "Properties": {
            "WindowId": {"Ref": f"Window{index}"}, "ResourceType": "INSTANCE",
            "Targets": [{"Key": "tag:Patch Group", "Values": [f"group-{index}"]}]}}
        resources[f"Install{index}"] = {"Type": "AWS::SSM::MaintenanceWindowTask", "Properties": {
            "WindowId": {"Ref": f"Window{index}"}, "TaskType": "RUN_COMMAND", "TaskArn": "AWS-RunPatchBaseline",
            "Priority": 1, "MaxConcurrency": "10%", "MaxErrors": "1",
            "Targets": [{"Key": "WindowTargetIds", "Values": [{"Ref": f"Target{index}"}]}],
            "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {
                "Parameters": {"Operation": ["Install"]}}}}}
    return {"Resources": resources}


def main(windows: int = 50) -> None:
    from mw_constructs.adopt import adopt
    from mw_constructs.readback.files import read_template

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.json"
        path.write_text(json.dumps(template(windows)))
        start = time.perf_counter()
        configuration = read_template(path)
        read = time.perf_counter() - start
        start = time.perf_counter()
        adoption = adopt(configuration)
        written = time.perf_counter() - start
    print(f"import of {windows} windows ({len(configuration.resources)} resources): read {read * 1000:.0f} ms, "
          f"code written, built and checked {written:.1f} s; {len(adoption.escapes)} escape hatches, "
          f"{len(adoption.refused)} refused, {sum(map(len, adoption.findings.values()))} findings")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
