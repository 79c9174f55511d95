"""Related papers: the catalogue.json contract, tokenisation, blocking, quality."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest
from conftest import DATA, load_benchmark

from generator.analyse.related.basis import basis_of
from generator.analyse.related.incremental import LSA_WEIGHT, fold_in, nearest, related_lists
from generator.analyse.related.links import relate
from generator.analyse.related.model import fit
from generator.analyse.related.tokens import tokens
from generator.infra.cache import Cache, Kept
from generator.model import Appearance, Paper
from generator.pipeline import build_catalogue


def test_related_papers_come_ranked_with_score_and_why(real_site):
    """Up to six, likeliest first (generator/analyse/related/ranking.py); fewer when the
    rest would not be worth following (the score threshold, the evidence a link needs:
    generator/analyse/related/evidence.py, the learned cut), and few papers with none."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    ids = {p["id"] for p in papers}
    assert sum(not p["related"] for p in papers) <= 0.10 * len(papers)
    assert sum(len(p["related"]) >= 2 for p in papers) >= 0.6 * len(papers)
    for paper in papers:
        related = paper["related"]
        assert len(related) <= 6, paper["id"]
        assert len({r["id"] for r in related}) == len(related), paper["id"]
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


def synthetic(n: int, seed: int) -> list[Paper]:
    papers = load_benchmark("synthetic").synthetic_papers(n, seed=seed)
    return [
        Paper(f"p{i:04}", t, a, (Appearance("x.txt", i, i),)) for i, (t, a) in enumerate(papers)
    ]


def test_blocked_top_k_equals_the_dense_answer():
    catalogue = synthetic(400, seed=3)
    model = fit([(p.title, p.abstract) for p in catalogue])
    vectors = fold_in(model, catalogue)
    small_blocks = nearest(vectors, k=6, block=37)
    one_block = nearest(vectors, k=6, block=10_000)
    assert small_blocks == one_block
    # The scores are the blended cosines of the dense product, ties going to the smaller id.
    m = vectors.matrix.toarray() / 2**12
    latent = vectors.latent / 2**10
    dense = np.round((1 - LSA_WEIGHT) * (m @ m.T) + LSA_WEIGHT * (latent @ latent.T), 4)
    for i in (5, 77, 399):
        dense[i, i] = -1
        expected = sorted(range(400), key=lambda j: (-dense[i, j], catalogue[j].id))[:6]
        assert [j for j, _ in small_blocks[i]] == expected
        assert [s for _, s in small_blocks[i]] == [dense[i, j] for j in expected]


def test_rows_kept_from_an_earlier_build_fold_in_exactly_as_read_afresh(tmp_path):
    """fold_in takes a paper's packed rows from the last build instead of reading its
    text: the vectors and every "why" are the same as reading everything again."""
    papers = synthetic(300, seed=7)
    model = fit([(p.title, p.abstract) for p in papers])
    store = Cache(tmp_path / "cache")
    first = Kept(store, "rows")
    fresh = fold_in(model, papers, first)
    first.save()
    edited = papers[:250] + synthetic(20, seed=8)  # some kept, some new
    second = Kept(store, "rows")
    assert len(second.known) == 300
    reused = fold_in(model, edited, second)
    assert len(set(second.used) & set(second.known)) == 250 and len(second.used) == 270
    again = fold_in(model, edited)
    assert (reused.matrix != again.matrix).nnz == 0
    assert np.array_equal(reused.latent, again.latent)
    assert [reused.spellings(i) for i in (0, 260)] == [again.spellings(i) for i in (0, 260)]
    assert (fresh.matrix[:250] != reused.matrix[:250]).nnz == 0


def test_incremental_lists_equal_a_full_recomputation():
    """Reusing the last build's lists after edits gives exactly what starting over gives."""
    papers = synthetic(300, seed=5)
    model = fit([(p.title, p.abstract) for p in papers])
    state = related_lists(fold_in(model, papers), None, model.key)
    edited = list(papers)
    edited[10] = Paper("p0010", papers[200].title, papers[200].abstract, papers[10].appearances)
    del edited[50]  # merged away
    edited.append(Paper("p9999", papers[7].title + " again", papers[3].abstract, ()))
    vectors = fold_in(model, edited)
    incremental = related_lists(vectors, state, model.key)
    full = related_lists(vectors, None, model.key)
    assert incremental.lists == full.lists and incremental.rows == full.rows
    moved = [pid for pid in full.lists if state.lists.get(pid) != full.lists[pid]]
    assert 0 < len(moved) < len(edited)  # the edits really moved some lists, not all


