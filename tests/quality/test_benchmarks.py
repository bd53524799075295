"""The synthesis benchmarks compare like with like: each app of ``benchmarks/synth.py`` and
``benchmarks/organization.py`` writes the same maintenance-window resources, so a ratio between
their times is the cost of the way they are written, not of different templates."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
from aws_cdk import Stack

from benchmarks import organization, synth

SSM_TYPES = ("AWS::SSM::MaintenanceWindow", "AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask")


def _ssm_resources(template: Dict[str, Any]) -> List[str]:
    """The SSM resources of ``template``, in order, with each reference to another resource
    written as that resource's type and place (logical IDs differ between the apps)."""
    resources = template["Resources"]
    names = {}
    for resource_type in SSM_TYPES:
        for number, logical_id in enumerate(key for key, value in resources.items() if value["Type"] == resource_type):
            names[logical_id] = f"{resource_type}#{number}"
    roles = [key for key, value in resources.items() if value["Type"] == "AWS::IAM::Role"]
    names.update({logical_id: "the role" for logical_id in roles})

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Ref"} and value["Ref"] in names:
                return {"Ref": names[value["Ref"]]}
            if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in names:
                return {"Fn::GetAtt": [names[value["Fn::GetAtt"][0]], value["Fn::GetAtt"][1]]}
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return [json.dumps([value["Type"], plain(value["Properties"])], sort_keys=True)
            for value in resources.values() if value["Type"] in SSM_TYPES]


def _template(app: Any, stack_name: str = "Bench") -> Dict[str, Any]:
    stack = app.node.find_child(stack_name)
    assert isinstance(stack, Stack)
    return app.synth().get_stack_by_name(stack.stack_name).template


def test_every_app_of_the_synth_benchmark_writes_the_same_window_resources():
    l1 = _ssm_resources(_template(synth.with_l1(3)))
    assert len(l1) == 9
    for build in (synth.with_library, synth.with_library_timedelta, synth.with_floor,
                  synth.with_floor_without_durations, synth.with_resource_floor):
        assert _ssm_resources(_template(build(3))) == l1, build.__name__


def test_the_library_writes_the_same_template_with_durations_and_with_timedeltas():
    assert _template(synth.with_library(2)) == _template(synth.with_library_timedelta(2))


@pytest.mark.parametrize("kind", ["library", "timedelta", "floor"])
def test_every_app_of_the_organization_benchmark_writes_the_l1_apps_window_resources(kind, tmp_path, monkeypatch):
    monkeypatch.setattr(organization, "WINDOWS", 4)  # 2 stacks of 2 and no StackSet copies: enough to compare
    monkeypatch.setattr(organization, "PER_STACK", 2)
    monkeypatch.setattr(organization, "IN_STACK_SET", 0)
    l1, other = organization.build("l1", str(tmp_path / "l1")), organization.build(kind, str(tmp_path / kind))
    for stack_name in ("Accounts0", "Accounts1"):
        assert _ssm_resources(_template(other, stack_name)) == _ssm_resources(_template(l1, stack_name))
