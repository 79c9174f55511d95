"""The search worker folds queries exactly as the index folds text: checked in Node.

Without this, a Greek letter or an accent folded one way at build time and another
in the browser finds nothing. Node runs the worker's own code (read from its file),
over every real title and abstract; no browser is needed, so this always runs.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEEDS
from lunr.stemmer import stemmer
from lunr.token import Token
from worker_js import WORKER, run_worker_code, worker_functions

from generator.export import search
from generator.export.search import index_text
from generator.ingest.listings import parse_file
from generator.text.fold import spelling_rules, version_names, version_tokens

SAMPLES = [
    "μP and u-μP",
    "Schrödinger TÜLU Moûsai",
    "PanGu-α π",
    "1.2%. (x) [y]",
    "ﬁne-tuning",
    # spelling variants, and words that only look like them
    "Quantisation-aware optimisers: modelling the colour of centred, analysed catalogues",
    "supervised denoising is precise otherwise noise; its promise, analysis and exercise",
]


def worker_fold(texts: list[str]) -> list[str]:
    """The worker's ``fold``, with the spelling rules the build ships it."""
    source = WORKER.read_text("utf-8")
    greek = re.search(r"^const GREEK = \{.*?\}\n", source, re.S | re.M).group()
    greek_re = re.search(r"^const GREEK_RE = .*\n", source, re.M).group()
    rules = f"let SPELLING = []\nuseSpelling({json.dumps(spelling_rules())})\n"
    functions = worker_functions("useSpelling", "spellWord", "fold")
    return run_worker_code([greek, greek_re, *functions, rules], "input.map(fold)", texts)


def test_the_worker_folds_every_real_title_and_abstract_as_the_index_does():
    entries = [e for path in SEEDS for e in parse_file(path).listing.entries]
    texts = SAMPLES + [e.title for e in entries] + [e.abstract for e in entries]
    assert len(texts) > 1600
    folded = worker_fold(texts)
    differ = [
        (t, js) for t, js in zip(texts, folded, strict=True) if js.split() != index_text(t).split()
    ]
    assert differ == [], differ[:3]


def worker_highlight(cases: list[tuple[str, list[str]]]) -> list[str]:
    """The worker's own ``highlight`` (and ``escapeHTML``), run in Node."""
    source = WORKER.read_text("utf-8")
    greek = re.search(r"^const GREEK = \{.*?\}\n", source, re.S | re.M).group()
    greek_re = re.search(r"^const GREEK_RE = .*\n", source, re.M).group()
    stand_ins = (
        "let SPELLING = []\nconst lunr = require(process.env.LUNR_JS)\n"
        "const stemmed = new Map()\nconst foldedWords = new Map()\n"
        f"useSpelling({json.dumps(spelling_rules())})\n"
        "const NAMES = new Set(['llama', 'gpt'])\n"
    )
    functions = worker_functions(
        "useSpelling",
        "spellWord",
        "fold",
        "foldWord",
        "versions",
        "stem",
        "escapeHTML",
        "highlight",
    )
    patterns = [
        re.search(rf"^const {name} = .*\n", source, re.M).group()
        for name in ("VERSIONED", "NAME_OR_WORD")
    ]
    return run_worker_code(
        [greek, greek_re, *patterns, *functions, stand_ins],
        "input.map(([t, s]) => highlight(t, s))",
        cases,
    )


def test_highlighting_marks_text_then_escapes_it():
    """Query words are found in the text, never inside the entities escaping made:
    "lt" must not break "&lt;", "amp" must not double "&amp;"."""
    title = '<script>alert("x")</script> & AT&T: Salt & Pepper'
    assert worker_highlight([(title, ["lt"]), (title, ["amp"]), (title, ["script", "salt"])]) == [
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; AT&amp;T: Salt &amp; Pepper",
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; AT&amp;T: Salt &amp; Pepper",
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "AT&amp;T: <mark>Salt</mark> &amp; Pepper",
    ]


def test_highlighting_marks_the_words_the_folded_query_found():
    """ "schrodinger" marks "Schrödinger"; "quantization" marks "Quantisation"."""
    text = "Schrödinger bridges for Quantisation"
    assert worker_highlight([(text, ["schroding", "quantiz"])]) == [
        "<mark>Schrödinger</mark> bridges for <mark>Quantisation</mark>"
    ]


def real_texts() -> list[str]:
    entries = [e for path in SEEDS for e in parse_file(path).listing.entries]
    return [e.title for e in entries] + [e.abstract for e in entries]


VERSIONS = [
    "GPT-4 and GPT4 and gpt 4, GPT-4o, GPT-4. GPT-3.5-turbo",
    "Llama 3.1 beats LLaMA-3 and Llama3; Qwen2.5-32B, Qwen 2.5, Mistral 7B, Mixtral-8x7B,"
    " Mixtral 8x7B",
    "T5 and Flan-T5, 3D, COVID-19, with 3 seeds in 2024, Llama 2023, x.2, 1.2%.",
    "bert2BERT warm-starts BERT; word2vec, GPT4All, wav2vec2 and GPT-4o",
]


