"""Where else to find a paper: arXiv, Hugging Face, Semantic Scholar links and BibTeX.

With a curated arXiv id the links go straight to the paper; without one they are
title searches, which still land a reader one click away.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from generator.model import Paper, PaperMeta

_BIB_KEY = re.compile(r"[^a-z0-9]+")
_BIB_SPECIAL = re.compile(r"([{}\\&%$#_])")


def external_links(paper: Paper, meta: PaperMeta | None) -> list[tuple[str, str]]:
    """(label, url) pairs, the paper's own pages first when its arXiv id is known."""
    links = list(meta.links) if meta else []
    named = [(kind.capitalize() if kind != "pdf" else "PDF", url) for kind, url in links]
    if meta and meta.arxiv:
        a = meta.arxiv
        base = re.sub(r"v\d+$", "", a)
        return [
            *named,
            ("arXiv", f"https://arxiv.org/abs/{a}"),
            ("Hugging Face", f"https://huggingface.co/papers/{base}"),
            ("Semantic Scholar", f"https://www.semanticscholar.org/arxiv/{base}"),
        ]
    q = quote_plus(paper.title)
    return [
        *named,
        ("Search arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Search Hugging Face", f"https://huggingface.co/papers?q={quote(paper.title)}"),
        ("Search Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
    ]


def _bib(text: str) -> str:
    return _BIB_SPECIAL.sub(r"\\\1", text)


def bibtex(paper: Paper, meta: PaperMeta | None) -> str:
    """A BibTeX entry from what is known: @misc, with arXiv eprint fields when known."""
    meta = meta or PaperMeta()
    first_author = _BIB_KEY.sub("", meta.authors[0].split()[-1].lower()) if meta.authors else ""
    first_word = next((w for w in _BIB_KEY.split(paper.title.lower()) if len(w) > 3), "paper")
    key = f"{first_author}{meta.year or ''}{first_word}" or paper.id
    fields = [("title", "{" + _bib(paper.title) + "}")]
    if meta.authors:
        fields.append(("author", " and ".join(_bib(a) for a in meta.authors)))
    if meta.year:
        fields.append(("year", str(meta.year)))
    if meta.venue:
        fields.append(("howpublished", _bib(meta.venue)))
    if meta.arxiv:
        fields += [
            ("eprint", meta.arxiv),
            ("archivePrefix", "arXiv"),
            ("url", f"https://arxiv.org/abs/{meta.arxiv}"),
        ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
