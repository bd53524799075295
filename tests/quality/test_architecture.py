"""The package's shape: state is never stored on objects the library does not own."""

from __future__ import annotations

import ast

from examples import app as example_app  # examples/app.py
from examples import organization as organization_example  # examples/organization.py
from tests.support import ROOT
from tests.support.apps import new_app

SOURCE = ROOT / "src" / "mw_constructs"
#: What jsii itself keeps on the Python side of an object (its reference), and on the proxy of
#: an imported interface (the objects it delegates to).
JSII_OWN = {"__jsii_ref__", "_delegates"}


def _foreign(construct: object) -> bool:
    """An object of aws-cdk-lib, constructs or cdk-stacksets (not of the library, not of the app)."""
    module = type(construct).__module__
    return module.startswith(("aws_cdk", "constructs", "cdk_stacksets", "jsii"))


def test_the_library_sets_no_attribute_on_objects_it_does_not_own():
    """Issue 19: registries were kept as ``_mw_*`` attributes on the App, stacks and roles."""
    apps = [new_app(), new_app()]
    example_app.build(apps[0])
    organization_example.build(apps[1])
    checked = 0
    for app in apps:
        app.synth()  # synthesis-time validations use the registries too
        for construct in [app, *app.node.find_all()]:
            if _foreign(construct):
                assert set(vars(construct)) <= JSII_OWN, (construct.node.path, sorted(set(vars(construct)) - JSII_OWN))
                checked += 1
            elif type(construct).__module__.startswith("mw_constructs"):
                assert not [name for name in vars(construct) if name.startswith("_mw")], construct.node.path
    assert checked > 200, "the walk saw the trees"


def test_the_source_never_sets_attributes_on_other_objects():
    """No ``setattr(...)`` and no ``object.__setattr__(x, ...)`` except on ``self`` (immutable values)."""
    found = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name == "setattr" or (name == "object.__setattr__" and ast.unparse(node.args[0]) != "self"):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


# ---------------------------------------------------------------------- the import graph


def _architecture():
    from tests.support import load_script

    return load_script("architecture")


def test_no_cycle_no_private_import_and_imports_only_go_down():
    """Issue 19: a TYPE_CHECKING loop (interfaces -> targets -> tasks -> interfaces), private
    names imported across modules, and no stated direction of imports."""
    assert _architecture().violations() == []


def test_the_architecture_check_finds_what_it_is_for(tmp_path):
    """Planted problems are reported: a TYPE_CHECKING cycle, a private name, the core loading
    aws_cdk, the CLI importing a construct module."""
    import shutil

    copy = tmp_path / "mw_constructs"
    shutil.copytree(SOURCE, copy)
    (copy / "quotas.py").write_text((copy / "quotas.py").read_text() + (
        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .checks import analyse\n"
        "from aws_cdk import Duration\n"))
    (copy / "checks.py").write_text((copy / "checks.py").read_text() + "\nfrom .quotas import _SSM\n")
    (copy / "cli" / "commands.py").write_text((copy / "cli" / "commands.py").read_text() + "\nfrom ..window import PatchingWindow\n")
    found = _architecture().violations(copy)
    assert any(line.startswith("import cycle:") and "checks" in line and "quotas" in line for line in found), found
    assert any("imports the private name quotas._SSM" in line for line in found), found
    assert any("the core layer loads aws_cdk" in line for line in found), found
    assert any("cli module cli.commands imports constructs module window" in line for line in found), found


def test_every_name_a_public_module_exports_is_documented():
    """A public module's ``__all__`` lists its documented API only: every name resolves, and each
    class and function has a docstring (plumbing lives in ``_internal/``, where this is not asked)."""
    import importlib
    import inspect

    undocumented = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if "_internal" in parts or parts[-1] == "__main__":
            continue
        name = ".".join(["mw_constructs", *(parts[:-1] if parts[-1] == "__init__" else parts)])
        module = importlib.import_module(name)
        for exported in getattr(module, "__all__", ()):
            value = getattr(module, exported)  # AttributeError: __all__ names something that is not there
            if (inspect.isclass(value) or inspect.isfunction(value)) and not (value.__doc__ or "").strip():
                undocumented.append(f"{name}.{exported}")
    assert undocumented == []
