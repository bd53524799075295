"""State shared between constructs, kept beside the construct tree, never on it.

Constructs that must share something (the app's schedule checks, a stack's windows and output
bucket, the permissions a role was already given) find it in a registry keyed by the object it
belongs to: the app (the root of the construct tree), a stack, or any other object. Each
registry is declared where its state is used, typed by the value it holds::

    _SCHEDULE_CHECKS: PerApp[ScheduleChecks] = PerApp(create_schedule_checks)
    checks = _SCHEDULE_CHECKS.of(scope)      # the app of ``scope``, its checks (made once)

Nothing is stored on aws-cdk-lib or constructs objects: the owners are weak keys, so a value
lives exactly as long as the app, stack or role it belongs to. The root and the stack of a scope
are asked of jsii once per scope (a construct's place in the tree never changes).
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Optional, TypeVar, cast
from weakref import WeakKeyDictionary

from constructs import IConstruct

__all__ = ["PerApp", "PerObject", "PerStack", "inherit_stack", "root_of", "stack_of"]

K = TypeVar("K")
V = TypeVar("V")
_MISSING: Any = object()


class PerObject(Generic[K, V]):
    """One value per owner object, made by ``create(owner)`` the first time it is asked for."""

    __slots__ = ("_create", "_values")

    def __init__(self, create: Callable[[K], V]) -> None:
        self._create = create
        self._values: "WeakKeyDictionary[K, V]" = WeakKeyDictionary()

    def of(self, owner: K) -> V:
        """The value of ``owner``, made now if it has none yet."""
        found = self._values.get(owner, _MISSING)
        if found is not _MISSING:
            return cast(V, found)
        value = self._create(owner)
        self._values[owner] = value
        return value

    def find(self, owner: K) -> Optional[V]:
        """The value of ``owner`` if it has one (nothing is made)."""
        return self._values.get(owner)

    def put(self, owner: K, value: V) -> None:
        """Set the value of ``owner``."""
        self._values[owner] = value


class PerApp(Generic[V]):
    """One value per app: per root of the construct tree of the scope asked with."""

    __slots__ = ("_values",)

    def __init__(self, create: Callable[[IConstruct], V]) -> None:
        self._values: PerObject[IConstruct, V] = PerObject(create)

    def of(self, scope: IConstruct) -> V:
        """The value of the app ``scope`` belongs to, made by ``create(root)`` the first time."""
        return self._values.of(root_of(scope))


class PerStack(Generic[V]):
    """One value per stack: per ``Stack.of(scope)`` of the scope asked with."""

    __slots__ = ("_values",)

    def __init__(self, create: Callable[[Any], V]) -> None:
        self._values: PerObject[Any, V] = PerObject(create)

    def of(self, scope: IConstruct) -> V:
        """The value of the stack of ``scope``, made by ``create(stack)`` the first time."""
        return self._values.of(stack_of(scope))

    def find(self, scope: IConstruct) -> Optional[V]:
        """The value of the stack of ``scope`` if it has one (nothing is made)."""
        return self._values.find(stack_of(scope))


def _stack(scope: IConstruct) -> Any:
    from aws_cdk import Stack

    try:
        return Stack.of(scope)
    except RuntimeError:  # aws-cdk-lib: "No stack could be identified for the construct at path ..."
        from .validate import fail

        fail("NotInStack", f"{scope.node.path or 'the app'} is in no stack: create this construct in a Stack, or in a "
                           f"construct inside one.")


_ROOTS: PerObject[IConstruct, IConstruct] = PerObject(lambda scope: scope.node.root)
_STACKS: PerObject[IConstruct, Any] = PerObject(_stack)


def root_of(scope: IConstruct) -> IConstruct:
    """The root of ``scope``'s construct tree (usually the ``App``), asked of jsii once per scope."""
    return _ROOTS.of(scope)


def stack_of(scope: IConstruct) -> Any:
    """``Stack.of(scope)``, asked of jsii once per scope."""
    return _STACKS.of(scope)


def inherit_stack(child: IConstruct, scope: IConstruct) -> None:
    """Record that ``child``, just created in ``scope``, is in ``scope``'s stack (``Stack.of`` of a
    construct is that of its scope, or the scope itself where it is a stack), so that
    ``stack_of(child)`` asks nothing of jsii."""
    _STACKS.put(child, stack_of(scope))
