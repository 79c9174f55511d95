"""Related papers by content: TF-IDF over title (weighted up) and abstract, plus LSA.

Like arxiv-sanity-lite and ml4code, TF-IDF cosine (the maths as scikit-learn does it, in
:mod:`generator.analyse.related.linalg`, without its import). What is ours is the tokeniser, because
scientific text breaks the default one: ``GPT-4`` must stay one token (not ``gpt`` and a
dropped ``4``), ``μP`` and ``muP`` must be the same token, ``3D`` must survive,
``Mixture-of-Experts`` and ``mixture of experts`` must meet (both give ``mixture``,
``experts`` and the bigram ``mixture experts``), ``QLoRA`` stays ``qlora``. The score
blends the TF-IDF cosine with an LSA cosine (an SVD of the same matrix), so papers that
say one thing in different words still meet.

**Stable and incremental.** The corpus-wide parts — vocabulary, IDF, the LSA
basis — make up a :class:`Model` fitted on a *basis*: the raw texts of the
listings, up to the last power of two of their number (1, 2, 4, 8, ... files).
Papers fold into the model; the model is refitted only when a listing it was
fitted on changes or the number of listings doubles. So a curator's merge,
retitle or hide never moves other papers' lists through the statistics (refitting
LSA moved 284 of 719 lists for one merge), and a new listing costs its own papers'
vectors plus one sparse product against the rest, not a refit.

**Exact, so cache-proof.** Vectors are quantised to integers and products are
taken in float64, where sums of such integers are exact: a score is the same
number whether it was computed in a block of 512, alone, or in an earlier build.
That lets :func:`relate` reuse the previous build's lists (:class:`State`) and
recompute only rows a change can reach, with a result identical to a full
computation — a test compares the two — so a warm build equals a cold one. Each
paper's rows under the model are kept too, by its text (at 50,000 papers, reading
every text again was 20 s of a build that added one listing).

Similarities are computed in row blocks with a per-block top k: memory is
O(block x n), never n x n. Each link keeps its *why*: the shared terms that
contribute most, spelled as one of the two papers spells them.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from lunr.stemmer import PorterStemmer
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.analyse.related.linalg import normalize_rows, truncated_svd
from generator.infra.cache import Cache, Kept, digest
from generator.model import Paper, Related
from generator.text.fold import token_text
from generator.text.stopwords import ENGLISH_STOP_WORDS

TOP_K = 6
# A paper is shown as related only from this score up: below it, the "related" paper
# usually shares one common word ("diffusion"). Measured (benchmarks/README.md): of 120
# judged links it hides 18 of the 51 wrong and 3 of the 69 right (precision@6 58% ->
# 67%); every labelled pair found in a top 5 scores at least 0.18 (recall@5 stays 91%).
# (0.18 until the LSA basis became exact; with it, 0.18 hides 7 right links and 20 wrong.)
MIN_SCORE = 0.16
# Title and abstract vectors are each l2-normalised, then added with this weight on
# the title: a 10-word title weighs as much as a 200-word abstract. (Measured:
# recall@5 falls from 86% to 72% at 2.0; benchmarks/README.md.)
TITLE_WEIGHT = 0.5
# Share of the score from LSA (latent semantics) rather than shared terms, and its size.
LSA_WEIGHT = 0.3
LSA_DIMS = 200
LSA_MIN_PAPERS = 60
# LSA runs on the most widespread terms only: its basis is dims x terms, dense, and at
# 50,000 papers the whole vocabulary made it 640 MB (twice that while fitting). The real
# catalogue has 8,500 terms: all of them are used.
LSA_TERMS = 2**15
BLOCK = 256
ROWS_KEPT = 4096  # rows a "why" keeps at hand as dicts (Vectors.row)
WHY_TERMS = 3
MAX_DF = 0.5  # terms in more than half the papers say nothing about relatedness
SMALL_CATALOGUE = 20
# Integer grids for the vectors: products of grid values summed over a paper's terms
# stay far below 2**53, so float64 arithmetic on them is exact in any order.
TERM_SCALE = 2**12
LATENT_SCALE = 2**10
DECIMALS = 4
# Tokens: alphanumeric runs joined by - . + (gpt-4, 3.5, c++, mixture-of-experts).
_TOKEN = re.compile(r"[^\W_]+(?:[-.+][^\W_]+)*\+*")
_SPLIT = re.compile(r"[-.]")
_NUMBER = re.compile(r"^[\d.,+-]+$")
# Generic words of the genre: every abstract proposes methods and shows results.
_GENRE = frozenset(
    """
    paper propose proposed proposes approach approaches method methods result results show shows
    shown demonstrate demonstrates work novel new using use used based existing state art
    performance model models task tasks experiments experimental achieve achieves significantly
    significant improve improves improved improvement different various including study studies
    large small high low better however furthermore moreover also well introduce introduces
    present presents provide provides key code available github https com www http org vs
