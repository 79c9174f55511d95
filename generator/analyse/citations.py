"""Where else to find a paper (arXiv, PDF, Hugging Face, Semantic Scholar) and how to cite it.

With an arXiv id (a curator's, or machine-found by ``enrich``) the links go
straight to the paper; without one they are title searches, which still land a
reader one click away.

Citation keys follow the common ``author + year + first title word`` convention
(``huber2013efficient``, as Google Scholar and arXiv's own export write them),
made unique across the catalogue: when several papers would share a key, the
oldest (then the first by id) keeps it and the others get ``b``, ``c``, ... —
so a key changes only when an older paper with the same key joins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import count
from urllib.parse import quote, quote_plus

from generator.model import Paper, PaperMeta
from generator.text.escaping import one_line, safe_url
from generator.text.fold import strip_accents

_KEY_CHARS = re.compile(r"[^a-z0-9]+")
_BIB_SPECIAL = re.compile(r"([{}\\&%$#_])")
# Words a citation key skips, as BibTeX tools do (Better BibTeX's "skipwords").
_SKIP = frozenset(
    "a an and are as at by for from in into is of on or the to towards via what when where"
    " why with without your how do does can".split()
)


def external_links(paper: Paper, meta: PaperMeta | None) -> list[tuple[str, str]]:
    """(label, url) pairs, the paper's own pages first when its arXiv id is known."""
    # A URL with another scheme is dropped here as well as by the schema: the schema
    # guards the data files, this guards every way a value reaches a page.
    links = [(kind, url) for kind, url in (meta.links if meta else ()) if safe_url(url)]
    named = [(kind.capitalize() if kind != "pdf" else "PDF", url) for kind, url in links]
    if meta and meta.arxiv:
        cited = meta.arxiv_version
        pdf = (
            []
            if any(k == "pdf" for k, _ in links)
            else [("PDF", safe_url(meta.pdf or "") or f"https://arxiv.org/pdf/{cited}")]
        )
        return [
            ("arXiv", f"https://arxiv.org/abs/{cited}"),
            *pdf,
            *named,
            ("Hugging Face", f"https://huggingface.co/papers/{meta.arxiv}"),
            ("Semantic Scholar", f"https://www.semanticscholar.org/arxiv/{meta.arxiv}"),
        ]
    q = quote_plus(paper.title)
    return [
        *named,
        ("Search arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Search Hugging Face", f"https://huggingface.co/papers?q={quote(paper.title)}"),
        ("Search Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
    ]


def _ascii_words(text: str) -> list[str]:
    return [w for w in _KEY_CHARS.split(strip_accents(text).lower()) if w]


def base_key(paper: Paper, meta: PaperMeta | None) -> str:
    """``lastname`` + ``year`` + first significant title word; without authors, the
    first two significant title words stand in (``scalinglaws``)."""
    meta = meta or PaperMeta()
    significant = [w for w in _ascii_words(paper.title) if w not in _SKIP] or ["paper"]
    author = _ascii_words(meta.authors[0])[-1:] if meta.authors else []
    words = significant[:1] if author else significant[:2]
    return "".join([*author, str(meta.date_year or ""), *words])


def citation_keys(papers: Iterable[Paper], meta: dict[str, PaperMeta]) -> dict[str, str]:
    """Paper id -> a citation key no other paper of the catalogue has."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        groups[base_key(paper, meta.get(paper.id))].append(paper)
    keys = {}
    taken = set(groups)
    for key, members in groups.items():
        if len(members) == 1:
            keys[members[0].id] = key
            continue
        members.sort(key=lambda p: ((meta.get(p.id) or PaperMeta()).published or "~", p.id))
        keys[members[0].id] = key
        suffixes = (_suffix(n) for n in count(1))
        for paper in members[1:]:
            candidate = key + next(suffixes)
            while candidate in taken:
                candidate = key + next(suffixes)
            taken.add(candidate)
            keys[paper.id] = candidate
    return keys


def _suffix(n: int) -> str:
    """1 -> b, 2 -> c, ..., 25 -> z, 26 -> ba: letters, as BibTeX tools disambiguate."""
    letters = ""
    while n:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
    return letters


def _bib(text: str) -> str:
    """A BibTeX field's text: one line (the entry is shown in a <pre>), specials escaped."""
    return _BIB_SPECIAL.sub(r"\\\1", one_line(text).strip())


def bibtex(paper: Paper, meta: PaperMeta | None, key: str) -> str:
    """A BibTeX entry from what is known: @misc, with arXiv's eprint fields when known
    (the form arXiv's own "Export BibTeX citation" gives)."""
    meta = meta or PaperMeta()
    fields = [("title", "{" + _bib(paper.title) + "}")]
    if meta.authors:
        fields.append(("author", " and ".join(_bib(a) for a in meta.authors)))
    if meta.date_year:
        fields.append(("year", str(meta.date_year)))
    if meta.venue:
        fields.append(("howpublished", _bib(meta.venue)))
    if meta.arxiv:
        fields += [("eprint", meta.arxiv_version), ("archivePrefix", "arXiv")]
        if meta.category:
            fields.append(("primaryClass", meta.category))
        fields.append(("url", f"https://arxiv.org/abs/{meta.arxiv_version}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
