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


def _codes_in_source():
    text = "\n".join(path.read_text() for path in SOURCE.glob("*.py") if path.name != "errors.py")
    literal = set(re.findall(r'fail\(\s*"([A-Za-z]+)"', text))
    passed_as_argument = set(re.findall(r'"((?:Invalid|Cron|Rate|Cutoff|Duration|Schedule)[A-Za-z]*)"\)', text))
    return literal | passed_as_argument


def test_every_code_raised_in_the_source_is_catalogued():
    unknown = _codes_in_source() - set(ERROR_CODES)
    assert not unknown


def test_readme_lists_every_error_code():
    readme = (ROOT / "README.md").read_text()
    missing = [code for code in ERROR_CODES if f"`{code}`" not in readme]
    assert not missing


def test_unregistered_code_is_a_bug_not_a_validation_error():
    import pytest

    with pytest.raises(AssertionError):
        mw_constructs.ValidationError("NoSuchCode", "x")
