"""Organization-scale synthesis: 1,000 windows, each with a patch-group target and an install
task, across stacks (the most per stack that fits in CloudFormation's 500 resources: 166
windows and one shared role) and a StackSet, built with mw-constructs and with L1 classes.

    python -m benchmarks.organization [ROUNDS]           # measure and print the figures
    python -m benchmarks.organization --synth KIND OUT   # one app (library or l1) into OUT

Each measurement is a whole process, as ``cdk synth`` runs one: interpreter start, imports,
jsii start, build and synthesis. The processes of the three kinds (library, L1, and
the structural floor of an L2: the L1 classes inside the lightest Python wrappers with an
L2's surface, the Durations read) alternate, ROUNDS each (default 3), and the medians are compared. Then ``mw-constructs check`` and ``calendar`` are
timed over the library's cloud assembly (whole processes too), and the jsii calls per window
are counted in this process.

Every account holds one stack of 166 windows: the app declares the raised quota of
maintenance windows per account and Region it needs (``mw-constructs:quotas``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple


WINDOWS = 1_000
PER_STACK = 166  # 3 resources a window and the shared role's 2: 500 resources
IN_STACK_SET = WINDOWS % PER_STACK  # the 4 that do not fill a stack go to the StackSet's template
REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"]
CONTEXT = {"@aws-cdk/core:validateAgainstDefaultRules": True,
           "mw-constructs:quotas": {"MaintenanceWindowsPerRegion": PER_STACK}}


def build(kind: str, outdir: str):  # -> aws_cdk.App
    from aws_cdk import App, Environment, Stack
    from cdk_stacksets import StackSet, StackSetStack, StackSetTarget, StackSetTemplate

    app = App(outdir=outdir, context=CONTEXT)
    add_windows = {"library": _library_windows, "timedelta": _library_windows_timedelta, "l1": _l1_windows,
                   "floor": _floor_windows}[kind]
    for number in range(WINDOWS // PER_STACK):
        stack = Stack(app, f"Accounts{number}", env=Environment(account=f"{100000000000 + number}", region="eu-west-1"))
        add_windows(stack, PER_STACK, number)
    admin = Stack(app, "Organization", env=Environment(account="111111111111", region="us-east-1"))
    template = StackSetStack(admin, "Template")
    add_windows(template, IN_STACK_SET, WINDOWS // PER_STACK, regional=True)
    if kind in ("library", "timedelta"):
        from mw_constructs import PatchingStackSet

        PatchingStackSet(admin, "Rollout", template=template, organizational_units=["ou-ab12-workload"], regions=REGIONS)
    else:
        from cdk_stacksets import Capability, DeploymentType

        StackSet(admin, "Rollout", template=StackSetTemplate.from_stack_set_stack(template),
                 target=StackSetTarget.from_organizational_units(regions=REGIONS, organizational_units=["ou-ab12-workload"]),
                 deployment_type=DeploymentType.service_managed(), capabilities=[Capability.NAMED_IAM])
    return app


def _library_windows_timedelta(stack, count: int, group: int, regional: bool = False) -> None:
    """The library with the spans as ``datetime.timedelta`` s, read in Python (the fast path)."""
    from datetime import timedelta

    _library_windows(stack, count, group, regional, spans=lambda: (timedelta(hours=3), timedelta(hours=1)))


def _library_windows(stack, count: int, group: int, regional: bool = False, spans=None) -> None:
    from aws_cdk import Duration

    from mw_constructs import (
        MaintenanceWindowRole,
        PatchGroupTarget,
        PatchingWindow,
        PatchOperation,
        RegionalTimeZones,
        RunPatchBaselineTask,
        WindowSchedule,
    )

    zone = RegionalTimeZones.local(REGIONS) if regional else "Europe/Amsterdam"
    role = MaintenanceWindowRole(stack, "Role")
    for i in range(count):
        duration, cutoff = spans() if spans else (Duration.hours(3), Duration.hours(1))
        window = PatchingWindow(stack, f"Window{i}", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=zone),
                                duration=duration, cutoff=cutoff, window_name=f"window-{group}-{i}", role=role)
        target = PatchGroupTarget(stack, f"Target{i}", window=window, patch_group=f"group-{group}-{i}")
        RunPatchBaselineTask(stack, f"Install{i}", window=window, targets=[target], operation=PatchOperation.INSTALL,
                             max_concurrency="10%", max_errors="1")


def _floor_windows(stack, count: int, group: int, regional: bool = False) -> None:
    _l1_windows(stack, count, group, regional, floor=True)


def _l1_windows(stack, count: int, group: int, regional: bool = False, floor: bool = False) -> None:
    """The same resources with L1 classes; with ``floor``, each inside the lightest Python wrapper
    with an L2's surface and the Durations read, as benchmarks/synth.py's structural floor."""
    from aws_cdk import Aws, CfnMapping, Duration
    from aws_cdk import aws_ssm as ssm
    from benchmarks.synth import LightWrapper, l1_role

    def parent(id: str):
        return (LightWrapper(stack, id), "Resource") if floor else (stack, id)

    role = l1_role(stack)  # the same least-privilege role as benchmarks/synth.py's L1 app
    zone = "Europe/Amsterdam"
    if regional:
        zone = CfnMapping(stack, "Zones", mapping={r: {"TimeZone": z} for r, z in (
            ("eu-west-1", "Europe/Dublin"), ("us-east-1", "America/New_York"), ("ap-southeast-2", "Australia/Sydney"))}
                          ).find_in_map(Aws.REGION, "TimeZone")
    for i in range(count):
        duration, cutoff = (Duration.hours(3).to_hours(), Duration.hours(1).to_hours()) if floor else (3, 1)
        window = ssm.CfnMaintenanceWindow(*parent(f"Window{i}"), name=f"window-{group}-{i}", schedule="cron(0 2 ? * SUN *)",
                                          schedule_timezone=zone, duration=duration, cutoff=cutoff,
                                          allow_unassociated_targets=False)
        target = ssm.CfnMaintenanceWindowTarget(
            *parent(f"Target{i}"), window_id=window.ref, resource_type="INSTANCE",
            targets=[ssm.CfnMaintenanceWindowTarget.TargetsProperty(key="tag:Patch Group", values=[f"group-{group}-{i}"])])
        ssm.CfnMaintenanceWindowTask(
            *parent(f"Install{i}"), window_id=window.ref, task_type="RUN_COMMAND", task_arn="AWS-RunPatchBaseline",
            priority=1, max_concurrency="10%", max_errors="1", service_role_arn=role.attr_arn,
            targets=[ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[target.ref])],
            task_invocation_parameters=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_run_command_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowRunCommandParametersProperty(
                    parameters={"Operation": ["Install"]})))


def _wall(argv: List[str]) -> float:
    return _run(argv)[0]


def _run(argv: List[str]) -> Tuple[float, float]:
    from benchmarks.synth import run_process

    return run_process(argv)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as scratch:
        times: Dict[str, List[float]] = {"library": [], "timedelta": [], "l1": [], "floor": []}
        cpu: Dict[str, List[float]] = {kind: [] for kind in times}
        for _ in range(rounds):
            for kind in times:
                out = Path(scratch, kind)
                wall, used = _run([sys.executable, "-m", "benchmarks.organization", "--synth", kind, str(out)])
                times[kind].append(round(wall, 2))
                cpu[kind].append(round(used, 2))
        library, l1 = statistics.median(times["library"]), statistics.median(times["l1"])
        assembly = Path(scratch, "library")
        templates = sorted(assembly.glob("*.template.json"))
        cli = [sys.executable, "-m", "mw_constructs"]  # the library's assembly (written by the library's runs)
        check = statistics.median(_wall(cli + ["check", str(assembly)]) for _ in range(3))
        calendar = statistics.median(_wall(cli + ["calendar", str(assembly), "--weeks", "4", "-o",
                                                  str(Path(scratch, "calendar.svg"))]) for _ in range(3))
    print(f"{WINDOWS} windows with a target and a task: {WINDOWS // PER_STACK} stacks of {PER_STACK} and a StackSet "
          f"template of {IN_STACK_SET} in {len(REGIONS)} Regions ({len(templates)} templates); whole processes, "
          f"median of {rounds}")
    print(f"  cdk synth equivalent, mw-constructs : {library:7.2f} s   {times['library']}")
    timedeltas = statistics.median(times["timedelta"])
    print(f"  the same with timedelta spans       : {timedeltas:7.2f} s   {times['timedelta']}")
    print(f"  cdk synth equivalent, L1 (Cfn*)     : {l1:7.2f} s   {times['l1']}")
    floor = statistics.median(times["floor"])
    print(f"  L2 floor (L1 in light wrappers)     : {floor:7.2f} s   {times['floor']}")
    print(f"  ratio library / L1                  : {library / l1:7.3f}  (target <= 1.20)")
    print(f"  ratio library with timedeltas / L1  : {timedeltas / l1:7.3f}")
    print(f"  ratio floor / L1                    : {floor / l1:7.3f}")
    print(f"  ratio library / floor               : {library / floor:7.3f}")
    cpu_median = {kind: statistics.median(values) for kind, values in cpu.items()}
    print(f"  CPU seconds (user + system, Node.js included): library {cpu_median['library']:.2f} {cpu['library']}, "
          f"L1 {cpu_median['l1']:.2f} {cpu['l1']}, floor {cpu_median['floor']:.2f} {cpu['floor']}")
    print(f"  CPU ratio library / L1 {cpu_median['library'] / cpu_median['l1']:.3f}, floor / L1 "
          f"{cpu_median['floor'] / cpu_median['l1']:.3f}, library / floor {cpu_median['library'] / cpu_median['floor']:.3f}")
    print(f"  mw-constructs check    (1,000 windows + {IN_STACK_SET * (len(REGIONS) - 1)} Region copies): {check:5.2f} s (target < 2)")
    print(f"  mw-constructs calendar (4 weeks, SVG)                  : {calendar:5.2f} s (target < 2)")
    _print_jsii_calls()


def _print_jsii_calls() -> None:
    from benchmarks.synth import jsii_calls

    with tempfile.TemporaryDirectory() as scratch:
        for kind in ("library", "timedelta", "l1", "floor"):
            counts = jsii_calls(lambda _: build(kind, scratch), 0)
            print(f"  jsii calls while building, {kind:9s}: {sum(counts.values()):6d} ({sum(counts.values()) / WINDOWS:.2f} per window)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--synth":
        build(sys.argv[2], sys.argv[3]).synth()
    else:
        main()
