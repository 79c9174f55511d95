"""Replay the related step over the real catalogue under other settings, and score each
setting on the judged parts (issue 28, round 5): choosing weights without a build each.

    python benchmarks/relevance/replay.py [NAME=VALUE ...]

NAME is a constant of :mod:`generator.analyse.related.links`, ``.ranking`` or ``.evidence``
(e.g. ``ENTITY_K=0 ENTITY_LEAST=1e9`` turns the shared names off; ``CUT=0.3``). The catalogue
is built once (caching off); each setting re-runs
:func:`generator.analyse.related.links.relate` on its papers and basis and scores the four
tuning parts (`score.py`). A link no judge has seen counts as not good here:
``good`` is good / all shown, the share of shown links unjudged beside it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from score import labels  # noqa: E402

from generator.analyse.related import evidence, links, ranking  # noqa: E402
from generator.analyse.related.basis import basis_of  # noqa: E402
from generator.infra.cache import Cache  # noqa: E402
from generator.pipeline import build_catalogue  # noqa: E402

PARTS = ("test", "tuning", "test2", "tuning2")


def load():
    catalogue = build_catalogue(ROOT / "data", Cache(None))
    return list(catalogue.papers), basis_of(catalogue.listings)


def run(papers, basis, settings: dict[str, float]) -> dict[str, list[str]]:
    saved = {}
    for name, value in settings.items():
        module = next(m for m in (links, ranking, evidence) if hasattr(m, name))
        saved[(module, name)] = getattr(module, name)
        setattr(module, name, value)
    try:
        related = links.relate(papers, basis, Cache(None))
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
    return {p.id: [r.id for r in p.related] for p in related}


def score(shown: dict[str, list[str]], part: str) -> dict[str, float]:
    links_, first = Counter(), Counter()
    none = 0
    judged = labels(part)
    for pid, label in judged.items():
        ids = shown[pid]
        none += not ids
        for rank, rid in enumerate(ids):
            verdict = label["related"].get(rid, "unjudged")
            links_[verdict] += 1
            if rank == 0:
                first[verdict] += 1
    n_links = sum(links_.values())
    n_first = sum(first.values())
    return {
        "good": links_["good"] / n_links if n_links else 0.0,
        "wrong": links_["wrong"] / n_links if n_links else 0.0,
        "unjudged": links_["unjudged"] / n_links if n_links else 0.0,
        "first": first["good"] / n_first if n_first else 0.0,
        "none": none / len(judged),
        "links": n_links,
        "n_unjudged": links_["unjudged"],
    }


def line(name: str, shown: dict[str, list[str]]) -> str:
    cells = []
    for part in PARTS:
        s = score(shown, part)
        cells.append(
            f"{part}: {100 * s['good']:.1f}/{100 * s['wrong']:.1f}/u{s['n_unjudged']} "
            f"first {100 * s['first']:.1f} none {100 * s['none']:.1f} n{s['links']}"
        )
    per_paper = sum(map(len, shown.values())) / len(shown)
    empty = sum(not v for v in shown.values()) / len(shown)
    return f"{name} | " + " | ".join(cells) + f" | all: {per_paper:.2f}/paper, none {empty:.1%}"


def main(argv: list[str]) -> None:
    papers, basis = load()
    settings = {}
    for arg in argv:
        name, value = arg.split("=")
        module = next((m for m in (links, ranking, evidence) if hasattr(m, name)), None)
        kind = type(getattr(module, name, 0.0))
        settings[name] = bool(int(value)) if kind is bool else kind(value)
    print(line(" ".join(argv) or "as committed", run(papers, basis, settings)))


if __name__ == "__main__":
    main(sys.argv[1:])
