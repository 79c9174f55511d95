"""The reading list kept in the reader's browser (docs/javascripts/reading-list.js): a
"Save" toggle on a paper page and on any paper card, kept across reloads in localStorage;
the reading list page lists the saved papers and downloads them as BibTeX (parsed back
with bibtexparser: the entry the paper's own page shows) and as JSON, offline too."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from conftest import serve_directory, settle
from test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PAPER = "papers/2-olmo-2-furious/"
SAVED = """() => JSON.parse(localStorage.getItem("pc-reading-list") || "[]")"""


def downloaded(page, button: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_text("utf-8")


def test_save_on_a_paper_page_then_list_and_export_it(real_site: Path, page):
    entry = (real_site / PAPER / "index.html").read_text("utf-8")
    with serve_directory(real_site) as base:
        page.goto(base + PAPER)
        save = page.locator(".pc-save-slot button.pc-save")
        assert save.get_attribute("aria-pressed") == "false"
        assert save.evaluate("b => b.tagName") == "BUTTON"
        save.click()
        assert save.get_attribute("aria-pressed") == "true"
        assert page.get_by_role("status").filter(has_text="Saved to your reading list").count()
        shown_bibtex = page.locator("#pc-bibtex").text_content()
        title = page.locator("article h1").text_content().rstrip("¶")
        page.reload()
        page.wait_for_selector(".pc-save-slot button.pc-save[aria-pressed='true']")
        settle(page)

        page.goto(base + "reading-list/")
        item = page.locator(".pc-rl-papers li")
        item.first.wait_for()
        assert item.count() == 1 and item.locator("a").text_content() == title
        assert item.locator("a").get_attribute("href") == base + PAPER
        # Offline: the list and its BibTeX were kept when the paper was saved.
        page.context.set_offline(True)
        bib = bibtexparser.parse_string(downloaded(page, "Download BibTeX"))
        data = json.loads(downloaded(page, "Download JSON"))
        page.context.set_offline(False)
        settle(page)
    assert not bib.failed_blocks
    [parsed] = bib.entries
    assert parsed.key == bibtexparser.parse_string(shown_bibtex).entries[0].key
    assert parsed["title"].strip("{}") in title or title in parsed["title"]
    assert parsed.key in entry  # the entry the paper's page shows
    assert [p["id"] for p in data["papers"]] == ["2-olmo-2-furious"]
    assert data["papers"][0]["title"] == title and data["papers"][0]["url"] == base + PAPER


CARD = """([id, href, title]) => {
  const card = document.createElement("article")
  card.className = "pc-card"
  card.dataset.paperId = id
  const heading = document.createElement("h3"), link = document.createElement("a")
  link.href = href
  link.textContent = title
  heading.appendChild(link)
  card.appendChild(heading)
  document.querySelector("article").appendChild(card)
}"""


def test_a_card_added_later_gets_a_toggle_and_its_entry_is_fetched(real_site: Path, page):
    """Cards (and the Search page's results, drawn from script) come and go: any element
    with data-paper-id gets its toggle when it appears, and a paper saved from a card
    gets its page's BibTeX entry fetched and kept."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    other_id, other = papers[1]["id"], papers[1]["url"]
    with serve_directory(real_site) as base:
        page.goto(base + "a-z/")
        page.evaluate(CARD, [other_id, base + other, "A card's title"])
        save = page.locator(f"article.pc-card[data-paper-id='{other_id}'] button.pc-save")
        save.click()
        assert save.get_attribute("aria-pressed") == "true"
        page.wait_for_function(f"() => ({SAVED})().some(p => p.bibtex)")
        [kept] = page.evaluate(SAVED)
        # Saved again elsewhere in the same page: both toggles say so.
        page.evaluate(CARD, [other_id, base + other, "The same paper again"])
        again = page.locator(f"article.pc-card[data-paper-id='{other_id}'] button.pc-save")
        assert again.count() == 2
        assert again.nth(1).get_attribute("aria-pressed") == "true"
        again.nth(1).click()  # and unsaved from either
        assert [b.get_attribute("aria-pressed") for b in again.all()] == ["false", "false"]
        assert page.evaluate(SAVED) == []
        settle(page)
    assert kept["id"] == other_id and kept["url"] == base + other
    assert kept["title"] == "A card's title"
    [entry] = bibtexparser.parse_string(kept["bibtex"]).entries
    assert entry.key in (real_site / other / "index.html").read_text("utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_toggle_and_the_list_have_no_accessibility_violations(
    real_site: Path, page, scheme: str
):
    page.emulate_media(color_scheme=scheme)
    with serve_directory(real_site) as base:
        page.goto(base + PAPER)
        page.locator("button.pc-save").click()  # pressed: its own colours
        on_paper = serious_violations(page)
        page.goto(base + "reading-list/")
        page.locator(".pc-rl-papers li").first.wait_for()
        on_list = serious_violations(page)
        settle(page)
    assert not on_paper, on_paper
    assert not on_list, on_list