def test_a_merge_or_retitle_moves_at_most_5_percent_of_other_lists():
    """A curator's edit moves only the lists the edited paper enters or leaves
    (refitting the statistics on every edit moved 284 of 719)."""
    stability = load_benchmark("related_stability")
    catalogue = build_catalogue(DATA)
    before = stability.lists(catalogue.papers)
    gone, retitled = stability.MERGED, stability.RETITLED
    basis = basis_of(catalogue.listings)
    base = [replace(p, related=()) for p in catalogue.papers]
    merged = [p for p in base if p.id != gone]
    renamed = [replace(p, title=p.title + " and Drag") if p.id == retitled else p for p in base]
    for edit, papers in ((gone, merged), (retitled, renamed)):
        after = stability.lists(relate(papers, basis))
        assert stability.moved(before, after, edit) <= 0.05 * len(after)


def test_recall_at_5_on_the_labelled_pairs_stays_at_least_90_percent():
    quality = load_benchmark("related_quality")
    score, misses = quality.recall(build_catalogue(DATA), k=5)
    assert score >= 0.90, misses


def test_only_related_papers_above_the_threshold_are_shown():
    """The score threshold (MIN_SCORE) keeps the judged links' precision up without
    losing the labelled pairs: benchmarks/related_judged.yaml, 120 links judged."""
    from generator.analyse.related.links import MIN_SCORE

    quality = load_benchmark("related_quality")
    catalogue = build_catalogue(DATA)
    assert all(r.score >= MIN_SCORE for p in catalogue.papers for r in p.related)
    assert any(len(p.related) < 6 for p in catalogue.papers)
    counts = quality.precision(catalogue)
    assert counts["right"] / counts["shown"] >= 0.65
    # The threshold and the evidence a link needs (.evidence) hide more wrong links than
    # right ones (the evidence rule also hides "weak" ones, judged right here).
    assert counts["hidden_wrong"] > 1.5 * counts["hidden_right"]
    assert quality.recall(catalogue)[0] >= 0.90


def test_a_listing_of_new_papers_enters_old_lists_as_a_full_recomputation_has_it():
    """A new listing changes no old paper, so old lists are only merged with the new
    papers' scores (those under a list's k-th are skipped): the lists are still exactly
    the full recomputation's, and new papers really did enter old lists."""
    papers = synthetic(300, seed=5)
    model = fit([(p.title, p.abstract) for p in papers])
    state = related_lists(fold_in(model, papers), None, model.key)
    arrived = [replace(p, id=f"q{p.id}") for p in synthetic(60, seed=9)]
    vectors = fold_in(model, papers + arrived)
    incremental = related_lists(vectors, state, model.key)
    full = related_lists(vectors, None, model.key)
    assert incremental.lists == full.lists
    new = {p.id for p in arrived}
    entered = [pid for pid in state.lists if any(o in new for o, _ in full.lists[pid])]
    assert len(entered) > 20


def test_a_why_keeps_only_the_last_rows_it_read(monkeypatch):
    """Rows are kept as dicts for the "why" of each link, but not all of them (at 50,000
    papers that was 0.7 GB): with room for 3, the whys are the ones with room for all."""
    import generator.analyse.related.incremental as incremental
    from generator.analyse.related.why import shared_terms

    papers = synthetic(40, seed=3)
    model = fit([(p.title, p.abstract) for p in papers])
    pairs = [(i, j) for i in range(len(papers)) for j in (i + 1, i + 7) if j < len(papers)]
    roomy = fold_in(model, papers)
    expected = [shared_terms(roomy, i, j) for i, j in pairs]
    assert len(roomy.rows) == len(papers)
    monkeypatch.setattr(incremental, "ROWS_KEPT", 3)
    tight = fold_in(model, papers)
    assert [shared_terms(tight, i, j) for i, j in pairs] == expected
    assert len(tight.rows) == 3


