"""The package's shape: state is never stored on objects the library does not own."""

from __future__ import annotations

import ast
from pathlib import Path

import app as example_app  # examples/app.py
import organization as organization_example  # examples/organization.py
from conftest import new_app

SOURCE = Path(__file__).resolve().parent.parent / "src" / "mw_constructs"
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
