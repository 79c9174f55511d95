"""The site folder under faults and races: a build killed inside the swap, two builds
at once. Faults are injected at named steps (a rename, a lock held by the test), never
by timing guesses."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import MKDOCS, ROOT, make_data_dir

from generator.mkdocs_site.site_folder import PreviousSite, SiteLock


def a_site(folder: Path, label: str) -> Path:
    """A stand-in site: complete when both of its files are there."""
    folder.mkdir()
    (folder / "index.html").write_text(label)
    (folder / "catalogue.json").write_text(label)
    return folder


def complete(folder: Path) -> str | None:
    """The site's label if ``folder`` holds a whole site, else None."""
    try:
        label = (folder / "index.html").read_text()
    except OSError:
        return None
    return label if (folder / "catalogue.json").read_text() == label else None


# Run in a child process: swap_in with every rename counted, the process killed (as by
# the OOM killer or a closed laptop) right after rename number KILL_AT.
KILLED_SWAP = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from generator.mkdocs_site import site_folder
    kill_at, count = int(sys.argv[3]), [0]
    def counted(real):
        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            count[0] += 1
            if count[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call
    os.rename = counted(os.rename)
    if hasattr(site_folder, 'exchange'):
        site_folder.exchange = counted(site_folder.exchange)
    site_folder.swap_in(Path(sys.argv[1]), Path(sys.argv[2]))
    """
)


@pytest.mark.parametrize("kill_at", [1, 2, 3])
def test_a_build_killed_inside_the_swap_leaves_a_whole_site(tmp_path, kill_at):
    final = a_site(tmp_path / "site", "old")
    new = a_site(tmp_path / "site.partial", "new")
    run = subprocess.run(
        [sys.executable, "-c", KILLED_SWAP, str(new), str(final), str(kill_at)], cwd=ROOT
    )
    assert run.returncode in (0, -9)
    assert complete(final) in ("old", "new"), sorted(p.name for p in tmp_path.iterdir())


def test_the_swap_puts_the_new_site_in_and_hands_back_the_old(tmp_path):
    from generator.mkdocs_site.site_folder import swap_in

    final = a_site(tmp_path / "site", "old")
    replaced = swap_in(a_site(tmp_path / "site.partial", "new"), final)
    assert complete(final) == "new"
    assert replaced is not None and complete(replaced) == "old"
    # The first build has no site to replace.
    assert swap_in(a_site(tmp_path / "first.partial", "first"), tmp_path / "first") is None
    assert complete(tmp_path / "first") == "first"


def test_a_second_build_waits_for_the_first_and_both_publish_whole_sites(tmp_path):
    """A build started while another holds the site folder waits, says so, and touches
    nothing until the first is done (here the test holds the lock, as a running build
    would)."""
    data = make_data_dir(tmp_path, "trending.txt")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    lock = SiteLock(site)
    fd = os.open(lock.path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    env = {
        **os.environ,
        "PAPER_CATALOGUE_DATA": str(data),
        "PAPER_CATALOGUE_CACHE": "off",
        "NO_MKDOCS_2_WARNING": "1",
    }
    build = subprocess.Popen(
        [str(MKDOCS), "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = []
        for line in build.stderr:  # ends when the build does: it cannot hang the test
            said.append(line)
            if "waiting" in line:
                break
        assert any("waiting" in line and str(lock.path) in line for line in said), said
        assert build.poll() is None, "the second build went on while the site was locked"
        assert not site.with_name("site.partial").exists()
        assert not site.exists()
    finally:
        os.close(fd)  # the first build ends
    rest = build.stderr.read()
    assert build.wait(timeout=300) == 0, rest
    assert (site / "catalogue.json").is_file() and (site / "index.html").is_file()


def test_an_unchanged_file_is_linked_from_the_previous_site_which_stays_whole(tmp_path):
    old, new = tmp_path / "site", tmp_path / "site.partial"
    (old / "papers" / "a").mkdir(parents=True)
    (old / "papers" / "a" / "index.html").write_bytes(b"<p>a</p>")
    (old / "changed.html").write_bytes(b"<p>before</p>")
    (old / "elsewhere.html").write_bytes(b"<p>x</p>")
    (old / "link.html").symlink_to(old / "elsewhere.html")
    new.mkdir()
    previous = PreviousSite(old, new)
    assert previous.keep("papers/a/index.html", b"<p>a</p>")
    assert (new / "papers/a/index.html").stat().st_ino == (
        old / "papers/a/index.html"
    ).stat().st_ino
    assert not previous.keep("changed.html", b"<p>after</p>")  # same size, other bytes
    assert not previous.keep("changed.html", b"<p>longer after</p>")
    assert not previous.keep("link.html", b"<p>x</p>")  # only a regular file is linked
    assert not previous.keep("missing.html", b"")
    assert previous.keep("papers/a/index.html", b"<p>a</p>") is False  # made once only
    assert sorted(p.name for p in new.rglob("*") if p.is_file()) == ["index.html"]
    assert (old / "changed.html").read_bytes() == b"<p>before</p>"
    assert previous.kept == 1