# Links the blind judges of issue 28 found wrong: each rests on one word that means
# something else in the other field ("clustering" of galaxies, "tracking" of particles,
# the symbol μ, "market", "fast", "post-training" of quantization, Feynman integrals).
BAD_PAIRS = [
    (
        "likelihood-adjusted-semidefinite-programs-for-clustering-heterogeneous-data",
        "suppressing-the-sample-variance-of-desi-like-galax",
    ),
    (
        "likelihood-adjusted-semidefinite-programs-for-clustering-heterogeneous-data",
        "merging-loras-like-playing-lego",
    ),
    ("fast-model-editing-at-scale", "a-fast-fourier-convolutional-deep-neural-network"),
    ("fast-model-editing-at-scale", "fast-convex-pruning-of-deep-neural-networks"),
    (
        "unlocking-state-tracking-in-linear-rnns-through-negative-eigenvalues",
        "lagrangian-coherent-track-initialisation",
    ),
    (
        "a-large-scale-exploration-of-mu-transfer",
        "a-nonintrusive-method-to-approximate-linear-system",
    ),
    (
        "train-n-trade-foundations-of-parameter-markets",
        "evaluating-binary-decision-biases-in-large-languag",
    ),
    (
        "tulu-3-pushing-frontiers-in-open-language-model-post-training",
        "p-2-law-scaling-law-for-post-training",
    ),
    ("tulu-3-pushing-frontiers-in-open-language-model-post-training", "optimal-brain-compression"),
    (
        "on-feynman-kac-training-of-partial-bayesian-neural-networks",
        "specializations-of-partial-differential-equations",
    ),
]


