"""A file a build makes again byte for byte, hard-linked from the folder it replaces
instead of written: one directory entry, not a new inode and its data blocks. Pages
(:class:`generator.mkdocs_site.site_folder.PreviousSite`) and data files
(:func:`generator.export.site_data.write_files`) alike, compared with what the build
made; or, for a page the build does not make again, known unchanged by its identity
(:mod:`generator.mkdocs_site.kept_pages`)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def link_if_same(old: Path, new: Path, content: bytes) -> bool:
    """Link ``new`` to ``old`` if ``old`` is a regular file holding exactly ``content``;
    False (nothing done) when it does not, or when it cannot be linked (gone,
    unreadable, no hard links on this file system, ``new`` made already): the caller
    writes the file then. ``old`` is only read, never opened for writing, so the folder
    it is in stays whole."""
    try:
        status = old.lstat()
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
            return False
        if old.read_bytes() != content:
            return False
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    return True


Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)


def file_identity(path: Path) -> Identity | None:
    """What tells one regular file from another, or from itself changed since: None for
    anything else (missing, a symbolic link, a folder)."""
    try:
        status = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def link_if_identical(old: Path, new: Path, expected: Identity) -> bool:
    """Link ``new`` to ``old`` if ``old`` is still the file ``expected`` describes
    (:func:`file_identity`), without reading it; False (nothing done) when it is not, or
    when it cannot be linked. What is linked is checked again: a file replaced between
    the look and the link is not kept."""
    if file_identity(old) != expected:
        return False
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    if file_identity(new) != expected:
        with contextlib.suppress(OSError):
            new.unlink()
        return False
    return True
