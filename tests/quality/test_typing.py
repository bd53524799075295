"""The typing gate: ``mypy --strict`` and ``pyright`` pass on the library, on every example of the
README and the docs site, and on the code ``mw-constructs import`` writes.

Both checkers run once, in background processes started at collection (see background.py),
over ``src/mw_constructs``, the documentation's examples (the walkthrough is the typed user app) and a
canary file with one deliberate error: each checker must report exactly that error and nothing
else, which proves it really looked at the files (a checker that reads nothing also exits 0).
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from tests.support.background import ROOT, Jobs
from tests.support.doc_snippets import EXAMPLES, SNIPPETS, module_name, write

pytestmark = pytest.mark.background
BACKGROUND_ORDER = 10  # the longest jobs: mypy over aws-cdk-lib's stubs takes about a minute cold

CANARY = '''"""A deliberate type error the checkers must find (see tests/quality/test_typing.py)."""
from constructs import Construct

from mw_constructs import PatchingWindow


def window_id(scope: Construct) -> int:
    return PatchingWindow.from_window_id(scope, "Window", "mw-0123456789abcdef0").window_id  # str, not int
'''
CANARY_LINE = 8


def _files() -> list:
    # a fixed directory (build/ is ignored by git): mypy's cache remembers each module's path and
    # replays its errors under that path, so fresh temporary names would report stale ones
    directory = ROOT / "build" / "typed-docs"
    files = [write(directory, module_name(example), str(example.parsed)) for example in EXAMPLES]
    from tests.support.adoption import write_adopted  # the code `mw-constructs import` writes (issue 22)

    return [write(directory, "typing_canary", CANARY), *files, write_adopted(directory)]


def start_background_jobs(jobs: Jobs) -> None:
    files = [str(path) for path in _files()]
    jobs.python("mypy", "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
                str(ROOT / "src" / "mw_constructs"), *files)
    jobs.python("pyright", "-m", "pyright", "--outputjson", "--pythonpath", sys.executable,
                str(ROOT / "src" / "mw_constructs"), *files)


def _result(name: str):
    from tests.support.background import JOBS

    return JOBS.result(name)


def test_mypy_strict_is_clean_on_the_library_and_the_docs():
    result = _result("mypy")
    findings = [line for line in result.stdout.splitlines() if re.search(r": (error|note):", line)]
    errors = [line for line in findings if ": error:" in line]
    assert len(errors) == 1 and f"typing_canary.py:{CANARY_LINE}:" in errors[0], "\n".join(findings) + result.stderr
    assert "Incompatible return value type" in errors[0] and '"str"' in errors[0], errors[0]


def test_pyright_is_clean_on_the_library_and_the_docs():
    result = _result("pyright")
    report = json.loads(result.stdout)
    problems = [d for d in report["generalDiagnostics"] if d["severity"] in ("error", "warning")]
    described = [f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}" for d in problems]
    assert len(problems) == 1, "\n".join(described)
    (canary,) = problems
    assert canary["file"].endswith("typing_canary.py") and canary["range"]["start"]["line"] + 1 == CANARY_LINE, described
    assert report["summary"]["filesAnalyzed"] >= len(SNIPPETS) + 20
