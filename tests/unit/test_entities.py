"""The second retrieval of related papers: names two papers share (issue 28, round 5)."""

from __future__ import annotations

import pytest

from generator.analyse.related.entities import Entities, as_written, entities


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "We fine-tune GPT-4 and Llama 3.1 on GSM8K.",
            {"gpt-4", "gpt", "llama-3.1", "llama", "gsm8k"},
        ),
        (
            "Qwen2.5 and Mixtral-8x7B with LoRA",
            {"qwen2.5", "qwen", "mixtral-8x7b", "mixtral", "lora"},
        ),
        ("LLMs and VLMs", {"llm", "vlm"}),  # a plural acronym is the acronym
        ("T5 in 3D", {"t5"}),  # 3D is a dimension, not a name
    ],
)
def test_names_are_found_as_written(text, names):
    assert names <= entities("", text), entities("", text)


@pytest.mark.parametrize(
    "text",
    [
        "Fractal Generative Models: Scaling Clustering for Tracking",  # a title's capitals
        "Parameter-Efficient Fine-Tuning of Low-Rank Adapters",  # capitalised compounds
        "As Table 3 and Version 2 show, in Section 4",  # a common word before a number
        "the μ-parametrisation and AI at 2023 with 1.5x in 3D",  # symbols, numbers, 3D
    ],
)
def test_words_symbols_and_numbers_are_not_names(text):
    assert entities(text, text) == frozenset(), entities(text, text)


TEXTS = [
    ("Math in 7B models", "Llama models reach 80% on GSM8K and MATH already."),
    ("Entropy-based self-training", "We weigh self-generated data; GSM8K and MATH gain."),
    ("Galaxy clustering with DESI", "Clustering of galaxies in the DESI survey."),
    ("Semidefinite clustering", "Clustering by semidefinite programs with a likelihood."),
    ("A model on GSM8K", "A method evaluated on GSM8K only."),
]


def test_papers_sharing_two_rare_names_are_candidates_and_one_common_word_is_not():
    found = Entities([*TEXTS, *[(f"Filler {i}", "Plain words only.") for i in range(195)]])
    near = found.nearest(6, 6.0, [f"p{i:03}" for i in range(200)])
    assert near[0] == [1] and near[1] == [0]  # GSM8K and MATH
    assert near[2] == [] and near[3] == []  # "clustering" is a word, not a name
    # One shared name is not enough at this weight: GSM8K alone ties paper 4 to nobody.
    assert near[4] == []
    assert set(found.shared(0, 1).names) == {"gsm8k", "math"}
    assert found.shared(2, 3).weight == 0.0


def test_a_name_most_papers_write_ties_nobody():
    """'LLM' in a fifth of the papers says nothing about a shared problem."""
    texts = [("An LLM paper", "LLMs and Llama-2 on MMLU.")] * 2 + [
        ("Another LLM paper", f"LLMs, number {i}.") for i in range(18)
    ]
    found = Entities(texts + [(f"Filler {i}", "Plain words.") for i in range(80)])
    assert "llm" not in found.column
    assert set(found.shared(0, 1).names) == {"llama", "mmlu"}  # llama-2's family once


def test_candidates_do_not_depend_on_where_a_paper_sits():
    texts = [*TEXTS, ("Also GSM8K and MATH", "GSM8K and MATH again.")]
    texts += [(f"Filler {i}", "Plain words.") for i in range(194)]
    ids = [f"p{i:03}" for i in range(len(texts))]
    order = list(reversed(range(len(texts))))
    forward = Entities(texts).nearest(6, 6.0, ids)
    backward = Entities([texts[i] for i in order]).nearest(6, 6.0, [ids[i] for i in order])
    by_id = {ids[order[i]]: [ids[order[j]] for j in near] for i, near in backward.items()}
    assert {ids[i]: [ids[j] for j in near] for i, near in forward.items()} == by_id


def test_a_name_is_shown_as_a_text_writes_it():
    texts = ["Strong Math Capabilities", "on GSM8K and MATH", "we use Llama 3 and LLMs"]
    assert as_written("math", texts) == "MATH"  # the benchmark, not the title's word
    assert as_written("llama-3", texts) == "Llama 3"
    assert as_written("llm", texts) == "LLMs"


def test_a_candidate_found_by_name_is_scored_as_the_model_scores_it():
    """Its score is the model's blended cosine, exactly (one product for all pairs)."""
    import numpy as np

    from generator.analyse.related.incremental import _scores, fold_in, pair_scores
    from generator.analyse.related.model import fit
    from generator.model import Appearance, Paper

    words = "mixture experts routing gsm8k math lora adapters pruning sparse tokens".split()
    rng = np.random.default_rng(3)
    texts = [(" ".join(rng.choice(words, 3)), " ".join(rng.choice(words, 20))) for _ in range(80)]
    model = fit(texts)
    at = (Appearance("a.txt", 1, 1),)
    vectors = fold_in(model, [Paper(f"p{i}", t, a, at) for i, (t, a) in enumerate(texts)])
    pairs = [(0, 1), (5, 79), (40, 2), (3, 3)]
    expected = [float(_scores(vectors, np.array([i]), np.array([j]))[0, 0]) for i, j in pairs]
    assert pair_scores(vectors, pairs) == expected
    assert pair_scores(vectors, []) == []
