"""The MkDocs glue: its branches, and the promises it keeps to the rest of the build."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, digest_tree, make_data_dir, mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.finish.html_steps import fold_whitespace
from generator.mkdocs_site.catalogue_files import MAX_SHOWN
from generator.mkdocs_site.front_matter import HTML_CACHED, MATERIAL_KEYS
from generator.mkdocs_site.page_cache import GeneratedPage
from generator.mkdocs_site.raw_html import put_back_html, set_aside_html
from generator.mkdocs_site.site_folder import remove_stale
from generator.mkdocs_site.structure import repository as _repository
from generator.render.edit_links import git_branch

GIT_BRANCH = git_branch(Path(".")) or "main"


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "expected"),
    [
        (None, None, None),  # a local build: no repository, no edit links
        ("https://gitlab.com/o/r", "edit/main/docs/", None),  # only GitHub's layout is known
        # Neither names a branch: git's (tests/unit/test_curator_edges.py), here this one's.
        ("https://github.com/o/r/", None, ("https://github.com/o/r", GIT_BRANCH)),
        ("https://github.com/o/r", "edit/trunk/docs/", ("https://github.com/o/r", "trunk")),
        ("https://github.com/o/r", "blob/dev/docs/", ("https://github.com/o/r", "dev")),
        ("https://github.com/o/r", "docs/", ("https://github.com/o/r", GIT_BRANCH)),
    ],
)
def test_the_repository_for_edit_links_comes_from_repo_url_and_edit_uri(
    repo_url, edit_uri, expected, monkeypatch
):
    monkeypatch.delenv("EDIT_BRANCH", raising=False)
    repo = _repository(SimpleNamespace(repo_url=repo_url, edit_uri=edit_uri))
    assert (repo and (repo.url, repo.branch)) == expected


def test_a_docs_page_hiding_a_generated_one_is_named_and_nothing_is_written_to_docs(
    tmp_path, monkeypatch, caplog
):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "a-z.md").write_text("# My own A–Z\n", encoding="utf-8")
    before = digest_tree(docs)
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(make_data_dir(tmp_path, "trending.txt")))
    config = load_config(
        str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site")
    )
    with caplog.at_level(logging.WARNING):
        build(config)
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.endswith("mkdocs_site.plugin")
    ]
    assert warnings == ["docs/a-z.md hides the generated page of the same name: rename it"]
    assert "My own A–Z" in (tmp_path / "site" / "a-z" / "index.html").read_text("utf-8")
    assert digest_tree(docs) == before  # generated pages live in memory, never in docs/


def test_a_strict_build_lists_the_first_errors_and_counts_the_rest(tmp_path):
    empty = {f"empty_{i:02}.txt": b"\n" for i in range(MAX_SHOWN + 5)}
    data = make_data_dir(tmp_path, "trending.txt", raw=empty)
    result = mkdocs_build(data, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{MAX_SHOWN + 5} error(s) in the catalogue data:" in output
    assert output.count("error: no papers found") == MAX_SHOWN
    assert "  ... and 5 more" in output
    assert "python -m generator check" in output and "Traceback" not in output


def test_the_core_never_imports_mkdocs(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    script = (
        "import sys\n"
        "from generator.pipeline import build_catalogue\n"
        "from generator.render.pages import render_pages\n"
        "from generator.render.paths import directory_url\n"
        "from generator.export.site_data import export_files\n"
        "from generator.cli import main\n"
        f"catalogue = build_catalogue({str(data)!r})\n"
        "assert render_pages(catalogue)\n"
        "assert export_files(catalogue, directory_url)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_folding_whitespace_keeps_pre_script_and_words_apart():
    html = (
        '<p>\n    <a href="x">one</a>\n    <a href="y">two</a>\n  </p>\n'
        "<pre><code>@misc{key,\n  title = {{A}}\n}</code></pre>\n\n  "
        "<script>\n  var a = 1\n</script>\t \n"
    )
    assert fold_whitespace(html) == (
        '<p><a href="x">one</a>\n<a href="y">two</a></p>'
        "<pre><code>@misc{key,\n  title = {{A}}\n}</code></pre>"
        "<script>\n  var a = 1\n</script>"
    )
    # beside inline tags (and a textarea, which is one) the break stays: it is a space
    inline = "<span>a</span>\n  <textarea>\n x</textarea>\n<label>b</label>"
    assert fold_whitespace(inline) == "<span>a</span>\n<textarea>\n x</textarea>\n<label>b</label>"


def test_raw_html_blocks_are_set_aside_whole_and_put_back():
    markdown = (
        "# Title\n\nText with <b>inline</b> HTML.\n\n"
        '<ul class="pc-papers">\n<li><a href="../x/">X</a></li>\n</ul>\n\n'
        "<div>\n\nnot one block\n\n</div>\n"
    )
    stashed, kept = set_aside_html(markdown)
    assert kept == ['<ul class="pc-papers">\n<li><a href="../x/">X</a></li>\n</ul>']
    assert "PCRAWHTML0X" in stashed and "<b>inline</b>" in stashed and "<div>" in stashed
    html = put_back_html("<h1>Title</h1>\n<p>PCRAWHTML0X</p>", kept)
    assert html == '<h1>Title</h1>\n<ul class="pc-papers">\n<li><a href="../x/">X</a></li>\n</ul>'


def test_pages_whose_html_is_parked_stay_out_of_materials_site_search():
    """Their content is set aside until rendering, after Material's search plugin has
    read it: a kind that site search indexes must not be parked."""
    for kind in HTML_CACHED:
        assert MATERIAL_KEYS[kind].get("search") == {"exclude": True}, kind


def test_outputs_a_rebuild_no_longer_makes_are_removed_with_their_empty_folders(tmp_path):
    site = tmp_path / "site"
    kept, gone, other = site / "papers/a/index.html", site / "papers/b/index.html", site / "x.json"
    for path in (kept, gone, other):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("page", encoding="utf-8")
    emptied = site / "tags/t/index.html"  # its folder was emptied by someone else meanwhile
    remove_stale(site, {kept, gone, other, emptied}, {kept})
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "papers",
        "papers/a",
        "papers/a/index.html",
    ]


def test_a_page_whose_html_is_known_is_left_as_mkdocs_would_convert_an_empty_text(tmp_path):
    """For a page whose HTML it has, the plugin passes MkDocs an empty text and skips its
    conversion: the page must be left exactly as MkDocs' conversion of "" leaves it."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    pages = []
    for stand_in in (False, True):
        file = File("papers/x.md", None, str(tmp_path / "site"), use_directory_urls=True)
        file.content_string = ""
        page = (GeneratedPage if stand_in else Page)(None, file, config)
        page.read_source(config)
        page.markdown = ""
        page.converted = stand_in
        page.render(config, Files([file]))
        pages.append(page)
    mkdocs, ours = pages
    assert type(mkdocs) is Page and isinstance(ours, GeneratedPage)
    for name in ("content", "_title_from_render", "present_anchor_ids", "links_to_anchors"):
        assert getattr(ours, name) == getattr(mkdocs, name), name
    assert list(ours.toc) == list(mkdocs.toc) == []
