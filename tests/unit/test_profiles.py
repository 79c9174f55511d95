"""Tag profiles (generator/curate/profiles.py): a weak tag gives way when its paper reads
unlike the tag's sure papers; nothing else changes."""

from __future__ import annotations

import numpy as np
from scipy import sparse

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


def strings_numbered(texts) -> sparse.csr_matrix:
    """The TF-IDF rows as the profiles made them before their terms were kept: each term
    numbered as it comes, by its string (the reference the kept digests must equal)."""
    number: dict[str, int] = {}
    cols, counts = [], []
    for text in texts:
        ids = np.fromiter((number.setdefault(t, len(number)) for t in text), np.int32, len(text))
        distinct, times = np.unique(ids, return_counts=True)
        cols.append(distinct)
        counts.append(times.astype(np.int32))
    n = len(cols)
    rows = np.repeat(np.arange(n, dtype=np.int32), [len(c) for c in cols])
    col, count = np.concatenate(cols), np.concatenate(counts)
    df = np.bincount(col, minlength=max(len(number), 1))
    use = ((df >= 2) & (df <= profiles.MAX_DF * n))[col]
    weight = (1 + np.log(count[use])) * np.log(n / df[col[use]])
    x = sparse.csr_matrix((weight, (rows[use], col[use])), shape=(n, max(len(number), 1)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ x)


def same_matrix(a: sparse.csr_matrix, b: sparse.csr_matrix) -> bool:
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and a.data.tobytes() == b.data.tobytes()  # to the last bit
    )


def test_the_counted_terms_give_the_matrix_the_strings_numbered_as_they_come_give():
    from conftest import computed_real_catalogue

    papers = sorted(computed_real_catalogue().papers, key=lambda p: p.id)
    texts = [profiles.terms(p) for p in papers]
    assert same_matrix(profiles.vectors(texts), strings_numbered(texts))
    # each paper's counted terms read in any build give the same: a paper added among
    # them takes its own place in the numbering
    kept = [profiles.paper_terms(p) for p in papers]
    assert same_matrix(profiles.counted_vectors(kept), strings_numbered(texts))
    assert profiles.counted_vectors([]).shape == (0, 1)


def test_the_terms_kept_by_a_build_give_the_next_build_what_a_fresh_count_gives(
    tmp_path, monkeypatch
):
    """Each paper's counted terms are kept by its title and abstract: after a paper
    goes, one comes and an abstract is edited (at its end), the settled tags and the
    matrix are those of a count from nothing, and only the new texts are counted."""
    from dataclasses import replace

    from conftest import computed_real_catalogue

    from generator.curate import cached
    from generator.curate.cached import ProfileTerms
    from generator.infra.cache import Cache

    real = sorted(computed_real_catalogue().papers, key=lambda p: p.id)
    cache = Cache(tmp_path / "cache", secret=b"k" * 32)
    first = real[:120]
    kept = ProfileTerms(cache)
    assert profiles.settle(first, weak_of(first), kept) == profiles.settle(first, weak_of(first))
    kept.save()
    second = [*first[1:], real[120]]
    second[0] = replace(second[0], abstract=second[0].abstract + " Now with sparse kernels.")
    counted = []
    count = profiles.paper_terms
    monkeypatch.setattr(cached, "paper_terms", lambda p: counted.append(p.id) or count(p))
    kept = ProfileTerms(cache)
    settled = profiles.settle(second, weak_of(second), kept)
    monkeypatch.undo()
    assert settled == profiles.settle(second, weak_of(second))
    assert sorted(counted) == sorted([second[0].id, real[120].id])
    again = profiles.counted_vectors([kept(p) for p in second])
    assert same_matrix(again, strings_numbered([profiles.terms(p) for p in second]))


def weak_of(papers: list[Paper]):
    """Every paper's tags but its first weak: something for the profiles to settle."""
    weak = {p.id: frozenset(p.tags[1:]) for p in papers}
    return lambda p: weak[p.id]
