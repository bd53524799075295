"""What ``inspect.signature`` and ``help()`` show of every exported class (issue 24, point 2):
the real keyword parameters of its constructor, never jsii's ``(*args, **kwargs)``, and no
parameter documented that it does not take (aws-cdk-lib's ``Resource`` lists ``account``,
``environment_from_arn``, ``physical_name``, ``region``)."""

from __future__ import annotations

import inspect
import pydoc

import pytest
from aws_cdk import Resource
from constructs import Construct

import mw_constructs as mw

CLASSES = [getattr(mw, name) for name in mw.__all__ if inspect.isclass(getattr(mw, name))
           and not issubclass(getattr(mw, name), BaseException)
           and not getattr(getattr(mw, name), "_is_protocol", False)]  # interfaces are not constructed
JSII = [cls for cls in CLASSES if type(cls).__module__.startswith("jsii")]
RESOURCE_ONLY = ("account", "environment_from_arn", "physical_name", "region")


def test_the_harness_sees_every_construct():
    assert len(JSII) >= 18 and {"PatchingWindow", "Association", "PatchPolicy"} <= {cls.__name__ for cls in JSII}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_exported_class_shows_its_real_parameters(cls):
    signature = inspect.signature(cls)
    names = list(signature.parameters)
    assert names != ["args", "kwargs"], f"{cls.__name__} shows jsii's (*args, **kwargs)"
    if "__init__" in cls.__dict__ and not issubclass(cls, type(mw.OperatingSystem)) and cls.__init__ is not object.__init__:
        own = list(inspect.signature(cls.__dict__["__init__"]).parameters)[1:]
        assert names == own, cls.__name__


@pytest.mark.parametrize("cls", JSII, ids=lambda cls: cls.__name__)
def test_help_documents_no_parameter_the_constructor_does_not_take(cls):
    taken = set(inspect.signature(cls).parameters)
    page = pydoc.render_doc(cls.__init__, renderer=pydoc.plaintext)
    assert not [word for word in RESOURCE_ONLY if word not in taken and f"param {word}" in page], cls.__name__
    assert inspect.getdoc(cls.__init__) is not None and "environment_from_arn" not in inspect.getdoc(cls.__init__)


class _Plain(Resource):
    """A Resource subclass as the library's would be without truthful_signature."""

    def __init__(self, scope: Construct, id: str, *, name: str) -> None:
        super().__init__(scope, id)


def test_fails_when_a_construct_is_left_with_jsii_s_signature():
    """The checks can fail: without the decorator a Resource subclass shows (*args, **kwargs) and
    inherits Resource's parameter docs."""
    assert list(inspect.signature(_Plain).parameters) == ["args", "kwargs"]
    assert "environment_from_arn" in (inspect.getdoc(_Plain.__init__) or "")
