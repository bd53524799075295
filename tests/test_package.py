"""Package-level guarantees: public names, pure core, error catalogue."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import mw_constructs
from mw_constructs import ERROR_CODES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "mw_constructs"


def test_every_public_name_resolves_and_has_a_docstring():
    for name in mw_constructs.__all__:
        value = getattr(mw_constructs, name)
        if name != "ERROR_CODES":
            assert value.__doc__ and value.__doc__.strip(), name


def test_schedule_core_loads_without_aws_cdk():
    code = (
        "import sys, mw_constructs\n"
        "from mw_constructs import WindowSchedule, ValidationError\n"
        "WindowSchedule.expression('cron(0 2 ? * SUN *)', time_zone='Europe/Amsterdam')\n"
        "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Where each raising helper takes its error code (positional index).
CODE_ARGUMENT = {"fail": 0, "ValidationError": 0, "check_int_range": 4, "check_text": 4, "whole_hours": 4, "whole_seconds": 4}


def _codes_in_source():
    import ast

    codes = set()
    for path in SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                index = CODE_ARGUMENT.get(name)
                if index is not None and len(node.args) > index and isinstance(node.args[index], ast.Constant):
                    codes.add(node.args[index].value)
    return codes


def test_every_code_raised_in_the_source_is_catalogued():
    found = _codes_in_source()
    assert len(found) > 40, "the scan found the codes"
    assert not found - set(ERROR_CODES)


def test_readme_lists_every_error_code():
    readme = (ROOT / "README.md").read_text()
    missing = [code for code in ERROR_CODES if f"`{code}`" not in readme]
    assert not missing


def test_unregistered_code_is_a_bug_not_a_validation_error():
    import pytest

    with pytest.raises(AssertionError):
        mw_constructs.ValidationError("NoSuchCode", "x")


def test_readme_lists_every_warning_id():
    from mw_constructs._analysis import FINDING_IDS

    readme = (ROOT / "README.md").read_text()
    assert all(f"`{finding}`" in readme for finding in FINDING_IDS)


def test_every_error_code_is_expected_by_some_test():
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").glob("test_*.py"))
    mentioned = set(re.findall(r'"([A-Z][A-Za-z0-9]+)"', tests))
    assert not [code for code in ERROR_CODES if code not in mentioned]


def test_readme_error_catalogue_is_generated_from_the_library():
    import importlib.util

    spec = importlib.util.spec_from_file_location("error_catalogue", ROOT / "scripts" / "error_catalogue.py")
    catalogue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue)
    readme = (ROOT / "README.md").read_text()
    assert set(catalogue.EXAMPLES) == set(ERROR_CODES), "every code has an example"
    assert catalogue.readme_with_catalogue(readme) == readme, "run: python scripts/error_catalogue.py --write"


def test_the_cfn_lint_gate_reports_findings():
    from conftest import cfn_lint_findings

    bad = {"Resources": {"W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {"Name": "w", "Duration": 99}}}}
    findings = cfn_lint_findings(bad)
    assert any(f.startswith("E3003") for f in findings) and any("99" in f for f in findings)
