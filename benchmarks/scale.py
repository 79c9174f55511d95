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
    from generator.dedup import deduplicate
    from generator.links import link
    from generator.listings import listing_files, parse_all
    from generator.related import relate
    from generator.tagging import load_taxonomy, tag_papers

    times = {}
    t = time.perf_counter()
    results = parse_all(listing_files(data_dir / "listings"))
    papers, _ = deduplicate(e for r in results for e in r.listing.entries)
    times["parse+dedup"] = time.perf_counter() - t
    t = time.perf_counter()
    taxonomy, _ = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
    papers = tag_papers(papers, taxonomy)
    times["tagging"] = time.perf_counter() - t
    t = time.perf_counter()
    papers = relate(papers)
    times["related"] = time.perf_counter() - t
    t = time.perf_counter()
    papers = link(papers)
    times["families+mentions"] = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"papers": len(papers), "times_s": times, "peak_rss_mb": round(peak_mb)}


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
            stages = "  ".join(f"{k} {v:.1f}s" for k, v in r["times_s"].items())
            print(f"{r['papers']:>6} papers  {stages}  peak RSS {r['peak_rss_mb']} MB", flush=True)
