"""Search as a reader uses it: real queries typed into the real UI in Chromium."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, serve_directory

from generator.search import index_text

pytestmark = pytest.mark.browser
WORKER = ROOT / "docs" / "javascripts" / "paper-search-worker.js"


def header_search(page, query: str) -> list[str]:
    """Type into Material's search box; the titles of the first results, best first."""
    box = page.locator('input[data-md-component="search-query"]')
    box.click()
    box.fill("")
    box.type(query, delay=20)
    done = "/\\d+ matching|No matching/"
    page.wait_for_function(
        f"() => document.querySelector('.md-search-result__meta').textContent.match({done})"
    )
    page.wait_for_timeout(150)  # let the last keystroke's answer land
    return page.locator(".md-search-result__item h1").all_inner_texts()


@pytest.fixture(scope="module")
def site(real_site):
    with serve_directory(real_site) as base:
        yield base


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "DrivAerNet: A Parametric Car Dataset",
            "DrivAerNet: A Parametric Car Dataset",
        ),  # exact title
        ("MoE", "AquilaMoE:"),  # acronym
        ("LoRA", "LoRA"),  # acronym, in many titles
        ("RAG", "RAG"),  # acronym
        ("mixture-of-experts", "Mixture"),  # hyphenated = spaced
        ("mixture of experts", "Mixture"),
        ("merg", "Merging"),  # prefix
        ("μP", "u-μP: The Unit-Scaled Maximal Update Parametrization"),  # non-ASCII
        ("Schrödinger", "Multi-marginal Schrödinger Bridges"),
        ("schrodinger", "Multi-marginal Schrödinger Bridges"),
        ("TÜLU", "TÜLU 3: Pushing Frontiers"),
        ("state-space-models", "State Space"),  # a tag name
    ],
)
def test_header_search_finds_the_paper_in_the_top_3(page, site, query, expected):
    page.goto(site + "about/")
    titles = header_search(page, query)
    assert any(expected.lower() in t.lower() for t in titles[:3]), titles[:5]


@pytest.mark.parametrize(
    ("word", "stem"),
    [("chinchilla", "chinchilla"), ("quantization", "quantiz"), ("grokking", "grok")],
)
def test_a_title_hit_outranks_an_abstract_hit(page, site, real_site, word, stem):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    has = re.compile(rf"\b{stem}\w*", re.I)  # every form the stemmed query matches
    in_title = sum(bool(has.search(p["title"])) for p in papers)
    only_abstract = sum(
        bool(has.search(p["abstract"])) and not has.search(p["title"]) for p in papers
    )
    assert only_abstract > in_title > 0  # the query really tests ranking
    page.goto(site)
    titles = header_search(page, word)
    assert all(has.search(t) for t in titles[:in_title]), titles


def test_results_show_title_tags_and_snippet(page, site):
    page.goto(site)
    header_search(page, "DrivAerNet")
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text().startswith("DrivAerNet")
    assert first.locator(".md-tag").all_inner_texts()[:1] == ["3d-and-avatars"]
    assert "This study introduces" in first.inner_text()  # the snippet
    assert first.locator("mark").count() >= 2  # the query, highlighted in title and snippet


def test_hostile_titles_are_shown_as_text_in_results(page, hostile_site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve_directory(hostile_site) as base:
        page.goto(base)
        header_search(page, "Bold Claim")
        title = page.locator(".md-search-result__item h1").first.inner_text()
    assert title.startswith('<script>alert("title")</script> & the *PO **Bold** _Claim_')
    assert dialogs == []


def test_site_pages_are_still_found(page, site):
    page.goto(site)
    assert header_search(page, "about this catalogue")[0] == "About this catalogue"


def test_browse_page_combines_query_and_tag_filter_and_keeps_them_in_the_address(page, site):
    page.goto(site + "find/?query=merging&tag=pruning")
    page.wait_for_function(
        "document.querySelector('.pc-find-status').textContent.includes('match')"
    )
    titles = page.locator(".pc-find-result h3").all_inner_texts()
    assert titles and all(
        "pruning" in page.locator(".pc-find-result").nth(i).locator(".pc-tag").all_inner_texts()
        for i in range(len(titles))
    )
    assert any("Sparse Model Soups" in t for t in titles[:3])
    # Change the filter by keyboard; the address follows, so the search can be shared.
    page.locator("#pc-find-listing").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.search.includes('listing=')")
    page.locator("#pc-find-q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.pc-find-result') !== null")


def test_browse_page_lists_a_tag_without_a_query(page, site, real_site):
    page.goto(site + "find/?tag=state-space-models")
    page.wait_for_function(
        "document.querySelector('.pc-find-status').textContent.includes('match')"
    )
    tag_page = (real_site / "tags" / "state-space-models" / "index.html").read_text("utf-8")
    count = int(
        re.search(r"(\d+) papers? match", page.locator(".pc-find-status").inner_text()).group(1)
    )
    assert count == len(re.findall(r"<li><a href", tag_page))


@pytest.mark.parametrize(
    "text", ["μP and u-μP", "Schrödinger TÜLU Moûsai", "PanGu-α π", "1.2%. (x) [y]"]
)
def test_the_worker_folds_text_exactly_as_the_index_does(page, site, text):
    source = WORKER.read_text("utf-8")
    greek = re.search(r"const GREEK = \{.*?\}\n", source, re.S).group()
    fold = re.search(r"function fold\(text\) \{.*?\n\}\n", source, re.S).group()
    page.goto(site)
    greek_re = "const GREEK_RE = new RegExp(`[${Object.keys(GREEK).join('')}]`, 'g')"
    script = f"(() => {{ {greek}; {greek_re}; {fold}; return fold({json.dumps(text)}) }})()"
    folded = page.evaluate(script)
    assert folded.split() == index_text(text).split()