""".split()
)
STOP_WORDS = ENGLISH_STOP_WORDS | _GENRE


def _names_a_thing(part: str) -> bool:
    """A compound part that makes the compound a name: has a digit, or is a short
    non-word like 'xl' (but 'of' in mixture-of-experts is just a word)."""
    return any(c.isdigit() for c in part) or (len(part) <= 2 and part not in ENGLISH_STOP_WORDS)


_STEMMER = PorterStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem, the same stemmer the search index uses (lunr's)."""
    return _STEMMER.stem(word)


@lru_cache(maxsize=200_000)
def _root(word: str) -> str | None:
    """The term a word counts as (its stem; a compound as it is), or None for a word
    that is left out (a stop word, a single character, a number). Remembered per word:
    each text's words were checked one test at a time, 0.8 us a word."""
    if word in STOP_WORDS or len(word) < 2 or _NUMBER.match(word):
        return None
    return word if "-" in word or "." in word else stem(word)


@dataclass(frozen=True)
class Terms:
    """One text's terms: stemmed unigrams and bigrams with their counts, and how the
    text itself spells each stem (so a "why" reads "sequences", not "sequenc")."""

    counts: dict[str, int]
    spellings: dict[str, str]


@lru_cache(maxsize=8192)
def terms(text: str) -> Terms:
    words: list[str] = []
    for token in _TOKEN.findall(token_text(text)):
        token = token.strip(".")
        if "-" not in token and "." not in token:
            words.append(token)  # the common case: one word, nothing to split
            continue
        parts = [p for p in _SPLIT.split(token) if p]
        # A compound with a number or a short part is a name (gpt-4, u-mup): keep it
        # whole, and its word parts too, so u-muP meets muP. A compound of words
        # (mixture-of-experts) is just its words.
        if len(parts) > 1 and any(_names_a_thing(p) for p in parts):
            words.append(token)
        words.extend(parts)
    kept: list[str] = []
    seen: dict[str, dict[str, int]] = {}  # root -> how often each spelling of it
    for word in words:
        root = _root(word)
        if root is None:
            continue
        spelled = seen.setdefault(root, {})
        spelled[word] = spelled.get(word, 0) + 1
        kept.append(root)
    grams = kept + [f"{a} {b}" for a, b in pairwise(kept)]
    spellings = {
        root: next(iter(c)) if len(c) == 1 else min(c, key=lambda w: (-c[w], w))
        for root, c in seen.items()
    }
    return Terms(dict(Counter(grams)), spellings)


def forget_texts() -> None:
    """Drop what the tokeniser remembers of texts read so far. At 20,000 papers its
    caches kept 0.23 GB of the worker's memory pinned after relating (scattered among
    freed objects, they keep whole blocks of it from being given back), under the data
    files it makes next; a later build reads its texts again, or takes their rows from
    the cache."""
    terms.cache_clear()
    _root.cache_clear()
    stem.cache_clear()


def tokens(text: str) -> list[str]:
    """The distinct terms of ``text`` as the model sees them (stemmed uni- and bigrams)."""
    return list(terms(text).counts)


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


def model_key(basis: Sequence[tuple[str, str]]) -> str:
    """What a model is fitted from: its basis texts, in order."""
    return digest(*(f"{t}\n{a}" for t, a in basis))


def fit(basis: Sequence[tuple[str, str]]) -> Model:
    """The model of a basis of (title, abstract) texts: terms in at least two texts and
    at most half, smoothed IDF, and a ``LSA_DIMS``-dimensional SVD of the TF-IDF rows."""
    key = model_key(basis)
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
    rows = _tfidf_rows(model, basis)[:, columns]
    # One thread: the same basis gives the same components, bit for bit, on any machine.
    with threadpool_limits(limits=1):
        components = truncated_svd(rows, dims, seed=0)
    return replace(model, components=components, lsa_columns=columns)


class _Rows:
    """TF-IDF rows of one column (titles or abstracts), built a text at a time.

    Typed arrays, not lists: at 50,000 papers the lists of Python ints and floats were
    700 MB, most of the build's peak memory."""

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


