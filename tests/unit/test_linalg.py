"""The related model's linear algebra (generator/analyse/related/linalg.py), checked against what it
must compute: unit rows, and the singular vectors of matrices whose SVD is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from generator.analyse.related.linalg import EXACT_SIDE, normalize_rows, truncated_svd


def test_rows_are_scaled_to_unit_length_with_their_sum_added_left_to_right():
    rng = np.random.default_rng(1)
    # rows of 0 to 300 entries over six orders of magnitude: where pairwise sums differ
    dense = rng.lognormal(0, 3, size=(200, 400)) * (rng.random((200, 400)) < 0.4)
    dense[:, : rng.integers(0, 400)] = 0
    dense[7] = 0  # an empty row stays empty
    matrix = sparse.csr_matrix(dense)
    before = matrix.copy()
    out = normalize_rows(matrix)
    assert (matrix != before).nnz == 0  # the input is left alone
    for i in range(matrix.shape[0]):
        row = matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]]
        total = 0.0
        for value in row:  # the plain loop the result must equal, bit for bit
            total += value * value
        expected = row / math.sqrt(total) if total else row
        assert np.array_equal(out.data[out.indptr[i] : out.indptr[i + 1]], expected), i
    assert out[7].nnz == 0
    lengths = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    assert np.allclose(np.delete(lengths, 7), 1.0)


def test_dense_rows_are_scaled_and_zero_rows_kept():
    rows = np.array([[3.0, 4.0], [0.0, 0.0], [1e-300, 0.0]])
    assert np.array_equal(normalize_rows(rows), [[0.6, 0.8], [0.0, 0.0], [1e-300, 0.0]])


def _known_svd(rows: int, cols: int, rank: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """A matrix U diag(s) V^T with orthonormal U, V and distinct s; V^T signed as the
    result must be (the largest entry of each row positive)."""
    rng = np.random.default_rng(rows + cols)
    u, _ = np.linalg.qr(rng.normal(size=(rows, rank)))
    v, _ = np.linalg.qr(rng.normal(size=(cols, rank)))
    s = np.linspace(10.0, 1.0, rank)
    vt = v.T * np.sign(v.T[np.arange(rank), np.argmax(np.abs(v.T), axis=1)])[:, None]
    u = u * np.sign(v.T[np.arange(rank), np.argmax(np.abs(v.T), axis=1)])[None, :]
    return sparse.csr_matrix(u @ np.diag(s) @ vt), vt


@pytest.mark.parametrize("exact_up_to", [EXACT_SIDE, 0], ids=["exact", "randomized"])
@pytest.mark.parametrize("shape", [(60, 500), (500, 60)], ids=["wide", "tall"])
def test_truncated_svd_finds_the_top_singular_vectors_signed_by_their_largest_entry(
    shape, exact_up_to
):
    matrix, vt = _known_svd(*shape, rank=12)
    components = truncated_svd(matrix, 5, exact_up_to=exact_up_to)
    assert components.shape == (5, shape[1])
    assert np.allclose(components, vt[:5], atol=1e-8)
    again = truncated_svd(matrix, 5, exact_up_to=exact_up_to)
    assert np.array_equal(components, again)  # the same, every time


def test_the_exact_svd_finds_what_a_few_power_iterations_miss():
    """Singular values that fall slowly (as in a basis of abstracts, past the first few)
    are where the randomized SVD is approximate; the exact one still finds them."""
    rng = np.random.default_rng(3)
    u, _ = np.linalg.qr(rng.normal(size=(300, 80)))
    v, _ = np.linalg.qr(rng.normal(size=(2000, 80)))
    s = np.linspace(1.2, 1.0, 80)  # a flat tail: the top 40 barely stand out
    matrix = sparse.csr_matrix(u @ np.diag(s) @ v.T)
    top = v.T[:40]

    def overlap(components: np.ndarray) -> float:  # 1.0: the same subspace
        return float(np.linalg.norm(components @ top.T) ** 2 / 40)

    assert overlap(truncated_svd(matrix, 40)) > 0.999
    assert overlap(truncated_svd(matrix, 40, exact_up_to=0)) < 0.99
