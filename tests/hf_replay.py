"""Hugging Face Papers as recorded (tests/fixtures/hf/), for the fetch tests of every
tier: a loopback server that answers ``/api/daily_papers?date=...`` as the script in
``days.yaml`` says, and a data folder holding a seed listing. Never the network."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DATA, FIXTURES

RECORDED = FIXTURES / "hf"
SEED = "003_0bcb5151a6c02ef0.txt"  # holds DeepSeekMoE, which the 2026-12-07 day re-lists
DEEPSEEK = "deepseekmoe-towards-ultimate-expert-specialization-in-mixture-of-experts"
FETCHED = "2026-12-07"


class Script:
    """Each day's recorded answers in turn (the last one repeats), and what was asked."""

    def __init__(self) -> None:
        self.days = yaml.safe_load((RECORDED / "days.yaml").read_text(encoding="utf-8"))
        self.served: dict[str, int] = {}
        self.asked: list[str] = []
        self.lock = threading.Lock()

    def next(self, day: str) -> object:
        with self.lock:
            self.asked.append(day)
            answers = self.days[day]  # a KeyError: a day nobody recorded
            n = self.served.get(day, 0)
            self.served[day] = n + 1
            return answers[min(n, len(answers) - 1)]


@contextmanager
def fixture_server() -> Iterator[tuple[str, Script]]:
    """(the API's address on loopback, its script). A "timeout" answer holds the
    request until the server stops, so the client's own timeout fires."""
    script = Script()
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            day = parse_qs(urlsplit(self.path).query).get("date", [""])[0]
            answer = script.next(day)
            if answer == "timeout":
                release.wait(30)
                return
            if isinstance(answer, dict):
                self.send_response(answer["status"])
                if "retry_after" in answer:
                    self.send_header("Retry-After", str(answer["retry_after"]))
                self.end_headers()
                self.wfile.write(b"Too many requests.")
                return
            body = (RECORDED / "answers" / answer).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/daily_papers", script
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join()


def sample_data(tmp: Path) -> Path:
    """A seed listing, its name, and a curator's arXiv id for DeepSeekMoE (which is how
    the catalogue knows the id the fetched day lists it under)."""
    data = tmp / "data"
    (data / "listings").mkdir(parents=True)
    shutil.copy(DATA / "listings" / SEED, data / "listings" / SEED)
    names = yaml.safe_load((DATA / "listings.yaml").read_text(encoding="utf-8"))
    (data / "listings.yaml").write_text(
        yaml.safe_dump({SEED: names[SEED]}, sort_keys=False), encoding="utf-8"
    )
    papers = data / "curation" / "papers"
    papers.mkdir(parents=True)
    (papers / f"{DEEPSEEK}.yaml").write_text('arxiv: "2401.06066"\n', encoding="utf-8")
    return data


DAYS = ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]


def fetched_data(tmp: Path) -> Path:
    """The sample data after fetching the recorded days (answered on loopback)."""
    from generator.fetch import hf_papers
    from generator.fetch.run import run
    from generator.infra.cache import Cache
    from generator.pipeline import build_catalogue

    data = sample_data(tmp)
    catalogue = build_catalogue(data, Cache(None))
    with fixture_server() as (base, _):
        client = hf_papers.client(tmp / "cache", timeout=0.5, sleep=lambda _: None)
        report = run(DAYS, catalogue, data / "listings", client, base, FETCHED, lambda _: None)
    assert report.stopped == "", report.stopped
    return data


def fetched_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the built site, its data folder) after a fetch: made once per test run and
    shared, read only (test_fetched_listing and the browser's test_fetched_site each
    built the same site from the same replayed answers before)."""
    from conftest import made_once_per_run, mkdocs_build

    def make(folder: Path) -> None:
        data = fetched_data(folder)
        result = mkdocs_build(data, folder / "site", env={"PAPER_CATALOGUE_CACHE": "off"})
        assert result.returncode == 0, result.stderr

    folder = made_once_per_run(tmp_path_factory, "fetched", make)
    return folder / "site", folder / "data"
