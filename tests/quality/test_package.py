"""Package-level guarantees: public names, pure core, error catalogue."""

from __future__ import annotations

import re
import subprocess
import sys

import mw_constructs
from mw_constructs import ERROR_CODES
from tests.support import ROOT

SOURCE = ROOT / "src" / "mw_constructs"


def test_every_public_name_resolves_and_has_a_docstring():
    for name in mw_constructs.__all__:
        value = getattr(mw_constructs, name)
        if name not in ("ERROR_CODES", "ERROR_RULES", "WARNING_IDS", "WARNING_RULES", "__version__"):
            assert value.__doc__ and value.__doc__.strip(), name


def test_all_is_a_literal_list_equal_to_the_lazy_exports():
    import ast

    tree = ast.parse((SOURCE / "__init__.py").read_text())
    [literal] = [n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "__all__"]
    assert isinstance(literal, ast.List), "__all__ must be a literal list for type checkers"
    names = [element.value for element in literal.elts]
    assert sorted(names) == sorted([*mw_constructs._EXPORTS, "__version__"])


def test_version_is_the_package_version():
    from importlib.metadata import version

    assert mw_constructs.__version__ == version("mw-constructs")


def test_schedule_core_loads_without_aws_cdk():
    code = (
        "import sys, mw_constructs\n"
        "from mw_constructs import WindowSchedule, ValidationError\n"
        "WindowSchedule.expression('cron(0 2 ? * SUN *)', time_zone='Europe/Amsterdam')\n"
        "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Where each raising helper takes its error code: (positional index, keyword name).
CODE_ARGUMENT = {"fail": 0, "ValidationError": 0, "check_int_range": 4, "check_text": 4, "whole_hours": 4,
                 "whole_seconds": 4, "check_pattern": 2, "check_no_control_characters": 2}


def _calls(kinds):
    """(path, line, call, innermost enclosing function or None) of every call to a name in ``kinds``."""
    import ast

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call) and getattr(child.func, "id", getattr(child.func, "attr", None)) in kinds:
                yield child, function
            yield from visit(child, inner)

    for path in SOURCE.rglob("*.py"):
        for call, function in visit(ast.parse(path.read_text()), None):
            yield path.relative_to(SOURCE), call.lineno, call, function


def _code_argument(call, index):
    import ast

    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    before = call.args[:index + 1]
    if len(call.args) > index and not any(isinstance(arg, ast.Starred) for arg in before):
        return call.args[index]
    return None


def _codes_in_source():
    """Every code literal at a raise site; fails on a code that is neither a literal nor a helper's
    own ``code`` parameter passed on (so no code can be built at run time)."""
    import ast

    codes, dynamic = set(), []
    for path, line, call, function in _calls(CODE_ARGUMENT):
        name = getattr(call.func, "id", getattr(call.func, "attr", None))
        argument = _code_argument(call, CODE_ARGUMENT[name])
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            codes.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id == "code" and isinstance(function, ast.FunctionDef) \
                and "code" in [a.arg for a in function.args.args + function.args.kwonlyargs]:
            continue  # a helper passing on the code its caller wrote
        else:
            dynamic.append(f"{path}:{line}")
    return codes, dynamic


def test_every_code_raised_in_the_source_is_a_registered_literal():
    found, dynamic = _codes_in_source()
    assert len(found) > 60, "the scan found the codes"
    assert dynamic == [], "codes must be written as literals at the raise site"
    assert sorted(found - set(ERROR_CODES)) == []


def test_every_registered_code_is_raised_somewhere():
    found, _ = _codes_in_source()
    assert sorted(set(ERROR_CODES) - found) == []


def test_every_warning_is_added_with_a_registered_literal_id():
    import ast

    from mw_constructs import WARNING_IDS

    ids, sites = set(), []
    for path, line, call, _ in _calls({"check_warning_id", "Finding", "Advice"}):
        argument = call.args[0] if call.args else None
        if isinstance(argument, ast.Constant):
            ids.add(argument.value)
        elif not (path.name == "checks.py" and ast.unparse(argument) == "self.id"):
            sites.append(f"{path}:{line}")  # only Finding checks the id it was given
    for path, line, call, _ in _calls({"add_warning_v2"}):
        argument = call.args[0]
        wrapped = isinstance(argument, ast.Call) and getattr(argument.func, "id", None) == "check_warning_id"
        from_finding = isinstance(argument, ast.Attribute) and argument.attr == "id"  # Finding checks its id
        if not (wrapped or from_finding):
            sites.append(f"{path}:{line}")
    assert sites == [], "warning ids must be registered literals"
    assert sorted(ids - set(WARNING_IDS)) == []
    assert sorted(set(WARNING_IDS) - ids) == [], "every registered id is used"


