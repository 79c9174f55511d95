"""Where the oracle's good neighbours rank in each paper's whole score row (issue 28, round 7).

    python benchmarks/relevance/oracle_ranks.py test4

The catalogue is built once (caching off) and every paper folded into the related model
as a build does; each studied paper's blended score against every other paper is ranked,
and each paper its oracle list names is counted by its rank, by whether the site shows it,
and by whether it scores under the threshold (links.MIN_SCORE): are the good neighbours
candidates at all, or below the cut?
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from oracle_score import oracle  # noqa: E402
from replay import load  # noqa: E402

from generator.analyse.related import links  # noqa: E402
from generator.analyse.related.incremental import PaperText, _scores, fold_in  # noqa: E402
from generator.analyse.related.model import fit  # noqa: E402
from generator.infra.cache import Cache  # noqa: E402

BANDS = ((1, 1), (2, 3), (4, 6), (7, 10), (11, 20), (21, 50), (51, 10**9))


def main(part: str = "test4") -> None:
    papers, basis = load()
    lists = oracle(part)
    shown = {p.id: {r.id for r in p.related} for p in links.relate(papers, basis, Cache(None))}
    texts = [PaperText(p.id, p.title, p.abstract, p.tags) for p in papers]
    vectors = fold_in(fit(basis), texts)
    index = {pid: i for i, pid in enumerate(vectors.ids)}
    rows = np.array([index[pid] for pid in lists], dtype=np.int64)
    scores = _scores(vectors, rows)
    scores[np.arange(len(rows)), rows] = -1.0  # not itself
    found = []  # (rank from 1, score, shown) of each listed pair
    for r, (pid, good) in enumerate(lists.items()):
        ranks = np.empty(len(vectors.ids), dtype=np.int64)
        # By score, then id: as the related lists break ties.
        order = sorted(range(len(vectors.ids)), key=lambda c: (-scores[r, c], vectors.ids[c]))
        ranks[order] = np.arange(1, len(order) + 1)
        found += [(ranks[index[g]], scores[r, index[g]], g in shown[pid]) for g in good]
    print(f"{part}: {len(found)} listed pairs")
    print("| rank in the score row | listed | shown |\n| --- | ---: | ---: |")
    for lo, hi in BANDS:
        band = [f for f in found if lo <= f[0] <= hi]
        label = f"{lo}" if lo == hi else (f"{lo}–{hi}" if hi < 10**9 else f"{lo}+")
        print(f"| {label} | {len(band)} | {sum(f[2] for f in band)} |")
    under = sum(f[1] < links.MIN_SCORE for f in found)
    print(f"scoring under MIN_SCORE ({links.MIN_SCORE}): {under}")


if __name__ == "__main__":
    main(*sys.argv[1:])
