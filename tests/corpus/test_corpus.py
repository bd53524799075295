"""The real-world corpus (tests/corpus/README.md): every public configuration rebuilt with the
library matches its original property by property, except for the documented differences; every
refusal is one AWS makes too, or a run that certainly fails."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from aws_cdk import Stack

from mw_constructs import ERROR_RULES, Strictness
from tests.corpus.support import Entry, compare, entries, lines_of_original, lines_of_rebuild
from tests.support.api_model import problems
from tests.support.apps import new_app, raises_code, template_of

ENTRIES = entries()
REFUSALS = [(entry, refusal) for entry in ENTRIES for refusal in entry.refused]


def rebuild(entry: Entry):
    stack = Stack(new_app(), "Corpus")
    built = entry.module.build(stack)
    template = template_of(stack).to_json()
    ids = {original: stack.get_logical_id(construct.node.default_child) for original, construct in built.items()}
    return compare(entry, template, ids)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_the_rebuild_matches_the_original_but_for_documented_differences(entry):
    comparison = rebuild(entry)
    assert comparison.compared > 0
    assert {path: what for path, what in comparison.differences.items() if path not in entry.partly} == {}
    assert [path for path in entry.partly if path not in comparison.differences] == [], "a documented difference is gone"
    assert all(reason.strip() for reason in entry.partly.values())


@pytest.mark.parametrize("entry, refusal", REFUSALS, ids=[f"{e.name}:{r.what}" for e, r in REFUSALS])
def test_what_the_library_refuses_aws_refuses_or_certainly_fails(entry, refusal):
    with raises_code(refusal.code):
        refusal.build(Stack(new_app(), "Refused"))
    if refusal.request is not None:
        operation, parameters = refusal.request
        assert problems(operation, parameters), f"the SSM API model accepts {refusal.what}"
    else:
        assert refusal.fails.strip(), "a refusal the API accepts says why the run certainly fails"
        assert ERROR_RULES[refusal.code].strictness is Strictness.FAILS


def test_the_corpus_has_at_least_15_configurations_with_origin_and_licence():
    assert len(ENTRIES) >= 15
    for entry in ENTRIES:
        origin = (entry.folder / "ORIGIN.md").read_text()
        assert re.search(r"Licen[cs]e: \S", origin), entry.name
        assert re.search(r"Commit: `[0-9a-f]{40}`", origin), entry.name
        assert re.search(r"(Repository|URL): https://", origin), entry.name
        assert (entry.folder / entry.module.SOURCE[0]).is_file()
        assert entry.resources, f"{entry.name}: no SSM resources read from the original"


def test_what_is_left_out_or_written_through_the_escape_hatch_says_why():
    for entry in ENTRIES:
        assert all(reason.strip() for reason in entry.not_rebuilt.values()), entry.name
        assert set(entry.not_rebuilt) <= set(entry.resources), entry.name
        assert all(reason.strip() for reason in entry.escapes.values()), entry.name
        uses_escape = "add_property_override" in inspect.getsource(entry.module.build)
        assert uses_escape == bool(entry.escapes), f"{entry.name}: ESCAPES lists exactly what build() overrides"


def test_the_comparison_finds_a_changed_a_missing_and_an_added_property():
    entry = next(e for e in ENTRIES if e.name == "aws_cli_create_maintenance_window")
    stack = Stack(new_app(), "Corpus")
    built = entry.module.build(stack)
    ids = {original: stack.get_logical_id(construct.node.default_child) for original, construct in built.items()}
    template = template_of(stack).to_json()
    properties = template["Resources"][ids["cli1"]]["Properties"]
    properties["Duration"] = 3
    del properties["Cutoff"]
    properties["Description"] = "added"
    assert set(compare(entry, template, ids).differences) == {"cli1.Duration", "cli1.Cutoff", "cli1.Description"}


def test_lines_are_counted():
    for entry in ENTRIES:
        assert lines_of_original(entry) > 0 and lines_of_rebuild(entry) > 0


RESOLVED = [entry for entry in ENTRIES if entry.module.SOURCE[1] == "resolved"]


@pytest.mark.parametrize("entry", RESOLVED, ids=[entry.name for entry in RESOLVED])
def test_a_resolved_module_accounts_for_every_ssm_resource_of_its_files(entry):
    """Every ``resource "aws_ssm_*"`` of the copied Terraform files is in resolved.json, or folded
    into one of its resources or left out with the reason."""
    resolved = json.loads((entry.folder / entry.module.SOURCE[0]).read_text())
    addresses = {f"{kind}.{name}" for path in entry.folder.glob("*.tf")
                 for kind, name in re.findall(r'^resource "(aws_ssm_\w+)" "(\w+)"', path.read_text(), re.M)}
    assert addresses, entry.name
    listed = {re.sub(r"\[.*\]$", "", key) for key in resolved["Resources"]} | set(resolved.get("Folded", {}))
    assert sorted(addresses - listed) == []
    assert all(reason.strip() for reason in resolved.get("Folded", {}).values())
    assert resolved.get("Inputs", "").strip(), "resolved.json says which inputs it applies"
