"""Search as a reader uses it: real queries typed into the real UI in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import quote_plus

import pytest
from conftest import DATA, ROOT, SEARCH_SHOWN, make_data_dir, serve_directory
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.export.search import analyse
from generator.text.fold import index_text, version_names, version_tokens

pytestmark = pytest.mark.browser


def header_search(page, query: str) -> list[str]:
    """Type into Material's search box; the titles of the first results, best first.

    Waits for the worker's answer to the whole query to be on screen: each keystroke
    sends a query of its own, and their answers arrive while later keys are typed.
    """
    box = page.locator('input[data-md-component="search-query"]')
    box.click()
    box.fill("")
    box.type(query, delay=20)
    page.wait_for_function(SEARCH_SHOWN, arg=query)
    return page.locator(".md-search-result__item h1").all_inner_texts()


def loaded_search(page, query: str) -> list[str]:
    """``header_search`` once everything the query needs is loaded: the titles in the
    ranking itself. The first time a query meets a shard still coming, its refined answer
    keeps the order of the early one (results do not jump under the reader), so that
    order depends on what loaded first; asked again, the answer comes whole at once."""
    header_search(page, query)
    return header_search(page, query)


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
    assert len(titles) >= in_title  # results shown, every title hit among them
    assert all(has.search(t) for t in titles[:in_title]), titles


def test_results_show_title_tags_and_snippet(page, site):
    page.goto(site)
    header_search(page, "DrivAerNet")
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text().startswith("DrivAerNet")
    papers = page.request.get(site + "catalogue.json").json()["papers"]
    [tags] = [p["tags"] for p in papers if p["title"].startswith("DrivAerNet: ")]
    assert first.locator(".md-tag").all_inner_texts()[:1] == tags[:1]
    assert "This study introduces" in first.inner_text()  # the snippet
    assert first.locator("mark").count() >= 2  # the query, highlighted in title and snippet


def test_search_works_where_the_server_inflates_the_gzip_tiers_itself(page, real_site):
    """Some servers send a .gz file with Content-Encoding: gzip; the browser then hands
    the worker JSON, not gzip. An abstract word (a shard) and the snippet must still come."""
    said: list[str] = []  # the worker's warnings, should a file fail to load
    page.on("console", lambda m: said.append(m.text))
    page.on("worker", lambda w: w.on("console", lambda m: said.append(m.text)))
    with serve_directory(real_site, gzip_encoding=True) as base:
        page.goto(base)
        titles = header_search(page, "Dolmino")  # in OLMo 2's abstract only, not its title
        assert titles[:1] == ["2 OLMo 2 Furious"], said
        first = page.locator(".md-search-result__item").first
        assert "We present OLMo 2" in first.inner_text(), said  # the snippet


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


FIND_SETTLED = "document.querySelector('.pc-find-results').getAttribute('aria-busy') === 'false'"


def show_all_results(page) -> None:
    """Click the Search page's "Show more" until it goes, each time waiting for the
    cards it adds."""
    more = page.locator(".pc-find-more")
    while more.is_visible():
        shown = page.locator(".pc-find-results .pc-card").count()
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.pc-find-results .pc-card').length > {shown}"
            f" && {FIND_SETTLED}"
        )


def find_results(page) -> list[dict]:
    """The browse page's results once the answer to its current question is shown, all
    of them ("Show more" clicked until it goes)."""
    page.wait_for_function(FIND_SETTLED)
    show_all_results(page)
    # tags: by name, read from the chips' links (a chip shows the tag's readable name)
    return page.locator(".pc-find-results .pc-card").evaluate_all(
        "cards => cards.map(c => ({title: c.querySelector('h2').textContent,"
        " tags: [...c.querySelectorAll('.pc-tag')].map(t => new URL(t.href).pathname"
        ".split('/').filter(Boolean).pop().replace(/[.]html$/, ''))}))"
    )


def find_count(page) -> int:
    """How many papers the Search page's status says it found: "N papers match.", or
    "A papers with every word, B more with some." (A + B: a one-word query says so too
    when some papers have only another word of its stem, "quantized" for quantization)."""
    status = page.locator(".pc-find-status").inner_text()
    split = re.search(r"(\d+) papers? with every word, (\d+) more with some", status)
    if split:
        return int(split.group(1)) + int(split.group(2))
    return int(re.search(r"(\d+) papers? match", status).group(1))


def test_browse_page_combines_query_and_tag_filter_and_keeps_them_in_the_address(page, site):
    page.goto(site + "find/?query=merging&tag=pruning")
    results = find_results(page)
    assert results and all("pruning" in r["tags"] for r in results)
    assert any("Sparse Model Soups" in r["title"] for r in results[:3])
    before = find_count(page)
    # Change the listing filter by keyboard: the address follows, so the search can be
    # shared, the query and tag stay, and the results narrow to that listing.
    page.locator("#pc-find-listing").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.search.includes('listing=')")
    narrowed = find_results(page)
    params = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert params["query"] == "merging" and params["tag"] == "pruning"
    assert params["listing"] == page.locator("#pc-find-listing").input_value() != ""
    assert all("pruning" in r["tags"] for r in narrowed)
    assert len(narrowed) == find_count(page) < before
    # Down from the query box moves into the (settled) results.
    page.locator("#pc-find-q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.pc-card') !== null")
    assert page.evaluate("document.activeElement.textContent") == narrowed[0]["title"]


@pytest.mark.parametrize("named", ["slug", "dump file (an older address)"])
def test_browse_page_restores_a_listing_filter_from_the_address(page, site, real_site, named):
    document = json.loads((real_site / "catalogue.json").read_text("utf-8"))
    papers = document["papers"]
    listing = "000_2c539da77f382f8d.txt"
    [url] = [lst["url"] for lst in document["listings"] if lst["name"] == listing]
    slug = url.strip("/").split("/")[-1]
    expected = {p["title"] for p in papers if listing in p["listings"] and "pruning" in p["tags"]}
    assert 0 < len(expected) < 50  # all shown on one page, and a real narrowing
    page.goto(site + f"find/?tag=pruning&listing={slug if named == 'slug' else listing}")
    results = find_results(page)
    # The address and the filter name the listing by its page's slug, never its dump
    assert page.locator("#pc-find-listing").input_value() == slug
    assert page.evaluate("new URLSearchParams(location.search).get('listing')") == slug
    assert page.locator("input[name=tag][value=pruning]").is_checked()
    assert {r["title"] for r in results} == expected


def test_browse_page_lists_a_tag_without_a_query(page, site, real_site):
    page.goto(site + "find/?tag=state-space-models")
    find_results(page)
    tag_page = (real_site / "tags" / "state-space-models" / "index.html").read_text("utf-8")
    listed = tag_page.count('<article class="pc-card"')
    assert listed > 0 and find_count(page) == listed


def answer_count(page) -> int:
    return page.evaluate("window.__pcSearch.answers.at(-1).count")


def paper_count(page) -> int:
    """Papers in the last answer (site pages such as the home page are matched apart)."""
    return page.evaluate("window.__pcSearch.answers.at(-1).titles.length")


def early_and_refined(page, site: str, query: str) -> tuple[list[str], list[str]]:
    """The papers of the early answer to ``query`` (titles and tags only: the abstracts'
    shards are held back until it is on screen) and of the answer refined once they come."""
    held = []

    def hold(route):
        held.append(route)

    page.route("**/search/text-*", hold)
    page.goto(site)
    box = page.locator('input[data-md-component="search-query"]')
    box.click()
    box.type(query, delay=20)
    page.wait_for_function(
        "q => { const a = window.__pcSearch.answers.at(-1)"
        "; return a && a.query === q && !a.final }",
        arg=query,
    )
    early = page.evaluate("window.__pcSearch.answers.at(-1).titles")
    assert early and held
    page.unroute("**/search/text-*")
    for route in held:
        route.continue_()
    header_search_shown(page, query)
    return early, page.evaluate("window.__pcSearch.answers.at(-1).titles")


def test_a_refined_answer_keeps_the_papers_already_shown_in_place(page, site):
    """Once the abstracts come, the papers shown stay where they were and the papers found
    in abstracts come below them, rather than the list reshuffling under the reader."""
    early, refined = early_and_refined(page, site, "merging")
    assert len(refined) > len(early) and refined[: len(early)] == early
    # On this data the abstracts do reorder the title matches: asked again, with
    # everything loaded, the ranking itself comes, so the test above is not vacuous.
    loaded_search(page, "merging")
    assert page.evaluate("window.__pcSearch.answers.at(-1).titles")[: len(early)] != early


def test_a_refined_answer_still_puts_the_papers_with_every_word_first(page, site, real_site):
    """Kept in place, but not above a paper the abstracts show has every word: the note
    says how many papers with every word come first, and they do."""
    expected = papers_with(real_site, "merging interference")
    early, refined = early_and_refined(page, site, "merging interference")
    every = len(expected["every"])
    assert last_notes(page)["all"] == every
    assert set(refined[:every]) == expected["every"]
    # the early answer had papers with one word above some with both: the test bites
    assert any(t not in expected["every"] for t in early[:every])
    # within each group the papers shown stay in the order they were shown
    for group in (expected["every"], expected["some"]):
        assert [t for t in refined if t in group and t in early] == [t for t in early if t in group]


def test_a_word_in_most_papers_is_dropped_from_a_longer_query(page, site, real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    with_model = sum("model" in (p["title"] + p["abstract"]).lower() for p in papers)
    assert with_model > 0.25 * len(papers)  # "model" is in most papers: too common to search
    page.goto(site)
    merging = loaded_search(page, "merging")
    alone = paper_count(page)
    both = loaded_search(page, "model merging")
    # Not the hundreds of papers that say "model": the same papers "merging" finds.
    assert paper_count(page) == alone < 100 and both[:5] == merging[:5]
    assert last_notes(page)["dropped"] == ["model"]
    # Alone, a common word is still searched.
    header_search(page, "model")
    assert answer_count(page) > 100


def test_tag_links_follow_the_sites_url_rule(page, tmp_path, monkeypatch):
    """With use_directory_urls: false, tag pages are tags/<name>.html: the browse page
    links them where the build put them, not where a script would guess."""
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", "off")
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), use_directory_urls=False)
    build(config)
    with serve_directory(site) as base:
        page.goto(base + "find.html?tag=mixture-of-experts")
        find_results(page)
        chip = page.locator(".pc-card .pc-tag", has_text="Mixture of experts").first
        assert chip.get_attribute("href").endswith("/tags/mixture-of-experts.html")
        with page.expect_navigation() as nav:
            chip.click()
        assert nav.value.status == 200
        assert page.locator("article h1").inner_text().startswith("Mixture of experts")


# -- Search that forgives (issue 11) -------------------------------------------------


def last_notes(page) -> dict:
    return page.evaluate("window.__pcSearch.answers.at(-1).notes")


def papers_with(real_site, query: str) -> dict[str, set[str]]:
    """Each paper title whose title, tags or abstract has every term of ``query`` and
    each with some, by lunr's terms of the folded text (what the index holds)."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    texts = [index_text(p[field]) for p in papers for field in ("title", "abstract")]
    names = frozenset(version_names(texts))
    terms = {term for _, term in analyse(version_tokens(index_text(query), names, index=False))}
    every, some = set(), set()
    for p in papers:
        text = f"{p['title']} {' '.join(t.replace('-', ' ') for t in p['tags'])} {p['abstract']}"
        folded = version_tokens(index_text(text), names, index=True)
        found = terms & {term for _, term in analyse(folded)}
        if found == terms:
            every.add(p["title"])
        elif found:
            some.add(p["title"])
    return {"every": every, "some": some}


