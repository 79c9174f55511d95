"""A site built after ``fetch hf-daily`` (tests/fixtures/hf/, answered on loopback):
the fetched papers' bylines, dates, links and upvotes where arXiv's metadata goes, a
re-listed seed paper merged into its page, and the hostile item inert on every page."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
from hf_replay import DEEPSEEK, fetched_site
from test_hostile_curator import audit, one_line

from generator.fetch.run import listing_name

ATTENTION = "attention-is-all-you-need"
HOSTILE_ID = "2612.99999"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return fetched_site(tmp_path_factory)


def paper_html(site: Path, paper_id: str) -> str:
    return (site / "papers" / paper_id / "index.html").read_text(encoding="utf-8")


def test_the_relisted_seed_page_shows_the_fetched_metadata(built):
    site, _ = built
    page = paper_html(site, DEEPSEEK)
    # the names as text (javascripts/paper-shell.js makes each a search)
    assert '<span class="pc-authors">Damai Dai, Chengqi Deng, ' in page
    assert '<time datetime="2024-01-11">11 January 2024</time>' in page
    assert (
        '<span class="pc-upvotes">42 upvotes on Hugging Face, '
        '<time datetime="2026-12-07">2026-12-07</time></span>' in page
    )
    assert "Source: Hugging Face Papers API, fetched 2026-12-07." in page
    assert 'href="https://arxiv.org/abs/2401.06066">arXiv</a>' in page
    assert 'href="https://github.com/deepseek-ai/DeepSeek-MoE">Code</a>' in page
    assert "dai2024deepseekmoe" in page  # the BibTeX key: first author and year
    # Listed twice (the seed, the fetched day), one page: no page for the other spelling.
    assert not list((site / "papers").glob("deepseekmoe-toward-*"))
    assert page.count("Hugging Face Papers, 7 December 2026") >= 1


def test_a_paper_without_authors_still_shows_its_date_and_upvotes(built):
    site, _ = built
    page = paper_html(site, ATTENTION)
    assert "pc-authors" not in page
    assert '<time datetime="2017-06-12">12 June 2017</time>' in page
    assert "7 upvotes on Hugging Face" in page
    assert ">Code</a>" not in page


def test_catalogue_json_feeds_and_bibtex_carry_the_metadata(built):
    site, _ = built
    papers = {p["id"]: p for p in json.loads((site / "catalogue.json").read_text())["papers"]}
    deepseek = papers[DEEPSEEK]
    assert deepseek["arxiv"] == "2401.06066" and deepseek["upvotes"] == 42
    assert deepseek["listed_from"] == "Hugging Face Papers API, fetched 2026-12-07"
    assert listing_name("2026-12-07") in deepseek["listings"]
    assert deepseek["links"] == {"code": "https://github.com/deepseek-ai/DeepSeek-MoE"}
    feed = json.loads((site / "feed.json").read_text())
    item = next(i for i in feed["items"] if i["title"].startswith("PaliGemma 2"))
    assert item["date_published"] == "2024-12-04T00:00:00Z"
    assert item["authors"][0] == {"name": "Andreas Steiner"}
    # Search finds a paper by its fetched authors and shows them in its result.
    index = gzip.decompress((site / "search" / "papers.json.gz").read_bytes()).decode()
    assert "Damai Dai, Chengqi Deng, Chenggang Zhao et al." in index
    assert "damai" in index.casefold()
    bib = (site / "catalogue.bib").read_text()
    assert "eprint = {2412.03555}" in bib and "author = {Andreas Steiner and" in bib


def test_the_fetched_listing_page_offers_its_upvotes_for_sorting(built):
    site, _ = built
    listing = (site / "listings" / "hugging-face-papers-7-december-2026" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'data-upvotes="42"' in listing and 'data-upvotes="7"' in listing
    assert "fetched from the Hugging Face Papers API" in listing
    # A text dump's listing has no upvotes to sort by.
    seed = (site / "listings" / "daily-papers-14-march" / "index.html").read_text("utf-8")
    assert "data-upvotes" not in seed


def test_the_hostile_item_is_inert_on_every_page(built):
    site, data = built
    values = set()
    for path in (data / "listings").glob("hf-daily-*.yaml"):
        import yaml

        for paper in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]:
            values |= {one_line(v) for v in [paper["title"], *paper.get("authors", [])]}
    found = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        found += audit(page.read_text(encoding="utf-8"), str(page.relative_to(site)), values)
    assert found == []
    # The payloads did reach the site, as text.
    hostile = next(
        p
        for p in json.loads((site / "catalogue.json").read_text())["papers"]
        if p.get("arxiv") == HOSTILE_ID
    )
    page = paper_html(site, hostile["id"])
    assert html.escape("<script>alert('PWN')</script>", quote=False) in page
    assert not re.search(r"href=\"javascript", page, re.I)
    assert "upvotes on Hugging Face" not in page  # its count was not a number
