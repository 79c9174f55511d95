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
from conftest import DATA, build_here, digest_tree, make_data_dir

from generator.finish.html_steps import IconSheet, fold_whitespace
from generator.mkdocs_site import shell as shell_module


@pytest.mark.parametrize(
    ("dumps", "site_url"),
    [
        (None, None),  # the real catalogue
        (("hostile.txt", "trending.txt", "daily.txt"), "https://example.org/catalogue/"),
    ],
    ids=["real", "hostile-with-site-url"],
)
def test_pages_filled_from_a_shell_equal_pages_the_theme_renders(
    tmp_path, request: pytest.FixtureRequest, dumps, site_url
):
    if dumps is None:  # the real catalogue: its build with every fast path on is shared
        shelled, counts = request.getfixturevalue("real_site_built_here")
        data = DATA
    else:
        data, shelled = make_data_dir(tmp_path, *dumps), tmp_path / "shell"
        counts = build_here(data, shelled, site_url=site_url)
    filled, folded = counts["filled"], counts["folded"]
    full = build_here(data, tmp_path / "full", shells=False, site_url=site_url)
    assert (full["filled"], full["folded"]) == (0, 0)
    papers = len(list((tmp_path / "full" / "papers").iterdir()))
    # The shell was used, folded ahead: for all but the first page of each shape.
    assert filled >= folded >= papers - 4
    assert digest_tree(shelled) == digest_tree(tmp_path / "full")


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