def test_a_misspelt_word_is_searched_as_the_nearest_word_and_the_reader_is_told(page, site):
    page.goto(site)
    loaded_search(page, "diffusion")
    papers = page.evaluate("window.__pcSearch.answers.at(-1).titles")
    assert len(papers) > 20
    loaded_search(page, "difusion")
    assert page.evaluate("window.__pcSearch.answers.at(-1).titles") == papers
    assert last_notes(page)["corrected"] == [{"from": "difusion", "to": "diffusion"}]
    note = page.locator(".md-search-result .pc-search-note")
    assert "Showing results for diffusion." in note.inner_text()
    # The word as typed is one click away, in quotes: searched as typed, it finds nothing.
    note.get_by_role("button", name='Search instead for "difusion"').click()
    assert header_search_shown(page, '"difusion"') == []
    assert last_notes(page)["corrected"] == []


def header_search_shown(page, query: str) -> list[str]:
    """The titles shown once the answer to ``query`` (put in the box by the page) is on screen."""
    page.wait_for_function(SEARCH_SHOWN, arg=query)
    return page.locator(".md-search-result__item h1").all_inner_texts()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("DrivAerNet: A Parametric Car Datset", "DrivAerNet: A Parametric Car Dataset"),
        ("tranformer circuits", "Transformer"),  # the first word misspelt, the second right
        ("gausian splatting", "Gaussian Splatting"),
    ],
)
def test_a_misspelt_title_word_still_finds_the_paper(page, site, query, expected):
    page.goto(site)
    titles = header_search(page, query)
    assert any(expected in t for t in titles[:3]), titles[:5]
    assert last_notes(page)["corrected"], "the reader is told what was searched"


