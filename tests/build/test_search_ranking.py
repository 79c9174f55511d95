"""Search ranks what researchers type: the real worker, run whole in Node, on the real
catalogue's search files (issue 28, item 5).

Each query of benchmarks/relevance/search_queries.yaml is answered as the Search page
asks it; the papers it should find are decided from the catalogue's text by the
query's written rule, not by the index."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from conftest import computed_real_catalogue, load_benchmark, real_search_files
from worker_js import node, rule_papers, write_search_site

from generator.export.search import SPLIT_FROM

relevance = load_benchmark("search_relevance")
QUERIES = {q["query"]: q for q in relevance.queries()}
# The first held-out set, scored once (benchmarks/README.md), development material since.
HELD_OUT = relevance.QUERIES.with_name("search_queries_test.yaml")
# The third held-out set, scored once after round 4, development material since (round 5).
THIRD = relevance.QUERIES.with_name("search_queries_test3.yaml")
# The fourth held-out set, scored once after round 5, development material since (round 6).
FOURTH = relevance.QUERIES.with_name("search_queries_test4.yaml")
# The fifth held-out set, written blind before round 6 and scored once after it.
FIFTH = relevance.QUERIES.with_name("search_queries_test5.yaml")
# Its queries the search still misses, and why (benchmarks/README.md, rounds 4 and 6)
MISSES = {
    "Llama 2": "LLaMA(/2)-7B is read as Llama 2; the rule reads LLaMA",
    "quantization -LLM": "its rule counts quantized, quantize and quantizer as having"
    " quantization; a paper has a typed word as that word or a regular inflection of it"
    " (round 6: the fourth set's translation is not translate), the others come after",
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The search files of the real catalogue with the worker's scripts beside them, and
    each paper as the relevance rules read it."""
    node()
    site = tmp_path_factory.mktemp("search-site")
    catalogue = computed_real_catalogue()
    _, files = real_search_files(SPLIT_FROM)
    return write_search_site(site, catalogue, files), rule_papers(catalogue)


@cache
def _rows(site: Path, papers_json: str, path: Path) -> dict[str, dict]:
    return {r["query"]: r for r in relevance.score(site, json.loads(papers_json), path)}


def rows(search_site, path: Path = relevance.QUERIES) -> dict[str, dict]:
    site, papers = search_site
    return _rows(site, json.dumps(papers), path)


def ask(search_site, questions: list[dict]) -> list[dict]:
    return relevance.ask_worker(search_site[0], questions)


@pytest.mark.parametrize("query", list(QUERIES))
def test_each_query_finds_what_its_rule_expects_and_counts_it(search_site, query):
    """At least 80% of the first results are papers the rule expects, and the count of
    papers "with every word" is the number the rule finds."""
    row = rows(search_site)[query]
    assert row["share"] >= 0.8, row
    assert row["every"] == row["expected"], row


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(q["query"], marks=pytest.mark.xfail(strict=True, reason=MISSES[q["query"]]))
        if q["query"] in MISSES
        else q["query"]
        for q in relevance.queries(HELD_OUT)
    ],
)
def test_each_held_out_query_finds_what_its_rule_expects_and_counts_it(search_site, query):
    """The same on the first held-out set: GPT-3 is not GPT-3.5, 7B is a word of
    Mistral-7B, "kennel" is not "kernel", a quoted phrase is found in tag names too."""
    row = rows(search_site, HELD_OUT)[query]
    assert row["share"] >= 0.8, row
    assert row["every"] == row["expected"], row


@pytest.mark.parametrize("query", [q["query"] for q in relevance.queries(THIRD)])
def test_each_third_held_out_query_finds_what_its_rule_expects_and_counts_it(search_site, query):
    """The same on the third held-out set, whose misses round 5 fixed: "QA" (a two-letter
    word typed last was searched in titles only), "graph neural network" (its common
    words were not counted in "with every word")."""
    row = rows(search_site, THIRD)[query]
    assert row["share"] >= 0.8, row
    assert row["every"] == row["expected"], row


