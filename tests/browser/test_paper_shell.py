"""A paper page's shell after it was cut to what a reader needs on every paper (issue 31,
item 2): the header's search still opens and answers, by mouse and by keyboard; the
dark-mode toggle still switches, and the choice still reaches the site's other pages
(Material's storage scope now comes from javascripts/material-scope.js, not an inline
script); the phone's drawer still reaches Home, A–Z, Tags and Search. Accessibility of
the paper page is tests/browser/test_accessibility.py's (it audits a paper page).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEARCH_SHOWN, serve_directory

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
            shown = [t.strip() for t in links.all_inner_texts()]
            assert shown == ["Home", "A–Z", "Tags", "Search"]
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
