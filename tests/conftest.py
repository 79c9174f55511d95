"""Shared fixtures: the real data, crafted data folders, built sites, a browser.

Building the real site takes a few seconds, so it is built once per test session
(per xdist worker) and shared; tests that need different data build a small site
of their own from files under ``tests/fixtures/``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = sorted((DATA / "listings").glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = Path(sys.executable).parent / "mkdocs"


def load_benchmark(name: str):
    """Import ``benchmarks/<name>.py`` (a script folder, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_data_reversed(tmp: Path) -> Path:
    """The real data folder, its dumps copied in reverse order (directory order often
    follows creation order): a build from it must equal one from the original."""
    data = tmp / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.txt"))
    for path in reversed(SEEDS):
        shutil.copy(path, data / "listings" / path.name)
    return data


def make_data_dir(tmp: Path, *fixtures: str, raw: dict[str, bytes] | None = None) -> Path:
    """A data folder holding the named fixture dumps (and raw bytes under given names)."""
    data = tmp / "data"
    listings = data / "listings"
    listings.mkdir(parents=True)
    for name in fixtures:
        shutil.copy(FIXTURES / name, listings / name)
    for name, content in (raw or {}).items():
        (listings / name).write_bytes(content)
    return data


def mkdocs_build(
    data_dir: Path, site_dir: Path, strict: bool = True
) -> subprocess.CompletedProcess:
    """Build the real mkdocs.yml against ``data_dir``; returns the finished process."""
    env = {
        **os.environ,
        "PAPER_CATALOGUE_DATA": str(data_dir),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    args = [str(MKDOCS), "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue, built once with the real mkdocs.yml."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(DATA, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from crafted dumps full of HTML, Markdown, Jinja and YAML traps."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = make_data_dir(tmp, "hostile.txt", "trending.txt", "daily.txt")
    result = mkdocs_build(data, tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    """Debian's Chromium (or $CHROMIUM). In CI a missing browser is a failure, not a skip."""
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/ensure-chromium should have installed it")
    pytest.skip("Chromium is not installed: run `make browser-deps` (apt-get install chromium)")


# The flags keep Chromium off the network it cannot reach here (and fast to start).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any JavaScript error or request off loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    # Material rejects its search-index request with "Network error" when the browser
    # aborts it because the page is navigating away (or live-reloading): not a fault.
    page.on("pageerror", lambda exc: str(exc) != "Network error" and errors.append(str(exc)))

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"the page tried to reach outside: {outside}"
