"""Each paper's related papers, with score and why: the related model's entry points.

The model is fitted (:mod:`.model`) or found, the papers folded in and their lists of
candidates updated (:mod:`.incremental`), papers sharing specific names added as candidates
(:mod:`.entities`: computed whole each build, so the lists stay exact), the candidates
ordered and cut (:mod:`.ranking`), and each link given its reason (:mod:`.why`). The
pipeline runs this in its worker; :func:`relate` runs it all in the calling process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import SimpleNamespace

from generator.analyse.crosslinks import families
from generator.analyse.related import ranking
from generator.analyse.related.entities import Entities, Shared, as_written
from generator.analyse.related.evidence import FAMILY, NARROW, evidence, tag_specificity
from generator.analyse.related.incremental import (
    BLOCK,
    SPLIT_FROM,
    TOP_K,
    PaperText,
    State,
    Vectors,
    fold_in,
    pair_parts,
    refold,
    related_lists,
)
from generator.analyse.related.model import Model, Packed, model_for
from generator.analyse.related.ranking import POOL, place
from generator.analyse.related.why import listed, reason
from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.infra.forked import in_two
from generator.model import Paper, Related

# A paper is shown as related only from this score up: below it, the "related" paper
# usually shares one common word ("diffusion"). Chosen on the judged links and the
# labelled pairs (benchmarks/README.md has the table): it hides far more wrong links than
# right ones, and no labelled pair a top 5 finds. It was 0.18 until the LSA basis became
# exact; with the exact basis 0.18 hid more right links for few more wrong ones, so it
# was re-chosen at 0.16.
MIN_SCORE = 0.16
# The second retrieval (:mod:`.entities`): each paper's ENTITY_K papers sharing the most
# specific names, from ENTITY_LEAST shared weight up (two rare names, or a rare one and a
# version), join the model's top k as candidates (from MIN_SCORE up, as the others); a
# link whose wording the evidence gate finds too thin is shown on shared names from that
# weight up.
# Weighting the shared names into a link's weight, or ordering by it, did not help on the
# judged parts (benchmarks/README.md, "Round 5").
ENTITY_K = 6
ENTITY_LEAST = 6.0
# Judgements of links (:func:`related_links`): by the two papers' digests, (weight, reason).
Judged = list[tuple[tuple[str, str], tuple[float, str]]]


@dataclass
class Content:
    """The part of the related lists that reads no tag, for the texts it was made of:
    the papers folded into the model and each one's top :data:`ranking.POOL` by score.
    The worker makes it from the deduplicated texts while the first process curates and
    tags (:func:`content`); the curated texts then bring it up to date
    (:func:`up_to_date`), and only the order and the reasons read tags."""

    model_key: str
    vectors: Vectors | None  # let go of once brought up to date (:func:`up_to_date`)
    state: State
    previous: State | None  # the last build's, kept in the cache: its judgements are reused


def content(texts: Sequence[PaperText], model: Model, cache: Cache, k: int = TOP_K) -> Content:
    """The lists' content part for ``texts``, reusing the last build's lists where no
    change reaches (:func:`related_lists`). ``cache`` keeps each paper's rows."""
    kept: Kept[Packed] = Kept(cache, "related-rows", model.key)
    vectors = fold_in(model, texts, kept)
    kept.save()  # and let go: not held while the lists are made
    previous = cache.get("related-state", model.key)
    previous = previous if isinstance(previous, State) else None
    state = related_lists(vectors, previous, model.key, max(k, POOL))
    return Content(model.key, vectors, state, previous)


def up_to_date(
    early: Content, texts: Sequence[PaperText], model: Model, cache: Cache, k: int = TOP_K
) -> Content:
    """:func:`content` of ``texts``, from ``early`` (made of other texts: the papers
    before curation) by the incremental path: a paper whose text a curator changed, or
    one new, hidden or merged away, is a changed one, and only the lists a change can
    reach are computed again — the same lists as :func:`content` of ``texts`` alone.
    ``early``'s rows are let go of here (two catalogues' rows are not held for long)."""
    vectors = early.vectors
    if early.model_key != model.key or vectors is None or early.state.k != max(k, POOL):
        return content(texts, model, cache, k)
    early.vectors = None
    kept: Kept[Packed] | None = None
    if {(t.title, t.abstract) for t in texts} != set(vectors.texts):
        # The rows kept for the next build are the curated texts', as content() keeps.
        kept = Kept(cache, "related-rows", model.key)
    vectors = refold(model, vectors, texts, kept)
    if kept is not None:
        kept.keep(keys.paper_text(t.title, t.abstract) for t in texts)
        kept.save()
    state = related_lists(vectors, early.state, model.key, max(k, POOL))
    return Content(model.key, vectors, state, early.previous)


