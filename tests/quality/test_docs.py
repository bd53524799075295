"""The documentation: README.md and the MkDocs site (mkdocs.yml, docs/).

* Every Python example in them (each ```python block, found by sybil's Markdown parser) runs as
  written in this process: with an empty namespace, its own ``cdk.out`` and the strict schema
  validation of the other tests. mypy and pyright check the same examples (test_typing.py).
* The site builds with ``mkdocs build --strict`` (a background job): a broken link, anchor or
  API reference, or a docstring whose parameters are not the signature's, fails it.
* Every exported name has its entry in the API reference; the README stays an overview.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT
from tests.support.apps import STRICT_CONTEXT
from tests.support.background import Jobs
from tests.support.doc_snippets import DOCS, EXAMPLES, README, example_name

BACKGROUND_ORDER = 20  # after the typing checks (the longest jobs)
WALKTHROUGH_PAGE = DOCS / "walkthrough.md"
WALKTHROUGH = next(str(e.parsed) for e in EXAMPLES if Path(e.path) == WALKTHROUGH_PAGE)
PACKS = "\nfrom mw_constructs import add_compliance_checks\nadd_compliance_checks(app)\napp.synth()\n"
INLINE_GRANT = (  # step 5 the one-call way: aws-cdk-lib's grant writes an inline policy
    "role.grant_pass_role(iam.Group.from_group_name(stack, \"Admins\", \"patching-admins\"))\n"
)


def start_background_jobs(jobs: Jobs) -> None:
    jobs.python("mkdocs", "-m", "mkdocs", "build", "--strict", "--site-dir", str(jobs.scratch / "site"),
                env={"NO_MKDOCS_2_WARNING": "1"})


@pytest.fixture
def strict_outdir(tmp_path, monkeypatch):
    """What a program would see run alone with the tests' settings: ``App()`` writes to a
    ``cdk.out`` of its own and has the strict context. (The jsii kernel is a Node process started
    once per session, so CDK_OUTDIR and CDK_CONTEXT_JSON set now would not reach it: the App
    class the examples import is swapped for one with those defaults.)"""
    import aws_cdk

    outdir = tmp_path / "cdk.out"
    real_app = aws_cdk.App

    class App(real_app):  # type: ignore[misc, valid-type]
        def __init__(self, **options):
            options.setdefault("outdir", str(outdir))
            options["context"] = {**STRICT_CONTEXT, **(options.get("context") or {})}
            super().__init__(**options)

    monkeypatch.setattr(aws_cdk, "App", App)
    monkeypatch.chdir(tmp_path)
    return outdir


def _run(source: str) -> None:
    exec(compile(source, "<example>", "exec"), {"__name__": "__main__"})


def test_the_docs_have_examples():
    assert len(EXAMPLES) >= 16
    assert {Path(e.path).name for e in EXAMPLES} >= {"README.md", "walkthrough.md", "tasks.md", "state-manager.md"}


@pytest.mark.parametrize("example", EXAMPLES, ids=example_name)
def test_example_runs_as_written(example, strict_outdir):
    example.namespace.clear()  # each example is a whole program: nothing from the one before
    example.namespace["__name__"] = "__main__"
    example.evaluate()


def test_examples_run_with_strict_validation(strict_outdir):
    from aws_cdk import App

    assert App().node.try_get_context("@aws-cdk/core:validateAgainstDefaultRules") is True


def test_fails_when_an_example_breaks(strict_outdir):
    """The example test really runs the code: a refused value in an example fails it."""
    from mw_constructs import ValidationError

    broken = WALKTHROUGH.replace("cron(0 2 ? * SUN *)", "cron(0 2 * * SUN *)")
    assert broken != WALKTHROUGH
    with pytest.raises(ValidationError, match="CronDaysConflict"):
        _run(broken)


def test_walkthrough_synthesizes_the_resources_the_page_lists(strict_outdir):
    page = WALKTHROUGH_PAGE.read_text()
    section = page[page.index("It synthesizes these resources"):]
    section = section[:section.index("\n\n", section.index("* 1 ×"))]
    listed = {kind: int(count) for count, kind in re.findall(r"^\* (\d+) × `([\w:]+)`", section, flags=re.M)}
    _run(WALKTHROUGH)
    resources = json.loads((strict_outdir / "Patching.template.json").read_text())["Resources"]
    assert dict(Counter(r["Type"] for r in resources.values())) == listed


def _with_packs(source: str) -> str:
    assert source.count("\napp.synth()\n") == 1
    return source.replace("\napp.synth()\n", PACKS)


def test_walkthrough_passes_the_compliance_packs(strict_outdir):
    _run(_with_packs(WALKTHROUGH))


def test_fails_when_the_walkthrough_grants_pass_role_inline(strict_outdir):
    """Why the walkthrough uses pass_role_statement(): the grant's inline policy fails the packs."""
    step5 = re.search(r"iam\.ManagedPolicy\(stack, \"PassTaskRole\".*?\)\]\)\n", WALKTHROUGH, flags=re.S)
    assert step5 is not None, "the walkthrough's step 5 changed: update this test"
    with pytest.raises(Exception, match="IAMNoInlinePolicy"):
        _run(_with_packs(WALKTHROUGH.replace(step5.group(0), INLINE_GRANT)))


