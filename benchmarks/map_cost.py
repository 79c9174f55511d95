"""What the map of the catalogue costs (generator/analyse/atlas.py, render/atlas.py).

For each data folder: the catalogue is built first (not timed: the build has it), then
the map's two parts are timed as a build runs them — what the build's main process does
(the map's inputs and cache key) and what its worker does (the papers' vectors under
the related model, t-SNE, the SVG) — and the SVG's bytes, raw and gzipped, are given,
and how many of each paper's 10 nearest papers by text (cosine of the model's rows) are
among its 10 nearest points on the map ("kept": what a reader of the map relies on).

    python benchmarks/map_cost.py data /tmp/synth5k/ /tmp/synth50k/

Synthetic folders come from benchmarks/synthetic.py (their dumps under listings/).
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.analyse.atlas import MAP_POINTS, layout, sample  # noqa: E402
from generator.analyse.related.incremental import PaperText, fold_in  # noqa: E402
from generator.analyse.related.model import kept_model  # noqa: E402
from generator.infra.cache import Cache  # noqa: E402
from generator.pipeline import build_catalogue  # noqa: E402
from generator.render.atlas import draw, map_input  # noqa: E402
from generator.render.paths import directory_url  # noqa: E402


def neighbours_kept(plan, cache: Cache, k: int = 10) -> float:
    """Of each drawn paper's k nearest papers by text, the share among its k nearest
    points on the map."""
    import numpy as np

    texts = [PaperText(*p) for p in plan.papers]
    points = layout(texts, plan.model, cache)
    chosen = [texts[i] for i in sample([t.id for t in texts])]
    vectors = fold_in(kept_model(plan.model, cache), chosen)
    rows = vectors.latent if vectors.latent is not None else vectors.matrix.toarray()
    rows = np.array(rows, dtype=np.float64)
    rows[~rows.any(axis=1)] = 1.0
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    xy = np.array([points[t.id] for t in chosen], dtype=np.float64)
    kept = 0
    for start in range(0, len(chosen), 1000):
        cosine = unit[start : start + 1000] @ unit.T
        far = ((xy[start : start + 1000, None, :] - xy[None, :, :]) ** 2).sum(axis=-1)
        own = np.arange(len(cosine)), np.arange(start, start + len(cosine))
        cosine[own], far[own] = -np.inf, np.inf
        text = np.argsort(-cosine, axis=1, kind="stable")[:, :k]
        near = np.argsort(far, axis=1, kind="stable")[:, :k]
        kept += sum(len(set(a) & set(b)) for a, b in zip(text, near, strict=True))
    return kept / (k * len(chosen))


def measure(data: Path) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="map-cost-"))
    try:
        cache = Cache(folder)
        catalogue = build_catalogue(data, cache)
        start = time.perf_counter()
        plan = map_input(catalogue, directory_url)
        main = time.perf_counter() - start
        start = time.perf_counter()
        svg = draw(plan, cache)
        worker = time.perf_counter() - start
        again = draw(plan, Cache(None))
        return {
            "papers": len(catalogue.papers),
            "points": min(len(catalogue.papers), MAP_POINTS),
            "main s": round(main, 2),
            "worker s": round(worker, 2),
            "svg bytes": len(svg.encode()),
            "gzip bytes": len(gzip.compress(svg.encode(), 6, mtime=0)),
            "same twice": again == svg,
            "kept": round(neighbours_kept(plan, cache), 3),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path, help="data folders")
    for data in parser.parse_args().data:
        print(data, measure(data), flush=True)


if __name__ == "__main__":
    main()
