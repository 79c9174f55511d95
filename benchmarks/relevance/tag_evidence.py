"""Where each judged tag's phrases fired (issue 28, round 7).

    python benchmarks/relevance/tag_evidence.py            # every judged-wrong tag
    python benchmarks/relevance/tag_evidence.py right      # every judged-right tag

For every tag the catalogue shows on a judged paper (all judged parts: rounds 1-4), the
phrases, terms and regexes of the tag that matched, and where: the title, or sentence k
of the abstract's n, read as *background* (before the first sentence that speaks of the
paper's own work: "we", "our", "this paper", "here"), *experiments* (after it, naming
experiments, evaluation, benchmarks, datasets or results) or *contribution* (the rest).
Tags are grouped by the kind of evidence they rest on — a title match with the same one
phrase or none in the abstract, a title match with more, four abstract matches or more
(sure), fewer (weak) — and each group is counted by verdict and round, the question being
whether any kind of evidence is judged wrong more often than right.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import tag_replay  # noqa: E402
from score import labels  # noqa: E402

from generator.curate import tagging  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.text.fold import phrase_text as fold  # noqa: E402

# A sentence ends at . ! or ? before a capital, a bracket or a quote, but not after an
# abbreviation ("e.g. ViT", "Hoffmann et al. (2022)").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)(?<!\bal\.)(?<!\bvs\.)\s+(?=[A-Z(\"'])"
)
_OWN_WORK = re.compile(
    r"\b(we|our|us|this (paper|work|study|article|survey|review)|in this (paper|work)|here)\b",
    re.IGNORECASE,
)
_EXPERIMENTS = re.compile(
    r"\b(experiment\w*|evaluat\w*|benchmark\w*|results?|outperform\w*|achiev\w*|"
    r"empirical\w*|validat\w*|tested|ablation\w*|datasets?)\b",
    re.IGNORECASE,
)


def sentences(abstract: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(abstract.strip()) if s]


def roles(abstract: str) -> list[str]:
    """Each sentence's part in the abstract: background, contribution or experiments."""
    said = sentences(abstract)
    first = next((i for i, s in enumerate(said) if _OWN_WORK.search(s)), len(said))
    return [
        "background" if i < first else "experiments" if _EXPERIMENTS.search(s) else "contribution"
        for i, s in enumerate(said)
    ]


@dataclass(frozen=True)
class Match:
    """One match of a tag's rules: the text matched and where (``title`` or ``s3/8``)."""

    text: str
    where: str
    role: str  # title, background, contribution or experiments


def _found(tag: tagging.Tag, raw: str, folded: str, title: bool) -> list[str]:
    if tag.exclude:
        folded = tag.exclude.sub(" ", folded)
    kinds = [tag.folded, tag.generic] + ([tag.title_only] if title else [])
    said = [m.strip() for p in kinds if p for m in p.findall(folded)]
    return said + [m if isinstance(m, str) else "".join(m) for p in tag.raw for m in p.findall(raw)]


def evidence(paper: Paper, tag: tagging.Tag) -> list[Match]:
    """Every match of ``tag``'s rules in the paper's title and abstract, with where."""
    found = [Match(m, "title", "title") for m in _found(tag, paper.title, fold(paper.title), True)]
    said = sentences(paper.abstract)
    for i, (sentence, role) in enumerate(zip(said, roles(paper.abstract), strict=True)):
        where = f"s{i + 1}/{len(said)}"
        found += [Match(m, where, role) for m in _found(tag, sentence, fold(sentence), False)]
    return found


def kind(found: list[Match], weak: bool) -> str:
    """The kind of evidence a tag rests on (see the module's docstring)."""
    phrases = {fold(m.text).strip() for m in found}
    if any(m.role == "title" for m in found):
        return "title, one phrase" if len(phrases) == 1 else "title and more"
    return "abstract, weak" if weak else "abstract, sure"


def main(argv: list[str]) -> None:
    wanted = argv[0] if argv else "wrong"
    taxonomy, _ = tagging.load_taxonomy(tag_replay.ROOT / "data" / "taxonomy.yaml")
    tags = {t.name: t for t in taxonomy.tags}
    items = tag_replay.papers()
    by_id = {p.id: p for p in items}
    shown = tag_replay.tag_all(items, tag_replay.ROOT / "data" / "taxonomy.yaml", {})
    counts: Counter = Counter()
    # The same tag on the same evidence (title or not, the same phrases): judged both ways?
    seen: dict[tuple, Counter] = {}
    for round_name, parts in tag_replay.ROUNDS.items():
        for part in parts:
            for pid, label in labels(part).items():
                paper = by_id[pid]
                weak = tagging.tagged(paper, taxonomy).weak
                for name in shown[pid]:
                    verdict = tag_replay.verdict(label, name)
                    found = evidence(paper, tags[name])
                    counts[(kind(found, name in weak), round_name, verdict)] += 1
                    same = (
                        name,
                        any(m.role == "title" for m in found),
                        frozenset(fold(m.text).strip().removesuffix("s") for m in found),
                    )
                    seen.setdefault(same, Counter())[verdict] += 1
                    seen[same][(verdict, round_name)] = 1
                    if verdict != wanted:
                        continue
                    print(f"[{part}] {name} ({kind(found, name in weak)}) — {paper.title[:80]}")
                    for m in found:
                        print(f"    {m.where:>6} {m.role:<12} {m.text}")
    print("\n| evidence | " + " | ".join(f"{r}: wrong / right" for r in tag_replay.ROUNDS) + " |")
    for group in ("title, one phrase", "title and more", "abstract, sure", "abstract, weak"):
        cells = [
            f"{counts[(group, r, 'wrong')]} / {counts[(group, r, 'right')]}"
            for r in tag_replay.ROUNDS
        ]
        print(f"| {group} | " + " | ".join(cells) + " |")
    both = sum(c["wrong"] for c in seen.values() if c["right"])
    alone = sum(c["wrong"] for c in seen.values() if not c["right"])
    print(
        f"\nwrong tags whose very evidence (tag, title or not, phrases) was judged right on "
        f"another paper: {both}; on evidence never judged right: {alone}, over "
        f"{sum(1 for c in seen.values() if c['wrong'] and not c['right'])} distinct evidences, "
        f"of which {sum(1 for c in seen.values() if not c['right'] and rounds(c) > 1)} "
        "were judged wrong in more than one round"
    )


def rounds(count: Counter) -> int:
    """How many rounds judged an evidence wrong (keys ("wrong", round))."""
    return sum(1 for key in count if isinstance(key, tuple) and key[0] == "wrong")


if __name__ == "__main__":
    main(sys.argv[1:])
