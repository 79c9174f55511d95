"""Tag profiles: what the papers a tag's rules are sure of talk about, and the weak tags
of papers that read unlike them (issue 28, round 6).

A phrase rule sees a few words; a paper that says "learning rate" twice in passing gets
optimizers, one that names "retrieval" in a list of tasks retrieval-augmented generation.
The rules are sure of some papers — a title match, or four abstract matches
(:data:`tagging.SURE_HITS`) — and those papers say what the tag is about in every word
they use: distant supervision, no labels. Each paper is a TF-IDF vector (words and word
pairs of the title, counted twice, and of the abstract) fitted on the catalogue at every
build. A weak tag (no title match, at most three abstract matches) stays only when its
paper is as near to the tag's sure papers — the mean cosine of its 3 nearest — as
:data:`NEAR` of what a sure paper typically reaches (their median, each paper left out);
otherwise it gives way, as an aside does, when the paper keeps another tag.

The split into sure and weak and :data:`NEAR` were chosen by leave-one-round-out
cross-validation on the blind judgements (benchmarks/README.md, "Round 6 (tags)"). A
weak tag is compared with at most :data:`MAX_SAMPLE` of its tag's sure papers, so the cost
grows with the papers, never with their pairs.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

import numpy as np
from scipy import sparse

from generator.model import Paper
from generator.text.fold import phrase_text as fold

# A weak tag stays when its paper is at least this near to the tag's sure papers, as a
# share of how near they typically are to each other (:func:`closeness`).
NEAR = 0.45
# A profile of fewer sure papers says little: the tag's weak papers are left alone.
MIN_SURE = 5
# How many of a tag's sure papers nearest to a paper say how near it is to the tag.
NEIGHBOURS = 3
# A tag's sure papers compared with, at most: the cost stays linear in the papers.
MAX_SAMPLE = 500
BLOCK = 256  # rows compared at once: memory bounded whatever the catalogue's size
# A word in more than this share of papers says nothing of a topic.
MAX_DF = 0.3
TITLE_COUNTS = 2
# Words that carry no topic, beside those too common to keep (MAX_DF).
STOP_WORDS = frozenset(
    "a an the of and or in on for to with by from as at is are be we our this that these "
    "it its can which via using based their than into not new show shows results model "
    "models method methods paper task tasks".split()
)


def words(text: str) -> list[str]:
    """A text's words (folded, no stop words, numbers or single letters) and the pairs
    of them that follow each other."""
    found = [w for w in fold(text).split() if len(w) > 1 and w not in STOP_WORDS]
    found = [w for w in found if not w.isdigit()]
    return found + [f"{a} {b}" for a, b in pairwise(found)]


def terms(paper: Paper) -> list[str]:
    """A paper's terms as counted: the title's :data:`TITLE_COUNTS` times, the abstract's."""
    return words(paper.title) * TITLE_COUNTS + words(paper.abstract)


# A paper's terms as :func:`counted` keeps them: each distinct term's digest (two
# unsigned 64-bit halves of a 128-bit BLAKE2b), in the order first written, and its count.
Counted = tuple[np.ndarray, np.ndarray]


def counted(found: Sequence[str]) -> Counted:
    """A paper's terms (:func:`terms`) as :func:`vectors` reads them: each distinct
    term by a 128-bit digest of it, in the order first written, and how often it is
    counted. Numbers, not strings: kept for every paper across builds
    (:class:`generator.curate.cached.ProfileTerms`), the terms themselves (words and
    word pairs) would be hundreds of megabytes; two terms share a digest with the odds
    of a 128-bit collision, as two cache keys would."""
    times = Counter(found)  # in the order first written
    digests = b"".join(hashlib.blake2b(t.encode(), digest_size=16).digest() for t in times)
    keys = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return keys, np.fromiter(times.values(), np.int32, len(times))


def paper_terms(paper: Paper) -> Counted:
    """:func:`counted` of the paper's :func:`terms`."""
    return counted(terms(paper))


def vectors(texts: Iterable[Sequence[str]]) -> sparse.csr_matrix:
    """:func:`counted_vectors` of each text's terms."""
    return counted_vectors([counted(text) for text in texts])


