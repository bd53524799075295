"""Synthesis cost of mw-constructs versus the same resources written with L1 classes.

    python -m benchmarks.synth [N] [ROUNDS]

Builds N windows, each with one patch-group target and one install task (plus one
shared role), with the library, with hand-written Cfn* classes, and as the structural
floor of any L2 over those classes (the same Cfn* classes, each inside a Python
``Resource`` subclass, the Durations read once), and synthesizes each app. Beside them, the
same run builds N of aws-cdk-lib's own L2s and their L1s (``sns.Topic``, ``sqs.Queue``,
``logs.LogGroup``, ``iam.Role``, ``events.Rule`` with a target), for the ratio users of
aws-cdk-lib already accept. All run in this one process after a warm-up synth (the first synth
pays aws-cdk-lib's one-off schema loading), in interleaved rounds. Prints the median of ROUNDS
runs, the ratios, the CPU time of the Python process and of its Node process (jsii's kernel)
per build, and the jsii calls per window.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from typing import Any, Dict, List, Tuple


import jsii
from aws_cdk import App, Aws, Duration, Resource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct

from mw_constructs import (
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
)

# More windows than the default quota of 50 per account and Region, as a raised quota allows.
CONTEXT = {"@aws-cdk/core:validateAgainstDefaultRules": True,
           "mw-constructs:quotas": {"MaintenanceWindowsPerRegion": 1000}}


#: The trust policy of the hand-written roles: Systems Manager may assume them.
SSM_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def _library(n: int, duration, cutoff) -> App:
    app = App(context=CONTEXT)
    stack = Stack(app, "Bench")
    role = MaintenanceWindowRole(stack, "Role")
    for i in range(n):
        window = PatchingWindow(
            stack, f"Window{i}", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"),
            duration=duration(), cutoff=cutoff(), window_name=f"window-{i}", role=role,
        )
        target = PatchGroupTarget(stack, f"Target{i}", window=window, patch_group=f"group-{i}")
        RunPatchBaselineTask(
            stack, f"Install{i}", window=window, targets=[target], operation=PatchOperation.INSTALL,
            max_concurrency="10%", max_errors="1",
        )
    return app


def with_library(n: int) -> App:
    """The library as users write it: each window's spans made with ``Duration.hours``."""
    return _library(n, lambda: Duration.hours(3), lambda: Duration.hours(1))


def with_library_timedelta(n: int) -> App:
    """The same with the spans as ``datetime.timedelta`` s (read in Python: no round trip to jsii for them)."""
    return _library(n, lambda: timedelta(hours=3), lambda: timedelta(hours=1))


def _arn(service: str, resource: str, account: str = Aws.ACCOUNT_ID) -> str:
    return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{account}:{resource}"


def l1_role(stack: Stack) -> iam.CfnRole:
    """The least-privilege role of the L1 apps, written by hand."""
    return iam.CfnRole(
        stack, "Role",
        assume_role_policy_document=SSM_TRUST,
        policies=[iam.CfnRole.PolicyProperty(policy_name="MaintenanceWindowTasks", policy_document={
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Resource": "*", "Action": [
                    "ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands"]},
                {"Effect": "Allow", "Resource": "*", "Action": ["resource-groups:ListGroups", "tag:GetResources"]},
                {"Effect": "Allow", "Action": "resource-groups:ListGroupResources",
                 "Resource": _arn("resource-groups", "group/*")},
                {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": [
                    _arn("ec2", "instance/*"), _arn("ssm", "managed-instance/*"),
                    _arn("ssm", "document/AWS-RunPatchBaseline", account="")]},
            ]})],
    )


