"""Papers folded into the related model, and every paper's top k kept up to date.

**Exact, so cache-proof.** Vectors are quantised to integers and products are
taken in float64, where sums of such integers are exact: a score is the same
number whether it was computed in a block of 512, alone, or in an earlier build.
That lets :func:`related_lists` reuse the previous build's lists (:class:`State`) and
recompute only rows a change can reach, with a result identical to a full
computation — a test compares the two — so a warm build equals a cold one. Each
paper's rows under the model are kept too, by its text (reading every text again
was most of a build that added one listing).

Similarities are computed in row blocks with a per-block top k: memory is
O(block x n), never n x n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from scipy import sparse

from generator.analyse.related.linalg import normalize_rows
from generator.analyse.related.model import Model, Packed, tfidf_rows
from generator.analyse.related.tokens import terms
from generator.infra import keys
from generator.infra.cache import Kept
from generator.infra.forked import in_two
from generator.model import Paper

TOP_K = 6
# From this many papers the worker (:func:`generator.infra.forked.in_two`) makes half of
# every paper's top k and half the links in a copy of itself: below it the copy costs
# more than it saves (benchmarks/README.md, "Round 8").
SPLIT_FROM = 2048
# Share of the score from LSA (latent semantics) rather than shared terms.
LSA_WEIGHT = 0.3
BLOCK = 256
ROWS_KEPT = 4096  # rows a "why" keeps at hand as dicts (Vectors.row)
# Integer grids for the vectors: products of grid values summed over a paper's terms
# stay far below 2**53, so float64 arithmetic on them is exact in any order.
TERM_SCALE = 2**12
LATENT_SCALE = 2**10
DECIMALS = 4
Best = tuple[np.ndarray, np.ndarray]  # each row's k best keys, and their columns


class PaperText(NamedTuple):
    """What relating reads of a paper (all it is sent when it runs in the worker)."""

    id: str
    title: str
    abstract: str
    tags: tuple[str, ...] = ()  # curated: a shared tag is evidence for a link (.evidence)


@dataclass(frozen=True)
class Vectors:
    """Papers folded into a model: integer-valued TF-IDF rows and latent rows."""

    ids: list[str]
    matrix: sparse.csr_matrix  # float64 holding integers on the TERM_SCALE grid
    latent: np.ndarray | None  # float64 holding integers on the LATENT_SCALE grid
    texts: list[tuple[str, str]]  # (title, abstract), for the spellings a "why" shows
    terms: list[str]  # column -> term (stemmed)
    spelled: dict[int, dict[str, str]] = field(default_factory=dict, repr=False)
    rows: dict[int, dict[int, float]] = field(default_factory=dict, repr=False)
    weights: dict[int, dict[int, float]] = field(default_factory=dict, repr=False)

    @cached_property
    def words(self) -> list[tuple[str, ...]]:
        """Column -> the words of its term (a phrase has two), split once."""
        return [tuple(term.split(" ")) for term in self.terms]

    def spellings(self, i: int) -> dict[str, str]:
        """How paper i's text spells each stem: noted when its text was read for its
        rows, else read now (its rows came from the cache, and its "why" is needed)."""
        if i not in self.spelled:
            title, abstract = self.texts[i]
            self.spelled[i] = {**terms(abstract).spellings, **terms(title).spellings}
        return self.spelled[i]

    def row(self, i: int) -> dict[int, float]:
        """Row i as {column: value}: a "why" reads a few rows many times each (one
        read per listed pair), where NumPy's per-call cost outweighed the work. The last
        :data:`ROWS_KEPT` made are kept: every row, in a big catalogue, was a large part of the
        worker's peak memory."""
        found = self.rows.get(i)
        if found is None:
            m = self.matrix
            a, b = m.indptr[i], m.indptr[i + 1]
            found = dict(zip(m.indices[a:b].tolist(), m.data[a:b].tolist(), strict=True))
            if len(self.rows) >= ROWS_KEPT:
                del self.rows[next(iter(self.rows))]  # the one kept longest
            self.rows[i] = found
        return found

    def term_weights(self, i: int) -> dict[int, float]:
        """Paper i's terms' specificity as it spells them, by column, filled by
        :func:`.evidence.evidence` as it meets them; kept for the last :data:`ROWS_KEPT`
        papers, as :meth:`row` keeps rows."""
        found = self.weights.get(i)
        if found is None:
            if len(self.weights) >= ROWS_KEPT:
                del self.weights[next(iter(self.weights))]  # the one kept longest
            found = self.weights[i] = {}
        return found

    def row_key(self, i: int) -> bytes:
        """What row i is, exactly: equal keys, equal scores against everything."""
        m = self.matrix
        a, b = m.indptr[i], m.indptr[i + 1]
        latent = None if self.latent is None else self.latent[i].tobytes()
        return keys.related_row(m.indices[a:b].tobytes(), m.data[a:b].tobytes(), latent)


