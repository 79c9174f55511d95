"""`python -m generator enrich`: matching, writing, resuming and failing, against
recorded arXiv answers (tests/fixtures/arxiv/: real papers, replayed, never fetched)."""

from __future__ import annotations

import http.server
import itertools
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from arxiv_replay import (
    AEW10,
    CHECKED,
    DNA,
    GENETIC,
    HEAT,
    LUTTINGER,
    NOWHERE,
    QUANTUM,
    RECORDED,
    WITHDRAWN_PAPER,
    Replay,
    enrich,
    sample_data,
)
from conftest import ROOT, free_port, load_benchmark

from generator.curate import arxiv_meta
from generator.curate.arxiv_meta import FOUND_DIR, load_found
from generator.enrich.arxiv_client import Client, Response, parse_feed, urllib_transport
from generator.enrich.run import (
    AMBIGUOUS,
    BY_ID,
    MATCHED,
    MISSING,
    UNANSWERED,
    WITHDRAWN,
    judge,
    markdown,
    plan,
    run,
)
from generator.infra.cache import Cache
from generator.pipeline import build_catalogue


@pytest.fixture
def first_run(tmp_path: Path):
    replay = Replay()
    data = sample_data(tmp_path)
    report, lines = enrich(data, replay, tmp_path / "cache")
    return data, replay, report, lines


def outcome_of(report, paper_id):
    return next(o for o in report.outcomes if o.paper.id == paper_id)


def test_each_recorded_case_gets_its_outcome(first_run):
    _, _, report, _ = first_run
    kinds = {o.paper.id: (o.kind, o.record.arxiv if o.record else None) for o in report.outcomes}
    assert kinds == {
        HEAT: (MATCHED, "1605.08386"),
        # The same author's "... for DNA Screening" came back too: a near-miss title
        # with another abstract, rightly passed over.
        GENETIC: (MATCHED, "1306.4664"),
        # Its title is 1106.3680's, its abstract 1306.4664's: not guessed.
        DNA: (AMBIGUOUS, None),
        WITHDRAWN_PAPER: (WITHDRAWN, "1806.06446"),
        QUANTUM: (MATCHED, "quant-ph/0201082"),  # after a 429 and a 503
        LUTTINGER: (UNANSWERED, None),  # four timeouts
        AEW10: (BY_ID, "1707.08567"),  # the curator's id
        NOWHERE: (MISSING, None),
    }
    dna = outcome_of(report, DNA)
    assert [c.record.arxiv for c in dna.candidates] == ["1106.3680", "1306.4664"]
    assert "1306.4664's" in dna.why and "1106.3680's title is closer" in dna.why
    assert report.stopped == ""


def test_only_matches_are_written_and_they_are_valid_reviewable_data(first_run):
    data, _, _, _ = first_run
    written = sorted(p.stem for p in (data / FOUND_DIR).iterdir())
    assert written == sorted([HEAT, GENETIC, QUANTUM, AEW10])
    docs, problems = load_found(data, data.parent)
    assert problems == [] and sorted(docs) == written
    heat = (data / FOUND_DIR / f"{HEAT}.yaml").read_text(encoding="utf-8")
    assert heat.startswith("# Machine-found by `python -m generator enrich`")
    assert yaml.safe_load(heat) == {
        "source": "arXiv API",
        "checked": CHECKED,
        "match": "title and abstract",
        "arxiv": "1605.08386",
        "version": 1,
        "title": "Heat-bath random walks with Markov bases",
        "authors": ["Caprice Stanley", "Tobias Windisch"],
        "published": "2016-05-26",
        "updated": "2016-05-26",
        "category": "math.CO",
        "abstract_url": "https://arxiv.org/abs/1605.08386v1",
        "pdf_url": "https://arxiv.org/pdf/1605.08386v1",
    }


def test_requests_are_three_seconds_apart_and_rate_limits_are_waited_out(first_run):
    _, replay, _, _ = first_run
    times = [t for t, _ in replay.asked]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 3.0
    quantum = [t for t, q in replay.asked if q.startswith('ti:"Quantum')]
    assert len(quantum) == 3  # 429, 503, then the answer
    assert quantum[1] - quantum[0] >= 5.0  # the 429's Retry-After: 5 was honoured


