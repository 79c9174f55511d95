"""``python -m generator fetch hf-daily`` against recorded-shape answers on loopback
(tests/fixtures/hf/): what it reads, what it writes, and how it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, free_port
from hf_replay import DEEPSEEK, FETCHED, RECORDED, SEED, fixture_server, sample_data

from generator.enrich.run import plan
from generator.fetch import hf_papers
from generator.fetch.run import listing_name, run
from generator.infra.cache import Cache
from generator.infra.http import BadAnswer
from generator.ingest.structured import parse_structured
from generator.pipeline import build_catalogue

DAYS = ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]


class Clock:
    """Sleeps that only count: the tests never wait out a rate limit."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def fetch(data: Path, base: str, days: list[str], cache: Path, clock: Clock):
    client = hf_papers.client(cache, timeout=0.5, sleep=clock.sleep)
    lines: list[str] = []
    catalogue = build_catalogue(data, Cache(None))
    report = run(days, catalogue, data / "listings", client, base, FETCHED, lines.append)
    return report, lines, client


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fetched")
    data = sample_data(tmp)
    clock = Clock()
    with fixture_server() as (base, script):
        report, lines, client = fetch(data, base, DAYS, tmp / "cache", clock)
    return data, report, lines, script, clock, client


def test_a_day_is_read_as_documented_and_unknown_fields_are_ignored():
    day = hf_papers.parse_day("2026-12-07", (RECORDED / "answers" / "2026-12-07.json").read_bytes())
    attention, deepseek, hostile = day.papers
    assert deepseek.arxiv == "2401.06066"
    assert deepseek.authors[:2] == ("Damai Dai", "Chengqi Deng") and len(deepseek.authors) == 17
    assert (deepseek.published, deepseek.upvotes) == ("2024-01-11", 42)
    assert deepseek.code == "https://github.com/deepseek-ai/DeepSeek-MoE"
    assert attention.authors == () and attention.code is None  # absent fields: nothing
    # Hostile values: unusable URLs, counts and dates are dropped, text is one line of
    # plain text without control characters, markup kept as written (pages escape it).
    assert (hostile.code, hostile.project, hostile.upvotes, hostile.published) == (None,) * 4
    assert "\n" not in hostile.abstract and "\u202e" not in hostile.abstract
    assert hostile.title.startswith("<script>")
    assert len(hostile.authors) == 3  # the empty and the missing name are left out
    assert day.skipped == (
        "an item without its paper",
        "a paper without an arXiv id ('not-an-arxiv-id')",
    )


@pytest.mark.parametrize(
    "body, why",
    [(b'[{"paper": {"id": "2401.06066", "tit', "not JSON"), (b'{"error": "x"}', "not a list")],
)
def test_an_answer_that_is_not_a_list_of_papers_is_refused(body, why):
    with pytest.raises(BadAnswer, match=why):
        hf_papers.parse_day("2026-12-08", body)


def test_each_day_with_papers_becomes_one_listing_valid_against_its_schema(fetched):
    data, report, lines, *_ = fetched
    assert report.stopped == ""
    names = sorted(p.name for p in (data / "listings").glob("hf-daily-*"))
    # The empty day (2026-12-06) writes no file: a listing with no papers says nothing.
    assert names == [listing_name(d) for d in ("2026-12-04", "2026-12-05", "2026-12-07")]
    for name in names:
        raw = (data / "listings" / name).read_bytes()
        result = parse_structured(raw, name)
        assert result.problems == [], result.problems
        assert result.listing.entries
    assert "[3/4] 2026-12-06: no papers listed" in lines
    # DeepSeekMoE is known (by its id) under another title: changed, for a curator's look.
    assert "[4/4] 2026-12-07: 3 papers (2 new, 0 already known, 1 changed)" in lines
    assert "    skipped an item without its paper" in lines


def test_rate_limits_are_waited_out_and_timeouts_retried(fetched):
    *_, script, clock, client = fetched
    assert 2.0 in clock.slept  # the 429's Retry-After, honoured
    assert script.served["2026-12-05"] == 2 and script.served["2026-12-04"] == 2  # retried
    assert client.sent == 6


