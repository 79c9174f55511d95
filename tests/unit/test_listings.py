"""The listing parser on the real dumps and on crafted ones."""

from __future__ import annotations

import random

import pytest
from conftest import FIXTURES, SEEDS

from generator.ingest.listings import clean, parse_all, parse_file, parse_text

# Entries per real dump, counted by hand from the files' structure (header lines,
# then title/abstract pairs): 254 + 228 + 74 + 161 + 84 = 801.
REAL_COUNTS = {
    "000_2c539da77f382f8d.txt": (254, "trending", None),
    "001_f84fb9d8814330a6.txt": (228, "trending", None),
    "002_88aec9dc38da7004.txt": (74, "trending", None),
    "003_0bcb5151a6c02ef0.txt": (161, "daily", "Mar 14"),
    "004_9e82bd26c6ddf4a9.txt": (84, "daily", "Mar 12"),
}


def raw_pairs(path):
    """An independent reading of a dump: drop boilerplate lines, pair what is left."""
    lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    boiler = ("Get trending", "new", "byAK", "Mar 1")
    body = [ln for ln in lines if not ln.startswith(boiler) and ln != "Subscribe"]
    body[0] = body[0].removeprefix("Subscribe")
    return list(zip(body[0::2], body[1::2], strict=True))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_real_dump_parses_completely(path):
    result = parse_file(path)
    count, layout, date = REAL_COUNTS[path.name]
    assert result.problems == []
    assert len(result.listing.entries) == count
    assert (result.listing.layout, result.listing.date) == (layout, date)
    expected = [(clean(t), clean(a)) for t, a in raw_pairs(path)]
    assert [(e.title, e.abstract) for e in result.listing.entries] == expected
    assert [e.position for e in result.listing.entries] == list(range(1, count + 1))


def test_first_trending_title_is_unglued_from_subscribe():
    entry = parse_file(SEEDS[0]).listing.entries[0]
    assert entry.title == "Accelerating Retrieval-Augmented Language Model Serving with Speculation"
    assert entry.line == 3


def test_provenance_points_at_the_title_line():
    for path in SEEDS:
        lines = path.read_text(encoding="utf-8").split("\n")
        for entry in parse_file(path).listing.entries:
            assert clean(lines[entry.line - 1]).endswith(entry.title)


def test_title_with_a_question_and_a_second_clause_is_a_title():
    # Real: "How Many Parameters Does it Take to Change a Light Bulb? Evaluating ..."
    entries = parse_file(SEEDS[0]).listing.entries
    assert any(e.title.startswith("How Many Parameters Does it Take") for e in entries)


@pytest.mark.parametrize("name", ["trending.txt", "daily.txt", "hostile.txt"])
def test_bom_crlf_and_stray_whitespace_change_nothing(name):
    raw = (FIXTURES / name).read_bytes()
    plain = parse_text(raw, name)
    assert plain.problems == []
    for variant in (
        b"\xef\xbb\xbf" + raw,
        raw.replace(b"\n", b"\r\n"),
        b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"),
        raw.replace(b"\n", b"  \n\n"),  # trailing spaces and doubled blank lines
    ):
        parsed = parse_text(variant, name)
        assert parsed.problems == []
        assert [(e.title, e.abstract) for e in parsed.listing.entries] == [
            (e.title, e.abstract) for e in plain.listing.entries
        ]


def test_whitespace_inside_titles_and_abstracts_is_folded():
    entries = parse_file(FIXTURES / "trending.txt").listing.entries
    assert entries[2].title == "Scaling Laws for Neural Language Models"
    assert not entries[2].abstract.endswith(("\t", " "))


def test_daily_layout_header_and_date():
    listing = parse_file(FIXTURES / "daily.txt").listing
    assert (listing.layout, listing.date, len(listing.entries)) == ("daily", "Mar 14", 3)
    assert listing.entries[0].line == 11


def test_title_without_abstract_is_reported_and_the_rest_kept():
    result = parse_file(FIXTURES / "missing_abstract.txt")
    assert [e.title for e in result.listing.entries] == [
        "First Paper Keeps Its Abstract",
        "Third Paper Is Still Found",
    ]
    [problem] = result.problems
    assert (problem.line, problem.is_error) == (5, True)
    assert "has no abstract" in problem.message and "A Title Whose Abstract" in problem.message
    assert "paste the abstract" in problem.hint
    assert str(problem).startswith(f"{FIXTURES / 'missing_abstract.txt'}:5: error:")


def test_abstract_without_title_and_trailing_title_are_reported():
    result = parse_file(FIXTURES / "orphan_abstract.txt")
    assert [e.title for e in result.listing.entries] == [
        "Kept Before The Gap",
        "Kept After The Gap",
    ]
    # Each message at its own line: the orphan abstract, then the title left at the end.
    assert [(p.line, p.message) for p in result.problems] == [
        (15, "an abstract with no title before it (the dump is out of step here)"),
        (21, "the title 'A Final Title With Nothing After It' has no abstract"),
    ]


def test_a_file_not_in_utf8_is_one_error_at_its_line_and_no_papers():
    """Decoding around a bad byte would publish replacement characters in titles."""
    raw = (FIXTURES / "trending.txt").read_bytes().replace(b"Human visual", b"Hum\xe9 visual")
    result = parse_text(raw, "bad.txt", "data/listings/bad.txt")
    assert result.listing.entries == ()
    [problem] = result.problems
    assert problem.line == 4
    assert (
        problem.message.startswith("not valid UTF-8 (byte 0xe9)") and "Latin-1" in problem.message
    )
    assert "save it as UTF-8" in problem.hint


def test_empty_dump_is_an_error_naming_the_file():
    result = parse_text(b"\n\n", "empty.txt", "data/listings/empty.txt")
    [problem] = result.problems
    assert str(problem).startswith("data/listings/empty.txt: error: no papers found")


def test_result_order_does_not_depend_on_the_order_files_are_given():
    shuffled = SEEDS[:]
    random.Random(7).shuffle(shuffled)
    assert [r.listing for r in parse_all(shuffled)] == [r.listing for r in parse_all(SEEDS)]
