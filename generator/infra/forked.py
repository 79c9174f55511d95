"""A long loop cut in two, its second half run in a forked copy of this process.

The build's worker makes the related lists while the build's process waits for them
with nothing else to do (its own work before the lists is done long before): one of the
machine's cores stands idle on the build's critical path. A fork shares what the loop
reads (the papers' rows, their lists) without copying or pickling it, and gives back
only what the half made. Where no fork is safe (not Linux), or the copy fails, the
second half is made here: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
# Whether this process may copy itself: only the build's worker, whose one other thread
# (watching for its parent's exit) holds no lock a copy would find held for ever; never
# the build's own process (``serve`` runs threads there).
ALLOWED: list[bool] = []


def allow() -> None:
    """Let this process copy itself for :func:`in_two` (the worker, as it starts)."""
    ALLOWED[:] = [True]


def in_two(work: Callable[[Sequence[T]], R], items: Sequence[T]) -> tuple[R, R]:
    """``work`` of the first half of ``items`` (here) and of the second (in a copy of
    this process, meanwhile, where :func:`allow` let it), in that order. ``work`` must be
    a function of its items and of what this process holds when it is called: what the
    copy changes is lost but for what it returns."""
    half = (len(items) + 1) // 2
    first, second = items[:half], items[half:]
    if not ALLOWED or sys.platform != "linux" or not second:
        return work(first), work(second)
    context = get_context("fork")
    receive, send = context.Pipe(duplex=False)
    copy = context.Process(target=_send, args=(work, second, send), daemon=True)
    try:
        copy.start()
    except OSError:  # no memory or processes left for a copy: all of it here
        return work(first), work(second)
    finally:
        send.close()  # the copy holds its own end: EOF here once it is gone
    try:
        mine = work(first)
        try:
            theirs: R = receive.recv()
        except (EOFError, OSError):  # the copy died (killed, out of memory)
            theirs = work(second)
    finally:
        receive.close()
        if copy.is_alive():  # this half failed: the copy's result is not wanted
            copy.terminate()
        copy.join()
    return mine, theirs


def _send(work: Callable[[Sequence[T]], R], items: Sequence[T], send: Connection) -> None:
    """In the copy: the half's result, sent back; nothing if it failed (the caller makes
    it again, where the error shows)."""
    with contextlib.suppress(Exception):
        send.send(work(items))
    send.close()
    os._exit(0)  # no clean-up of the parent's: its atexit hooks and pools are not ours
