"""A paper page's shell after it was cut to what a reader needs on every paper (issue 31,
item 2): the header's search still opens and answers, by mouse and by keyboard; the
dark-mode toggle still switches, and the choice still reaches the site's other pages
(Material's storage scope now comes from javascripts/material-scope.js, not an inline
script); the phone's drawer still reaches Home, A–Z, Tags and Search. Accessibility of
the paper page is tests/browser/test_accessibility.py's (it audits a paper page).

Since the search dialog, the drawer and Material's configuration of a paper page come
from javascripts/paper-shell.js instead of its markup, the markup that script makes is
compared with what a page rendered by the theme carries (a tag page: out of the
navigation too), before Material's bundle changes either.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEARCH_SHOWN, serve_directory
from test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PAPER = "papers/2-olmo-2-furious/"
DRAWER_BUTTON = "label.md-header__button[for='__drawer']"
# The drawer's links are on the screen (shut, the drawer waits off its left edge).
ON_SCREEN = """() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]
  .every(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0 })"""


def test_the_search_box_opens_and_answers_on_a_paper_page(real_site: Path, page) -> None:
    with serve_directory(real_site) as base:
        page.goto(base + PAPER)
        box = page.locator('input[data-md-component="search-query"]')
        box.click()
        page.wait_for_function("document.getElementById('__search').checked")
        box.type("influence functions", delay=20)
        page.wait_for_function(SEARCH_SHOWN, arg="influence functions")
        first = page.locator(".md-search-result__item a").first
        assert "papers/" in first.get_attribute("href")
        # and by keyboard: Escape closes it, "/" opens it again with focus in the box
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('__search').checked")
        page.goto(base + PAPER)  # a fresh page (Material's focus debounce: see test_keyboard_path)
        page.keyboard.press("/")
        page.wait_for_function("document.activeElement.classList.contains('md-search__input')")


def test_dark_mode_switches_on_a_paper_page_and_reaches_the_home_page(
    real_site: Path, page
) -> None:
    page.emulate_media(color_scheme="light")
    with serve_directory(real_site) as base:
        page.goto(base + PAPER)
        # Material's scope is the site's root, as its inline script made it: the reader's
        # choices are kept under one key for every page.
        assert page.evaluate("__md_scope.href") == base
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        page.locator("label[title='Dark mode']").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.goto(base)
        assert page.evaluate("__md_scope.href") == base
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.locator("label[title='Light mode']").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")


def test_the_phone_drawer_of_a_paper_page_reaches_home_search_and_tags(
    real_site: Path, browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        with serve_directory(real_site) as base:
            page.goto(base + PAPER)
            links = page.locator(".md-sidebar--primary .md-nav__link")
            assert page.evaluate(ON_SCREEN) is False  # the drawer is shut, off to the side
            page.locator(DRAWER_BUTTON).click()
            page.wait_for_function(ON_SCREEN)
            # the script-built drawer, open on a phone: axe-clean, as the theme's
            assert serious_violations(page) == []
            shown = [t.strip() for t in links.all_inner_texts()]
            # the whole navigation, as on every other page (the tabs' entries)
            tabs = page.locator(".md-tabs__link").all_inner_texts()
            assert shown == [t.strip() for t in tabs] and len(shown) == 9
            assert shown[:4] == ["Home", "A–Z", "Tags", "Search"]
            targets = {
                "Home": base,
                "Tags": base + "tags/",
                "Search": base + "find/",
            }
            for label, url in targets.items():
                page.goto(base + PAPER)
                page.locator(DRAWER_BUTTON).click()
                link = page.locator(".md-sidebar--primary .md-nav__link", has_text=label)
                link.wait_for(state="visible")
                with page.expect_navigation():
                    link.click()
                assert page.url == url, label
            # The home page's drawer still holds the whole navigation.
            page.goto(base)
            page.locator(DRAWER_BUTTON).click()
            about = page.locator(".md-nav--primary .md-nav__link", has_text="About").first
            about.wait_for(state="visible")
    finally:
        context.close()


# The markup of a part of the page as the bundle finds it: every address resolved
# against the page (the same file from either page's place), whitespace between tags and
# runs of it folded (the theme's templates leave line breaks, the script none).
MARKUP = """selector => {
  const el = document.querySelector(selector)
  if (!el) return null
  const copy = el.cloneNode(true)
  for (const a of copy.querySelectorAll("[href]"))
    a.setAttribute("href", new URL(a.getAttribute("href"), location).href)
  return copy.outerHTML.replace(/\\s+/g, " ").replace(/> | </g, m => m.trim())
}"""
CONFIG = """() => {
  const c = JSON.parse(document.getElementById("__config").textContent)
  return { ...c, base: new URL(c.base, location).href, search: new URL(c.search, location).href }
}"""


@pytest.mark.parametrize("built", ["real_site", "published_site"])
def test_the_script_built_shell_is_the_markup_the_theme_writes(built: str, request, page):
    """Material's bundle blocked (it would change both pages' markup as it starts): what
    it will find on a paper page is what it finds on a tag page, rendered by the theme;
    with the Pages workflow's settings too (the drawer then has the repository's link)."""
    real_site = request.getfixturevalue(built)
    page.route("**/bundle.*.min.js", lambda route: route.abort())
    with serve_directory(real_site) as base:
        page.goto(base + "tags/diffusion-models/")
        theirs = {s: page.evaluate(MARKUP, s) for s in (".md-search", ".md-nav--primary")}
        config = page.evaluate(CONFIG)
        page.goto(base + PAPER)
        ours = {s: page.evaluate(MARKUP, s) for s in (".md-search", ".md-nav--primary")}
        assert ours[".md-search"] == theirs[".md-search"] and "icons.svg#" in ours[".md-search"]
        assert ("md-source" in ours[".md-nav--primary"]) == (built == "published_site")
        assert ours[".md-nav--primary"] == theirs[".md-nav--primary"]
        assert page.evaluate(CONFIG) == config
        # one config, one dialog: nothing made twice
        assert page.locator("#__config").count() == page.locator(".md-search").count() == 1
    html = (real_site / PAPER / "index.html").read_text("utf-8")
    assert 'class="md-search"' not in html and 'id="__config"' not in html
    assert "md-nav__list" not in html
