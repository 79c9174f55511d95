"""CPU of the build process's two per-catalogue stages, cold and with one listing added:
``curate`` (tags from the cache, the tag profiles' ``settle``) and the search index made
ahead (search input, ``build_index``, the index put in the cache), run in one process by
the build's own stage functions: on a shared machine a whole ``mkdocs build`` at 20,000
papers takes longer than a session can wait, and these are what the build's process
spends its CPU on (benchmarks/README.md, "Round 8: the search index and the tag profiles").

    nice -n 10 .venv/bin/python benchmarks/stage_cpu.py DATA ADDED CACHE [PROFILE]

DATA is a catalogue (e.g. ``/work/scale-out/20000/data`` copied, with the current
taxonomy), ADDED the held-out listing's folder (``listings/``, ``arxiv/``), CACHE an
empty folder. The first run builds cold and keeps a copy of that cache beside CACHE;
every run then copies ADDED in, builds from the cold cache (the one-listing build's
state) and takes ADDED out again. PROFILE: a path prefix for cProfile files of the
one-listing run's two stages.
"""

from __future__ import annotations

import cProfile
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(label: str, profile: str | None, work):
    """``work()``, its CPU time printed, profiled into ``profile-label.prof`` if given."""
    profiler = cProfile.Profile() if profile else None
    start = time.process_time()
    if profiler:
        profiler.enable()
    result = work()
    if profiler:
        profiler.disable()
        profiler.dump_stats(f"{profile}-{label}.prof")
    print(f"  {label}: {time.process_time() - start:.2f} s cpu  load {load()}", flush=True)
    return result


def stages(data: Path, cache_dir: Path, profile: str | None) -> None:
    from generator.curate.cached import PlainTexts
    from generator.export.site_data import search_index_ahead
    from generator.infra.cache import Cache
    from generator.infra.worker import InProcess
    from generator.ingest.dedup import deduplicate
    from generator.model import Catalogue
    from generator.pipeline import (
        Merged,
        Problems,
        Run,
        curate,
        known_arxiv_ids,
        read_curator_files,
        read_dumps,
        read_taxonomy,
    )
    from generator.render.paths import directory_url
    from generator.text.files import Snapshot

    cache = Cache(cache_dir)
    run = Run(Snapshot(data), data.parent, cache, "stage-cpu", InProcess())
    problems = Problems(run.data_dir, run.root)

    def read():
        dumps = read_dumps(run, problems)
        curator = read_curator_files(run, problems)
        entries = (e for lst in dumps.listings for e in lst.entries)
        merged = Merged(*deduplicate(entries, known_arxiv_ids(curator)))
        return dumps, curator, merged, read_taxonomy(run, problems)

    dumps, curator, merged, taxonomy = timed("read", None, read)
    reader = PlainTexts(cache)
    curation = timed(
        "curate",
        profile,
        lambda: curate(merged, dumps, taxonomy, curator, reader, run, problems),
    )
    reader.save()
    papers = tuple(sorted(curation.papers, key=lambda p: p.id))
    catalogue = Catalogue(papers=papers, listings=dumps.listings, meta=curation.meta)
    timed("index", profile, lambda: search_index_ahead(catalogue, directory_url, cache))
    print(f"  ({len(papers)} papers)", flush=True)


def main() -> None:
    data, added, cache_dir = (Path(a).resolve() for a in sys.argv[1:4])
    profile = sys.argv[4] if len(sys.argv) > 4 else None
    cold = cache_dir.with_name(cache_dir.name + "-cold")
    new = [p.relative_to(added) for p in sorted(added.rglob("*")) if p.is_file()]
    for name in new:  # an earlier run stopped before taking them out again
        (data / name).unlink(missing_ok=True)
    if not cold.exists():
        print(f"cold, load {load()}", flush=True)
        shutil.rmtree(cache_dir, ignore_errors=True)
        stages(data, cache_dir, None)
        shutil.copytree(cache_dir, cold)
    shutil.rmtree(cache_dir, ignore_errors=True)
    shutil.copytree(cold, cache_dir)
    shutil.copytree(added, data, dirs_exist_ok=True)
    try:
        print(f"one listing added, load {load()}", flush=True)
        stages(data, cache_dir, profile)
    finally:
        for name in new:
            (data / name).unlink()


if __name__ == "__main__":
    main()
