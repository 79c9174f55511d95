"""The search worker folds queries exactly as the index folds text: checked in Node.

Without this, a Greek letter or an accent folded one way at build time and another
in the browser finds nothing. Node runs the worker's own code (read from its file),
over every real title and abstract; no browser is needed, so this always runs.
"""

from __future__ import annotations

import json
import re

from conftest import SEEDS
from worker_js import WORKER, run_worker_code, worker_functions

from generator.export.search import index_text
from generator.ingest.listings import parse_file
from generator.text.fold import spelling_rules

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
        f"const stemmed = new Map()\nuseSpelling({json.dumps(spelling_rules())})\n"
    )
    functions = worker_functions(
        "useSpelling", "spellWord", "fold", "stem", "escapeHTML", "highlight"
    )
    return run_worker_code(
        [greek, greek_re, *functions, stand_ins],
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
