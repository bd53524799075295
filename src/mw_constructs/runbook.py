"""Ordered runbooks: write a window's tasks in the order they run and let the library number
their priorities.

SSM runs a window's tasks by ``Priority``: lower first, equal priorities in parallel. A
:class:`Runbook` lists the steps in order; a step is one task, or a list of tasks that may run
together (they share a priority). The first step gets ``first_priority`` (default 1), each
next step one more.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html (Priority)
"""

from __future__ import annotations

from typing import Any, List, Sequence, Set, Tuple, Union

from ._internal.windows import task_order
from ._internal.validate import check_int_range, fail, quote
from .tasks import TaskBase

__all__ = ["Runbook", "RunbookStep"]

#: One step of a runbook: a task, or tasks that run together.
RunbookStep = Union[TaskBase, Sequence[TaskBase]]


class Runbook:
    """The tasks of one window, in the order they run::

        Runbook(pre_check, stop_services, image, patch, [start_web, start_db], health_check)

    gives ``pre_check`` priority 1, ..., ``start_web`` and ``start_db`` both 5 and
    ``health_check`` 6. The tasks must belong to one window, appear once, and be created
    without ``priority=`` (the runbook sets it).

    Attributes:
        steps: the steps, each a tuple of tasks. priorities: the priority of each step.
    """

    def __init__(self, *steps: RunbookStep, first_priority: int = 1) -> None:
        check_int_range("first_priority", first_priority, 0, None, "InvalidPriority")
        if not steps:
            fail("InvalidRunbook", "steps: a Runbook needs at least one step: Runbook(task1, task2, [task3, task4], ...).")
        ordered: List[Tuple[TaskBase, ...]] = [_step(number, step) for number, step in enumerate(steps, start=1)]
        tasks = [task for step in ordered for task in step]
        windows = {id(task.window) for task in tasks}
        if len(windows) > 1:
            fail("InvalidRunbook", "a Runbook orders the tasks of one window, but these belong to several: make a "
                                   "Runbook per window.")
        seen: Set[int] = set()
        for task in tasks:
            if id(task) in seen:
                fail("InvalidRunbook", f"task {quote(task.node.id)} is listed twice: list each task once (tasks that "
                                       f"run together go in one list).")
            seen.add(id(task))
            order = task_order(task)
            if order.runbook is not None:
                fail("InvalidRunbook", f"task {quote(task.node.id)} is already in another Runbook: a task has one "
                                       f"place in the order.")
            if order.priority_given:
                fail("InvalidRunbook", f"task {quote(task.node.id)} was created with priority={task.priority}, but "
                                       f"the Runbook numbers its steps: drop priority= from that task.")
        self.steps: Tuple[Tuple[TaskBase, ...], ...] = tuple(ordered)
        self.priorities: Tuple[int, ...] = tuple(range(first_priority, first_priority + len(ordered)))
        for priority, step in zip(self.priorities, ordered):
            for task in step:
                order = task_order(task)
                order.runbook = self
                order.renumber(priority)

    def __repr__(self) -> str:
        return "Runbook(" + ", ".join(
            f"{p}: " + "+".join(task.node.id for task in step) for p, step in zip(self.priorities, self.steps)) + ")"


def _step(number: int, step: Any) -> Tuple[TaskBase, ...]:
    tasks = (step,) if isinstance(step, TaskBase) else step
    if isinstance(tasks, (str, bytes)) or not isinstance(tasks, Sequence) or not tasks:
        fail("InvalidRunbook", f"steps: step {number} must be a task or a non-empty list of tasks: got {quote(step)}.")
    for task in tasks:
        if not isinstance(task, TaskBase):
            fail("InvalidRunbook", f"steps: step {number} holds {quote(task)}, which is not a task of this library "
                                   f"(RunCommandTask, AutomationTask, LambdaTask, StepFunctionsTask, ...).")
    return tuple(tasks)