def test_progress_shows_done_to_do_matches_and_misses(first_run):
    _, _, _, lines = first_run
    assert lines[0] == (
        "8 papers to look up (1 by their curator's arXiv id), 0 already have metadata"
    )
    assert lines[-1].startswith("[8/8] withdrawn  1806.06446v2")
    assert "(matched 4, to review 3)" in lines[-1]


def test_a_rerun_sends_only_what_was_never_answered(tmp_path: Path, first_run):
    data, replay, _, _ = first_run
    before = len(replay.asked)
    report, lines = enrich(data, replay, tmp_path / "cache")
    # Matched papers are not asked again, and the other answers come from the cache:
    # only the question that timed out is sent, and now it is answered.
    assert [q for _, q in replay.asked[before:]] == [
        'ti:"A Luttinger Liquid Core Inside Helium 4 Filled Nanopores"'
    ]
    assert lines[0].startswith("4 papers to look up") and "4 already have metadata" in lines[0]
    assert outcome_of(report, LUTTINGER).kind == MATCHED
    luttinger = yaml.safe_load((data / FOUND_DIR / f"{LUTTINGER}.yaml").read_text("utf-8"))
    assert luttinger["category"] == "cond-mat.mes-hall"  # the pre-2025 feed shape parsed
    assert luttinger["authors"] == ["Adrian Del Maestro"]


def test_a_curators_values_always_win_and_are_never_touched(tmp_path: Path, first_run):
    data, replay, _, _ = first_run
    curated = data / "curation" / "papers" / f"{AEW10}.yaml"
    original = curated.read_bytes()
    enrich(data, replay, tmp_path / "cache")
    assert curated.read_bytes() == original
    machine = yaml.safe_load((data / FOUND_DIR / f"{AEW10}.yaml").read_text("utf-8"))
    assert len(machine["authors"]) == 34 and machine["match"] == "curator's arXiv id"
    meta = build_catalogue(data, Cache(None)).meta[AEW10]
    assert meta.authors == ("Yanling Chen", "A. J. Han Vinck")  # the curator's
    assert meta.published == "2017-07-27" and meta.category == "cs.IT"  # the machine's
    assert "authors" not in meta.found and "published" in meta.found


def test_a_curators_id_or_none_sets_a_wrong_match_aside(first_run):
    data, _, _, _ = first_run
    curation = data / "curation" / "papers"
    (curation / f"{HEAT}.yaml").write_text("arxiv: none\n", encoding="utf-8")
    (curation / f"{GENETIC}.yaml").write_text('arxiv: "1106.3680"\n', encoding="utf-8")
    catalogue = build_catalogue(data, Cache(None))
    heat, genetic = catalogue.meta[HEAT], catalogue.meta[GENETIC]
    assert heat.not_on_arxiv and heat.arxiv is None and heat.authors == () and heat.found == ()
    # The machine's record is of 1306.4664: set aside, and the paper looked up by id.
    assert genetic.arxiv == "1106.3680" and genetic.authors == () and genetic.found == ()
    by_title, by_id, _ = plan(catalogue)
    assert (GENETIC, "1106.3680") in [(p.id, i) for p, i in by_id]
    assert HEAT not in [p.id for p in by_title]


def test_the_report_lists_every_paper_a_human_must_decide(first_run):
    _, _, report, _ = first_run
    text = markdown(report)
    counts = "4 matched, 1 ambiguous, 1 withdrawn, 1 not found, 1 unanswered"
    assert f"8 of 8 looked up: {counts}" in text
    for pid in (DNA, WITHDRAWN_PAPER, NOWHERE):
        assert f"| `{pid}` |" in text
    assert "[1106.3680](https://arxiv.org/abs/1106.3680)" in text
    assert "1 papers went unanswered" in text


def test_two_papers_sharing_a_name_never_get_each_others_id(tmp_path: Path):
    """The FLoRA case: the title search returns both; each abstract picks its own."""
    records = parse_feed((RECORDED / "answers" / "group-testing-genetic.xml").read_bytes())
    catalogue = build_catalogue(sample_data(tmp_path), Cache(None))
    for pid, expected in ((GENETIC, "1306.4664"), (DNA, None)):
        outcome = judge(catalogue.by_id[pid], records)
        assert (outcome.record.arxiv if outcome.record else None) == expected


