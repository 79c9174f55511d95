"""The paper search index: lunr, prebuilt at build time, in tiers a reader fetches as needed.

Material's own search builds a lunr.js index in the browser on every page load (slow
already at the real catalogue's size, minutes at scale: benchmarks/README.md), so papers
get an index made here that the browser only loads, served by our search worker
(docs/javascripts/paper-search-worker.js) behind Material's search box.

One index, lunr's model (BM25 over fields, lunr.py's tokenizer, stop words and
Porter stemmer, the weights lunr.py's builder computes — a test checks they are
lunr.py's to the last digit), cut into tiers so a reader downloads little before the
first result (each written gzip-compressed, 29% of the JSON, inflated by the worker):

* ``search/papers.json.gz`` — tier one, everything a first answer needs: each paper's
  URL, title, tags and listings, and the title and tag fields of the index (boosts
  10 and 5: what finds most papers). Also the spelling rules the worker folds
  queries with, and the table of the files below.
* ``search/text-NN.json.gz`` — the abstract field (boost 1), cut by *term* range: a
  query word needs the one shard its term falls in, so a full-text search costs a
  shard per word, not the whole corpus.
* ``search/snippets-NN.json.gz`` — the first lines of each abstract, by paper number,
  fetched for the papers a result list shows.
* ``search/positions-NN.json.gz`` — where each abstract-shard term stands in each
  abstract, fetched only for a quoted phrase (its words must stand side by side); a
  query without quotes costs no byte more for them.
* ``search/forms-NN-K.json.gz`` — which inflections of a shard term's words each
  abstract has, for the terms the catalogue writes in more than one ("transform":
  transformer, transformation), a few such terms a file (the shard names each file's):
  fetched for a query word or an exclusion whose term is one of them. A paper has a
  typed word when it has the word or a regular inflection of it, not only another word
  of its stem ("translate" for "translation"), and an exclusion drops a word and its
  inflections ("-transformer": transformers), not every word of its stem.

From SPLIT_FROM papers tier one alone would be megabytes (titles, URLs, bylines and the
title postings of every paper), so a big catalogue gets the split layout
(:func:`_split_index`): a small head, every field's postings in the term shards, and what
a result shows fetched for the results shown; a first search then costs a few hundred KB
at any size (benchmarks/README.md, "Search in a megabyte").

Model and version names are one word ("GPT-4" -> ``gpt4``, "Llama 3.1" -> ``llama3.1``,
:func:`generator.text.fold.version_tokens`); the index keeps the name beside it, and the
version alone where the text writes it apart (``mistral mistral7b 7b``), so "llama" finds
Llama 3.1 and "7B" finds Mistral-7B, but "GPT-3" not GPT-3.5.
Tier one carries the names that may stand apart from their version ("llama 3"), so
queries fold alike. ``search/known-NN.json.gz`` list, by word range, the English words
(wordfreq) that are near a catalogue term but not in the catalogue ("title", near
"vitl"; "kennel", near "kernel"): fetched only for a query word the index lacks, the
one its place falls in tells the worker to offer "did you mean" for that word instead
of searching the near term.

Each index file carries its terms, each term's postings (papers, weights) and the
most common word each term stands for (what a "did you mean" names); the worker
reads the postings of the terms a query has, as lunr's index holds them, and sums their
weights as lunr.js's query finds them. lunr's own serialisation repeats every posting
twice (inverted index and document vectors): this carries it once.

Text is folded first (:func:`generator.text.fold.search_fold`: Greek spelled out,
accents off, British spellings as American), and queries are folded alike.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from itertools import pairwise
from typing import NamedTuple

from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer

from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.model import Catalogue
from generator.text.fold import index_text, spelling_rules, version_names, version_tokens

# Written gzip-compressed (a ``.gz`` path: generator.export.site_data.write_files); the worker
# inflates them.
INDEX_FILE = "search/papers.json.gz"
SHARD_FILE = "search/text-{:02d}.json.gz"
SNIPPET_FILE = "search/snippets-{:02d}.json.gz"
# Where each abstract-shard term stands in each abstract: fetched only for a quoted phrase.
POSITION_FILE = "search/positions-{:02d}.json.gz"
# Which inflections of its terms' words each abstract has, for the terms written in more
# than one: fetched for a query word (or an exclusion) whose term is one of them. A shard's
# are cut into files of about FORMS_POSTINGS masks, so a word costs a small file, not
# every such term's (benchmarks/README.md, issue 28 search, round 6).
FORMS_FILE = "search/forms-{:02d}-{}.json.gz"
FORMS_POSTINGS = 2_000
# English words near a catalogue term that the catalogue lacks, cut by word range:
# fetched only for a query word the index does not have. Words per file: what one such
# word costs a reader (benchmarks/README.md, "Search that ranks what researchers type").
KNOWN_FILE = "search/known-{:02d}.json.gz"
KNOWN_PER_FILE = 500
SNIPPET_LENGTH = 220
SNIPPETS_PER_FILE = 250
# The split layout (from SPLIT_FROM papers: _split_index): term shards of every field,
# the display data of results ("cards") by paper number, a paper filter per tag,
# listing and year, and the term dictionary a typo is corrected from.
SPLIT_FROM = 5_000
CARD_FILE = "search/cards-{:02d}.json.gz"
TERMS_FILE = "search/terms.json.gz"
FILTER_FILE = "search/{}-{}.json.gz"
# Papers per card and snippet file in the split layout: a result list of 100 papers
# touches about as many files, so they are small (benchmarks/README.md, issue 31).
CARDS_PER_FILE = 32
# The worker's share of documents from which a word is too common to search for when
# the query has rarer ones (paper-search-worker.js: COMMON; a test checks they agree).
COMMON = 0.25
FIELDS = {"title": 10, "authors": 5, "tags": 5, "abstract": 1}
FIRST_TIER = ("title", "authors", "tags")
TEXT_TIER = ("abstract",)
# Postings per abstract shard: about 40 KB gzipped, what one query word costs a
# reader (benchmarks/README.md, "Search that forgives and scales").
SHARD_POSTINGS = 10_000
# Terms of up to SHORT characters ("qa", "rl", "3d") have shards of their own, smaller
# ones, ordered before the others (:func:`term_order`): a two-letter word is what the
# reader typed ("QA") or the start of a longer one ("mi" of "mixture"), and the worker
# fetches its shard either way, so that costs a small file, not a shard of longer words
# the query never needs (benchmarks/README.md, issue 28 search, round 5).
SHORT = 2
SHORT_POSTINGS = 1_000
# lunr's BM25 parameters (lunr.Builder's defaults, in lunr.py and lunr.js alike).
K1, B = 1.2, 0.75
_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}
# The worker's typo allowance (paper-search-worker.js: TYPO_FROM, TWO_TYPOS_FROM; a test
# checks they agree): which English words near a term the known-words files must list.
TYPO_FROM, TWO_TYPOS_FROM = 4, 8
# Zipf frequency (wordfreq) from which a word may count as ordinary English ("kennels",
# 2.75), and from which it does without a second look. wordfreq's list, drawn from web
# text, also holds common misspellings ("recieve", 2.75): below SURE_FROM, a word one
# edit from a word MISSPELT Zipf points more common is taken as that word misspelt
# (benchmarks/README.md, "Search that ranks what researchers type").
KNOWN_FROM, SURE_FROM, MISSPELT = 2.0, 3.0, 2.0
_ASCII_WORD = re.compile("[a-z]{4,}")


def excerpt(text: str, limit: int = SNIPPET_LENGTH) -> str:
    """The text, or its first ``limit`` characters cut at a word, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def byline(authors: tuple[str, ...], most: int = 3) -> str:
    """What a result shows of its authors: "A, B, C" or "A, B, C et al."."""
    shown = ", ".join(authors[:most])
    return f"{shown} et al." if len(authors) > most else shown