def with_l1(n: int) -> App:
    app = App(context=CONTEXT)
    stack = Stack(app, "Bench")
    role = l1_role(stack)
    for i in range(n):
        window = ssm.CfnMaintenanceWindow(
            stack, f"Window{i}", name=f"window-{i}", schedule="cron(0 2 ? * SUN *)",
            schedule_timezone="Europe/Amsterdam", duration=3, cutoff=1, allow_unassociated_targets=False,
        )
        target = ssm.CfnMaintenanceWindowTarget(
            stack, f"Target{i}", window_id=window.ref, resource_type="INSTANCE",
            targets=[ssm.CfnMaintenanceWindowTarget.TargetsProperty(key="tag:Patch Group", values=[f"group-{i}"])],
        )
        ssm.CfnMaintenanceWindowTask(
            stack, f"Install{i}", window_id=window.ref, task_type="RUN_COMMAND", task_arn="AWS-RunPatchBaseline",
            priority=1, max_concurrency="10%", max_errors="1", service_role_arn=role.attr_arn,
            targets=[ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[target.ref])],
            task_invocation_parameters=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_run_command_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowRunCommandParametersProperty(
                    parameters={"Operation": ["Install"]})),
        )
    return app


class Wrapper(Resource):
    """A construct of an aws-cdk-lib L2's shape: a Python subclass of ``Resource`` holding the L1
    as a child."""


@jsii.implements(ssm_refs.IMaintenanceWindowRef)
class LightWrapper(Construct):
    """The lightest wrapper with an L2's surface, the shape of the library's windows, targets and
    tasks: a ``Construct`` implementing an ``aws_cdk.interfaces`` reference, whose ``env`` and
    reference jsii registers as overrides (the values themselves are never read here)."""

    @property
    def env(self) -> Any:
        return None

    @property
    def maintenance_window_ref(self) -> Any:
        return None


def with_floor(n: int, wrapper: type = LightWrapper, durations: bool = True) -> App:
    """The structural floor of an L2 over these L1 resources: the same L1 classes, each inside a
    ``wrapper`` written in Python (``node.default_child``), and the window's ``Duration`` s made
    as the caller makes them and read once each, as any construct taking ``Duration`` s must
    (without ``durations``: plain numbers, the floor of the timedelta path). Nothing else: no
    validation, no checks, no role of its own."""
    app = App(context=CONTEXT)
    stack = Stack(app, "Bench")
    role = iam.CfnRole(stack, "Role", assume_role_policy_document=SSM_TRUST)
    role_arn = role.attr_arn
    for i in range(n):
        duration, cutoff = (Duration.hours(3).to_hours(), Duration.hours(1).to_hours()) if durations else (3, 1)
        window = ssm.CfnMaintenanceWindow(
            wrapper(stack, f"Window{i}"), "Resource", name=f"window-{i}", schedule="cron(0 2 ? * SUN *)",
            schedule_timezone="Europe/Amsterdam", duration=duration, cutoff=cutoff, allow_unassociated_targets=False,
        )
        window_id = window.ref
        target = ssm.CfnMaintenanceWindowTarget(
            wrapper(stack, f"Target{i}"), "Resource", window_id=window_id, resource_type="INSTANCE",
            targets=[ssm.CfnMaintenanceWindowTarget.TargetsProperty(key="tag:Patch Group", values=[f"group-{i}"])],
        )
        ssm.CfnMaintenanceWindowTask(
            wrapper(stack, f"Install{i}"), "Resource", window_id=window_id, task_type="RUN_COMMAND",
            task_arn="AWS-RunPatchBaseline", priority=1, max_concurrency="10%", max_errors="1", service_role_arn=role_arn,
            targets=[ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[target.ref])],
            task_invocation_parameters=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_run_command_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowRunCommandParametersProperty(
                    parameters={"Operation": ["Install"]})),
        )
    return app


