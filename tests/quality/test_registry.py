"""The registry of error codes and warning ids: every rule has a strictness class and the
evidence that class needs, and every ``api:`` / ``cfn:`` evidence item names something that
exists in the SSM API model (botocore) or the CloudFormation resource schemas (cfn-lint)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List

import botocore.session
import pytest

from mw_constructs import ERROR_CODES, ERROR_RULES, WARNING_IDS, WARNING_RULES, Rule, Strictness

ERRORS = (Strictness.REFUSED, Strictness.FAILS, Strictness.USAGE, Strictness.UNDOCUMENTED)
_ITEM = re.compile(r"(api|cfn|doc|lib):(\S+)")


@lru_cache(maxsize=None)
def ssm_model() -> Any:
    return botocore.session.get_session().get_service_model("ssm")


def api_exists(reference: str) -> bool:
    """``Shape.Member`` (an operation name stands for its request shape) or an error ``Shape``."""
    model = ssm_model()
    shape_name, _, member = reference.partition(".")
    if shape_name in model.operation_names:
        shape = model.operation_model(shape_name).input_shape
    elif shape_name in model.shape_names:
        shape = model.shape_for(shape_name)
    else:
        return False
    return not member or member in getattr(shape, "members", {})


def cfn_exists(reference: str) -> bool:
    """``AWS::Service::Type.Property[.Sub...]`` in the us-east-1 resource schema."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    resource_type, _, path = reference.partition(".")
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    node: Dict[str, Any] = schema
    for name in path.split("."):
        while "$ref" in node or node.get("type") == "array":
            node = _deref(schema, node["$ref"]) if "$ref" in node else node.get("items", {})
        properties = node.get("properties", {})
        if name not in properties:
            return False
        node = properties[name]
    return True


def _deref(schema: Dict[str, Any], ref: str) -> Dict[str, Any]:
    node: Any = schema
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def items(rule: Rule) -> List[tuple]:
    found = []
    for evidence in rule.evidence:
        match = _ITEM.match(evidence)
        assert match, f"evidence {evidence!r} does not start with api:, cfn:, doc: or lib:"
        found.append((match.group(1), match.group(2)))
    return found


ALL_RULES = [*ERROR_RULES.items(), *WARNING_RULES.items()]


@pytest.mark.parametrize("key, rule", ALL_RULES, ids=[key for key, _ in ALL_RULES])
def test_every_rule_has_a_class_a_meaning_and_evidence(key, rule):
    assert isinstance(rule.strictness, Strictness) and rule.meaning and rule.evidence
    kinds = {kind for kind, _ in items(rule)}
    if rule.strictness is Strictness.REFUSED:
        assert kinds & {"api", "cfn", "doc"}, f"{key}: a refusal cites the API model, the schema or an AWS page"
    if rule.strictness in (Strictness.FAILS, Strictness.UNDOCUMENTED):
        assert kinds & {"api", "cfn", "doc", "lib"}
    if rule.strictness is Strictness.USAGE:
        assert "lib" in kinds, f"{key}: a usage error says which rule of the library's API it enforces"


def test_errors_are_errors_and_warnings_are_warnings():
    assert [code for code, rule in ERROR_RULES.items() if rule.strictness not in ERRORS] == []
    # InvalidWindow and InvalidAssociation are what `mw-constructs check` reports for a template's window or
    # association SSM would refuse
    assert [key for key, rule in WARNING_RULES.items() if rule.strictness is not Strictness.SUSPICIOUS] == [
        "mw-constructs:InvalidWindow", "mw-constructs:InvalidAssociation"]


def test_the_plain_views_match_the_rules():
    assert dict(ERROR_CODES) == {code: rule.meaning for code, rule in ERROR_RULES.items()}
    assert dict(WARNING_IDS) == {key: rule.meaning for key, rule in WARNING_RULES.items()}


def test_every_api_and_cfn_reference_exists():
    missing = [(key, kind, ref) for key, rule in ALL_RULES for kind, ref in items(rule)
               if (kind == "api" and not api_exists(ref)) or (kind == "cfn" and not cfn_exists(ref))]
    assert missing == []


def test_doc_evidence_is_a_web_address():
    assert [(key, ref) for key, rule in ALL_RULES for kind, ref in items(rule)
            if kind == "doc" and not ref.startswith("https://")] == []


def test_the_checker_can_fail():
    assert not api_exists("CreateMaintenanceWindow.Durations") and not api_exists("NoSuchShape")
    assert api_exists("CreateMaintenanceWindow.Duration") and api_exists("AlreadyExistsException")
    assert cfn_exists("AWS::SSM::PatchBaseline.ApprovalRules") and not cfn_exists("AWS::SSM::PatchBaseline.Approvals")
    assert cfn_exists("AWS::CloudFormation::StackSet.StackInstancesGroup")


def test_undocumented_refusals_are_the_ones_the_readme_lists():
    undocumented = sorted(code for code, rule in ERROR_RULES.items() if rule.strictness is Strictness.UNDOCUMENTED)
    assert undocumented == ["CronUnsupportedForm", "RateTooFrequent", "RepeatedFilterKey"]