@pytest.mark.parametrize("query", [q["query"] for q in relevance.queries(FOURTH)])
def test_each_fourth_held_out_query_finds_what_its_rule_expects_and_counts_it(search_site, query):
    """The same on the fourth held-out set, whose misses round 6 fixed: a paper has
    "every word" when it has each typed word or a regular inflection of it, not another
    word of lunr's stem (`translation -machine` counted "translate", `fairness -bias`
    "fair", `synthetic data reasoning` "reasonable"), and "BERT" is not bert2BERT."""
    row = rows(search_site, FOURTH)[query]
    assert row["share"] >= 0.8, row
    assert row["every"] == row["expected"], row


@pytest.mark.parametrize("query", [q["query"] for q in relevance.queries(FIFTH)])
def test_each_fifth_held_out_query_finds_what_its_rule_expects_and_counts_it(search_site, query):
    """The same on the fifth held-out set (12/12 when scored once after round 6; before
    it, `optimizer -Adam` counted every paper saying "optimization", the Porter stem of
    optimizer, and `object detection` papers saying "objective")."""
    row = rows(search_site, FIFTH)[query]
    assert row["share"] >= 0.8, row
    assert row["every"] == row["expected"], row


@pytest.fixture(scope="module")
def paper_texts() -> dict[str, str]:
    """Each paper's title, abstract, tag names and authors (all the index searches), by URL."""
    catalogue = computed_real_catalogue()
    return {
        f"papers/{p.id}/": "\n".join(
            [
                p.title,
                p.abstract,
                " ".join(t.replace("-", " ") for t in p.tags),
                " ".join(catalogue.meta[p.id].authors if p.id in catalogue.meta else ()),
            ]
        )
        for p in catalogue.papers
    }


def test_every_short_acronym_finds_every_paper_that_has_it(search_site, paper_texts):
    """Each acronym of two or three characters the catalogue writes in capitals (QA, RL,
    KV, 3D, MoE, SFT, DPO, RAG, ViT, GAN, NLP, ...; not one it also writes as a lower-case
    word, such as mAP and map), typed alone, finds every paper whose text has it as a
    token (or its plural), and counts each "with every word". Beyond those it may find
    only papers where it stands after a dot or backslash ("aka.ms", "\\rm") or before a
    version ("mT5": the index keeps a model's name apart). Two-letter acronyms found
    titles only before round 5 (a last word under three letters fetched no shard)."""
    written, lower = Counter(), set()
    for text in paper_texts.values():
        head = "\n".join(text.split("\n")[:2])
        for token in set(re.findall(r"(?<![\w.])([A-Za-z0-9]{2,3})(?!\w)", head)):
            if sum(c.isupper() or c.isdigit() for c in token) >= 2 and not token.isdigit():
                written[token.removesuffix("s") if token[-1] == "s" else token] += 1
            elif token.islower():
                lower.add(token.removesuffix("s"))
    acronyms = sorted(a for a, n in written.items() if n >= 2 and a.lower() not in lower)
    assert {"QA", "RL", "3D", "SFT", "DPO", "RAG", "ViT", "GAN", "NLP", "KL"} <= set(acronyms)
    answers = ask(search_site, [{"find": {"query": a, "limit": 1000}} for a in acronyms])
    differ = {}
    for acronym, found in zip(acronyms, answers, strict=True):
        a = re.escape(acronym)
        least = re.compile(rf"(?<![\w.]){a}s?(?!\w)", re.I)
        most = re.compile(rf"(?<![a-z0-9]){a}(s|[0-9][a-z0-9.]*)?(?![a-z0-9])", re.I)
        must = {url for url, text in paper_texts.items() if least.search(text)}
        may = {url for url, text in paper_texts.items() if most.search(text)}
        got = {item["url"] for item in found["items"]}
        if not must <= got <= may or found["all"] != len(got):
            differ[acronym] = (len(must), len(got), found["all"])
    assert len(acronyms) > 80 and differ == {}