def _tfidf_rows(
    model: Model,
    texts: Iterable[tuple[str, str]],
    kept: Kept[Packed] | None = None,
    spelled: dict[int, dict[str, str]] | None = None,
) -> sparse.csr_matrix:
    """l2-normalised TF-IDF rows, title (weighted) plus abstract, before quantising.

    Each text is read once. ``kept``: each paper's rows under this model by its text,
    from the last build, instead of reading the text again (tokenising 50,000 papers
    was 20 s of a one-listing build). ``spelled`` gets the spellings of each paper whose
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
            packed = kept.get(digest(title, abstract), partial(pack, i, title, abstract))
        titles.add(packed[:2])
        abstracts.add(packed[2:])
    return normalize_rows((TITLE_WEIGHT * titles.matrix() + abstracts.matrix()).tocsr())


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

    def spellings(self, i: int) -> dict[str, str]:
        """How paper i's text spells each stem: noted when its text was read for its
        rows, else read now (its rows came from the cache, and its "why" is needed)."""
        if i not in self.spelled:
            title, abstract = self.texts[i]
            self.spelled[i] = {**terms(abstract).spellings, **terms(title).spellings}
        return self.spelled[i]

    def row(self, i: int) -> dict[int, float]:
        """Row i as {column: value}: a "why" reads a few rows many times each (4,000
        pairs at 720 papers), where NumPy's per-call cost outweighed the work. The last
        :data:`ROWS_KEPT` made are kept: every row, at 50,000 papers, was 0.7 GB more of the
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

    def row_key(self, i: int) -> bytes:
        """What row i is, exactly: equal keys, equal scores against everything."""
        m = self.matrix
        a, b = m.indptr[i], m.indptr[i + 1]
        parts = [m.indices[a:b].tobytes(), m.data[a:b].tobytes()]
        if self.latent is not None:
            parts.append(self.latent[i].tobytes())
        return digest(*parts).encode()


def fold_in(
    model: Model, papers: Sequence[Text | Paper], kept: Kept[Packed] | None = None
) -> Vectors:
    """The papers' rows under ``model``; ``kept`` as in :func:`_tfidf_rows`."""
    texts = [(p.title, p.abstract) for p in papers]
    spelled: dict[int, dict[str, str]] = {}
    rows = _tfidf_rows(model, texts, kept, spelled)
    latent = None
    if model.components is not None and len(papers):
        projected = normalize_rows(rows[:, model.lsa_columns] @ model.components.T)
        latent = np.rint(projected * LATENT_SCALE)
    matrix = rows.copy()
    matrix.data = np.rint(matrix.data * TERM_SCALE)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return Vectors([p.id for p in papers], matrix, latent, texts, model.terms, spelled)


