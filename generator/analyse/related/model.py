"""Related papers by content: the model, TF-IDF over title (weighted up) and abstract, plus LSA.

Like arxiv-sanity-lite and ml4code, TF-IDF cosine (the maths as scikit-learn does it, in
:mod:`generator.analyse.related.linalg`, without its import), over the terms of
:mod:`generator.analyse.related.tokens`. The score blends the TF-IDF cosine with an LSA
cosine (an SVD of the same matrix), so papers that say one thing in different words
still meet. The parts: this module fits the model; :mod:`.incremental` folds papers into
it and keeps every paper's top k; :mod:`.why` says why two papers are linked;
:mod:`.links` puts it together for the pipeline.

**Stable and incremental.** The corpus-wide parts — vocabulary, IDF, the LSA
basis — make up a :class:`Model` fitted on a *basis*: the raw texts of the
listings, up to the last power of two of their number (1, 2, 4, 8, ... files).
Papers fold into the model; the model is refitted only when a listing it was
fitted on changes or the number of listings doubles. So a curator's merge,
retitle or hide never moves other papers' lists through the statistics (refitting
LSA for one merge moved a good share of all lists), and a new listing costs its own papers'
vectors plus one sparse product against the rest, not a refit.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.analyse.related.linalg import normalize_rows, truncated_svd
from generator.analyse.related.tokens import Terms, terms
from generator.infra import keys
from generator.infra.cache import Cache, Kept

# Title and abstract vectors are each l2-normalised, then added with this weight on
# the title: a 10-word title weighs as much as a 200-word abstract. (Measured:
# recall@5 falls from 86% to 72% at 2.0; benchmarks/README.md.)
TITLE_WEIGHT = 0.5
# Size of the LSA (latent semantics) basis, and the fewest papers worth one.
LSA_DIMS = 200
LSA_MIN_PAPERS = 60
# LSA runs on the most widespread terms only: its basis is dims x terms, dense, and a big
# catalogue's whole vocabulary made it most of a build's memory (twice that while
# fitting). The real catalogue has fewer terms than this: all of them are used.
LSA_TERMS = 2**15
MAX_DF = 0.5  # terms in more than half the papers say nothing about relatedness
SMALL_CATALOGUE = 20


@dataclass(frozen=True)
class Model:
    """Vocabulary, IDF and LSA basis, fitted on the basis texts; papers fold in."""

    key: str
    vocabulary: dict[str, int]  # term -> column
    idf: np.ndarray  # per column
    components: np.ndarray | None  # LSA basis (dims x lsa_columns), None for a small basis
    lsa_columns: np.ndarray | None = None  # the vocabulary columns LSA is fitted on

    @property
    def terms(self) -> list[str]:
        return sorted(self.vocabulary, key=self.vocabulary.__getitem__)


def fit(basis: Sequence[tuple[str, str]]) -> Model:
    """The model of a basis of (title, abstract) texts: terms in at least two texts and
    at most half, smoothed IDF, and a ``LSA_DIMS``-dimensional SVD of the TF-IDF rows."""
    key = keys.related_model(basis)  # what a model is fitted from
    small = len(basis) < SMALL_CATALOGUE  # a handful of papers: keep every term
    df: Counter[str] = Counter()
    for title, abstract in basis:
        df.update(set(terms(title).counts) | set(terms(abstract).counts))
    n = len(basis)
    low, high = (1, n) if small else (2, MAX_DF * n)
    kept = sorted(t for t, d in df.items() if low <= d <= high)
    vocabulary = {t: i for i, t in enumerate(kept)}
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in kept])
    model = Model(key, vocabulary, idf, None)
    dims = min(LSA_DIMS, n // 3, len(kept) - 1)
    if n < LSA_MIN_PAPERS or dims < 2:
        return model
    widest = sorted(kept, key=lambda t: (-df[t], t))[:LSA_TERMS]
    columns = np.array(sorted(vocabulary[t] for t in widest), dtype=np.int64)
    rows = tfidf_rows(model, basis)[:, columns]
    # One thread: the same basis gives the same components, bit for bit, on any machine.
    with threadpool_limits(limits=1):
        components = truncated_svd(rows, dims, seed=0)
    return replace(model, components=components, lsa_columns=columns)


class _Rows:
    """TF-IDF rows of one column (titles or abstracts), built a text at a time.

    Typed arrays, not lists: in a big catalogue the lists of Python ints and floats were
    most of the build's peak memory."""

    def __init__(self, model: Model):
        self.model = model
        self.cols, self.tf, self.indptr = array("l"), array("d"), array("l", [0])

    def add(self, packed: tuple[bytes, bytes]) -> None:
        """Add one text's row, as :func:`_packed_row` gives it."""
        self.cols.frombytes(packed[0])
        self.tf.frombytes(packed[1])
        self.indptr.append(len(self.cols))

    def matrix(self) -> sparse.csr_matrix:
        cols, tf = self.cols, self.tf
        columns = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, np.int64)
        counts = np.frombuffer(tf, dtype=np.float64) if tf else np.zeros(0)
        values = (1 + np.log(counts)) * self.model.idf[columns]
        shape = (len(self.indptr) - 1, len(self.model.vocabulary))
        indptr = np.frombuffer(self.indptr, np.int64)
        return normalize_rows(sparse.csr_matrix((values, columns, indptr), shape=shape))