@pytest.mark.parametrize(("query", "least"), [("GPT-4", 10), ("T5", 10)])
def test_a_model_name_is_one_word(search_site, query, least):
    """ "GPT-4" is not "GPT" and "4": GPT-NeoX is not its best answer, and every paper
    found has the name."""
    row = rows(search_site)[query]
    assert row["every"] == row["total"] >= least
    assert not any("NeoX" in t for t in row["titles"])


@pytest.mark.parametrize(
    ("query", "exact", "later"),
    [
        ("llama 3", r"llama[- ]?3(?!\w|\.\d)", r"llama[- ]?3\.\d"),
        ("GPT-3", r"gpt[- ]?3(?!\w|\.\d)", r"gpt[- ]?3\.\d"),
    ],
)
def test_a_later_version_is_not_the_version_and_comes_after_it(search_site, query, exact, later):
    """ "GPT-3" is not GPT-3.5 (nor "Llama 3" Llama 3.1): the papers "with every word"
    are those with the version as typed, each of them; the papers with only a later
    version are found too, after all of those, and not counted."""
    (found,) = ask(search_site, [{"find": {"query": query, "limit": 100}}])
    papers = {p["url"]: relevance.paper_text(p) for p in search_site[1]}
    has = [re.search(rf"(?<![\w.]){exact}", papers[i["url"]], re.I) for i in found["items"]]
    assert 0 < found["all"] < found["total"] == len(found["items"])
    assert all(has[: found["all"]]) and not any(has[found["all"] :])
    for item in found["items"][found["all"] :]:
        assert re.search(rf"(?<![\w.]){later}", papers[item["url"]], re.I), item["title"]


@pytest.mark.parametrize(
    ("query", "near"), [("title", "vitl"), ("tiles", "time"), ("kennel", "kernel")]
)
def test_an_english_word_is_never_replaced_only_offered(search_site, query, near):
    found, answer = ask(search_site, [{"find": {"query": query, "limit": 10}}, {"query": query}])
    for notes in (found["notes"], answer["data"]["notes"]):
        assert notes["corrected"] == []
        assert notes["suggested"] == [{"from": query, "to": near}]
    assert found["items"] == [] and answer["data"]["items"] == []


def test_a_real_typo_is_still_corrected(search_site):
    (found,) = ask(search_site, [{"find": {"query": "difusion", "limit": 10}}])
    assert found["notes"]["corrected"] == [{"from": "difusion", "to": "diffusion"}]
    assert found["total"] > 20


def test_a_quoted_phrase_finds_its_words_side_by_side_only(search_site):
    phrase, words = ask(
        search_site,
        [{"find": {"query": '"weight decay"', "limit": 100}}, {"find": {"query": "weight decay"}}],
    )
    assert 0 < phrase["total"] < words["all"]
    pattern = re.compile(r"\bweights?[\s-]+decay", re.I)
    papers = {p["url"]: p for p in search_site[1]}
    for item in phrase["items"]:
        paper = papers[item["url"]]
        assert pattern.search(paper["title"] + "\n" + paper["abstract"]), paper["title"]


def test_a_word_after_a_minus_excludes_the_papers_that_have_it(search_site):
    without, wholly = ask(
        search_site,
        [{"find": {"query": "diffusion -image", "limit": 100}}, {"find": {"query": "diffusion"}}],
    )
    assert 0 < without["total"] < wholly["total"]
    papers = {p["url"]: p for p in search_site[1]}
    for item in without["items"]:
        paper = papers[item["url"]]
        assert not re.search(r"\bimag(e|es|ed|ing)\b", paper["title"] + paper["abstract"], re.I)


def test_an_exclusion_drops_the_word_and_its_inflections_not_its_stems_other_words(search_site):
    """ "-transformer" drops papers with transformer or transformers, and keeps those
    whose only word of lunr's stem "transform" is another (transformation, transforms):
    before round 5 it excluded by the stem, and those were lost."""
    without, wholly = ask(
        search_site,
        [
            {"find": {"query": "attention -transformer", "limit": 1000}},
            {"find": {"query": "attention", "limit": 1000}},
        ],
    )
    papers = {p["url"]: relevance.paper_text(p) for p in search_site[1]}
    kept = {item["url"] for item in without["items"]}
    for item in wholly["items"]:
        text = papers[item["url"]]
        named = re.search(r"\btransformers?\b", text, re.I)
        assert (item["url"] in kept) == (not named), item["title"]
    # the papers the stem alone would have dropped are among those kept
    assert any(re.search(r"\btransform(ation|s|ed|ing)", papers[url], re.I) for url in kept)