def fold_in(
    model: Model, papers: Sequence[PaperText | Paper], kept: Kept[Packed] | None = None
) -> Vectors:
    """The papers' rows under ``model``; ``kept`` as in :func:`tfidf_rows`."""
    texts = [(p.title, p.abstract) for p in papers]
    spelled: dict[int, dict[str, str]] = {}
    rows = tfidf_rows(model, texts, kept, spelled)
    latent = None
    if model.components is not None and len(papers):
        latent = normalize_rows(rows[:, model.lsa_columns] @ model.components.T)
        latent *= LATENT_SCALE
        np.rint(latent, out=latent)
    # The rows become the integer matrix in place (they are not read again; a copy of
    # them was a large share of a big catalogue's peak), as the latent rows do above.
    matrix = rows
    np.multiply(matrix.data, TERM_SCALE, out=matrix.data)
    np.rint(matrix.data, out=matrix.data)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return Vectors([p.id for p in papers], matrix, latent, texts, model.terms, spelled)


def refold(
    model: Model, early: Vectors, papers: Sequence[PaperText | Paper], kept: Kept[Packed] | None
) -> Vectors:
    """:func:`fold_in` of ``papers``, taking each row whose text ``early`` (folded into the
    same model) already holds from there: a row is a function of its text alone, so the
    vectors are the ones folding every paper in gives, bit for bit. Only the texts
    ``early`` lacks are read (``kept`` as in :func:`fold_in`)."""
    if not early.ids or not papers:
        return fold_in(model, papers, kept)
    at: dict[tuple[str, str], int] = {}
    for i, text in enumerate(early.texts):
        at.setdefault(text, i)
    texts = [(p.title, p.abstract) for p in papers]
    new = [i for i, text in enumerate(texts) if text not in at]
    fresh = fold_in(model, [papers[i] for i in new], kept) if new else None
    # Each paper's row in the early rows followed by the fresh ones.
    place = {i: len(early.ids) + n for n, i in enumerate(new)}
    order = [place[i] if i in place else at[text] for i, text in enumerate(texts)]
    matrix, latent = early.matrix, early.latent
    if fresh is not None:
        matrix = sparse.vstack((matrix, fresh.matrix), format="csr")
        if latent is not None and fresh.latent is not None:
            latent = np.concatenate((latent, fresh.latent))
    matrix = matrix[order]
    matrix.sort_indices()  # as they were: each row's are taken whole
    # The index type fold_in gives: a row's key (Vectors.row_key) is its bytes.
    matrix.indices = matrix.indices.astype(early.matrix.indices.dtype, copy=False)
    matrix.indptr = matrix.indptr.astype(early.matrix.indptr.dtype, copy=False)
    latent = None if latent is None else latent[order]
    # The spellings noted as texts were read (the rest are read again if a "why" needs them).
    noted = {**early.spelled}
    if fresh is not None:
        noted |= {len(early.ids) + n: found for n, found in fresh.spelled.items()}
    spelled = {i: noted[o] for i, o in enumerate(order) if o in noted}
    return Vectors([p.id for p in papers], matrix, latent, texts, model.terms, spelled)


