"""Time and peak memory at N papers (synthetic beyond the real 720).

Two measurements:

* the core's stages, each N in a fresh process so peak RSS is that run's alone::

    .venv/bin/python benchmarks/scale.py 720 10000 50000

* ``--builds``: whole site builds as a user runs them (``mkdocs build``), cold (empty
  cache, no site) and then again after one 250-paper listing is added, with wall clock,
  peak RSS (``/usr/bin/time -v``: the largest process) and the site's bytes, built with
  the addresses the Pages workflow sets (``PUBLISHED``: canonical links, ``og:url`` and a
  full sitemap are in the published site's bytes, and only there)::

    nice -n 10 .venv/bin/python benchmarks/scale.py --builds --work benchmarks/out 5000

  The catalogue is ``synthetic.py``'s realistic one (``--bare``: without metadata), N
  papers and the held-out listing; it is written once per N and kept in WORK for reruns.
  ``--repeat R`` builds the addition R times from a copy of the cold build's cache and
  site, since a single run's wall clock moves with the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
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


ADDED = 250  # papers in the added listing: synthetic.PER_DUMP, one dump
# What .github/workflows/pages.yml sets for the build it publishes: with SITE_URL every
# page gains its canonical link and og:url and the sitemap lists every page; REPO_URL
# adds the repository's link. A site measured without them is not the one published.
PUBLISHED = {
    "SITE_URL": "https://example.github.io/paper-catalogue",
    "REPO_URL": "https://github.com/example/paper-catalogue",
    "EDIT_URI": "edit/main/docs/",
}


def timed_build(data: Path, cache: Path, site: Path) -> tuple[float, int]:
    """One ``mkdocs build`` as a user runs it: wall clock (s) and peak RSS (KiB)."""
    env = os.environ | {
        "PAPER_CATALOGUE_DATA": str(data),
        "PAPER_CATALOGUE_CACHE": str(cache),
        "SOURCE_DATE_EPOCH": "1700000000",
        "NO_MKDOCS_2_WARNING": "1",
        **PUBLISHED,
    }
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *mkdocs], cwd=ROOT, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])
    return wall, peak


def site_bytes(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def pages_tar_bytes(site: Path) -> int:
    """The size of the tar ``actions/upload-pages-artifact`` packs from ``site`` (its
    flags: links and hard links stored as the files they name), counted, not kept."""
    tar = subprocess.Popen(
        ["tar", "--dereference", "--hard-dereference", "-C", str(site), "-cf", "-", "."],
        stdout=subprocess.PIPE,
    )
    total = 0
    while chunk := tar.stdout.read(1 << 20):
        total += len(chunk)
    if tar.wait():
        raise SystemExit(f"tar of {site} failed")
    return total


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def builds(n: int, work: Path, repeat: int, bare: bool) -> None:
    """Cold build of ``n`` papers, then the same with one listing added."""
    from synthetic import HELD_OUT, write_catalogue

    folder = work / f"{n}{'-bare' if bare else ''}"
    data, added = folder / "data", folder / "added"
    if not (folder / "written").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_catalogue(n + ADDED, data, bare=bare, held_out=ADDED)
        (data / HELD_OUT).rename(added)
        shutil.copy(ROOT / "data" / "taxonomy.yaml", data)
        (folder / "written").touch()
    new_files = [p.relative_to(added) for p in sorted(added.rglob("*")) if p.is_file()]
    for name in new_files:  # an earlier run stopped before taking them out again
        (data / name).unlink(missing_ok=True)
    cache, site = folder / "cache", folder / "site"
    for path in (cache, site, folder / "cold-cache", folder / "cold-site"):
        shutil.rmtree(path, ignore_errors=True)
    print(f"{n} papers + {ADDED}: {load()}", flush=True)
    wall, peak = timed_build(data, cache, site)
    size, count = site_bytes(site)
    print(
        f"  cold   {wall:7.1f} s  peak {peak:,} KiB  site {size:,} B ({count} files), "
        f"Pages tar {pages_tar_bytes(site):,} B  {load()}",
        flush=True,
    )
    if repeat > 1:
        shutil.copytree(cache, folder / "cold-cache")
        shutil.copytree(site, folder / "cold-site", symlinks=True)
    for i in range(repeat):
        if i:  # from the cold build's state again
            for path, kept in ((cache, "cold-cache"), (site, "cold-site")):
                shutil.rmtree(path)
                shutil.copytree(folder / kept, path, symlinks=True)
        shutil.copytree(added, data, dirs_exist_ok=True)  # the same folder, one listing more
        try:
            t, p = timed_build(data, cache, site)
        finally:
            for name in new_files:
                (data / name).unlink()
        size, count = site_bytes(site)
        print(
            f"  +{ADDED}   {t:7.1f} s  = {100 * t / wall:.1f}% of cold  peak {p:,} KiB  "
            f"site {size:,} B ({count} files), Pages tar {pages_tar_bytes(site):,} B  {load()}",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(measure(Path(sys.argv[2]))))
        raise SystemExit
    sys.path.insert(0, str(Path(__file__).parent))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--builds", action="store_true", help="whole builds, cold and +1 listing")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--bare", action="store_true", help="papers without metadata")
    args = parser.parse_args()
    for n in args.sizes:
        if args.builds:
            builds(n, args.work.resolve(), args.repeat, args.bare)
            continue
        r = run(n)
        print(f"{r['papers']:>6} papers", flush=True)
        for k, v in r["times_s"].items():
            print(f"  {k:22s} {v:7.1f} s   peak RSS so far {r['peak_rss_mb'][k]} MB")