@dataclass(frozen=True)
class SearchInput:
    """What the index is built from: plain data, cheap to hash, pickle or send to a
    second process, where the expensive part (:func:`build_index`) runs."""

    documents: list[dict[str, str]]  # folded text by field, in paper-number order
    meta: dict  # tier one's display data
    snippets: list[str]
    # each paper's id, and the URL as (before, after) the id when every paper's URL is
    # that: the split layout's results rebuild URLs instead of carrying them
    ids: tuple[str, ...] = ()
    url_pattern: tuple[str, str] | None = None


FOLDED_STAGE = "index-text"  # each text as index_text folds it, by keys.index_text


def search_input(
    catalogue: Catalogue, url: Callable[[str], str], cache: Cache | None = None
) -> SearchInput:
    """The index's documents and what results show; ``url`` gives a paper id's URL.
    ``cache`` keeps each title, abstract and byline as :func:`index_text` folds it, by
    the text: folding every paper's text again was most of this pass, in every build
    that changes a paper (the pass grows with the catalogue, not with the change)."""
    papers = catalogue.papers
    authors = {pid: m.authors for pid, m in catalogue.meta.items() if m.authors}
    kept: Kept[str] = Kept(cache or Cache(None), FOLDED_STAGE)

    def fold(text: str) -> str:
        return kept.get(keys.index_text(text), lambda: index_text(text))

    folded = [(fold(p.title), fold(p.abstract)) for p in papers]
    # Names written joined to a version somewhere ("gpt-4") are joined to one after a
    # space too ("gpt 4"); the worker gets the list, to fold queries alike.
    names = version_names([text for pair in folded for text in pair])
    known = frozenset(names)
    dates = {
        pid: m.published or str(m.year)
        for pid, m in catalogue.meta.items()
        if m.published or m.year
    }
    documents = [
        {
            "title": version_tokens(title, known, index=True),
            "authors": fold(" ".join(authors.get(p.id, ()))),
            "tags": " ".join(t.replace("-", " ") for t in p.tags),
            "abstract": version_tokens(abstract, known, index=True),
        }
        for p, (title, abstract) in zip(papers, folded, strict=True)
    ]
    kept.save()
    position = {lst.name: i for i, lst in enumerate(catalogue.listings)}
    tags = sorted({t for p in papers for t in p.tags})
    tag_position = {t: i for i, t in enumerate(tags)}
    meta = {
        "names": names,
        "tags": tags,
        "listings": [
            {"name": lst.name, "date": lst.date, "layout": lst.layout} for lst in catalogue.listings
        ],
        # [page URL, title, tag numbers, listing numbers, byline(, date)], by paper
        # number; the date (first submission, or a curator's year) only when known
        "papers": [
            [
                url(p.id),
                p.title,
                [tag_position[t] for t in p.tags],
                [position[name] for name in p.listings],
                byline(authors.get(p.id, ())),
                *([dates[p.id]] if p.id in dates else []),
            ]
            for p in papers
        ],
    }
    before, _, after = url("\0").partition("\0")
    pattern = (before, after) if all(url(p.id) == before + p.id + after for p in papers) else None
    return SearchInput(
        documents,
        meta,
        [excerpt(p.abstract) for p in papers],
        tuple(p.id for p in papers),
        pattern,
    )


