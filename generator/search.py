"""The paper search index, prebuilt at build time with the ``lunr`` package.

Material's own search builds a lunr.js index in the browser on every page load
from ``search_index.json``: 1.1 s for 720 papers, 172 s and 2.8 GB for 50,000
(benchmarks/README.md). So papers get an index built here, once, that the
browser only *loads* (lunr.py 0.8 writes indexes lunr.js 2.3.9 reads), served by
our own search worker (docs/javascripts/paper-search-worker.js) behind
Material's search box. Site pages stay in Material's small index.

Two files:

* ``search/papers.index.json`` — the lunr index. Fields: title (boost 10), tags
  (boost 5), abstract (1), so a title hit outranks an abstract hit. Text is
  folded first (:func:`generator.textfold.search_fold`), because lunr.js's
  trimmer strips non-ASCII letters at word edges ("μP" -> "P") where lunr.py's
  keeps them: folded to ASCII ("mup"), both agree, and so does the worker, which
  folds queries the same way.
* ``search/papers.meta.json`` — what a result shows: URL, title, tags, listings
  and a snippet, in index order, plus the tag and listing vocabularies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from lunr import lunr

from generator.model import Catalogue
from generator.textfold import index_text

INDEX_FILE = "search/papers.index.json"
META_FILE = "search/papers.meta.json"
SNIPPET_LENGTH = 220
FIELDS = [
    {"field_name": "title", "boost": 10},
    {"field_name": "tags", "boost": 5},
    {"field_name": "abstract", "boost": 1},
]
_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def excerpt(text: str, limit: int = SNIPPET_LENGTH) -> str:
    """The text, or its first ``limit`` characters cut at a word, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class SearchInput:
    """What the index is built from: plain data, cheap to hash, pickle or send to a
    second process, where the expensive part (:func:`build_index`) runs."""

    documents: list[dict[str, str]]
    meta: str  # papers.meta.json, finished


def search_input(catalogue: Catalogue, url: Callable[[str], str]) -> SearchInput:
    """The index's documents and the result metadata; ``url`` gives a paper id's URL."""
    papers = catalogue.papers
    documents = [
        {
            "id": str(i),  # a number, not the paper id: the index stores every ref
            "title": index_text(p.title),
            "tags": " ".join(t.replace("-", " ") for t in p.tags),
            "abstract": index_text(p.abstract),
        }
        for i, p in enumerate(papers)
    ]
    listings = [lst.name for lst in catalogue.listings]
    position = {name: i for i, name in enumerate(listings)}
    tags = sorted({t for p in papers for t in p.tags})
    tag_position = {t: i for i, t in enumerate(tags)}
    meta = {
        "tags": tags,
        "listings": [
            {"name": lst.name, "date": lst.date, "layout": lst.layout} for lst in catalogue.listings
        ],
        # [page URL, title, tag numbers, listing numbers, snippet], in ref order
        "papers": [
            [
                url(p.id),
                p.title,
                [tag_position[t] for t in p.tags],
                [position[name] for name in p.listings],
                excerpt(p.abstract),
            ]
            for p in papers
        ],
    }
    return SearchInput(documents, json.dumps(meta, **_COMPACT))


def build_index(documents: list[dict[str, str]]) -> str:
    """The serialised lunr index (lunr.py writes what lunr.js 2.3.9 loads)."""
    index = lunr(ref="id", fields=FIELDS, documents=documents) if documents else None
    return json.dumps(index.serialize() if index else {}, **_COMPACT)
