"""The cache under faults: it never answers for another version of the data, a bad
entry or a bad disk costs speed and never the build, and an entry it did not write
itself is never loaded (so never runs code).

Each test injects its fault through a monkeypatched read, write or load, never a
timing guess, and compares with what a build without the cache gives.
"""

from __future__ import annotations

import errno
import io
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, digest_tree, mkdocs_build
from test_cache import DUMPS, small_real_data

from generator.infra import cache as cache_module
from generator.infra.cache import Cache
from generator.model import Catalogue
from generator.pipeline import build_catalogue
from generator.text import files as files_module


def summary(catalogue: Catalogue) -> tuple:
    """What a build's catalogue says, compared in full (the dataclass compares papers,
    listings, problems and vocabulary)."""
    return (len(catalogue.papers), catalogue)


def fewer_papers(text: str) -> str:
    """The same trending dump without its last paper (its last title and abstract)."""
    lines = text.rstrip("\n").split("\n")
    return "\n".join(lines[:-2]) + "\n"


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_dump_replaced_during_a_build_is_never_stored_under_the_other_versions_key(
    tmp_path, monkeypatch, moment
):
    """``mv`` of a new version over a dump while the build reads the data folder: either
    ``before`` the dump itself is first read (as another file is read) or right
    ``after`` it is. Whatever the build made, every entry it stored must give, to a
    later build of either version, exactly what a build without the cache gives."""
    data = small_real_data(tmp_path)
    target = data / "listings" / DUMPS[1]
    other = data / "listings" / DUMPS[0]
    old = target.read_bytes()
    new = fewer_papers(old.decode("utf-8")).encode("utf-8")
    staged = tmp_path / "staged.txt"
    expected = {}
    for version, raw in (("old", old), ("new", new)):
        target.write_bytes(raw)
        expected[version] = summary(build_catalogue(data, Cache(None)))
    assert expected["old"][0] == expected["new"][0] + 1  # the versions differ
    target.write_bytes(old)

    trigger = other if moment == "before" else target
    fired = []

    def racing(read):
        def racing_read(path: Path) -> bytes:
            raw = read(path)
            if Path(path) == trigger and not fired:
                fired.append(path)
                staged.write_bytes(new)
                os.replace(staged, target)  # atomic, like `mv`
            return raw

        return racing_read

    store = Cache(tmp_path / "cache")
    with monkeypatch.context() as patch:  # every way the build reads a data file
        patch.setattr(Path, "read_bytes", racing(Path.read_bytes))
        patch.setattr(files_module, "read_regular", racing(files_module.read_regular))
        build_catalogue(data, store)  # may give either version: only what it stored counts
    assert fired, "the data was never read through the hook: the test proves nothing"

    for version, raw in (("old", old), ("new", new)):
        target.write_bytes(raw)
        assert summary(build_catalogue(data, store)) == expected[version], version


def seal_like_the_cache(store: Cache, path: Path, payload: bytes) -> None:
    """Write ``payload`` at an entry's path the way the cache itself writes entries
    (signed, if it signs them), so that the load, not the check, meets the damage."""
    seal = getattr(store, "seal", None)
    path.write_bytes(seal(path, payload) if seal else payload)


class Unloadable:
    """Pickles fine; unpickling it raises what a pickle from a newer Python raises."""

    def __reduce__(self):
        return (_refuse, ())


def _refuse():
    raise ValueError("unsupported pickle protocol: 9")


def test_any_failure_to_load_an_entry_means_recompute(tmp_path):
    """Not a list of known exceptions: whatever loading an entry raises, it is a miss."""
    store = Cache(tmp_path)
    store.put("stage", "key", Unloadable())
    assert store.get("stage", "key") is cache_module._MISSING
    assert store.memo("stage", "key", lambda: "recomputed") == "recomputed"


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: os.urandom(64),
    "newer protocol": lambda raw: b"\x80\x09" + raw[2:],
}


def test_a_damaged_entry_of_every_stage_costs_speed_not_the_build(tmp_path):
    """Every entry of every stage damaged (cut short, overwritten, or in a pickle
    protocol this Python does not know): the build succeeds and equals a clean one."""
    data = small_real_data(tmp_path)
    cache = tmp_path / "cache"
    env = {"PAPER_CATALOGUE_CACHE": str(cache)}
    assert mkdocs_build(data, tmp_path / "warm", env=env).returncode == 0
    clean = mkdocs_build(data, tmp_path / "clean", env={"PAPER_CATALOGUE_CACHE": "off"})
    assert clean.returncode == 0, clean.stderr
    stages = sorted({p.parent.name for p in cache.glob("*/*")})
    assert {"catalogue", "parse", "pages", "exports"} <= set(stages)
    for kind, damage in DAMAGE.items():
        for entry in (p for p in cache.glob("*/*") if p.suffix != ".tmp"):
            entry.write_bytes(damage(entry.read_bytes()))
        result = mkdocs_build(data, tmp_path / kind, env=env)
        assert result.returncode == 0, f"{kind}: {result.stdout}{result.stderr}"
        assert digest_tree(tmp_path / kind) == digest_tree(tmp_path / "clean"), kind


def test_a_read_only_cache_costs_speed_not_the_build(tmp_path, monkeypatch):
    """A cache on a read-only disk (or another user's): entries read, none touched or
    written; the build goes on and equals one without the cache."""
    data = small_real_data(tmp_path)
    store = Cache(tmp_path / "cache")
    build_catalogue(data, store)
    (data / "listings" / DUMPS[0]).write_text(
        fewer_papers((data / "listings" / DUMPS[0]).read_text("utf-8")), "utf-8"
    )

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cache_module.os, "utime", read_only)
    monkeypatch.setattr(cache_module.os, "replace", read_only)
    monkeypatch.setattr(cache_module.tempfile, "NamedTemporaryFile", read_only)
    assert build_catalogue(data, store) == build_catalogue(data, Cache(None))


