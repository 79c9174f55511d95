"""Time and peak memory of the core stages at N papers (synthetic beyond the real 720).

Each N runs in a fresh process so peak RSS is that run's alone.

    .venv/bin/python benchmarks/scale.py 720 10000 50000
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(data_dir: Path) -> dict:
    """The core's stages as the build runs them (no cache), with time and the peak RSS
    reached by the end of each stage."""
    from generator.analyse.crosslinks import link
    from generator.analyse.related.basis import basis_of
    from generator.analyse.related.incremental import fold_in, nearest
    from generator.analyse.related.links import relate
    from generator.analyse.related.model import fit
    from generator.curate.tagging import load_taxonomy, tag_papers
    from generator.ingest.dedup import deduplicate
    from generator.ingest.listings import listing_files, parse_file

    times, peaks = {}, {}

    def stage(name: str, start: float) -> None:
        times[name] = time.perf_counter() - start
        peaks[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    t = time.perf_counter()
    results = [parse_file(p) for p in listing_files(data_dir / "listings", data_dir)[0]]
    listings = [r.listing for r in results]
    papers, _ = deduplicate(e for lst in listings for e in lst.entries)
    stage("parse+dedup", t)
    t = time.perf_counter()
    taxonomy, _ = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
    papers = tag_papers(papers, taxonomy)
    stage("tagging", t)
    basis = basis_of(listings)
    t = time.perf_counter()
    model = fit(basis)
    stage("related: fit model", t)
    t = time.perf_counter()
    vectors = fold_in(model, papers)
    stage("related: fold in", t)
    t = time.perf_counter()
    nearest(vectors)
    stage("related: top-k", t)
    del vectors, model
    t = time.perf_counter()
    papers = relate(papers, basis)  # all of it again, with the why of each link
    stage("related: whole stage", t)
    t = time.perf_counter()
    papers = link(papers)
    stage("families+mentions", t)
    return {"papers": len(papers), "times_s": times, "peak_rss_mb": peaks}


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        if n == 720:
            data = ROOT / "data"
        else:
            from synthetic import write_catalogue

            data = write_catalogue(n, Path(tmp))
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        for n in map(int, sys.argv[1:]):
            r = run(n)
            print(f"{r['papers']:>6} papers", flush=True)
            for k, v in r["times_s"].items():
                print(f"  {k:22s} {v:7.1f} s   peak RSS so far {r['peak_rss_mb'][k]} MB")
