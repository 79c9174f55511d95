"""The split search layout (a big catalogue's: generator/export/search.py:_split_index),
on a synthetic catalogue with authors and dates, split from a lowered threshold: the real
worker, run whole in Node, finds what it finds in the whole layout, fetching only the
files each question needs (issue 31, item 4)."""

from __future__ import annotations

import gzip
import json
import math
import os
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, computed_real_catalogue, load_benchmark, real_search_files
from worker_js import LUNR_JS, WORKER, node, rule_papers, write_search_site

from generator.export.search import (
    CARDS_PER_FILE,
    COMMON,
    INDEX_FILE,
    TERMS_FILE,
    _az_key,
    analyse,
    build_index,
    search_input,
    shard_of,
)
from generator.text.fold import index_text

PAPERS = 1_500
MAX_RESULTS = 100  # the header box's (paper-search-worker.js)
RUNNER = ROOT / "tests" / "worker_node.js"
# one word, two words, a model name and version, typos, a British spelling, a phrase,
# an exclusion, a common word beside a rarer one, an English word near a catalogue word,
# a prefix still being typed
QUERIES = [
    "diffusion",
    "scaling laws",
    "mixture of experts",
    "llama 3",
    "difusion",
    "tranformer",
    "quantisation",
    '"chain of thought"',
    "diffusion -image",
    "model training",
    "tiles",
    "reinforc",
]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, Path]:
    """The same synthetic catalogue's search files in the whole layout and split (the
    threshold lowered to its size), each with the worker's scripts beside them."""
    node()
    tmp = tmp_path_factory.mktemp("split")
    catalogue = load_benchmark("search_bench").catalogue_for(PAPERS, tmp / "data")
    search = search_input(catalogue, lambda pid: f"papers/{pid}/")
    sites = {}
    split = build_index(search, PAPERS)
    assert build_index(search, PAPERS) == split  # deterministic
    for name, files in (("whole", build_index(search, PAPERS + 1)), ("split", split)):
        sites[name] = write_search_site(tmp / name, catalogue, files)
    return sites


def ask(site: Path, questions: list[dict], **env: str) -> list[dict]:
    """The worker's answers, each with the files it fetched for it (tests/worker_node.js;
    ``env``: more of its settings)."""
    result = subprocess.run(
        [node(), str(RUNNER), str(site), str(LUNR_JS)],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WORKER_FETCHED": "1", **env},
    )
    return json.loads(result.stdout)


def read(site: Path, path: str):
    return json.loads(gzip.decompress((site / path).read_bytes()))


@cache
def _tied(items: tuple[tuple[str, float], ...]) -> list[list[str]]:
    """URLs in order, each run of equal scores as a set (ties may fall either way: the
    layouts number papers differently)."""
    runs: list[tuple[float, set[str]]] = []
    for url, score in items:
        if runs and math.isclose(runs[-1][0], score, rel_tol=1e-9):
            runs[-1][1].add(url)
        else:
            runs.append((score, {url}))
    return [sorted(urls) for _, urls in runs]


def found(answer: dict) -> dict:
    notes = answer["notes"] or {}
    return {
        "total": answer["total"],
        "all": answer["all"],
        "notes": {k: notes.get(k) for k in ("corrected", "suggested", "dropped")},
        "ranked": _tied(tuple((i["url"], i["score"]) for i in answer["items"])),
    }


def shown(answer: dict) -> list[str]:
    """What the header's box lists, as a set: the whole layout's answer keeps the places
    of its early answer (tier one's) when refined, so when more than the box shows are
    found, which are shown differs; the split layout's order is the ranking's alone, as
    the Search page's is (compared above, order and all)."""
    return sorted(g[0]["location"] for g in answer["data"]["items"])


def test_the_split_layout_finds_what_the_whole_index_finds(layouts):
    questions = [{"find": {"query": q, "limit": PAPERS}} for q in QUERIES]
    questions += [{"query": q} for q in QUERIES]
    whole, split = ask(layouts["whole"], questions), ask(layouts["split"], questions)
    assert any(a["type"] == "found" and a["total"] > 50 for a in whole)
    for question, a, b in zip(questions, whole, split, strict=True):
        if "find" in question:
            assert found(b) == found(a), question
            continue
        if a["data"]["notes"]["total"] <= MAX_RESULTS:
            assert shown(b) == shown(a), question
        keys = ("corrected", "suggested", "total", "all", "shown")
        assert {k: b["data"]["notes"][k] for k in keys} == {
            k: a["data"]["notes"][k] for k in keys
        }, question


