"""A paper page's shell after it was cut to what a reader needs on every paper (issue 31,
item 2): the header's search still opens and answers, by mouse and by keyboard; the
dark-mode toggle still switches, and the choice still reaches the site's other pages
(Material's storage scope now comes from javascripts/material-scope.js, not an inline
script); the phone's drawer still reaches Home, A–Z, Tags and Search. Accessibility of
the paper page is tests/browser/test_accessibility.py's (it audits a paper page).

Since the search dialog, the drawer, the tabs and Material's configuration of a paper
page come from javascripts/paper-shell.js instead of its markup (and the dark-mode toggle
from javascripts/palette-restore.js), the markup those scripts make is compared with what
a page rendered by the theme carries (a tag page: out of the navigation too), before
Material's bundle changes either; and the page is measured not to move as they fill it.
The same script completes a new curation file's "Suggest an edit" link.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SEARCH_SHOWN, serve_directory
from test_accessibility import serious_violations

from generator.render.edit_links import curation_template

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
PALETTE = "[data-md-component=palette]"
SOURCE = ".md-header__source"
BUILT = (".md-search", ".md-nav--primary", ".md-tabs", PALETTE, SOURCE)
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
        theirs = {s: page.evaluate(MARKUP, s) for s in BUILT}
        config = page.evaluate(CONFIG)
        page.goto(base + PAPER)
        ours = {s: page.evaluate(MARKUP, s) for s in BUILT}
        assert ours[".md-search"] == theirs[".md-search"] and "icons.svg#" in ours[".md-search"]
        assert ("md-source" in ours[".md-nav--primary"]) == (built == "published_site")
        assert ours[".md-nav--primary"] == theirs[".md-nav--primary"]
        # the tabs (javascripts/paper-shell.js) and the dark-mode toggle (palette-restore.js)
        assert ours[".md-tabs"] == theirs[".md-tabs"] and ours[".md-tabs"].count("<li") == 9
        assert ours[PALETTE] == theirs[PALETTE] and ours[PALETTE].count("icons.svg#") == 2
        # the header's repository link (published only) and, once scrolled, the paper's title
        assert ours[SOURCE] == theirs[SOURCE] and (ours[SOURCE] is None) == (built == "real_site")
        topic = "document.querySelector('[data-md-component=header-topic]').textContent.trim()"
        assert page.evaluate(topic) == "2 OLMo 2 Furious"
        assert page.evaluate(CONFIG) == config
        # one config, one dialog, one set of tabs: nothing made twice
        assert page.locator("#__config").count() == page.locator(".md-search").count() == 1
        assert page.locator(".md-tabs__list").count() == 1
    html = (real_site / PAPER / "index.html").read_text("utf-8")
    assert 'class="md-search"' not in html and 'id="__config"' not in html
    assert "md-nav__list" not in html and "md-tabs__list" not in html
    assert "__palette_0" not in html and "md-source__repository" not in html
    assert "md-sidebar" not in html and "2 OLMo 2 Furious\n" not in html


# Where a paper page's script-built parts stand, and the title's place below them.
PLACES = """() => Object.fromEntries(
  ["nav.md-tabs", "[data-md-component=palette]", ".md-header__source", "h1"].map(s => {
    const r = document.querySelector(s).getBoundingClientRect()
    return [s, [r.left, r.top, r.width, r.height]]
  }))"""
# The page's layout shifts so far (Chromium's Layout Instability API), summed.
SHIFTS = """() => new Promise(done => {
  let sum = 0
  new PerformanceObserver(list => { for (const e of list.getEntries()) sum += e.value })
    .observe({ type: "layout-shift", buffered: true })
  requestAnimationFrame(() => requestAnimationFrame(() => done(sum)))
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_parts_built_by_script_move_nothing(published_site: Path, browser, width):
    """The tabs' bar, the toggle's place and the header's repository link come empty and
    keep the size their contents will have (catalogue.css; the theme's fixed width), so
    the page does not move when the scripts fill them: their boxes and the title's are
    where they are without those scripts, and Chromium records no layout shift (on a wide
    screen the tabs and the repository link show; on a phone they are hidden)."""
    places = {}
    for scripts in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            if not scripts:
                for name in ("paper-shell", "palette-restore"):
                    page.route(f"**/javascripts/{name}.js", lambda route: route.abort())
            with serve_directory(published_site) as base:
                page.goto(base + PAPER)
                page.wait_for_load_state("load")
                places[scripts] = page.evaluate(PLACES)
                tabs = page.locator(".md-tabs__link")
                assert tabs.count() == (9 if scripts else 0)
                if scripts:
                    assert page.evaluate(SHIFTS) == 0
                    assert tabs.first.is_visible() == (width == 1280)
                    assert page.locator("label[title='Dark mode']").is_visible()
        finally:
            context.close()
    assert places[False]["nav.md-tabs"] == places[True]["nav.md-tabs"]
    assert places[False]["h1"] == places[True]["h1"]
    assert places[False][PALETTE][2] == places[True][PALETTE][2] == 48  # one button's width
    left_width = [places[scripts][SOURCE][::2] for scripts in (False, True)]
    assert left_width[0] == left_width[1] and left_width[0][1] == (234 if width == 1280 else 0)


def test_a_new_curation_files_link_gets_its_template(published_site: Path, page):
    """A paper with no curation file links a new one by name; its script adds the text a
    curator starts from (CURATION_TEMPLATE with the title), as the page linked it before."""
    html = (published_site / PAPER / "index.html").read_text("utf-8")
    assert 'papers?filename=2-olmo-2-furious.yaml"' in html and "value=" not in html
    with serve_directory(published_site) as base:
        page.goto(base + PAPER)
        link = page.locator("a.pc-edit")
        page.wait_for_function("document.querySelector('a.pc-edit').href.includes('value=')")
        url = urlsplit(link.get_attribute("href"))
    assert url.netloc == "github.com" and url.path.endswith("/new/main/data/curation/papers")
    query = parse_qs(url.query)
    assert query == {
        "filename": ["2-olmo-2-furious.yaml"],
        "value": [curation_template("2 OLMo 2 Furious")],
    }


def test_a_paper_page_reads_without_scripts(real_site: Path, browser) -> None:
    """What the scripts build is navigation and controls; the paper is in the page: with
    JavaScript off a reader still has its title, tags, abstract, related papers with their
    why, BibTeX entry and listings, and the header's way home."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        with serve_directory(real_site) as base:
            page.goto(base + PAPER)
            assert page.locator("h1").inner_text() == "2 OLMo 2 Furious"
            for part in (".pc-tags", ".pc-abstract", "#pc-bibtex", "a.md-logo"):
                assert page.locator(part).first.is_visible(), part
            assert page.locator("#pc-bibtex").inner_text().startswith("@")
            related = page.locator("ul.pc-related > li")
            assert related.count() > 0 and related.first.locator("small").inner_text()
            assert page.locator("a", has_text="Trending papers").count() == 1  # its listing
            assert page.locator(".md-tabs__link").count() == 0  # the tabs are a script's
    finally:
        context.close()
