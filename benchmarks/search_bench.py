"""Search in headless Chromium at N papers: bytes, time to ready, time to results, memory.

Measures the design the site uses — a lunr index prebuilt by lunr.py, loaded by our
worker (docs/javascripts/paper-search-worker.js) — and, for comparison, Material's
own worker, which builds its index in the browser from the documents on every load.
Both run in a bare harness page served on loopback, the worker files unchanged.

    .venv/bin/python benchmarks/search_bench.py 720 50000 [--material 720 10000]
    .venv/bin/python benchmarks/search_bench.py 20000 --worker old.js --worker new.js

Bytes are gzip -6 sizes (what GitHub Pages sends); loopback serves them uncompressed,
so load times here are parse + index load, not network. Memory is the summed RSS of
Chromium's processes once the index is ready. Each first query is also run in Node
(tests/worker_node.js, when Node is installed) for what the machine's load moves less
than a time: the round trips to its first results and to its final answer (fetches
each waiting for one before it) and the worker's CPU time. ``--worker`` measures other
worker files (an older commit's, say) on the same search files, one after the other.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

import mkdocs.contrib.search  # noqa: E402
from conftest import CHROMIUM_ARGS  # noqa: E402

from generator.curate.arxiv_meta import load_found, paper_meta  # noqa: E402
from generator.curate.tagging import load_taxonomy, tag_papers  # noqa: E402
from generator.export.search import (  # noqa: E402
    INDEX_FILE,
    SPLIT_FROM,
    build_index,
    search_input,
)
from generator.export.site_data import URLS_FILE, urls_json  # noqa: E402
from generator.ingest.dedup import deduplicate  # noqa: E402
from generator.ingest.listings import listing_files, parse_all  # noqa: E402
from generator.model import Catalogue  # noqa: E402
from generator.render.paths import directory_url  # noqa: E402

WORKER = "docs/javascripts/paper-search-worker.js"
WORKER_SCRIPT = "javascripts/paper-search-worker.js"  # where the harness page finds it
LUNR_JS = "assets/vendor/lunr.js"
LUNR_SOURCE = Path(mkdocs.contrib.search.__file__).parent / "templates/search/lunr.js"
MATERIAL_QUERIES = ["mixture of experts", "LoRA", "merg", "μP", "scaling laws", "diffusion model"]
# The first is what a reader asks before anything else is loaded; then the old six, and
# what issue 11 added: typos, a British spelling, a long query ranked by every word.
QUERIES = [*MATERIAL_QUERIES, "difusion", "tranformer", "quantisation", "2 OLMo 2 Furious"]
# A reader's first query, each in a fresh page (nothing cached): one word, two words, a
# model name, a typo, and the three words the typed run starts with (issue 31).
FIRST_QUERIES = ["diffusion", "scaling laws", "Llama 3", "tranformer", "mixture of experts"]
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
  const seen = [];  // every message, timed
  let wake = null;
  worker.addEventListener("message", e => {
    seen.push([performance.now(), e.data]); if (wake) wake() });
  const until = pred => new Promise(resolve => {
    const check = () => { const m = seen.find(pred); if (m) { wake = null; resolve(m) } };
    wake = check; check() });
  const answer = (q, final) => m =>
    m[1].type === 3 && m[1].query === q && (!final || m[1].final !== false);
  const t0 = performance.now();
  worker.postMessage({ type: 0, data: { config, docs, options: { suggest: false } } });
  const ready = (await until(m => m[1].type === 1))[0] - t0;
  // The reader's first query, whole (typed while the index loaded, or pasted): when its
  // first results show and when the abstracts' results do, from the worker's start.
  const q0 = queries[0];
  worker.postMessage({ type: 2, data: q0 });
  const firstEarly = (await until(answer(q0, false)))[0] - t0;
  await fetch("mark?first");
  const firstFinal = (await until(answer(q0, true)))[0] - t0;
  await fetch("mark?final");
  const firstQuery = { early: firstEarly, final: firstFinal };
  const out = [];
  for (const q of queries) {
    let s = 0;
    for (let i = 1; i <= q.length; i++) {  // every keystroke, as typing sends them
      s = performance.now(); seen.length = 0;
      worker.postMessage({ type: 2, data: q.slice(0, i) });
      await until(answer(q.slice(0, i), false));
    }
    const early = (await until(answer(q, false)))[0] - s;
    const done = await until(answer(q, true));
    out.push([q, early, done[0] - s, done[1].data.items.length]);
    await fetch("mark?" + encodeURIComponent(q));  // the server notes the bytes so far
  }
  return { readyMs: ready, firstQuery, longestFrameMs: Math.max(...frames), queries: out };
};
// A first query in a fresh page: sent with Material's SETUP, as if typed while the page
// loaded; times from the worker's start to its first answer with results and to the
// final one.
window.first = async function (workerUrl, query) {
  const worker = new Worker(workerUrl);
  const t0 = performance.now();
  const result = new Promise(resolve => {
    let early = null;
    worker.addEventListener("message", e => {
      const m = e.data;
      if (m.type !== 3 || m.query !== query) return;
      const now = performance.now() - t0;
      if (early === null && m.data.items.length) early = now;
      if (m.final !== false) resolve({ early: early === null ? now : early, final: now,
                                       items: m.data.items.length });
    });
  });
  worker.postMessage({ type: 0, data: { config: {}, docs: [], options: { suggest: false } } });
  worker.postMessage({ type: 2, data: query });
  const r = await result;
  worker.terminate();
  return r;
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
    # what enrich found (authors, dates): the realistic catalogue's bylines and years
    found, _ = load_found(data, data.parent)
    meta = {p.id: paper_meta({}, found[p.id], False) for p in papers if p.id in found}
    return Catalogue(
        tuple(papers), tuple(r.listing for r in results), (), taxonomy.vocabulary, meta
    )


def chromium_rss_mb() -> float:
    out = subprocess.run(["ps", "-C", "chromium", "-o", "rss="], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split()) / 1024


class _LoggingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the harness, noting each file asked for (``mark?`` requests note a query)."""

    log_to: ClassVar[list[str]] = []

    def do_GET(self):
        self.log_to.append(self.path.lstrip("/"))
        if self.path.startswith("/mark?"):
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def bench_page(browser, site: Path, asked: list[str]) -> Iterator:
    """The bench harness page, served from ``site`` on loopback in a fresh browser page;
    every path the page asks for is appended to ``asked``."""
    handler = type("Handler", (_LoggingHandler,), {"log_to": asked})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.on("console", lambda m: print("  console:", m.text, flush=True))
        page.on("pageerror", lambda e: print("  pageerror:", e, flush=True))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/bench.html")
        yield page
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def first_query(browser, site: Path, worker: str, query: str) -> dict:
    """One first query in a fresh page: its times, and the gzip bytes and number of the
    search files fetched for it (the head and urls.json among them)."""
    asked: list[str] = []
    with bench_page(browser, site, asked) as page:
        result = page.evaluate("([w, q]) => first(w, q)", [worker, query])
    fetched = [path for path in asked if path.startswith("search/")]
    result["bytes"] = sum(gz((site / path).read_text("utf-8")) for path in fetched)
    result["files"] = len(fetched)
    kinds: dict[str, int] = {}
    for path in fetched:  # "search/cards-07.json.gz" -> cards
        kind = path.removeprefix("search/").split("-")[0].split(".")[0]
        kinds[kind] = kinds.get(kind, 0) + gz((site / path).read_text("utf-8"))
    result["kinds"] = kinds
    return result