def test_links_resting_on_one_word_of_another_field_are_not_shown(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    shown = {p["id"]: [r["id"] for r in p["related"]] for p in papers}
    for a, b in BAD_PAIRS:
        assert a in shown, a
        assert not any(o.startswith(b) for o in shown[a]), (a, b)
        assert not any(a in shown[o] for o in shown if o.startswith(b)), (b, a)


# Links past a paper's best that rest on little evidence (ranking.FLOOR), judged not
# worth following in benchmarks/related_judged.yaml, and links there judged worth it.
THIN_PAIRS = [
    (
        "pmaa-a-progressive-multi-scale-attention-autoencoder-model-for-high-performance",
        "biases-in-edge-language-models-detection-analysis-and-mitigation",
    ),
    # Its three data-mixture candidates (DoReMi, data mixing laws, DoGE) were all judged
    # no; the learned order (ranking.py, round 7) shows DoReMi first, as main showed DoGE:
    # the others fall past it below the floor.
    (
        "mixture-proportion-estimation-beyond-irreducibility",
        "data-mixing-laws-optimizing-data-mixtures-by-predicting-language-modeling",
    ),
    (
        "mixture-proportion-estimation-beyond-irreducibility",
        "doge-domain-reweighting-with-generalization-estimation",
    ),
    (
        "quadratic-models-for-understanding-neural-network-dynamics",
        "learning-to-learn-with-generative-models-of-neural-network-checkpoints",
    ),
]
KEPT_PAIRS = [
    (
        "pmaa-a-progressive-multi-scale-attention-autoencoder-model-for-high-performance",
        "maformer-a-transformer-network-with-multi-scale-attention-fusion-for-visual",
    ),
    (
        "quadratic-models-for-understanding-neural-network-dynamics",
        "feature-learning-in-infinite-width-neural-networks",
    ),
]


def test_links_on_thin_evidence_past_the_best_are_not_shown(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    shown = {p["id"]: [r["id"] for r in p["related"]] for p in papers}
    for a, b in THIN_PAIRS:
        assert shown[a] and b not in shown[a], (a, b, shown[a])
    for a, b in KEPT_PAIRS:
        assert b in shown[a], (a, b, shown[a])


# Issue 28, round 4: a link's place rests on its score and the specificity of the tags
# the two papers share (ranking.FLOOR since round 7). Links blind judges called wrong or weak that
# rested on a phrase across fields or on one broad topic are gone; links they called good
# between papers sharing a narrow tag came in (benchmarks/README.md, round 4).
GONE_R4 = [
    (  # "coarse to fine" in RLHF and in pruning: judged wrong
        "mistral-c2f-coarse-to-fine-actor-for-analytical-and-reasoning-enhancement-in",
        "ecoflap-efficient-coarse-to-fine-layer-wise-pruning-for-vision-language-models",
    ),
    (  # "Bayesian" tensor decomposition and in-context learning: judged wrong
        "functional-bayesian-tucker-decomposition-for-continuous-indexed-tensor-data",
        "in-context-learning-through-the-bayesian-prism",
    ),
    (  # "-mini" and efficiency, a language and a multimodal model: judged wrong
        "yulan-mini-an-open-data-efficient-language-model",
        "llava-mini-efficient-image-and-video-large-multimodal-models-with-one-vision",
    ),
    (  # merging experts into a model and pruning experts: judged weak
        "assembly-of-experts-linear-time-construction-of-the-chimera-llm-variants-with",
        "not-all-experts-are-equal-efficient-expert-pruning-and-skipping-for-mixture-of",
    ),
]
CAME_R4 = [
    (
        "hack-learning-a-parametric-head-and-neck-model-for-high-fidelity-animation",
        "headgas-real-time-animatable-head-avatars-via-3d-gaussian-splatting",
    ),
    ("yulan-mini-an-open-data-efficient-language-model", "the-zamba2-suite-technical-report"),
    (
        "bioformer-an-efficient-transformer-language-model-for-biomedical-text-mining",
        "gatortron-a-large-clinical-language-model-to-unlock-patient-information-from",
    ),
    (
        "mmgp-a-mesh-morphing-gaussian-process-based-machine-learning-method-for",
        "drivaernet-a-parametric-car-dataset-for-data-driven-aerodynamic-design-and-graph",
    ),
]


def test_links_rest_on_shared_narrow_tags_more_than_on_wording(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    shown = {p["id"]: [r["id"] for r in p["related"]] for p in papers}
    for a, b in GONE_R4:
        assert a in shown and b in shown, (a, b)  # both still in the catalogue
        assert b not in shown[a], (a, b, shown[a])
    for a, b in CAME_R4:
        assert b in shown[a], (a, b, shown[a])


def test_past_its_best_link_a_paper_shows_links_that_share_a_tag_or_a_family(real_site):
    """The floor (ranking.FLOOR) on score x (1 + shared tags' specificity): wording
    alone no longer carries a second link (a near-duplicate's score of 0.8 would)."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    tags = {p["id"]: set(p["tags"]) for p in papers}
    for p in papers:
        for r in p["related"][1:]:
            shared = tags[p["id"]] & tags[r["id"]]
            assert shared or r["why"].startswith("Same family") or r["score"] >= 0.8, (
                p["id"],
                r,
            )


def test_why_reads_as_words_a_reader_would_write(real_site):
    """No stems ("sequenc"), no raw scores, no halves of a compound ("efficient fine")."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    text = " ".join(p["title"] + " " + p["abstract"] for p in papers).lower()
    words = set(re.findall(r"[^\W_]+", text))
    for paper in papers:
        for r in paper["related"]:
            why = r["why"]
            assert why.startswith(("Both ", "Same family")), why
            for word in re.findall(r"[^\W_]+", why.lower()):
                assert word in words or word in {"both", "study", "tagged", "and"}, (word, why)
            assert not re.search(r"\befficient fine\b(?![ -]tun)", why, re.I), why


@pytest.mark.parametrize(
    ("a", "b", "phrase"),
    [
        (
            "scaling-laws-for-upcycling-mixture-of-experts-language-models",
            "deepseekmoe-towards-ultimate-expert-specialization-in-mixture-of-experts",
            "Mixture-of-Experts language models",
        ),
        (
            "sundial-a-family-of-highly-capable-time-series-foundation-models",
            "towards-long-context-time-series-foundation-models",
            "time series foundation models",
        ),
    ],
)
def test_why_ends_a_phrase_on_the_word_the_model_leaves_out(real_site, a, b, phrase):
    """The model drops "models" as a word every abstract uses; the reason must not stop
    at "language" or "foundation" because of it."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    [why] = [r["why"] for p in papers if p["id"] == a for r in p["related"] if r["id"] == b]
    assert phrase in why, why
    assert not re.search(rf"{re.escape(phrase[: -len(' models')])}(?! models)\b", why), why


def test_a_paper_without_related_papers_says_so_and_points_to_its_tags(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    lonely = [p for p in papers if not p["related"] and p["tags"]]
    assert lonely
    html = next(real_site.rglob(f"{lonely[0]['id']}/index.html")).read_text("utf-8")
    assert "No paper in the catalogue is close enough" in html
    assert f"/tags/{lonely[0]['tags'][0]}" in html or lonely[0]["tags"][0] in html


# Issue 28, round 5: a second retrieval finds papers that share specific names (models,
# datasets, benchmarks: .entities) but that the wording model did not rank in their top 6.
NAMED_R5 = [
    (  # both evaluate maths reasoning on GSM8K and MATH
        "common-7b-language-models-already-possess-strong-math-capabilities",
        "entropy-based-adaptive-weighting-for-self-training",
    ),
    (
        "entropy-based-adaptive-weighting-for-self-training",
        "common-7b-language-models-already-possess-strong-math-capabilities",
    ),
    (  # both about DPO and preference optimisation after SFT
        "the-hitchhiker-s-guide-to-human-alignment-with-po",
        "fine-tuning-large-language-models-for-domain-adaptation-exploration-of-training",
    ),
]


def test_papers_sharing_specific_names_are_linked(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    related = {p["id"]: {r["id"]: r["why"] for r in p["related"]} for p in papers}
    for a, b in NAMED_R5:
        assert b in related[a], (a, b, list(related[a]))
    why = related[NAMED_R5[0][0]][NAMED_R5[0][1]]
    assert "GSM8K" in why and "MATH" in why, why


def test_a_link_on_names_alone_rests_on_two_names_never_one_common_word(real_site):
    """A link the wording alone does not carry is shown on shared names only when they are
    at least two rare ones: a word shared across fields ("clustering") is no name, and
    one name ("GPT-4" as an evaluator) is not enough."""
    from generator.analyse.related.entities import Entities
    from generator.analyse.related.links import ENTITY_LEAST

    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    index = {p["id"]: i for i, p in enumerate(papers)}
    named = Entities([(p["title"], p["abstract"]) for p in papers])
    on_names = [
        (p["id"], r) for p in papers for r in p["related"] if r["why"].startswith("Both name")
    ]
    for pid, r in on_names:
        shared = named.shared(index[pid], index[r["id"]])
        assert shared.weight >= ENTITY_LEAST and len(shared.names) >= 2, (pid, r, shared)
    assert not named.shared(index[GONE_R4[0][0]], index[GONE_R4[0][1]]).names


# Issue 28, round 7: blind judges listed, for 200 papers, every paper in the catalogue good
# to follow (benchmarks/relevance/labels/oracle-*.json). The learned order
# (generator/analyse/related/ranking.py) shows these listed pairs, which main's order by
# score and evidence floor did not.
ORACLE_R7 = [
    (
        "minicpm-unveiling-the-potential-of-small-language-models-with-scalable-training",
        "xmodel-2-technical-report",
    ),
    (
        "accelerating-retrieval-augmented-language-model-serving-with-speculation",
        "why-do-nearest-neighbor-language-models-work",
    ),
    (
        "adaptive-rag-learning-to-adapt-retrieval-augmented-large-language-models-through",
        "when-to-retrieve-teaching-llms-to-utilize-information-retrieval-effectively",
    ),
    (
        "bone-block-affine-transformation-as-parameter-efficient-fine-tuning-methods-for",
        "svfit-parameter-efficient-fine-tuning-of-large-pre-trained-models-using-singular",
    ),
    (
        "power-scheduler-a-batch-size-and-token-number-agnostic-learning-rate-scheduler",
        "scaling-exponents-across-parameterizations-and-optimizers",
    ),
]


def test_neighbours_the_oracle_lists_are_shown_and_a_one_word_link_still_is_not(real_site):
    """The learned order brought in good neighbours ranked past the old cut; the floor
    past a paper's first link keeps out the judged-wrong "-mini" link it let back alone."""
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    shown = {p["id"]: [r["id"] for r in p["related"]] for p in papers}
    for a, b in ORACLE_R7:
        assert b in shown[a], (a, b, shown[a])
    yulan = "yulan-mini-an-open-data-efficient-language-model"
    assert "the-zamba2-suite-technical-report" in shown[yulan]
    assert not any(o.startswith("llava-mini-") for o in shown[yulan]), shown[yulan]
