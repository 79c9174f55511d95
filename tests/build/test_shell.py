"""Paper pages themed by filling one shell per build are the pages Material renders.

The shell is Material's page rendered once with placeholders; every paper page fills
in its own values. These builds compare every file of a site built with shells to one
built with Material rendering each page, on the real catalogue, the hostile dumps (titles
full of HTML, quotes and Jinja), and with a site URL (each page names its canonical URL).
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from conftest import DATA, ROOT, digest_tree, make_data_dir
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.finish.html_steps import IconSheet, fold_whitespace
from generator.mkdocs_site import page_cache as page_cache_module
from generator.mkdocs_site import shell as shell_module


def build_site(
    data, site, monkeypatch, *, shells: bool, site_url: str | None = None
) -> tuple[int, int]:
    """Build in this process; returns how many pages were filled from a shell, and how
    many of them from its folded form."""
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", "off")
    filled, folded = [], []
    fill, finished = shell_module.Shell.fill, shell_module.Shell.finished

    def counted(shell, page, *args):
        done = finished(shell, page, *args)
        if done is not None:
            folded.append(1)
        return done

    with monkeypatch.context() as patch:
        patch.setattr(shell_module.Shell, "fill", lambda s, p: filled.append(1) or fill(s, p))
        patch.setattr(shell_module.Shell, "finished", counted)
        if not shells:
            patch.setattr(page_cache_module, "SHELL_KINDS", set())
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), site_url=site_url)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    return len(filled) + len(folded), len(folded)


@pytest.mark.parametrize(
    ("dumps", "site_url"),
    [
        (None, None),  # the real catalogue
        (("hostile.txt", "trending.txt", "daily.txt"), "https://example.org/catalogue/"),
    ],
    ids=["real", "hostile-with-site-url"],
)
def test_pages_filled_from_a_shell_equal_pages_the_theme_renders(
    tmp_path, monkeypatch, dumps, site_url
):
    data = DATA if dumps is None else make_data_dir(tmp_path, *dumps)
    filled, folded = build_site(
        data, tmp_path / "shell", monkeypatch, shells=True, site_url=site_url
    )
    assert build_site(data, tmp_path / "full", monkeypatch, shells=False, site_url=site_url) == (
        0,
        0,
    )
    papers = len(list((tmp_path / "full" / "papers").iterdir()))
    # The shell was used, folded ahead: for all but the first page of each shape.
    assert filled >= folded >= papers - 4
    assert digest_tree(tmp_path / "shell") == digest_tree(tmp_path / "full")


def test_a_page_not_shaped_like_the_stand_ins_is_folded_whole():
    """The shell is folded once around stand-ins for the values; a page whose values
    would fold differently at their edges is turned down (and folded whole), never
    folded wrong."""
    shell = shell_module.Shell.__new__(shell_module.Shell)
    shell.meta, shell.folded, shell.icon_ids, shell.html_slots = [], [], (), set()
    shell.texts = ["<title>", "</title>\n  <article>\n    ", "\n  </article>\n  <a>x</a>"]
    shell.slots = [0, 2]
    shell.finish(IconSheet(), "")
    page = SimpleNamespace(
        meta={"title": "A &lt;b&gt; title"},
        content='<h1 id="t">T</h1>\n  <p>x</p>',
        toc=SimpleNamespace(items=[]),
        canonical_url=None,
    )
    output, _ = shell.finished(page, IconSheet(), "")
    assert output == fold_whitespace(shell.fill(page))
    for field, value in [("content", '<h1 id="t">T</h1>\n  text'), ("title", "A title ")]:
        odd = copy.deepcopy(page)
        if field == "title":
            odd.meta["title"] = value
        else:
            odd.content = value
        assert shell.finished(odd, IconSheet(), "") is None, field
