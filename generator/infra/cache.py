"""Stage results kept between builds, keyed by exactly what they were computed from.

Every stage is a pure function of what it reads, so its result can be stored under
a hash of those inputs *and of the generator's own code*: change a listing, a rule,
a curation file or a line of the generator, and the key changes with it. A result
is therefore never stale, only unused; deleting the folder is always safe (the next
build is a cold one). Each key is derived from its result's declared inputs in
:mod:`generator.infra.keys`, and nowhere else. A test builds with a warm cache after
each kind of edit and checks the site is byte-identical to a clean build's.

The folder is ``.cache/paper-catalogue`` beside the data folder (git-ignored), or
``$PAPER_CATALOGUE_CACHE``; ``PAPER_CATALOGUE_CACHE=off`` turns caching off.

What the cache guarantees, each proven by a test that injects the fault
(``tests/test_cache_faults.py``):

* **Keyed by exactly the bytes it was computed from.** The build reads each data file
  once (:class:`generator.text.files.Snapshot`); the key and every parse come from
  those bytes. A file replaced while a build runs may give that build either version,
  never an entry that holds one version under the other's key.
* **A bad entry or a bad disk costs speed, never the build.** Any failure to read or
  load an entry (cut short, damaged, from another Python) is a miss, and the result is
  computed again; a read-only or full cache folder is simply not written. Entries are
  written to a temporary name and renamed, so a crash or a second build running at
  the same time never leaves half an entry; a temporary file a killed build left is
  removed by :meth:`Cache.prune` once it is :data:`TMP_KEEP_SECONDS` old, and entries
  unused for :data:`KEEP_DAYS` days after a build.
* **Only this user's builds' entries are loaded.** Entries are pickles, and loading a
  pickle can run any code, so each is signed (HMAC-SHA256 of its path and payload) with
  a random secret kept outside any checkout (:func:`secret_path`, mode 0600) and
  checked before it is unpickled: a pickle committed under ``.cache/`` or dropped
  there fails the check and is never loaded (``check`` also refuses a ``.cache``
  that git tracks). Without a usable secret the key is this process's own: caching
  across builds is then off. A format that cannot run code (JSON and the like) would
  cost a converter for every stage's types (compiled taxonomies, fitted models), and
  the signature makes one unnecessary.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import pickle
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import IO, Generic, TypeVar

ENV = "PAPER_CATALOGUE_CACHE"
OFF = "off"
KEEP_DAYS = 14
T = TypeVar("T")
V = TypeVar("V")
_MISSING = object()
# An entry: this line, the HMAC-SHA256 of its path and payload, the payload (a pickle).
MAGIC = b"paper-catalogue cache entry 1\n"
TAG_SIZE = 32
# A temporary file older than this is a build's that died as it wrote it: no build
# takes an hour to write one entry.
TMP_KEEP_SECONDS = 3600
SECRET_SIZE = 32
# Under the secret's folder: results derived from installed packages only (Cache.packages).
PACKAGES_FOLDER = "packages"
log = logging.getLogger(__name__)


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


def secret_path() -> Path:
    """Where this user's cache secret is kept: in the user's cache folder, outside any
    checkout, so that no repository (and no pull request) can carry it."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paper-catalogue" / "secret"


@cache
def machine_secret() -> bytes:
    """The key every entry is signed with: random, made on first use, readable by this
    user only. If it cannot be made or is not safely this user's, a key for this
    process alone: entries are then never read by a later build (caching across
    builds is off), which costs speed and nothing else."""
    try:
        return _read_or_create_secret(secret_path())
    except (OSError, RuntimeError, ValueError) as error:  # RuntimeError: no home folder
        log.warning(f"the build cache is kept for this build only: no secret ({error})")
        return os.urandom(SECRET_SIZE)


def _read_or_create_secret(path: Path) -> bytes:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # Written aside and linked into place: two builds starting together agree on
        # one secret, and neither reads the other's half-written file.
        fd, temporary = tempfile.mkstemp(dir=path.parent)  # mode 0600
        try:
            os.write(fd, os.urandom(SECRET_SIZE))
            os.close(fd)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        status = os.fstat(fd)
        if status.st_uid != os.getuid() or status.st_mode & 0o077:
            raise ValueError(f"{path} must be this user's and readable by no one else")
        secret = os.read(fd, SECRET_SIZE + 1)
    finally:
        os.close(fd)
    if len(secret) != SECRET_SIZE:
        raise ValueError(f"{path} is not {SECRET_SIZE} bytes long")
    return secret


