"""arXiv as recorded (tests/fixtures/arxiv/), replayed for the enrich tests of every
tier: real papers, never fetched."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from conftest import FIXTURES

from generator.enrich.arxiv_client import Client, Response
from generator.enrich.run import run
from generator.infra.cache import Cache
from generator.pipeline import build_catalogue

RECORDED = FIXTURES / "arxiv"
HEAT = "heat-bath-random-walks-with-markov-bases"
GENETIC = "efficient-two-stage-group-testing-algorithms-for-genetic-screening"
DNA = "efficient-two-stage-group-testing-algorithms-for-dna-screening"
WITHDRAWN_PAPER = "self-attentive-neural-collaborative-filtering"
QUANTUM = "quantum-computers-and-quantum-computer-languages-quantum-assembly-language-and"
LUTTINGER = "a-luttinger-liquid-core-inside-helium-4-filled-nanopores"
AEW10 = "proceedings-of-workshop-aew10-concepts-in-information-theory-and-communications"
NOWHERE = "paper-catalogue-a-listing-that-arxiv-has-never-seen"
CHECKED = "2026-11-25"


class Replay:
    """arXiv as recorded: each question gets its recorded answers in turn (the last one
    repeats), on a clock that moves only when the client sleeps or a request is sent."""

    def __init__(self) -> None:
        self.script = yaml.safe_load((RECORDED / "answers.yaml").read_text(encoding="utf-8"))
        self.served: dict[str, int] = {}
        self.now = 1000.0
        self.asked: list[tuple[float, str]] = []  # (time, question)
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self, url: str, timeout: float) -> Response:
        params = parse_qs(urlsplit(url).query)
        question = params.get("search_query", [""])[0] or f"id_list={params['id_list'][0]}"
        self.asked.append((self.now, question))
        answers = self.script[question]  # a KeyError here: a question nobody recorded
        n = self.served.get(question, 0)
        self.served[question] = n + 1
        answer = answers[min(n, len(answers) - 1)]
        self.now += 0.2  # the request itself takes a moment
        if answer == "timeout":
            raise TimeoutError("timed out")
        if isinstance(answer, dict):
            return Response(answer["status"], b"Rate exceeded.", answer.get("retry_after"))
        return Response(200, (RECORDED / "answers" / answer).read_bytes())


def sample_data(tmp: Path) -> Path:
    data = tmp / "data"
    (data / "listings").mkdir(parents=True)
    shutil.copy(RECORDED / "listing.txt", data / "listings" / "000_arxiv-sample.txt")
    shutil.copytree(RECORDED / "curation", data / "curation")
    return data


def enrich(data: Path, replay: Replay, cache: Path):
    client = Client(cache, replay, clock=replay.clock, sleep=replay.sleep)
    lines: list[str] = []
    catalogue = build_catalogue(data, Cache(None))
    return run(catalogue, data, client, CHECKED, lines.append), lines