# --------------------------------------------------------------------------- analysis

_STOPPED = object()


@cache
def _analyse_token(token: str) -> tuple[str, str] | object:
    """One token through lunr's pipeline: (word as trimmed, stem), or stopped."""
    word = trimmer(Token(token), 0, [])
    if word is None or stop_word_filter(word, 0, []) is None or not str(word):
        return _STOPPED
    return str(word), str(stemmer(word, 0, []))


# lunr.py's tokenizer splits the lower-cased text at each of these characters and drops
# empty pieces; it walks the text a character at a time in Python, a good share of the
# index's time. One split by a regular expression gives the same tokens (tests
# compare the two on crafted texts, and this index with lunr.py's own of the real data).
_SEPARATORS = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]")


def tokenize(text: str) -> list[str]:
    """The tokens lunr.py's default tokenizer makes of ``text``."""
    return [t for t in _SEPARATORS.split(text.lower()) if t]


def analyse(text: str) -> list[tuple[str, str]]:
    """(word, term) pairs of folded text, as lunr.py's default pipeline makes terms:
    its tokenizer, trimmer, stop-word filter and stemmer (the stemmer memoised: a
    catalogue's vocabulary is small, and its words come back many times each)."""
    pairs = (_analyse_token(t) for t in tokenize(text))
    return [p for p in pairs if p is not _STOPPED]


# --------------------------------------------------------------------------- the index


@dataclass
class _Field:
    """One field of every document, held compactly: each term's documents (ascending),
    its count in each, and with ``places`` where it stands in each (document after
    document: a document's run is as long as its count) and which inflections of its
    words each has (:meth:`forms`). Typed arrays, not a Counter per document and a dict
    of weights per term: in a big catalogue those Python objects, and every abstract's
    positions and forms held at once, were most of the index's memory
    (benchmarks/README.md, "The worker's peak memory")."""

    docs: dict[str, array] = field(default_factory=dict)
    counts: dict[str, array] = field(default_factory=dict)
    lengths: array = field(default_factory=lambda: array("I"))
    places: dict[str, array] | None = None
    # each term's inflections (:func:`inflection`) in this field, as first seen; and, only
    # for a term that has more than one, each document's as a bit mask of them in that
    # order (most terms have one: they carry no mask)
    inflections: dict[str, list[str]] = field(default_factory=dict)
    masks: dict[str, array | list[int]] = field(default_factory=dict)

    def add(self, number: int, found: TextAnalysis) -> None:
        """Document ``number`` (the next one), as :func:`text_analysis` reads its text."""
        self.lengths.append(found.length)
        places, start = self.places, 0
        for term, count in zip(found.terms, found.counts, strict=True):
            docs = self.docs.get(term)
            if docs is None:
                docs = self.docs[term] = array("I")
                self.counts[term] = array("I")
                if places is not None:
                    places[term] = array("I")
            docs.append(number)
            self.counts[term].append(count)
            if places is not None:
                places[term].extend(found.places[start : start + count])
            start += count
        if places is not None:
            self._add_forms(found)

    def _add_forms(self, found: TextAnalysis) -> None:
        """The document's inflections of each term (:meth:`add` has just added its
        postings): a bit per inflection, the term's mask array made when its second
        inflection appears (its earlier documents had the first alone)."""
        start = 0
        for term, n in zip(found.terms, found.form_counts, strict=True):
            known = self.inflections.setdefault(term, [])
            bits = 0
            for form in found.forms[start : start + n]:
                if form not in known:
                    known.append(form)
                bits |= 1 << known.index(form)
            start += n
            masks = self.masks.get(term)
            if masks is None and bits == 1:
                continue  # the term's one inflection so far
            if masks is None:
                masks = self.masks[term] = array("Q", [1] * (len(self.docs[term]) - 1))
            if bits >= 2**64 and isinstance(masks, array):
                masks = self.masks[term] = masks.tolist()  # more than 64 inflections
            masks.append(bits)

    def runs(self, term: str) -> list[list[int]]:
        """The term's places in each document that has it, in the documents' order."""
        if self.places is None or term not in self.places:
            return []
        flat, found, start = self.places[term], [], 0
        for count in self.counts[term]:
            found.append(flat[start : start + count].tolist())
            start += count
        return found

    def forms(self, term: str, every: dict[str, set[str]]) -> list:
        """The term's words in this field, as [inflections, masks]: the distinct
        :func:`inflection` of its words, sorted, and each document's (in the postings'
        order) as a bit mask of them, none when the field has one; none at all when the
        catalogue has one (``every``: :func:`term_inflections`)."""
        if len(every[term]) < 2:
            return [sorted(every[term]) if term in self.docs else [], []]
        known = self.inflections.get(term, [])
        keys = sorted(known)
        if len(keys) < 2:
            return [keys, []]
        # from the order first seen to the sorted order
        bit = [2 ** keys.index(form) for form in known]
        return [keys, [sum(b for i, b in enumerate(bit) if m >> i & 1) for m in self.masks[term]]]