def test_the_page_states_the_output_bucket_encryption_the_library_uses(stack):
    """Issue 8: the README said SSE-S3 where the bucket uses aws:kms."""
    from aws_cdk import Duration

    from mw_constructs import PatchingWindow, PatchOperation, RunPatchBaselineTask, TaskOutput, WindowSchedule
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
    page = (DOCS / "tasks.md").read_text()
    bullet = page[page.index("* **Output.**"):page.index("* **The instances write the output")]
    assert "encrypted with KMS (SSE-KMS" in bullet and "access logs to" in bullet
    assert "encrypted (SSE-S3)" not in page


def test_the_readme_is_an_overview():
    """Issue 24: what it does, install, the quick start, one example, a picture, links."""
    assert README.count("\n") < 250
    for page in ("docs/install.md", "docs/walkthrough.md", "docs/reference/index.md", "docs/errors.md"):
        assert f"]({page})" in README, page
    assert "![" in README and "docs/calendar.svg" in README


def _reference() -> str:
    return "\n".join(path.read_text() for path in sorted((DOCS / "reference").glob("*.md")))


def test_every_exported_name_is_in_the_api_reference():
    import mw_constructs

    documented = set(re.findall(r"^::: mw_constructs\.(\w+)$", _reference(), flags=re.M))
    assert sorted(set(mw_constructs.__all__) - {"__version__"} - documented) == []


def test_every_page_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    listed = set(re.findall(r"[\w/.-]+\.md", json.dumps(config["nav"])))
    pages = {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")}
    assert pages == listed


@pytest.mark.background
def test_the_docs_site_builds_strictly():
    from tests.support.background import JOBS

    result = JOBS.result("mkdocs")
    assert result.returncode == 0, result.stderr[-4000:]
    site = JOBS.scratch / "site"
    errors = (site / "errors" / "index.html").read_text()
    assert "CronDaysConflict" in errors and "mw-constructs:OverlappingStarts" in errors  # the hook ran
    reference = (site / "reference" / "windows" / "index.html").read_text()
    assert "for_environment" in reference and "WindowOptions" in reference  # mkdocstrings ran


def test_fails_when_a_page_links_to_a_missing_anchor(tmp_path):
    """The site's strictness is real: with mkdocs.yml's own validation settings, a link to an
    anchor that does not exist stops the build."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["strict"] is True
    small = {key: config[key] for key in ("site_name", "strict", "validation", "markdown_extensions")}
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [grammar](other.md#no-such-section).\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Schedule grammar\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(small))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path,
                            capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    assert result.returncode != 0 and "no-such-section" in result.stderr
