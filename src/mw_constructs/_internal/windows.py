"""What the library knows about windows, for the constructs that work across them: the targets
and tasks registered with each window (imported windows included), and the windows created in
each stack.

Kept in registries (``registry``), not on the window or stack objects. The entries are the
library's own constructs; the protocols below name what other modules read of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Protocol, Tuple

from constructs import IConstruct, Node

from ..schedule import WindowSchedule
from .registry import PerObject, PerStack

__all__ = ["OwnedWindow", "RegisteredTarget", "StackWindows", "TaskOrder", "WindowChildren", "children_of",
           "register_task_order", "stack_windows", "task_order"]


class RegisteredTarget(Protocol):
    """A target registered with a window, as the schedule checks read it."""

    @property
    def patch_groups(self) -> Tuple[str, ...]: ...


class RegisteredTask(Protocol):
    """A task registered with a window (its timeout, if it has one, is read by the checks)."""

    @property
    def node(self) -> Node: ...

    @property
    def only_scans(self) -> bool: ...


class OwnedWindow(Protocol):
    """A window created by this library (``PatchingWindow``), as other constructs read it."""

    @property
    def node(self) -> Node: ...

    @property
    def window_id(self) -> str: ...

    @property
    def window_name(self) -> str: ...

    @property
    def schedule(self) -> WindowSchedule: ...


@dataclass
class WindowChildren:
    """The targets and tasks the library registered with one window, in creation order."""

    targets: List[RegisteredTarget] = field(default_factory=list)
    tasks: List[RegisteredTask] = field(default_factory=list)


@dataclass
class TaskOrder:
    """A task's place in its window's order: whether ``priority=`` was given, how to renumber it,
    and the Runbook that numbered it (a task has one place in the order)."""

    priority_given: bool
    renumber: Callable[[int], None]
    runbook: Optional[object] = None


class StackWindows(List[Any]):
    """The windows created in one stack, in creation order; ``on_add`` callbacks run for each
    window added later (``PatchingAlerts`` covers every window of its stack this way)."""

    def __init__(self) -> None:
        super().__init__()
        self.on_add: List[Callable[[OwnedWindow], None]] = []

    def append(self, window: OwnedWindow) -> None:
        super().append(window)
        for callback in self.on_add:
            callback(window)


_CHILDREN: PerObject[Any, WindowChildren] = PerObject(lambda window: WindowChildren())
_ORDER: PerObject[Any, TaskOrder] = PerObject(lambda task: _unregistered(task))
_STACK_WINDOWS: PerStack[StackWindows] = PerStack(lambda stack: StackWindows())


def children_of(window: Any) -> WindowChildren:
    """The targets and tasks registered with ``window`` (any window, created or imported)."""
    return _CHILDREN.of(window)


def register_task_order(task: Any, order: TaskOrder) -> None:
    """Record a task's :class:`TaskOrder` (done once, by the task itself)."""
    _ORDER.put(task, order)


def task_order(task: Any) -> TaskOrder:
    """The :class:`TaskOrder` of a task of this library."""
    return _ORDER.of(task)


def _unregistered(task: Any) -> TaskOrder:
    raise AssertionError(f"{task!r} is not a task of this library")  # callers check the type first


def stack_windows(scope: IConstruct) -> StackWindows:
    """The windows created in the stack of ``scope`` so far."""
    return _STACK_WINDOWS.of(scope)
