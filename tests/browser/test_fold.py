"""Folding a page's white space must not move a single box: the fold cuts line breaks
beside block tags (generator/mkdocs_site/plugin.py:fold_whitespace), so the built pages are
rendered in Chromium as built and with a line break put back on both sides of every
block tag, and every element's box is compared, on a desktop and on a phone."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import serve_directory, settle

from generator.finish.html_steps import _BLOCK_TAGS, _KEEP_WHITESPACE

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "papers/2-olmo-2-furious/index.html",
    "papers/svft-parameter-efficient-fine-tuning-with-singular-vectors/index.html",
    "tags/index.html",
    "tags/large-language-models/index.html",
    "listings/index.html",
    "a-z/index.html",
    "find/index.html",
    "stats/index.html",
    "about/index.html",
]
VIEWPORTS = [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>")

# Every element's tag and box, in document order, rounded to a hundredth of a pixel.
BOXES = """() => [...document.body.querySelectorAll("*")].map(e => {
  const r = e.getBoundingClientRect()
  return [e.tagName, ...[r.x, r.y, r.width, r.height].map(v => Math.round(v * 100))]
})"""


def with_breaks(html: str) -> str:
    """The page with a line break on both sides of every block tag (outside <pre>,
    <textarea> and <script>): what the fold took out, and more."""
    parts = _KEEP_WHITESPACE.split(html)
    out = []
    for i in range(0, len(parts), 3):
        out.append(_BLOCK_TAG.sub(lambda m: f"\n{m.group()}\n", parts[i]))
        if i + 1 < len(parts):
            out.append(f"\n{parts[i + 1]}\n")
    return "".join(out)


@pytest.fixture(scope="module")
def both(real_site, tmp_path_factory):
    """A copy of the site with each page of PAGES beside its unfolded twin."""
    site = tmp_path_factory.mktemp("fold") / "site"
    shutil.copytree(real_site, site)
    for path in PAGES:
        page = site / path
        page.with_name("unfolded.html").write_text(with_breaks(page.read_text("utf-8")))
    return site


def test_the_unfolded_twin_has_the_breaks_back(both):
    page = (both / PAGES[1]).read_text("utf-8")
    twin = (both / PAGES[1]).with_name("unfolded.html").read_text("utf-8")
    assert "</li><li" in page and "</li>\n\n<li" in twin
    assert twin.count("\n") > page.count("\n") + 200


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_folded_pages_render_exactly_as_unfolded(page, both, viewport):
    page.set_viewport_size(viewport)
    with serve_directory(both) as base:
        for path in PAGES:
            boxes = []
            for name in ("index.html", "unfolded.html"):
                page.goto(base + path.replace("index.html", name))
                settle(page)
                boxes.append(page.evaluate(BOXES))
            folded, unfolded = boxes
            assert len(folded) > 50, path
            moved = [(a, b) for a, b in zip(folded, unfolded, strict=True) if a != b]
            assert moved == [], f"{path}: {moved[:5]}"
