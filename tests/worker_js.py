"""The search worker's own JavaScript, run in Node by tests of every tier."""

from __future__ import annotations

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
