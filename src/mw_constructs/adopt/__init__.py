"""Adopt existing maintenance windows: turn a configuration (an account, a template, a Terraform
state, read by :mod:`mw_constructs.readback`) into Python code that uses this library, builds
the same SSM resources, and adopts the existing ones in place with ``cdk import``.

:func:`adopt` writes the code, builds it here to learn what the library refuses (that resource
is written as a plain ``CfnResource`` with a comment naming the refusal) and what its arguments
cannot say (written through ``add_property_override``, each counted as an escape hatch), and
checks that the result synthesizes the source's properties exactly.
"""

from __future__ import annotations

from .codegen import Adoption, Escape, adopt

__all__ = ["Adoption", "Escape", "adopt"]
