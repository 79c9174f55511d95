"""What a paper page tells reference managers, search engines and link previews (issue
29, item 5): Highwire Press ``citation_*`` tags (what Zotero's Embedded Metadata
translator and Google Scholar read), OpenGraph and Twitter card tags, and schema.org
``ScholarlyArticle`` JSON-LD, on a site built with the curation fixture's metadata and a
site URL; and the byline a reader sees under the title."""

from __future__ import annotations

import html as html_lib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PUBLISHED_ENV, mkdocs_build
from test_curation import DRIVAERNET, curated_data

TITLE = (
    "DrivAerNet: A Parametric Car Dataset for Data-driven Aerodynamic Design and Graph-based"
    " Drag Prediction"
)
AUTHORS = ["Mohamed Elrefaie", "Angela Dai", "Faez Ahmed"]


class Head(HTMLParser):
    """The head's <meta> tags (name or property -> values, in order) and its JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content"))
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"
        if self._in_ld:
            self.ld.append("")

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data


def head_of(html: str) -> Head:
    head = Head()
    head.feed(html[: html.index("</head>")])
    return head


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("metadata")
    result = mkdocs_build(curated_data(tmp, "good"), tmp / "site", env=PUBLISHED_ENV)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def page(site: Path, paper_id: str) -> str:
    return (site / "papers" / paper_id / "index.html").read_text("utf-8")


def test_highwire_tags_carry_what_zoteros_translator_reads(site):
    meta = head_of(page(site, DRIVAERNET)).meta
    assert meta["citation_title"] == [TITLE]
    assert meta["citation_author"] == AUTHORS  # one tag per author, in the paper's order
    assert meta["citation_publication_date"] == ["2024"]
    assert "citation_date" not in meta  # the same date again: Scholar and Zotero read the above
    assert meta["citation_arxiv_id"] == ["2403.08055"]
    assert meta["citation_pdf_url"] == ["https://arxiv.org/pdf/2403.08055"]
    assert meta["citation_conference_title"] == ["IDETC-CIE 2024"]
    assert "citation_journal_title" not in meta
    url = f"{PUBLISHED_ENV['SITE_URL']}papers/{DRIVAERNET}/"
    assert meta["citation_abstract_html_url"] == [url]


def test_opengraph_and_twitter_cards_describe_the_paper(site):
    meta = head_of(page(site, DRIVAERNET)).meta
    assert meta["og:type"] == ["article"] and meta["og:title"] == [TITLE]
    assert meta["og:url"] == [f"{PUBLISHED_ENV['SITE_URL']}papers/{DRIVAERNET}/"]
    assert meta["og:description"][0].startswith("This study introduces DrivAerNet")
    assert meta["og:description"] == meta["description"]
    # X reads the card's title and description from og:title and og:description
    # (its "fallback"): a paper page does not repeat them as twitter:* tags.
    assert meta["twitter:card"] == ["summary"]
    assert "twitter:title" not in meta and "twitter:description" not in meta


def test_the_json_ld_is_a_valid_scholarly_article(site):
    head = head_of(page(site, DRIVAERNET))
    [ld] = head.ld
    article = json.loads(ld)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "ScholarlyArticle"
    # the title says the headline when it is short enough to be one
    assert article["name"] == TITLE and "headline" not in article and len(TITLE) <= 110
    # the authors once in the head: citation_author (test above), not here again
    assert "author" not in article
    assert article["datePublished"] == "2024"
    assert article["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "arXiv",
        "value": "2403.08055",
    }
    assert article["publication"] == {"@type": "PublicationEvent", "name": "IDETC-CIE 2024"}
    # Neither the abstract the page shows nor a third copy of the description the head
    # already gives search engines (description) and link previews (og:description).
    assert "abstract" not in article and "description" not in article
    assert head.meta["description"][0].startswith("This study introduces DrivAerNet")


def test_a_paper_without_metadata_still_has_title_card_and_json_ld(site):
    other = next((site / "papers").glob("tutel-*/index.html")).read_text("utf-8")
    head = head_of(other)
    assert head.meta["citation_title"][0].startswith("Tutel")
    assert "citation_author" not in head.meta and "citation_pdf_url" not in head.meta
    assert head.meta["og:type"] == ["article"]
    [ld] = head.ld
    assert json.loads(ld)["@type"] == "ScholarlyArticle"


def test_only_paper_pages_carry_citation_metadata(site):
    for path in ("index.html", "a-z/index.html", "about/index.html"):
        head = head_of((site / path).read_text("utf-8"))
        assert not [k for k in head.meta if k.startswith("citation_")] and not head.ld, path


def test_the_byline_stands_under_the_title_with_its_authors_and_buttons(site):
    html = page(site, DRIVAERNET)
    byline = re.search(r'<p class="pc-paper-byline">(.*?)</p>', html).group(1)
    # The names as text: javascripts/paper-shell.js links each to a search for it
    # (tests/browser/test_enrich_site.py), when the byline is exactly the head's
    # citation_author names joined, which it is on every paper page with authors.
    assert '<span class="pc-authors">Mohamed Elrefaie, Angela Dai, Faez Ahmed</span>' in byline
    assert "<a " not in byline
    for path in sorted((site / "papers").glob("*/index.html")):
        text = path.read_text("utf-8")
        names = head_of(text).meta.get("citation_author")
        shown = re.search(r'<span class="pc-authors">(.*?)</span>', text)
        assert (names is None) == (shown is None), path
        if names:
            assert html_lib.unescape(shown.group(1)) == ", ".join(names), path
    assert '<span class="pc-venue">IDETC-CIE 2024</span>' in byline
    assert byline.count("2024") == 1  # the venue says the year: not said twice
    actions = re.search(r'<p class="pc-actions">(.*?)</p>', html).group(1)
    assert re.findall(r">(arXiv|PDF)</a>", actions) == ["arXiv", "PDF"]
    order = [html.index(s) for s in ("<h1", "pc-paper-byline", "pc-actions", "pc-abstract")]
    assert order == sorted(order)
    assert "pc-details" not in html  # no definition list below the abstract any more
    assert "The first of two DrivAerNet datasets" in html  # the curator's note stays