def test_browsing_and_filters_find_the_same_papers_a_to_z(layouts):
    head = read(layouts["split"], INDEX_FILE)
    tag = head["tags"][0]
    listing = head["listings"][-1]["name"]
    year = head["years"][-1]
    questions = [
        {"find": {"query": "", "limit": PAPERS}},
        {"find": {"query": "", "tags": [tag], "limit": PAPERS}},
        {"find": {"query": "", "listing": listing, "limit": PAPERS}},
        {"find": {"query": "", "year": year, "limit": PAPERS}},
        {"find": {"query": "diffusion", "year": year, "tags": [tag], "limit": PAPERS}},
        {"find": {"query": "", "year": "1899", "limit": PAPERS}},
    ]
    whole, split = ask(layouts["whole"], questions), ask(layouts["split"], questions)
    for question, a, b in zip(questions, whole, split, strict=True):
        assert (b["total"], b["all"]) == (a["total"], a["all"]), question
        assert sorted(i["url"] for i in b["items"]) == sorted(i["url"] for i in a["items"])
        assert sorted(map(json.dumps, b["items"])) == sorted(map(json.dumps, a["items"]))
    assert 0 < split[1]["total"] < PAPERS and 0 < split[3]["total"] < PAPERS
    assert split[-1]["total"] == 0
    # A to Z: the browse list is in title order, case and accents aside
    titles = [_az_key(i["title"]) for i in split[0]["items"]]
    assert titles == sorted(titles)


def fetched_by(site: Path, question: dict) -> tuple[dict, list[str]]:
    """A fresh worker's answer to one question, and the search files it fetched for it
    (beyond the head it loads on start)."""
    (answer,) = ask(site, [question])
    return answer, [path for path in answer["fetched"] if path.startswith("search/")]


def word_shards(head: dict, words: list[str]) -> set[str]:
    """The shards the worker needs for the words (as search.py's shard_of finds them; the
    last word, still being typed, also every shard its prefix range touches)."""
    starts = [start for start, _ in head["shards"]]
    numbers = set()
    for i, word in enumerate(words):
        ((typed, term),) = analyse(index_text(word))
        numbers.add(shard_of(starts, term))
        if i == len(words) - 1:
            numbers.update(range(shard_of(starts, typed), shard_of(starts, typed + "\uffff") + 1))
    return {head["shards"][n][1] for n in numbers}


