"""Determinism and stability: same app, same bytes; logical ids never move silently."""

from __future__ import annotations

import json
from pathlib import Path

from examples import app as example_app
from tests.support import ROOT
from tests.support.apps import new_app

PINNED = ROOT / "tests" / "quality" / "logical_ids.json"


def synthesize() -> dict:
    app = new_app()
    example_app.build(app)
    assembly = app.synth()
    return {path.name: path.read_bytes() for path in Path(assembly.directory).glob("*.template.json")}


def test_synthesizing_the_same_app_twice_gives_byte_identical_templates():
    first, second = synthesize(), synthesize()
    assert first.keys() == second.keys() and len(first) == 3
    for name in first:
        assert first[name] == second[name], f"{name} differs between two synths"


def test_logical_ids_of_the_examples_are_pinned():
    """A refactor that changes these would replace deployed windows, targets and tasks.

    If the change is intended (and you accept the replacement), update tests/quality/logical_ids.json.
    """
    app = new_app()
    example_app.build(app)
    actual = {stack.stack_name: {k: v["Type"] for k, v in stack.template["Resources"].items()}
              for stack in app.synth().stacks}
    pinned = json.loads(PINNED.read_text())
    for stack, resources in pinned.items():
        moved = {k: v for k, v in resources.items() if actual.get(stack, {}).get(k) != v}
        added = {k: v for k, v in actual.get(stack, {}).items() if k not in resources}
        assert not moved, f"{stack}: resources no longer at their pinned logical id (would be replaced): {moved}"
        assert not added, f"{stack}: new resources; pin them in tests/quality/logical_ids.json: {added}"
    assert set(actual) == set(pinned)


def test_templates_do_not_depend_on_the_process_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "from tests.support.apps import new_app\nfrom examples import app\n"
        "a = new_app(); app.build(a); print(a.synth().directory)\n"
    )
    directories = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout
        directories.append(Path(out.strip().splitlines()[-1]))
    for template in directories[0].glob("*.template.json"):
        assert template.read_bytes() == (directories[1] / template.name).read_bytes(), template.name
