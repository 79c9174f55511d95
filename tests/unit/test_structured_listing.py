"""The structured listing layout (data/listings/*.yaml) and dedup by arXiv id first."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.infra.cache import Cache
from generator.ingest.dedup import deduplicate
from generator.ingest.structured import parse_structured
from generator.model import Entry, Listed
from generator.pipeline import build_catalogue

ABSTRACT = "We study a thing. It works well. The code is public."
OTHER = "A different study of another thing entirely. Nothing alike. At all."
LISTED = Listed("Hugging Face Papers API", "2026-12-07")


def entry(title: str, listing: str, line: int, arxiv: str | None = None, abstract=ABSTRACT):
    return Entry(title, abstract, listing, line, line, arxiv, LISTED if arxiv else None)


def test_one_arxiv_id_is_one_paper_whatever_the_titles_spelling():
    papers, _ = deduplicate(
        [
            entry("Toward Things", "hf-a.yaml", 3, "2401.00001"),
            entry("Towards Things", "hf-b.yaml", 3, "2401.00001"),
        ]
    )
    assert len(papers) == 1 and papers[0].title == "Toward Things"


def test_two_arxiv_ids_are_two_papers_even_under_one_title_and_abstract():
    papers, clashes = deduplicate(
        [
            entry("Things", "hf-a.yaml", 3, "2401.00001"),
            entry("Things", "hf-b.yaml", 3, "2401.00002"),
        ]
    )
    assert len(papers) == 2
    assert len(clashes) == 1  # a curator is told: same title, kept apart


def test_the_title_rule_still_joins_a_text_dump_and_a_listed_paper():
    papers, _ = deduplicate(
        [entry("Things", "000.txt", 5), entry("things", "hf-a.yaml", 3, "2401.00001")]
    )
    assert len(papers) == 1 and papers[0].id == "things"


def test_a_known_id_joins_a_paper_under_another_title_and_keeps_its_id():
    text = entry("Things: the Original", "000.txt", 5)
    listed = entry("Things, Renamed", "hf-a.yaml", 3, "2401.00001", abstract=OTHER)
    papers, _ = deduplicate([text, listed], {"2401.00001": "things-the-original"})
    assert [(p.id, p.title, len(p.appearances)) for p in papers] == [
        ("things-the-original", "Things: the Original", 2)
    ]
    alone, _ = deduplicate([text, listed])
    assert len(alone) == 2  # without the known id, the titles decide: two papers


def write(tmp: Path, name: str, data: dict) -> Path:
    listings = tmp / "data" / "listings"
    listings.mkdir(parents=True, exist_ok=True)
    (listings / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return tmp / "data"


DAY = {
    "source": "Hugging Face Papers API",
    "kind": "daily",
    "date": "2026-12-07",
    "fetched": "2026-12-07",
    "api": "https://huggingface.co/api/daily_papers?date=2026-12-07",
    "page": "https://huggingface.co/papers/date/2026-12-07",
    "papers": [
        {"arxiv": "2401.00001", "title": "Things", "abstract": ABSTRACT, "upvotes": 4},
        {"arxiv": "2401.00002", "title": "Other Things", "abstract": OTHER},
    ],
}


def test_a_listing_names_and_dates_itself_and_needs_no_entry_in_listings_yaml(tmp_path):
    data = write(tmp_path, "hf-daily-2026-12-07.yaml", DAY)
    catalogue = build_catalogue(data, Cache(None))
    assert [str(p) for p in catalogue.problems] == []
    meta = catalogue.listing_meta["hf-daily-2026-12-07.yaml"]
    assert (meta.title, meta.date, meta.added) == (
        "Hugging Face Papers, 7 December 2026",
        "2026-12-07",
        "2026-12-07",
    )
    assert meta.source == "https://huggingface.co/papers/date/2026-12-07"


def test_a_bad_value_is_reported_at_its_line_and_the_listing_gives_no_papers(tmp_path):
    bad = {**DAY, "papers": [DAY["papers"][0], {**DAY["papers"][1], "code": "javascript:x"}]}
    raw = yaml.safe_dump(bad, sort_keys=False).encode()
    result = parse_structured(raw, "hf-daily-2026-12-07.yaml", "data/listings/hf.yaml")
    assert result.listing.entries == ()
    [problem] = result.problems
    line = raw.decode().splitlines().index("  code: javascript:x") + 1
    assert (problem.path, problem.line) == ("data/listings/hf.yaml", line)


def test_an_arxiv_id_listed_twice_is_reported_and_kept_once():
    twice = {**DAY, "papers": [DAY["papers"][0], dict(DAY["papers"][0])]}
    result = parse_structured(yaml.safe_dump(twice, sort_keys=False).encode(), "hf.yaml")
    assert len(result.listing.entries) == 1
    assert "listed twice" in result.problems[0].message
