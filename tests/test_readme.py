"""Every Python snippet in the README runs (in a fresh strict app, with a stack, window and target at hand)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from conftest import new_app

import mw_constructs

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def namespace():
    app = new_app()
    stack = Stack(app, "Readme")
    window = mw_constructs.PatchingWindow(stack, "ReadmeWindow", schedule=mw_constructs.WindowSchedule.expression(
        "cron(0 2 ? * SUN *)"), duration=Duration.hours(3), cutoff=Duration.hours(1))
    web = mw_constructs.PatchGroupTarget(stack, "ReadmeWeb", window=window, patch_group="Web Server")
    names = {name: getattr(mw_constructs, name) for name in mw_constructs.__all__}
    return {**names, "app": app, "stack": stack, "window": window, "web": web, "Duration": Duration, "iam": iam}


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 7


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_readme_snippet_runs(index):
    scope = namespace()
    exec(compile(SNIPPETS[index], f"README.md snippet {index + 1}", "exec"), scope)
    scope["app"].synth()
