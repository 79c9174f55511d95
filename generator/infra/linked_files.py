"""A file a build makes again byte for byte, hard-linked from the folder it replaces
instead of written: one directory entry, not a new inode and its data blocks. Pages
(:class:`generator.mkdocs_site.site_folder.PreviousSite`) and data files
(:func:`generator.export.site_data.write_files`) alike."""

from __future__ import annotations

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
