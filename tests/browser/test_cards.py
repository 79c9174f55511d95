"""Browsing the real catalogue as a researcher does, in headless Chromium: every list is
paper cards, tag and listing pages sort (the order kept in the address), the Search page
reaches every paper and filters by several tags, and no A–Z page is too tall to scroll."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import listing_pages, serve_directory, wait_until
from test_accessibility import serious_violations
from test_search import show_all_results

from generator.render.naming import az_key
from generator.render.pages import LIST_SHOWN

pytestmark = pytest.mark.browser

BIG_TAG = "large-language-models"  # 204 papers: longer than a tag page shows, and than 50
SETTLED = (
    "() => document.querySelector('.pc-find-results').getAttribute('aria-busy') === 'false'"
    " && document.querySelector('.pc-find-status').textContent !== 'Loading the index…'"
)
TALLEST = 12_000  # px at 1280 px: the most a page of the A–Z may take


@pytest.fixture(scope="module")
def catalogue(real_site: Path) -> list[dict]:
    return json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]


@pytest.fixture(scope="module")
def site(real_site: Path):
    with serve_directory(real_site) as base:
        yield base


def first_listing(real_site: Path) -> str:
    return listing_pages(real_site)[0]


def cards(page, within: str = "") -> list[str]:
    """The paper ids of the cards on the page, in the order shown."""
    return page.locator(f"{within} .pc-card").evaluate_all(
        "cards => cards.map(c => c.dataset.paperId)"
    )


def visible_cards(page) -> list[str]:
    """The paper ids of the cards a reader sees (a long list's other orders' are hidden)."""
    return page.locator(".pc-card:not([hidden])").evaluate_all(
        "cards => cards.map(c => c.dataset.paperId)"
    )


def show_everything(page) -> list[str]:
    """Click "Show more" on the Search page until it goes away; the ids then shown."""
    page.wait_for_function(SETTLED)
    show_all_results(page)
    return cards(page, ".pc-find-results")


LIST_PAGES = {
    "home": "",
    "tag": f"tags/{BIG_TAG}/",
    "listing": None,  # the first listing
    "a-z": "a-z/a/",
    "search": "find/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", list(LIST_PAGES))
def test_every_list_is_paper_cards(real_site, site, page, kind, width, scheme):
    """Each card names its paper, says what it is about (snippet), its tags by their
    readable names, and where it was listed; axe-core finds nothing to fix."""
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    path = LIST_PAGES[kind] if kind != "listing" else f"listings/{first_listing(real_site)}/"
    page.goto(site + path)
    if kind == "search":
        page.wait_for_function(SETTLED)
    shown = page.locator(".pc-card")
    assert shown.count() >= (10 if kind == "home" else 2)
    for card in shown.all()[:5]:
        assert card.get_attribute("data-paper-id")
        assert card.locator("h2 a, h3 a").inner_text().strip()
        assert card.locator(".pc-snippet").inner_text().strip()
        assert card.locator(".pc-from a").count() >= 1
        # Two lines of snippet at most, whatever the width
        lines = card.locator(".pc-snippet").evaluate(
            "p => Math.round(p.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(p).lineHeight))"
        )
        assert lines <= 2
    chips = page.locator(".pc-card .pc-tag").all_inner_texts()
    assert chips and not [c for c in chips if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c)]
    if kind == "tag":  # every card has the page's own tag: its chip would only repeat it
        assert "Large language models" not in chips
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []


def tag_papers_a_to_z(catalogue: list[dict], tag: str) -> list[dict]:
    """The tag's papers in the tag page's own order (A–Z, as the build sorts titles)."""
    return sorted((p for p in catalogue if tag in p["tags"]), key=lambda p: az_key(p["title"]))


def test_browse_all_from_a_tag_page_reaches_every_paper_of_the_tag_a_to_z(
    real_site, site, page, catalogue
):
    """A tag longer than one screen shows its first LIST_SHOWN cards and says how many
    there are; its link to the Search page reaches every paper of the tag, A–Z (the
    Search page's order with no query), 50 at a time, the first 50 the tag page's own."""
    tagged = tag_papers_a_to_z(catalogue, BIG_TAG)
    assert len(tagged) > 2 * LIST_SHOWN, "a tag longer than two screens"
    page.goto(f"{site}tags/{BIG_TAG}/")
    on_tag_page = visible_cards(page)
    assert on_tag_page == [p["id"] for p in tagged[:LIST_SHOWN]]
    shown = page.locator(".pc-shown")
    assert shown.inner_text().startswith(f"The first {LIST_SHOWN} of {len(tagged)} papers, A–Z")
    page.get_by_role("link", name=f"Browse all {len(tagged)} papers of this tag").click()
    page.wait_for_url(f"{site}find/?tag={BIG_TAG}")
    page.wait_for_function(SETTLED)
    status = page.locator(".pc-find-status").inner_text()
    assert f"{len(tagged)} papers match" in status and "Showing the first 50" in status
    assert cards(page, ".pc-find-results") == on_tag_page
    everything = show_everything(page)
    assert sorted(everything) == sorted(p["id"] for p in tagged)
    assert len(set(everything)) == len(everything) and everything[:LIST_SHOWN] == on_tag_page
    title = {p["id"]: p["title"] for p in catalogue}
    assert page.evaluate(
        "ts => ts.every((t, i) => !i || ts[i - 1].localeCompare(t) <= 0)",
        [title[pid] for pid in everything],
    ), "A–Z, as the Search page sorts titles"
    assert page.locator(".pc-find-more").is_hidden()


def test_the_search_page_with_no_query_browses_the_whole_catalogue(site, page, catalogue):
    page.goto(f"{site}find/")
    page.wait_for_function(SETTLED)
    assert page.locator(".pc-find-status").inner_text().startswith(f"{len(catalogue)} papers")
    shown = show_everything(page)
    assert sorted(shown) == sorted(p["id"] for p in catalogue)


def test_several_tags_narrow_the_search_and_stay_in_the_address(site, page, catalogue):
    first, second = "reasoning", "reinforcement-learning"
    both = sorted(p["id"] for p in catalogue if {first, second} <= set(p["tags"]))
    assert 0 < len(both) < sum(first in p["tags"] for p in catalogue)
    page.goto(f"{site}find/")
    page.wait_for_function(SETTLED)
    page.locator("summary", has_text="Tags").click()
    # Grouped as the taxonomy groups them, by readable name
    group = page.locator("fieldset", has=page.locator("legend", has_text="Reasoning, retrieval"))
    group.get_by_label("Reasoning", exact=True).check()
    page.wait_for_function(f"location.search === '?tag={first}'")
    page.get_by_label("Reinforcement learning", exact=True).check()
    page.wait_for_function(f"location.search === '?tag={first}&tag={second}'")
    page.wait_for_function(SETTLED)
    assert sorted(show_everything(page)) == both
    # The address brings the same search back
    page.goto(f"{site}find/?tag={first}&tag={second}")
    page.wait_for_function(SETTLED)
    assert sorted(show_everything(page)) == both
    assert page.get_by_label("Reinforcement learning", exact=True).is_checked()


def test_a_tag_page_sorts_the_whole_tag_and_keeps_the_order_in_the_address(site, page, catalogue):
    """An order on a long tag page is the whole tag's: "Most-listed" shows the tag's most
    listed papers, not the cards the page showed first, sorted."""
    tagged = tag_papers_a_to_z(catalogue, BIG_TAG)
    listed = {p["id"]: len(p["listings"]) for p in tagged}
    # Stable: ties keep the tag's own (A–Z) order
    expected = [p["id"] for p in sorted(tagged, key=lambda p: -listed[p["id"]])][:LIST_SHOWN]
    page.goto(f"{site}tags/{BIG_TAG}/")
    own = visible_cards(page)
    assert len(own) == LIST_SHOWN
    page.get_by_role("button", name="Most-listed").click()
    assert page.evaluate("location.search") == "?sort=listed"
    by_listings = visible_cards(page)
    assert by_listings == expected and set(by_listings) - set(own), "not the first cards sorted"
    assert page.locator(".pc-shown-order").inner_text() == "most-listed first"
    assert page.locator(".pc-card:visible").count() == LIST_SHOWN
    page.goto(f"{site}tags/{BIG_TAG}/?sort=listed")
    page.wait_for_selector(".pc-sort")
    assert visible_cards(page) == by_listings
    assert page.get_by_role("button", name="Most-listed").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="A–Z").click()
    assert page.evaluate("location.search") == "" and visible_cards(page) == own


def test_a_listing_page_sorts_the_whole_listing_a_to_z(real_site, site, page, catalogue):
    """A–Z on a long listing page is the first screen of the whole listing A–Z."""
    listings = json.loads((real_site / "catalogue.json").read_text("utf-8"))["listings"]
    listing = next(lst for lst in listings if lst["url"] == f"listings/{first_listing(real_site)}/")
    having = [p for p in catalogue if listing["name"] in p["listings"]]
    assert len(having) > LIST_SHOWN
    expected = [p["id"] for p in sorted(having, key=lambda p: az_key(p["title"]))[:LIST_SHOWN]]
    page.goto(site + listing["url"])
    own = visible_cards(page)
    assert len(own) == LIST_SHOWN
    assert page.locator(".pc-cards").get_attribute("data-of") == str(len(having))
    page.get_by_role("button", name="A–Z").click()
    assert page.evaluate("location.search") == "?sort=az"
    assert visible_cards(page) == expected != own


def test_without_javascript_a_tag_page_shows_its_first_screen_in_its_own_order(
    browser, site, catalogue
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}tags/{BIG_TAG}/?sort=listed")
        tagged = tag_papers_a_to_z(catalogue, BIG_TAG)
        assert page.locator(".pc-card:visible").count() == LIST_SHOWN
        shown = page.locator(".pc-card:visible").evaluate_all(
            "cards => cards.map(c => c.dataset.paperId)"
        )
        assert shown == [p["id"] for p in tagged[:LIST_SHOWN]]
        assert page.locator(".pc-sort").count() == 0  # no control that cannot work
        assert page.get_by_role("link", name=f"Browse all {len(tagged)} papers of this tag")
    finally:
        context.close()


def test_the_a_to_z_is_split_into_short_pages_that_hold_every_paper(
    real_site, site, page, catalogue
):
    parts = sorted(p.parent.name for p in (real_site / "a-z").glob("*/index.html"))
    assert len(parts) > 10
    page.set_viewport_size({"width": 1280, "height": 900})
    seen: list[str] = []
    for part in parts:
        page.goto(f"{site}a-z/{part}/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= TALLEST, f"a-z/{part}/ is {height} px tall"
        seen += cards(page)
    assert sorted(seen) == sorted(p["id"] for p in catalogue)


def test_old_a_to_z_addresses_still_lead_to_their_letter(site, page):
    """URLs are forever: /a-z/ is still the A–Z, and its #az-x anchors land on their
    letter, whose link opens the letter's first page."""
    page.goto(f"{site}a-z/#az-s")
    heading = page.locator("#az-s")
    assert heading.inner_text().startswith("S")
    wait_until(page, "() => document.getElementById('az-s').getBoundingClientRect().top < 200")
    link = page.locator("#az-s ~ ul a").first
    with page.expect_navigation():
        link.click()
    assert page.url == f"{site}a-z/s/"
    initials = {
        next(c for c in unicodedata.normalize("NFKD", t) if c.isalpha()).upper()
        for t in page.locator(".pc-card h2 a").all_inner_texts()
    }
    assert initials == {"S"}