def test_an_exclusion_drops_inflections_lunrs_stemmer_parts_from_the_word(search_site):
    """ "-bias" drops papers with biased, biases or biasing too, though lunr's stemmer
    makes "bias" the term "bia" and the others "bias": the fourth held-out set's
    `fairness -bias` kept five papers that say "biased" (benchmarks/README.md)."""
    without, wholly = ask(
        search_site,
        [
            {"find": {"query": "fairness -bias", "limit": 1000}},
            {"find": {"query": "fairness", "limit": 1000}},
        ],
    )
    papers = {p["url"]: relevance.paper_text(p) for p in search_site[1]}
    kept = {item["url"] for item in without["items"]}
    said = [
        i["url"]
        for i in wholly["items"]
        if re.search(r"\bbias(es|ed|ing)\b", papers[i["url"]], re.I)
    ]
    assert said, "some paper about fairness says biased, biases or biasing"
    for item in wholly["items"]:
        named = re.search(r"\bbias(es|ed|ing)?\b", papers[item["url"]], re.I)
        assert (item["url"] in kept) == (not named), item["title"]


@pytest.mark.parametrize(
    ("query", "word", "stem"),
    [
        ("translation", r"translations?", r"translat\w*"),
        ("fairness", r"fairness", r"fair\w*"),
        ("reasoning", r"reason(s|ed|ing)?", r"reason\w*"),
        ("bias", r"bias(es|ed|ing)?", r"bias\w*"),
        ("study", r"stud(y|ies|ied|ying)", r"stud(y|i)\w*"),
        ("transfer", r"transfer(s|red|ring)?", r"transfer\w*"),
    ],
)
def test_a_paper_has_a_typed_word_as_that_word_or_a_regular_inflection(
    search_site, paper_texts, query, word, stem
):
    """The papers counted "with every word" are those with the word or a regular
    inflection of it (bias: biased, biases; study: studied; transfer: transferred), and
    they come first; a paper with only another word of lunr's stem ("translate",
    "translational"; "fair"; "reasonable") is found after them, not counted. Before
    round 6 the stem decided (`translation -machine` counted 11 where 6 papers say
    translation), and "bias" (lunr's term "bia") did not find "biased" (term "bias")."""
    (found,) = ask(search_site, [{"find": {"query": query, "limit": 1000}}])
    has = re.compile(rf"(?<![\w.]){word}(?!\w)", re.I)
    near = re.compile(rf"(?<![\w.]){stem}", re.I)
    counted = {url for url, text in paper_texts.items() if has.search(text)}
    urls = [item["url"] for item in found["items"]]
    assert found["all"] == len(counted) > 0
    assert set(urls[: found["all"]]) == counted
    assert all(near.search(paper_texts[url]) for url in urls[found["all"] :])


def test_a_word_too_common_to_search_for_still_counts_for_every_word(search_site):
    """ "graph neural network": neural and network are in over a quarter of the papers,
    so the papers listed are those with graph; but only those with all three words are
    counted "with every word", and they come first."""
    (found,) = ask(search_site, [{"find": {"query": "graph neural network", "limit": 100}}])
    assert found["notes"]["dropped"] == ["neural", "network"]
    papers = {p["url"]: relevance.paper_text(p) for p in search_site[1]}
    words = [r"\bgraphs?\b", r"\bneural\b", r"\bnetworks?\b"]
    every = [all(re.search(w, papers[i["url"]], re.I) for w in words) for i in found["items"]]
    assert 0 < found["all"] < found["total"] == len(every)
    assert every == [True] * found["all"] + [False] * (found["total"] - found["all"])


