"""Score a built catalogue's related links against the oracle lists (issue 28, round 7).

    python benchmarks/relevance/oracle_score.py site/catalogue.json test4

The shown-link labels (`score.py`) judge only the links a site showed, so they cannot say
whether better neighbours existed. The oracle lists can: blind judges went through the
whole catalogue for each paper of a part and listed every paper good to follow (at most
10, best first; `labels/oracle-<part>-*.json`). Here the site's shown links are read
against them: how many shown links the oracle listed (precision), whether the first one
is listed, how many papers show at least one listed paper, and how many listed pairs are
shown (recall).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def oracle(part: str) -> dict[str, list[str]]:
    """Each studied paper's oracle list, by id, from every judge's file of the part."""
    found: dict[str, list[str]] = {}
    for path in sorted((HERE / "labels").glob(f"oracle-{part}-*.json")):
        for pid, label in json.loads(path.read_text())["papers"].items():
            found[pid] = list(label["good"])
    if not found:
        raise SystemExit(f"no oracle lists for part {part!r} under {HERE / 'labels'}")
    return found


def score(shown: dict[str, list[str]], lists: dict[str, list[str]]) -> dict[str, float | int]:
    """The oracle figures of ``shown`` (paper id -> shown related ids, in order)."""
    links = listed_shown = first_listed = with_first = with_one = none = pairs = 0
    found_pairs = 0
    for pid, good in lists.items():
        ids = shown.get(pid, [])
        good_set = set(good)
        links += len(ids)
        hits = sum(r in good_set for r in ids)
        listed_shown += hits
        with_one += hits > 0
        none += not ids
        if ids:
            with_first += 1
            first_listed += ids[0] in good_set
        pairs += len(good)
        found_pairs += len(good_set & set(ids))
    return {
        "papers": len(lists),
        "links": links,
        "precision": listed_shown / links if links else 0.0,
        "listed_shown": listed_shown,
        "first": first_listed / with_first if with_first else 0.0,
        "first_listed": first_listed,
        "with_first": with_first,
        "with_one": with_one,
        "recall": found_pairs / pairs if pairs else 0.0,
        "found_pairs": found_pairs,
        "pairs": pairs,
        "none": none,
    }


def report(s: dict[str, float | int]) -> list[str]:
    n = s["papers"]
    return [
        f"papers: {n}",
        f"oracle precision of shown links: {100 * s['precision']:.1f}% "
        f"({s['listed_shown']}/{s['links']})",
        f"first link in the oracle list: {100 * s['first']:.1f}% "
        f"({s['first_listed']}/{s['with_first']})",
        f"papers with >= 1 oracle link shown: {100 * s['with_one'] / n:.1f}% ({s['with_one']}/{n})",
        f"oracle recall@shown: {100 * s['recall']:.1f}% ({s['found_pairs']}/{s['pairs']})",
        f"papers with no related paper shown: {100 * s['none'] / n:.1f}% ({s['none']}/{n})",
    ]


def main(catalogue_path: str, part: str = "test4") -> None:
    papers = json.loads(Path(catalogue_path).read_text())["papers"]
    shown = {p["id"]: [r["id"] for r in p["related"]] for p in papers}
    print("\n".join(report(score(shown, oracle(part)))))


if __name__ == "__main__":
    main(*sys.argv[1:])
