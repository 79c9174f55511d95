"""Search relevance on the real catalogue: the queries of benchmarks/relevance/search_queries.yaml.

    .venv/bin/python benchmarks/search_relevance.py SITE_DIR [QUERIES_YAML]

QUERIES_YAML defaults to the twelve the search was developed against; the held-out set
(`relevance/search_queries_test.yaml`, written blind by someone who never saw the search
code) is scored the same way, once, as the out-of-sample figure.

SITE_DIR is a built site (mkdocs build -d SITE_DIR). For each query the expected papers
are decided from SITE_DIR/catalogue.json by the query's rule (its regular expressions
over title, abstract and tag names); the real search worker, run whole in Node against
the site's own files (tests/worker_node.js), answers the Search page's "find" message.
Reported per query: the share of the first min(10, expected) results that are expected
(target ≥ 80%), and whether the worker's "with every word" count equals the number
expected (target: equal).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "benchmarks" / "relevance" / "search_queries.yaml"
RUNNER = ROOT / "tests" / "worker_node.js"
SHOWN = 10


def paper_text(paper: dict) -> str:
    """What every rule reads: title, abstract and tag names (hyphens as spaces)."""
    tags = " ".join(t.replace("-", " ") for t in paper["tags"])
    return f"{paper['title']}\n{paper['abstract']}\n{tags}"


def expected(papers: list[dict], query: dict, key: str = "all") -> set[str]:
    """The URLs of the papers the query's rule decides it should find (``key="first"``:
    should show first, where the rule says so)."""
    wanted = [re.compile(p, re.I) for p in query.get(key, query["all"])]
    unwanted = [re.compile(p, re.I) for p in query.get("none", [])]
    found = set()
    for paper in papers:
        text = paper_text(paper)
        if all(p.search(text) for p in wanted) and not any(p.search(text) for p in unwanted):
            found.add(paper["url"])
    return found


def site_papers(site: Path) -> list[dict]:
    """The papers of ``SITE/catalogue.json``: the whole file's, or, above its shard size
    (generator/export/site_data.py), those of each gzip shard its index names, in its
    order, each shard checked against the index's size and SHA-256 first."""
    document = json.loads((site / "catalogue.json").read_text("utf-8"))
    if "papers" in document:
        return document["papers"]
    papers = []
    for shard in document["paper_shards"]:
        data = (site / shard["path"]).read_bytes()
        if len(data) != shard["bytes"] or hashlib.sha256(data).hexdigest() != shard["sha256"]:
            raise SystemExit(f"{site / shard['path']}: not the shard catalogue.json names")
        part = json.loads(gzip.decompress(data))["papers"]
        if len(part) != shard["papers"]:
            raise SystemExit(f"{site / shard['path']}: {len(part)} papers, not {shard['papers']}")
        papers.extend(part)
    if len(papers) != document["paper_count"]:
        raise SystemExit(
            f"{site}/catalogue.json: {len(papers)} papers, not {document['paper_count']}"
        )
    return papers


def lunr_js() -> Path:
    import mkdocs.contrib.search

    return Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"


def ask_worker(site: Path, questions: list[dict]) -> list[dict]:
    """The real worker's answers to ``questions`` (see tests/worker_node.js)."""
    result = subprocess.run(
        ["node", str(RUNNER), str(site), str(lunr_js())],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def queries(path: Path = QUERIES) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))["queries"]


def score(site: Path, papers: list[dict] | None = None, path: Path = QUERIES) -> list[dict]:
    """Each query's row; ``papers`` (url, title, abstract, tags) default to the site's
    catalogue.json (whole or sharded), the queries to the development set."""
    if papers is None:
        papers = site_papers(site)
    asked = queries(path)
    answers = ask_worker(site, [{"find": {"query": q["query"], "limit": SHOWN}} for q in asked])
    rows = []
    for query, answer in zip(asked, answers, strict=True):
        want = expected(papers, query)
        first = expected(papers, query, "first")
        # judged over as many places as there are papers to fill them (a query no paper
        # should match: its first ten, which should be empty)
        places = min(SHOWN, len(first))
        top = [item["url"] for item in answer["items"]][: places or SHOWN]
        hits = sum(url in first for url in top)
        rows.append(
            {
                "query": query["query"],
                "kind": query["kind"],
                "expected": len(want),
                "every": answer["all"],
                "total": answer["total"],
                "top": f"{hits}/{places}" if places else f"{len(top)} shown",
                "share": hits / places if places else float(not top),
                "notes": answer["notes"],
                "titles": [item["title"] for item in answer["items"]],
            }
        )
    return rows


def main() -> None:
    site = Path(sys.argv[1])
    rows = score(site, path=Path(sys.argv[2]) if len(sys.argv) > 2 else QUERIES)
    print("| query | kind | expected | with every word | found | first results expected |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        equal = "=" if r["every"] == r["expected"] else "≠"
        print(
            f"| `{r['query']}` | {r['kind']} | {r['expected']} | {r['every']} {equal}"
            f" | {r['total']} | {r['top']} ({r['share']:.0%}) |"
        )
    good = sum(r["share"] >= 0.8 for r in rows)
    equal = sum(r["every"] == r["expected"] for r in rows)
    print(f"\n{good}/{len(rows)} queries with ≥ 80% expected; {equal}/{len(rows)} counts equal")


if __name__ == "__main__":
    main()
