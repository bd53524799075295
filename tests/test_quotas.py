"""Service quotas checked when the app is built (ssm-semantics §1.7; CloudFormation's 500
resources per stack): the count, the limit, where it comes from and the fix; overrides for
quotas that can be raised."""

from __future__ import annotations

import pytest
from aws_cdk import App, CfnWaitConditionHandle, Environment, Stack

from mw_constructs import (
    OperatingSystem,
    PatchBaseline,
    RunCommandTask,
    WindowTarget,
)
from mw_constructs.quotas import CONTEXT_KEY, QUOTAS
from tests.support.apps import STRICT_CONTEXT, raises_code
from tests.support.apps import sunday_window as window


def app_with(quotas=None, extra=None) -> App:
    return App(context={**STRICT_CONTEXT, **({CONTEXT_KEY: quotas} if quotas is not None else {}), **(extra or {})})


def test_fails_when_a_51st_window_is_added_in_one_account_and_region():
    stack = Stack(app_with(), "Patching", env=Environment(account="123456789012", region="eu-west-1"))
    for number in range(50):
        window(stack, f"W{number}")
    with raises_code("QuotaExceeded") as error:
        window(stack, "W50")
    message = str(error.value)
    assert "account 123456789012, Region eu-west-1 would have 51 maintenance windows in one account and Region" in message
    assert "the limit is 50 (MaintenanceWindowsPerRegion, AWS General Reference, Systems Manager quotas)" in message
    assert "Fix: split the windows over accounts or Regions, or raise the quota" in message
    assert "mw-constructs:quotas" in message
    assert stack.node.try_find_child("W50") is None  # nothing half-created


def test_windows_of_other_environments_do_not_count_together_and_unresolved_ones_count_as_one():
    app = app_with()
    ireland = Stack(app, "Ireland", env=Environment(account="123456789012", region="eu-west-1"))
    frankfurt = Stack(app, "Frankfurt", env=Environment(account="123456789012", region="eu-central-1"))
    for number in range(50):
        window(ireland, f"W{number}")
        window(frankfurt, f"W{number}")
    first, second = Stack(app, "Agnostic1"), Stack(app, "Agnostic2")
    for number in range(25):
        window(first, f"W{number}")
        window(second, f"W{number}")
    with raises_code("QuotaExceeded") as error:
        window(second, "W25")
    assert "stacks without an explicit account and Region (counted as one environment) would have 51" in str(error.value)


def test_a_raised_quota_is_used_when_told():
    stack = Stack(app_with({"MaintenanceWindowsPerRegion": 60}), "Patching")
    for number in range(60):
        window(stack, f"W{number}")
    with raises_code("QuotaExceeded") as error:
        window(stack, "W60")
    assert "the limit is 60 (raised from 50 with mw-constructs:quotas)" in str(error.value)


def test_fails_when_a_21st_task_is_registered_with_a_window():
    stack = Stack(app_with(), "Patching")
    w = window(stack, "Window")
    web = WindowTarget(stack, "Web", window=w, tags={"Role": "web"})
    each = dict(window=w, targets=[web], document="AWS-RunShellScript", parameters={"commands": ["uptime"]},
                max_concurrency="1", max_errors="0")
    for number in range(20):
        RunCommandTask(stack, f"T{number}", **each)
    with raises_code("QuotaExceeded") as error:
        RunCommandTask(stack, "T20", **each)
    assert "window Patching/Window would have 21 tasks registered with one maintenance window: the limit is 20" in str(error.value)


def test_fails_when_a_101st_target_is_registered_with_a_window():
    stack = Stack(app_with(), "Patching")
    w = window(stack, "Window")
    for number in range(100):
        WindowTarget(stack, f"T{number}", window=w, tags={"Group": str(number)})
    with raises_code("QuotaExceeded") as error:
        WindowTarget(stack, "T100", window=w, tags={"Group": "100"})
    assert "would have 101 targets registered with one maintenance window: the limit is 100" in str(error.value)