def _scores(
    vectors: Vectors, rows: np.ndarray, cols: np.ndarray | slice | None = None
) -> np.ndarray:
    """Blended cosines of ``rows`` against ``cols`` (all papers when None), rounded.
    The integer products are exact, so the result does not depend on blocking."""
    m = vectors.matrix
    other = m if cols is None else m[cols]
    # In place, step for step as ``(1 - w) * s + w * latent / scale``: the same numbers,
    # but a block holds two rows x papers arrays at once, not seven (each grows with the
    # catalogue; benchmarks/README.md, "The worker's peak memory").
    s = (m[rows] @ other.T).toarray()
    s /= TERM_SCALE**2
    if vectors.latent is not None:
        lat = vectors.latent if cols is None else vectors.latent[cols]
        s *= 1 - LSA_WEIGHT
        latent = vectors.latent[rows] @ lat.T
        latent *= LSA_WEIGHT
        latent /= LATENT_SCALE**2
        s += latent
        del latent
    return np.round(s, DECIMALS, out=s)


def pair_scores(vectors: Vectors, pairs: Sequence[tuple[int, int]]) -> list[float]:
    """The blended cosine of each pair, exactly as :func:`nearest` scores it (for
    candidates found another way, :mod:`.entities`)."""
    return pair_parts(vectors, pairs)[1]


def pair_parts(
    vectors: Vectors, pairs: Sequence[tuple[int, int]]
) -> tuple[list[float], list[float]]:
    """Each pair's TF-IDF cosine and its blended cosine (as :func:`nearest` scores it):
    all pairs in one product, since the integer products sum to the same float in any
    order."""
    if not pairs:
        return [], []
    left = np.array([i for i, _ in pairs], dtype=np.int64)
    right = np.array([j for _, j in pairs], dtype=np.int64)
    m = vectors.matrix
    words = np.asarray(m[left].multiply(m[right]).sum(axis=1)).ravel() / TERM_SCALE**2
    s = words
    if vectors.latent is not None:
        latent = np.einsum("ij,ij->i", vectors.latent[left], vectors.latent[right])
        s = (1 - LSA_WEIGHT) * words + LSA_WEIGHT * latent / LATENT_SCALE**2
    rounded = np.round(words, DECIMALS), np.round(s, DECIMALS)
    return [float(x) for x in rounded[0]], [float(x) for x in rounded[1]]


