"""Slow checks that run in processes of their own, beside the rest of the test session.

mypy over aws-cdk-lib's stubs takes about a minute cold, pyright half a minute, the deploy
rehearsal and the documentation build each several seconds. Run one after another in the test
process they would add minutes to the session; started as soon as the tests are collected, they use the machine's second
core while the other tests run, and the tests that need them wait for their results.

A test module takes part by defining ``start_background_jobs(jobs)``, and its tests that read
the results carry the ``background`` marker; conftest calls the function once when at least one
such test is selected (so ``pytest -k something_else`` starts nothing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Mapping, Optional, Sequence

from tests.support import ROOT

WORKERS = 2  # with the test process itself: a little over two busy processes on two cores
TIMEOUT_SECONDS = 600


class Jobs:
    """Named subprocesses, run at most ``WORKERS`` at a time, in the order they were started."""

    def __init__(self) -> None:
        self._pool: Optional[ThreadPoolExecutor] = None
        self._futures: Dict[str, Future] = {}
        self._scratch: Optional[Path] = None

    @property
    def scratch(self) -> Path:
        """A directory for the jobs' files, removed at the end of the session."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="mw-background-"))
        return self._scratch

    def start(self, name: str, argv: Sequence[str], *, env: Optional[Mapping[str, str]] = None,
              cwd: Optional[Path] = None) -> None:
        if name in self._futures:
            raise ValueError(f"background job {name!r} started twice")
        if self._pool is None:
            self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="background-check")
        full_env = {**os.environ, **(env or {})}
        self._futures[name] = self._pool.submit(
            subprocess.run, list(argv), env=full_env, cwd=cwd or ROOT, capture_output=True, text=True,
            timeout=TIMEOUT_SECONDS,
        )

    def result(self, name: str) -> subprocess.CompletedProcess:
        """The finished process (waits for it); its stdout and stderr are captured."""
        return self._futures[name].result()

    def python(self, name: str, *args: str, **kwargs) -> None:
        """Start ``python args...`` with this interpreter."""
        self.start(name, [sys.executable, *args], **kwargs)

    def shutdown(self) -> None:
        if self._pool is not None:
            for future in self._futures.values():
                future.cancel()
            self._pool.shutdown(wait=True)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


JOBS = Jobs()