def cards_of(site: Path, head: dict, urls: list[str]) -> tuple[set[str], set[str]]:
    """The card and snippet files holding the papers at ``urls``."""
    number = {}
    for n, file in enumerate(head["cards"]["files"]):
        for k, card in enumerate(read(site, file)):
            number[head["url"][0] + card[0] + head["url"][1]] = n * CARDS_PER_FILE + k
    files = {number[u] // CARDS_PER_FILE for u in urls}
    return (
        {head["cards"]["files"][f] for f in files},
        {head["snippets"]["files"][f] for f in files},
    )


def paper_urls(answer: dict) -> list[str]:
    return [
        g[0]["location"] for g in answer["data"]["items"] if g[0]["location"].startswith("papers/")
    ]


def test_a_query_fetches_only_its_words_shards_and_the_cards_it_shows(layouts):
    site = layouts["split"]
    head = read(site, INDEX_FILE)
    assert "papers" not in head and head["count"] == PAPERS and len(head["shards"]) > 10
    answer, fetched = fetched_by(site, {"query": "mixture of experts"})
    urls = paper_urls(answer)
    cards, _ = cards_of(site, head, urls)
    _, top_snippets = cards_of(site, head, urls[:10])
    assert len(urls) > 10 and len(cards) < len(head["cards"]["files"])
    shards = {p for p in fetched if p.startswith("search/text-")}
    assert shards == word_shards(head, ["mixture", "experts"])
    assert len(shards) < len(head["shards"]) / 4
    assert {p for p in fetched if p.startswith("search/cards-")} == cards
    assert {p for p in fetched if p.startswith("search/snippets-")} == top_snippets
    # which of a term's words each paper has, for "every word" (round 6): a shard's forms
    forms = {p for p in fetched if p.startswith("search/forms-")}
    assert {p.rsplit("-", 1)[0] for p in forms} <= {
        p.replace("/text-", "/forms-").removesuffix(".json.gz") for p in shards
    }
    assert len(fetched) == len(set(fetched)) == len(shards | forms | cards | top_snippets)


@pytest.mark.parametrize("word", ["translation", "mixture", "experts", "diffusion", "lora"])
def test_a_word_fetches_a_forms_file_only_if_its_term_is_written_in_several_ways(layouts, word):
    """Whether a paper has a typed word or only another word of its stem ("translate"
    for "translation") is in a forms file of the word's shard, fetched only when the
    shard lists the word's term as written in more than one inflection (a term written
    one way is had as its name), and then only the file the shard names for it: round 6's
    "every word" costs most queries no byte, and the others a file of a few terms."""
    site = layouts["split"]
    head = read(site, INDEX_FILE)
    ((_, term),) = analyse(index_text(word))
    path = head["shards"][shard_of([start for start, _ in head["shards"]], term)][1]
    shard = read(site, path)
    listed = {}
    for k, run in enumerate(shard["forms"]):
        at = 0
        for gap in run:
            at += gap
            listed[shard["terms"][at]] = path.replace("/text-", "/forms-").replace(
                ".json.gz", f"-{k}.json.gz"
            )
    _, fetched = fetched_by(site, {"find": {"query": f'"{word}"', "limit": 10}})
    assert [p for p in fetched if "/forms-" in p] == ([listed[term]] if term in listed else [])
    for file in set(listed.values()):
        assert set(read(site, file)["terms"]) == {t for t, f in listed.items() if f == file}


def test_a_typo_fetches_the_dictionary_and_only_the_nearest_terms_shard(layouts):
    site = layouts["split"]
    head = read(site, INDEX_FILE)
    answer, fetched = fetched_by(site, {"query": "difusion"})
    assert answer["data"]["notes"]["corrected"] == [{"from": "difusion", "to": "diffusion"}]
    starts = [start for start, _ in head["shards"]]
    near = {head["shards"][shard_of(starts, t)][1] for t in ("difus", "diffus")}
    assert TERMS_FILE in fetched
    assert {p for p in fetched if p.startswith("search/text-")} == near
    # a word spelt right needs no dictionary
    _, fetched = fetched_by(site, {"query": "diffusion"})
    assert TERMS_FILE not in fetched


def test_a_common_word_beside_a_rarer_one_fetches_nothing(layouts):
    site = layouts["split"]
    head = read(site, INDEX_FILE)
    assert head["common"] and all(n > COMMON * PAPERS for n in head["common"].values())
    assert "model" in head["common"]
    _, fetched = fetched_by(site, {"query": "model distillation"})
    assert {p for p in fetched if p.startswith("search/text-")} == word_shards(
        head, ["distillation"]
    ) - (set() if _same_shard(head, "model", "distil") else word_shards(head, ["model"]))


def _same_shard(head: dict, a: str, b: str) -> bool:
    starts = [start for start, _ in head["shards"]]
    return shard_of(starts, a) == shard_of(starts, b)


def test_browsing_fetches_only_the_cards_of_the_page_shown(layouts):
    site = layouts["split"]
    head = read(site, INDEX_FILE)
    answer, fetched = fetched_by(site, {"find": {"query": "", "limit": 50, "offset": 100}})
    assert answer["total"] == PAPERS and len(answer["items"]) == 50
    pages = {100 // CARDS_PER_FILE, 149 // CARDS_PER_FILE}
    assert set(fetched) == {head["cards"]["files"][n] for n in pages} | {
        head["snippets"]["files"][n] for n in pages
    }
    tag = head["tags"][0]
    answer, fetched = fetched_by(site, {"find": {"query": "", "tags": [tag], "limit": 50}})
    cards, snippets = cards_of(site, head, [i["url"] for i in answer["items"]])
    assert set(fetched) == {"search/tag-0.json.gz"} | cards | snippets


def test_the_worker_drops_common_words_from_the_share_the_head_lists_them_from():
    assert f"const COMMON = {COMMON} " in WORKER.read_text("utf-8")


def real_layout(tmp: Path, split_from: int) -> tuple[Path, list[dict]]:
    """The real catalogue's search files in one layout, and its papers as the relevance
    rules read them."""
    catalogue = computed_real_catalogue()
    _, files = real_search_files(split_from)
    return write_search_site(tmp, catalogue, files), rule_papers(catalogue)


def test_the_researcher_queries_score_the_same_on_the_real_catalogue_split(tmp_path):
    """The 24 queries of benchmarks/relevance (model names, typos, English words near a
    catalogue word, phrases, exclusions), on the real 720 papers split from a threshold of
    0: each finds what it finds in the whole layout, with the same counts."""
    node()
    relevance = load_benchmark("search_relevance")
    sets = (relevance.QUERIES, ROOT / "benchmarks" / "relevance" / "search_queries_test.yaml")
    rows = {}
    for name, split_from in (("whole", 10**9), ("split", 0)):
        site, papers = real_layout(tmp_path / name, split_from)
        rows[name] = [r for path in sets for r in relevance.score(site, papers, path)]
    assert "papers" not in read(tmp_path / "split", INDEX_FILE)
    assert len(rows["split"]) == 24
    assert rows["split"] == rows["whole"]


def test_the_split_layout_lists_the_same_known_words_and_fetches_one_file_for_a_word(layouts):
    """The known English words (issue 28) are the whole layout's files, their table in
    the split head; a word the index lacks fetches the one file its place falls in, and
    a known word is offered, never searched as the catalogue word near it."""
    whole, split = read(layouts["whole"], INDEX_FILE), read(layouts["split"], INDEX_FILE)
    assert split["known"] and split["known"] == whole["known"]
    for _, path in split["known"]:
        assert read(layouts["split"], path) == read(layouts["whole"], path)
    assert not any("known" in read(layouts["split"], f) for _, f in split["shards"])
    answer, fetched = fetched_by(layouts["split"], {"query": "tiles"})
    notes = answer["data"]["notes"]
    assert notes["corrected"] == [] and notes["suggested"], notes
    starts = [start for start, _ in split["known"]]
    assert [p for p in fetched if "/known-" in p] == [split["known"][shard_of(starts, "tile")][1]]
    _, fetched = fetched_by(layouts["split"], {"query": "diffusion"})
    assert not [p for p in fetched if "/known-" in p]


def test_a_quoted_phrase_is_found_in_a_tag_name_split_from_that_tags_file(layouts):
    """ "open models" is a tag's name: every paper with the tag has the phrase, in the
    split layout as in the whole one (whose tier one has every paper's tags), found from
    that tag's file rather than from the cards of every paper with both words."""
    head = read(layouts["split"], INDEX_FILE)
    tag = head["tags"].index("open-models")
    tagged = {
        head["url"][0] + card[0] + head["url"][1]
        for path in head["cards"]["files"]
        for card in read(layouts["split"], path)
        if tag in card[2]
    }
    question = {"find": {"query": '"open models"', "limit": PAPERS}}
    (whole,) = ask(layouts["whole"], [question])
    answer, fetched = fetched_by(layouts["split"], question)
    assert found(answer) == found(whole)
    assert tagged and tagged <= {i["url"] for i in answer["items"]}
    assert f"search/tag-{tag}.json.gz" in fetched


@pytest.mark.parametrize("query", ["diffusion", "mixture of experts", "scaling laws"])
def test_a_first_query_shows_results_after_the_head_its_shards_and_its_first_cards(layouts, query):
    """The round trips of a first query in a fresh worker (fetches each started once the
    one before it came back; tests/worker_node.js's timeline): the head, the words'
    shards (every word's at once), a forms file if a word's term is written in several
    ways, then the first ten results' cards and snippets together; the other results'
    cards one more."""
    (answer,) = ask(layouts["split"], [{"query": query}], WORKER_TIMELINE="1")
    forms = any("/forms-" in path for path in answer["fetched"])
    timeline = answer["timeline"]
    assert answer["data"]["notes"]["total"] > 10
    assert timeline["results"]["roundTrips"] == 3 + forms
    assert timeline["final"]["roundTrips"] == 4 + forms
    assert timeline["cpuMs"] > 0