Packed = tuple[bytes, bytes, bytes, bytes]  # a paper's title and abstract rows, packed


def _packed_row(model: Model, found: Terms) -> tuple[bytes, bytes]:
    """One text's row under the model: its vocabulary columns and term counts."""
    vocabulary = model.vocabulary
    kept = [(vocabulary[t], n) for t, n in found.counts.items() if t in vocabulary]
    return array("l", [c for c, _ in kept]).tobytes(), array("d", [n for _, n in kept]).tobytes()


def tfidf_rows(
    model: Model,
    texts: Iterable[tuple[str, str]],
    kept: Kept[Packed] | None = None,
    spelled: dict[int, dict[str, str]] | None = None,
) -> sparse.csr_matrix:
    """l2-normalised TF-IDF rows, title (weighted) plus abstract, before quantising.

    Each text is read once. ``kept``: each paper's rows under this model by its text,
    from the last build, instead of reading the text again (tokenising every paper
    was most of a one-listing build). ``spelled`` gets the spellings of each paper whose
    text was read (by its position), while it is at hand."""
    titles, abstracts = _Rows(model), _Rows(model)

    def pack(i: int, title: str, abstract: str) -> Packed:
        in_title, in_abstract = terms(title), terms(abstract)
        if spelled is not None:
            spelled[i] = {**in_abstract.spellings, **in_title.spellings}
        return _packed_row(model, in_title) + _packed_row(model, in_abstract)

    for i, (title, abstract) in enumerate(texts):
        if kept is None:
            packed = pack(i, title, abstract)
        else:
            packed = kept.get(keys.paper_text(title, abstract), partial(pack, i, title, abstract))
        titles.add(packed[:2])
        abstracts.add(packed[2:])
    # Each column's raw arrays let go of once its matrix is made, and each matrix once
    # it is summed: in a big catalogue every copy of the abstracts' rows counts.
    weighted = TITLE_WEIGHT * titles.matrix()
    del titles
    weighted = weighted + abstracts.matrix()
    del abstracts
    return normalize_rows(weighted.tocsr())


# This process's last model, by key: the worker of a `serve` keeps it between rebuilds
# (reading it back from the cache cost each rebuild its unpickling).
_MODELS: dict[str, Model] = {}


def model_for(basis: Sequence[tuple[str, str]], cache: Cache) -> Model:
    """The model of ``basis``: this process's last one, the cache's, or fitted now."""
    key = keys.related_model(basis)  # what a model is fitted from
    if key not in _MODELS:
        model = cache.memo("related-model", key, lambda: fit(basis))
        _MODELS.clear()
        _MODELS[key] = model
    return _MODELS[key]


def kept_model(key: str, cache: Cache) -> Model | None:
    """The model with this key if this process or the cache still has it."""
    if key in _MODELS:
        return _MODELS[key]
    found = cache.get("related-model", key)
    return found if isinstance(found, Model) else None
