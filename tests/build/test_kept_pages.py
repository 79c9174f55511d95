"""Pages a build leaves to the site it replaces (generator/mkdocs_site/kept_pages.py).

A generated page whose source and site are those of the last build into the same folder
is linked in from that folder's file without MkDocs reading, converting, theming or
writing it, and only when the file is still the one the last build wrote: edited,
removed or replaced by a link, the page is built again. Either way the site is a clean
build's, byte for byte, its sitemap included (built with a site URL, so that it lists
every page).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, digest_tree, mkdocs_build
from mkdocs.commands import build as mkdocs_commands
from test_cache import DUMPS, build_in_process, small_real_data

from generator.infra.cache import Cache

SITE_URL = "https://example.org/catalogue/"


@pytest.fixture
def built_once(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A small real catalogue built once into ``site`` with a cache of its own."""
    data = small_real_data(tmp_path)
    for name, value in {
        "PAPER_CATALOGUE_DATA": str(data),
        "PAPER_CATALOGUE_CACHE": str(tmp_path / "cache"),
        "SITE_URL": SITE_URL,
        "SOURCE_DATE_EPOCH": "1700000000",
    }.items():
        monkeypatch.setenv(name, value)
    site = tmp_path / "site"
    build_in_process(ROOT / "docs", site)
    return data, site


def clean_build(data: Path, site: Path) -> dict[str, str]:
    result = mkdocs_build(data, site, env={"PAPER_CATALOGUE_CACHE": "off", "SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    return digest_tree(site)


def handed_to_mkdocs(monkeypatch) -> set[str]:
    """The source paths of the pages MkDocs reads or builds from now on."""
    seen: set[str] = set()
    for name in ("_populate_page", "_build_page"):
        original = getattr(mkdocs_commands, name)

        def counted(page, *args, _original=original, **kwargs):
            seen.add(page.file.src_uri)
            return _original(page, *args, **kwargs)

        monkeypatch.setattr(mkdocs_commands, name, counted)
    return seen


def stages_read(monkeypatch) -> list[str]:
    """The cache stages read from now on."""
    read: list[str] = []
    get = Cache.get

    def noted(self, stage: str, key: str):
        read.append(stage)
        return get(self, stage, key)

    monkeypatch.setattr(Cache, "get", noted)
    return read


def paper_pages(site: Path) -> dict[str, int]:
    """Each paper page's file by path, as its inode."""
    return {
        p.relative_to(site).as_posix(): p.stat().st_ino
        for p in (site / "papers").rglob("index.html")
    }


def edit_abstract(data: Path) -> str:
    """A word added to the first paper's abstract; the paper's page path."""
    dump = data / "listings" / DUMPS[0]
    text = dump.read_text("utf-8")
    dump.write_text(text.replace("we build tools", "we build new tools", 1), "utf-8")
    return "papers/scalable-nested-optimization-for-deep-learning/index.html"


def test_an_unchanged_page_is_linked_in_and_never_handed_to_mkdocs(
    built_once, tmp_path, monkeypatch
):
    data, site = built_once
    before = paper_pages(site)
    edited = edit_abstract(data)
    assert edited in before
    handed, read = handed_to_mkdocs(monkeypatch), stages_read(monkeypatch)
    build_in_process(ROOT / "docs", site)
    after = paper_pages(site)
    kept = {path for path, inode in after.items() if before.get(path) == inode}
    assert len(kept) > len(after) / 2  # an abstract's edit changes a few pages only
    handed_papers = {path for path in handed if path.startswith("papers/")}
    kept_sources = {path.removesuffix("/index.html") + ".md" for path in kept}
    assert handed_papers and kept_sources.isdisjoint(handed_papers)
    assert edited not in kept and edited.removesuffix("/index.html") + ".md" in handed
    # neither the finished pages nor their HTML were read: only the keys stored beside them
    assert "page-output" not in read and "page-html" not in read
    assert "page-output-keys" in read
    assert digest_tree(site) == clean_build(data, tmp_path / "clean")
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert all(f"{SITE_URL}{path.removesuffix('index.html')}<" in sitemap for path in kept)


def _edited_in_place(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace("<h1", "<h2", 1), "utf-8")  # the same size


def _removed(path: Path) -> None:
    path.unlink()


def _replaced_by_a_link(path: Path) -> None:
    """A symbolic link to the very file the last build wrote, hard-linked outside the
    site: through the link, the same bytes and the same identity."""
    outside = path.parents[3] / "outside.html"
    os.link(path, outside)
    path.unlink()
    path.symlink_to(outside)


def _replaced_by_another_file(path: Path) -> None:
    """Another file in its place: the same bytes, size and modification time, a new inode."""
    status = path.stat()
    copy = path.with_name("copy.html")
    shutil.copy(path, copy)
    copy.write_bytes(path.read_bytes().replace(b"<h1", b"<h2", 1))
    os.utime(copy, ns=(status.st_atime_ns, status.st_mtime_ns))
    copy.replace(path)


@pytest.mark.parametrize(
    "damage", [_edited_in_place, _removed, _replaced_by_a_link, _replaced_by_another_file]
)
def test_a_page_changed_in_the_previous_site_is_built_again(
    built_once, tmp_path, monkeypatch, damage
):
    data, site = built_once
    page = sorted(paper_pages(site))[0]
    damage(site / page)
    handed = handed_to_mkdocs(monkeypatch)
    build_in_process(ROOT / "docs", site)
    assert page.removesuffix("/index.html") + ".md" in handed
    assert not (site / page).is_symlink()
    assert digest_tree(site) == clean_build(data, tmp_path / "clean")
