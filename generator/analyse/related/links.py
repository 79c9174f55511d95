"""Each paper's related papers, with score and why: the related model's entry points.

The model is fitted (:mod:`.model`) or found, the papers folded in and their lists
updated (:mod:`.incremental`), and each link given its reason (:mod:`.why`). The
pipeline runs this in its worker; :func:`relate` runs it all in the calling process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from types import SimpleNamespace

from generator.analyse.crosslinks import families
from generator.analyse.related.evidence import (
    FAMILY,
    NARROW,
    evidence,
    link_weight,
    tag_specificity,
    worth_showing,
)
from generator.analyse.related.incremental import TOP_K, PaperText, State, fold_in, related_lists
from generator.analyse.related.model import Model, Packed, model_for
from generator.analyse.related.why import reason
from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.model import Paper, Related

# A paper is shown as related only from this score up: below it, the "related" paper
# usually shares one common word ("diffusion"). Chosen on the judged links and the
# labelled pairs (benchmarks/README.md has the table): it hides far more wrong links than
# right ones, and no labelled pair a top 5 finds. It was 0.18 until the LSA basis became
# exact; with the exact basis 0.18 hid more right links for few more wrong ones, so it
# was re-chosen at 0.16.
MIN_SCORE = 0.16


def related_links(
    texts: Sequence[PaperText], model: Model, cache: Cache, k: int = TOP_K
) -> dict[str, tuple[Related, ...]]:
    """Each paper's related papers under ``model``, by id: top k by content, each with
    score and why, and none under :data:`MIN_SCORE` (so a paper may have fewer than k,
    or none). ``cache`` keeps each paper's rows and the lists between builds."""
    if len(texts) < 2 or not model.vocabulary:  # no term shared by two texts: none
        return {}
    kept: Kept[Packed] = Kept(cache, "related-rows", model.key)
    vectors = fold_in(model, texts, kept)
    kept.save()  # and let go: not held while the lists are made
    previous = cache.get("related-state", model.key)
    previous = previous if isinstance(previous, State) else None
    state = related_lists(vectors, previous, model.key, k)
    index = {pid: i for i, pid in enumerate(vectors.ids)}
    held = Counter(tag for t in texts for tag in t.tags)
    narrow = frozenset(tag for tag, n in held.items() if n <= NARROW * len(texts))
    # What a link's judgement reads of a paper: its text, tags and which are narrow.
    text = {
        t.id: keys.link_side(t.title, t.abstract, t.tags, tuple(g for g in t.tags if g in narrow))
        for t in texts
    }
    tags = {t.id: t.tags for t in texts}
    # A curated family (shared coined name, generator/analyse/crosslinks.py) is enough
    # evidence on its own: it reads titles only, so keyed with them.
    kin = families([SimpleNamespace(id=t.id, title=t.title) for t in texts])
    known = previous.whys if previous is not None and previous.model_key == model.key else {}

    def judged(a: str, b: str) -> tuple[float, str]:
        """A link's evidence weight and the reason shown for it, "" for one without
        enough evidence (.evidence): from the two papers' texts and tags alone, so
        kept by their digests."""
        key = (text[a], text[b])
        if key not in state.whys:
            found = known.get(key) or _judge(vectors, index[a], index[b], tags[a], tags[b], narrow)
            if b in kin.get(a, ()) and not found[1]:
                found = (max(found[0], FAMILY), "Same family of models or methods")
            state.whys[key] = found
        return state.whys[key]

    # Catalogue-wide (every paper's tags count), so not part of the kept judgements.
    specific = tag_specificity(held, len(texts))

    def weight(a: str, b: str, score: float, why: str) -> float | None:
        """The link's weight (.evidence.link_weight); None without enough evidence."""
        if not why:
            return None
        # In sorted order: a float sum in a set's order could differ between runs.
        shared = sorted(set(tags[a]) & set(tags[b]))
        found = link_weight(score, sum(specific[g] for g in shared))
        return max(found, FAMILY) if b in kin.get(a, ()) else found

    links = {}
    for t in texts:
        top = [(o, s) for o, s in state.lists[t.id] if s >= MIN_SCORE]
        found = [judged(t.id, o) for o, _ in top]
        show = worth_showing(
            [weight(t.id, o, s, why) for (o, s), (_, why) in zip(top, found, strict=True)]
        )
        links[t.id] = tuple(
            Related(o, s, why) for (o, s), (_, why), ok in zip(top, found, show, strict=True) if ok
        )
    cache.put("related-state", model.key, state)
    return links


def _judge(vectors, i: int, j: int, tags_i, tags_j, narrow) -> tuple[float, str]:
    found = evidence(vectors, i, j, tags_i, tags_j, narrow)
    return found.weight, reason(vectors, i, j, found) if found.enough else ""


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
    texts = [PaperText(p.id, p.title, p.abstract, p.tags) for p in papers]
    links = related_links(texts, model_for(basis, cache), cache, k)
    return [replace(p, related=links[p.id]) if links else p for p in papers]
