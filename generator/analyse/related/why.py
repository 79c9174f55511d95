"""Why two papers are related: the shared terms that contribute most to their score,
spelled as one of the two papers spells them."""

from __future__ import annotations

from generator.analyse.related.incremental import Vectors

WHY_TERMS = 3


def shared_terms(vectors: Vectors, i: int, j: int) -> str:
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
