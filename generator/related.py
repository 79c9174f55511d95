"""Related papers by content: TF-IDF over title (weighted up) and abstract, cosine, top k.

Like arxiv-sanity-lite and ml4code, with scikit-learn's TfidfVectorizer doing the
maths. What is ours is the tokeniser, because scientific text breaks the default
one: ``GPT-4`` must stay one token (not ``gpt`` and a dropped ``4``), ``μP`` and
``muP`` must be the same token, ``3D`` must survive, ``Mixture-of-Experts`` and
``mixture of experts`` must meet (both give ``mixture``, ``experts`` and the
bigram ``mixture experts``), ``QLoRA`` stays ``qlora``.

The score blends the TF-IDF cosine with an LSA cosine (a 200-dimensional SVD of
the same matrix) so that papers using different words for one idea still meet.

Similarities are computed in row blocks: one block of papers against all, a
per-block top k, then the block is dropped. Memory is O(block x n), never n x n,
so the same code runs at 720 and at 50,000 papers.

Each link keeps its *why*: the shared terms that contribute most to its score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

import numpy as np
from lunr.stemmer import PorterStemmer
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from generator.catalogue import Paper, Related
from generator.textfold import spell_greek

TOP_K = 6
# Title and abstract vectors are each l2-normalised, then added with this weight on
# the title: a 10-word title weighs as much as a 200-word abstract. (Measured:
# recall@5 falls from 86% to 72% at 2.0; benchmarks/README.md.)
TITLE_WEIGHT = 0.5
BIGRAMS = True
# Share of the score from LSA (latent semantics) rather than shared terms, and its size.
# Measured on the labelled pairs: TF-IDF alone 88.8% recall@5, with LSA 91.2%
# (88.8-92.5% for 150-300 dims and weights 0.2-0.4): a small, steady gain.
LSA_WEIGHT = 0.3
LSA_DIMS = 200
LSA_MIN_PAPERS = 60
BLOCK = 512
WHY_TERMS = 3
MAX_DF = 0.5  # terms in more than half the papers say nothing about relatedness
SMALL_CATALOGUE = 20
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


class Analyzer:
    """Unigrams and bigrams of scientific text; see the module docstring for why.

    Words are stemmed so pruning/pruned/prune meet; each stem remembers its most
    common spelling, so a "why" reads "sequences", not "sequenc".
    """

    def __init__(self) -> None:
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def __call__(self, text: str) -> list[str]:
        text = spell_greek(unicodedata.normalize("NFKC", text))
        words: list[str] = []
        for token in _TOKEN.findall(text):
            token = token.strip(".")
            parts = [p for p in _SPLIT.split(token) if p]
            # A compound with a number or a short part is a name (gpt-4, u-mup): keep it
            # whole, and its word parts too, so u-muP meets muP. A compound of words
            # (mixture-of-experts) is just its words.
            if len(parts) > 1 and any(_names_a_thing(p) for p in parts):
                words.append(token)
            words.extend(parts)
        kept = []
        for word in words:
            if word in STOP_WORDS or _NUMBER.match(word) or len(word) < 2:
                continue
            root = word if "-" in word or "." in word else stem(word)
            self.spellings[root][word] += 1
            kept.append(root)
        return kept + [f"{a} {b}" for a, b in pairwise(kept)] if BIGRAMS else kept

    def spelling(self, term: str) -> str:
        return " ".join(
            self.spellings[t].most_common(1)[0][0] if self.spellings[t] else t
            for t in term.split(" ")
        )


def tokens(text: str) -> list[str]:
    """The terms of ``text`` as the vectoriser sees them (stemmed uni- and bigrams)."""
    return Analyzer()(text)


@dataclass(frozen=True)
class Vectors:
    matrix: sparse.csr_matrix  # rows l2-normalised: a row product is a cosine
    terms: np.ndarray  # column index -> term, as readers spell it
    latent: np.ndarray | None = None  # LSA rows (n x dims), l2-normalised; None if too few papers


def vectorise(papers: list[Paper]) -> Vectors:
    """TF-IDF rows: title (weighted) plus abstract, sharing one vocabulary."""
    small = len(papers) < SMALL_CATALOGUE  # a handful of papers: keep every term
    analyzer = Analyzer()
    vectorizer = TfidfVectorizer(
        analyzer=analyzer,
        min_df=1 if small else 2,  # a term in one paper links it to nothing
        max_df=1.0 if small else MAX_DF,
        sublinear_tf=True,
        dtype=np.float32,
    )
    vectorizer.fit([f"{p.title} {p.abstract}" for p in papers])
    titles = vectorizer.transform([p.title for p in papers])
    abstracts = vectorizer.transform([p.abstract for p in papers])
    matrix = normalize((TITLE_WEIGHT * titles + abstracts).tocsr())
    terms = np.array([analyzer.spelling(t) for t in vectorizer.get_feature_names_out()])
    return Vectors(matrix, terms, _latent(matrix))


def _latent(matrix: sparse.csr_matrix) -> np.ndarray | None:
    """Latent semantic analysis of the TF-IDF rows: lets papers that say the same
    thing in different words meet ("routed language models" and "mixture of
    experts"). Skipped for small catalogues, where there is too little to learn from."""
    n, vocabulary = matrix.shape
    dims = min(LSA_DIMS, n // 3, vocabulary - 1)
    if n < LSA_MIN_PAPERS or dims < 2:
        return None
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", random_state=0)
    return normalize(svd.fit_transform(matrix)).astype(np.float32)


def _why(vectors: Vectors, i: int, j: int) -> str:
    """The shared terms that contribute most to the cosine of papers i and j."""
    m = vectors.matrix
    a, b = slice(m.indptr[i], m.indptr[i + 1]), slice(m.indptr[j], m.indptr[j + 1])
    cols, ia, ib = np.intersect1d(
        m.indices[a], m.indices[b], assume_unique=True, return_indices=True
    )
    weight = m.data[a][ia] * m.data[b][ib]
    picked: list[str] = []
    for term in vectors.terms[cols[np.lexsort((vectors.terms[cols], -weight))]]:
        # "data driven" next to "driven" says little: one term per word.
        covered = {w for t in picked for w in t.split()}
        if covered.isdisjoint(term.split()):
            picked.append(str(term))
        if len(picked) == WHY_TERMS:
            break
    return ", ".join(picked) or "related wording, no shared key term"


def nearest(vectors: Vectors, k: int = TOP_K, block: int = BLOCK) -> list[list[tuple[int, float]]]:
    """For every row, its k most similar other rows as (index, cosine), best first.

    Ties are broken by index so the result never depends on floating-point order.
    """
    matrix = vectors.matrix
    n = matrix.shape[0]
    transposed = matrix.T.tocsc()
    result: list[list[tuple[int, float]]] = []
    for start in range(0, n, block):
        stop = min(start + block, n)
        scores = (matrix[start:stop] @ transposed).toarray()
        if vectors.latent is not None:
            latent = vectors.latent[start:stop] @ vectors.latent.T
            scores = (1 - LSA_WEIGHT) * scores + LSA_WEIGHT * latent
        scores[np.arange(stop - start), np.arange(start, stop)] = -1.0  # not itself
        scores = np.round(scores, 4)  # stable ties across BLAS and block sizes
        take = min(k, n - 1)
        if take <= 0:
            result.extend([] for _ in range(stop - start))
            continue
        candidates = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        for row, cols in enumerate(candidates):
            # Widen to every column tied with the k-th score, then order by (score, index).
            kth = scores[row, cols].min()
            tied = np.flatnonzero(scores[row] >= kth) if kth > 0 else cols
            ranked = sorted(tied, key=lambda c: (-scores[row, c], c))[:take]
            result.append([(int(c), float(scores[row, c])) for c in ranked if scores[row, c] > 0])
    return result


def relate(papers: list[Paper], k: int = TOP_K) -> list[Paper]:
    """Papers with ``related`` filled: top k by content, each with score and why."""
    if len(papers) < 2:
        return papers
    try:
        vectors = vectorise(papers)
    except ValueError:  # no term shared by any two papers: nothing is related
        return papers
    out = []
    for i, (paper, links) in enumerate(zip(papers, nearest(vectors, k), strict=True)):
        related = tuple(
            Related(papers[j].id, round(score, 3), _why(vectors, i, j)) for j, score in links
        )
        out.append(replace(paper, related=related))
    return out
