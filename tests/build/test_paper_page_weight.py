"""A paper page carries the paper, not the theme (issue 31, item 2): the shell around a
paper (everything but its article and its head's metadata for citing and sharing) stays
as small as it was cut, so a change that puts the theme back on every one of thousands of
pages fails here, not on the Pages limit. benchmarks/page_parts.py names the parts."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import load_benchmark

page_parts = load_benchmark("page_parts")

# The parts that are the paper: its article, and what its head tells reference
# managers, search engines and link previews (generator/render/head_meta.py).
PAPER = {
    "content (the paper)",
    "head: citation_*",
    "head: OpenGraph",
    "head: Twitter card",
    "head: JSON-LD",
    "head: description",
    "head: title",
}
# The shell measured 3,364-3,548 bytes a page once the tabs, the dark-mode toggle, the
# header's scrolled-to title and the sidebar came from scripts too and the generator meta
# went (round 6), 5,319-5,688 once the search dialog, the drawer and Material's
# configuration came from javascripts/paper-shell.js, 7,985-8,354 before that (9,500-9,869
# before the first cut: the whole drawer, the inline scope script, the Twitter card's
# repeated text, the Back-to-top button, the footer's feed and whole-catalogue links); it
# varies with the title's anchor, which the skip link repeats.
SHELL_BUDGET = 3_650


def test_the_shell_around_a_paper_stays_within_its_budget(real_site: Path):
    pages = sorted((real_site / "papers").glob("*/index.html"))
    assert len(pages) == 720
    shells = {}
    for path in pages:
        parts = page_parts.parts(path.read_text("utf-8"))
        # none of what was cut comes back: an inline script, the Back-to-top button, the
        # markup paper-shell.js builds
        assert parts["inline scripts (__md_scope)"] == parts["back to top"] == 0, path
        assert parts["search box (dialog)"] == parts["drawer (sidebar nav)"] == 0, path
        assert parts["config JSON"] == 0, path
        shells[path.parent.name] = sum(
            size for part, size in parts.items() if part not in PAPER and not part.startswith("of")
        )
    worst = max(shells, key=shells.__getitem__)
    assert shells[worst] <= SHELL_BUDGET, f"{worst}: {shells[worst]} bytes of shell"


def test_a_paper_pages_footer_leaves_the_catalogues_files_to_other_pages(real_site: Path):
    paper = (real_site / "papers" / "2-olmo-2-furious" / "index.html").read_text("utf-8")
    home = (real_site / "index.html").read_text("utf-8")
    footer = paper[paper.index("<footer") :]
    assert "MIT-licensed" in footer and 'href="../../about/"' in footer
    assert "catalogue.bib" not in footer and "feed.xml" not in footer  # not this paper's
    assert all(f in home[home.index("<footer") :] for f in ("catalogue.bib", "feed.xml"))


def test_what_a_paper_pages_scripts_build_is_not_in_its_markup(published_site: Path):
    """Round 6's cuts, on the site as Pages publishes it (a repository, a site URL): the
    tabs, the dark-mode toggle, the header's repository link and scrolled-to title and the
    sidebar are left empty or out for javascripts/paper-shell.js and palette-restore.js
    (tests/browser/test_paper_shell.py checks what they build); a new curation file is
    linked by name, its template added by the script; the byline's names are text; the
    related list's why has no class; and no generator meta. Each of them is a part of
    every one of thousands of paper pages, so one coming back fails here."""
    pages = sorted((published_site / "papers").glob("*/index.html"))
    assert len(pages) >= 720
    new_files = 0
    for path in pages:
        html = path.read_text("utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect to the paper's new address
        parts = page_parts.parts(html)
        assert parts["palette (dark mode)"] <= 70 and parts["navigation tabs"] <= 75, path
        assert parts["repository link"] == 0 and 'name="generator"' not in html, path
        assert '<div class="md-header__source"></div>' in html, path
        assert 'data-md-component="header-topic"><span class="md-ellipsis"></span>' in html
        assert "md-sidebar" not in html and "pc-note" not in html, path
        edit = re.search(r'<a class="pc-edit" href="([^"]*)"', html).group(1)
        assert "value=" not in edit and len(edit) < 200, path  # prefilled: ≥ 900
        new_files += "/new/" in edit
        byline = re.search(r'<span class="pc-authors">(.*?)</span>', html)
        assert byline is None or "<a " not in byline.group(1), path
    assert new_files > 700  # nearly every real paper has no curation file yet
