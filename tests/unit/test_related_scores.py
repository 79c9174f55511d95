"""The related scores of a block are worked out in place (issue 31: the worker's peak
memory, two rows x papers arrays a block instead of seven): bit for bit the numbers the
expression ``(1 - w) * terms + w * latent / scale`` gives, so the lists, the kept state
and every incremental result stay exactly what they were."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from generator.analyse.related.incremental import (
    DECIMALS,
    LATENT_SCALE,
    LSA_WEIGHT,
    TERM_SCALE,
    Vectors,
    _scores,
)


def written_out(vectors: Vectors, rows, cols=None) -> np.ndarray:
    m = vectors.matrix
    other = m if cols is None else m[cols]
    s = (m[rows] @ other.T).toarray() / TERM_SCALE**2
    if vectors.latent is not None:
        lat = vectors.latent if cols is None else vectors.latent[cols]
        s = (1 - LSA_WEIGHT) * s + LSA_WEIGHT * (vectors.latent[rows] @ lat.T) / LATENT_SCALE**2
    return np.round(s, DECIMALS)


def test_block_scores_are_bit_for_bit_the_written_out_expression():
    random = np.random.default_rng(0)
    n, terms, dims = 120, 400, 16
    matrix = sparse.random(n, terms, density=0.05, random_state=1, format="csr")
    matrix.data = np.rint(matrix.data * TERM_SCALE)  # integers on the grid, as fold_in makes
    latent = np.rint(random.normal(size=(n, dims)) * LATENT_SCALE / 4)
    rows, cols = np.arange(10, 60), np.array([3, 7, 11, 50, 90])
    for vectors in (
        Vectors([str(i) for i in range(n)], matrix, latent, [], []),
        Vectors([str(i) for i in range(n)], matrix, None, [], []),
    ):
        for found, expected in (
            (_scores(vectors, rows), written_out(vectors, rows)),
            (_scores(vectors, rows, cols), written_out(vectors, rows, cols)),
        ):
            assert found.any()
            assert found.tobytes() == expected.tobytes()