def test_fails_when_a_task_has_11_targets():
    stack = Stack(app_with(), "Patching")
    w = window(stack, "Window")
    targets = [WindowTarget(stack, f"T{number}", window=w, tags={"Group": str(number)}) for number in range(11)]
    with raises_code("QuotaExceeded") as error:
        RunCommandTask(stack, "Task", window=w, targets=targets, document="AWS-RunShellScript",
                       parameters={"commands": ["uptime"]}, max_concurrency="1", max_errors="0")
    assert "would have 11 targets of one maintenance window task: the limit is 10" in str(error.value)
    RunCommandTask(stack, "Ten", window=w, targets=targets[:10], document="AWS-RunShellScript",
                   parameters={"commands": ["uptime"]}, max_concurrency="1", max_errors="0")


def test_fails_when_a_51st_patch_baseline_is_added_in_one_environment():
    stack = Stack(app_with(), "Baselines")
    for number in range(50):
        PatchBaseline(stack, f"B{number}", operating_system=OperatingSystem.AMAZON_LINUX_2023)
    with raises_code("QuotaExceeded") as error:
        PatchBaseline(stack, "B50", operating_system=OperatingSystem.AMAZON_LINUX_2023)
    assert "51 patch baselines in one account and Region: the limit is 50" in str(error.value)


@pytest.mark.parametrize("handles", [499, 500])
@pytest.mark.parametrize("cdk_limit", [1000, "1000", 0])
def test_fails_at_synthesis_when_a_stack_has_more_than_500_resources(handles, cdk_limit):
    """Where the app raised or switched off aws-cdk-lib's own limit, the library still keeps
    CloudFormation's 500."""
    app = app_with(extra={"@aws-cdk/core:stackResourceLimit": cdk_limit})
    stack = Stack(app, "Big")
    window(stack, "Window")
    for number in range(handles):
        CfnWaitConditionHandle(stack, f"H{number}")
    if handles == 499:
        app.synth()  # 500 resources: fine
        return
    with pytest.raises(Exception) as error:
        app.synth()
    assert "[QuotaExceeded] stack Big would have 501 resources in one CloudFormation stack: the limit is 500" in str(error.value)
    assert "split the windows over several stacks" in str(error.value)


@pytest.mark.parametrize("cdk_limit", [None, 500, 200])
def test_leaves_the_resource_limit_to_aws_cdk_lib_where_it_refuses_a_bigger_stack_itself(cdk_limit):
    app = app_with(extra={} if cdk_limit is None else {"@aws-cdk/core:stackResourceLimit": cdk_limit})
    stack = Stack(app, "Big")
    window(stack, "Window")
    for number in range(500):
        CfnWaitConditionHandle(stack, f"H{number}")
    with pytest.raises(Exception) as error:
        app.synth()
    assert "Number of resources in stack 'Big': 501 is greater than allowed maximum" in str(error.value)
    assert "QuotaExceeded" not in str(error.value)


@pytest.mark.parametrize("quotas, text", [
    ({"MaintenanceWindows": 100}, "names unknown quotas ['MaintenanceWindows']"),
    ({"ResourcesPerStack": 1000}, "is a fixed limit"),
    ({"MaintenanceWindowsPerRegion": 10}, "at least the default 50"),
    ({"MaintenanceWindowsPerRegion": "100"}, "a whole number"),
    (["MaintenanceWindowsPerRegion"], "must map quota names to numbers"),
])
def test_fails_when_the_quota_context_is_invalid(quotas, text):
    stack = Stack(app_with(quotas), "Patching")
    with raises_code("InvalidQuota") as error:
        window(stack, "Window")
    assert text in str(error.value)


def test_every_quota_names_its_source_and_fix():
    for quota in QUOTAS.values():
        assert quota.default > 0 and quota.source and quota.fix and quota.counts
