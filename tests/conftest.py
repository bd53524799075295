"""pytest wiring: a strict stack per test, and the background jobs (tests/support/background.py)."""

from __future__ import annotations

import os
from typing import List

# The Node that package-lock.json pins (npm ci installs it into node_modules/.bin) runs jsii and the CDK
# CLI in every process of the session, whatever Node the machine has (README, quick start).
_PINNED_NODE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", ".bin")
if os.path.exists(os.path.join(_PINNED_NODE, "node")):
    os.environ["PATH"] = _PINNED_NODE + os.pathsep + os.environ.get("PATH", "")

import pytest  # noqa: E402
from aws_cdk import Stack  # noqa: E402

from tests.support.apps import new_app  # noqa: E402


@pytest.fixture
def stack() -> Stack:
    """A fresh stack in a strict app."""
    return Stack(new_app(), "Test")


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Tests that wait for a background job run last, so that the session does the rest of its
    work while the jobs run instead of waiting for them (the order is otherwise unchanged)."""
    items.sort(key=lambda item: item.get_closest_marker("background") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the background jobs of every test module that has collected tests (see background.py)."""
    from tests.support.background import JOBS

    modules = {item.module for item in session.items if item.get_closest_marker("background")}
    # the longest jobs first (a module's BACKGROUND_ORDER, lowest first), so they overlap the most
    for module in sorted(modules, key=lambda m: (getattr(m, "BACKGROUND_ORDER", 100), m.__name__)):
        module.start_background_jobs(JOBS)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests.support.background import JOBS

    JOBS.shutdown()
