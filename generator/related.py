"""Related papers by content: TF-IDF over title (weighted up) and abstract, cosine, top k.

Like arxiv-sanity-lite and ml4code, with scikit-learn's TfidfVectorizer doing the
maths. What is ours is the tokeniser, because scientific text breaks the default
one: ``GPT-4`` must stay one token (not ``gpt`` and a dropped ``4``), ``μP`` and
``muP`` must be the same token, ``3D`` must survive, ``Mixture-of-Experts`` and
``mixture of experts`` must meet (both give ``mixture``, ``experts`` and the
bigram ``mixture experts``), ``QLoRA`` stays ``qlora``.

Similarities are computed in row blocks: one block of papers against all, a
per-block top k, then the block is dropped. Memory is O(block x n), never n x n,
so the same code runs at 720 and at 50,000 papers.

Each link keeps its *why*: the shared terms that contribute most to its score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from generator.catalogue import Paper, Related

TOP_K = 6
TITLE_WEIGHT = 2.0  # a title term counts twice an abstract term, after each is normalised
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


def tokens(text: str) -> list[str]:
    """Unigrams and bigrams of scientific text; see the module docstring for why."""
    text = unicodedata.normalize("NFKC", text).replace("μ", "mu").replace("µ", "mu").lower()
    words: list[str] = []
    for token in _TOKEN.findall(text):
        token = token.strip(".")
        parts = [p for p in _SPLIT.split(token) if p]
        # A compound with a number or a short part is a name (gpt-4, llama-2, t5-xl):
        # keep it whole. A compound of words (mixture-of-experts) splits into its words.
        if len(parts) > 1 and any(_names_a_thing(p) for p in parts):
            words.append(token)
        else:
            words.extend(parts)
    words = [w for w in words if w not in STOP_WORDS and not _NUMBER.match(w) and len(w) > 1]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class Vectors:
    matrix: sparse.csr_matrix  # rows l2-normalised: a row product is a cosine
    terms: np.ndarray  # column index -> term


def vectorise(papers: list[Paper]) -> Vectors:
    """TF-IDF rows: title (weighted) plus abstract, sharing one vocabulary."""
    small = len(papers) < SMALL_CATALOGUE  # a handful of papers: keep every term
    vectorizer = TfidfVectorizer(
        analyzer=tokens,
        min_df=1 if small else 2,  # a term in one paper links it to nothing
        max_df=1.0 if small else MAX_DF,
        sublinear_tf=True,
        dtype=np.float32,
    )
    vectorizer.fit([f"{p.title} {p.abstract}" for p in papers])
    titles = vectorizer.transform([p.title for p in papers])
    abstracts = vectorizer.transform([p.abstract for p in papers])
    matrix = normalize((TITLE_WEIGHT * titles + abstracts).tocsr())
    return Vectors(matrix, vectorizer.get_feature_names_out())


def _why(vectors: Vectors, i: int, j: int) -> str:
    """The shared terms that contribute most to the cosine of papers i and j."""
    product = vectors.matrix[i].multiply(vectors.matrix[j]).tocoo()
    order = np.lexsort((vectors.terms[product.col], -product.data))[:WHY_TERMS]
    return ", ".join(vectors.terms[product.col[order]])


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
