"""Shared fixtures: the real data, crafted data folders, built sites, a browser.

Building the real site takes a few seconds, so it is built once per test run (the
first xdist worker to need it builds it, the others wait for it and read the same
folder) and shared; tests that need different data build a small site of their own
from files under ``tests/fixtures/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import hashlib
import http.server
import importlib.util
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
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
    sys.modules[name] = module  # where a dataclass in it looks its module up
    spec.loader.exec_module(module)
    return module


# Directory reads in reverse order. Disks list a folder in an order of their own (ext4:
# by name hash), so "copied in reverse" alone proves nothing; with this in force, code
# that forgets to sort what it reads gives a different catalogue and a test fails.
REVERSE_LISTINGS = """
import os
_listdir, _scandir = os.listdir, os.scandir
os.listdir = lambda path=".": sorted(_listdir(path), reverse=True)
class _Reversed:
    def __init__(self, path="."):
        with _scandir(path) as it:
            self.entries = iter(sorted(it, key=lambda e: e.name, reverse=True))
    def __iter__(self):
        return self
    def __next__(self):
        return next(self.entries)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def close(self):
        pass
os.scandir = _Reversed
"""


@contextlib.contextmanager
def directories_read_in_reverse() -> Iterator[None]:
    """In this process: every folder is listed in reverse name order."""
    saved = os.listdir, os.scandir
    exec(REVERSE_LISTINGS, {})
    try:
        yield
    finally:
        os.listdir, os.scandir = saved


def digest_tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path, as a SHA-256: two trees compare byte for byte."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def site_text(path: Path) -> str:
    """A built site file's text; the ``.gz`` ones (the search tiers) inflated first."""
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


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
    data_dir: Path,
    site_dir: Path,
    strict: bool = True,
    reverse_dirs: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Build the real mkdocs.yml against ``data_dir``; returns the finished process.
    ``reverse_dirs``: the build sees every folder listed in reverse name order."""
    env = {
        **os.environ,
        **(env or {}),
        "PAPER_CATALOGUE_DATA": str(data_dir),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    args = [str(MKDOCS), "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)]
    if reverse_dirs:
        run = "import sys; from mkdocs.__main__ import cli; sys.argv[0] = 'mkdocs'; cli()"
        args[:1] = [sys.executable, "-c", REVERSE_LISTINGS + run]
    if strict:
        args.append("--strict")
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


@functools.cache
def computed_real_catalogue():
    """The real catalogue computed from the data, no build cache read or written (what a
    test of the computation itself needs), once per test process (3 s of CPU each time)
    and shared: its tests only read it (frozen dataclasses, and no test changes its
    dicts; a changed copy is made with ``dataclasses.replace``)."""
    from generator.infra.cache import Cache
    from generator.pipeline import build_catalogue

    return build_catalogue(DATA, Cache(None))


@functools.cache
def real_search_files(split_from: int):
    """The computed real catalogue's search input (URLs ``papers/<id>/``) and its search
    files in the layout ``split_from`` gives (``build_index``), once per test process;
    read only, as :func:`computed_real_catalogue`."""
    from generator.export.search import build_index, search_input

    search = search_input(computed_real_catalogue(), lambda pid: f"papers/{pid}/")
    return search, build_index(search, split_from)


def made_once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder ``name``, filled by ``make(folder)`` once per test run and shared by
    every xdist worker: the first to ask makes it under a file lock while the others
    wait, then all read the same folder. Each worker built its own copy of every
    session site before (the same inputs, the same bytes: the builds are
    deterministic, tested). A failed ``make`` leaves no mark, so each worker that asks
    tries again and fails with its own message. Read only, as every session site."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:  # one process: nothing to share
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    # A run's workers share the parent of their own temporary folders (pytest-N/).
    shared = tmp_path_factory.getbasetemp().parent
    folder, done = shared / name, shared / f"{name}.done"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a failed attempt's leftovers
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _build_into(
    data_dir: Path | Callable[[Path], Path], env: dict[str, str] | None = None
) -> Callable[[Path], None]:
    """``make`` for :func:`made_once_per_run`: the real mkdocs.yml built into
    ``folder/site`` from ``data_dir`` (or the data folder it makes in ``folder``)."""

    def make(folder: Path) -> None:
        data = data_dir(folder) if callable(data_dir) else data_dir
        result = mkdocs_build(data, folder / "site", env=env)
        assert result.returncode == 0, result.stderr

    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue, built once with the real mkdocs.yml."""
    return made_once_per_run(tmp_path_factory, "real", _build_into(DATA)) / "site"