class _Weights:
    """BM25 weights as lunr.py's builder computes them, by field, term and document,
    each worked out when its term's file is written (the same arithmetic in the same
    order as one dict of every weight: the same numbers, a fraction of the memory)."""

    def __init__(self, fields: dict[str, _Field], n: int):
        self.fields = fields
        # lunr's idf counts a document once per field it has the term in
        with_term: Counter[str] = Counter()
        for found in fields.values():
            for term, docs in found.docs.items():
                with_term[term] += len(docs)
        self.idf = {t: math.log(1 + abs((n - d + 0.5) / (d + 0.5))) for t, d in with_term.items()}
        self.norms: dict[str, array] = {}
        for name, found in fields.items():
            average = sum(found.lengths) / n
            self.norms[name] = array(
                "d",
                (
                    K1 * (1 - B + B * (length / average)) if average else K1 * (1 - B)
                    for length in found.lengths
                ),
            )

    def terms(self, name: str) -> Iterable[str]:
        return self.fields[name].docs.keys()

    def docs(self, name: str, term: str) -> array | None:
        return self.fields[name].docs.get(term)

    def weights(self, name: str, term: str) -> list[float]:
        """The term's weight in each document of its postings, in their order."""
        found, idf, norms, boost = self.fields[name], self.idf[term], self.norms[name], FIELDS[name]
        return [
            round(idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost, 3)
            for doc, tf in zip(found.docs[term], found.counts[term], strict=True)
        ]


class TextAnalysis(NamedTuple):
    """What the index reads of one text, by :func:`analyse` (all that :meth:`_Field.add`
    and the terms' names need): a pure function of the text, so it is kept by the text
    across builds (:func:`_weights`' ``read``) and a build analyses only the texts it
    has not seen. Flat tuples, term after term, not a container per term: a big
    catalogue's entry of them is read whole in every build."""

    length: int  # the text's terms, repeats counted (lunr's field length)
    terms: tuple[str, ...]  # its distinct terms, in the order first written
    counts: tuple[int, ...]  # how often each term is written
    places: tuple[int, ...]  # each term's places (:func:`_places`), term after term
    form_counts: tuple[int, ...]  # how many inflections each term has here
    forms: tuple[str, ...]  # each term's inflections (:func:`inflection`), sorted
    words: tuple[str, ...]  # each distinct (word, term) pair's word,
    word_terms: tuple[int, ...]  # its term (a number in ``terms``)
    times: tuple[int, ...]  # and how often the pair is written


def text_analysis(text: str) -> TextAnalysis:
    """:class:`TextAnalysis` of folded text."""
    return pairs_analysis(analyse(text))


def pairs_analysis(pairs: list[tuple[str, str]]) -> TextAnalysis:
    """:class:`TextAnalysis` of a text's (word, term) pairs, as :func:`analyse` gives them."""
    runs = _places(pairs)
    terms = tuple(runs)
    number = {term: i for i, term in enumerate(terms)}
    seen = Counter(pairs)
    forms: dict[str, set[str]] = defaultdict(set)
    for word, term in seen:
        forms[term].add(inflection(word))
    listed = [sorted(forms[term]) for term in terms]
    return TextAnalysis(
        len(pairs),
        terms,
        tuple(len(runs[term]) for term in terms),
        tuple(place for term in terms for place in runs[term]),
        tuple(len(found) for found in listed),
        tuple(form for found in listed for form in found),
        tuple(word for word, _ in seen),
        tuple(number[term] for _, term in seen),
        tuple(seen.values()),
    )


ANALYSIS_STAGE = "index-analysis"  # each text's TextAnalysis, by keys.index_analysis


def _weights(
    documents: list[dict[str, str]],
    placed: tuple[str, ...] = (),
    read: Callable[[str], TextAnalysis] = text_analysis,
) -> tuple[_Weights, Counter]:
    """BM25 weights (:class:`_Weights`) of every field, and how often each (term, word)
    pair was seen, for naming terms; the fields in ``placed`` also keep where each term
    stands (:func:`positions`) and its inflections (:meth:`_Field.forms`), from the same
    analysis of the text. ``read``: each text's :func:`text_analysis`, or the one kept."""
    fields = {name: _Field(places={} if name in placed else None) for name in FIELDS}
    seen: Counter[tuple[str, str]] = Counter()
    for name, found in fields.items():
        for number, doc in enumerate(documents):
            analysed = read(doc[name])
            terms = analysed.terms
            for word, term, times in zip(
                analysed.words, analysed.word_terms, analysed.times, strict=True
            ):
                seen[word, terms[term]] += times
            found.add(number, analysed)
    return _Weights(fields, len(documents)), seen


def kept_analysis(cache: Cache | None) -> tuple[Callable[[str], TextAnalysis], Callable[[], None]]:
    """:func:`text_analysis` with a memory across builds (``cache``), and what saves it:
    analysing every text again was most of the index's time in a build that adds one
    listing (benchmarks/README.md, "Round 8: the search index and the tag profiles")."""
    kept: Kept[TextAnalysis] = Kept(cache or Cache(None), ANALYSIS_STAGE)

    def read(text: str) -> TextAnalysis:
        return kept.get(keys.index_analysis(text), lambda: text_analysis(text))

    return read, kept.save


def positions(text: str) -> dict[str, list[int]]:
    """Where each term stands in folded text, by word: two terms of a phrase stand at
    consecutive places (stop words are not counted: "mixture of experts" is
    adjacent "mixtur", "expert"). A name's index words share the name's place
    ("mistral mistral7b 7b" is one word as written), so "mistral 7b instruct" is a
    phrase too."""
    return places_and_forms(text)[0]


