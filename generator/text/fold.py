"""Every way the catalogue folds text for matching, named by what it is for.

One module, so the folds cannot drift apart: all of them spell Greek letters out
(μP, PanGu-α and λ-calculus are names in ML titles: "μP" and "muP" are the same
word everywhere, in ids, dedup, tags, related papers and search), and each adds
only what its job needs:

* :func:`match_key` — dedup and A–Z order: case, accents, punctuation and invisible
  format characters off.
* :func:`phrase_text` — tag phrases: case, accents and punctuation off, space-padded words.
* :func:`token_text` — related papers' tokeniser input: lower case, NFKC.
* :func:`search_fold` / :func:`index_text` — the search index and its queries. The
  search worker (docs/javascripts/paper-search-worker.js) mirrors these letter for
  letter; a test runs it in Node over every real title and abstract.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

GREEK_NAMES = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψωµ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho"
        " sigma tau upsilon phi chi psi omega mu".split(),
        strict=True,
    )
)
_GREEK = re.compile(f"[{''.join(GREEK_NAMES)}]")
# Unicode's format characters (category Cf): soft hyphen, zero-width space, joiner and
# non-joiner, word joiner, byte order mark. Invisible in a title, so two copies that
# differ by one are the same title to a reader, and must be to dedup. Spelled out (those
# of Unicode 14, Python 3.11's), not found by scanning every code point at import time;
# tests/test_bad_input.py checks the list against the running Python's Unicode.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
_MARKS = re.compile("[\u0300-\u036f]")  # combining diacritics, as NFKD splits é, ü, û
_NON_WORD = re.compile(r"[\W_]+")
_NOT_PHRASE = re.compile(r"[^\w+]+")  # "c++" and "gpt-4+" keep their plus signs
# Punctuation lunr.js trims at word edges but lunr.py keeps inside tokens ("1.2%."):
# turned to spaces so both libraries see the same words; a point between digits stays,
# so a version ("Qwen2.5", "3.1") is one word.
_NOT_INDEXED = re.compile(r"[^\w\s.-]+|(?<![0-9])\.|\.(?![0-9])")


def spell_greek(text: str) -> str:
    """Lower-case text with each Greek letter spelled as its name ('μp' -> 'mup')."""
    return _GREEK.sub(lambda m: GREEK_NAMES[m.group()], text.lower())


def strip_accents(text: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def match_key(text: str) -> str:
    """The key two titles (or abstracts) are the same by: format characters off, NFKC,
    casefold, Greek spelled out, accents off, punctuation and whitespace runs to one space."""
    text = _FORMAT.sub("", text)
    folded = strip_accents(spell_greek(unicodedata.normalize("NFKC", text).casefold()))
    return _NON_WORD.sub(" ", folded).strip()


def phrase_text(text: str) -> str:
    """Text as tag phrases match it: words separated, and surrounded, by one space;
    accents off, so a rule's "schrodinger" finds "Schrödinger"."""
    text = strip_accents(spell_greek(unicodedata.normalize("NFKC", text).casefold()))
    return " " + _NOT_PHRASE.sub(" ", text).strip() + " "


def token_text(text: str) -> str:
    """Text as the related-papers tokeniser reads it: NFKC, lower case, Greek spelled."""
    return spell_greek(unicodedata.normalize("NFKC", text))


SPELLING_FILE = Path(__file__).with_name("spelling.json")
_LETTERS = re.compile("[a-z]+")


@cache
def spelling_rules() -> list[dict]:
    """The British/American spelling rules (generator/text/spelling.json), as data: the
    search worker receives the same list, so the two sides cannot fold differently."""
    return json.loads(SPELLING_FILE.read_text("utf-8"))["rules"]


@cache
def _compiled_rules() -> list[tuple[re.Pattern, re.Pattern | None, dict | str]]:
    return [
        (
            re.compile(rule["pattern"]),
            re.compile(rule["except"]) if "except" in rule else None,
            rule.get("map") or re.sub(r"\$(\d)", r"\\g<\1>", rule["to"]),
        )
        for rule in spelling_rules()
    ]