def test_a_relisted_seed_merges_by_id_whatever_its_title_and_shows_its_metadata(fetched):
    data, *_ = fetched
    catalogue = build_catalogue(data, Cache(None))
    assert catalogue.errors == []
    same = [p for p in catalogue.papers if p.id.startswith("deepseekmoe")]
    assert [p.id for p in same] == [DEEPSEEK]  # no second paper for "Toward"
    assert same[0].listings == (SEED, listing_name("2026-12-07"))
    meta = catalogue.meta[DEEPSEEK]
    assert meta.arxiv == "2401.06066" and len(meta.authors) == 17
    assert (meta.published, meta.upvotes, meta.upvoted) == ("2024-01-11", 42, FETCHED)
    assert dict(meta.links)["code"] == "https://github.com/deepseek-ai/DeepSeek-MoE"
    assert meta.listed_from == f"Hugging Face Papers API, fetched {FETCHED}"
    assert set(meta.listed) == {"authors", "published", "code"}  # the id is the curator's


def test_one_arxiv_id_in_two_listings_is_one_paper_with_the_last_listings_count(fetched):
    data, *_ = fetched
    catalogue = build_catalogue(data, Cache(None))
    attention = [p for p in catalogue.papers if p.title == "Attention Is All You Need"]
    assert len(attention) == 1
    meta = catalogue.meta[attention[0].id]
    assert meta.authors == () and meta.upvotes == 7  # 2026-12-07's count, not 12-04's
    assert "authors" not in meta.listed


def test_a_curators_value_wins_over_the_listings(fetched, tmp_path):
    data, *_ = fetched
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    (copy / "curation" / "papers" / f"{DEEPSEEK}.yaml").write_text(
        'arxiv: "2401.06066"\nauthors: [A Curator]\nlinks: {code: "https://example.org/c"}\n',
        encoding="utf-8",
    )
    meta = build_catalogue(copy, Cache(None)).meta[DEEPSEEK]
    assert meta.authors == ("A Curator",) and dict(meta.links)["code"] == "https://example.org/c"
    assert meta.upvotes == 42 and set(meta.listed) == {"published"}


def test_enrich_looks_listed_papers_up_by_id_not_by_title(fetched):
    data, *_ = fetched
    by_title, by_id, _ = plan(build_catalogue(data, Cache(None)))
    ids = dict((p.title, i) for p, i in by_id)
    assert ids["Attention Is All You Need"] == "1706.03762"
    assert all(p.title != "Attention Is All You Need" for p in by_title)