def build_here(
    data: Path, site: Path, *, shapes: bool = True, shells: bool = True, site_url: str | None = None
) -> dict[str, int]:
    """Build the real mkdocs.yml in this process, no cache, and count what two fast paths
    did: ``converted``, the pages converted from their pieces (``Shapes``); ``filled``,
    the pages filled from a shell, ``folded`` of them from its folded form (``Shell``).
    ``shapes``/``shells`` False: that fast path is off, every page converted whole or
    themed by Material."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.mkdocs_site import markdown_shapes, page_cache, shell

    converted, filled, folded = [], [], []
    convert, fill, finished = markdown_shapes.Shapes.convert, shell.Shell.fill, shell.Shell.finished

    def counted_convert(self, text):
        titled = convert(self, text) if shapes else None
        if titled is not None:
            converted.append(1)
        return titled

    def counted_finished(self, page, *args):
        done = finished(self, page, *args)
        if done is not None:
            folded.append(1)
        return done

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPER_CATALOGUE_DATA", str(data))
        patch.setenv("PAPER_CATALOGUE_CACHE", "off")
        patch.setattr(markdown_shapes.Shapes, "convert", counted_convert)
        patch.setattr(shell.Shell, "fill", lambda s, p: filled.append(1) or fill(s, p))
        patch.setattr(shell.Shell, "finished", counted_finished)
        if not shells:
            patch.setattr(page_cache, "SHELL_KINDS", set())
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), site_url=site_url)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    return {"converted": len(converted), "filled": len(filled) + len(folded), "folded": len(folded)}


@pytest.fixture(scope="session")
def real_site_built_here(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The real catalogue built by :func:`build_here` with every fast path on, and its
    counts: the one side test_markdown_shapes and test_shell each compared against a
    build of its own (the same build twice before)."""

    def make(folder: Path) -> None:
        counts = build_here(DATA, folder / "site")
        (folder / "counts.json").write_text(json.dumps(counts), encoding="utf-8")

    folder = made_once_per_run(tmp_path_factory, "real-built-here", make)
    return folder / "site", json.loads((folder / "counts.json").read_text("utf-8"))


