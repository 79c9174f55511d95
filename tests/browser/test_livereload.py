"""`make serve`'s promise: edit the data, the open page reloads with the change.

MkDocs 1.6.1 with Click >= 8.2.2 turns live reload off unless --livereload is
passed (mkdocs#4032); this runs the same command line as the Makefile's serve
target against a scratch data folder and watches a real browser reload.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conftest import FIXTURES, ROOT, make_data_dir, mkdocs_serve

pytestmark = pytest.mark.browser

# Evaluated again in every document while the page reloads: no <article> yet is "not yet".
ARTICLE_SAYS = "text => document.querySelector('article')?.innerText.includes(text) ?? false"


def serve_command() -> list[str]:
    """The serve target's mkdocs arguments, read from the Makefile so they cannot drift."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^\t\$\(BIN\)/mkdocs serve (.*)$", makefile, re.M).group(1)
    return [a for a in line.split() if not a.startswith(("$(", "--dev-addr"))]


def test_serve_target_passes_livereload():
    assert "--livereload" in serve_command()


def test_dropping_a_dump_into_listings_reloads_the_open_page(tmp_path, page):
    data = make_data_dir(tmp_path, "trending.txt")
    with mkdocs_serve(data, serve_command(), tmp_path / "serve.log") as base:
        page.goto(base)
        assert "3 papers" in page.locator("article.md-content__inner").inner_text()
        # No navigation by the test from here on: the page must reload by itself. The
        # dump is written beside the folder and moved in, so no build sees half a file.
        staged = tmp_path / "new.txt"
        shutil.copy(FIXTURES / "daily.txt", staged)
        os.replace(staged, data / "listings" / "new.txt")
        page.wait_for_function(ARTICLE_SAYS, arg="5 papers", timeout=60_000)
        # A data edit (a retitled paper) shows up the same way.
        dump = data / "listings" / "trending.txt"
        text = dump.read_text(encoding="utf-8").replace("Tensor Programs V", "Tensor Programs Five")
        staged.write_text(text, encoding="utf-8")
        page.goto(base + "a-z/t/")  # the A–Z's page for the letter T
        old = page.get_by_role("link", name=re.compile("^Tensor Programs V")).get_attribute("href")
        assert page.request.get(base + "a-z/t/" + old).status == 200
        os.replace(staged, dump)
        page.wait_for_function(ARTICLE_SAYS, arg="Tensor Programs Five", timeout=60_000)
        # The page of the old title is gone from the preview, as from a fresh build.
        new = page.get_by_role("link", name=re.compile("^Tensor Programs Five")).get_attribute(
            "href"
        )
        assert new != old and page.request.get(base + "a-z/t/" + new).status == 200
        assert page.request.get(base + "a-z/t/" + old).status == 404


PROBLEMS_SHOWN = "() => document.querySelector('.pc-problems')?.innerText ?? ''"


def test_data_errors_show_on_the_page_while_serving_and_go_with_the_fix(tmp_path, page):
    """The curator sees a data error in the browser (escaped, at its file and line), and
    a clean save takes the notice away, without touching the page."""
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    paper = folder / "sparse-mixture-of-experts-are-domain-generalizable-learners.yaml"
    paper.write_text('"<b>titel</b>": Sparse Mixture-of-Experts\n', encoding="utf-8")
    with mkdocs_serve(data, serve_command(), tmp_path / "serve.log") as base:
        page.goto(base + "a-z/")
        notice = page.evaluate(PROBLEMS_SHOWN)
        assert notice.startswith("1 error in the catalogue data.")
        where = "data/curation/papers/sparse-mixture-of-experts-are-domain-generalizable-learners"
        assert f"{where}.yaml:1 unknown key '<b>titel</b>' — allowed keys:" in notice
        assert page.locator(".pc-problems b").count() == 0  # shown as text, never as markup
        page.goto(base + "about/")
        assert page.evaluate(PROBLEMS_SHOWN).startswith("1 error in the catalogue data.")
        page.goto(base + "a-z/")
        staged = tmp_path / "fixed.yaml"
        staged.write_text("title: Sparse Mixture-of-Experts\n", encoding="utf-8")
        os.replace(staged, paper)
        page.wait_for_function(ARTICLE_SAYS, arg="Sparse Mixture-of-Experts\n", timeout=60_000)
        assert page.locator(".pc-problems").count() == 0
        # A hand-written page is built again too: the notice is gone from it as well.
        page.goto(base + "about/")
        assert page.locator("article h1").count() == 1 and page.locator(".pc-problems").count() == 0


def test_ctrl_c_stops_serve_and_its_worker_cleanly(tmp_path):
    """Ctrl-C reaches every process of the group: the worker must leave the stopping to
    the server (it printed a traceback), and the server removes its temporary site."""
    data = make_data_dir(tmp_path, "trending.txt")
    log = tmp_path / "serve.log"
    with mkdocs_serve(data, serve_command(), log):
        pass
    output = log.read_text(encoding="utf-8")
    assert "Shutting down" in output and "Traceback" not in output, output
    assert not list((tmp_path / "serve-tmp").iterdir())