def test_the_worker_makes_model_names_one_word_as_the_index_does():
    """ "GPT-4", "Llama 3.1", "Qwen2.5" are one word in the index and in a query, in
    both languages, over every real title and abstract."""
    texts = VERSIONS + real_texts()
    names = version_names([index_text(t) for t in texts])
    assert {"gpt", "llama", "qwen", "mistral"} <= set(names)
    source = WORKER.read_text("utf-8")
    pieces = [
        re.search(r"^const GREEK = \{.*?\}\n", source, re.S | re.M).group(),
        re.search(r"^const GREEK_RE = .*\n", source, re.M).group(),
        re.search(r"^const VERSIONED = .*\n", source, re.M).group(),
        *worker_functions("useSpelling", "spellWord", "fold", "versions", "indexedVersion"),
        f"let SPELLING = []\nuseSpelling({json.dumps(spelling_rules())})\n",
        f"const NAMES = new Set({json.dumps(names)})\n",
    ]
    index, query = run_worker_code(
        pieces,
        "[input.map(t => versions(fold(t), true)), input.map(t => versions(fold(t), false))]",
        texts,
    )
    known = frozenset(names)
    for mode, folded in ((True, index), (False, query)):
        expected = [version_tokens(index_text(t), known, index=mode).split() for t in texts]
        differ = [
            (t, js) for t, js, py in zip(texts, folded, expected, strict=True) if js.split() != py
        ]
        assert differ == [], differ[:3]
    assert index[0].split()[:6] == ["gpt", "gpt4", "4", "and", "gpt", "gpt4"]
    assert "gpt3" not in index[0].split()  # GPT-3.5 is not GPT-3
    assert index[1].split()[-3:] == ["mixtral", "mixtral8x7b", "8x7b"]
    assert query[1].split()[:4] == ["llama3.1", "beats", "llama3", "and"]
    assert "with 3 seeds in 2024" in query[2] and "covid19" in query[2]
    # digits then a word make another model's name: one word, not BERT, word or GPT
    assert index[3].split() == [
        *("bert2bert", "warm-starts", "bert", "word2vec", "gpt4all", "wav2vec2"),
        *("and", "gpt", "gpt4o", "4o"),
    ]


def test_the_worker_counts_places_in_a_title_as_the_build_does_in_an_abstract():
    """A quoted phrase is found by where its words stand: the worker counts them in
    titles and tag names (textPlaces), the build in abstracts (search.positions). A
    name's index words ("mistral mistral7b 7b") share one place on both sides, over
    every real title and abstract."""
    texts = [*VERSIONS, "Mistral-7B-Instruct beats LLaMA-2-7B at 7B", *real_texts()]
    names = version_names([index_text(t) for t in texts])
    source = WORKER.read_text("utf-8")
    pieces = [
        re.search(r"^const GREEK = \{.*?\}\n", source, re.S | re.M).group(),
        re.search(r"^const GREEK_RE = .*\n", source, re.M).group(),
        re.search(r"^const VERSIONED = .*\n", source, re.M).group(),
        re.search(r"^const stemmed = .*\n", source, re.M).group(),
        "const lunr = require(process.env.LUNR_JS)\n",
        *worker_functions(
            "useSpelling", "spellWord", "fold", "versions", "indexedVersion", "samePlace", "stem"
        ),
        *worker_functions("textPlaces"),
        f"let SPELLING = []\nuseSpelling({json.dumps(spelling_rules())})\n",
        f"const NAMES = new Set({json.dumps(names)})\n",
    ]
    got = run_worker_code(pieces, "input.map(t => Object.fromEntries(textPlaces(fold(t))))", texts)
    known = frozenset(names)
    expected = [
        dict(search.positions(version_tokens(index_text(t), known, index=True))) for t in texts
    ]
    differ = [(t, js, py) for t, js, py in zip(texts, got, expected, strict=True) if js != py]
    assert differ == [], differ[:2]
    named = got[len(VERSIONS)]
    assert named["7b"] == [0, 4, 5] and named["instruct"] == [1]


def test_the_worker_stems_every_catalogue_word_as_lunr_py_did():
    """lunr.js's Porter stemmer turns a final y to i on other terms than lunr.py's, which
    made the index: "decay" was "decay" to the worker, "decai" in the index, and found
    nothing. The worker's stem() is lunr.py's on every word of the catalogue."""
    words = sorted({w for t in real_texts() for w in re.findall("[a-z]+", t.lower())})
    words += ["decay", "fly", "trying", "deployment", "eye", "bayes", "keys"]
    expected = [str(stemmer(Token(w), 0, [])) for w in words]
    got = run_worker_code(
        [
            "const lunr = require(process.env.LUNR_JS)\n",
            re.search(r"^const stemmed = .*\n", WORKER.read_text("utf-8"), re.M).group(),
            *worker_functions("stem"),
        ],
        "input.map(stem)",
        words,
    )
    differ = [(w, js, py) for w, js, py in zip(words, got, expected, strict=True) if js != py]
    assert differ == [], differ[:5]