def _pairs():
    """aws-cdk-lib's own L2s and the L1s they write, N of each per app."""
    from aws_cdk import aws_events as events
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sqs as sqs

    def app_with(make):
        def build(n: int) -> App:
            app = App(context=CONTEXT)
            stack = Stack(app, "Bench")
            make(stack, n)
            return app
        return build

    def each(make):
        """N ``make(stack, id)`` in one app."""
        def add(stack, n):
            for i in range(n):
                make(stack, f"C{i}")
        return app_with(add)

    def rule_l2(stack, n):
        topic = sns.CfnTopic(stack, "Topic")
        for i in range(n):
            rule = events.Rule(stack, f"E{i}", event_pattern=events.EventPattern(source=["aws.ssm"]))
            rule.add_target(targets.SnsTopic(sns.Topic.from_topic_arn(stack, f"To{i}", topic.ref)))

    def rule_l1(stack, n):
        topic = sns.CfnTopic(stack, "Topic")
        for i in range(n):
            events.CfnRule(stack, f"E{i}", event_pattern={"source": ["aws.ssm"]}, state="ENABLED",
                           targets=[events.CfnRule.TargetProperty(id="Target0", arn=topic.ref)])

    return (("sns.Topic", each(sns.Topic), each(sns.CfnTopic)), ("sqs.Queue", each(sqs.Queue), each(sqs.CfnQueue)),
            ("logs.LogGroup", each(logs.LogGroup), each(lambda stack, id: logs.CfnLogGroup(stack, id, retention_in_days=731))),
            ("iam.Role", each(lambda stack, id: iam.Role(stack, id, assumed_by=iam.ServicePrincipal("ssm.amazonaws.com"))),
             each(lambda stack, id: iam.CfnRole(stack, id, assume_role_policy_document=SSM_TRUST))),
            ("events.Rule + target", app_with(rule_l2), app_with(rule_l1)))


