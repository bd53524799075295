"""What ``inspect.signature`` and ``help()`` show of a construct.

jsii's metaclass makes every aws-cdk-lib subclass look like ``(*args, **kwargs)``, and pydoc
shows an undocumented ``__init__`` with the docstring it inherits from aws-cdk-lib's ``Resource``,
which lists parameters (``account``, ``environment_from_arn``, ``physical_name``, ``region``) the
library's constructors do not take. :func:`truthful_signature` fixes both for one class.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

__all__ = ["truthful_signature"]

C = TypeVar("C")


def truthful_signature(cls: C) -> C:
    """``cls`` with its constructor's own parameters (less ``self``) as its signature, and an
    ``__init__`` docstring of its own that points to the class docstring."""
    klass: Any = cls
    init = klass.__dict__["__init__"]
    signature = inspect.signature(init)
    klass.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:],
                                           return_annotation=inspect.Signature.empty)
    if init.__doc__ is None:
        init.__doc__ = f"Create a {klass.__name__}: its arguments are described in the class docstring."
    return cls
