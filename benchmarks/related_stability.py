"""How many other papers' related lists move when a curator edits one paper?

For each edit (merge one paper into another, retitle one, hide one) the related lists
are computed before and after, and a list counts as *moved* when it changed in any
way other than the edited paper entering or leaving it. Two ways of fitting the
model are compared: on the listings' texts (what the build does: curation never
refits) and on the curated papers themselves (refitting on every edit, as before).
Also checks that reusing the previous lists gives exactly a full recomputation.

    .venv/bin/python benchmarks/related_stability.py
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.analyse.related.basis import basis_of  # noqa: E402
from generator.analyse.related.links import relate  # noqa: E402
from generator.infra.cache import Cache  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.pipeline import build_catalogue  # noqa: E402

MERGED = "a-sdm-accelerating-stable-diffusion-through-redundancy-removal-and-performance"
RETITLED = "drivaernet-a-parametric-car-dataset-for-data-driven-aerodynamic-design-and-graph"
HIDDEN = "2-olmo-2-furious"


def lists(papers: list[Paper]) -> dict[str, list[str]]:
    return {p.id: [r.id for r in p.related] for p in papers}


def moved(before: dict[str, list[str]], after: dict[str, list[str]], edited: str) -> int:
    return sum(
        1
        for pid, ids in after.items()
        if pid != edited and ids != before[pid] and not set(ids) ^ set(before[pid]) <= {edited}
    )


def main() -> None:
    catalogue = build_catalogue(ROOT / "data", Cache(None))
    base = [replace(p, related=()) for p in catalogue.papers]
    edits = {
        "merge (A-SDM into its namesake)": (MERGED, [p for p in base if p.id != MERGED]),
        "retitle (DrivAerNet)": (
            RETITLED,
            [replace(p, title=p.title + " and Drag") if p.id == RETITLED else p for p in base],
        ),
        "hide (OLMo 2)": (HIDDEN, [p for p in base if p.id != HIDDEN]),
    }
    listing_basis = basis_of(catalogue.listings)
    print(f"papers: {len(base)}")
    print("| edit | lists moved, model on the listings | lists moved, model refitted |")
    print("| --- | ---: | ---: |")
    for name, (edited, papers) in edits.items():
        row = []
        for basis in (listing_basis, None):
            before = lists(relate(base, basis if basis else None))
            own = basis if basis else [(p.title, p.abstract) for p in papers]
            after = lists(relate(papers, own))
            n = moved(before, after, edited)
            row.append(f"{n} of {len(after) - 1} ({n / (len(after) - 1):.1%})")
        print(f"| {name} | {row[0]} | {row[1]} |")

    # Incremental against full: the cache's previous lists reused after the merge.
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp))
        relate(base, listing_basis, cache)
        reused = lists(relate(edits["merge (A-SDM into its namesake)"][1], listing_basis, cache))
    fresh = lists(relate(edits["merge (A-SDM into its namesake)"][1], listing_basis))
    differing = sum(reused[p] != fresh[p] for p in fresh)
    print(f"incremental vs full recomputation after the merge: {differing} lists differ")


if __name__ == "__main__":
    main()