def test_unregistered_warning_id_is_a_bug():
    import pytest

    from mw_constructs._internal.validate import check_warning_id

    with pytest.raises(AssertionError):
        check_warning_id("mw-constructs:NoSuchWarning")


def _catalogue_module():
    from tests.support import load_script

    return load_script("error_catalogue")


def test_the_docs_error_catalogue_lists_every_error_code():
    """docs/errors.md gets its table from scripts/error_catalogue.py while the site builds."""
    catalogue = _catalogue_module()
    table = catalogue.catalogue()
    assert set(catalogue.EXAMPLES) == set(ERROR_CODES), "every code has an example"
    assert [code for code in ERROR_CODES if f"| `{code}` |" not in table] == []
    page = (ROOT / "docs" / "errors.md").read_text()
    assert page.count(catalogue.START) == 1 and page.count(catalogue.END) == 1


def test_unregistered_code_is_a_bug_not_a_validation_error():
    import pytest

    with pytest.raises(AssertionError):
        mw_constructs.ValidationError("NoSuchCode", "x")


def test_the_docs_error_catalogue_lists_every_warning_id():
    from mw_constructs import WARNING_IDS

    table = _catalogue_module().catalogue()
    assert [warning_id for warning_id in WARNING_IDS if f"| `{warning_id}` |" not in table] == []


def test_every_error_code_is_expected_by_some_test():
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    mentioned = set(re.findall(r'"([A-Z][A-Za-z0-9]+)"', tests))
    assert not [code for code in ERROR_CODES if code not in mentioned]


def test_the_cfn_lint_gate_reports_findings():
    from tests.support.apps import cfn_lint_findings

    bad = {"Resources": {"W": {"Type": "AWS::SSM::MaintenanceWindow", "Properties": {"Name": "w", "Duration": 99}}}}
    findings = cfn_lint_findings(bad)
    assert any(f.startswith("E3003") for f in findings) and any("99" in f for f in findings)


def test_license_file_and_spdx_project_license():
    """Issue 8: no LICENSE file; project.license in the deprecated table form."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text() and "Version 2.0" in (ROOT / "LICENSE").read_text()


def test_sdist_carries_the_library_and_license_but_no_tests(tmp_path):
    """Issue 8: the sdist shipped tests without what they need. Now it ships none of them."""
    import subprocess
    import sys
    import tarfile

    subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                    "print(build_meta.build_sdist(sys.argv[1]))", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    [sdist] = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert "LICENSE" in names and "README.md" in names and "pyproject.toml" in names
    assert "src/mw_constructs/__init__.py" in names and "src/mw_constructs/py.typed" in names
    assert "src/mw_constructs/cli/svg.py" in names and "src/mw_constructs/tasks/run_command.py" in names
    assert not [name for name in names if name.startswith(("tests/", "benchmarks/", "scripts/", "examples/", ".ci/"))]



def _pins(path) -> dict:
    """``name==version`` lines of a floor file, by normalised name."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def _floors(requirements) -> dict:
    """The ``>=`` lower bound of each requirement that has one, by normalised name."""
    floors = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)(?:\s*,.*)?", requirement)
        if match:
            floors[match.group(1).lower().replace("_", "-")] = match.group(2)
    return floors


def _same(version: str) -> tuple:
    """``4.6`` and ``4.6.0`` are the same floor."""
    numbers = [int(part) for part in version.split(".")]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def test_the_floor_job_installs_exactly_the_declared_floors():
    """.ci/floor/run installs .ci/floor/*.txt: every runtime dependency, the aws extra and the nag
    extra at the lowest version pyproject.toml declares (botocore: the one that boto3 floor takes)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _floors(project["dependencies"])
    assert len(declared) == len(project["dependencies"]), "every runtime dependency needs a floor"
    declared.update(_floors(project["optional-dependencies"]["aws"]))
    core = _pins(ROOT / ".ci" / "floor" / "core.txt")
    del core["botocore"]
    assert {name: _same(v) for name, v in core.items()} == {name: _same(v) for name, v in declared.items()}
    nag = _pins(ROOT / ".ci" / "floor" / "nag.txt")
    for extra in ("nag", "test"):
        assert _same(_floors(project["optional-dependencies"][extra])["cdk-nag"]) == _same(nag["cdk-nag"])
    assert "bash .ci/floor/run" in (ROOT / ".ci" / "run").read_text()


def test_the_built_sdist_and_wheel_pass_twine_check_and_pypi_s_classifiers(tmp_path):
    """Issue 24, point 3: the distributions PyPI would be given are well formed (twine check
    --strict: metadata, the README rendered as the long description), and every classifier is one
    PyPI takes; the supported Pythons are classifiers, from requires-python's floor up."""
    import subprocess
    import sys
    import tomllib

    from trove_classifiers import classifiers

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert [c for c in project["classifiers"] if c not in classifiers] == []
    floor = int(project["requires-python"].split(".")[1])
    pythons = sorted(int(c.rsplit(".", 1)[1]) for c in project["classifiers"]
                     if c.startswith("Programming Language :: Python :: 3.") and c.count(".") == 1)
    assert pythons[0] == floor and pythons == list(range(floor, pythons[-1] + 1)) and project["keywords"]
    for build in ("build_sdist", "build_wheel"):  # one process each: setuptools keeps state between the two
        subprocess.run([sys.executable, "-c", f"import sys; from setuptools import build_meta; build_meta.{build}(sys.argv[1])",
                        str(tmp_path)], cwd=ROOT, check=True, capture_output=True, text=True)
    names = sorted(path.name for path in tmp_path.iterdir() if path.name.endswith((".tar.gz", ".whl")))
    assert sorted(name.rsplit(".", 1)[-1] for name in names) == ["gz", "whl"], names
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *(str(tmp_path / n) for n in names)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count("PASSED") == 2, check.stdout + check.stderr


