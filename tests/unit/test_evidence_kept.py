"""A link's evidence is the same however many pairs were judged before it
(generator/analyse/related/evidence.py keeps each paper's term weights and
generator/analyse/related/why.py each text's phrase places between pairs)."""

from __future__ import annotations

from collections import ChainMap
from itertools import islice
from pathlib import Path

from generator.analyse.related.evidence import Evidence, evidence, pieces_of, specificity
from generator.analyse.related.incremental import TERM_SCALE, PaperText, Vectors, fold_in
from generator.analyse.related.model import fit
from generator.analyse.related.why import forget_spans, reason
from generator.ingest.listings import listing_files, parse_file

DATA = Path(__file__).resolve().parents[2] / "data"
PAPERS = 60


def _vectors() -> Vectors:
    """The real catalogue's first papers folded into a model of their own texts."""
    files = listing_files(DATA / "listings", DATA)[0]
    entries = islice((e for f in files for e in parse_file(f).listing.entries), PAPERS)
    texts = [PaperText(str(n), e.title, e.abstract) for n, e in enumerate(entries)]
    return fold_in(fit([(t.title, t.abstract) for t in texts]), texts)


def _evidence_pair_by_pair(vectors: Vectors, i: int, j: int) -> Evidence:
    """The evidence as it was worked out before anything was kept between pairs: every
    word's spelling looked up for the pair, the groups by a union of every word."""
    a, b = vectors.row(i), vectors.row(j)
    spelled = ChainMap(vectors.spellings(i), vectors.spellings(j))
    scale = float(TERM_SCALE) ** 2
    shared = sorted((vectors.terms[c], a[c] * b[c] / scale) for c in a.keys() & b.keys())
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    for term, _ in shared:
        first, *rest = term.split(" ")
        for word in rest:
            parent[root(word)] = root(first)
    groups: dict[str, list[tuple[float, str]]] = {}
    for term, share in shared:
        words = term.split(" ")
        weight = max(specificity(spelled.get(w, w)) for w in words)
        if len(words) > 1:
            weight = min(1.0, 1.5 * weight)
        groups.setdefault(root(words[0]), []).append((share * weight, term))
    return Evidence(pieces_of(groups.values()), ())  # the groups made into pieces as ever


def test_every_pairs_evidence_and_reason_equal_the_pair_by_pair_ones():
    """Every ordered pair of 60 real papers, judged in turn with the kept weights and
    places warming up (each paper meets 59 others, both ways round), against each pair
    worked out alone: the same pieces, weights to the bit, and the same sentence."""
    vectors, alone = _vectors(), _vectors()
    forget_spans()
    phrases = 0
    for i in range(PAPERS):
        for j in range(PAPERS):
            if i == j:
                continue
            found = evidence(vectors, i, j)
            assert found == _evidence_pair_by_pair(alone, i, j), (i, j)
            if found.pieces:
                phrases += any(p.phrase for p in found.pieces)
                said = reason(vectors, i, j, found)
                forget_spans()  # the sentence worked out with nothing remembered
                assert said == reason(alone, i, j, found), (i, j)
    assert vectors.weights and phrases > 100  # the kept weights and phrases were used
