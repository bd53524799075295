"""Resource-name keywords as aws-cdk-lib names them (issue 24, point 6): window_name, target_name,
task_name, baseline_name. The old ``name=`` keeps working until 1.0, with a deprecation: an
aws-cdk-lib deprecation annotation on the construct and a DeprecationWarning at the caller's line."""

from __future__ import annotations

import warnings

import pytest
from aws_cdk import Duration
from aws_cdk.assertions import Annotations, Match

from mw_constructs import (
    AwsManagedBaseline,
    OperatingSystem,
    PatchBaseline,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)
from tests.support.apps import raises_code, template_of

SCHEDULE = WindowSchedule.expression("cron(0 2 ? * SUN *)")


def build(stack, keyword):
    window = PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=Duration.hours(3), cutoff=Duration.hours(1),
                            **{"window_name" if keyword == "new" else "name": "sunday-patching"})
    web = WindowTarget(stack, "Web", window=window, tags={"Role": ["web"]},
                       **{"target_name" if keyword == "new" else "name": "web-servers"})
    RunPatchBaselineTask(stack, "Install", window=window, targets=[web], operation=PatchOperation.INSTALL,
                         max_concurrency="10%", max_errors="1", **{"task_name" if keyword == "new" else "name": "install"})
    PatchBaseline(stack, "Baseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                  **{"baseline_name" if keyword == "new" else "name": "al2023-baseline"})
    return window


def names(stack):
    template = template_of(stack).to_json()["Resources"]
    return sorted((r["Type"], r["Properties"].get("Name")) for r in template.values() if r["Type"].startswith("AWS::SSM::"))


def test_the_new_keywords_name_the_resources(stack):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        window = build(stack, "new")
    assert window.window_name == "sunday-patching"
    assert names(stack) == [("AWS::SSM::MaintenanceWindow", "sunday-patching"),
                            ("AWS::SSM::MaintenanceWindowTarget", "web-servers"),
                            ("AWS::SSM::MaintenanceWindowTask", "install"),
                            ("AWS::SSM::PatchBaseline", "al2023-baseline")]
    Annotations.from_stack(stack).has_no_warning("*", Match.string_like_regexp(".*deprecated.*"))


def test_the_old_keyword_still_works_and_says_it_is_deprecated(stack):
    from aws_cdk import App, Stack

    from tests.support.apps import STRICT_CONTEXT

    with pytest.warns(DeprecationWarning) as caught:
        build(stack, "old")
    assert {str(w.message).split("(")[0] for w in caught} == {"PatchingWindow", "WindowTarget", "RunPatchBaselineTask",
                                                            "PatchBaseline"}
    assert {w.filename for w in caught} == {__file__}, "the warning points at the caller's line"
    assert all("use " in str(w.message) and "removed in mw-constructs 1.0" in str(w.message) for w in caught)
    other = Stack(App(context=dict(STRICT_CONTEXT)), "New")
    build(other, "new")
    assert names(stack) == names(other), "the same template either way"
    deprecations = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(".*is deprecated.*"))
    assert len(deprecations) == 4
    assert any("mw_constructs.PatchingWindow(name=...)" in str(d.entry.data) for d in deprecations)


def test_the_aws_managed_baseline_takes_baseline_name(stack):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        new = AwsManagedBaseline(stack, "New", operating_system=OperatingSystem.WINDOWS,
                                 baseline_name="AWS-WindowsPredefinedPatchBaseline-OS-Applications")
    assert new.baseline_name == "AWS-WindowsPredefinedPatchBaseline-OS-Applications"
    with pytest.warns(DeprecationWarning):
        old = AwsManagedBaseline(stack, "Old", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                                 name="AWS-AmazonLinux2023DefaultPatchBaseline")
    assert old.baseline_name == old.name == "AWS-AmazonLinux2023DefaultPatchBaseline"


@pytest.mark.parametrize("new", ["window_name", "target_name", "task_name", "baseline_name"])
def test_fails_when_a_keyword_and_its_old_name_are_both_given(stack, new):
    window = PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=Duration.hours(3), cutoff=Duration.hours(1))
    both = {new: "first", "name": "second"}
    before = len(stack.node.find_all())
    with raises_code("AliasConflict"):
        if new == "window_name":
            PatchingWindow(stack, "Other", schedule=SCHEDULE, duration=Duration.hours(3), cutoff=Duration.hours(1), **both)
        elif new == "target_name":
            window.add_target("Web", tags={"Role": ["web"]}, **both)
        elif new == "task_name":
            web = window.add_target("Db", tags={"Role": ["db"]})
            before = len(stack.node.find_all())
            RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                                 max_concurrency="1", max_errors="1", **both)
        else:
            PatchBaseline(stack, "Baseline", operating_system=OperatingSystem.WINDOWS, **both)
    assert len(stack.node.find_all()) == before, "nothing is half-created"


def test_fails_when_the_new_keyword_has_a_bad_name_and_the_message_names_it(stack):
    with raises_code("InvalidName") as error:
        PatchingWindow(stack, "Window", schedule=SCHEDULE, duration=Duration.hours(3), cutoff=Duration.hours(1),
                       window_name="has space")
    assert "window_name" in str(error.value)


def test_the_signatures_show_the_new_keywords():
    import inspect

    assert "baseline_name" in inspect.signature(PatchBaseline).parameters
    assert "baseline_name" in inspect.signature(AwsManagedBaseline).parameters
    from mw_constructs.interfaces import TargetDetails, TaskOptions
    from mw_constructs.window import WindowOptions

    assert {"window_name", "name"} <= set(WindowOptions.__annotations__)
    assert {"target_name", "name"} <= set(TargetDetails.__annotations__)
    assert {"task_name", "name"} <= set(TaskOptions.__annotations__)