def node_timeline(site: Path, query: str) -> dict | None:
    """The first query in a fresh worker run in Node on the same files (tests/worker_node.js
    with WORKER_TIMELINE): round trips to the first results and to the final answer, and
    the worker's CPU time (ms); None without Node."""
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        return None
    result = subprocess.run(
        [node, str(ROOT / "tests" / "worker_node.js"), str(site), str(site / LUNR_JS)],
        input=json.dumps([{"query": query}]),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WORKER_TIMELINE": "1"},
    )
    return json.loads(result.stdout)[0]["timeline"]


def run(browser, site: Path, worker: str, docs: list, queries: list[str]) -> dict:
    asked: list[str] = []
    with bench_page(browser, site, asked) as page:
        result = page.evaluate(
            "([w, d, q, c]) => bench(w, d, q, c)", [worker, docs, queries, CONFIG]
        )
        result["rss_mb"] = round(chromium_rss_mb())
    result["asked"] = list(asked)
    return result


def bytes_by_query(site: Path, asked: list[str]) -> list[int]:
    """Gzip bytes of the search files fetched before each query's mark, cumulative."""
    total, out = 0, []
    for path in asked:
        if path.startswith("mark?"):
            out.append(total)
        elif path.startswith("search/"):
            total += gz((site / path).read_text("utf-8"))
    return out