def places_and_forms(text: str) -> tuple[dict[str, list[int]], dict[str, set[str]]]:
    """:func:`positions`, and each term's words as :func:`inflection` leaves them (one
    pass): "transform" stands for ``transformer`` and ``transformation`` in a text that
    has both, which an exclusion must tell apart."""
    forms: dict[str, set[str]] = defaultdict(set)
    pairs = analyse(text)
    for word, term in set(pairs):  # each word once: most come back in an abstract
        forms[term].add(inflection(word))
    return _places(pairs), forms


def _places(pairs: list[tuple[str, str]]) -> dict[str, list[int]]:
    """:func:`positions` of text already analysed into (word, term) pairs."""
    found: dict[str, list[int]] = defaultdict(list)
    place, name, last = -1, "\0", "\0"  # no word starts with NUL
    for word, term in pairs:
        if not same_place(name, last, word):
            place += 1
            name = word
        last = word
        found[term].append(place)
    return found


@cache
def inflection(word: str) -> str:
    """A word without a regular English inflection, so a word and its inflections are
    one (images, imaged, imaging, image -> ``imag``; transformers -> ``transformer``;
    studies, studied, study -> ``study``; transferred, transfer -> ``transfer``) where
    lunr's stemmer also joins derived words (transformation -> ``transform``, translate
    and translational -> ``translat``): what ``-word`` excludes, and what a paper must
    have of each typed word to have "every word". The worker's ``inflection`` is the
    same rule (a test runs both over every catalogue word)."""
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return _undoubled(word[: -len(ending)])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return _undoubled(word)


def _undoubled(word: str) -> str:
    """A final doubled consonant as one ("transferr" of transferred, "plann" of planned),
    as the word without its ending has it; applied to every word, so "add" and "adding"
    are both "ad". Not ss or zz (pass, buzz), nor ll in a short word (fill, still:
    install and installed are both "instal")."""
    last = word[-1:]
    if (
        len(word) > 3
        and word[-2:-1] == last
        and last in "bcdfghjklmnpqrtvwxy"
        and (last != "l" or len(word) > 5)
    ):
        return word[:-1]
    return word


