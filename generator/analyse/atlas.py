"""The catalogue's map: each paper a point in the plane, placed by its text.

The points come from the related model's own vectors (:mod:`generator.analyse.related`):
each paper's latent (LSA) row, or its TF-IDF row in a catalogue too small for LSA,
laid out in two dimensions by t-SNE (:mod:`generator.analyse.tsne`). t-SNE keeps each
paper near the papers it reads like, which is what a reader of a map looks for; a PCA
of the same rows put most of the real catalogue in one blob, its two axes being the
two broadest themes (benchmarks/README.md says how the two were compared).

Runs in the build's worker (NumPy and SciPy are imported there only). The same inputs
give the same points: the t-SNE has no randomness, BLAS is held to one thread, and the
points are rounded to a grid. A catalogue larger than :data:`MAP_POINTS` is drawn
from a sample of at most that many papers: whole listings, chosen by a hash of each
listing's name (:func:`sample`), so that adding a listing leaves the sample as it was
unless the new listing is one the hash chooses; and the layout of a sample is kept in
the cache by exactly what it is computed from (the model and the sampled papers'
texts), so a build whose sample is unchanged does not run the t-SNE again (the same
cost at any catalogue size: benchmarks/README.md, "Round 7: one listing added").
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.infra import keys
from generator.infra.cache import Cache, Kept

if TYPE_CHECKING:  # the related model's modules import NumPy: the worker's, not the build's
    from generator.analyse.related.incremental import PaperText
    from generator.analyse.related.model import Model

MAP_POINTS = 5000  # most papers drawn on the map (the rest sampled out: see module doc)
GRID = 1000  # points are whole numbers in [0, GRID] on both axes
PERPLEXITY = 30  # t-SNE's usual: neighbourhoods of about this many papers
# A sixth of openTSNE's default optimisation (250 + 500 steps): from the PCA start the
# map keeps as many of each paper's text neighbours as with the default
# (benchmarks/README.md, "The map of the catalogue"), in a sixth of the time.
EXAGGERATION_STEPS = 50
STEPS = 75
LAYOUT_STAGE = "atlas-layout"  # a sample's points, by keys.atlas_layout


def sample(
    ids: Sequence[str],
    limit: int = MAP_POINTS,
    listings: Sequence[Sequence[str]] | None = None,
) -> list[int]:
    """Indices of the papers drawn, in their order: all, up to ``limit``; above it, the
    papers of whole listings (``listings``: each paper's listing names), taken in the
    order of their names' hash while they fit (:func:`_by_listing`); without listings,
    or when not even the first fits, the ``limit`` papers whose ids hash lowest."""
    if len(ids) <= limit:
        return list(range(len(ids)))
    if listings is not None and (chosen := _by_listing(listings, limit)):
        return chosen
    rank = sorted(range(len(ids)), key=lambda i: (zlib.crc32(ids[i].encode()), ids[i]))
    return sorted(rank[:limit])


def _by_listing(listings: Sequence[Sequence[str]], limit: int) -> list[int]:
    """The papers of the listings whose names hash lowest, a listing at a time while
    their papers number at most ``limit`` (the first that would pass it ends the
    sample). Whole listings, not papers by their own hash: a new listing changes the
    sample only when its name hashes below the last one taken (about one addition in
    the catalogue's listings over the sample's), where a new paper hashing low would
    join a sample of papers nearly every time a listing of a few hundred is added, and
    with it every point would move (the t-SNE would run again). Which papers does not
    depend on their order."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(listings):
        for name in names:
            members[name].append(i)
    taken: set[int] = set()
    for name in sorted(members, key=lambda n: (zlib.crc32(n.encode()), n)):
        more = taken.union(members[name])
        if len(more) > limit:
            break
        taken = more
    return sorted(taken)


def layout(
    texts: Sequence[PaperText],
    model_key: str,
    cache: Cache,
    listings: Sequence[Sequence[str]] | None = None,
) -> dict[str, tuple[int, int]]:
    """Each drawn paper's point (x, y on the :data:`GRID`), by id. ``model_key``: the
    related model's (the build fitted it: this process or ``cache`` has it, and the
    papers' rows under it). Should neither have it (the worker was replaced, no cache),
    a model of the papers' own texts stands in. ``listings``: each paper's listing
    names, which the sample is drawn by (:func:`sample`)."""
    from generator.analyse.related.model import kept_model, model_for

    chosen = [texts[i] for i in sample([t.id for t in texts], listings=listings)]
    if len(chosen) < 3:  # too few to place relative to each other
        return {t.id: (GRID // 2, GRID // 2) for t in chosen}
    model = kept_model(model_key, cache) or model_for([(t.title, t.abstract) for t in texts], cache)
    if not model.vocabulary:
        return {t.id: (GRID // 2, GRID // 2) for t in chosen}
    # The points are a function of the model and the sampled papers' texts (the rows
    # are folded in from them; the t-SNE has no randomness): kept by exactly those.
    key = keys.atlas_layout(model.key, ((t.id, t.title, t.abstract) for t in chosen))
    kept = cache.get(LAYOUT_STAGE, key)
    if isinstance(kept, dict) and kept.keys() == {t.id for t in chosen}:
        return kept
    points = _points(chosen, model, cache)
    cache.put(LAYOUT_STAGE, key, points)
    return points


def _points(chosen: Sequence[PaperText], model: Model, cache: Cache) -> dict[str, tuple[int, int]]:
    """The sample's points, laid out now (:func:`layout`)."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from generator.analyse.related.incremental import fold_in

    # Read, never saved: the related lists stored every paper's rows this build, and
    # saving what the map used (a sample, above MAP_POINTS) replaced them, so the next
    # build folded every paper outside the sample in again.
    vectors = fold_in(model, chosen, Kept(cache, "related-rows", model.key))
    rows = vectors.latent if vectors.latent is not None else vectors.matrix.toarray()
    # A text with no known term has no direction: cosine needs one, any the same for all.
    rows = np.array(rows, dtype=np.float64)
    rows[~rows.any(axis=1)] = 1.0
    with threadpool_limits(1):
        points = _tsne(rows)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = GRID / max(float((high - low).max()), 1e-9)  # one scale: distances keep their meaning
    grid = np.rint((points - low) * scale).astype(int)
    return {t.id: (int(x), int(y)) for t, (x, y) in zip(chosen, grid, strict=True)}


def _tsne(rows):
    """The rows in two dimensions. Cosine distance, as the related papers are scored."""
    from generator.analyse.tsne import embed

    perplexity = min(PERPLEXITY, (len(rows) - 1) / 3)  # few points: each needs 3x neighbours
    return embed(rows, perplexity, EXAGGERATION_STEPS, STEPS)
