"""Tag precision and recall on labelled papers (benchmarks/tag_gold.yaml).

    .venv/bin/python benchmarks/tag_quality.py            # tables for benchmarks/README.md
    .venv/bin/python benchmarks/tag_quality.py --draw     # the sample, as it was drawn
    .venv/bin/python benchmarks/tag_quality.py --errors   # each false and missed tag, and why

Two samples (how each was chosen is in its file's header):

* tag_gold.yaml — 45 random papers, each with every tag a reader would accept. Overall
  precision and recall come from it alone: it is a random sample of papers.
* tag_pairs.yaml — 3 papers per tag drawn from what the rules gave, each judged yes/no:
  with the gold papers' tags, the per-tag precision (a small tag has no support in 45
  random papers).

Precision: of the tags the rules give, the share a reader accepts. Recall: of the tags
the labels give, the share the rules find.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.infra.cache import Cache  # noqa: E402
from generator.pipeline import build_catalogue  # noqa: E402

GOLD = Path(__file__).with_name("tag_gold.yaml")
PAIRS = Path(__file__).with_name("tag_pairs.yaml")
SEED, SIZE = 20261125, 45


def gold() -> dict[str, set[str]]:
    return {pid: set(tags) for pid, tags in yaml.safe_load(GOLD.read_text("utf-8")).items()}


def pairs() -> dict[tuple[str, str], bool]:
    return {(pid, tag): ok for tag, pid, ok in yaml.safe_load(PAIRS.read_text("utf-8"))}


def per_tag_precision(catalogue, labels, judged) -> dict[str, tuple[int, int]]:
    """(right, judged) per tag: gold papers' tags and the still-given judged pairs."""
    out: dict[str, list[int]] = {}
    for pid, wanted in labels.items():
        for tag in catalogue.by_id[pid].tags:
            c = out.setdefault(tag, [0, 0])
            c[0] += tag in wanted
            c[1] += 1
    for (pid, tag), ok in judged.items():
        if tag in catalogue.by_id[pid].tags and pid not in labels:
            c = out.setdefault(tag, [0, 0])
            c[0] += ok
            c[1] += 1
    return {t: (r, n) for t, (r, n) in out.items()}


def why(catalogue, taxonomy, pid: str, tag: str) -> str:
    """What in the paper's text the tag's rules matched."""
    from generator.curate.tagging import FoldedText

    paper = catalogue.by_id[pid]
    rule = next(t for t in taxonomy.tags if t.name == tag)
    text = FoldedText.of(paper.title, paper.abstract)
    found = []
    for pattern, where in (
        (rule.folded, text.folded_title + text.folded_abstract),
        (rule.title_only, text.folded_title),
    ):
        if pattern:
            found += pattern.findall(where)
    for pattern in rule.raw:
        found += pattern.findall(paper.title + " " + paper.abstract)
    return ", ".join(sorted(set(map(str, found))))


def measure(catalogue, labels: dict[str, set[str]]):
    """(true, given, labelled) counts per tag, and the errors as (id, tag, kind)."""
    by_id = catalogue.by_id
    counts: dict[str, Counter] = {}
    errors = []
    for pid, wanted in labels.items():
        given = set(by_id[pid].tags)
        for tag in given | wanted:
            c = counts.setdefault(tag, Counter())
            c["given"] += tag in given
            c["labelled"] += tag in wanted
            c["true"] += tag in given and tag in wanted
            if tag in given and tag not in wanted:
                errors.append((pid, tag, "false"))
            elif tag in wanted and tag not in given:
                errors.append((pid, tag, "missed"))
    return counts, errors


def main(argv: list[str]) -> int:
    catalogue = build_catalogue(ROOT / "data", Cache(None))
    if "--draw" in argv:
        papers = sorted(catalogue.papers, key=lambda p: p.id)
        for paper in random.Random(SEED).sample(papers, SIZE):
            print(paper.id, "|", paper.title)
        return 0
    labels = gold()
    counts, errors = measure(catalogue, labels)
    true = sum(c["true"] for c in counts.values())
    given = sum(c["given"] for c in counts.values())
    labelled = sum(c["labelled"] for c in counts.values())
    tagged = sum(1 for p in catalogue.papers if p.tags) / len(catalogue.papers)
    print(
        f"papers: {len(labels)}  judgements: {len(labels) * len(catalogue.vocabulary.tags)}"
        f" (positive: {labelled})  tags given: {given}"
    )
    print(f"precision: {true / given:.1%}  recall: {true / labelled:.1%}  tagged: {tagged:.1%}")
    judged = pairs()
    precision = per_tag_precision(catalogue, labels, judged)
    right = sum(r for r, _ in precision.values())
    total = sum(n for _, n in precision.values())
    print(f"per-tag sample: {len(judged)} judged pairs; pooled precision {right / total:.1%}")
    worst = sorted((r / n, t) for t, (r, n) in precision.items())[:3]
    print("lowest: " + ", ".join(f"{t} {p:.0%}" for p, t in worst))
    print()
    print("| tag | precision (right / judged) | recall on the 45 papers (found / labelled) |")
    print("| --- | ---: | ---: |")
    for tag in [t.name for t in catalogue.vocabulary.tags]:
        r, n = precision.get(tag, (0, 0))
        c = counts.get(tag, Counter())
        p = f"{r / n:.0%} ({r}/{n})" if n else "—"
        rec = (
            f"{c['true'] / c['labelled']:.0%} ({c['true']}/{c['labelled']})"
            if c["labelled"]
            else "—"
        )
        print(f"| {tag} | {p} | {rec} |")
    if "--errors" in argv:
        from generator.curate.tagging import load_taxonomy

        taxonomy, _ = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
        print()
        wrong = [
            (pid, tag, "false")
            for (pid, tag), ok in judged.items()
            if not ok and tag in catalogue.by_id[pid].tags
        ]
        for pid, tag, kind in sorted(errors + wrong, key=lambda e: (e[2], e[1], e[0])):
            reason = why(catalogue, taxonomy, pid, tag) if kind == "false" else ""
            print(f"{kind:6} {tag:28} {pid[:60]:60} {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
