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

Each index file carries its terms, each term's postings (papers, weights) and the
most common word each term stands for (what a "did you mean" names); the worker
rebuilds lunr's serialised form from them (``lunr.Index.load``) and queries with
lunr.js. lunr's own serialisation repeats every posting twice (inverted index and
document vectors): this carries it once.

Text is folded first (:func:`generator.text.fold.search_fold`: Greek spelled out,
accents off, British spellings as American), and queries are folded alike.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer

from generator.model import Catalogue
from generator.text.fold import index_text, spelling_rules

# Written gzip-compressed (a ``.gz`` path: generator.export.site_data.write_files); the worker
# inflates them.
INDEX_FILE = "search/papers.json.gz"
SHARD_FILE = "search/text-{:02d}.json.gz"
SNIPPET_FILE = "search/snippets-{:02d}.json.gz"
SNIPPET_LENGTH = 220
SNIPPETS_PER_FILE = 250
FIELDS = {"title": 10, "authors": 5, "tags": 5, "abstract": 1}
FIRST_TIER = ("title", "authors", "tags")
TEXT_TIER = ("abstract",)
# Postings per abstract shard: about 40 KB gzipped, what one query word costs a
# reader (benchmarks/README.md, "Search that forgives and scales").
SHARD_POSTINGS = 10_000
# lunr's BM25 parameters (lunr.Builder's defaults, in lunr.py and lunr.js alike).
K1, B = 1.2, 0.75
_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


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


def search_input(catalogue: Catalogue, url: Callable[[str], str]) -> SearchInput:
    """The index's documents and what results show; ``url`` gives a paper id's URL."""
    papers = catalogue.papers
    authors = {pid: m.authors for pid, m in catalogue.meta.items() if m.authors}
    dates = {
        pid: m.published or str(m.year)
        for pid, m in catalogue.meta.items()
        if m.published or m.year
    }
    documents = [
        {
            "title": index_text(p.title),
            "authors": index_text(" ".join(authors.get(p.id, ()))),
            "tags": " ".join(t.replace("-", " ") for t in p.tags),
            "abstract": index_text(p.abstract),
        }
        for p in papers
    ]
    position = {lst.name: i for i, lst in enumerate(catalogue.listings)}
    tags = sorted({t for p in papers for t in p.tags})
    tag_position = {t: i for i, t in enumerate(tags)}
    meta = {
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
    return SearchInput(documents, meta, [excerpt(p.abstract) for p in papers])


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
    """One field of every document: each document's term counts and length."""

    counts: list[Counter[str]]
    lengths: list[int]


def _weights(documents: list[dict[str, str]]) -> tuple[dict[str, dict], Counter]:
    """BM25 weights as lunr.py's builder computes them, by field, term and document;
    and how often each (term, word) pair was seen, for naming terms."""
    fields: dict[str, _Field] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for name in FIELDS:
        counts, lengths = [], []
        for doc in documents:
            pairs = analyse(doc[name])
            seen.update(pairs)
            counts.append(Counter(term for _, term in pairs))
            lengths.append(len(pairs))
        fields[name] = _Field(counts, lengths)
    n = len(documents)
    # lunr's idf counts a document once per field it has the term in
    with_term: Counter[str] = Counter()
    for field in fields.values():
        for counts in field.counts:
            with_term.update(counts.keys())
    idf = {t: math.log(1 + abs((n - d + 0.5) / (d + 0.5))) for t, d in with_term.items()}
    weights: dict[str, dict] = {}
    for name, field in fields.items():
        average = sum(field.lengths) / n
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for doc, (counts, length) in enumerate(zip(field.counts, field.lengths, strict=True)):
            norm = K1 * (1 - B + B * (length / average)) if average else K1 * (1 - B)
            for term, tf in counts.items():
                score = idf[term] * ((K1 + 1) * tf) / (norm + tf) * FIELDS[name]
                postings[term][doc] = round(score, 3)
        weights[name] = postings
    return weights, seen


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
    fields: Iterable[str], weights: dict[str, dict], terms: list[str], names: dict[str, str]
) -> dict:
    """An index file: its fields, sorted terms, the word each term names, and each
    term's postings as [field number, paper-number gaps, weights] lists."""
    fields = list(fields)
    postings = []
    for term in terms:
        lists = []
        for number, field in enumerate(fields):
            found = weights[field].get(term)
            if not found:
                continue
            docs = sorted(found)
            gaps = [docs[0]] + [b - a for a, b in pairwise(docs)]
            lists.append([number, gaps, [found[d] for d in docs]])
        postings.append(lists)
    return {
        "fields": fields,
        "terms": terms,
        "words": [names.get(t, "") for t in terms],
        "postings": postings,
    }


def _shards(abstract: dict[str, dict]) -> list[list[str]]:
    """The abstract field's terms, sorted, cut into runs of about SHARD_POSTINGS."""
    shards: list[list[str]] = [[]]
    size = 0
    for term in sorted(abstract):
        if size >= SHARD_POSTINGS:
            shards.append([])
            size = 0
        shards[-1].append(term)
        size += len(abstract[term])
    return shards if shards[0] else []


def build_index(search: SearchInput) -> dict[str, str]:
    """Every search file, by site path: tier one, the abstract shards, the snippets."""
    weights, seen = _weights(search.documents)
    names = _names(seen)
    first = sorted({t for f in FIRST_TIER for t in weights[f]})
    shards = _shards(weights[TEXT_TIER[0]])
    files: dict[str, str] = {}
    for number, terms in enumerate(shards):
        files[SHARD_FILE.format(number)] = _dumps(_encode(TEXT_TIER, weights, terms, names))
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
        }
    )
    return files


def shard_of(starts: list[str], term: str) -> int:
    """Which shard holds ``term``, given each shard's first term (as the worker finds it)."""
    return max(bisect_right(starts, term) - 1, 0)


def _dumps(data: object) -> str:
    return json.dumps(data, **_COMPACT)