def _scores(vectors: Vectors, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Blended cosines of ``rows`` against ``cols`` (all papers when None), rounded.
    The integer products are exact, so the result does not depend on blocking."""
    m = vectors.matrix
    other = m if cols is None else m[cols]
    s = (m[rows] @ other.T).toarray() / TERM_SCALE**2
    if vectors.latent is not None:
        lat = vectors.latent if cols is None else vectors.latent[cols]
        s = (1 - LSA_WEIGHT) * s + LSA_WEIGHT * (vectors.latent[rows] @ lat.T) / LATENT_SCALE**2
    return np.round(s, DECIMALS)


def _top(ids: list[str], scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (index, score) pairs with a positive score; ties go to the smaller id,
    so the order never depends on where a paper sits in the list."""
    ranked = sorted((c for c, s in scores.items() if s > 0), key=lambda c: (-scores[c], ids[c]))
    return [(c, scores[c]) for c in ranked[:k]]


def nearest(
    vectors: Vectors, k: int = TOP_K, block: int = BLOCK, rows: Sequence[int] | None = None
) -> dict[int, list[tuple[int, float]]]:
    """For each of ``rows`` (all by default), its k most similar other rows."""
    n = vectors.matrix.shape[0]
    rows = list(range(n)) if rows is None else list(rows)
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


def _why(vectors: Vectors, i: int, j: int) -> str:
    """The shared terms that contribute most to the cosine of papers i and j."""
    a, b = vectors.row(i), vectors.row(j)
    names = vectors.terms
    ranked = sorted((-(a[c] * b[c]), names[c]) for c in (a.keys() & b.keys()))
    mine, theirs = vectors.spellings(i), vectors.spellings(j)  # i's spelling first
    picked: list[str] = []
    for _, name in ranked:
        term = " ".join(mine[w] if w in mine else theirs.get(w, w) for w in name.split(" "))
        # "data driven" next to "driven" says little: one term per word.
        covered = {w for t in picked for w in t.split()}
        if covered.isdisjoint(term.split()):
            picked.append(term)
        if len(picked) == WHY_TERMS:
            break
    return ", ".join(picked) or "related wording, no shared key term"


@dataclass
class State:
    """One build's related lists, kept for the next: which model, each paper's row
    key, and each paper's top k by id."""

    model_key: str
    rows: dict[str, bytes] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # The "why" of each listed pair, by the digests of the two papers' texts: what it
    # is computed from (with the model), so an unchanged pair's is reused.
    whys: dict[tuple[str, str], str] = field(default_factory=dict)


def related_lists(
    vectors: Vectors, previous: State | None, model_key: str, k: int = TOP_K
) -> State:
    """Every paper's top k, reusing ``previous`` wherever no change can reach.

    A row is recomputed whole when the paper is new or changed, or when its old list
    held a paper that changed or left; any other row keeps its old list, merged with
    its scores against the changed papers — nothing else's score against it moved.
    """
    ids = vectors.ids
    keys = {pid: vectors.row_key(i) for i, pid in enumerate(ids)}
    index = {pid: i for i, pid in enumerate(ids)}
    if previous is None or previous.model_key != model_key:
        found = nearest(vectors, k)
        lists = {ids[i]: [(ids[j], s) for j, s in top] for i, top in found.items()}
        return State(model_key, keys, lists)
    changed = {pid for pid in ids if previous.rows.get(pid) != keys[pid]}
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
                # (a tie may, by its id): at 50,000 papers, putting every changed score
                # into every row's candidates was 5 s of a one-listing build.
                row = scores[r]
                entering = np.flatnonzero(row >= old[-1][1] if len(old) >= k else row > 0)
                if not len(entering):
                    continue  # the old list stands
                candidates = {index[o]: s for o, s in old}
                candidates.update({int(cols[c]): float(row[c]) for c in entering})
                lists[ids[i]] = [(ids[j], s) for j, s in _top(ids, candidates, k)]
    for i in rest:
        lists.setdefault(ids[i], previous.lists[ids[i]])
    return State(model_key, keys, lists)


# This process's last model, by key: the worker of a `serve` keeps it between rebuilds
# (reading it back from the cache cost each rebuild its unpickling).
_MODELS: dict[str, Model] = {}


def model_for(basis: Sequence[tuple[str, str]], cache: Cache) -> Model:
    """The model of ``basis``: this process's last one, the cache's, or fitted now."""
    key = model_key(basis)
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


class Text(NamedTuple):
    """What relating reads of a paper (all it is sent when it runs in the worker)."""

    id: str
    title: str
    abstract: str


def related_links(
    texts: Sequence[Text], model: Model, cache: Cache, k: int = TOP_K
) -> dict[str, tuple[Related, ...]]:
    """Each paper's related papers under ``model``, by id: top k by content, each with
    score and why, and none under :data:`MIN_SCORE` (so a paper may have fewer than k,
    or none). ``cache`` keeps each paper's rows and the lists between builds."""
    if len(texts) < 2 or not model.vocabulary:  # no term shared by two texts: none
        return {}
    kept: Kept[Packed] = Kept(cache, "related-rows", model.key)
    vectors = fold_in(model, texts, kept)
    kept.save()  # and let go: 90 MB at 50,000 papers, not held while the lists are made
    previous = cache.get("related-state", model.key)
    previous = previous if isinstance(previous, State) else None
    state = related_lists(vectors, previous, model.key, k)
    index = {pid: i for i, pid in enumerate(vectors.ids)}
    text = {t.id: digest(t.title, t.abstract) for t in texts}
    known = previous.whys if previous is not None and previous.model_key == model.key else {}

    def why(a: str, b: str) -> str:
        key = (text[a], text[b])
        if key not in state.whys:
            state.whys[key] = known.get(key) or _why(vectors, index[a], index[b])
        return state.whys[key]

    links = {
        t.id: tuple(Related(o, s, why(t.id, o)) for o, s in state.lists[t.id] if s >= MIN_SCORE)
        for t in texts
    }
    cache.put("related-state", model.key, state)
    return links


def relate(
    papers: list[Paper],
    basis: Sequence[tuple[str, str]] | None = None,
    cache: Cache | None = None,
    k: int = TOP_K,
) -> list[Paper]:
    """Papers with ``related`` filled (:func:`related_links`), all in this process.

    ``basis`` defaults to the papers' own texts; ``cache`` keeps the model and the
    lists between builds (results are identical with or without it).
    """
    cache = cache or Cache(None)
    if len(papers) < 2:
        return papers
    basis = [(p.title, p.abstract) for p in papers] if basis is None else list(basis)
    texts = [Text(p.id, p.title, p.abstract) for p in papers]
    links = related_links(texts, model_for(basis, cache), cache, k)
    return [replace(p, related=links[p.id]) if links else p for p in papers]
