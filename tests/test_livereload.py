"""`make serve`'s promise: edit the data, the open page reloads with the change.

MkDocs 1.6.1 with Click >= 8.2.2 turns live reload off unless --livereload is
passed (mkdocs#4032); this runs the same command line as the Makefile's serve
target against a scratch data folder and watches a real browser reload.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request

import pytest
from conftest import FIXTURES, MKDOCS, ROOT, free_port, make_data_dir

pytestmark = pytest.mark.browser


def serve_command() -> list[str]:
    """The serve target's mkdocs arguments, read from the Makefile so they cannot drift."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^\t\$\(BIN\)/mkdocs serve (.*)$", makefile, re.M).group(1)
    return [a for a in line.split() if not a.startswith(("$(", "--dev-addr"))]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"mkdocs serve did not answer at {url}")


def test_serve_target_passes_livereload():
    assert "--livereload" in serve_command()


def test_dropping_a_dump_into_listings_reloads_the_open_page(tmp_path, page):
    data = make_data_dir(tmp_path, "trending.txt")
    port = free_port()
    env = {**os.environ, "PAPER_CATALOGUE_DATA": str(data), "NO_MKDOCS_2_WARNING": "1"}
    args = [
        str(MKDOCS),
        "serve",
        *serve_command(),
        "-f",
        str(ROOT / "mkdocs.yml"),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_until_up(base, process)
        page.goto(base)
        assert "3 papers" in page.locator("article").inner_text()
        # No navigation by the test from here on: the page must reload by itself.
        (data / "listings" / "new.txt").write_bytes((FIXTURES / "daily.txt").read_bytes())
        page.wait_for_function(
            "() => document.querySelector('article').innerText.includes('5 papers')", timeout=60_000
        )
        # A data edit (a retitled paper) shows up the same way.
        dump = data / "listings" / "trending.txt"
        dump.write_text(dump.read_text().replace("Tensor Programs V", "Tensor Programs Five"))
        page.goto(base + "a-z/")
        page.wait_for_function(
            "() => document.querySelector('article').innerText.includes('Tensor Programs Five')",
            timeout=60_000,
        )
    finally:
        process.terminate()
        process.wait(timeout=20)