class FullDisk:
    """A temporary file that takes a few bytes and then says the disk is full."""

    def __init__(self, *args, **kwargs):
        self.file = REAL_TEMPORARY_FILE(*args, **kwargs)
        self.name = self.file.name

    def write(self, data) -> int:
        self.file.write(bytes(data)[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def __getattr__(self, name):
        return getattr(self.file, name)


REAL_TEMPORARY_FILE = cache_module.tempfile.NamedTemporaryFile


def test_a_full_cache_costs_speed_and_leaves_no_half_written_file(tmp_path, monkeypatch):
    data = small_real_data(tmp_path)
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache_module.tempfile, "NamedTemporaryFile", FullDisk)
    assert build_catalogue(data, Cache(folder)) == build_catalogue(data, Cache(None))
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_prune_removes_stale_temporary_files_only(tmp_path):
    """A build killed mid-write leaves its temporary file: a later prune removes it once
    it is old enough that no running build can still be writing it."""
    store = Cache(tmp_path)
    store.put("stage", "key", "kept")
    folder = tmp_path / "stage"
    stale, fresh = folder / "tmpstale.tmp", folder / "tmpfresh.tmp"
    stale.write_bytes(b"half an entry")
    fresh.write_bytes(b"being written")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    store.prune()
    assert not stale.exists()
    assert fresh.exists() and store.get("stage", "key") == "kept"


class Planted:
    """What a crafted entry would do when loaded: create a file (it could do anything)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_planted_entry_is_never_loaded(tmp_path):
    """A pickle committed under ``.cache/`` (or dropped there) at an entry's own path is
    refused before it is unpickled: it never runs, and the build equals a clean one."""
    data = small_real_data(tmp_path)
    folder = tmp_path / "cache"
    build_catalogue(data, Cache(folder))
    marker = tmp_path / "the planted code ran"
    entries = list(folder.glob("*/*"))
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(Planted(marker)))
    assert pickle.loads(pickle.dumps(Planted(tmp_path / "proof"))) is None
    assert (tmp_path / "proof").exists()  # the payload does run when unpickled
    assert build_catalogue(data, Cache(folder)) == build_catalogue(data, Cache(None))
    assert not marker.exists()


def test_check_fails_when_git_tracks_the_cache(tmp_path):
    """A cache is this machine's: one committed to the repository is refused by
    ``check`` (and so by CI) with a message saying what to do."""
    repo = tmp_path / "repo"
    data = small_real_data(repo)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "data"], check=True)
    entry = repo / ".cache" / "paper-catalogue" / "catalogue" / "x.pickle"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"anything")
    env = {**os.environ, "PAPER_CATALOGUE_CACHE": "off"}

    def check() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "generator", "--data", str(data), "check"]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)

    untracked = check()
    assert untracked.returncode == 0, untracked.stdout + untracked.stderr
    subprocess.run([*git, "add", "-f", ".cache"], check=True)
    tracked = check()
    assert tracked.returncode == 1
    assert ".cache/paper-catalogue/catalogue/x.pickle" in tracked.stderr
    assert "git rm -r --cached .cache" in tracked.stderr
    assert ": 1 error(s)," in tracked.stdout
    assert "Traceback" not in tracked.stderr


def test_the_workflows_keep_the_cache_outside_the_checkout():
    for name in ("ci.yml", "pages.yml"):
        text = (ROOT / ".github" / "workflows" / name).read_text("utf-8")
        assert "PAPER_CATALOGUE_CACHE: ${{ runner.temp }}/" in text, name


def test_a_catalogue_is_pickled_whole_while_its_cached_properties_are_filled(tmp_path):
    """The worker's feeder thread pickles the catalogue while this process renders, which
    fills its cached properties: pickling must not iterate what is being added to. The
    other thread is played by a pickler that fills them in the middle of the pickling."""
    catalogue = build_catalogue(small_real_data(tmp_path), Cache(None))
    filled = []

    class RenderingMeanwhile(pickle.Pickler):
        def reducer_override(self, obj):
            if not filled and type(obj).__name__ == "Paper":
                filled.append(catalogue.by_id)
                catalogue.listing_papers(catalogue.listings[0])
            return NotImplemented

    buffer = io.BytesIO()
    RenderingMeanwhile(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(catalogue)
    assert filled
    copy = pickle.loads(buffer.getvalue())
    assert copy == catalogue and copy.by_id == catalogue.by_id


def test_the_secret_is_this_users_alone_or_caching_across_builds_is_off(tmp_path, monkeypatch):
    """The signing key is made once with mode 0600 outside the checkout and read again
    by later builds; one readable by others, or none to be had, gives a key of this
    process's own (entries from other builds are then never loaded)."""
    secret = cache_module.machine_secret
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    try:
        secret.cache_clear()
        first = secret()
        path = cache_module.secret_path()
        assert path == tmp_path / "xdg" / "paper-catalogue" / "secret"
        assert path.stat().st_mode & 0o777 == 0o600
        secret.cache_clear()
        assert secret() == first  # a later build's: the same
        path.chmod(0o644)
        secret.cache_clear()
        assert secret() != first
        (tmp_path / "file").write_text("not a folder")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
        secret.cache_clear()
        alone, again = secret(), (secret.cache_clear(), secret())[1]
        assert alone != again != first
    finally:
        secret.cache_clear()
