"""The search index's tokenising rules, each on its own (issue 28, item 5, round 4).

The worker's side of each rule is checked against these functions in
tests/unit/test_search_fold.py (Node, over every real title and abstract); here each
rule is pinned by the cases that made it: "GPT-3" is not GPT-3.5, "7B" is a word of
"Mistral-7B", a name's index words share its place in a phrase, and a correctly
spelt English word the catalogue lacks ("kennel") is listed, so it is never replaced.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest

from generator.export.search import (
    KNOWN_FROM,
    MISSPELT,
    SURE_FROM,
    TYPO_FROM,
    analyse,
    common_variants,
    english_terms,
    known_words,
    misspelt,
    positions,
)
from generator.infra import keys
from generator.infra.cache import Cache
from generator.text.fold import index_text, indexed_version, version_tokens

NAMES = frozenset({"gpt", "llama", "mistral", "qwen"})


def index_words(text: str) -> list[str]:
    return [word for word, _ in analyse(version_tokens(index_text(text), NAMES, index=True))]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("GPT-3.5", ["gpt", "gpt3.5", "3.5"]),  # no "gpt3": GPT-3 is another model
        ("Llama 3.1", ["llama", "llama3.1", "3.1"]),
        ("Mistral-7B", ["mistral", "mistral7b", "7b"]),  # the size is a word too
        ("Mistral 7B", ["mistral", "mistral7b", "7b"]),
        ("LLaMA-2-7B", ["llama", "llama2", "2", "7b"]),
        ("Qwen2.5-7B", ["qwen", "qwen2.5", "7b"]),  # written joined: no version alone
        ("llama3 and GPT4", ["llama", "llama3", "gpt", "gpt4"]),
        ("with 3 seeds in 2024", ["3", "seeds", "2024"]),  # not names: left as they are
    ],
)
def test_a_model_name_is_indexed_as_its_name_its_version_and_a_version_written_apart(text, words):
    assert index_words(text) == words


def test_a_query_keeps_a_model_name_as_one_word():
    folded = version_tokens(index_text("GPT-3 vs Llama 3.1 and Mistral-7B"), NAMES, index=False)
    assert folded.split() == ["gpt3", "vs", "llama3.1", "and", "mistral7b"]


def test_indexed_version_never_keeps_a_shorter_version():
    assert indexed_version("gpt", "-", "3.5") == "gpt gpt3.5 3.5"
    assert indexed_version("qwen", "", "2.5") == "qwen qwen2.5"


def test_a_names_index_words_share_its_place_in_a_phrase():
    """ "Mistral-7B-Instruct": mistral, mistral7b and 7b stand where the name stands, so
    "7B Instruct" is a phrase; the next name's words start a place of their own."""
    text = version_tokens(index_text("Mistral-7B-Instruct and LLaMA-2-7B"), NAMES, index=True)
    places = positions(text)
    assert places["mistral"] == places["mistral7b"] == [0]
    assert places["7b"] == [0, 3] and places["instruct"] == [1]
    assert places["llama"] == places["llama2"] == places["2"] == [2]


@pytest.fixture(scope="module")
def frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")


@pytest.mark.parametrize(
    ("word", "expected"),
    [("recieve", True), ("lenght", True), ("kennels", False), ("lentil", False)],
)
def test_a_rare_word_next_to_a_far_more_common_one_is_taken_as_misspelt(
    frequencies, word, expected
):
    common = common_variants(frequencies)
    assert misspelt(word, frequencies[word], common) is expected


def test_known_words_list_rare_english_words_near_a_term_but_not_misspellings():
    """ "kennel" (Zipf 3.2, under the old 3.5 cut) is near "kernel": listed, so a query
    for it gets "did you mean kernel?" and not kernel's papers. A misspelling that
    wordfreq lists ("recieve") and a typo it does not ("difusion") are not: they are
    still corrected. Nor is a word the catalogue has."""
    known = known_words({"kernel", "receiv", "diffus", "layer"})
    assert {"kennel", "lawyer"} <= set(known)
    assert not {"reciev", "difus", "kernel", "layer"} & set(known)
    assert known == sorted(known)


@pytest.fixture
def packages_store(tmp_path, monkeypatch):
    """An empty store of package-derived results (Cache.packages) for this test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("PAPER_CATALOGUE_CACHE", raising=False)
    english_terms.cache_clear()
    yield Cache.packages()
    english_terms.cache_clear()


def _english_key(wordfreq_version: str) -> str:
    return keys.english_terms(
        wordfreq_version, version("lunr"), (KNOWN_FROM, SURE_FROM, MISSPELT, TYPO_FROM)
    )


def test_english_terms_are_stored_once_and_served_by_the_installed_wordfreqs_version(
    packages_store,
):
    """The English terms are worked out from wordfreq on the first build and read back
    by the next (a cold build, a fresh build cache, another data folder), under a key
    that names the installed wordfreq: an entry stored under another version is never
    served, one under this version is."""
    installed = version("wordfreq")
    computed = english_terms()
    assert packages_store.get("english-terms", _english_key(installed)) == computed
    assert {"kennel", "lawyer"} <= set(computed) and "reciev" not in computed
    packages_store.put("english-terms", _english_key(installed + ".other"), ["other"])
    english_terms.cache_clear()
    assert english_terms() == computed  # another version's entry: not served
    packages_store.put("english-terms", _english_key(installed), ["kennel"])
    english_terms.cache_clear()
    assert english_terms() == ["kennel"]  # this version's: served, wordfreq not read
    assert known_words({"kernel"}) == ["kennel"]


def test_english_terms_are_computed_when_the_cache_is_off(packages_store, monkeypatch):
    packages_store.put("english-terms", _english_key(version("wordfreq")), ["kennel"])
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", "off")
    english_terms.cache_clear()
    assert len(english_terms()) > 10_000
