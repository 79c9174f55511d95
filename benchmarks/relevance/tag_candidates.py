"""Rules tried against the judged-wrong "sure" tags, each checked by leave-one-round-out
cross-validation over the four judged rounds (issue 28, round 7).

    python benchmarks/relevance/tag_candidates.py

Each family below changes which tags a paper keeps; a family with a setting (a threshold)
has it chosen on three rounds — the setting whose dropped tags were judged wrong most
often beyond right, against today's rules — and is scored on the fourth, in all four
directions. A family without a setting is scored on each round as it stands. Printed:
for each family and round left out, the tags it drops there judged wrong / right (a tag a
judge listed as clearly missing counts right), and the whole catalogue's tags changed.
A rule is worth keeping only where the left-out rounds lose clearly more wrong tags than
right ones. None did (benchmarks/README.md, "Round 7 (tags)").
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import tag_evidence  # noqa: E402
import tag_replay  # noqa: E402
from score import labels  # noqa: E402

from generator.curate import profiles, tagging  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.text.fold import phrase_text as fold  # noqa: E402

TAXONOMY = tag_replay.ROOT / "data" / "taxonomy.yaml"
Tags = dict[str, tuple[str, ...]]


def _weigh(tag: tagging.Tag, text: tagging.FoldedText) -> tuple[int, int, int]:
    """:meth:`tagging.Tag.weigh`'s score, with the title's and the abstract's matches apart."""
    score, in_title = tag.weigh(text)
    if not score:
        return 0, 0, 0
    title = tagging._hits(text.folded_title, tag.folded, tag.title_only, tag.generic)
    title += tagging._hits(text.title, *tag.raw)
    title = title if in_title else 0
    return score, title, score - tagging.TITLE_WEIGHT * title


def tagged_with(also_weak: Callable[[Paper, tagging.Tag, int, int, int], bool]):
    """:func:`tagging.tagged`, with more tags weak (so questioned by the tag profiles):
    those ``also_weak(paper, tag, score, title matches, abstract matches)`` names."""

    def tagged(paper: Paper, taxonomy: tagging.Taxonomy) -> tagging.Tagged:
        got = ORIGINAL_TAGGED(paper, taxonomy)
        text = tagging.FoldedText.of(paper.title, paper.abstract)
        by_name = {t.name: t for t in taxonomy.tags}
        extra = {
            name
            for name in got.names
            if also_weak(paper, by_name[name], *_weigh(by_name[name], text))
        }
        return tagging.Tagged(got.names, got.weak | extra)

    return tagged


ORIGINAL_TAGGED = tagging.tagged


def replay(items: list[Paper], tagged=None, settings: dict | None = None) -> Tags:
    tagging.tagged = tagged or ORIGINAL_TAGGED
    try:
        return tag_replay.tag_all(items, TAXONOMY, {} if settings is None else settings)
    finally:
        tagging.tagged = ORIGINAL_TAGGED


def dropping(base: Tags, keep: Callable[[Paper, str], bool], items: list[Paper]) -> Tags:
    """``base`` without the tags ``keep`` refuses, unless that would leave a paper bare."""
    out = {}
    for paper in items:
        kept = tuple(t for t in base[paper.id] if keep(paper, t))
        out[paper.id] = kept or base[paper.id]
    return out


def net(moved: Counter) -> int:
    return moved["-wrong"] - moved["-right"] + moved["+right"] - moved["+wrong"]


def cells(moved: Counter) -> str:
    added = (
        f", +{moved['+right']} / +{moved['+wrong']}" if moved["+right"] + moved["+wrong"] else ""
    )
    return f"{moved['-wrong']} / {moved['-right']}{added}"


def cross_validate(name: str, base: Tags, runs: dict[str, Tags]) -> None:
    """One row per round left out: the setting chosen on the others and what it did there.
    Leaving the rules as they are is always a choice: a family that helps nowhere is not
    chosen."""
    runs = {"no change": base, **runs}
    whole = {s: sum(len(set(base[p]) ^ set(t[p])) for p in base) for s, t in runs.items()}
    for out, held in tag_replay.ROUNDS.items():
        chosen = tuple(p for r, parts in tag_replay.ROUNDS.items() if r != out for p in parts)
        best = max(
            runs,
            key=lambda s: (net(tag_replay.changes(base, runs[s], chosen)), -whole[s]),
        )
        there = tag_replay.changes(base, runs[best], chosen)
        left = tag_replay.changes(base, runs[best], held)
        print(f"| {name} | {out} | {best} | {cells(there)} | **{cells(left)}** | {whole[best]} |")


def fixed(name: str, base: Tags, after: Tags) -> None:
    whole = sum(len(set(base[p]) ^ set(after[p])) for p in base)
    for out, held in tag_replay.ROUNDS.items():
        moved = tag_replay.changes(base, after, held)
        print(f"| {name} | {out} | (no setting) | | **{cells(moved)}** | {whole} |")


