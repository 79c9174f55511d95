"""Pages as a reader meets them (issue 29): no request that fails on any page type, and
an abstract set at a comfortable measure on a desktop and on a phone."""

from __future__ import annotations

import pytest
from conftest import page_paths, settle

pytestmark = pytest.mark.browser

# Characters a line that still read comfortably (Bringhurst: 45–75, up to 90 for prose
# that is scanned rather than read through).
MEASURE = 90
LONG_ABSTRACT = "papers/scaling-laws-for-autoregressive-generative-modeling/"

# The longest line of the abstract, in characters: each text node's characters are
# grouped by the line box they land on (their top, from a Range over each character).
LONGEST_LINE = """
(selector) => {
  const box = document.querySelector(selector);
  const lines = new Map();
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const top = Math.round(rect.top);
      lines.set(top, (lines.get(top) || 0) + 1);
    }
  }
  return {longest: Math.max(...lines.values()), lines: lines.size};
}
"""


def test_no_page_type_requests_anything_that_fails(page, published, published_site):
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    paths = page_paths(published_site)
    # A moved listing's old address too: the redirect page, and where it leads.
    paths.append("listings/000-2c539da77f382f8d/")
    for path in paths:
        page.goto(published + path)
        settle(page)
    assert failed == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_abstract_reads_at_a_comfortable_measure(browser, published, published_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        longest = 0
        for path in [page_paths(published_site)[1], LONG_ABSTRACT]:
            page.goto(published + path)
            found = page.evaluate(LONGEST_LINE, ".pc-abstract")
            assert found["lines"] > 2, path  # a real abstract, set over several lines
            longest = max(longest, found["longest"])
        assert longest <= MEASURE, f"{longest} characters on a line at {width} px"
    finally:
        context.close()


def test_navigation_uses_the_space_it_takes(browser, published):
    """On a wide screen the tabs are the navigation: no 242 px column for one word. On a
    phone the same links are in the menu drawer."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(published)
        assert not page.locator(".md-sidebar--primary").is_visible()
        assert page.locator(".md-tabs__link", has_text="A–Z").is_visible()
        content = page.locator(".md-content").bounding_box()
        assert content["x"] < 100 and content["width"] > 900
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(published)
        page.locator('label.md-header__button[for="__drawer"]').click()
        drawer = page.locator(".md-nav--primary .md-nav__link", has_text="About").first
        drawer.wait_for(state="visible")
    finally:
        context.close()


def test_the_footer_says_what_the_site_is(page, published):
    page.goto(published + "about/")
    footer = page.locator("footer .pc-footer")
    assert "Paper Catalogue: a curated catalogue of research papers" in footer.inner_text()
    hrefs = footer.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert published + "feed.xml" in hrefs and published + "catalogue.json" in hrefs
    assert "https://github.com/example/catalogue" in hrefs  # the site's repository
