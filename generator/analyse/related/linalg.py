"""The linear algebra of the related model, on NumPy and SciPy alone.

Row normalisation and a truncated SVD are all the related model used of scikit-learn,
and importing scikit-learn was a large share of every cold build (it pulls in
``scipy.stats`` and more), more than the maths itself took. ``normalize_rows`` is
scikit-learn 1.9's ``normalize`` (l2), step for step. The SVD is exact for a basis of
up to :data:`EXACT_SIDE` texts (the eigenvectors of its Gram matrix), and beyond it
``TruncatedSVD(algorithm="randomized")`` step for step — the algorithm of Halko,
Martinsson and Tropp (2011), with LU-normalised power iterations.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

POWER_ITERATIONS = 5  # TruncatedSVD's default
OVERSAMPLES = 10  # extra random directions, so the top ``dims`` are found accurately
# Up to this many rows or columns on its smaller side, a matrix's SVD is computed exactly.
# The exact SVD's cost grows as n cubed: below this it is faster than the randomized one,
# well past it slower (measured on synthetic bases: benchmarks/README.md).
EXACT_SIDE = 2048
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


def truncated_svd(
    matrix: sparse.spmatrix, dims: int, seed: int = 0, exact_up_to: int = EXACT_SIDE
) -> np.ndarray:
    """The top ``dims`` right singular vectors of ``matrix`` (``dims`` x columns), each
    signed so that its largest entry in absolute value is positive.

    Exact when the smaller side has at most ``exact_up_to`` entries; else randomized
    (``seed``). On the real catalogue's basis the exact vectors were faster than the
    randomized ones, which spanned only part of the exact subspace: past the first few,
    the singular values are nearly equal, which power iterations separate slowly."""
    if min(matrix.shape) <= exact_up_to:
        components = _exact_svd(matrix, dims)
    else:
        components = _randomized_svd(matrix, dims, seed)
    # The sign of a singular vector is arbitrary: fix it by the largest entry.
    largest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(dims), largest])
    return components * signs[:, np.newaxis]


def _exact_svd(matrix: sparse.spmatrix, dims: int) -> np.ndarray:
    """The top right singular vectors from the eigenvectors of the Gram matrix of the
    smaller side (n x n, dense: its cost grows as n cubed, hence :data:`EXACT_SIDE`)."""
    wide = matrix.shape[0] < matrix.shape[1]
    gram = matrix @ matrix.T if wide else matrix.T @ matrix
    gram = gram.toarray() if sparse.issparse(gram) else np.asarray(gram)
    # NumPy's eigh (all of them: as fast here as SciPy's for the top ones, and SciPy's
    # linalg is more of the import a cold build waits for).
    _, vectors = np.linalg.eigh(gram)
    vectors = vectors[:, : -dims - 1 : -1]  # the largest first (eigh gives the smallest)
    # In rows, as the caller reads them (a transposed view made the sign step far slower).
    if not wide:
        return np.ascontiguousarray(vectors.T)
    # A left singular vector u gives the right one as A^T u / s: scaled to unit length
    # instead of divided by s (a zero singular value leaves a zero row, not noise).
    return normalize_rows(np.ascontiguousarray((matrix.T @ vectors).T))


def _randomized_svd(matrix: sparse.spmatrix, dims: int, seed: int) -> np.ndarray:
    """scikit-learn's ``randomized_svd``, its right singular vectors unsigned."""
    from scipy import linalg  # only for a large basis (see _exact_svd)

    m = matrix.T if matrix.shape[0] < matrix.shape[1] else matrix  # the smaller side
    random = np.random.RandomState(seed)
    q = random.normal(size=(m.shape[1], dims + OVERSAMPLES))
    for _ in range(POWER_ITERATIONS):
        q, _ = linalg.lu(m @ q, permute_l=True, check_finite=False)
        q, _ = linalg.lu(m.T @ q, permute_l=True, check_finite=False)
    q, _ = linalg.qr(m @ q, mode="economic", check_finite=False)
    u_small, _, vt = linalg.svd(q.T @ m, full_matrices=False, lapack_driver="gesdd")
    # Of the transpose, the left singular vectors are the ones wanted.
    return vt[:dims] if m is matrix else (q @ u_small)[:, :dims].T