def test_an_exact_word_is_never_replaced_by_a_near_one(page, site, real_site):
    """ "modal" is one letter from "model", in hundreds of papers: a word the index has is
    searched as it is, however much more common its neighbour."""
    expected = papers_with(real_site, "modal")["every"]
    assert 0 < len(expected) < 100
    page.goto(site)
    header_search(page, "modal")
    notes = last_notes(page)
    assert notes["corrected"] == [] and notes["suggested"] == []
    assert set(page.evaluate("window.__pcSearch.answers.at(-1).titles")) == expected


@pytest.mark.parametrize(
    ("query", "other_spelling"),
    [
        ("quantisation", "quantization"),  # British finds American
        ("behaviour", "behavior"),
        ("utilize", "utilise"),  # American finds British
        ("analyze", "analyse"),
    ],
)
def test_british_and_american_spellings_find_the_same_papers(
    page, site, real_site, query, other_spelling
):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    only_other = {
        p["title"]
        for p in papers
        if other_spelling in (p["title"] + p["abstract"]).lower()
        and query not in (p["title"] + p["abstract"]).lower()
    }
    assert only_other, "the test needs papers that spell it only the other way"
    page.goto(site + "find/?query=" + other_spelling)
    find_results(page)
    expected = find_count(page)
    page.goto(site + "find/?query=" + query)
    titles = {r["title"] for r in find_results(page)}
    assert find_count(page) == expected  # the same papers, either spelling...
    assert expected == len(titles) < 100  # ...all of them shown on the page...
    assert only_other <= titles  # ...among them those spelt only the other way


