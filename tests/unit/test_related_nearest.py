"""Every paper's top k, each pair scored once (generator/analyse/related/incremental.py,
``_everyones_nearest``): the same lists, scores to the bit, as scoring each row against
every paper — with ties (a tie goes to the smaller id, wherever the paper sits), papers
with fewer than k positive scores, blocks of any size and a catalogue smaller than k."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from generator.analyse.related.incremental import (
    LATENT_SCALE,
    TERM_SCALE,
    Vectors,
    _scores,
    _scores_from,
    nearest,
)


def _vectors(n: int, seed: int, latent: bool = True) -> Vectors:
    """Few terms with few values, so that many pairs score exactly the same; ids in an
    order unlike the rows' (a tie must go by id, not by position)."""
    random = np.random.default_rng(seed)
    matrix = sparse.random(n, 30, density=0.08, random_state=seed, format="csr")
    matrix.data = np.rint(random.integers(1, 4, size=matrix.nnz) * TERM_SCALE / 4.0)
    lat = np.rint(random.integers(-2, 3, size=(n, 4)) * LATENT_SCALE / 4.0) if latent else None
    keep = np.ones(n)
    keep[:5] = 0  # three papers with no terms, and two with a term of their own only
    matrix = sparse.csr_matrix(sparse.diags(keep) @ matrix)
    own = sparse.csr_matrix(([TERM_SCALE, TERM_SCALE], ([3, 4], [0, 0])), shape=(n, 1))
    matrix = sparse.hstack([matrix, own], format="csr")
    matrix.eliminate_zeros()
    if lat is not None:
        lat[:5] = 0
    ids = [f"p{(i * 37) % 1009:04}" for i in range(n)]
    return Vectors(ids, matrix, lat, [], [])


@pytest.mark.parametrize(("n", "k", "block"), [(150, 6, 256), (150, 6, 37), (97, 3, 8), (40, 6, 7)])
@pytest.mark.parametrize("latent", [True, False])
def test_each_pair_scored_once_gives_every_rows_own_top_k(n, k, block, latent):
    vectors = _vectors(n, seed=n + k, latent=latent)
    once = nearest(vectors, k, block)
    row_by_row = nearest(vectors, k, block, rows=range(n))  # each row against all
    assert once == row_by_row
    scores = [s for top in once.values() for _, s in top]
    assert len(scores) > len(set(scores))  # ties were there to break
    assert once[0] == []  # no positive score: no list
    assert [j for j, _ in once[3]] == [4]  # one: a list shorter than k


def test_the_transposed_block_scores_are_the_blocks_scores_bit_for_bit():
    vectors = _vectors(120, seed=4)
    for start, end in ((0, 50), (40, 77), (119, 120)):
        rows = np.arange(start, end)
        expected = _scores(vectors, rows, np.arange(start, 120))
        assert _scores_from(vectors, start, end).T.tobytes() == expected.tobytes()


def test_a_single_paper_has_no_neighbours():
    one = sparse.csr_matrix(np.full((1, 3), float(TERM_SCALE)))
    assert nearest(Vectors(["p"], one, np.ones((1, 2)) * LATENT_SCALE, [], [])) == {0: []}
