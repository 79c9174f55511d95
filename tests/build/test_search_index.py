"""The tiered search index is lunr's index, cut up: the same weights lunr.py computes,
and the same papers and scores once the worker reads the tiers back."""

from __future__ import annotations

import json

import pytest
from conftest import real_search_files
from lunr import lunr
from lunr.tokenizer import Tokenizer
from worker_js import run_worker_code, worker_functions

from generator.export.search import (
    FIELDS,
    INDEX_FILE,
    SHARD_POSTINGS,
    SHORT,
    SHORT_POSTINGS,
    SPLIT_FROM,
    SearchInput,
    _az_key,
    analyse,
    build_index,
    shard_of,
    term_order,
    tokenize,
)


def real_search() -> SearchInput:
    return real_search_files(SPLIT_FROM)[0]


def real_files() -> dict[str, str]:
    return real_search_files(SPLIT_FROM)[1]


def lunr_py_vectors(documents: list[dict[str, str]]) -> dict[str, dict[str, float]]:
    """lunr.py's own index of the documents: each field vector as {term: weight}."""
    docs = [{"id": str(i), **d} for i, d in enumerate(documents)]
    fields = [{"field_name": f, "boost": b} for f, b in FIELDS.items()]
    serialized = lunr("id", fields, docs).serialize()
    term_of = {posting["_index"]: term for term, posting in serialized["invertedIndex"]}
    vectors = {}
    for field_ref, elements in serialized["fieldVectors"]:
        if elements:
            pairs = zip(elements[::2], elements[1::2], strict=True)
            vectors[field_ref] = {term_of[i]: w for i, w in pairs}
    return vectors


def tier_files(files: dict[str, str]) -> list[dict]:
    """Every index tier in the files: tier one and the abstract shards (split: the term
    shards alone)."""
    first = json.loads(files[INDEX_FILE])
    tiers = [first["index"]] if "index" in first else []
    return tiers + [json.loads(files[file]) for _, file in first["shards"]]


def decoded_vectors(files: dict[str, str]) -> dict[str, dict[str, float]]:
    """The field vectors the tier files carry, as {"field/paper": {term: weight}}."""
    vectors: dict[str, dict[str, float]] = {}
    for tier in tier_files(files):
        for term, lists in zip(tier["terms"], tier["postings"], strict=True):
            for field, gaps, weights in lists:
                doc = 0
                for gap, weight in zip(gaps, weights, strict=True):
                    doc += gap
                    vectors.setdefault(f"{tier['fields'][field]}/{doc}", {})[term] = weight
    return vectors


@pytest.mark.parametrize(
    "text",
    ["", " - ", "GPT-4\u00a0and  Mixture-of-Experts\t", "İstanbul ÉTÉ", "a\u2009b\u2028c", "--x--"],
)
def test_tokens_are_the_ones_lunr_py_makes(text: str):
    assert tokenize(text) == [str(t) for t in Tokenizer(text)]


def test_the_tiers_carry_exactly_the_weights_lunr_py_computes():
    search = real_search()
    assert len(search.documents) == 720
    assert decoded_vectors(real_files()) == lunr_py_vectors(search.documents)


def test_the_split_layout_carries_the_same_weights_with_papers_numbered_a_to_z():
    """The split layout (a big catalogue's, here from a threshold of 0) numbers papers
    A–Z; put back in catalogue order, its shards carry the weights above, lunr.py's."""
    search = real_search()
    titles = [row[1] for row in search.meta["papers"]]
    order = sorted(range(len(titles)), key=lambda i: (_az_key(titles[i]), i))
    split = decoded_vectors(build_index(search, split_from=0))
    renumbered = {}
    for key, vector in split.items():
        field, doc = key.split("/")
        renumbered[f"{field}/{order[int(doc)]}"] = vector
    assert order != sorted(order)
    assert renumbered == decoded_vectors(real_files())


def test_abstract_shards_are_cut_by_term_range_and_each_term_is_found_in_its_shard():
    first = json.loads(real_files()[INDEX_FILE])
    starts = [start for start, _ in first["shards"]]
    # terms of up to SHORT characters first, in small shards of their own ("qa", "rl")
    assert len(starts) > 1 and starts == sorted(starts, key=term_order)
    for number, (_, file) in enumerate(first["shards"]):
        shard = json.loads(real_files()[file])
        assert shard["terms"] == sorted(shard["terms"])
        assert all(shard_of(starts, term) == number for term in shard["terms"])
        postings = sum(len(gaps) for lists in shard["postings"] for _, gaps, _ in lists)
        short = all(len(term) <= SHORT for term in shard["terms"])
        assert short or not any(len(term) <= SHORT for term in shard["terms"])
        assert postings < 2 * (SHORT_POSTINGS if short else SHARD_POSTINGS)
    # Tier one holds titles, authors and tags; the abstract is in the shards alone.
    assert first["index"]["fields"] == ["title", "authors", "tags"]


def test_terms_are_named_by_the_word_they_most_often_stand_for():
    first = json.loads(real_files()[INDEX_FILE])["index"]
    words = dict(zip(first["terms"], first["words"], strict=True))
    assert words["diffus"] == "diffusion" and words["quantiz"] == "quantization"
    assert words["lora"] == ""  # the term is the word: not repeated


@pytest.mark.parametrize(
    "query", ["diffusion", "mixture experts", "quantization", "mup", "diff*", "transf*", "llama*"]
)
def test_the_worker_finds_in_the_tiers_what_lunr_py_finds_with_its_weights(query):
    """The worker's matching over the tier files (loadTier, matches, startingWith: each
    term's postings read as asked, no lunr.js index built) finds the papers lunr.py's
    whole index finds, for the words' terms or every term a prefix starts, and scores
    each with the sum of lunr.py's weights of those terms in its fields."""
    search = real_search()
    docs = [{"id": str(i), **d} for i, d in enumerate(search.documents)]
    fields = [{"field_name": f, "boost": b} for f, b in FIELDS.items()]
    hits = lunr("id", fields, docs).search(query)
    vectors = lunr_py_vectors(search.documents)
    expected = {
        int(hit["ref"]): sum(
            vectors[f"{field}/{hit['ref']}"][term]
            for term, found in hit["match_data"].metadata.items()
            for field in found
        )
        for hit in hits
    }
    prefix = query.removesuffix("*") if query.endswith("*") else None
    terms = [] if prefix else [term for _, term in analyse(query)]
    found = run_worker_code(
        [*worker_functions("loadTier", "matches", "startingWith")],
        "Object.fromEntries(input.tiers.map(loadTier).reduce((found, tier) => matches(tier,"
        " input.prefix ? startingWith(tier, input.prefix) : input.terms, found), new Map()))",
        {"tiers": tier_files(real_files()), "terms": terms, "prefix": prefix},
    )
    assert len(expected) > 2
    assert {int(doc): score for doc, score in found.items()} == pytest.approx(expected, rel=1e-12)