@cache
def spell_word(word: str) -> str:
    """One lower-case word in its folded spelling: quantisation -> quantization,
    colour -> color, modelling -> modeling, centre -> center, analyse -> analyze.
    The first rule that matches the whole word applies, unless the part it keeps
    is an exception (precise, supervise, otherwise and noise are not variants)."""
    for pattern, exception, to in _compiled_rules():
        match = pattern.match(word)
        if match is None:
            continue
        if isinstance(to, dict):
            return to[word]
        if exception is not None and exception.search(match.group(1)):
            return word
        return match.expand(to)
    return word


def spell_variants(text: str) -> str:
    """Each run of lower-case ASCII letters in its folded spelling (:func:`spell_word`)."""
    return _LETTERS.sub(lambda m: spell_word(m.group()), text)


def search_fold(text: str) -> str:
    """Text as the search index stores it and as queries are matched against it:
    NFKC, lower case, Greek spelled out, accents off (Schrödinger -> schrodinger),
    British and American spellings as one (quantisation -> quantization)."""
    return spell_variants(strip_accents(spell_greek(unicodedata.normalize("NFKC", text))))


def index_text(text: str) -> str:
    """:func:`search_fold`, then the punctuation both lunr libraries would trim as spaces."""
    return _NOT_INDEXED.sub(" ", search_fold(text))


# A model or version name in folded text: a name, then a version that starts with a
# digit ("gpt-4", "llama3", "qwen2.5", "mistral-7b", "t5"), one word however it is
# written. The name may stand apart from its version ("llama 3") only where the name is
# one the text writes joined to a version elsewhere (see version_names): "with 3 seeds"
# stays three words. A version has no two letters in a row ("4o", "7b", "8x7b"): digits
# then a word ("bert2bert", "word2vec", "gpt4all") make another model's name, one word,
# so "BERT" does not find bert2BERT. The worker (paper-search-worker.js, `versions`) has
# the same patterns; a test runs both over every real title and abstract.
_VERSION = r"[0-9](?:[0-9]|[a-z](?![a-z]))*"
_VERSIONED = re.compile(rf"(?<![\w.])([a-z]+)([ -]?)({_VERSION}(?:\.{_VERSION})*)(?![\w.])")
_YEAR = re.compile(r"[0-9]{4,}")


def version_names(texts: list[str]) -> list[str]:
    """Names the folded texts write joined to a version ("gpt" of "gpt-4", "llama" of
    "llama3"), sorted: the names a version may follow after a space. Stop words are
    not names ("in 2024")."""
    from lunr.stop_word_filter import WORDS as STOP_WORDS

    found = {m.group(1) for t in texts for m in _VERSIONED.finditer(t) if m.group(2) != " "}
    return sorted(n for n in found if len(n) > 1 and n not in STOP_WORDS)


def version_tokens(text: str, names: frozenset[str], index: bool) -> str:
    """Folded text with each model or version name as one word: "gpt-4" -> "gpt4",
    "llama 3.1" -> "llama3.1". A query keeps the name as written; the index
    (``index=True``) keeps it beside the name (:func:`indexed_version`)."""

    def joined(match: re.Match) -> str:
        name, space, version = match.groups()
        if space == " " and (name not in names or _YEAR.fullmatch(version)):
            return match.group()
        return indexed_version(name, space, version) if index else name + version

    return _VERSIONED.sub(joined, text)


def indexed_version(name: str, space: str, version: str) -> str:
    """The index's words for a model name: the name ("llama" finds every Llama), the
    name with its version as written ("llama3.1"), and the version alone where the
    text writes it apart ("Mistral-7B", "Llama 2": a size or version a reader types
    alone, "7B", is a word of the text). Never a shorter version: "gpt3" of "gpt3.5"
    would make GPT-3 find GPT-3.5, another model."""
    return " ".join([name, name + version] + ([version] if space else []))
