"""Synthesis cost of mw-constructs versus the same resources written with L1 classes.

    python benchmarks/synth.py [N] [ROUNDS]

Builds N windows, each with one patch-group target and one install task (plus one
shared role), once with the library and once with hand-written Cfn* classes, and
synthesizes each app. Both run in this one process after a warm-up synth (the first
synth pays aws-cdk-lib's one-off schema loading). Prints the median of ROUNDS runs
and the ratio library / L1 (target: <= 1.10 at N=50).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import jsii  # noqa: E402
from aws_cdk import App, Aws, Duration, Stack  # noqa: E402
from aws_cdk import aws_iam as iam  # noqa: E402
from aws_cdk import aws_ssm as ssm  # noqa: E402

from mw_constructs import (  # noqa: E402
    MaintenanceWindowRole,
    PatchGroupTarget,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
)

CONTEXT = {"@aws-cdk/core:validateAgainstDefaultRules": True}


def with_library(n: int) -> App:
    app = App(context=CONTEXT)
    stack = Stack(app, "Bench")
    role = MaintenanceWindowRole(stack, "Role")
    for i in range(n):
        window = PatchingWindow(
            stack, f"Window{i}", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone="Europe/Amsterdam"),
            duration=Duration.hours(3), cutoff=Duration.hours(1), name=f"window-{i}", role=role,
        )
        target = PatchGroupTarget(stack, f"Target{i}", window=window, patch_group=f"group-{i}")
        RunPatchBaselineTask(
            stack, f"Install{i}", window=window, targets=[target], operation=PatchOperation.INSTALL,
            max_concurrency="10%", max_errors="1",
        )
    return app


def _arn(service: str, resource: str, account: str = Aws.ACCOUNT_ID) -> str:
    return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{account}:{resource}"


def with_l1(n: int) -> App:
    app = App(context=CONTEXT)
    stack = Stack(app, "Bench")
    role = iam.CfnRole(
        stack, "Role",
        assume_role_policy_document={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
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
                    parameters={"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]})),
        )
    return app


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


def timed(build, n: int) -> float:
    start = time.perf_counter()
    build(n).synth()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    timed(with_l1, 1)  # warm-up: schema loading, jsii start
    timed(with_library, 1)
    library, l1 = [], []
    for _ in range(rounds):  # interleaved so drift hits both alike
        library.append(timed(with_library, n))
        l1.append(timed(with_l1, n))
    lib_median, l1_median = statistics.median(library), statistics.median(l1)
    print(f"N={n} windows (target + install task each), {rounds} rounds, median construct+synth time")
    print(f"  mw-constructs : {lib_median * 1000:8.1f} ms")
    print(f"  L1 (Cfn*)     : {l1_median * 1000:8.1f} ms")
    print(f"  ratio         : {lib_median / l1_median:8.3f}  (target <= 1.10)")
    for label, build in (("mw-constructs", with_library), ("L1 (Cfn*)", with_l1)):
        counts = jsii_calls(build, n)
        print(f"jsii calls while building, {label}: {sum(counts.values())}")
        for call, count in counts.most_common():
            if count >= n:
                print(f"  {count:5d}  {call}")


if __name__ == "__main__":
    main()