def counted_vectors(papers: Sequence[Counted]) -> sparse.csr_matrix:
    """Unit TF-IDF rows (sublinear counts) over the terms in 2 papers to :data:`MAX_DF`,
    from each paper's :func:`counted` terms. A term's column is its place among the
    catalogue's terms in the order first written (paper after paper), and each row's
    columns ascend: the matrix, and every sum over it, is the one the terms' strings
    numbered as they come give, whichever build kept which paper's terms."""
    n = len(papers)
    keys = np.concatenate([k for k, _ in papers]) if n else np.zeros((0, 2), "<u8")
    count = np.concatenate([c for _, c in papers]) if n else np.zeros(0, np.int32)
    rows = np.repeat(np.arange(n, dtype=np.int32), [len(c) for _, c in papers])
    # number the distinct terms in the order first written: a stable sort by digest
    # puts each term's first place first among its own
    order = np.lexsort((keys[:, 1], keys[:, 0]))
    ordered = keys[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    first = order[new]
    rank = np.empty(len(first), dtype=np.int32)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first), dtype=np.int32)
    col = np.empty(len(order), dtype=np.int32)
    col[order] = rank[np.cumsum(new) - 1]
    within = np.lexsort((col, rows))  # each row's columns ascending
    rows, col, count = rows[within], col[within], count[within]
    width = max(len(first), 1)
    df = np.bincount(col, minlength=width)
    kept = (df >= 2) & (df <= MAX_DF * n)
    use = kept[col]
    weight = (1 + np.log(count[use])) * np.log(n / df[col[use]])
    x = sparse.csr_matrix((weight, (rows[use], col[use])), shape=(n, width))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ x)


def _sample(papers: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """At most :data:`MAX_SAMPLE` of ``papers``, the same ones whatever else the catalogue
    holds: those whose ids hash lowest (a new paper enters only if it hashes lower)."""
    if len(papers) <= MAX_SAMPLE:
        return papers
    rank = sorted(papers, key=lambda i: (zlib.crc32(ids[i].encode()), ids[i]))
    return np.array(sorted(rank[:MAX_SAMPLE]))


def _nearest(x: sparse.csr_matrix, rows: np.ndarray, sure: np.ndarray) -> np.ndarray:
    """For each of ``rows``, the mean cosine of its :data:`NEIGHBOURS` most similar
    ``sure`` papers (itself left out)."""
    out = np.zeros(len(rows))
    for start in range(0, len(rows), BLOCK):
        block = rows[start : start + BLOCK]
        cos = (x[block] @ x[sure].T).toarray()
        cos[block[:, None] == sure[None, :]] = -1.0  # a paper is not its own neighbour
        k = min(NEIGHBOURS, cos.shape[1])
        out[start : start + BLOCK] = np.sort(cos, axis=1)[:, -k:].mean(axis=1)
    return out


def closeness(
    x: sparse.csr_matrix, sure: np.ndarray, pairs: list[tuple[int, int]], ids: Sequence[str]
) -> np.ndarray:
    """For each (paper, tag) pair: how near the paper's nearest sure papers of the tag are
    (:func:`_nearest`), over how near a sure paper's own nearest are, typically (their
    median). A tag's sure papers are not one topic (reinforcement learning is robots and
    LLM post-training): the nearest of them, not their mean, say whether a paper belongs.
    NaN for a tag with fewer than :data:`MIN_SURE` sure papers."""
    near = np.full(len(pairs), np.nan)
    by_tag: dict[int, list[int]] = {}
    for k, (_, tag) in enumerate(pairs):
        by_tag.setdefault(tag, []).append(k)
    for tag, asked in sorted(by_tag.items()):
        members = _sample(np.flatnonzero(sure[:, tag]), ids)
        if len(members) < MIN_SURE:
            continue
        typical = np.median(_nearest(x, members, members))
        rows = np.array([pairs[k][0] for k in asked])
        if typical > 0:
            near[asked] = _nearest(x, rows, members) / typical
    return near


def settle(
    papers: list[Paper],
    weak: Callable[[Paper], frozenset[str]],
    read: Callable[[Paper], Counted] = paper_terms,
) -> list[Paper]:
    """The papers with each weak tag (``weak``: the rules' weak tags of a paper) that its
    paper reads unlike gone, unless it would leave the paper untagged. A tag the rules
    did not give (a curator's) is never weak, so never removed here. ``read``: each
    paper's :func:`paper_terms`, or the ones kept."""
    ordered = sorted(papers, key=lambda p: p.id)  # the same vectors in any input order
    names = sorted({t for p in ordered for t in p.tags})
    column = {t: j for j, t in enumerate(names)}
    doubtful = [weak(p) & set(p.tags) for p in ordered]
    sure = np.zeros((len(ordered), len(names)), dtype=bool)
    for i, (paper, unsure) in enumerate(zip(ordered, doubtful, strict=True)):
        sure[i, [column[t] for t in paper.tags if t not in unsure]] = True
    pairs = [(i, column[t]) for i, unsure in enumerate(doubtful) for t in sorted(unsure)]
    if not pairs:
        return papers
    x = counted_vectors([read(p) for p in ordered])
    near = closeness(x, sure, pairs, [p.id for p in ordered])
    far: dict[int, set[str]] = {}
    for (i, j), value in zip(pairs, near, strict=True):
        if value < NEAR:  # NaN (no profile) compares false: the tag stays
            far.setdefault(i, set()).add(names[j])
    settled = {}
    for i, gone in far.items():
        kept = tuple(t for t in ordered[i].tags if t not in gone)
        if kept:
            settled[ordered[i].id] = replace(ordered[i], tags=kept)
    return [settled.get(p.id, p) for p in papers]
