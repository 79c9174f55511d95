"""The Search page's tag filter reads as a form control, not as one of Material's notes."""

from __future__ import annotations

import pytest
from conftest import serve_directory

pytestmark = pytest.mark.browser

LOOK = """() => {
  const summary = document.querySelector(".pc-find-tags > summary")
  const before = getComputedStyle(summary, "::before")
  const after = getComputedStyle(summary, "::after")
  return {
    icons: [before.display, after.display],
    marker: getComputedStyle(summary).display,
    open: summary.parentElement.open,
  }
}"""


def test_the_tag_filter_is_a_disclosure_not_a_note(page, real_site):
    with serve_directory(real_site) as site:
        page.goto(site + "find/")
        page.wait_for_selector(".pc-find-tags > summary")
        look = page.evaluate(LOOK)
        # Material's admonition draws a pencil (::before) and a chevron (::after) on every
        # <details>; the filter has the browser's own disclosure triangle instead.
        assert look == {"icons": ["none", "none"], "marker": "list-item", "open": False}
        page.locator(".pc-find-tags > summary").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.pc-find-tags').open")
        assert page.locator("input[name=tag]").first.is_visible()
