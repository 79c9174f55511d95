"""The search worker's own JavaScript, run in Node by tests of every tier."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import mkdocs.contrib.search
import pytest
from conftest import ROOT

WORKER = ROOT / "docs" / "javascripts" / "paper-search-worker.js"
LUNR_JS = Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"


def node() -> str:
    path = shutil.which("node") or shutil.which("nodejs")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Node.js is missing: .ci/ensure-test-tools should have installed it")
    pytest.skip("Node.js is not installed: run `make test-tools` (apt-get install nodejs)")


def run_worker_code(pieces: list[str], call: str, data: object) -> list:
    """Run pieces of the worker's own source in Node: ``call`` maps the JSON ``data``
    (bound as ``input``) to what is printed back."""
    script = (
        "".join(pieces)
        + "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'))\n"
        + f"process.stdout.write(JSON.stringify({call}))\n"
    )
    env = {**os.environ, "LUNR_JS": str(LUNR_JS)}
    result = subprocess.run(
        [node(), "-e", script],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(result.stdout)


def worker_functions(*names: str) -> list[str]:
    """The worker's own top-level functions, by name, as source."""
    source = WORKER.read_text("utf-8")
    return [
        re.search(rf"^function {name}\(.*?\n\}}\n", source, re.S | re.M).group() for name in names
    ]


def write_search_site(site: Path, catalogue, files: dict[str, str]) -> Path:
    """A folder the worker can search: ``files`` (a ``build_index`` result) gzipped as the
    site serves them, the papers' URLs, and the worker's scripts beside them."""
    from generator.export.site_data import URLS_FILE, urls_json
    from generator.render.paths import directory_url

    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(gzip.compress(text.encode(), mtime=0))
    (site / URLS_FILE).write_text(urls_json(catalogue, directory_url), "utf-8")
    (site / "javascripts").mkdir()
    for script in ("paper-search-worker.js", "material-search-protocol.js"):
        shutil.copy(WORKER.parent / script, site / "javascripts" / script)
    return site


def rule_papers(catalogue) -> list[dict]:
    """Each paper as the relevance rules (benchmarks/search_relevance.py) read it."""
    return [
        {"url": f"papers/{p.id}/", "title": p.title, "abstract": p.abstract, "tags": list(p.tags)}
        for p in catalogue.papers
    ]