def _top(ids: list[str], scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (index, score) pairs with a positive score; ties go to the smaller id,
    so the order never depends on where a paper sits in the list."""
    ranked = sorted((c for c, s in scores.items() if s > 0), key=lambda c: (-scores[c], ids[c]))
    return [(c, scores[c]) for c in ranked[:k]]


def nearest(
    vectors: Vectors, k: int = TOP_K, block: int = BLOCK, rows: Sequence[int] | None = None
) -> dict[int, list[tuple[int, float]]]:
    """For each of ``rows`` (all by default), its k most similar other rows."""
    if rows is None:
        return _everyones_nearest(vectors, k, block // 2)
    n = vectors.matrix.shape[0]
    rows = list(rows)
    result: dict[int, list[tuple[int, float]]] = {}
    for start in range(0, len(rows), block):
        chunk = np.asarray(rows[start : start + block], dtype=np.int64)
        scores = _scores(vectors, chunk)
        scores[np.arange(len(chunk)), chunk] = -1.0  # not itself
        take = min(k, n - 1)
        for r, i in enumerate(chunk):
            if take <= 0:
                result[int(i)] = []
                continue
            row = scores[r]
            # Every column scoring at least the k-th best, then ranked exactly.
            kth = -np.partition(-row, take - 1)[take - 1]
            cand = np.flatnonzero(row >= kth) if kth > 0 else np.flatnonzero(row > 0)
            result[int(i)] = _top(vectors.ids, {int(c): float(row[c]) for c in cand}, k)
    return result


def _scores_from(vectors: Vectors, start: int, end: int) -> np.ndarray:
    """:func:`_scores` of rows ``start:end`` against every row from ``start`` on,
    transposed (a row per paper from ``start``, a column per block row), step for step
    the same numbers. Transposed so that only the block is turned for the product: the
    rows from ``start`` on are read as they are stored (turning them for every block was
    a third of the products' time)."""
    m = vectors.matrix
    first = m.indptr[start]
    after = sparse.csr_matrix(
        (m.data[first:], m.indices[first:], m.indptr[start:] - first),
        shape=(m.shape[0] - start, m.shape[1]),
    )
    s = (after @ m[start:end].T.tocsr()).toarray()
    s /= TERM_SCALE**2
    if vectors.latent is not None:
        s *= 1 - LSA_WEIGHT
        latent = vectors.latent[start:] @ vectors.latent[start:end].T
        latent *= LSA_WEIGHT
        latent /= LATENT_SCALE**2
        s += latent
        del latent
    return np.round(s, DECIMALS, out=s)


def _everyones_nearest(vectors: Vectors, k: int, block: int) -> dict[int, list[tuple[int, float]]]:
    """Every row's k most similar other rows, as :func:`nearest` ranks them, each pair
    scored once: a score is the same number both ways round (its products are exact), so
    a block of rows is scored only against itself and the rows after it, and each later
    row takes its best of the block from the same scores, read by column. The products
    against every paper grow with the square of the catalogue; this halves their
    arithmetic (the time less so: benchmarks/README.md, issue 31's round 7).

    Ranked by an exact key per candidate, ``score * 10**DECIMALS * n - rank`` (the rank of
    the other paper's id: a tie goes to the smaller id, as in :func:`_top`), integers held
    in float64 well below 2**53; each row keeps its k best keys as blocks go by."""
    n = vectors.matrix.shape[0]
    if n < 2 or k <= 0:
        return {i: [] for i in range(n)}
    rank = np.empty(n)
    rank[sorted(range(n), key=vectors.ids.__getitem__)] = np.arange(n)
    grid = 10.0**DECIMALS  # a rounded score times this is an integer

    def keep(best: Best, into: slice, keys: np.ndarray, cols: np.ndarray) -> None:
        """Rows ``into`` keep their k best of their kept keys and ``keys`` (at ``cols``)."""
        keys = np.concatenate((best[0][into], keys), axis=1)
        cols = np.concatenate((best[1][into], cols), axis=1)
        top = np.argpartition(keys, keys.shape[1] - k, axis=1)[:, keys.shape[1] - k :]
        best[0][into] = np.take_along_axis(keys, top, axis=1)
        best[1][into] = np.take_along_axis(cols, top, axis=1)

    def top_k(keys: np.ndarray, axis: int) -> np.ndarray:
        """Where each row's (axis 1) or column's (axis 0) k largest keys are."""
        size = keys.shape[axis]
        if size <= k:
            shape = (keys.shape[0], size) if axis else (size, keys.shape[1])
            return np.indices(shape)[axis]
        found = np.argpartition(keys, size - k, axis=axis)
        return found[:, size - k :] if axis else found[size - k :]

    def scan(starts: Sequence[int]) -> Best:
        """Each row's k best keys (and their columns) of the pairs the blocks at
        ``starts`` score: each pair is scored by one block only."""
        best = (np.full((n, k), -np.inf), np.zeros((n, k), dtype=np.int64))
        for start in starts:
            end = min(n, start + block)
            # In place, one array: the integer score, then each side's key from it. Rows
            # are the papers from ``start`` on, columns the block's.
            q = _scores_from(vectors, start, end)
            q *= grid
            np.rint(q, out=q)
            q[q <= 0] = -np.inf  # only a positive score is a candidate
            q[np.arange(end - start), np.arange(end - start)] = -np.inf  # not itself
            q *= n
            q -= rank[start:, np.newaxis]  # the block's keys: by the other paper's id
            at = top_k(q, axis=0)
            keep(best, slice(start, end), np.take_along_axis(q, at, axis=0).T, at.T + start)
            if end == n:
                continue
            q += rank[start:, np.newaxis]
            q -= rank[np.newaxis, start:end]  # the later papers' keys: by the block's ids
            later = q[end - start :]
            at = top_k(later, axis=1)
            keep(best, slice(end, n), np.take_along_axis(later, at, axis=1), at + start)
            del q, later
        return best

    starts = range(0, n, block)
    if n < SPLIT_FROM:
        best = scan(starts)
    else:
        # Every other block in a copy of this process (a block's work falls with its
        # start): a pair is in one block only, its keys are unique, so the k best of the
        # two halves' k best are the k best of all.
        best, theirs = in_two(scan, [*starts[::2], *starts[1::2]])
        keep(best, slice(0, n), *theirs)
    best_keys, best_at = best
    result: dict[int, list[tuple[int, float]]] = {}
    for i in range(n):
        found = sorted(
            (
                (key, int(c))
                for key, c in zip(best_keys[i], best_at[i], strict=True)
                if key > -np.inf
            ),
            reverse=True,
        )
        # Each score as _scores rounded it: the integer over the grid, the same bits.
        result[i] = [(c, float((key + rank[c]) / n / grid)) for key, c in found]
    return result


@dataclass
class State:
    """One build's related lists, kept for the next: which model, each paper's row
    key, and each paper's top k by id."""

    model_key: str
    rows: dict[str, bytes] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # The "why" of each listed pair, by the digests of the two papers' texts: what it
    # is computed from (with the model), so an unchanged pair's is reused.
    # Each is (evidence weight, reason shown or "" for a link not worth showing).
    whys: dict[tuple[str, str], tuple[float, str]] = field(default_factory=dict)
    k: int = TOP_K  # how deep the lists go: a deeper build cannot reuse a shallower's


def related_lists(
    vectors: Vectors, previous: State | None, model_key: str, k: int = TOP_K
) -> State:
    """Every paper's top k, reusing ``previous`` wherever no change can reach.

    A row is recomputed whole when the paper is new or changed, or when its old list
    held a paper that changed or left; any other row keeps its old list, merged with
    its scores against the changed papers — nothing else's score against it moved.
    """
    ids = vectors.ids
    row_keys = {pid: vectors.row_key(i) for i, pid in enumerate(ids)}
    index = {pid: i for i, pid in enumerate(ids)}
    if previous is None or previous.model_key != model_key or previous.k != k:
        found = nearest(vectors, k)
        lists = {ids[i]: [(ids[j], s) for j, s in top] for i, top in found.items()}
        return State(model_key, row_keys, lists, k=k)
    changed = {pid for pid in ids if previous.rows.get(pid) != row_keys[pid]}
    gone = set(previous.rows) - set(ids)
    touched = changed | gone
    whole = [
        index[pid]
        for pid in ids
        if pid in changed or any(other in touched for other, _ in previous.lists.get(pid, ()))
    ]
    lists = {
        ids[i]: [(ids[j], s) for j, s in top] for i, top in nearest(vectors, k, rows=whole).items()
    }
    rest = [i for i in range(len(ids)) if ids[i] not in lists]
    if rest and changed:
        cols = np.array(sorted(index[pid] for pid in changed), dtype=np.int64)
        for start in range(0, len(rest), BLOCK):
            chunk = np.asarray(rest[start : start + BLOCK], dtype=np.int64)
            scores = _scores(vectors, chunk, cols)
            for r, i in enumerate(chunk):
                old = previous.lists[ids[i]]
                # Only a changed paper scoring at least the old k-th can enter the list
                # (a tie may, by its id): putting every changed score into every row's
                # candidates was the slowest part of a one-listing build.
                row = scores[r]
                entering = np.flatnonzero(row >= old[-1][1] if len(old) >= k else row > 0)
                if not len(entering):
                    continue  # the old list stands
                candidates = {index[o]: s for o, s in old}
                candidates.update({int(cols[c]): float(row[c]) for c in entering})
                lists[ids[i]] = [(ids[j], s) for j, s in _top(ids, candidates, k)]
    for i in rest:
        lists.setdefault(ids[i], previous.lists[ids[i]])
    return State(model_key, row_keys, lists, k=k)
