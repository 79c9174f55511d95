"""``python -m generator export DIR``: a complete docs folder for MkDocs' successor.

Complete means: every file the MkDocs build makes from the catalogue and docs/ (pages,
data files, scripts, lunr.js) is there, the theme's own files aside. Zensical building
it is ``make zensical-check``'s, on a schedule: it is not a dependency, and a new
release of it should not fail a pull request."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import ROOT

from generator.cli import main
from generator.export.docs_folder import LUNR_JS, MARKER

# What the MkDocs build writes that is the theme's or MkDocs' own, not ours.
THEIRS = ("assets/", "sitemap.xml", "search/search_index.json", "404.html")
# The plugin's icon sheet: only the plugin's HTML step points pages at it.
ICON_SHEET = "assets/icons.svg"


@pytest.fixture(scope="module")
def built(tmp_path_factory, hostile_site):
    """The same hostile data, built by MkDocs (the session's ``hostile_site``: these very
    dumps, built the same way) and exported from a copy of its data folder (an export
    with a build cache of its own, empty, as before)."""
    tmp = tmp_path_factory.mktemp("export")
    data = shutil.copytree(hostile_site.parent / "data", tmp / "data")
    code = main(
        ["--data", str(data), "export", "--config", str(ROOT / "mkdocs.yml"), str(tmp / "out")]
    )
    assert code == 0
    return hostile_site, tmp / "out"


def test_every_file_mkdocs_makes_of_ours_is_exported(built):
    site, out = built
    docs = out / "docs"
    expected = set()
    for file in site.rglob("*"):
        path = file.relative_to(site).as_posix()
        if file.is_dir() or path == ICON_SHEET:
            continue
        if path.endswith(".html"):
            if path in THEIRS:
                continue
            stem = path.removesuffix("index.html").rstrip("/")
            md = f"{stem}.md" if stem else "index.md"
            expected.add(md if (docs / md).exists() or stem == "" else f"{stem}/index.md")
        elif path == LUNR_JS or not path.startswith(THEIRS):
            expected.add(path)
    exported = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert len(expected) > 30  # 16 pages, 17 data files, docs/, lunr.js
    assert expected - exported == set()
    assert (docs / LUNR_JS).read_bytes() == (site / LUNR_JS).read_bytes()
    # Nothing exported points at the icon sheet, so the folder needs none.
    assert not any(ICON_SHEET in p.read_text("utf-8") for p in docs.rglob("*.md"))


def test_every_page_has_front_matter_that_parses(built):
    _, out = built
    pages = sorted((out / "docs").rglob("*.md"))
    generated = 0
    for page in pages:
        text = page.read_text("utf-8")
        if not text.startswith("---\n"):
            assert page.name == "about.md", page  # hand-written, copied as it is
            continue
        meta = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        assert isinstance(meta, dict) and meta["title"], page
        generated += 1
    assert generated == len(pages) - 1 > 10
    paper = next((out / "docs" / "papers").glob("*.md")).read_text("utf-8")
    assert 'hide: ["navigation", "toc"]' in paper


def test_the_config_is_the_projects_without_mkdocs_plugins(built):
    _, out = built
    text = (out / "mkdocs.yml").read_text("utf-8")
    assert text.startswith(MARKER + "\n")
    config = yaml.safe_load(text)
    project = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Tolerant)
    assert "plugins" not in config and "paper-catalogue" not in text and "!ENV" not in text
    assert config["docs_dir"] == "docs" and (out / "docs" / "index.md").is_file()
    assert config["theme"]["custom_dir"] == "overrides" and config["theme"]["variant"] == "classic"
    for key in ("nav", "extra_css", "extra_javascript", "markdown_extensions", "site_name"):
        assert config[key] == project[key], key
    for name in config["extra_css"] + config["extra_javascript"]:
        assert (out / "docs" / name).is_file(), name
    overrides = {
        p.relative_to(out / "overrides").as_posix() for p in (out / "overrides").rglob("*")
    }
    assert "main.html" in overrides and "partials/search.html" not in overrides


class _Tolerant(yaml.SafeLoader):
    """Reads mkdocs.yml's !ENV tags as plain values, to compare the other keys."""


_Tolerant.add_constructor("!ENV", lambda loader, node: None)
