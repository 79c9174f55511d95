"""Recall@5 of related papers on the labelled pairs in related_pairs.yaml.

Each pair counts in both directions: is B among A's top 5, is A among B's top 5.

    .venv/bin/python benchmarks/related_quality.py [--k 5] [--show-misses]

Also precision@6 on related_judged.yaml: 20 random papers' six related papers, judged
(120 links). Of the judged links still shown, the share judged right; a judged link no
longer shown (under the score threshold) is counted apart, right or wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import build_catalogue  # noqa: E402


def labelled_pairs() -> list[tuple[str, str, str]]:
    data = yaml.safe_load((Path(__file__).parent / "related_pairs.yaml").read_text("utf-8"))
    return [tuple(p) for p in data["pairs"]]


def recall(catalogue, k: int = 5) -> tuple[float, list[str]]:
    ids = {t: p.id for p in catalogue.papers for t in (p.title, p.written_title)}
    papers = catalogue.by_id
    hits, misses = 0, []
    pairs = labelled_pairs()
    for kind, a, b in pairs:
        missing = [t for t in (a, b) if t not in ids]
        if missing:
            raise SystemExit(f"not in the catalogue: {missing}")
        for src, dst in ((a, b), (b, a)):
            top = [r.id for r in papers[ids[src]].related[:k]]
            if ids[dst] in top:
                hits += 1
            else:
                misses.append(f"{kind}: {src[:60]} -> {dst[:60]}")
    return hits / (2 * len(pairs)), misses


def judged_links() -> dict[tuple[str, str], bool]:
    data = yaml.safe_load((Path(__file__).parent / "related_judged.yaml").read_text("utf-8"))
    return {(a, b): ok for a, b, ok in data["judged"]}


def precision(catalogue) -> dict[str, int]:
    """Counts over the judged links: shown and right, shown, hidden right, hidden wrong."""
    shown = {(p.id, r.id) for p in catalogue.papers for r in p.related}
    counts = {"right": 0, "shown": 0, "hidden_right": 0, "hidden_wrong": 0}
    for link, ok in judged_links().items():
        if link in shown:
            counts["shown"] += 1
            counts["right"] += ok
        else:
            counts["hidden_right" if ok else "hidden_wrong"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    catalogue = build_catalogue(ROOT / "data")
    score, misses = recall(catalogue, args.k)
    c = precision(catalogue)
    print(
        f"precision of judged links shown: {c['right']}/{c['shown']} = "
        f"{c['right'] / c['shown']:.1%}; hidden by the threshold: {c['hidden_wrong']} wrong, "
        f"{c['hidden_right']} right"
    )
    print(f"pairs: {len(labelled_pairs())}  directed: {2 * len(labelled_pairs())}")
    print(f"recall@{args.k}: {score:.1%}")
    if args.show_misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
