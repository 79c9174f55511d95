"""The search index from kept analyses (generator/export/search.py, ``kept_analysis``):
each text's terms, places and inflections are kept by the text, so a build that adds,
edits or removes papers analyses only the texts it has not seen; the files are those
of an index made from nothing, in both layouts."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from conftest import computed_real_catalogue

from generator.export import search
from generator.export.search import build_index, search_input
from generator.infra.cache import Cache
from generator.render.paths import directory_url, paper_path


def url(pid: str) -> str:
    return directory_url(paper_path(pid))


def edited(catalogue, papers):
    """``papers`` less the first, with the next paper of the catalogue added, and the
    second's abstract edited at its end (a key cut short would not see it)."""
    changed = [*papers[1:], catalogue.papers[len(papers)]]
    changed[0] = replace(changed[0], abstract=changed[0].abstract + " Now with gpt-5 results.")
    return replace(catalogue, papers=tuple(sorted(changed, key=lambda p: p.id)))


@pytest.mark.parametrize("split_from", [search.SPLIT_FROM, 1])  # the whole layout, the split
def test_an_index_from_kept_analyses_equals_one_made_from_nothing(
    tmp_path, monkeypatch, split_from
):
    real = computed_real_catalogue()
    cache = Cache(tmp_path / "cache", secret=b"k" * 32)
    first = replace(real, papers=real.papers[:80])
    made = search_input(first, url)
    assert build_index(made, split_from, cache) == build_index(made, split_from)
    second = edited(real, first.papers)
    analysed = []
    analyse = search.text_analysis
    monkeypatch.setattr(search, "text_analysis", lambda t: analysed.append(t) or analyse(t))
    kept = build_index(search_input(second, url), split_from, cache)
    monkeypatch.undo()
    fresh = build_index(search_input(second, url), split_from)
    assert kept.keys() == fresh.keys()
    for path, text in fresh.items():
        assert kept[path] == text, path
    # only the new paper's texts and the edited abstract: not every paper's again
    assert any("now with gpt" in t for t in analysed), analysed
    assert 1 <= len(analysed) <= 5, analysed


def test_a_kept_analysis_is_the_texts_own():
    """What a document adds to the index is its kept analysis: the same postings,
    places and inflections as the pairs it was made from."""
    text = "transformers transform; a transformer transformed mistral mistral7b 7b"
    found = search.text_analysis(text)
    pairs = search.analyse(text)
    assert found.length == len(pairs)
    assert dict(zip(found.terms, found.counts, strict=True)) == Counter(t for _, t in pairs)
    places = search.positions(text)
    at, start = {}, 0
    for term, count in zip(found.terms, found.counts, strict=True):
        at[term] = list(found.places[start : start + count])
        start += count
    assert at == places
    forms, start = {}, 0
    for term, count in zip(found.terms, found.form_counts, strict=True):
        forms[term] = set(found.forms[start : start + count])
        start += count
    assert forms == dict(search.places_and_forms(text)[1])
    assert forms["transform"] == {"transform", "transformer"}