def digest(*parts: bytes | str) -> str:
    """One key for many inputs; each part is length-prefixed, so no two lists of
    parts give the same bytes."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def tracked_files(data_dir: Path) -> list[str]:
    """Files git tracks in the cache folders of ``data_dir`` (``.cache/`` beside it, and
    ``$PAPER_CATALOGUE_CACHE`` if that is in the same work tree), as git names them.

    A cache is this machine's own: one committed (``git add -f .cache``) would reach
    every clone and the Pages build. Signed entries make it harmless, but it is refused
    all the same. No git, or no work tree, means nothing to check."""
    folders = [data_dir.resolve().parent / ".cache"]
    setting = os.environ.get(ENV)
    if setting and setting != OFF:
        folders.append(Path(setting).resolve())
    found: set[str] = set()
    for folder in folders:
        command = ["git", "-C", str(data_dir), "ls-files", "-z", "--full-name", "--", str(folder)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            return []  # git is not installed: nothing tracks anything
        if result.returncode == 0:  # else not a work tree, or the folder is outside it
            found.update(name for name in result.stdout.decode().split("\0") if name)
    return sorted(found)


class Cache:
    """A folder of stage results; ``Cache(None)`` remembers nothing (caching off).

    ``secret``: the key entries are signed with (tests pass their own); by default
    this user's :func:`machine_secret`. It travels with the cache to the worker, so
    both processes of a build read what the other wrote."""

    def __init__(self, folder: Path | None, secret: bytes | None = None):
        self.folder = folder
        self.secret = secret if secret is not None or folder is None else machine_secret()
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

    @classmethod
    def packages(cls) -> Cache:
        """The store for results derived from installed packages' data alone (not from
        any data folder): wordfreq's English words as the search index reads them, say.
        They cost as much as a stage of a cold build and are the same for every build
        with the same packages, so they are kept in the user's cache folder, across
        build caches: a cold build (an empty build cache) or a test's fresh data folder
        still finds them. Each key names the packages' versions
        (:mod:`generator.infra.keys`), so another version's entry is never served. Off
        with the build cache (``PAPER_CATALOGUE_CACHE=off``)."""
        if os.environ.get(ENV) == OFF:
            return cls(None)
        return cls(secret_path().parent / PACKAGES_FOLDER)

    def _path(self, stage: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / stage / f"{digest(code_version(), key)}.pickle"

    def _mac(self, path: Path) -> hmac.HMAC:
        """The signature of an entry starts with where it is: an entry copied or renamed
        to another key's path fails the check like a forged one."""
        assert self.secret is not None and self.folder is not None
        mac = hmac.new(self.secret, digestmod="sha256")
        mac.update(path.relative_to(self.folder).as_posix().encode() + b"\0")
        return mac

    def get(self, stage: str, key: str) -> object:
        if self.folder is None:
            return _MISSING
        path = self._path(stage, key)
        try:
            value = self._load(path)
        except Exception:
            # Absent, cut short, damaged, not ours, or made by another Python: whatever
            # went wrong, the result is computed again; a cache never fails a build.
            self.misses += 1
            return _MISSING
        with contextlib.suppress(OSError):  # a read-only cache is still a cache
            os.utime(path)  # recently used: kept by prune()
        self.hits += 1
        return value

    def _load(self, path: Path) -> object:
        """The entry's value, unpickled only once its signature is found good: a pickle
        can run any code as it loads, so nothing this user's builds did not write is."""
        raw = path.read_bytes()  # read once: what is checked is what is loaded
        body = len(MAGIC) + TAG_SIZE
        if not raw.startswith(MAGIC) or len(raw) < body:
            raise ValueError("not a cache entry")
        mac = self._mac(path)
        mac.update(memoryview(raw)[body:])
        if not hmac.compare_digest(mac.digest(), raw[len(MAGIC) : body]):
            raise ValueError("the entry's signature does not match")
        return pickle.loads(memoryview(raw)[body:])

    def put(self, stage: str, key: str, value: object) -> None:
        if self.folder is None:
            return
        path = self._path(stage, key)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
                temporary = f.name
                f.write(MAGIC + bytes(TAG_SIZE))  # the signature's place, filled below
                mac = self._mac(path)
                pickle.dump(value, _Signing(f, mac), protocol=pickle.HIGHEST_PROTOCOL)
                f.seek(len(MAGIC))
                f.write(mac.digest())
            os.replace(temporary, path)
            temporary = None
        except OSError:
            pass  # a read-only or full disk costs speed, not the build
        finally:
            if temporary is not None:  # never leave half an entry behind
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def has(self, stage: str, key: str) -> bool:
        """Whether an entry is stored for ``key`` (not whether it would load: that only
        :meth:`get` finds out), without reading it."""
        return self.folder is not None and self._path(stage, key).is_file()

    def memo(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """The stored result for ``key``, or ``compute()``'s, stored for next time."""
        value = self.get(stage, key)
        if value is _MISSING:
            value = compute()
            self.put(stage, key, value)
        return value  # type: ignore[return-value]

    def memo_pruned(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """:meth:`memo`, and on a miss entries unused for :data:`KEEP_DAYS` go: for a
        store no build prunes (:meth:`packages`), written to only when the code or a
        package changes, so that old versions' entries do not pile up."""
        value = self.get(stage, key)
        if value is _MISSING:
            value = compute()
            self.put(stage, key, value)
            self.prune()
        return value  # type: ignore[return-value]

    def prune(self, days: float = KEEP_DAYS) -> None:
        """Remove entries nobody has read or written for ``days`` days, and temporary
        files older than :data:`TMP_KEEP_SECONDS` (a build killed as it wrote one)."""
        if self.folder is None or not self.folder.is_dir():
            return
        now = time.time()
        for pattern, age in (("*/*.pickle", days * 86400), ("*/*.tmp", TMP_KEEP_SECONDS)):
            for path in self.folder.glob(pattern):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < now - age:
                        path.unlink()


class _Signing:
    """A file that signs what is written to it: the pickle streams to disk (entries of
    a large catalogue are hundreds of megabytes) and is signed on its way."""

    def __init__(self, file: IO[bytes], mac: hmac.HMAC):
        self.file, self.mac = file, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.file.write(data)


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

    def keep(self, keys: Iterable[str]) -> None:
        """Count ``keys`` as looked up by this build, without computing any: for values an
        earlier step of the same build stored and this one took from elsewhere."""
        for key in keys:
            if key not in self.used and key in self.known:
                self.used[key] = self.known[key]

    def save(self) -> None:
        """Store this build's values (not when they are the ones already stored)."""
        if self.used.keys() != self.known.keys():
            self.cache.put(self.stage, self.key, self.used)
        self.known, self.used = {}, {}