def test_highlighting_marks_a_model_name_whole():
    """ "gpt4" marks "GPT-4" (not GPT-NeoX), "llama3" marks "Llama 3" and "LLaMA-3"."""
    text = "GPT-4 beats GPT-NeoX; Llama 3 and LLaMA-3, with 3 seeds"
    assert worker_highlight([(text, ["gpt4", "llama3"]), (text, ["seed"])]) == [
        "<mark>GPT-4</mark> beats GPT-NeoX; <mark>Llama 3</mark> and <mark>LLaMA-3</mark>,"
        " with 3 seeds",
        "GPT-4 beats GPT-NeoX; Llama 3 and LLaMA-3, with 3 <mark>seeds</mark>",
    ]


def test_the_index_lists_known_words_for_the_typo_allowance_the_worker_has():
    """The build picks the English words to ship by the worker's typo allowance: a word
    the worker would correct must be one the list could hold."""
    source = WORKER.read_text("utf-8")
    for name, value in (("TYPO_FROM", search.TYPO_FROM), ("TWO_TYPOS_FROM", search.TWO_TYPOS_FROM)):
        assert re.search(rf"^const {name} = {value}\b", source, re.M), name


def test_the_worker_takes_inflections_off_every_catalogue_word_as_the_build_does():
    """An exclusion ("-transformer") drops the papers whose words have the excluded
    word's inflection (search.py:inflection, fetched per abstract in the positions
    files); the worker reads the typed word and titles with its own copy of the rule,
    so the two must agree on every word, or an exclusion misses or overreaches."""
    words = sorted({w for t in real_texts() for w in search.index_text(t).split()})
    words += ["images", "imaged", "imaging", "studies", "losses", "transformers", "μp", "ies"]
    words += ["studied", "transferred", "installed", "fill", "passing", "哈哈", "add", "adding"]
    got = run_worker_code(
        worker_functions("inflection", "undoubled"), "input.map(inflection)", words
    )
    expected = [search.inflection(w) for w in words]
    differ = [(w, js, py) for w, js, py in zip(words, got, expected, strict=True) if js != py]
    assert differ == [], differ[:5]
    assert {search.inflection(w) for w in ("image", "images", "imaged", "imaging")} == {"imag"}
    assert search.inflection("transformers") == "transformer" != search.inflection("transformation")


@pytest.mark.parametrize(
    "words",
    [
        ("study", "studies", "studied"),
        ("transfer", "transfers", "transferred", "transferring"),
        ("plan", "plans", "planned", "planning"),
        ("install", "installs", "installed", "installing"),
        ("control", "controlled", "controlling"),
        ("pass", "passes", "passed", "passing"),
        ("fill", "fills", "filled", "filling"),
    ],
)
def test_a_word_and_its_regular_inflections_are_one(words):
    """What a paper must have of a typed word to have "every word" (issue 28 item 5,
    round 6): studied was "studi" and study "study", transferred "transferr"."""
    assert len({search.inflection(w) for w in words}) == 1, words


@pytest.mark.parametrize(
    ("word", "other"),
    [("translation", "translate"), ("translation", "translational"), ("fairness", "fair")],
)
def test_a_derived_word_is_not_an_inflection(word, other):
    """lunr's stemmer joins these; a researcher's "translation" is not "translate"."""
    assert search.inflection(word) != search.inflection(other)


def test_a_typed_word_is_had_as_itself_or_a_regular_inflection_in_the_worker():
    """The worker's rule for "every word" (typed, inflectedTerms): the inflections a paper
    may have of a typed word (`keys`, compared with `inflection` of its words), and the
    lunr terms they fall in besides the word's own (`variants`, searched with it)."""
    source = WORKER.read_text("utf-8")
    pieces = [
        re.search(r"^const stemmed = .*\n", source, re.M).group(),
        "const lunr = require(process.env.LUNR_JS)\n",
        *worker_functions("stem", "inflection", "undoubled", "inflectedTerms", "typed"),
    ]
    words = ["bias", "qa", "fac", "translation", "study", "image", "match", "ms"]
    got = run_worker_code(
        pieces,
        "input.map(w => { const t = typed({ word: w, stem: stem(w) });"
        " return [[...t.keys].sort(), t.variants] })",
        words,
    )
    found = dict(zip(words, got, strict=True))
    # "bias" is lunr's "bia"; biased, biases, biasing are "bias": searched, and had
    assert found["bias"] == [["bia", "bias"], ["bias"]]
    assert {search.inflection(w) for w in ("biased", "biases")} <= set(found["bias"][0])
    # a two-letter word's plural ("QAs") is had, though inflection leaves "qas" whole
    assert "qas" in found["qa"][0]
    # "faced" is face + d to lunr's stemmer: "FAC" does not search "face"
    assert found["fac"][1] == []
    # derived words of the stem are not had: translate, translational, translated
    keys = set(found["translation"][0])
    assert search.inflection("translations") in keys
    assert not keys & {search.inflection(w) for w in ("translate", "translated", "translational")}
    assert search.inflection("studied") in found["study"][0]
    assert search.inflection("matches") in found["match"][0]
    # a two-letter acronym's plural is -s: "MS" does not search "mses", lunr's "mse" (MSE)
    assert "mse" not in found["ms"][0] + found["ms"][1]