def test_a_word_off_the_querys_topic_ranks_below_the_words_that_meet(search_site):
    """No paper has RLHF, reward and hacking; the papers with "HACK" (a head-and-neck
    model) share no other word of the query: none is in the first ten."""
    (found,) = ask(search_site, [{"find": {"query": "RLHF reward hacking", "limit": 10}}])
    assert len(found["items"]) == 10
    assert not any("HACK" in item["title"] for item in found["items"])


def test_the_header_box_and_the_search_page_count_alike(search_site):
    """The header's notes and the Search page's answer carry the same numbers."""
    queries = ["RLHF reward hacking", "GPT-4", "diffusion -image", "scaling laws"]
    queries += ["GPT-3", "7B", '"knowledge distillation"', "kennel"]
    for query in [*queries, "QA", "RL", "graph neural network", "attention -transformer"]:
        found, answer = ask(search_site, [{"find": {"query": query}}, {"query": query}])
        notes = answer["data"]["notes"]
        assert (notes["total"], notes["all"]) == (found["total"], found["all"]), query
        assert notes["shown"] == len(found["items"]) == min(found["total"], 100), query


@pytest.mark.parametrize("query", ["T5", "3D"])
def test_a_short_name_typed_last_in_the_header_box_is_searched_in_the_abstracts(search_site, query):
    """A last word under three letters is taken as still being typed and fetches no
    abstract shard ("mi"); one with a digit is a whole name, and finds what the Search
    page finds."""
    found, answer = ask(search_site, [{"find": {"query": query}}, {"query": query}])
    notes = answer["data"]["notes"]
    assert found["total"] == notes["total"] == rows(search_site)[query]["expected"]


def test_a_size_written_in_a_model_name_is_a_word_of_its_own(search_site):
    """ "7B" finds Mistral 7B, LLaMA-7B and Llama-2-7B, where the size is written apart
    from the name; not 1.7B, 27B, nor Qwen2.5's 7B joined into another word."""
    (found,) = ask(search_site, [{"find": {"query": "7B", "limit": 100}}])
    papers = {p["url"]: relevance.paper_text(p) for p in search_site[1]}
    texts = [papers[item["url"]] for item in found["items"]]
    assert found["total"] == len(texts) > 30
    assert all(re.search(r"(?<![\w.])7b\b", t, re.I) for t in texts)
    for written in (r"mistral 7b", r"llama-7b", r"llama-2-7b", r"mistral-7b-instruct"):
        assert any(re.search(written, t, re.I) for t in texts), written


def test_a_quoted_phrase_is_found_in_a_tag_name_but_not_across_two(search_site):
    """The index searches tag names (hyphens as spaces), and the page shows them: a
    paper tagged knowledge-distillation has the phrase "knowledge distillation"; two
    tags side by side ("knowledge-distillation", "reasoning") make no phrase."""
    phrase, across = ask(
        search_site,
        [
            {"find": {"query": '"knowledge distillation"', "limit": 100}},
            {"find": {"query": '"distillation reasoning"', "limit": 100}},
        ],
    )
    tagged = {p["url"] for p in search_site[1] if "knowledge-distillation" in p["tags"]}
    found = {item["url"] for item in phrase["items"]}
    assert tagged and tagged <= found
    assert phrase["all"] == phrase["total"] == len(found)
    # side by side in the text, a stop word ("distills the reasoning") not counted
    phrase_in = re.compile(r"distill\w*[\s-]+(?:(?:the|of|for|and)\s+)?reason", re.I)
    texts = {p["url"]: p["title"] + "\n" + p["abstract"] for p in search_site[1]}
    for item in across["items"]:
        assert phrase_in.search(texts[item["url"]]), item["title"]
    # papers whose tags are knowledge-distillation then reasoning, text without the phrase
    only_tags = {
        p["url"]
        for p in search_site[1]
        if "knowledge-distillation reasoning" in " ".join(p["tags"])
        and not phrase_in.search(texts[p["url"]])
    }
    assert only_tags and not only_tags & {item["url"] for item in across["items"]}