def main() -> None:
    items = tag_replay.papers()
    taxonomy, _ = tagging.load_taxonomy(TAXONOMY)
    by_name = {t.name: t for t in taxonomy.tags}
    base = replay(items)
    print(
        "| family | left out | chosen on the other rounds | there: dropped wrong / right | "
        "left out: dropped wrong / right | tags changed, whole catalogue |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: |")

    # 1. A title match the abstract never echoes is weak: the tag profiles question it.
    echo = tagged_with(lambda p, tag, score, title, abstract: title > 0 and abstract == 0)
    cross_validate(
        "title match, no abstract match: weak",
        base,
        {f"NEAR {n}": replay(items, echo, {"NEAR": n}) for n in (0.45, 0.5, 0.6, 0.7, 0.8)},
    )

    # 2. A title match resting on one phrase (the same or none in the abstract) is weak.
    def one_phrase(p, tag, score, title, abstract):
        found = tag_evidence.evidence(p, tag)
        return title > 0 and len({fold(m.text).strip() for m in found}) == 1

    cross_validate(
        "title match, one phrase: weak",
        base,
        {
            f"NEAR {n}": replay(items, tagged_with(one_phrase), {"NEAR": n})
            for n in (0.3, 0.4, 0.45, 0.5, 0.6)
        },
    )

    # 3. Where the phrase stands: a tag without a title match whose every abstract match
    # is in background or experiment sentences gives way to the paper's other tags.
    def in_context(paper: Paper, name: str) -> bool:
        found = tag_evidence.evidence(paper, by_name[name])
        return not found or any(m.role in ("title", "contribution") for m in found)

    fixed(
        "only background / experiment sentences: dropped", base, dropping(base, in_context, items)
    )

    # 4. A tag far below the paper's best (its score a share of the best tag's) gives way.
    def below(share: float):
        def keep(paper: Paper, name: str) -> bool:
            text = tagging.FoldedText.of(paper.title, paper.abstract)
            scores = {t: by_name[t].score(text) for t in base[paper.id]}
            return scores[name] >= share * max(scores.values())

        return keep

    cross_validate(
        "score under a share of the paper's best: dropped",
        base,
        {f"share {s}": dropping(base, below(s), items) for s in (0.15, 0.2, 0.25, 0.3, 0.4)},
    )

    # 5. Fewer tags a paper (the lowest scoring go).
    cross_validate(
        "at most MAX_TAGS tags",
        base,
        {f"MAX_TAGS {m}": replay(items, settings={"MAX_TAGS": m}) for m in (3, 4, 5, 6)},
    )

    # 6. One phrase said more often is still an aside.
    cross_validate(
        "one phrase needs ONE_PHRASE_HITS",
        base,
        {f"ONE_PHRASE_HITS {h}": replay(items, settings={"ONE_PHRASE_HITS": h}) for h in (4, 5)},
    )

    # 7. The tag profiles' nearness asked of the sure tags too: each paper measured
    # against its tag's other sure papers (itself left out).
    near = nearness(items, base)
    cross_validate(
        "sure tags questioned by the profiles too",
        base,
        {
            f"NEAR {n}": dropping(base, lambda p, t, n=n: not near.get((p.id, t), 1) < n, items)
            for n in (0.3, 0.4, 0.5, 0.6, 0.7)
        },
    )
    for least in (1, 2):
        phrase_audit(items, base, by_name, least)


def nearness(items: list[Paper], base: Tags) -> dict[tuple[str, str], float]:
    """:func:`profiles.closeness` of every shown tag the rules are sure of, against the
    tag's sure papers (the profile the build uses)."""
    taxonomy, _ = tagging.load_taxonomy(TAXONOMY)
    ordered = sorted(items, key=lambda p: p.id)
    names = sorted({t for tags in base.values() for t in tags})
    column = {t: j for j, t in enumerate(names)}
    sure = np.zeros((len(ordered), len(names)), dtype=bool)
    pairs = []
    for i, paper in enumerate(ordered):
        weak = tagging.tagged(paper, taxonomy).weak
        for name in base[paper.id]:
            if name not in weak:
                sure[i, column[name]] = True
                pairs.append((i, column[name]))
    x = profiles.vectors(profiles.terms(p) for p in ordered)
    near = profiles.closeness(x, sure, pairs, [p.id for p in ordered])
    return {
        (ordered[i].id, names[j]): float(v)
        for (i, j), v in zip(pairs, near, strict=True)
        if v == v  # NaN: no profile
    }


def phrase_audit(
    items: list[Paper], base: Tags, by_name: dict[str, tagging.Tag], least: int
) -> None:
    """8. A phrase the judges called wrong on the other rounds, alone, at least ``least``
    times and never right, made generic (it counts only beside another match of its
    tag): chosen on three rounds, scored on the fourth. What it drops: the tags resting on
    the phrase alone — no title match, that phrase every abstract match — on papers that
    keep another tag."""
    resting: dict[tuple[str, str], tuple[str, str]] = {}
    for paper in items:
        for name in base[paper.id]:
            found = tag_evidence.evidence(paper, by_name[name])
            said = {fold(m.text).strip() for m in found}
            alone = len(said) == 1 and all(m.role != "title" for m in found)
            if found and alone and len(base[paper.id]) > 1:
                resting[(paper.id, name)] = (name, said.pop())
    verdicts = {}
    for round_name, parts in tag_replay.ROUNDS.items():
        for part in parts:
            for pid, label in labels(part).items():
                for name in base[pid]:
                    verdicts[(pid, name)] = (round_name, tag_replay.verdict(label, name))
    for out in tag_replay.ROUNDS:
        tally: dict[tuple[str, str], Counter] = {}
        for key, phrase in resting.items():
            if key in verdicts and verdicts[key][0] != out:
                tally.setdefault(phrase, Counter())[verdicts[key][1]] += 1
        chosen = {p for p, c in tally.items() if c["wrong"] >= least and not c["right"]}
        held = Counter(
            verdicts[key][1]
            for key, phrase in resting.items()
            if phrase in chosen and key in verdicts and verdicts[key][0] == out
        )
        whole = sum(1 for phrase in resting.values() if phrase in chosen)
        names = ", ".join(f"{t}: {p}" for t, p in sorted(chosen))
        print(
            f"| phrase judged wrong alone ({least}+, never right): generic | {out} "
            f"| {names or 'none'} | | **{held['wrong']} / {held['right']}** | {whole} |"
        )


if __name__ == "__main__":
    main()