def gz(text: str) -> int:
    return len(gzip.compress(text.encode(), 6))


def measure(browser, site: Path) -> None:
    """The site's worker: the typed session, then each first query in a fresh page (and
    in Node: round trips and CPU time)."""
    r = run(browser, site, WORKER_SCRIPT, [], QUERIES)
    first_bytes, final_bytes, *spent = bytes_by_query(site, r["asked"])
    print(
        f"  ready {r['readyMs']:6.0f} ms;  first query: results"
        f" {r['firstQuery']['early']:6.0f} ms ({first_bytes / 1e6:5.2f} MB),"
        f" with abstracts {r['firstQuery']['final']:6.0f} ms"
        f" ({final_bytes / 1e3:6.1f} KB) after the worker started;"
        f"  longest main-thread frame {r['longestFrameMs']:4.0f} ms"
        f"  RSS {r['rss_mb']} MB"
    )
    for (q, early, final, hits), fetched in zip(r["queries"], spent, strict=True):
        print(
            f"          {q!r:22} first {early:6.1f} ms  final {final:6.1f} ms"
            f"  {hits:3} results  {fetched / 1e3:6.1f} KB fetched so far"
        )
    for q in FIRST_QUERIES:
        f = first_query(browser, site, WORKER_SCRIPT, q)
        print(
            f"  first query {q!r:22} results {f['early']:6.0f} ms"
            f"  final {f['final']:6.0f} ms  {f['items']:3} results"
            f"  {f['bytes'] / 1e3:7.1f} KB in {f['files']} files ("
            + ", ".join(f"{k} {b / 1e3:.1f}" for k, b in sorted(f["kinds"].items()))
            + ")"
        )
        t = node_timeline(site, q)
        if t:
            print(
                f"  {'':34} Node: round trips {t['results']['roundTrips']} to results,"
                f" {t['final']['roundTrips']} to final; worker CPU {t['cpuMs']:5.0f} ms"
            )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument(
        "--material", type=int, nargs="*", default=[], help="sizes for Material's worker"
    )
    parser.add_argument(
        "--split-from",
        type=int,
        default=SPLIT_FROM,
        help="papers from which the index is split (a big number: the unsplit layout)",
    )
    parser.add_argument(
        "--worker",
        type=Path,
        action="append",
        help="a worker file to measure instead of the site's (repeat: each in turn)",
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
                files = build_index(
                    search_input(catalogue, lambda pid: f"papers/{pid}/"), args.split_from
                )
                build_s = time.perf_counter() - t
                for path, text in files.items():
                    (site / path).write_text(text)
                (site / URLS_FILE).write_text(urls_json(catalogue, directory_url))
                shutil.copy(
                    ROOT / "docs/javascripts/material-search-protocol.js", site / "javascripts"
                )
                shutil.copy(LUNR_SOURCE, site / LUNR_JS)
                total = sum(gz(text) for text in files.values())
                print(
                    f"tiered  n={n:>6}  build {build_s:6.1f} s  all {total / 1e6:6.2f} MB gzip"
                    f" ({len(files)} files)  tier one {gz(files[INDEX_FILE]) / 1e6:5.2f} MB"
                )
                for worker in args.worker or [ROOT / WORKER]:
                    # each worker file in turn is the site's worker
                    shutil.copy(worker, site / WORKER_SCRIPT)
                    print(f"  worker {worker}")
                    measure(browser, site)
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
                r = run(browser, site, "javascripts/material.js", docs, MATERIAL_QUERIES)
                print(
                    f"material  n={n:>6}  gzip {size / 1e6:6.2f} MB ({size / n:4.0f} B/paper)"
                    f"  ready {r['readyMs']:7.0f} ms  RSS {r['rss_mb']} MB"
                )
                for q, _, ms, hits in r["queries"]:
                    print(f"          {q!r:22} {ms:6.1f} ms  {hits} results")
        browser.close()


if __name__ == "__main__":
    main()
