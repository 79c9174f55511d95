"""t-SNE in NumPy and SciPy: rows of numbers laid out in the plane, neighbours kept near.

The map of the catalogue (:mod:`generator.analyse.atlas`) needs a few thousand points
at most, where the exact gradient (every pair of points, in blocks of rows) costs
about what a Barnes–Hut tree does, and needs nothing the build's worker has not
imported already: openTSNE, which this replaces, imported scikit-learn and SciPy's
statistics on every cold build, more time than its layout took.

The steps are openTSNE's (and van der Maaten's): affinities from each point's nearest
neighbours by cosine distance, a Gaussian per point whose width gives the perplexity;
a PCA start, scaled small; gradient descent with momentum and per-coordinate gains,
an early phase with the attraction exaggerated, step lengths capped. Nothing is
random, and every sum runs in a fixed order on one thread, so the same rows give the
same points.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

BLOCK = 64  # rows of the pairwise matrices at once: a block stays in the CPU cache
EXAGGERATION = 12.0  # the early phase's, as openTSNE's default
MOMENTUM = 0.8
MAX_STEP = 5.0  # a point moves at most this far in one step (openTSNE's default)
MIN_GAIN = 0.01
START_SPREAD = 1e-4  # the PCA start's standard deviation along its first axis
BISECTIONS = 64  # per-point Gaussian widths found by bisection to this many halvings


def embed(rows: np.ndarray, perplexity: float, early_steps: int, steps: int) -> np.ndarray:
    """``rows`` (n × d, no row all zeros) as n points in two dimensions."""
    n = len(rows)
    attraction = Attraction(affinities(rows, perplexity))
    points = pca_start(rows)
    points = descend(points, attraction, early_steps, EXAGGERATION, n / EXAGGERATION)
    return descend(points, attraction, steps, 1.0, float(n))


def affinities(rows: np.ndarray, perplexity: float) -> sp.csr_matrix:
    """The joint probabilities P (symmetric, summing to one) over each point's
    3 × perplexity nearest neighbours by cosine distance."""
    n = len(rows)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    k = min(n - 1, int(3 * perplexity))
    near = np.empty((n, k), dtype=np.int64)
    distance = np.empty((n, k))
    for start in range(0, n, BLOCK):
        block = np.clip(1.0 - unit[start : start + BLOCK] @ unit.T, 0.0, None)
        block[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf  # self
        nearest = np.argpartition(block, k - 1, axis=1)[:, :k]
        near[start : start + BLOCK] = nearest
        distance[start : start + BLOCK] = np.take_along_axis(block, nearest, axis=1)
    squared = distance**2
    squared -= squared.min(axis=1, keepdims=True)  # the same widths, no underflow
    conditional = _gaussians(squared, np.log(perplexity))
    indptr = np.arange(0, n * k + 1, k)
    p = sp.csr_matrix((conditional.ravel(), near.ravel(), indptr), shape=(n, n))
    p = (p + p.T).tocsr()
    p.sort_indices()
    p.data /= p.data.sum()
    return p


def _gaussians(squared: np.ndarray, entropy: float) -> np.ndarray:
    """Each row's weights exp(-beta d²), normalised, with beta bisected (all rows at
    once) until the row's entropy is ``entropy`` (the log of the perplexity)."""
    n = len(squared)
    low, high, beta = np.zeros(n), np.full(n, np.inf), np.ones(n)
    for _ in range(BISECTIONS):
        weights = np.exp(-squared * beta[:, None])
        total = weights.sum(axis=1)
        found = np.log(total) + beta * (squared * weights).sum(axis=1) / total
        wide = found > entropy  # too flat: narrow it
        low = np.where(wide, beta, low)
        high = np.where(wide, high, beta)
        beta = np.where(np.isinf(high), beta * 2, (low + high) / 2)
    weights = np.exp(-squared * beta[:, None])
    return weights / weights.sum(axis=1, keepdims=True)


def pca_start(rows: np.ndarray) -> np.ndarray:
    """The rows' first two principal components, signs fixed (each axis's largest
    coordinate positive: an SVD may return either), scaled to a small spread."""
    centred = rows - rows.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    points = u[:, :2] * s[:2]
    points *= np.sign(points[np.abs(points).argmax(axis=0), [0, 1]])
    return points / max(float(np.std(points[:, 0])), 1e-12) * START_SPREAD


class Attraction:
    """The attractive forces along P's edges: sum_j p_ij w_ij (y_i - y_j), with the
    Student-t kernel w_ij = 1 / (1 + |y_i - y_j|²), as two sparse products."""

    def __init__(self, p: sp.csr_matrix):
        self.matrix = p.copy()
        self.p = p.data.copy()
        self.rows = np.repeat(np.arange(p.shape[0]), np.diff(p.indptr))
        self.cols = p.indices

    def forces(self, points: np.ndarray, exaggeration: float) -> np.ndarray:
        x, y = points[:, 0], points[:, 1]
        dx = x[self.rows] - x[self.cols]
        dy = y[self.rows] - y[self.cols]
        self.matrix.data = self.p * exaggeration / (1.0 + dx * dx + dy * dy)
        total = np.asarray(self.matrix.sum(axis=1)).ravel()
        return total[:, None] * points - self.matrix @ points


def repulsion(points: np.ndarray) -> np.ndarray:
    """The repulsive forces, exactly: sum_j w_ij² (y_i - y_j) / Z over every pair,
    Z = sum of w_ij over pairs. The pairwise matrix in single precision, a block of
    rows at a time (the forces summed in double)."""
    n = len(points)
    single = points.astype(np.float32)
    squares = (single * single).sum(axis=1)
    forces = np.empty_like(points)
    z = 0.0
    for start in range(0, n, BLOCK):
        end = min(start + BLOCK, n)
        w = single[start:end] @ single.T
        w *= -2.0
        w += squares[start:end, None]
        w += squares[None, :]
        w += 1.0
        np.reciprocal(w, out=w)
        w[np.arange(end - start), np.arange(start, end)] = 0.0  # no force on itself
        z += float(w.sum(dtype=np.float64))
        w *= w
        forces[start:end] = w.sum(axis=1, dtype=np.float64)[:, None] * points[start:end]
        forces[start:end] -= w @ single
    return forces / z


def descend(
    points: np.ndarray, attraction: Attraction, steps: int, exaggeration: float, rate: float
) -> np.ndarray:
    """``steps`` of gradient descent with momentum, gains and capped steps."""
    update = np.zeros_like(points)
    gains = np.ones_like(points)
    for _ in range(steps):
        gradient = attraction.forces(points, exaggeration) - repulsion(points)
        flipped = np.sign(update) != np.sign(gradient)
        gains = np.where(flipped, gains + 0.2, gains * 0.8 + MIN_GAIN)
        update = MOMENTUM * update - rate * gains * gradient
        lengths = np.sqrt((update * update).sum(axis=1))[:, None]
        update = np.where(
            lengths > MAX_STEP, update * (MAX_STEP / np.maximum(lengths, 1e-12)), update
        )
        points = points + update
        points -= points.mean(axis=0)
    return points