def test_papers_with_every_word_come_first_and_the_count_says_so(page, site, real_site):
    query = "2 OLMo 2 Furious"
    expected = papers_with(real_site, query)
    assert 0 < len(expected["every"]) < 5 < len(expected["some"])  # the query tests ranking
    page.goto(site)
    titles = header_search(page, query)
    assert titles[0] == "2 OLMo 2 Furious"
    assert set(titles[: len(expected["every"])]) == expected["every"]
    notes = last_notes(page)
    assert (notes["all"], notes["total"]) == (
        len(expected["every"]),
        len(expected["every"]) + len(expected["some"]),
    )
    count = page.locator(".md-search-result__meta").inner_text()
    assert count.startswith(f"{len(expected['every'])} paper")
    assert f"{len(expected['some'])} more with some" in count
    # The Search page says the same in its status line.
    page.goto(site + "find/?query=" + query.replace(" ", "+"))
    results = find_results(page)
    assert {r["title"] for r in results[: len(expected["every"])]} == expected["every"]
    status = page.locator(".pc-find-status").inner_text()
    assert status.startswith(f"{len(expected['every'])} paper")
    assert f"{len(expected['some'])} more with some" in status


def test_the_header_search_and_its_notes_fit_a_phone(page, site):
    """At 390 px the search dialog, its results and its note stay inside the window."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site)
    page.locator("label.md-header__button[for=__search]").click()
    header_search(page, "difusion modle")
    note = page.locator(".md-search-result .pc-search-note")
    assert "Showing results for diffusion" in note.inner_text()
    width = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1]
    for box in (note.bounding_box(), page.locator(".md-search-result__item").first.bounding_box()):
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width[1]


def counts_shown(page, site, query: str) -> tuple[str, str, dict]:
    """The header's count line and the Search page's status for ``query``, and the notes."""
    page.goto(site)
    header_search(page, query)
    header = page.locator(".md-search-result__meta").inner_text()
    notes = last_notes(page)
    page.goto(site + "find/?query=" + quote_plus(query))
    find_results(page)
    return header, page.locator(".pc-find-status").inner_text(), notes


@pytest.mark.parametrize(
    "query",
    ["RLHF reward hacking", "GPT-4", "scaling laws", "GPT-3", "7B", '"knowledge distillation"'],
)
def test_the_header_count_is_the_search_pages_count(page, site, query):
    """Material counted result groups (site pages among them, never more than the list
    holds: "61 matching documents" beside "1 with every word, then 57 with some"); the
    header now says what the Search page says, in the same words."""
    header, status, notes = counts_shown(page, site, query)
    total, every = notes["total"], notes["all"]
    assert total > 0
    expected = (
        f"{every} paper{'' if every == 1 else 's'} with every word, {total - every} more with some."
        if every < total
        else f"{total} papers match."
    )
    assert header.startswith(expected), header
    assert status.startswith(expected), status


def test_model_names_a_quoted_phrase_and_an_exclusion_in_the_header_box(page, site, real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    text = {p["title"]: p["title"] + "\n" + p["abstract"] for p in papers}
    page.goto(site)

    def shown_papers(query: str) -> list[str]:
        loaded_search(page, query)
        return page.evaluate("window.__pcSearch.answers.at(-1).titles")

    titles = shown_papers("GPT-4")
    assert len(titles) >= 10 and all(re.search(r"GPT-?4", text[t]) for t in titles)
    titles = shown_papers('"weight decay"')
    assert titles and all(re.search(r"weights?[\s-]+decay", text[t], re.I) for t in titles)
    titles = shown_papers("diffusion -image")
    assert titles and not any(re.search(r"\bimag(e|es|ed|ing)\b", text[t], re.I) for t in titles)
    assert all(re.search(r"\bdiffus", text[t], re.I) for t in titles)


def test_an_english_word_is_offered_not_replaced_on_the_search_page(page, site):
    """ "title" is in no paper and one letter from "vitl": the reader is asked, and
    nothing else is searched."""
    page.goto(site + "find/?query=title")
    assert find_results(page) == []
    note = page.locator(".pc-find-note")
    assert "Did you mean" in note.inner_text() and "Showing results" not in note.inner_text()


# -- What researchers type, round 4 (issue 28, item 5) --------------------------------


def catalogue_texts(real_site) -> dict[str, dict]:
    """Each paper by title: its text as the relevance rules read it, and its tags."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    return {
        p["title"]: {
            "text": p["title"] + "\n" + p["abstract"] + "\n" + " ".join(p["tags"]),
            "tags": p["tags"],
        }
        for p in papers
    }