def related_links(
    texts: Sequence[PaperText],
    model: Model,
    cache: Cache,
    k: int = TOP_K,
    early: Content | None = None,
) -> dict[str, tuple[Related, ...]]:
    """Each paper's related papers under ``model``, by id: of its top
    :data:`ranking.POOL` by content and the papers sharing specific names
    (:mod:`.entities`), none under :data:`MIN_SCORE`, the likeliest (:mod:`.ranking`) with
    the evidence a reason needs, each with score and why, at most k (so a paper may have
    fewer than k, or none). ``cache`` keeps each paper's rows and the lists between
    builds. ``early``: the content part made of other texts (:func:`up_to_date`), or
    none: made here. From :data:`SPLIT_FROM` papers up, half the papers' links are made
    in a copy of this process where that is allowed (the worker:
    :func:`~generator.infra.forked.in_two`)."""
    if len(texts) < 2 or not model.vocabulary:  # no term shared by two texts: none
        return {}
    part = (
        content(texts, model, cache, k)
        if early is None
        else up_to_date(early, texts, model, cache, k)
    )
    vectors, state, previous = part.vectors, part.state, part.previous
    assert vectors is not None
    del part, early
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

    named = Entities([(t.title, t.abstract) for t in texts])
    by_name = named.nearest(ENTITY_K, ENTITY_LEAST, vectors.ids)

    def candidates(block: Sequence[int]) -> dict[int, list[ranking.Candidate]]:
        """The block's papers' candidates, each with its features
        (:data:`ranking.FEATURES`): a paper's list by score and the papers sharing its
        names, from MIN_SCORE up. Scored a block at a time: one product per paper was
        a quarter of the step, the whole catalogue's candidates at once its memory."""
        pairs = []
        for i in block:
            listed = {o for o, _ in state.lists[vectors.ids[i]]}
            pairs += [(i, index[o]) for o, s in state.lists[vectors.ids[i]] if s >= MIN_SCORE]
            pairs += [(i, j) for j in by_name.get(i, ()) if vectors.ids[j] not in listed]
        found: dict[int, list[ranking.Candidate]] = {i: [] for i in block}
        for (i, j), w, s in zip(pairs, *pair_parts(vectors, pairs), strict=True):
            if s < MIN_SCORE:  # a candidate by name scores as the others must
                continue
            a, b = vectors.ids[i], vectors.ids[j]
            # In sorted order: a float sum in a set's order could differ between runs.
            shared = sorted(set(tags[a]) & set(tags[b]))
            features = [
                s,
                w,
                place(_place(state.lists[a], b)),
                place(_place(state.lists[b], a)),  # where a sits in b's list
                sum(specific[g] for g in shared),
                len(shared),
                float(any(g in narrow for g in shared)),
                named.shared(i, j).weight,
            ]
            found[i].append((b, s, features))
        return found

    def linked(blocks: Sequence[Sequence[int]]) -> tuple[dict[str, tuple[Related, ...]], Judged]:
        """The blocks' papers' links, and the judgements they added to the state."""
        links = {}
        before = len(state.whys)
        for block in blocks:
            for i, found in candidates(block).items():
                a = vectors.ids[i]
                shown: list[Related] = []
                # The likeliest first, down to the cut, and at least LEAST if a reason allows.
                for p, (o, s, f) in ranking.ranked(found):
                    if len(shown) >= k or (p < ranking.CUT and len(shown) >= ranking.LEAST):
                        break
                    if shown and not ranking.past_the_first(s, f) and o not in kin.get(a, ()):
                        continue
                    why = judged(a, o)[1] or _named_reason(
                        vectors, i, index[o], named.shared(i, index[o])
                    )
                    if why:  # a link needs the evidence a reason rests on
                        shown.append(Related(o, s, why))
                links[a] = tuple(shown)
        return links, list(state.whys.items())[before:]  # a dict keeps the order added

    order = [index[t.id] for t in texts]
    blocks = [order[start : start + BLOCK] for start in range(0, len(order), BLOCK)]
    if len(order) < SPLIT_FROM:
        links, _ = linked(blocks)
    else:
        # The second half in a copy of this process, on the core the build's process
        # leaves idle while it waits for the lists. Its judgements join the state after
        # this half's, in the order one loop adds them: the next build gets the same state.
        (links, _), (theirs, judgements) = in_two(linked, blocks)
        links |= theirs
        for key, found in judgements:
            state.whys.setdefault(key, found)
    cache.put("related-state", model.key, state)
    return links


def _place(listed: list[tuple[str, float]], other: str) -> int:
    """Where ``other`` sits in a list by score (0 first); :data:`POOL` if not in it."""
    return next((r for r, (o, _) in enumerate(listed) if o == other), POOL)


def _named_reason(vectors: Vectors, i: int, j: int, names: Shared) -> str:
    """The reason for a link that rests on shared names alone ("" below
    :data:`ENTITY_LEAST`): the names as paper i writes them."""
    if names.weight < ENTITY_LEAST:
        return ""
    written = [as_written(n, (*vectors.texts[i], *vectors.texts[j])) for n in names.names[:3]]
    return f"Both name {listed(written)}"


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
