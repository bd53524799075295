"""Apps and templates for the tests: one App per test with strict CloudFormation validation, the
cfn-lint and cdk-nag gates, and helpers that read templates and expect error codes."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Callable, List

import pytest
from aws_cdk import App, Stack, Validations
from aws_cdk.assertions import Template

STRICT_CONTEXT = {"@aws-cdk/core:validateAgainstDefaultRules": True}
LINT_REGIONS = ["us-east-1", "eu-west-1"]


def new_app(*, nag: bool = False, packs: bool = False) -> App:
    """An App that turns aws-cdk-lib's schema findings into errors, and runs cdk-nag's
    AwsSolutions pack (``nag``) or all four compliance packs (``packs``) if asked."""
    app = App(context=dict(STRICT_CONTEXT))
    if packs:
        from mw_constructs import add_compliance_checks

        add_compliance_checks(app)
    elif nag:
        from cdk_nag import AwsSolutionsChecks

        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


def sunday_window(scope, id: str = "Window", **options):
    """The tests' usual window: Sundays 02:00 UTC, open 3 hours, no new tasks in the last hour."""
    from aws_cdk import Duration

    from mw_constructs import PatchingWindow, WindowSchedule

    return PatchingWindow(scope, id, schedule=WindowSchedule.expression("cron(0 2 ? * SUN *)"),
                          duration=Duration.hours(3), cutoff=Duration.hours(1), **options)


def template_of(stack: Stack) -> Template:
    """Synthesize the stack's app (running every validation) and return its template."""
    return Template.from_stack(stack)


def cfn_lint_findings(template: dict) -> List[str]:
    """Every cfn-lint finding (errors, warnings and informational) for a template."""
    from cfnlint.decode.decode import decode_str

    # ensure_ascii=False: as aws-cdk-lib writes templates (raw UTF-8); ASCII escapes of characters
    # beyond the BMP (surrogate pairs) are something cfn-lint's decoder cannot read.
    decoded, errors = decode_str(json.dumps(template, ensure_ascii=False))
    matches = errors or list(_cfn_lint_runner().validate_template(decoded))
    return [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in matches]


@functools.lru_cache(maxsize=1)
def _cfn_lint_runner():
    """One cfn-lint runner (loading its rules takes ~0.5 s; validating then ~50 ms)."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=LINT_REGIONS))


def resources_of_type(template: Template, resource_type: str) -> dict:
    """{logical id: resource} for one CloudFormation type."""
    return template.find_resources(resource_type)


def only_properties(template: Template, resource_type: str) -> dict:
    """Properties of the single resource of a type (fails if there is not exactly one)."""
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
    return next(iter(found.values()))["Properties"]


def raises_code(code: str) -> Callable:
    """Context manager: expects mw_constructs.ValidationError with the given code."""
    from mw_constructs import ValidationError

    class _Expect:
        def __enter__(self):
            self._ctx = pytest.raises(ValidationError)
            self.info = self._ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            result = self._ctx.__exit__(*exc)
            if result:
                assert self.info.value.code == code, f"code {self.info.value.code!r} != {code!r}: {self.info.value}"
            return result

    return _Expect()


def role_statements(template: dict, role_id: str) -> list:
    """Every policy statement that applies to a role: inline, customer managed or attached policy."""
    resources = template["Resources"] if "Resources" in template else template
    statements = []
    for policy in resources[role_id]["Properties"].get("Policies", []):
        statements += policy["PolicyDocument"]["Statement"]
    for resource in resources.values():
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            if {"Ref": role_id} in resource["Properties"].get("Roles", []):
                statements += resource["Properties"]["PolicyDocument"]["Statement"]
    return statements


def only_role_id(template: dict) -> str:
    """The logical id of the single AWS::IAM::Role of a template."""
    roles = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::IAM::Role"]
    assert len(roles) == 1, roles
    return roles[0]


def warnings_of(stack: Stack) -> List[str]:
    """Every warning of ``stack``'s constructs, as written (the message and ``[ack: <id>]``)."""
    from aws_cdk.assertions import Annotations, Match

    return [str(message.entry.data) for message in Annotations.from_stack(stack).find_warning("*", Match.any_value())]


def warning_ids_of(stack: Stack) -> List[str]:
    """The ids of ``stack``'s warnings (``mw-constructs:...``), in order."""
    import re

    return [found.group(1) for text in warnings_of(stack) for found in [re.search(r"\[ack: ([^\]]+)\]", text)] if found]


def failed_rules(error: BaseException) -> List[str]:
    """The rule names (``AwsSolutions-IAM5[Resource::*]``, ``NIST.800.53.R5-LambdaDLQ``) a failed
    synthesis reports as violations: from the validation report the error names (the message
    of aws-cdk-lib before 2.272 gives only its path), else from the message itself."""
    text = str(error)
    match = re.search(r"found in: (\S+validation-report\.json)", text)
    if match and Path(match.group(1)).is_file():
        report = json.loads(Path(match.group(1)).read_text())
        return [violation["ruleName"] for plugin in report.get("pluginReports", [])
                for violation in plugin.get("violations", [])]
    return re.findall(r"Acknowledge with '[^:']+::([^']+)'", text)