def test_a_failure_writes_nothing_and_a_rerun_asks_only_what_was_never_answered(tmp_path):
    data = sample_data(tmp_path)
    before = sorted(p.name for p in (data / "listings").iterdir())
    clock = Clock()
    with fixture_server() as (base, script):
        days = ["2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]
        report, _, _ = fetch(data, base, days, tmp_path / "cache", clock)
        assert "not JSON" in report.stopped
        assert sorted(p.name for p in (data / "listings").iterdir()) == before
        asked = len(script.asked)
        report, _, client = fetch(data, base, days[:3], tmp_path / "cache", clock)
    assert report.stopped == "" and client.sent == 0 and len(script.asked) == asked
    assert (data / "listings" / listing_name("2026-12-07")).is_file()


def test_an_error_status_stops_the_run_with_the_status(tmp_path):
    data = sample_data(tmp_path)
    with fixture_server() as (base, _):
        report, _, _ = fetch(data, base, ["2026-12-02"], tmp_path / "cache", Clock())
    assert "Hugging Face answered HTTP 500" in report.stopped


def cli(data: Path, base: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPER_CATALOGUE_HF_URL": base, "PAPER_CATALOGUE_CACHE": "off"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "fetch", "hf-daily", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_no_service_fetch_says_so_in_one_line_and_writes_nothing(tmp_path):
    data = sample_data(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    closed = f"http://127.0.0.1:{free_port()}/api/daily_papers"
    result = cli(data, closed, "--date", "2026-12-07", "--cache", str(tmp_path / "c"))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Hugging Face cannot be reached" in lines[0], result.stderr
    assert "Nothing was written" in lines[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_the_command_writes_the_day_and_a_report(tmp_path):
    data = sample_data(tmp_path)
    report = tmp_path / "report.md"
    with fixture_server() as (base, _):
        result = cli(data, base, "--date", "2026-12-07", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "1 days, 3 papers (2 new, 0 already known, 1 changed)" in result.stdout
    assert "[1/1] 2026-12-07: 3 papers" in result.stderr
    written = yaml.safe_load((data / "listings" / listing_name("2026-12-07")).read_text())
    assert written["source"] == "Hugging Face Papers API" and len(written["papers"]) == 3
    assert "data/listings/hf-daily-2026-12-07.yaml" in report.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-12-07", "--to", "2026-12-01"], "is after"),
        (["--from", "2026-01-01", "--to", "2026-12-01"], "at most 62"),
        ([], "say which days"),
        (["--since-last"], "no hf-daily listing yet"),
    ],
)
def test_a_bad_range_is_one_line_and_exit_2(tmp_path, args, message):
    result = cli(sample_data(tmp_path), "http://127.0.0.1:9/none", *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_fixture_days_are_json_lists():
    for path in (RECORDED / "answers").glob("2026-*.json"):
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), list)


def test_enrich_writes_a_listed_papers_record_as_found_by_the_listings_id(fetched, tmp_path):
    import shutil

    from generator.enrich.arxiv_client import Client, Response
    from generator.enrich.run import run as enrich

    data = tmp_path / "data"
    shutil.copytree(fetched[0], data)
    feed = (ROOT / "tests/fixtures/arxiv/answers/heat-bath.xml").read_bytes()

    def answer(url: str, timeout: float) -> Response:
        # Whatever is asked by id gets a real feed, under the id asked for.
        asked = url.split("id_list=")[1].split("&")[0].split("%2C")[0]
        return Response(200, feed.replace(b"1605.08386", asked.encode()))

    catalogue = build_catalogue(data, Cache(None))
    attention = next(p.id for p in catalogue.papers if p.title == "Attention Is All You Need")
    clock = Clock()
    client = Client(None, answer, sleep=clock.sleep)
    enrich(catalogue, data, client, "2026-12-07", lambda _: None, limit=1)
    written = yaml.safe_load((data / "arxiv" / f"{attention}.yaml").read_text())
    assert written["match"] == "listing's arXiv id" and written["arxiv"] == "1706.03762"
    assert build_catalogue(data, Cache(None)).errors == []  # the schema knows the value


def test_since_last_goes_on_from_the_newest_fetched_day(tmp_path):
    data = sample_data(tmp_path)
    with fixture_server() as (base, script):
        assert cli(data, base, "--date", "2026-12-05").returncode == 0
        result = cli(data, base, "--since-last", "--to", "2026-12-07")
    assert result.returncode == 0, result.stderr
    assert script.asked == ["2026-12-05", "2026-12-05", "2026-12-06", "2026-12-07"]
    assert (data / "listings" / listing_name("2026-12-07")).is_file()
    report = tmp_path / "report.md"
    result = cli(
        data,
        "http://127.0.0.1:9/none",
        "--since-last",
        "--to",
        "2026-12-07",
        "--report",
        str(report),
    )
    assert result.returncode == 0 and "nothing to fetch" in result.stdout
    assert "nothing to fetch" in report.read_text()  # the workflow's next step reads it


def test_a_new_paper_with_an_existing_abstract_is_named_for_a_curator(tmp_path):
    from generator.fetch.run import markdown

    data = sample_data(tmp_path)
    (data / "curation" / "papers" / f"{DEEPSEEK}.yaml").unlink()  # no id known for it
    with fixture_server() as (base, _):
        report, _, _ = fetch(data, base, ["2026-12-07"], tmp_path / "cache", Clock())
    assert report.kinds == {"new": 3, "already known": 0, "changed": 0}
    title = (
        "DeepSeekMoE: Toward Ultimate Expert Specialization in Mixture-of-Experts Language Models"
    )
    assert report.twins == [("2401.06066", title, DEEPSEEK)]
    text = markdown(report)
    assert f"- arXiv 2401.06066 ({title}) and `{DEEPSEEK}`" in text
    assert 'give the existing one its arXiv id (`arxiv: "<id>"`' in text
