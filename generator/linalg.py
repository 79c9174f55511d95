"""The linear algebra of the related model, on NumPy and SciPy alone.

Row normalisation and a randomized truncated SVD are all the related model used of
scikit-learn, and importing scikit-learn cost 0.6 s of every cold build (it pulls in
``scipy.stats`` and more), more than the maths itself took at 720 papers. These are
the same computations, step for step, as scikit-learn 1.9's ``normalize`` (l2) and
``TruncatedSVD(algorithm="randomized")`` — the algorithm of Halko, Martinsson and Tropp
(2011), with LU-normalised power iterations — so a basis gives the same components,
bit for bit, as it did through scikit-learn, and the built site did not change.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse

POWER_ITERATIONS = 5  # TruncatedSVD's default
OVERSAMPLES = 10  # extra random directions, so the top ``dims`` are found accurately
_TINY = 10 * np.finfo(np.float64).eps  # a dense row with a smaller norm is left as is


def normalize_rows(matrix: sparse.csr_matrix | np.ndarray) -> sparse.csr_matrix | np.ndarray:
    """A copy with every row scaled to unit l2 norm; all-zero rows stay zero."""
    if not sparse.issparse(matrix):
        norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
        norms[norms < _TINY] = 1.0
        return matrix / norms[:, np.newaxis]
    out = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
    lengths = np.diff(out.indptr)
    # Each row's sum of squares is added term by term, left to right, as a plain loop
    # would (NumPy's own sums add in pairs, whose last bits differ); vectorised across
    # rows, so the loop runs over positions in a row, not over rows.
    squares = np.zeros(len(lengths))
    for k in range(int(lengths.max(initial=0))):
        rows = np.flatnonzero(lengths > k)
        value = out.data[out.indptr[rows] + k]
        squares[rows] += value * value
    norms = np.sqrt(squares)
    norms[squares == 0.0] = 1.0  # an empty row is left as is
    out.data /= np.repeat(norms, lengths)
    return out


def truncated_svd(matrix: sparse.spmatrix, dims: int, seed: int = 0) -> np.ndarray:
    """The top ``dims`` right singular vectors of ``matrix`` (``dims`` x columns), each
    signed so that its largest entry in absolute value is positive."""
    m = matrix.T if matrix.shape[0] < matrix.shape[1] else matrix  # the smaller side
    random = np.random.RandomState(seed)
    q = random.normal(size=(m.shape[1], dims + OVERSAMPLES))
    for _ in range(POWER_ITERATIONS):
        q, _ = linalg.lu(m @ q, permute_l=True, check_finite=False)
        q, _ = linalg.lu(m.T @ q, permute_l=True, check_finite=False)
    q, _ = linalg.qr(m @ q, mode="economic", check_finite=False)
    u_small, _, vt = linalg.svd(q.T @ m, full_matrices=False, lapack_driver="gesdd")
    # Of the transpose, the left singular vectors are the ones wanted.
    components = vt[:dims] if m is matrix else (q @ u_small)[:, :dims].T
    # The sign of a singular vector is arbitrary: fix it by the largest entry.
    largest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(dims), largest])
    return components * signs[:, np.newaxis]
