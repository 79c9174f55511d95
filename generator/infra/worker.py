"""The second process: one worker, started once and kept while its owner wants it.

A build hands the related papers (fitted while this process curates and tags), its data
files (the search index, feeds, ``catalogue.json``) and the stats charts to a second
process, so that they are made while this one works on something else. Spawning that
process costs more than the index at the real catalogue's size (its start-up and imports
against the work, measured in ``mkdocs serve`` rebuilds), so it is started as the build
starts, to spawn and import while the catalogue is read, and ``serve`` keeps it across
rebuilds; a one-off build stops it at the end (at once if it was never given a task).

The worker exits on its own once its parent is gone: a ``serve`` killed outright (no
shutdown hook runs) would otherwise leave it behind, waiting for work forever. It ignores
Ctrl-C, which a terminal sends to the whole process group: the parent is the one that
stops, and it stops its worker (interrupted, the worker printed a traceback on every
``make serve`` ended with Ctrl-C).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, TypeVar

from generator.infra import forked

T = TypeVar("T")
PARENT_CHECK_SECONDS = 1.0  # how soon an orphaned worker notices and exits


class Worker:
    """At most one extra process, reused for each task submitted to it."""

    def __init__(self, warm: tuple[str, ...] = ()) -> None:
        """``warm``: modules the worker imports as it starts, before the first task."""
        self.warm = warm
        self.pool: ProcessPoolExecutor | None = None
        self.used = False  # given a task since it started (not just its warm-up)

    def start(self, fork: bool = False) -> None:
        """Start the process now (it starts and imports while the caller goes on).

        ``fork``: a copy of this process, where it is safe, instead of a new interpreter
        that imports the caller's modules again (a noticeable share of a cold build).
        Safe means Linux (on macOS, system libraries may not survive a fork) and no
        other thread in this process (a lock another thread holds stays locked in the
        copy forever); else it is spawned. The caller says whether the process holds
        anything a copy must not (``serve``'s listening socket): a one-off build
        asks."""
        if self.pool is None:
            method = "fork" if fork and _fork_safe() else "spawn"
            self.pool = ProcessPoolExecutor(
                max_workers=1, mp_context=get_context(method), initializer=_ignore_interrupts
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
        a build that found everything in its cache waited for matplotlib."""
        if self.pool is not None:
            if not self.used:
                # The executor keeps its processes to itself; it has no "abandon" call.
                for process in list((self.pool._processes or {}).values()):
                    process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class InProcess:
    """A :class:`Worker` without the process: each task runs at once, here, and its
    future is already done. For callers with no second process (the command line, the
    tests), so that a stage that hands work to the worker has one code path."""

    def submit(self, task: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(task(*args))
        except Exception as error:  # kept for the caller, as the worker's futures keep it
            future.set_exception(error)
        return future


def give_back_memory() -> None:
    """Return freed memory to the system, in a worker between tasks of different sizes.

    CPython frees objects into its allocator and glibc keeps the freed heap for reuse, so
    a process's resident size stays at its highest point: in a big catalogue the worker
    still held what relating used under what the data files then added, a higher
    peak than either. ``malloc_trim`` gives the free heap back (glibc only)."""
    gc.collect()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _fork_safe() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def _ignore_interrupts() -> None:
    """In the worker, first of all: Ctrl-C is for the parent, which stops the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _started(parent: int, modules: tuple[str, ...]) -> None:
    """In the worker: import what its tasks need, and leave when the parent does."""
    for module in modules:
        __import__(module)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    forked.allow()  # that thread holds no lock: a copy of this process is safe


def _exit_with(parent: int) -> None:
    # getppid() changes to the reaper's pid once the parent dies, on Linux and macOS alike.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


# The build's second process: the related papers, the data files (search index, feeds,
# catalogue.json) and the stats charts are made in it.
# ``serve`` keeps it between rebuilds; a one-off build stops it at the end.
# It imports NumPy and SciPy as it starts, for the related model it fits while this
# process reads and tags the catalogue; matplotlib only when the first chart is drawn
# (importing it first made the model, and so the whole build, wait longer; the
# charts are needed only when the theme renders the stats page).
WORKER = Worker(warm=("generator.analyse.related.links", "generator.export.site_data"))
