"""Tag profiles (generator/curate/profiles.py): a weak tag gives way when its paper reads
unlike the tag's sure papers; nothing else changes."""

from __future__ import annotations

import numpy as np

from generator.curate import profiles
from generator.model import Appearance, Paper

OPTIMISER_WORDS = [
    "adaptive moment estimation with decoupled weight decay",
    "momentum and nesterov acceleration of stochastic gradient descent",
    "learning rate warmup and cosine schedules for adam",
    "second order preconditioning with shampoo and kfac curvature",
    "gradient clipping and adaptive step sizes for stable descent",
    "sign based updates and lion style momentum descent",
]
GRAPH_WORDS = [
    "message passing over graph nodes and edges",
    "graph neural networks aggregate neighbourhood features",
    "node classification and link prediction on citation graphs",
    "oversmoothing in deep graph convolution layers",
    "graph attention weights neighbouring nodes",
    "spectral graph filters and laplacian eigenvectors",
]


def paper(pid: str, title: str, abstract: str, tags: tuple[str, ...]) -> Paper:
    return Paper(pid, title, abstract, (Appearance("a.txt", 1, 1),), tags=tags)


def corpus() -> list[Paper]:
    """Six papers each that the rules are sure of, for two tags with their own words."""
    sure = [
        paper(f"opt-{i}", f"Optimizer study {i}", words + " descent momentum adam", ("optimizers",))
        for i, words in enumerate(OPTIMISER_WORDS)
    ]
    sure += [
        paper(f"graph-{i}", f"Graph study {i}", words + " graph nodes message", ("graphs",))
        for i, words in enumerate(GRAPH_WORDS)
    ]
    # Papers on other things, so that neither topic's words are in most papers.
    sure += [
        paper(f"other-{i}", f"Other study {i}", f"protein folding {i} weather climate", ("other",))
        for i in range(12)
    ]
    return sure


ASIDE = paper(  # a graph paper that names a learning rate twice: optimizers is weak
    "aside",
    "Deeper Message Passing",
    "Graph neural networks pass messages between graph nodes; we fix oversmoothing of node "
    "features. The learning rate and the learning rate schedule are the usual ones.",
    ("graphs", "optimizers"),
)
NEAR = paper(  # an optimiser paper whose optimizers tag is weak: it reads like the others
    "near",
    "Warmup Without Tears",
    "Adam with momentum and nesterov acceleration: warmup and cosine learning rate schedules "
    "for stochastic gradient descent, with adaptive step sizes.",
    ("optimizers", "graphs"),
)
ALONE = paper(  # a weak tag far from its profile, but the paper's only tag
    "alone",
    "Node Features",
    "Graph attention over neighbouring nodes; a learning rate is tuned.",
    ("optimizers",),
)
WEAK = {"aside": {"optimizers"}, "near": {"optimizers"}, "alone": {"optimizers"}}


def weak(p: Paper) -> frozenset[str]:
    return frozenset(WEAK.get(p.id, ()))


def tags_after(papers: list[Paper]) -> dict[str, tuple[str, ...]]:
    return {p.id: p.tags for p in profiles.settle(papers, weak)}


def test_a_weak_tag_far_from_its_sure_papers_gives_way():
    after = tags_after([*corpus(), ASIDE, NEAR, ALONE])
    assert after["aside"] == ("graphs",)  # reads like the graph papers, not the optimisers
    assert after["near"] == ("optimizers", "graphs")  # reads like the optimiser papers
    assert after["alone"] == ("optimizers",)  # never left untagged


def test_sure_tags_and_a_curators_tags_are_never_questioned():
    # The same paper, its optimizers tag sure (a title match, or a curator's): it stays.
    sure = paper(ASIDE.id.replace("aside", "sure"), ASIDE.title, ASIDE.abstract, ASIDE.tags)
    assert tags_after([*corpus(), sure])["sure"] == ("graphs", "optimizers")


def test_a_tag_with_too_few_sure_papers_has_no_profile():
    few = [p for p in corpus() if not p.id.startswith("opt-")][: profiles.MIN_SURE]
    few += [p for p in corpus() if p.id.startswith("opt-")][: profiles.MIN_SURE - 1]
    assert tags_after([*few, ASIDE])["aside"] == ("graphs", "optimizers")


def test_settling_does_not_depend_on_the_order_of_the_papers():
    papers = [*corpus(), ASIDE, NEAR, ALONE]
    forward = profiles.settle(papers, weak)
    backward = profiles.settle(papers[::-1], weak)
    assert [p.id for p in forward] == [p.id for p in papers]  # the input order is kept
    assert {p.id: p.tags for p in forward} == {p.id: p.tags for p in backward}


def test_a_large_tag_is_compared_with_a_sample_that_a_new_paper_barely_moves():
    ids = [f"paper-{i}" for i in range(3 * profiles.MAX_SAMPLE)]
    everyone = np.arange(len(ids))
    sample = profiles._sample(everyone, ids)
    assert len(sample) == profiles.MAX_SAMPLE and list(sample) == sorted(sample)
    grown = profiles._sample(np.arange(len(ids) + 1), [*ids, "paper-new"])
    assert len(set(sample) - set(grown)) <= 1  # the newcomer takes at most one place
    few = everyone[: profiles.MAX_SAMPLE]
    assert list(profiles._sample(few, ids)) == list(few)
