"""One object per app or per stack, kept on the app / stack itself.

Constructs that must share something (the app's schedule checks, its patch-group registry,
a stack's output bucket) store it as a private attribute of the app or stack object, so it
lives exactly as long as they do. The app of a scope is looked up through jsii once per scope.
"""

from __future__ import annotations

from typing import Any, Callable

from constructs import IConstruct


def per_app(scope: IConstruct, attribute: str, create: Callable[[Any], Any]) -> Any:
    """The app-wide value ``attribute``, made by ``create(app)`` the first time."""
    root = getattr(scope, "_mw_root", None)
    if root is None:
        root = scope.node.root
        _keep(scope, "_mw_root", root)
    return _get_or_create(root, attribute, create)


def per_stack(scope: IConstruct, attribute: str, create: Callable[[Any], Any]) -> Any:
    """The stack-wide value ``attribute``, made by ``create(stack)`` the first time."""
    return _get_or_create(stack_of(scope), attribute, create)


def stack_of(scope: IConstruct) -> Any:
    """``Stack.of(scope)``, asked of jsii once per scope object (a construct's stack never changes)."""
    stack = getattr(scope, "_mw_stack", None)
    if stack is None:
        from aws_cdk import Stack

        stack = Stack.of(scope)
        _keep(scope, "_mw_stack", stack)
    return stack


def _get_or_create(owner: Any, attribute: str, create: Callable[[Any], Any]) -> Any:
    value = getattr(owner, attribute, None)
    if value is None:
        value = create(owner)
        _keep(owner, attribute, value)
    return value


def _keep(owner: Any, attribute: str, value: Any) -> None:
    object.__setattr__(owner, attribute, value)
