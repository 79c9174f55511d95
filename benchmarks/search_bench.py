"""Search in headless Chromium at N papers: bytes, time to ready, time to results, memory.

Measures the design the site uses — a lunr index prebuilt by lunr.py, loaded by our
worker (docs/javascripts/paper-search-worker.js) — and, for comparison, Material's
own worker, which builds its index in the browser from the documents on every load.
Both run in a bare harness page served on loopback, the worker files unchanged.

    .venv/bin/python benchmarks/search_bench.py 720 50000 [--material 720 10000]

Bytes are gzip -6 sizes (what GitHub Pages sends); loopback serves them uncompressed,
so load times here are parse + index load, not network. Memory is the summed RSS of
Chromium's processes once the index is ready.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from conftest import CHROMIUM_ARGS, serve_directory  # noqa: E402

from generator.dedup import deduplicate  # noqa: E402
from generator.exports import URLS_FILE, urls_json  # noqa: E402
from generator.listings import listing_files, parse_all  # noqa: E402
from generator.model import Catalogue  # noqa: E402
from generator.pages import directory_url  # noqa: E402
from generator.search import INDEX_FILE, META_FILE, build_index, search_input  # noqa: E402
from generator.tagging import load_taxonomy, tag_papers  # noqa: E402

QUERIES = ["mixture of experts", "LoRA", "merg", "μP", "scaling laws", "diffusion model"]
MATERIAL_WORKER = next(
    (Path(__import__("material").__file__).parent / "templates/assets/javascripts/workers").glob(
        "search.*.min.js"
    )
)

# What Material's search plugin writes into search_index.json with its defaults.
CONFIG = {
    "lang": ["en"],
    "separator": r"[\s\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
}

HARNESS = """<!doctype html><meta charset="utf-8"><title>bench</title><body><script>
const frames = []; let last = performance.now();
(function tick(now) { frames.push(now - last); last = now; requestAnimationFrame(tick) })(last);
window.bench = async function (workerUrl, docs, queries, config) {
  const worker = new Worker(workerUrl);
  worker.addEventListener("error", e => console.log("worker error: " + e.message));
  const reply = () => new Promise(
    r => worker.addEventListener("message", e => r(e.data), { once: true }));
  const t0 = performance.now();
  const ready = reply();
  worker.postMessage({ type: 0, data: { config, docs, options: { suggest: false } } });
  await ready;
  const readyMs = performance.now() - t0;
  const longest = Math.max(...frames);
  const out = [];
  for (const q of queries) {
    for (let i = 1; i <= q.length; i++) {  // every keystroke, as typing sends them
      const s = performance.now(); const r = reply();
      worker.postMessage({ type: 2, data: q.slice(0, i) });
      const res = await r;
      if (i === q.length) out.push([q, performance.now() - s, res.data.items.length]);
    }
  }
  return { readyMs, longestFrameMs: longest, queries: out };
};
</script>"""


def catalogue_for(n: int, tmp: Path) -> Catalogue:
    """The real catalogue at 720, a synthetic one beyond (tags, no related: search needs none)."""
    if n == 720:
        data = ROOT / "data"
    else:
        from synthetic import write_catalogue

        data = write_catalogue(n, tmp / "data")
    results = parse_all(listing_files(data / "listings", data)[0])
    papers, _ = deduplicate(e for r in results for e in r.listing.entries)
    taxonomy, _ = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
    papers = tag_papers(papers, taxonomy)
    return Catalogue(tuple(papers), tuple(r.listing for r in results), (), taxonomy.vocabulary)


def chromium_rss_mb() -> float:
    out = subprocess.run(["ps", "-C", "chromium", "-o", "rss="], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split()) / 1024


def run(browser, site: Path, worker: str, docs: list) -> dict:
    with serve_directory(site) as base:
        page = browser.new_page()
        page.on("console", lambda m: print("  console:", m.text, flush=True))
        page.on("pageerror", lambda e: print("  pageerror:", e, flush=True))
        page.goto(base + "bench.html")
        result = page.evaluate(
            "([w, d, q, c]) => bench(w, d, q, c)", [worker, docs, QUERIES, CONFIG]
        )
        result["rss_mb"] = round(chromium_rss_mb())
        page.close()
        return result


def gz(text: str) -> int:
    return len(gzip.compress(text.encode(), 6))


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument(
        "--material", type=int, nargs="*", default=[], help="sizes for Material's worker"
    )
    args = parser.parse_args()
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for n in sorted(set(args.sizes) | set(args.material)):
            catalogue = catalogue_for(n, tmp / str(n))
            site = tmp / f"site{n}"
            for sub in ("search", "javascripts", "assets/vendor"):
                (site / sub).mkdir(parents=True, exist_ok=True)
            (site / "bench.html").write_text(HARNESS)
            if n in args.sizes:
                t = time.perf_counter()
                files = search_input(catalogue, lambda pid: f"papers/{pid}/")
                index = build_index(files.documents)
                build_s = time.perf_counter() - t
                (site / INDEX_FILE).write_text(index)
                (site / META_FILE).write_text(files.meta)
                (site / URLS_FILE).write_text(urls_json(catalogue, directory_url))
                shutil.copy(ROOT / "docs/javascripts/paper-search-worker.js", site / "javascripts")
                shutil.copy(
                    Path(__import__("mkdocs.contrib.search").contrib.search.__file__).parent
                    / "templates/search/lunr.js",
                    site / "assets/vendor/lunr.js",
                )
                r = run(browser, site, "javascripts/paper-search-worker.js", [])
                size = gz(files.index) + gz(files.meta)
                print(
                    f"prebuilt  n={n:>6}  build {build_s:6.1f} s  gzip {size / 1e6:6.2f} MB"
                    f" ({size / n:4.0f} B/paper)  ready {r['readyMs']:7.0f} ms"
                    f"  longest main-thread frame {r['longestFrameMs']:4.0f} ms"
                    f"  RSS {r['rss_mb']} MB"
                )
                for q, ms, hits in r["queries"]:
                    print(f"          {q!r:22} {ms:6.1f} ms  {hits} results")
            if n in args.material:
                docs = [
                    {
                        "location": f"papers/{p.id}/",
                        "title": p.title,
                        "text": p.abstract,
                        "tags": list(p.tags),
                    }
                    for p in catalogue.papers
                ]
                shutil.copy(MATERIAL_WORKER, site / "javascripts" / "material.js")
                size = gz(json.dumps({"config": {}, "docs": docs}))
                r = run(browser, site, "javascripts/material.js", docs)
                print(
                    f"material  n={n:>6}  gzip {size / 1e6:6.2f} MB ({size / n:4.0f} B/paper)"
                    f"  ready {r['readyMs']:7.0f} ms  RSS {r['rss_mb']} MB"
                )
                for q, ms, hits in r["queries"]:
                    print(f"          {q!r:22} {ms:6.1f} ms  {hits} results")
        browser.close()


if __name__ == "__main__":
    main()
