"""A site built from the recorded sample (tests/fixtures/arxiv/) after `enrich`: what a
reader sees of authors, dates, links and citations, in the HTML and in the browser."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import bibtexparser
import pytest
from arxiv_replay import AEW10, HEAT, Replay, enrich, sample_data
from conftest import mkdocs_build, serve_directory
from test_search import header_search


@pytest.fixture(scope="module")
def enriched_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("enriched")
    data = sample_data(tmp)
    replay = Replay()
    enrich(data, replay, tmp / "cache")
    enrich(data, replay, tmp / "cache")  # the timed-out paper, answered on the rerun
    result = mkdocs_build(data, tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def paper_html(site: Path, paper_id: str) -> str:
    return (site / "papers" / paper_id / "index.html").read_text(encoding="utf-8")


def test_a_paper_page_shows_authors_date_and_direct_links(enriched_site: Path):
    page = paper_html(enriched_site, HEAT)
    # The byline under the title: the authors (each made a search for their papers by
    # javascripts/paper-shell.js: test_an_authors_name_on_a_paper_page_searches_for_it),
    # then the date.
    assert '<span class="pc-authors">Caprice Stanley, Tobias Windisch</span>' in page
    assert '<time datetime="2016-05-26">26 May 2016</time></span>' in page
    assert '<span class="pc-category">math.CO</span>' in page
    for url in (
        "https://arxiv.org/abs/1605.08386v1",
        "https://arxiv.org/pdf/1605.08386v1",
        "https://huggingface.co/papers/1605.08386",
        "https://www.semanticscholar.org/arxiv/1605.08386",
    ):
        assert f'href="{url}"' in page
    assert "Search arXiv" not in page
    assert "from the arXiv API, found by <code>enrich</code>" in page


def test_the_bibtex_entry_is_valid_and_its_key_conventional(enriched_site: Path):
    page = paper_html(enriched_site, HEAT)
    code = re.search(r'<code id="pc-bibtex">(.*?)</code>', page, re.S).group(1)
    library = bibtexparser.parse_string(html.unescape(code))
    assert library.failed_blocks == []
    [entry] = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert entry.key == "stanley2016heat"
    assert fields["author"] == "Caprice Stanley and Tobias Windisch"
    assert (fields["year"], fields["eprint"], fields["primaryClass"]) == (
        "2016",
        "1605.08386v1",
        "math.CO",
    )


def test_a_curators_authors_are_shown_over_arxivs(enriched_site: Path):
    page = paper_html(enriched_site, AEW10)
    assert '<span class="pc-authors">Yanling Chen, A. J. Han Vinck</span>' in page
    assert "Immink" not in page  # arXiv's first of 34 contributors


def test_catalogue_json_carries_the_metadata(enriched_site: Path):
    papers = {
        p["id"]: p
        for p in json.loads((enriched_site / "catalogue.json").read_text("utf-8"))["papers"]
    }
    heat = papers[HEAT]
    assert heat["arxiv"] == "1605.08386" and heat["arxiv_version"] == 1
    assert heat["authors"] == ["Caprice Stanley", "Tobias Windisch"]
    assert (heat["published"], heat["category"], heat["year"]) == ("2016-05-26", "math.CO", 2016)
    assert heat["citation_key"] == "stanley2016heat"
    assert "authors" in heat["found"]
    assert "found" not in papers["paper-catalogue-a-listing-that-arxiv-has-never-seen"]


@pytest.fixture(scope="module")
def site(enriched_site: Path):
    with serve_directory(enriched_site) as base:
        yield base


@pytest.mark.browser
def test_an_authors_name_finds_their_papers(page, site):
    page.goto(site)
    assert header_search(page, "windisch")[:1] == ["Heat-bath random walks with Markov bases"]
    byline = page.locator(".md-search-result__item .pc-byline").first
    assert byline.inner_text() == "Caprice Stanley, Tobias Windisch"
    assert byline.locator("mark").inner_text() == "Windisch"
    # Both of Michael Huber's papers in the sample: an author search finds every one.
    # Michael Huber: arXiv names him for one paper of the sample (the other, a mix-up,
    # was left for a human), and an author search finds just that one.
    assert header_search(page, "huber") == [
        "Efficient Two-Stage Group Testing Algorithms for Genetic Screening"
    ]


@pytest.mark.browser
def test_an_authors_name_on_a_paper_page_searches_for_it(page, site):
    """The byline's names are text in the page (376 bytes of links a realistic paper page
    carried); its script makes each a link to the Search page asking for the name, as
    the page linked them before, and the Search page finds the paper by it."""
    page.goto(f"{site}papers/{HEAT}/")
    names = page.locator(".pc-paper-byline .pc-authors a")
    names.first.wait_for()
    assert names.all_inner_texts() == ["Caprice Stanley", "Tobias Windisch"]
    assert page.locator(".pc-authors").inner_text() == "Caprice Stanley, Tobias Windisch"
    hrefs = [names.nth(i).get_attribute("href") for i in range(2)]
    assert hrefs == [f"{site}find/?query=Caprice%20Stanley", f"{site}find/?query=Tobias%20Windisch"]
    # by keyboard, as any link: the name is focusable and Enter follows it
    names.nth(1).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query) == {"query": ["Tobias Windisch"]}
    page.wait_for_selector(".pc-find-results[aria-busy='false'] .pc-card")
    found = page.locator(".pc-find-results .pc-card").evaluate_all(
        "cs => cs.map(c => c.dataset.paperId)"
    )
    assert HEAT in found


@pytest.mark.browser
def test_the_copy_button_copies_the_bibtex_entry(page, site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    page.goto(f"{site}papers/{HEAT}/")
    button = page.get_by_role("button", name="Copy BibTeX")
    button.click()
    page.wait_for_function("document.querySelector('.pc-copy-status').textContent !== ''")
    assert page.locator(".pc-copy-status").inner_text() == "Copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#pc-bibtex").inner_text()
    assert copied.startswith("@misc{stanley2016heat,")  # on arXiv, no venue: a preprint


@pytest.mark.browser
def test_a_listing_can_be_read_newest_first(page, site):
    page.goto(f"{site}listings/")
    # Unnamed (no data/listings.yaml): its kind, never its file name.
    page.locator(".md-content a", has_text="Trending papers digest").first.click()
    page.wait_for_selector(".pc-sort")
    items = page.locator(".pc-cards[data-sortable] > .pc-card > h2 > a")
    in_listing = items.all_inner_texts()
    assert in_listing[0] == "Heat-bath random walks with Markov bases"
    page.get_by_role("button", name="Newest first").click()
    page.wait_for_function("document.querySelector('[data-sortable]').dataset.order === 'newest'")
    # By first submission, newest first; the papers arXiv gave no date come last, in
    # the listing's order.
    newest = [
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications",
        "Heat-bath random walks with Markov bases",
        "Efficient Two-Stage Group Testing Algorithms for Genetic Screening",
        "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
        "Quantum Computers and Quantum Computer Languages: Quantum Assembly Language and"
        " Quantum C Language",
        "Efficient Two-Stage Group Testing Algorithms for DNA Screening",
        "Self-Attentive Neural Collaborative Filtering",
        "Paper Catalogue: A Listing That arXiv Has Never Seen",
    ]
    assert items.all_inner_texts() == newest
    assert page.evaluate("location.search") == "?sort=newest"
    assert page.get_by_role("button", name="Newest first").get_attribute("aria-pressed") == "true"
    # The order is in the address: the page opened from it comes in that order, and an
    # address from before (#newest) still does.
    address = page.url
    for url in (address, address.replace("?sort=newest", "#newest")):
        page.goto("about:blank")
        page.goto(url)
        page.wait_for_function(
            "document.querySelector('[data-sortable]').dataset.order === 'newest'"
        )
        assert items.all_inner_texts() == newest
    page.get_by_role("button", name="Listing order").click()
    assert page.evaluate("location.search") == ""
    assert items.all_inner_texts() == in_listing


CARD_SHAPE = """card => [...card.querySelectorAll("*")].filter(el => el.tagName !== "MARK")
  .map(el => [el.tagName.replace(/^H[23]$/, "H"), el.className,
    [...el.attributes].map(a => a.name).filter(n => n !== "href").sort().join(" ")])
  .concat([[card.className, Object.keys(card.dataset).sort().join(" ")]])"""
CARD_TEXT = """card => ({
  id: card.dataset.paperId, date: card.dataset.date || null,
  title: card.querySelector("h2, h3").textContent,
  byline: (card.querySelector(".pc-byline") || {}).textContent || null,
  snippet: card.querySelector(".pc-snippet").textContent,
  tags: [...card.querySelectorAll(".pc-tag")].map(a => [a.textContent, a.href]),
  from: card.querySelector(".pc-from").textContent,
  listings: [...card.querySelectorAll(".pc-from a")].map(a => a.href),
  title_href: card.querySelector("h2 a, h3 a").href
})"""


@pytest.mark.browser
def test_a_search_result_is_the_same_card_as_a_listings(page, site):
    """The Search page writes its cards in JavaScript, the other lists in a template: the
    same elements, classes and attributes, the same words and links (the snippet may run
    longer: the search's own excerpt)."""
    page.goto(f"{site}listings/")
    page.locator(".md-content a", has_text="Trending papers digest").first.click()
    card = page.locator(f'.pc-card[data-paper-id="{HEAT}"]')
    # Both cards compared once the reading list has given each its Save toggle (a script
    # adds it to every card, whenever that card appears).
    card.locator(".pc-save").wait_for()
    served = card.evaluate(CARD_TEXT), card.evaluate(CARD_SHAPE)
    assert served[0]["byline"] == "Caprice Stanley, Tobias Windisch · 26 May 2016"
    page.goto(f"{site}find/?query=heat-bath")
    page.wait_for_selector(".pc-find-results[aria-busy='false'] .pc-card")
    card = page.locator(f'.pc-find-results .pc-card[data-paper-id="{HEAT}"]')
    card.locator(".pc-save").wait_for()
    found = card.evaluate(CARD_TEXT), card.evaluate(CARD_SHAPE)
    assert found[1] == served[1]
    snippet = served[0].pop("snippet").removesuffix(" …")
    assert found[0].pop("snippet").startswith(snippet)
    assert found[0] == served[0]


@pytest.mark.browser
def test_the_search_page_filters_by_year(page, site):
    catalogue = json.loads(urlopen(f"{site}catalogue.json").read())["papers"]
    of_2016 = sorted(p["id"] for p in catalogue if str(p.get("published", "")).startswith("2016"))
    assert of_2016, "the sample has papers of 2016"
    page.goto(f"{site}find/")
    page.wait_for_selector(".pc-find-results[aria-busy='false'] .pc-card")
    page.select_option("#pc-find-year", "2016")
    page.wait_for_function(
        "document.querySelector('.pc-find-results').getAttribute('aria-busy') === 'false'"
        " && location.search === '?year=2016'"
    )
    ids = page.locator(".pc-find-results .pc-card").evaluate_all(
        "cards => cards.map(c => c.dataset.paperId)"
    )
    assert sorted(ids) == of_2016