# ------------------------------------------------------------------ versions and releases


def _release_check():
    from tests.support import load_script

    return load_script("release_check")


def test_the_version_is_the_changelog_s_first_heading():
    """Issue 24: the version said 0.2.0 under a CHANGELOG whose top was "Unreleased"."""
    from packaging.version import Version

    version = Version(mw_constructs.__version__)
    headings = _release_check().changelog_versions(ROOT)
    assert headings[0][0] == version.base_version
    assert (headings[0][1] == "unreleased") == version.is_devrelease, headings[0]
    assert [Version(v) for v, _ in headings] == sorted((Version(v) for v, _ in headings), reverse=True)
    text = (ROOT / "CHANGELOG.md").read_text()
    assert len(headings) == len(re.findall(r"^## ", text, flags=re.M)), "every heading is a version with its date"


def _fake_project(tmp_path, version, heading):
    (tmp_path / "src" / "mw_constructs").mkdir(parents=True)
    (tmp_path / "src" / "mw_constructs" / "_version.py").write_text(f'__version__ = "{version}"\n')
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n{heading}\n\n- a change\n\n## 0.1.0 (2026-11-23, not published)\n")
    return tmp_path


def test_a_release_whose_tag_version_and_changelog_agree_passes(tmp_path):
    root = _fake_project(tmp_path, "0.3.0", "## 0.3.0 (2027-01-15)")
    assert _release_check().problems("v0.3.0", root) == []


def test_fails_when_a_release_is_tagged_before_its_changelog_date(tmp_path):
    check = _release_check()
    root = _fake_project(tmp_path, "0.3.0", "## 0.3.0 (unreleased)")
    assert [p for p in check.problems("v0.3.0", root) if "put the release date" in p]


def test_fails_when_a_release_tag_is_not_the_package_version(tmp_path):
    check = _release_check()
    dev = _fake_project(tmp_path / "dev", "0.3.0.dev0", "## 0.3.0 (2027-01-15)")
    assert len(check.problems("v0.3.0", dev)) == 2  # the tag is not the version; a dev version
    other = _fake_project(tmp_path / "other", "0.3.0", "## 0.3.0 (2027-01-15)")
    assert check.problems("v0.3.1", other) and check.problems("0.3.0", other)


def test_the_workflows_test_every_supported_python_and_publish_only_after_the_checks():
    import tomllib

    import yaml

    workflows = ROOT / ".github" / "workflows"
    ci = yaml.safe_load((workflows / "ci.yml").read_text())
    release = yaml.safe_load((workflows / "release.yml").read_text())
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    pythons = [c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == pythons
    assert any(step.get("run") == "bash .ci/run" for step in ci["jobs"]["test"]["steps"])
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads the key `on` as True
    assert "workflow_call" in triggers
    jobs = release["jobs"]
    release_on = release[True] if True in release else release["on"]
    assert release_on == {"push": {"tags": ["v*"]}}
    assert any("scripts/release_check.py" in step.get("run", "") for step in jobs["check"]["steps"])
    assert jobs["test"] == {"needs": "check", "uses": "./.github/workflows/ci.yml"}
    assert jobs["build"]["needs"] == "test" and jobs["publish"]["needs"] == "build"
    assert jobs["publish"]["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    assert [s["uses"] for s in jobs["publish"]["steps"] if s.get("uses", "").startswith("pypa/")] == [
        "pypa/gh-action-pypi-publish@release/v1"]
    assert release["permissions"] == {"contents": "read"}
