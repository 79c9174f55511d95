"""The second process: one worker, started once and kept while its owner wants it.

A build hands its data files (the search index, feeds, ``catalogue.json``) and the stats
charts to a second process, so that they are made while the site generator renders
pages. Spawning that process costs more than the index at 720 papers
(about 1.4 s of start-up and imports against 0.4 s of work, measured in ``mkdocs serve``
rebuilds), so it is started as the build starts, to spawn and import while the
catalogue is read, and ``serve`` keeps it across rebuilds; a one-off build stops it at
the end (at once if it was never given a task).

The worker exits on its own once its parent is gone: a ``serve`` killed outright (no
shutdown hook runs) would otherwise leave it behind, waiting for work forever. It ignores
Ctrl-C, which a terminal sends to the whole process group: the parent is the one that
stops, and it stops its worker (interrupted, the worker printed a traceback on every
``make serve`` ended with Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, TypeVar

T = TypeVar("T")
PARENT_CHECK_SECONDS = 1.0  # how soon an orphaned worker notices and exits


class Worker:
    """At most one extra process, reused for each task submitted to it."""

    def __init__(self, warm: tuple[str, ...] = ()) -> None:
        """``warm``: modules the worker imports as it starts, before the first task."""
        self.warm = warm
        self.pool: ProcessPoolExecutor | None = None
        self.used = False  # given a task since it started (not just its warm-up)

    def start(self) -> None:
        """Start the process now (it starts and imports while the caller goes on)."""
        if self.pool is None:
            # spawn, not fork: MkDocs' serve runs threads, and a forked lock stays locked.
            self.pool = ProcessPoolExecutor(
                max_workers=1, mp_context=get_context("spawn"), initializer=_ignore_interrupts
            )
            self.pool.submit(_started, os.getpid(), self.warm)
            self.used = False

    def submit(self, task: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``task(*args)`` in the worker, starting it first if need be. A worker that
        died (killed, out of memory) is replaced: its tasks in flight fail, and their
        callers do the work themselves, but the next build of a ``serve`` gets a new one."""
        self.start()
        assert self.pool is not None
        try:
            future = self.pool.submit(task, *args)
        except BrokenProcessPool:
            self.stop()
            self.start()
            future = self.pool.submit(task, *args)
        self.used = True
        return future

    def stop(self) -> None:
        """End the process (tasks not begun are cancelled); the next submit starts anew.
        One never given a task is ended at once, not when its warm-up imports are done:
        a build that found everything in its cache waited 0.25 s for matplotlib."""
        if self.pool is not None:
            if not self.used:
                # The executor keeps its processes to itself; it has no "abandon" call.
                for process in list((self.pool._processes or {}).values()):
                    process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _ignore_interrupts() -> None:
    """In the worker, first of all: Ctrl-C is for the parent, which stops the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _started(parent: int, modules: tuple[str, ...]) -> None:
    """In the worker: import what its tasks need, and leave when the parent does."""
    for module in modules:
        __import__(module)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    # getppid() changes to the reaper's pid once the parent dies, on Linux and macOS alike.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


# The build's second process: the data files (search index, feeds, catalogue.json) and
# the stats charts are made in it.
# ``serve`` keeps it between rebuilds; a one-off build stops it at the end.
# matplotlib is imported by the charts only when they are drawn; the worker imports it
# as it starts, while the catalogue is read (the first chart took 0.47 s, not 0.1 s).
WORKER = Worker(warm=("generator.exports", "generator.plots", "matplotlib.figure"))