def term_inflections(seen: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Each term's inflections (:func:`inflection` of its words) in the whole catalogue,
    from the (word, term) pairs seen: most terms have one, and need no look at each
    paper (:meth:`_Field.forms`)."""
    found: dict[str, set[str]] = defaultdict(set)
    for word, term in seen:
        found[term].add(inflection(word))
    return found


def same_place(name: str, last: str, word: str) -> bool:
    """Whether ``word`` is one more index word of the name at the current place (see
    :func:`generator.text.fold.indexed_version`): the name with a version ("llama3"
    after "llama"), or the version alone right after it ("7b" after "mistral7b")."""
    versioned = word.startswith(name) and word[len(name) : len(name) + 1].isdigit()
    return versioned or (last != name and last == name + word)


def _position_file(terms: list[str], weights: _Weights, titles: bool = False) -> dict:
    """Each term's places in each abstract of its postings list, in the postings' order.
    With ``titles`` (the split layout, whose shards hold every field's terms) also each
    term's places in the titles, and a term no abstract has has no places there."""
    found = {
        "terms": terms,
        "positions": [weights.fields[TEXT_TIER[0]].runs(t) for t in terms],
    }
    if titles:
        found["titles"] = [weights.fields["title"].runs(t) for t in terms]
    return found


def _forms_runs(
    terms: list[str], weights: _Weights, every: dict[str, set[str]], titles: bool = False
) -> list[list[str]]:
    """A shard's terms that the catalogue writes in more than one inflection (``every``:
    :func:`term_inflections`), cut into the runs of about FORMS_POSTINGS masks (their
    postings in the abstracts, and with ``titles`` the titles) that its forms files hold."""
    fields = (TEXT_TIER[0], "title") if titles else TEXT_TIER
    sizes = {
        t: sum(len(weights.docs(f, t) or ()) for f in fields) for t in terms if len(every[t]) > 1
    }
    return _cut(sizes, FORMS_POSTINGS)


def _forms_file(
    terms: list[str], weights: _Weights, every: dict[str, set[str]], titles: bool = False
) -> dict:
    """The inflections (:meth:`_Field.forms`) each abstract (and, split, each title) has
    of the shard's terms that the catalogue writes in more than one ("transform":
    transformer, transformation), fetched for an exclusion only. A term not listed has
    one, that of the word the shard names it by (its ``words``)."""
    listed = [t for t in terms if len(every[t]) > 1]
    found = {
        "terms": listed,
        "abstract": [weights.fields[TEXT_TIER[0]].forms(t, every) for t in listed],
    }
    if titles:
        found["titles"] = [weights.fields["title"].forms(t, every) for t in listed]
    return found


def known_words(terms: set[str]) -> list[str]:
    """Terms of ordinary English words (wordfreq's list: "title", "tiles", "kennel")
    that are not in the catalogue but one or two letters from a term that is: what a
    query must not silently turn into that term ("vitl", "time", "kernel"). Sorted;
    only these, not the whole list: the worker fetches one of their files only for a query
    word its index lacks. A word counts from the Zipf frequency SURE_FROM, and a rarer
    one from KNOWN_FROM unless it is a misspelling of a far more common word
    (:func:`misspelt`)."""
    # a term within two edits of a word of TWO_TYPOS_FROM letters has six or more
    near = {v for term in terms for v in _deletions(term, 2 if len(term) >= 6 else 1)}
    return [
        term
        for term in english_terms()
        if term not in terms
        and any(v in near for v in _deletions(term, 2 if len(term) >= TWO_TYPOS_FROM else 1))
    ]


@cache
def english_terms() -> list[str]:
    """The terms :func:`known_words` may list, sorted, whatever the catalogue: of
    TYPO_FROM letters or more, and from an English word that counts as known. They
    depend on the installed wordfreq and lunr alone, and reading wordfreq's list and
    stemming it is most of the index's time on a small catalogue: so they are kept
    across builds (:meth:`Cache.packages`) and worked out once per version."""
    key = keys.english_terms(
        version("wordfreq"), version("lunr"), (KNOWN_FROM, SURE_FROM, MISSPELT, TYPO_FROM)
    )
    return Cache.packages().memo_pruned("english-terms", key, _english_terms)


def _english_terms() -> list[str]:
    sure = 10 ** (SURE_FROM - 9)  # Zipf = log10(frequency per billion words)
    english, common = _english()
    return sorted(
        term
        for term, words in english.items()
        if len(term) >= TYPO_FROM
        and any(f >= sure or not misspelt(word, f, common) for word, f in words)
    )


def _english() -> tuple[dict[str, list[tuple[str, float]]], dict]:
    """wordfreq's English words from KNOWN_FROM by their lunr term, each with its
    frequency, and :func:`common_variants`: the same for every build, so read only when
    :func:`english_terms` has no stored result (stemming them is most of its time)."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en")
    least = 10 ** (KNOWN_FROM - 9)
    english: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for word, f in frequencies.items():
        if f >= least and _ASCII_WORD.fullmatch(word):
            result = _analyse_token(word)
            if result is not _STOPPED:
                english[result[1]].append((word, f))
    return english, common_variants(frequencies)


def misspelt(word: str, frequency: float, common: dict[str, list[tuple[str, float]]]) -> bool:
    """Whether a word one edit from ``word`` (a letter deleted, inserted, changed, or two
    swapped) is 10**MISSPELT times as common: "recieve" next to "receive", "lenght"
    next to "length"; not "kennels" next to "kennel". ``common`` is
    :func:`common_variants`: two words one edit apart share a word with one letter
    deleted (symmetric deletion, as :func:`known_words` finds near terms)."""
    more = frequency * 10**MISSPELT
    return any(
        f >= more and _one_edit_apart(word, other)
        for v in _deletions(word, 1)
        for other, f in common.get(v, ())
    )


def common_variants(frequencies: dict[str, float]) -> dict[str, list[tuple[str, float]]]:
    """The words common enough to make a rarer one a misspelling (Zipf from KNOWN_FROM
    + MISSPELT), by each of their forms with a letter deleted, or none."""
    least = 10 ** (KNOWN_FROM + MISSPELT - 9)
    found: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for word, f in frequencies.items():
        if f >= least and word.isascii() and word.isalpha():  # "few" makes "afew" one
            for v in _deletions(word, 1):
                found[v].append((word, f))
    return found


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether two different words are one edit apart: a letter deleted or inserted,
    changed, or two side by side swapped."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) == 1:
        return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))
    differ = [i for i in range(len(a)) if a[i] != b[i]] if len(a) == len(b) else []
    swapped = len(differ) == 2 and differ[1] == differ[0] + 1
    return len(differ) == 1 or (
        swapped and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]
    )


def _deletions(word: str, most: int) -> set[str]:
    """The word with up to ``most`` letters deleted: two words within ``most`` edits
    share one of these (a symmetric-deletion test, no edit distance computed)."""
    found, frontier = {word}, {word}
    for _ in range(most):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _names(seen: Counter) -> dict[str, str]:
    """The word each term most often stands for (ties: the shortest, then first in
    order), when it is not the term itself: "diffus" -> "diffusion"."""
    best: dict[str, tuple[int, int, str]] = {}
    for (word, term), count in seen.items():
        key = (-count, len(word), word)
        if term not in best or key < best[term]:
            best[term] = key
    return {term: key[2] for term, key in best.items() if key[2] != term}


def _encode(
    fields: Iterable[str],
    weights: _Weights,
    terms: list[str],
    names: dict[str, str],
    forms: list[list[str]] | None = None,
) -> dict:
    """An index file: its fields, sorted terms, the word each term names, and each
    term's postings as [field number, paper-number gaps, weights] lists; for a term shard
    also which of its terms each of its forms files lists (``forms``, :func:`_forms_runs`;
    as gaps of their numbers), so a query word whose term none lists (written one way,
    as the word it is named by) fetches no forms file, and another the one its term is in."""
    fields = list(fields)
    postings = []
    for term in terms:
        lists = []
        for number, field_name in enumerate(fields):
            docs = weights.docs(field_name, term)
            if not docs:
                continue
            gaps = [docs[0]] + [b - a for a, b in pairwise(docs)]
            lists.append([number, gaps, weights.weights(field_name, term)])
        postings.append(lists)
    encoded = {
        "fields": fields,
        "terms": terms,
        "words": [names.get(t, "") for t in terms],
        "postings": postings,
    }
    if forms is not None:
        number = {t: i for i, t in enumerate(terms)}
        encoded["forms"] = [_gaps(number[t] for t in run) for run in forms]
    return encoded


def _shards(sizes: dict[str, int]) -> list[list[str]]:
    """Terms (``sizes``: each term's postings) cut into shards in :func:`term_order`:
    the short terms in runs of about SHORT_POSTINGS, then the others where the cut of
    every term into runs of about SHARD_POSTINGS puts them, less the short terms: so a
    longer word shares its shard with the words it always did (a cut moved by the short
    terms' leaving would part "title" from "vitl", its "did you mean")."""
    short = {t: n for t, n in sizes.items() if len(t) <= SHORT}
    runs = ([t for t in run if len(t) > SHORT] for run in _cut(sizes, SHARD_POSTINGS))
    return _cut(short, SHORT_POSTINGS) + [run for run in runs if run]


def term_order(term: str) -> tuple[bool, str]:
    """Where a term's shard is in the table of shards: short terms first, then by term
    (the worker's ``termOrder``)."""
    return len(term) > SHORT, term


def build_index(
    search: SearchInput, split_from: int = SPLIT_FROM, cache: Cache | None = None
) -> dict[str, str]:
    """Every search file, by site path: tier one, the abstract shards, the snippets; from
    ``split_from`` papers on, the split layout (:func:`_split_index`). ``cache`` keeps
    each text's analysis (:func:`kept_analysis`)."""
    read, save = kept_analysis(cache)
    if len(search.documents) >= split_from:
        files = _split_index(search, read)
    else:
        files = _whole_index(search, read)
    save()
    return files


def _whole_index(search: SearchInput, read: Callable[[str], TextAnalysis]) -> dict[str, str]:
    """The whole layout: tier one with every paper, for a catalogue below SPLIT_FROM."""
    weights, seen = _weights(search.documents, TEXT_TIER, read)
    names = _names(seen)
    first = sorted({t for f in FIRST_TIER for t in weights.terms(f)})
    abstract = weights.fields[TEXT_TIER[0]].docs
    shards = _shards({term: len(docs) for term, docs in abstract.items()})
    every = term_inflections(seen)
    files: dict[str, str] = {}
    for number, terms in enumerate(shards):
        runs = _forms_runs(terms, weights, every)
        files[SHARD_FILE.format(number)] = _dumps(_encode(TEXT_TIER, weights, terms, names, runs))
        files[POSITION_FILE.format(number)] = _dumps(_position_file(terms, weights))
        for k, run in enumerate(runs):
            files[FORMS_FILE.format(number, k)] = _dumps(_forms_file(run, weights, every))
    known, known_table = known_files(known_words({t for f in FIELDS for t in weights.terms(f)}))
    files.update(known)
    snippets = search.snippets
    snippet_files = []
    for number, start in enumerate(range(0, len(snippets), SNIPPETS_PER_FILE)):
        path = SNIPPET_FILE.format(number)
        files[path] = _dumps(snippets[start : start + SNIPPETS_PER_FILE])
        snippet_files.append(path)
    files[INDEX_FILE] = _dumps(
        {
            **search.meta,
            "fold": spelling_rules(),
            "index": _encode(FIRST_TIER, weights, first, names),
            # [first term, file]: a term's postings are in the last shard starting at or
            # before it
            "shards": [[terms[0], SHARD_FILE.format(i)] for i, terms in enumerate(shards)],
            "snippets": {"per": SNIPPETS_PER_FILE, "files": snippet_files},
            # [first word, file]: a word is listed in the last file starting at or before it
            "known": known_table,
        }
    )
    return files


def _cut(sizes: dict[str, int], per: int) -> list[list[str]]:
    """Terms, sorted, cut into runs of about ``per`` postings (``sizes``: each term's)."""
    runs: list[list[str]] = [[]]
    size = 0
    for term in sorted(sizes):
        if size >= per:
            runs.append([])
            size = 0
        runs[-1].append(term)
        size += sizes[term]
    return runs if runs[0] else []


def _az_key(title: str) -> str:
    """A title as the Search page's A–Z orders it: accents off, case folded."""
    plain = unicodedata.normalize("NFKD", title)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _gaps(numbers: Iterable[int]) -> list[int]:
    """Ascending numbers as the first and each one's gap from the one before."""
    numbers = sorted(numbers)
    return numbers[:1] + [b - a for a, b in pairwise(numbers)]


def _split_index(search: SearchInput, read: Callable[[str], TextAnalysis]) -> dict[str, str]:
    """The split layout, for a catalogue too big for tier one (benchmarks/README.md,
    issue 31): nothing is loaded for every paper. Papers are numbered A–Z, so the
    Search page's browse reads its page of papers from one or two card files.

    * ``search/papers.json.gz`` — a head: tags, listings, spelling rules, the file
      tables, the paper count, the URL pattern and the few terms too common to fetch
      when a query has rarer words (with their postings count, as the worker counts).
    * ``search/text-NN.json.gz`` — every field's postings (title, authors, tags,
      abstract), cut by term range: a query word needs the one shard its term is in.
    * ``search/positions-NN.json.gz`` — each shard term's places in each abstract and
      title, for a quoted phrase.
    * ``search/cards-NN.json.gz`` and ``search/snippets-NN.json.gz`` — what a result
      shows, CARDS_PER_FILE papers a file, fetched for the results shown.
    * ``search/tag-N.json.gz``, ``search/listing-N.json.gz``, ``search/year-Y.json.gz``
      — the papers of each filter, fetched when the filter is used (a tag's also for a
      quoted phrase its name has: the phrase is found in that tag name).
    * ``search/known-NN.json.gz`` — the known English words, as in the whole layout,
      their table in the head.
    * ``search/terms.json.gz`` — every term and its paper count: fetched only for a word
      that may be misspelt, to find the nearest term and fetch its shard alone.
    * ``search/common-N.json.gz`` — the papers of each term the head names as common:
      a query leaves such a word out of its search when it has rarer ones, but a paper
      has "every word" only if it has that one too.
    """
    n = len(search.documents)
    rows = search.meta["papers"]
    order = sorted(range(n), key=lambda i: (_az_key(rows[i][1]), i))
    documents = [search.documents[i] for i in order]
    weights, seen = _weights(documents, (TEXT_TIER[0], "title"), read)
    names = _names(seen)
    sizes: Counter[str] = Counter()
    for name in FIELDS:
        for term, docs in weights.fields[name].docs.items():
            sizes[term] += len(docs)
    shards = _shards(sizes)
    every = term_inflections(seen)
    files: dict[str, str] = {}
    for number, terms in enumerate(shards):
        runs = _forms_runs(terms, weights, every, titles=True)
        files[SHARD_FILE.format(number)] = _dumps(_encode(FIELDS, weights, terms, names, runs))
        files[POSITION_FILE.format(number)] = _dumps(_position_file(terms, weights, titles=True))
        for k, run in enumerate(runs):
            files[FORMS_FILE.format(number, k)] = _dumps(
                _forms_file(run, weights, every, titles=True)
            )
    # the same known-words files as the whole layout's, from every field's terms (all
    # of them are in the shards here): the head carries their table
    known, known_table = known_files(known_words(set(sizes)))
    files.update(known)
    pattern = search.url_pattern
    cards, snippets = [], []
    for number, start in enumerate(range(0, n, CARDS_PER_FILE)):
        chunk = order[start : start + CARDS_PER_FILE]
        path = CARD_FILE.format(number)
        # [id (or URL), title, tag numbers, listing numbers, byline(, date)]
        made = [[search.ids[i] if pattern else rows[i][0], *rows[i][1:]] for i in chunk]
        files[path] = _dumps(made)
        cards.append(path)
        path = SNIPPET_FILE.format(number)
        files[path] = _dumps([search.snippets[i] for i in chunk])
        snippets.append(path)
    filters: dict[tuple[str, object], list[int]] = defaultdict(list)
    for doc, i in enumerate(order):
        row = rows[i]
        for tag in row[2]:
            filters["tag", tag].append(doc)
        for listing in row[3]:
            filters["listing", listing].append(doc)
        if len(row) > 5:
            filters["year", str(row[5])[:4]].append(doc)
    for (kind, value), docs in sorted(filters.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        files[FILTER_FILE.format(kind, value)] = _dumps(_gaps(docs))
    # the papers of each common term, so a query that leaves the term out of its search
    # still counts it ("with every word"): no weights, no other terms
    common = {t: size for t, size in sorted(sizes.items()) if size > COMMON * n}
    common_files = {}
    for number, term in enumerate(common):
        common_files[term] = FILTER_FILE.format("common", number)
        files[common_files[term]] = _dumps(_gaps(_papers_with(weights, term)))
    vocabulary = sorted(sizes)
    files[TERMS_FILE] = _dumps(
        {"terms": vocabulary, "papers": [len(_papers_with(weights, t)) for t in vocabulary]}
    )
    head = {k: v for k, v in search.meta.items() if k != "papers"}
    files[INDEX_FILE] = _dumps(
        {
            **head,
            "fold": spelling_rules(),
            "count": n,
            "url": list(pattern) if pattern else None,
            "shards": [[terms[0], SHARD_FILE.format(i)] for i, terms in enumerate(shards)],
            "snippets": {"per": CARDS_PER_FILE, "files": snippets},
            "cards": {"per": CARDS_PER_FILE, "files": cards},
            "terms": TERMS_FILE,
            "years": sorted(value for kind, value in filters if kind == "year"),
            "common": common,
            "commonPapers": common_files,
            # [first word, file]: a word is listed in the last file starting at or before it
            "known": known_table,
        }
    )
    return files


def _papers_with(weights: _Weights, term: str) -> set[int]:
    """The papers that have ``term`` in any field (one set at a time, not one a term)."""
    found: set[int] = set()
    for name in FIELDS:
        found.update(weights.docs(name, term) or ())
    return found


def known_files(words: list[str]) -> tuple[dict[str, str], list[list[str]]]:
    """The known English words (:func:`known_words`, sorted) in files of KNOWN_PER_FILE,
    by path, and the table of them ([first word, path]): a query word the index lacks
    costs the one file its place falls in."""
    files, table = {}, []
    for number, start in enumerate(range(0, len(words), KNOWN_PER_FILE)):
        path = KNOWN_FILE.format(number)
        files[path] = _dumps(words[start : start + KNOWN_PER_FILE])
        table.append([words[start], path])
    return files, table


def shard_of(starts: list[str], term: str) -> int:
    """Which shard holds ``term``, given each shard's first term (as the worker finds it):
    the last one starting at or before it in :func:`term_order`."""
    return max(bisect_right(starts, term_order(term), key=term_order) - 1, 0)


def _dumps(data: object) -> str:
    return json.dumps(data, **_COMPACT)