def test_with_no_network_enrich_says_so_and_changes_nothing(tmp_path: Path):
    data = sample_data(tmp_path)
    port = free_port()  # nothing listens there: the connection is refused at once
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "enrich"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PAPER_CATALOGUE_ARXIV_URL": f"http://127.0.0.1:{port}/q"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "arXiv cannot be reached" in result.stdout
    assert "the site builds from what the repository holds" in result.stdout
    assert not (data / FOUND_DIR).exists()


class _Answers(http.server.BaseHTTPRequestHandler):
    """A loopback stand-in for arXiv's edge: a 429 with Retry-After, or silence."""

    def do_GET(self) -> None:
        if self.path.startswith("/silent"):
            self.server.release.wait(30)  # answer only once the client has given up
            return
        self.send_response(429)
        self.send_header("Retry-After", "7")
        self.end_headers()
        self.wfile.write(b"Rate exceeded.")

    def log_message(self, *args: object) -> None:
        pass


def test_the_real_transport_reads_retry_after_and_reports_timeouts():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    server.release = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        answer = urllib_transport(f"{base}/query", timeout=30)
        assert (answer.status, answer.retry_after, answer.body) == (429, 7.0, b"Rate exceeded.")
        with pytest.raises(TimeoutError):
            urllib_transport(f"{base}/silent", timeout=0.5)
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_a_machine_file_for_a_merged_away_paper_is_a_notice_to_delete_it(first_run):
    data, _, _, _ = first_run
    (data / "curation" / "papers" / f"{GENETIC}.yaml").write_text(
        f"same_as: [{HEAT}]\n", encoding="utf-8"
    )
    problems = build_catalogue(data, Cache(None)).problems
    [stray] = [p for p in problems if p.path.endswith(f"{FOUND_DIR}/{HEAT}.yaml")]
    assert not stray.is_error and stray.message == f"no paper has the id {HEAT!r}"
    assert stray.hint.startswith("delete this file")


def test_a_service_that_keeps_refusing_stops_the_run_and_keeps_the_work(tmp_path: Path):
    """A Retry-After longer than a run should wait: stop, say why, lose nothing."""
    replay = Replay()
    data = sample_data(tmp_path)
    enrich(data, replay, tmp_path / "cache")
    written = sorted((data / FOUND_DIR).iterdir())

    def refusing(url: str, timeout: float) -> Response:
        return Response(503, b"", retry_after=3600)

    client = Client(tmp_path / "other-cache", refusing, clock=replay.clock, sleep=replay.sleep)
    report = run(build_catalogue(data, Cache(None)), data, client, CHECKED, lambda _: None)
    assert report.outcomes == []
    assert report.stopped == "arXiv asks to wait 3600 s before the next request (HTTP 503)"
    assert sorted((data / FOUND_DIR).iterdir()) == written


def test_machine_files_kept_by_their_bytes_load_as_read_afresh(tmp_path, monkeypatch):
    """A build with a cache parses only the machine files it has not seen (a catalogue
    fed by enrich has one per paper), and finds the same metadata and problems, at the
    same lines, as a build that parses them all."""
    synthetic = load_benchmark("synthetic")
    data = synthetic.write_catalogue(750, tmp_path / "data", held_out=250)
    added = data / synthetic.HELD_OUT
    shutil.move(added, tmp_path / "added")
    files = sorted((data / "arxiv").iterdir())
    files[0].write_text(files[0].read_text().replace("version: ", "version: -"))  # schema
    files[1].write_text(files[1].read_text() + "title: again\n")  # a duplicate key
    cache = Cache(tmp_path / "cache", secret=bytes(32))
    build_catalogue(data, cache)
    shutil.copytree(tmp_path / "added", data, dirs_exist_ok=True)
    parsed = []
    real_load = arxiv_meta.load_yaml
    monkeypatch.setattr(
        arxiv_meta, "load_yaml", lambda path, *a: parsed.append(path) or real_load(path, *a)
    )
    again = build_catalogue(data, cache)
    assert 0 < len(parsed) < 300  # the added listing's files only, of ~700
    assert all(
        p.parent == data / "arxiv" and p.name in os.listdir(tmp_path / "added/arxiv")
        for p in parsed
    )
    fresh = build_catalogue(data, Cache(None))
    assert again.meta == fresh.meta and again.problems == fresh.problems
    shown = {p.path: p.line for p in fresh.problems if "arxiv" in p.path}
    assert len(shown) == 2 and all(line > 0 for line in shown.values())
