"""A paper page carries the paper, not the theme (issue 31, item 2): the shell around a
paper (everything but its article and its head's metadata for citing and sharing) stays
as small as it was cut, so a change that puts the theme back on every one of thousands of
pages fails here, not on the Pages limit. benchmarks/page_parts.py names the parts."""

from __future__ import annotations

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
# The shell measured 5,319-5,688 bytes a page once the search dialog, the drawer and
# Material's configuration came from javascripts/paper-shell.js (7,985-8,354 before; 9,500-
# 9,869 before the first cut: the whole drawer, the inline scope script, the Twitter
# card's repeated text, the Back-to-top button, the footer's feed and whole-catalogue
# links); it varies with the title, which the header repeats.
SHELL_BUDGET = 5_800


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
