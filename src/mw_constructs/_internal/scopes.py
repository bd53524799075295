"""Where a construct is created: its scope and id checked the way aws-cdk-lib would, so that a bad
one is a ValidationError and the construct tree stays as it was.

aws-cdk-lib refuses an empty id, an id already taken among the scope's children, and (for
resources) a scope outside any stack, each with a RuntimeError from inside its constructor; the
last one after the new node has joined the tree. :func:`create_in` runs a construct's base
initialiser, and turns those refusals into coded errors, taking a half-added node out again.
Reading the messages of aws-cdk-lib's errors costs nothing when nothing goes wrong, where
checking first would cost jsii calls for every construct.
"""

from __future__ import annotations

from typing import Any, Callable

from constructs import Construct

from .registry import stack_of
from .validate import check_no_control_characters, fail, quote

__all__ = ["check_scope", "create_in"]


def check_scope(scope: Any, id: Any, construct: str) -> None:
    """``scope`` is a construct and ``id`` a non-empty string without control characters (no
    jsii call): what a constructor checks before it uses either."""
    if not isinstance(scope, Construct):
        fail("InvalidType", f"scope of {construct} must be a construct (a Stack, or a construct in one): got {quote(scope)}.")
    if not isinstance(id, str) or not id:
        fail("InvalidType", f"id of {construct} must be a non-empty string: got {quote(id)}.")
    check_no_control_characters(f"id of {construct}", id, "InvalidType")


def create_in(scope: Any, id: Any, construct: str, init: Callable[[], None]) -> None:
    """Run ``init`` (``super().__init__(scope, id, ...)`` of ``construct``), refusing a scope or
    id aws-cdk-lib would refuse with a ValidationError and an unchanged tree."""
    check_scope(scope, id, construct)
    stack_of(scope)  # NotInStack when there is none (asked of jsii once per scope)
    try:
        init()
    except RuntimeError as error:
        text = str(error)
        if "There is already a Construct with name" in text:
            fail("DuplicateId", f"id {id!r} of {construct} is taken: {scope.node.path or 'the app'} already has a child "
                                f"named {id!r}. Give each construct in a scope its own id.")
        if "No stack could be identified" in text or "must be defined within a Stack" in text:
            scope.node.try_remove_child(id)  # the node joined the tree before aws-cdk-lib looked for a stack
            fail("NotInStack", f"scope of {construct} must be a Stack or a construct inside one: "
                               f"{scope.node.path or 'the app'} is in no stack.")
        raise
