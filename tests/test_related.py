"""Related papers: the catalogue.json contract, tokenisation, blocking, quality."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import DATA, load_benchmark

from generator.catalogue import Appearance, Paper
from generator.pipeline import build_catalogue
from generator.related import nearest, relate, tokens, vectorise


def test_every_paper_has_3_to_8_related_with_score_and_why(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    ids = {p["id"] for p in papers}
    for paper in papers:
        related = paper["related"]
        assert 3 <= len(related) <= 8, paper["id"]
        scores = [r["score"] for r in related]
        assert scores == sorted(scores, reverse=True)
        for r in related:
            assert set(r) == {"id", "score", "why"}
            assert r["id"] in ids and r["id"] != paper["id"]
            assert 0 < r["score"] <= 1 and r["why"].strip()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("We tune with μP and muP", ["mup", "mup"]),
        ("GPT-4 beats GPT-3.5", ["gpt-4", "gpt-3.5"]),
        ("3D Gaussian splats", ["3d"]),
        ("QLoRA extends LoRA", ["qlora", "lora"]),
        ("Llama-2 and T5-XL", ["llama-2", "t5-xl"]),
    ],
)
def test_names_are_not_mangled_or_dropped(text, kept):
    terms = tokens(text)
    for term in kept:
        assert term in terms, (term, terms)


def test_hyphenated_and_spaced_phrases_meet():
    hyphen, spaced = tokens("Mixture-of-Experts layers"), tokens("a mixture of experts layer")
    assert "mixtur expert" in hyphen and "mixtur expert" in spaced


def test_stemming_meets_word_forms_and_why_reads_as_words():
    a = Paper(
        "a",
        "Pruning large networks",
        "We prune networks by pruning weights.",
        (Appearance("x.txt", 1, 1),),
    )
    b = Paper(
        "b",
        "Pruned networks",
        "Pruned networks keep accuracy after pruning.",
        (Appearance("x.txt", 3, 2),),
    )
    c = Paper("c", "Bird song", "Birds sing in forests at dawn.", (Appearance("x.txt", 5, 3),))
    related = {p.id: p.related for p in relate([a, b, c])}
    assert related["a"][0].id == "b"
    assert "pruning" in related["a"][0].why  # the common spelling, not the stem "prune"


def test_blocked_top_k_equals_the_dense_answer():
    papers = load_benchmark("synthetic").synthetic_papers(400, seed=3)
    catalogue = [
        Paper(f"p{i}", t, a, (Appearance("x.txt", i, i),)) for i, (t, a) in enumerate(papers)
    ]
    vectors = vectorise(catalogue)
    small_blocks = nearest(vectors, k=6, block=37)
    one_block = nearest(vectors, k=6, block=10_000)
    assert small_blocks == one_block
    # And the scores are the true cosines (blended with LSA) of the dense product.
    dense = (vectors.matrix @ vectors.matrix.T).toarray() * 0.7 + (
        vectors.latent @ vectors.latent.T
    ) * 0.3
    i, (j, score) = 5, small_blocks[5][0]
    assert score == pytest.approx(np.round(dense[i, j], 4), abs=1e-4)


def test_recall_at_5_on_the_labelled_pairs_stays_at_least_90_percent():
    quality = load_benchmark("related_quality")
    score, misses = quality.recall(build_catalogue(DATA), k=5)
    assert score >= 0.90, misses
