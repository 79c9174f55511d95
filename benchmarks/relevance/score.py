"""Score a built catalogue against the blind judgements (issue 28).

    python benchmarks/relevance/score.py site/catalogue.json [test|tuning]

Judgements are per (paper, tag) and per (paper, related paper), so a catalogue built
after a change is scored on what it shows now: a tag or link the judges never saw is
counted as unjudged (and must be judged, blind, before a figure is claimed). A tag a judge
listed as clearly missing and the catalogue now shows counts as right: the judge said so.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def labels(part: str) -> dict[str, dict]:
    """Every judged paper of a part, by id, from each judge's file. A later file (pairs
    judged after a change showed them) adds to a paper's judgements, never replaces them."""
    found: dict[str, dict] = {}
    for path in sorted((HERE / "labels").glob(f"{part}-*.json")) + sorted(
        (HERE / "labels").glob(f"{part}.json")
    ):
        for pid, label in json.loads(path.read_text())["papers"].items():
            into = found.setdefault(pid, {"tags": {}, "missing": [], "related": {}})
            into["tags"].update(label.get("tags", {}))
            into["related"].update(label.get("related", {}))
            into["missing"] += [t for t in label.get("missing", []) if t not in into["missing"]]
    return found


def score(catalogue: dict[str, dict], judged: dict[str, dict]) -> dict[str, object]:
    tags, links, first = Counter(), Counter(), Counter()
    missing_papers = none_shown = 0
    for pid, label in judged.items():
        paper = catalogue[pid]
        for tag in paper["tags"]:
            # A tag the judge listed as clearly missing was judged: right, when shown.
            listed = "right" if tag in label.get("missing", []) else "unjudged"
            tags[label["tags"].get(tag, listed)] += 1
        if set(label.get("missing", [])) - set(paper["tags"]):
            missing_papers += 1
        shown = [r["id"] for r in paper["related"]]
        none_shown += not shown
        for rank, rid in enumerate(shown):
            verdict = label["related"].get(rid, "unjudged")
            links[verdict] += 1
            if rank == 0:
                first[verdict] += 1
    n = len(judged)
    judged_tags = tags["right"] + tags["wrong"]
    judged_links = links["good"] + links["weak"] + links["wrong"]

    def share(count: int, total: int) -> str:
        return f"{100 * count / total:.1f}% ({count}/{total})" if total else "n/a"

    return {
        "papers": n,
        "tag precision": share(tags["right"], judged_tags),
        "tags unjudged": tags["unjudged"],
        "papers missing a clearly needed tag": share(missing_papers, n),
        "related good": share(links["good"], judged_links),
        "related weak": share(links["weak"], judged_links),
        "related wrong": share(links["wrong"], judged_links),
        "links unjudged": links["unjudged"],
        "first link good": share(first["good"], sum(first.values()) - first["unjudged"]),
        "papers with no related paper shown": share(none_shown, n),
    }


def main(catalogue_path: str, part: str = "test") -> None:
    papers = json.loads(Path(catalogue_path).read_text())["papers"]
    catalogue = {p["id"]: p for p in papers}
    tagged = sum(1 for p in papers if p["tags"])
    for name, value in score(catalogue, labels(part)).items():
        print(f"{name}: {value}")
    print(f"papers tagged (whole catalogue): {100 * tagged / len(papers):.1f}% ({tagged})")


if __name__ == "__main__":
    main(*sys.argv[1:])