def test_kennel_is_offered_as_kernel_never_searched_as_it(page, site):
    """ "kennel" is an English word (rarer than the first list held) one letter from
    "kernel": the header box and the Search page ask, and show no kernel paper."""
    page.goto(site)
    assert loaded_search(page, "kennel") == []
    notes = last_notes(page)
    assert notes["corrected"] == [] and notes["suggested"] == [{"from": "kennel", "to": "kernel"}]
    note = page.locator(".md-search-result .pc-search-note")
    assert "Did you mean kernel?" in note.inner_text()
    assert "Showing results" not in note.inner_text()
    page.goto(site + "find/?query=kennel")
    assert find_results(page) == []
    note = page.locator(".pc-find-note")
    assert "Did you mean" in note.inner_text() and "Showing results" not in note.inner_text()


def test_gpt_3_finds_gpt_3_first_and_gpt_3_5_only_after_it(page, site, real_site):
    """GPT-3.5 is another model: the papers with GPT-3 come first and are the count;
    those with only GPT-3.5 come after them, in the header box and on the Search page."""
    texts = catalogue_texts(real_site)
    exact = re.compile(r"(?<![\w.])gpt[- ]?3(?!\w|\.\d)", re.I)
    later = re.compile(r"(?<![\w.])gpt[- ]?3\.\d", re.I)
    page.goto(site)
    loaded_search(page, "GPT-3")
    titles = page.evaluate("window.__pcSearch.answers.at(-1).titles")
    every = last_notes(page)["all"]
    assert 0 < every < len(titles)
    assert all(exact.search(texts[t]["text"]) for t in titles[:every])
    assert all(later.search(texts[t]["text"]) for t in titles[every:])
    assert not any(exact.search(texts[t]["text"]) for t in titles[every:])
    page.goto(site + "find/?query=GPT-3")
    results = [r["title"] for r in find_results(page)]
    assert set(results[:every]) == set(titles[:every])
    assert page.locator(".pc-find-status").inner_text().startswith(f"{every} papers with every")


