"""Stage results kept between builds, keyed by exactly what they were computed from.

Every stage is a pure function of what it reads, so its result can be stored under
a hash of those inputs *and of the generator's own code*: change a listing, a rule,
a curation file or a line of the generator, and the key changes with it. A result
is therefore never stale, only unused; deleting the folder is always safe (the next
build is a cold one). A test builds with a warm cache after each kind of edit and
checks the site is byte-identical to a clean build's.

The folder is ``.cache/paper-catalogue`` beside the data folder (git-ignored), or
``$PAPER_CATALOGUE_CACHE``; ``PAPER_CATALOGUE_CACHE=off`` turns caching off.
Entries are pickles written by this code on this machine (never fetched, never
committed), written to a temporary name and renamed, so a crash or a second build
running at the same time never leaves half a file. Entries unused for
:data:`KEEP_DAYS` days are removed after a build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

ENV = "PAPER_CATALOGUE_CACHE"
OFF = "off"
KEEP_DAYS = 14
T = TypeVar("T")
V = TypeVar("V")
_MISSING = object()


# What the generator's results depend on besides the data: its code in every
# sub-package, its templates, schemas and rule files.
SOURCE_SUFFIXES = {".py", ".j2", ".json", ".html", ".js", ".css", ".yaml", ".yml"}


def source_files(package: Path) -> list[Path]:
    """Every file of the package a result may depend on, in a stable order."""
    return sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts
    )


@cache
def code_version() -> str:
    """A hash of the generator's source: any change to a module (in any sub-package),
    a template, a schema or a rule file invalidates every entry."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in source_files(package):
        name = path.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def digest(*parts: bytes | str) -> str:
    """One key for many inputs; each part is length-prefixed, so no two lists of
    parts give the same bytes."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class Cache:
    """A folder of stage results; ``Cache(None)`` remembers nothing (caching off)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.hits = self.misses = 0

    @classmethod
    def beside(cls, data_dir: Path) -> Cache:
        """The cache for a data folder: ``$PAPER_CATALOGUE_CACHE`` or ``../.cache/…``."""
        setting = os.environ.get(ENV)
        if setting == OFF:
            return cls(None)
        return cls(
            Path(setting) if setting else data_dir.resolve().parent / ".cache" / "paper-catalogue"
        )

    def _path(self, stage: str, key: str) -> Path:
        return self.folder / stage / f"{digest(code_version(), key)}.pickle"

    def get(self, stage: str, key: str) -> object:
        if self.folder is None:
            return _MISSING
        path = self._path(stage, key)
        try:
            with path.open("rb") as f:
                value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            self.misses += 1
            return _MISSING  # absent, or unreadable: recompute, never fail a build over it
        os.utime(path)  # recently used: kept by prune()
        self.hits += 1
        return value

    def put(self, stage: str, key: str, value: object) -> None:
        if self.folder is None:
            return
        path = self._path(stage, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(f.name, path)
        except OSError:
            pass  # a read-only or full disk costs speed, not the build

    def memo(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """The stored result for ``key``, or ``compute()``'s, stored for next time."""
        value = self.get(stage, key)
        if value is _MISSING:
            value = compute()
            self.put(stage, key, value)
        return value  # type: ignore[return-value]

    def prune(self, days: float = KEEP_DAYS) -> None:
        """Remove entries nobody has read or written for ``days`` days."""
        if self.folder is None or not self.folder.is_dir():
            return
        cutoff = time.time() - days * 86400
        for path in self.folder.glob("*/*.pickle"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


class Kept(Generic[V]):
    """Many small results kept between builds in one cache entry, each under its own
    key (a paper's text, a page's inputs): what this build looked up or added is saved
    for the next one, the rest is dropped, so the entry holds the current catalogue."""

    def __init__(self, cache: Cache, stage: str, key: str = ""):
        self.cache, self.stage, self.key = cache, stage, key
        found = cache.get(stage, key)
        self.known: dict[str, V] = found if isinstance(found, dict) else {}
        self.used: dict[str, V] = {}

    def get(self, key: str, compute: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``compute()``'s."""
        if key not in self.used:
            self.used[key] = self.known[key] if key in self.known else compute()
        return self.used[key]

    def save(self) -> None:
        """Store this build's values (not when they are the ones already stored)."""
        if self.used.keys() != self.known.keys():
            self.cache.put(self.stage, self.key, self.used)
        self.known, self.used = {}, {}
