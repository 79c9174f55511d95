"""Fit the related links' order and cut (generator/analyse/related/ranking.py) on the oracle
lists, and score it held out (issue 28, round 7).

    python benchmarks/relevance/fit_oracle.py [PENALTY ...]

The catalogue is built once (caching off) and the related step run once to record every
paper's candidates with their features (:func:`ranking.ranked` is wrapped). A logistic
regression (NumPy, Newton's method, L2 on standardised weights) is fitted on one oracle
fold — positives the papers the oracle lists, negatives every other candidate — and the
related step re-run with those weights scores the other fold (`oracle_score.py`) for
each cut; then the reverse. The last block is the fit on both folds — the weights to
write into ranking.py — with the shown-link labels of rounds 1–4 (`score.py`'s parts,
good/wrong %, a link no judge saw counted as unjudged) for each cut.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from oracle_score import oracle, score  # noqa: E402
from related_quality import labelled_pairs  # noqa: E402
from replay import load  # noqa: E402
from replay import score as label_score  # noqa: E402

from generator.analyse.related import links, ranking  # noqa: E402
from generator.infra.cache import Cache  # noqa: E402

FOLDS = ("test4", "test3")
CUTS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
LEAST = (1,)  # (1, 2, 3) were tried: benchmarks/README.md
PARTS = ("test", "tuning", "test2", "tuning2", "test3", "test4")


def table(papers, basis) -> dict[str, list[ranking.Candidate]]:
    """Every paper's candidates with their features, as the related step makes them."""
    calls: list[list[ranking.Candidate]] = []
    real = ranking.ranked

    def recording(candidates):
        calls.append(candidates)
        return real(candidates)

    ranking.ranked = recording
    try:
        links.relate(papers, basis, Cache(None))
    finally:
        ranking.ranked = real
    return {p.id: found for p, found in zip(papers, calls, strict=True)}


def fit(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple:
    """(MEAN, SCALE, WEIGHTS, BIAS) of an L2-penalised logistic regression."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    w = np.zeros(z.shape[1])
    ridge = penalty * np.diag(np.r_[0.0, np.ones(z.shape[1] - 1)])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + ridge @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + ridge
        w -= np.linalg.solve(hess, grad)
    return tuple(mean), tuple(scale), tuple(w[1:]), float(w[0])


def examples(found: dict[str, list[ranking.Candidate]], fold: str):
    """The fold's candidates as (features, listed by the oracle)."""
    lists = oracle(fold)
    rows = [(f, o in set(lists[pid])) for pid in lists for o, _, f in found[pid]]
    return np.array([f for f, _ in rows]), np.array([g for _, g in rows], dtype=np.float64)


def shown_with(papers, basis, fitted, cut, least=1) -> dict[str, list[str]]:
    """Each paper's shown links under these weights, cut and least number shown."""
    names = ("MEAN", "SCALE", "WEIGHTS", "BIAS", "CUT", "LEAST")
    saved = [getattr(ranking, n) for n in names]
    for name, value in zip(names, (*fitted, cut, least), strict=True):
        setattr(ranking, name, value)
    try:
        related = links.relate(papers, basis, Cache(None))
    finally:
        for name, value in zip(names, saved, strict=True):
            setattr(ranking, name, value)
    return {p.id: [r.id for r in p.related] for p in related}


def recall(papers, shown: dict[str, list[str]], k: int = 5) -> float:
    """Recall@k on the labelled pairs (benchmarks/related_quality.py), both directions."""
    ids = {t: p.id for p in papers for t in (p.title, p.written_title)}
    pairs = labelled_pairs()
    hits = sum(ids[b] in shown[ids[a]][:k] for _, x, y in pairs for a, b in ((x, y), (y, x)))
    return hits / (2 * len(pairs))


def cell(s: dict) -> str:
    return (
        f"prec {100 * s['precision']:.1f} first {100 * s['first']:.1f} "
        f">=1 {s['with_one']} rec {100 * s['recall']:.1f} links {s['links']} none {s['none']}"
    )


def labels_cell(shown: dict[str, list[str]]) -> str:
    out = []
    for part in PARTS:
        s = label_score(shown, part)
        out.append(f"{part} {100 * s['good']:.0f}/{100 * s['wrong']:.0f}/u{s['n_unjudged']}")
    return " ".join(out)


def main(argv: list[str]) -> None:
    penalties = [float(a) for a in argv] or [30.0]
    papers, basis = load()
    found = table(papers, basis)
    for penalty in penalties:
        for train, test in (FOLDS, FOLDS[::-1]):
            fitted = fit(*examples(found, train), penalty)
            for cut in CUTS:
                for least in LEAST:
                    shown = shown_with(papers, basis, fitted, cut, least)
                    print(
                        f"L2 {penalty} fit {train} cut {cut} least {least}: held out {test}: "
                        f"{cell(score(shown, oracle(test)))} | fitted on: "
                        f"{cell(score(shown, oracle(train)))} | recall@5 "
                        f"{100 * recall(papers, shown):.1f}"
                    )
    x = np.concatenate([examples(found, fold)[0] for fold in FOLDS])
    y = np.concatenate([examples(found, fold)[1] for fold in FOLDS])
    fitted = fit(x, y, penalties[0])
    for cut, least in ((c, n) for c in CUTS for n in LEAST):
        shown = shown_with(papers, basis, fitted, cut, least)
        per_paper = sum(map(len, shown.values())) / len(shown)
        none = sum(not v for v in shown.values())
        both = {**oracle(FOLDS[0]), **oracle(FOLDS[1])}
        print(
            f"both folds, cut {cut} least {least}: {cell(score(shown, both))}; "
            f"{per_paper:.2f} links a paper, {none} with none, "
            f"recall@5 {100 * recall(papers, shown):.1f}"
        )
        print(f"   labels: {labels_cell(shown)}")
    print("fitted on both folds:")
    for name, value in zip(("MEAN", "SCALE", "WEIGHTS"), fitted[:3], strict=True):
        print(f"{name} = ({', '.join(f'{v:.4f}' for v in value)})")
    print(f"BIAS = {fitted[3]:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