def test_a_size_in_a_hyphenated_model_name_is_found(page, site, real_site):
    """ "7B" finds Mistral-7B-Instruct and LLaMA-2-7B, not 1.7B or 27B alone."""
    texts = catalogue_texts(real_site)
    page.goto(site + "find/?query=7B")
    results = [r["title"] for r in find_results(page)]
    assert len(results) > 30
    assert all(re.search(r"(?<![\w.])7b\b", texts[t]["text"], re.I) for t in results)
    for written in ("Mistral-7B-Instruct", "LLaMA-7B", "Mistral 7B"):
        assert any(written.lower() in texts[t]["text"].lower() for t in results), written


def test_a_quoted_phrase_counts_the_papers_whose_tag_names_have_it(page, site, real_site):
    """The page shows each paper's tags; a paper tagged knowledge-distillation has the
    phrase "knowledge distillation", in both counts."""
    tagged = {
        t for t, p in catalogue_texts(real_site).items() if "knowledge-distillation" in p["tags"]
    }
    page.goto(site + "find/?query=" + quote_plus('"knowledge distillation"'))
    results = {r["title"] for r in find_results(page)}
    assert tagged and tagged <= results
    assert find_count(page) == len(results)


# -- The third held-out set's misses, round 5 (issue 28, item 5) -----------------------


@pytest.mark.parametrize(
    ("query", "every", "none"),
    [
        # a two-letter word typed last fetched no abstracts: 1 paper (a title) of 11
        ("QA", [r"(?<![\w.])qas?(?!\w)"], []),
        # neural and network, too common to find papers by, were not counted: 19, not 9
        ("graph neural network", [r"\bgraphs?\b", r"\bneural\b", r"\bnetworks?\b"], []),
        # -transformer excluded lunr's stem "transform": transformation too
        ("attention -transformer", [r"\battention\b"], [r"\btransformers?\b"]),
        # round 6, the fourth held-out set's misses: another word of lunr's stem counted
        # (translate, translational: 11, not 6; fair: 18, not 15), and bert2BERT as BERT
        ("translation -machine", [r"\btranslations?\b"], [r"\bmachines?\b"]),
        ("fairness -bias", [r"\bfairness\b"], [r"\bbias(es|ed|ing)?\b"]),
        ("BERT", [r"(?<![\w.])berts?(?!\w)"], []),
    ],
)
def test_the_header_box_and_the_search_page_count_what_the_rule_finds(
    page, site, real_site, query, every, none
):
    """The count "with every word" in the header box and on the Search page is the
    number of papers whose text the query's rule (benchmarks/relevance) selects."""
    texts = [p["text"] for p in catalogue_texts(real_site).values()]
    expected = sum(
        all(re.search(p, t, re.I) for p in every) and not any(re.search(p, t, re.I) for p in none)
        for t in texts
    )
    header, status, notes = counts_shown(page, site, query)
    assert notes["all"] == expected > 0
    total = notes["total"]
    said = (
        f"{expected} papers with every word, {total - expected} more with some."
        if expected < total
        else f"{total} papers match."
    )
    assert header.startswith(said), header
    assert status.startswith(said), status


def test_a_common_word_left_out_of_the_search_is_said_to_be_counted(page, site):
    """Both notes say the common words are counted though they find no papers alone."""
    said = "Too common to find papers by, but counted: neural, network."
    page.goto(site)
    header_search(page, "graph neural network")
    assert said in page.locator(".md-search-result .pc-search-note").inner_text()
    page.goto(site + "find/?query=" + quote_plus("graph neural network"))
    find_results(page)
    assert said in page.locator(".pc-find-note").inner_text()
