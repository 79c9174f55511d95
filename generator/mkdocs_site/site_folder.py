"""The site folder: one build at a time, the new site swapped in whole, outputs a
preview no longer makes removed, a replaced site deleted without waiting for it, and
its files that a build makes again byte for byte linked into the new site, not written."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from generator.infra.linked_files import link_if_same

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def remove_later(folder: Path) -> subprocess.Popen:
    """Delete ``folder`` in a detached process that may outlive the build: the replaced
    site is garbage once the new one is in place, and deleting a big catalogue's pages
    was a sizeable share of its build. (A build that finds it still there deletes it first.)"""
    return subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", folder],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def remove_stale(site: Path, before: set[Path], now: set[Path]) -> None:
    """Delete the outputs of an earlier build that this one no longer makes (a page of a
    paper merged away, a search shard fewer), and the folders they leave empty."""
    for path in sorted(before - now):
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != site and folder.is_relative_to(site):
            try:
                folder.rmdir()
            except FileNotFoundError:  # gone already (a plain `serve` empties the folder)
                pass
            except OSError:  # not empty: still in use
                break
            folder = folder.parent


def swap_in(new: Path, final: Path) -> Path | None:
    """Put the finished site ``new`` where ``final`` is, in one step where the system
    allows it, so that a complete site is there at every instant, even if this process
    is killed mid-swap. Returns the folder now holding the replaced site (under a name of
    its own, to be deleted), or None if there was none."""
    if not final.exists():
        new.rename(final)  # one rename: atomic
        return None
    old = final.with_name(f"{final.name}.old-{os.getpid()}-{time.time_ns()}")
    if exchange(new, final):
        # ``new`` holds the old site now; a unique name, so that the next build's
        # partial folder is never one a detached deleter is still emptying.
        new.rename(old)
        return old
    # No atomic exchange here (not Linux, or a file system without it): two renames,
    # with a moment between them when ``final`` is missing.
    final.rename(old)
    new.rename(final)
    return old


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NOT_SUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV}


@cache
def _renameat2():
    """glibc's renameat2, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names in one system call (Linux' ``RENAME_EXCHANGE``); False
    where the system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NOT_SUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


class SiteLock:
    """One build at a time per site folder: an advisory lock on a file beside the
    folder (``.site.lock`` for ``site/``), which the system releases when the process
    ends, however it ends. A second build into the same folder waits for the first
    instead of writing the same partial folder and swapping half a site in."""

    def __init__(self, site: Path) -> None:
        self.path = site.with_name(f".{site.name}.lock")
        self.fd: int | None = None

    def acquire(self, say: Callable[[str], None]) -> None:
        if fcntl is None:  # no advisory locks on this system: builds are not serialised
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(
                f"Another build is writing {self.path.parent / self.path.name[1:-5]}: "
                f"waiting for it to finish (lock: {self.path})"
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class PreviousSite:
    """The site a build replaces, as a store of the files it makes again unchanged.

    Adding one listing to a big catalogue changes a few thousand of its 50,000 pages;
    writing the rest anew was a large share of that build (a new inode and its data
    blocks per file). A file whose bytes equal the previous site's at the same path is
    hard-linked from it instead: one directory entry. Safe for the swap: the previous
    site is never written to (a link is only made, never opened for writing, and each
    path of the new site is made once), so it stays whole and served until the new one
    is swapped in; deleting it afterwards leaves the shared files to the new site."""

    def __init__(self, old: Path, new: Path) -> None:
        self.old, self.new = old, new
        self.kept = 0

    def keep(self, relative: str, content: bytes) -> bool:
        """Link ``relative`` in from the previous site if it holds exactly ``content``
        there; False (nothing done) when it does not, or when it cannot be linked."""
        if not link_if_same(self.old / relative, self.new / relative, content):
            return False  # gone, unreadable, or no hard links here: the file is written
        self.kept += 1
        return True


PARTIAL = ".partial"  # suffix of the folder a build writes before it is swapped in


class SwappedSite:
    """A build written beside the site folder and swapped in whole when it succeeded, so
    a failed build keeps the last good site; one build at a time per folder."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.partial = final.with_name(final.name + PARTIAL)
        self.lock = SiteLock(final)
        self.open = False

    def begin(self, say: Callable[[str], None]) -> Path:
        """Wait for any other build of this folder, then the empty folder to build into."""
        self.lock.acquire(say)
        self.open = True
        shutil.rmtree(self.partial, ignore_errors=True)
        return self.partial

    def publish(self) -> None:
        """The build succeeded: its folder becomes the site, the replaced one goes."""
        replaced = swap_in(self.partial, self.final)
        if replaced is not None:
            remove_later(replaced)
        self.open = False
        self.lock.release()

    def abandon(self) -> None:
        """The build failed: the site stays as it was."""
        if self.open:
            shutil.rmtree(self.partial, ignore_errors=True)
            self.open = False
        self.lock.release()