def _hostile_data(folder: Path) -> Path:
    return make_data_dir(folder, "hostile.txt", "trending.txt", "daily.txt")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from crafted dumps full of HTML, Markdown, Jinja and YAML traps."""
    return made_once_per_run(tmp_path_factory, "hostile", _build_into(_hostile_data)) / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _GzipEncodingHandler(_QuietHandler):
    """Sends ``x.json.gz`` as JSON, content-encoded, the way Apache's mod_mime does with
    ``AddEncoding gzip .gz`` (type from ``.json``, encoding from ``.gz``): the browser
    inflates it before any script sees the bytes."""

    def guess_type(self, path: str) -> str:
        return super().guess_type(path.removesuffix(".gz"))

    def end_headers(self) -> None:
        if self.path.split("?")[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()


@contextlib.contextmanager
def serve_directory(directory: Path, gzip_encoding: bool = False) -> Iterator[str]:
    """Serve a built site on a free loopback port; yields its base URL.
    ``gzip_encoding``: serve ``.gz`` files with ``Content-Encoding: gzip``."""
    kind = _GzipEncodingHandler if gzip_encoding else _QuietHandler
    handler = functools.partial(kind, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# The settings the Pages workflow builds with: a repository link, a site URL.
PUBLISHED_ENV = {
    "REPO_URL": "https://github.com/example/catalogue",
    "SITE_URL": "https://example.github.io/catalogue/",
    "EDIT_URI": "edit/main/docs/",
}


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    make = _build_into(DATA, env=PUBLISHED_ENV)
    return made_once_per_run(tmp_path_factory, "published", make) / "site"


@pytest.fixture(scope="session")
def published(published_site: Path):
    with serve_directory(published_site) as base:
        yield base


def listing_pages(site: Path) -> list[str]:
    """The built listing pages' folder names, sorted; not the first addresses kept as
    redirects (named after a dump's file)."""
    return sorted(
        p.name
        for p in (site / "listings").iterdir()
        if p.is_dir() and 'http-equiv="refresh"' not in (p / "index.html").read_text("utf-8")
    )


def page_paths(site: Path) -> list[str]:
    """One page of each type: home, a paper, a tag, a listing, A–Z, search with a query,
    stats, about."""
    papers = json.loads((site / "catalogue.json").read_text("utf-8"))["papers"]
    tag = sorted(p.name for p in (site / "tags").iterdir() if p.is_dir())[0]
    listing = listing_pages(site)[0]
    return [
        "",
        papers[0]["url"],
        f"tags/{tag}/",
        f"listings/{listing}/",
        "a-z/",
        "find/?query=merging",
        "stats/",
        "about/",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE_TRIES = 5  # a port found free can be taken by another process before mkdocs binds it


@contextlib.contextmanager
def mkdocs_serve(data_dir: Path, args: list[str], log: Path) -> Iterator[str]:
    """Run ``mkdocs serve ARGS`` on the real mkdocs.yml against ``data_dir``; yields its
    base URL once it listens. Its output is drained into ``log`` (a pipe nobody reads
    fills up and blocks the server), and the server is always stopped on the way out, as
    a curator stops it: Ctrl-C, which a terminal sends to the whole process group. (A
    SIGTERM skips MkDocs' clean-up and left its 4.5 MB temporary site behind on every
    run.) Its temporary files go in ``serve-tmp`` beside ``log``."""
    temporary = log.parent / "serve-tmp"
    temporary.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PAPER_CATALOGUE_DATA": str(data_dir),
        "NO_MKDOCS_2_WARNING": "1",
        "TMPDIR": str(temporary),
    }
    for _ in range(SERVE_TRIES):
        port = free_port()
        command = [str(MKDOCS), "serve", *args, "-f", str(ROOT / "mkdocs.yml")]
        command += ["--dev-addr", f"127.0.0.1:{port}"]
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def drain(stream=process.stdout, lines=lines) -> None:
            with log.open("a", encoding="utf-8") as out:
                for line in stream:
                    out.write(line)
                    out.flush()
                    lines.put(line)
            lines.put(None)  # the server's output ended: it has exited

        drainer = threading.Thread(target=drain, daemon=True)
        drainer.start()
        try:
            # Blocks on the server's own words, not on a clock: "Serving on" is logged
            # after the socket listens; the build before it can take a while under load.
            while (line := lines.get(timeout=300)) is not None:
                if "Serving on" in line:
                    url = f"http://127.0.0.1:{port}/"
                    # "Serving on" is logged before MkDocs' server thread enters its loop; a
                    # Ctrl-C in between makes that thread fail on the closed socket (seen
                    # under load). Its first answer proves the loop runs.
                    urllib.request.urlopen(url, timeout=300).close()
                    yield url
                    return
            output = log.read_text(encoding="utf-8")
            if "Address already in use" not in output:
                raise AssertionError(f"mkdocs serve exited before serving:\n{output}")
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # Seen on a heavily loaded machine and not reproduced: the log a failing
                # test prints then says what each process of the server was waiting on.
                try:
                    state = subprocess.run(
                        ["ps", "-o", "pid,stat,wchan:24,etime,args", "-s", str(process.pid)],
                        capture_output=True,
                        text=True,
                    ).stdout
                except OSError as error:  # no ps: say so rather than fail differently
                    state = f"(ps: {error})\n"
                with log.open("a", encoding="utf-8") as out:
                    out.write(f"[test] no exit 60 s after Ctrl-C; its session:\n{state}")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # The server's last words ("Shutting down") may still be in the pipe when it
            # has exited: a test that reads the log next must find them, so the drain
            # finishes before anyone can read it.
            drainer.join(timeout=60)
    raise AssertionError(f"mkdocs serve found no free port in {SERVE_TRIES} tries")


def chromium_path() -> str:
    """Debian's Chromium (or $CHROMIUM). In CI a missing browser is a failure, not a skip."""
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/ensure-test-tools should have installed it")
    pytest.skip("Chromium is not installed: run `make test-tools` (apt-get install chromium)")


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


# Test-only instrumentation of Material's search worker: records each query the page
# asks and each answer the worker gives (tagged with the query it answers), so a test
# waits for the answer to the *whole* query, not for whatever a keystroke brought.
SEARCH_PROBE = """
(() => {
  const Native = window.Worker
  const probe = window.__pcSearch = { asked: [], answers: [] }
  const text = html => {
    const t = document.createElement("template")
    t.innerHTML = html
    return t.content.textContent
  }
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener("message", ev => {
        const m = ev.data
        if (m && m.type === 3 && "query" in m)
          probe.answers.push({
            query: m.query, final: m.final !== false, count: m.data.items.length,
            notes: m.data.notes || null,
            titles: m.data.items.filter(g => g[0].location.includes("papers/"))
              .map(g => text(g[0].title)),
            first: m.data.items.length ? text(m.data.items[0][0].title) : null
          })
      })
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) probe.asked.push(message.data)
      return super.postMessage(message, ...rest)
    }
  }
})()
"""

# Shown once the answer to exactly `query` is on screen: the worker answered the last
# query asked, that query is the whole text typed, and the result list shows that answer
# (search-notes.js marks the count line with the query whose count it shows).
SEARCH_SHOWN = """
query => {
  const p = window.__pcSearch, answer = p.answers.at(-1)
  if (!answer || answer.query !== query || !answer.final || p.asked.at(-1) !== query) return false
  const line = document.querySelector(".md-search-result__meta")
  if (answer.count === 0) return /No matching/.test(line.textContent)
  const first = document.querySelector(".md-search-result__item h1")
  return line.dataset.pcQuery === query && first !== null && first.textContent === answer.first
}
"""

# Material fetches search/search_index.json on every page; the browser aborts it when a
# test navigates away first, and Material reports that as this page error.
ABORTED_INDEX = ("search/search_index.json", "Network error")


def settle(page) -> None:
    """Wait until the page has no request in flight: a test that reads a page as soon
    as it is shown and then stops the server would otherwise cut Material's own search
    index off mid-load, and Material reports that as a page error (seen under load)."""
    page.wait_for_load_state("networkidle")


@contextlib.contextmanager
def guarded_page(browser, **options) -> Iterator:
    """A fresh page that fails the test on any JavaScript error or request off loopback;
    ``options`` go to the browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.add_init_script(SEARCH_PROBE)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    documents = [0]  # main-frame documents so far (each navigation commits a new one)
    index_loads: dict[object, list] = {}  # Material's index requests -> [document, finished]
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and documents.__setitem__(0, documents[0] + 1),
    )
    page.on(
        "request",
        lambda r: (
            r.url.endswith(ABORTED_INDEX[0]) and index_loads.setdefault(r, [documents[0], False])
        ),
    )
    page.on(
        "requestfinished",
        lambda r: r in index_loads and index_loads[r].__setitem__(1, True),
    )

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    yield page
    # What the page reported while the test used it: closing aborts whatever is still
    # loading, and those errors are the close's (seen under load: Material's index still
    # arriving on a one-page test, its "Network error" raised by the close itself).
    errors = list(errors)
    context.close()
    # One "Network error" is forgiven per load of Material's own index that a navigation
    # cut short: one that never finished (Chromium reports some as failed, drops others
    # silently), or one made by a page the test had left (its response can arrive while
    # the page unloads, and reading it then fails). No more,
    # and for nothing else: a failed load of our paper index still fails the test.
    cut_short = [d for d, finished in index_loads.values() if not finished or d < documents[0]]
    for _ in cut_short:
        if ABORTED_INDEX[1] in errors:
            errors.remove(ABORTED_INDEX[1])
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"the page tried to reach outside: {outside}"


@pytest.fixture
def page(browser):
    """A guarded page (:func:`guarded_page`) that ignores the site's Content-Security-
    Policy: Playwright's ``wait_for_function`` evaluates its condition with ``eval``,
    which the policy forbids. The policy itself is tested with ``csp_page``."""
    with guarded_page(browser, bypass_csp=True) as page:
        yield page


@pytest.fixture
def csp_page(browser):
    """A guarded page under the site's Content-Security-Policy: wait with
    :func:`wait_until`, not ``wait_for_function``."""
    with guarded_page(browser) as page:
        yield page


def wait_until(page, predicate: str, arg: object = None, timeout_ms: int = 30_000) -> None:
    """Wait until the JavaScript function ``predicate`` returns true for ``arg`` in
    ``page``: ``wait_for_function`` without ``eval``, so it works under the site's
    Content-Security-Policy (the predicate is part of the function Playwright sends, which
    the DevTools protocol compiles, not the page). Checked on every animation frame."""
    page.evaluate(
        f"""arg => new Promise((done, fail) => {{
          const test = ({predicate}), start = performance.now()
          const tick = () => {{
            try {{
              if (test(arg)) return done(true)
            }} catch (e) {{ return fail(e) }}
            if (performance.now() - start > {timeout_ms}) return fail(new Error("timed out"))
            requestAnimationFrame(tick)
          }}
          tick()
        }})""",
        arg,
    )


TIERS = ("unit", "build", "browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test carries its tier's marker, from the folder it is in (``-m unit``)."""
    for item in items:
        tier = item.path.parent.name
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))
