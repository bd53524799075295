"""Every Python snippet in the README runs as written, alone, in a fresh Python process.

Each snippet is a complete program (its own imports, App and stack). It runs with the strict
schema validation of the other tests (``CDK_CONTEXT_JSON``) and writes its cloud assembly to a
directory of its own (``CDK_OUTDIR``). The runs happen in background processes started at
collection (see background.py).
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tests.support.apps import STRICT_CONTEXT
from tests.support.background import Jobs
from tests.support.readme_snippets import (
    README,
    SNIPPETS,
    WALKTHROUGH,
    snippet_name,
    write,
)

BACKGROUND_ORDER = 20  # after the typing checks (the longest job)

PACKS = "\nfrom mw_constructs import add_compliance_checks\nadd_compliance_checks(app)\napp.synth()\n"
INLINE_GRANT = (  # step 5 the one-call way: aws-cdk-lib's grant writes an inline policy
    "role.grant_pass_role(iam.Group.from_group_name(stack, \"Admins\", \"patching-admins\"))\n"
)
CONTEXT_PROBE = """
from aws_cdk import App
app = App()
print(app.node.try_get_context("@aws-cdk/core:validateAgainstDefaultRules"))
"""


def _with_packs(source: str) -> str:
    assert source.count("\napp.synth()\n") == 1
    return source.replace("\napp.synth()\n", PACKS)


def _with_inline_pass_role(source: str) -> str:
    step5 = re.search(r"iam\.ManagedPolicy\(stack, \"PassTaskRole\".*?\)\]\)\n", source, flags=re.S)
    assert step5 is not None, "the walkthrough's step 5 changed: update this test"
    return _with_packs(source.replace(step5.group(0), INLINE_GRANT))


PROGRAMS = {
    **{snippet_name(index): source for index, source in enumerate(SNIPPETS)},
    "walkthrough_with_packs": _with_packs(WALKTHROUGH),
    "walkthrough_inline_pass_role_with_packs": _with_inline_pass_role(WALKTHROUGH),
    "context_probe": CONTEXT_PROBE,
}


def start_background_jobs(jobs: Jobs) -> None:
    for name, source in PROGRAMS.items():
        path = write(jobs.scratch / "readme", name, source)
        jobs.python(name, path.name, cwd=path.parent,
                    env={"CDK_CONTEXT_JSON": json.dumps(STRICT_CONTEXT), "CDK_OUTDIR": str(path.parent / "cdk.out")})


def _run(name: str):
    from tests.support.background import JOBS

    return JOBS.result(name)


def _template(name: str, stack: str) -> dict:
    from tests.support.background import JOBS

    return json.loads((JOBS.scratch / "readme" / name / "cdk.out" / f"{stack}.template.json").read_text())


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 8


@pytest.mark.background
def test_snippets_run_with_strict_validation():
    result = _run("context_probe")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.background
@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_readme_snippet_runs_alone(index):
    result = _run(snippet_name(index))
    assert result.returncode == 0, f"README snippet {index + 1} failed:\n{result.stderr[-4000:]}"


@pytest.mark.background
def test_walkthrough_synthesizes_the_resources_the_readme_lists():
    section = README[README.index("It synthesizes these resources"):]
    section = section[:section.index("\n\n", section.index("* 1 ×"))]
    listed = {kind: int(count) for count, kind in re.findall(r"^\* (\d+) × `([\w:]+)`", section, flags=re.M)}
    resources = _template(snippet_name(0), "Patching")["Resources"]
    assert dict(Counter(r["Type"] for r in resources.values())) == listed


@pytest.mark.background
def test_walkthrough_passes_the_compliance_packs():
    result = _run("walkthrough_with_packs")
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.mark.background
def test_fails_when_the_walkthrough_grants_pass_role_inline():
    """Why the walkthrough uses pass_role_statement(): the grant's inline policy fails the packs."""
    result = _run("walkthrough_inline_pass_role_with_packs")
    assert result.returncode != 0
    assert "IAMNoInlinePolicy" in result.stderr


def test_readme_states_the_output_bucket_encryption_the_library_uses(stack):
    """Issue 8: the README said SSE-S3 where the bucket uses aws:kms."""
    from aws_cdk import Duration

    from mw_constructs import (
        PatchingWindow,
        PatchOperation,
        RunPatchBaselineTask,
        TaskOutput,
        WindowSchedule,
    )
    from tests.support.apps import template_of

    window = PatchingWindow(stack, "W", schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                            duration=Duration.hours(3), cutoff=Duration.hours(1))
    web = window.add_patch_group_target("Web", patch_group="web")
    RunPatchBaselineTask(stack, "Scan", window=window, targets=[web], operation=PatchOperation.SCAN,
                         max_concurrency="1", max_errors="1", output=TaskOutput.s3())
    buckets = template_of(stack).find_resources("AWS::S3::Bucket")
    algorithms = {b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
                  ["ServerSideEncryptionByDefault"]["SSEAlgorithm"] for b in buckets.values()}
    assert algorithms == {"aws:kms", "AES256"}  # the output bucket; its access-log bucket
    bullet = README[README.index("* **Output.**"):README.index("* **The instances write the output")]
    assert "encrypted with KMS (SSE-KMS" in bullet and "access logs to" in bullet
    assert "encrypted (SSE-S3)" not in README