def _node_cpu() -> float:
    """CPU seconds used so far by this process's child processes that are still running (jsii's
    Node kernel), read from /proc (0 where there is no /proc)."""
    total = 0
    try:
        children = set()
        for task in os.listdir(f"/proc/{os.getpid()}/task"):
            with open(f"/proc/{os.getpid()}/task/{task}/children") as file:
                children.update(file.read().split())
        for child in children:
            with open(f"/proc/{child}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return 0.0
    return total / os.sysconf("SC_CLK_TCK")


def jsii_calls(build, n: int) -> Counter:
    """How many jsii calls of each kind building the app makes (construction only)."""
    counts: Counter = Counter()
    originals = {name: getattr(jsii, name) for name in ("create", "invoke", "get", "sinvoke", "sget")}

    def counting(name, original):
        def call(*args, **kwargs):
            target = args[0] if name.startswith("s") or name == "create" else type(args[0])
            label = getattr(target, "__jsii_type__", None) or getattr(target, "__name__", str(target))
            counts[f"{name} {label}" + ("" if name == "create" else f".{args[1]}")] += 1
            return original(*args, **kwargs)

        return call

    try:
        for name, original in originals.items():
            setattr(jsii, name, counting(name, original))
        build(n)
    finally:
        for name, original in originals.items():
            setattr(jsii, name, original)
    return counts


def timed(build, n: int, cpu: "dict | None" = None) -> float:
    start, python, node = time.perf_counter(), time.process_time(), _node_cpu()
    build(n).synth()
    if cpu is not None:
        cpu.setdefault("python", []).append(time.process_time() - python)
        cpu.setdefault("node", []).append(_node_cpu() - node)
    return time.perf_counter() - start


def with_floor_without_durations(n: int) -> App:
    """The floor of the timedelta path: light wrappers, the hours as numbers."""
    return with_floor(n, durations=False)


def with_resource_floor(n: int) -> App:
    """The floor with aws-cdk-lib's ``Resource`` as the wrapper (the shape of its own L2s)."""
    return with_floor(n, Wrapper)


BUILDS = (("mw-constructs", with_library), ("mw (timedelta)", with_library_timedelta), ("L1 (Cfn*)", with_l1),
          ("floor", with_floor), ("floor (numbers)", with_floor_without_durations),
          ("floor (Resource)", with_resource_floor))
#: What ``--process`` runs, each in a process of its own.
PROCESS_BUILDS = {"library": with_library, "timedelta": with_library_timedelta, "l1": with_l1, "floor": with_floor}


def run_process(argv: List[str]) -> Tuple[float, float]:
    """(wall seconds, CPU seconds) of one process and its children (jsii's Node.js included):
    the CPU time does not grow when other work shares the machine, the wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main_process(n: int, rounds: int) -> None:
    """Whole processes, as ``cdk synth`` runs one: interpreter start, imports, jsii start, the
    first synthesis's schema load, build and synthesis; the kinds alternate, ROUNDS each."""
    times: Dict[str, List[float]] = {kind: [] for kind in PROCESS_BUILDS}
    cpu: Dict[str, List[float]] = {kind: [] for kind in PROCESS_BUILDS}
    for _ in range(rounds):
        for kind in PROCESS_BUILDS:
            wall, used = run_process([sys.executable, "-m", "benchmarks.synth", "--one", kind, str(n)])
            times[kind].append(wall)
            cpu[kind].append(used)
    median = {kind: statistics.median(values) for kind, values in times.items()}
    used = {kind: statistics.median(values) for kind, values in cpu.items()}
    print(f"N={n} windows (target + install task each), whole processes, median of {rounds} (wall; CPU with Node.js)")
    for kind in PROCESS_BUILDS:
        print(f"  {kind:10s}: {median[kind]:6.2f} s ({median[kind] / median['l1']:.3f} x L1)   CPU {used[kind]:6.2f} s "
              f"({used[kind] / used['l1']:.3f} x L1)   {[round(value, 2) for value in times[kind]]}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        PROCESS_BUILDS[sys.argv[2]](int(sys.argv[3])).synth()
        return
    if sys.argv[1:2] == ["--process"]:
        main_process(int(sys.argv[2]) if len(sys.argv) > 2 else 50, int(sys.argv[3]) if len(sys.argv) > 3 else 7)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    pairs = _pairs()
    builds = list(BUILDS) + [(f"{name} {kind}", build) for name, l2, l1 in pairs for kind, build in (("L2", l2), ("L1", l1))]
    for _, build in builds:  # warm-up: schema loading, jsii start, each class's first use
        timed(build, 1)
    times = {label: [] for label, _ in builds}
    cpu = {label: {} for label, _ in builds}
    for _ in range(rounds):  # interleaved so drift hits all alike
        for label, build in builds:
            times[label].append(timed(build, n, cpu[label]))
    median = {label: statistics.median(values) for label, values in times.items()}
    print(f"N={n} windows (target + install task each), {rounds} rounds, median construct+synth time")
    for label, _ in BUILDS:
        python, node = (statistics.median(cpu[label][side]) for side in ("python", "node"))
        print(f"  {label:16s}: {median[label] * 1000:8.1f} ms  ({median[label] / median['L1 (Cfn*)']:.3f} x L1)"
              f"   CPU: Python {python * 1000:7.1f} ms, Node {node * 1000:7.1f} ms")
    print(f"  ratio library / L1                : {median['mw-constructs'] / median['L1 (Cfn*)']:8.3f}  (target <= 1.30)")
    print(f"  ratio library with timedeltas / L1: {median['mw (timedelta)'] / median['L1 (Cfn*)']:8.3f}  (target <= 1.20)")
    print(f"  ratio library / floor             : {median['mw-constructs'] / median['floor']:8.3f}")
    print(f"  ratio library with timedeltas / floor (numbers): "
          f"{median['mw (timedelta)'] / median['floor (numbers)']:8.3f}")
    print(f"  ratio floor / L1                  : {median['floor'] / median['L1 (Cfn*)']:8.3f}")
    print(f"  ratio floor (numbers) / L1        : {median['floor (numbers)'] / median['L1 (Cfn*)']:8.3f}")
    print(f"aws-cdk-lib's own L2s against their L1s, {n} of each per app, same rounds:")
    for name, _, _ in pairs:
        l2, l1 = median[f"{name} L2"], median[f"{name} L1"]
        print(f"  {name:22s}: L2 {l2 * 1000:8.1f} ms, L1 {l1 * 1000:8.1f} ms, L2 / L1 {l2 / l1:.3f}")
    for label, build in BUILDS:
        counts = jsii_calls(build, n)
        print(f"jsii calls while building, {label}: {sum(counts.values())} ({sum(counts.values()) / n:.1f} per window)")
        for call, count in counts.most_common():
            if count >= n:
                print(f"  {count:5d}  {call}")


if __name__ == "__main__":
    main()
