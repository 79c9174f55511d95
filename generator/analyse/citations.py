"""Where else to find a paper (arXiv, PDF, Hugging Face, Semantic Scholar) and how to cite it.

With an arXiv id (a curator's, or machine-found by ``enrich``) the links go
straight to the paper; without one they are title searches, which still land a
reader one click away.

Citation keys follow the common ``author + year + first title word`` convention
(``huber2013efficient``, as Google Scholar and arXiv's own export write them),
made unique across the catalogue: when several papers would share a key, the
oldest (then the first by id) keeps it and the others get ``b``, ``c``, ... A key of
that form, once recorded in ``data/citation_keys.yaml`` (``python -m generator keys``,
and ``enrich`` after it finds authors), never changes again: the recorded key wins
over whatever the metadata would give now, and no other paper is given it. Before a
paper has authors and a year its key is two title words (``scalinglaws``), never a
bare number.

The entry type follows what is known: ``@inproceedings`` (booktitle) for a
conference or workshop venue, ``@article`` (journal) for any other venue, and
``@misc`` with arXiv's eprint fields for a preprint, the form arXiv's own export
gives.
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


def conventional(meta: PaperMeta | None) -> bool:
    """Whether a paper's key has its final ``author + year + word`` form: from then on
    it is recorded and never changes."""
    return bool(meta and meta.authors and _ascii_words(meta.authors[0]) and meta.date_year)


def base_key(paper: Paper, meta: PaperMeta | None) -> str:
    """``lastname`` + ``year`` + first significant title word; without authors, the
    first two significant title words stand in (``scalinglaws``). A key starts with a
    letter: title words before the first one with a letter are skipped ("4+3 Phases of
    ..." is ``phasescompute``, not ``43``)."""
    meta = meta or PaperMeta()
    significant = [w for w in _ascii_words(paper.title) if w not in _SKIP]
    while significant and not significant[0][0].isalpha():
        significant.pop(0)
    significant = significant or ["paper"]
    author = _ascii_words(meta.authors[0])[-1:] if meta.authors else []
    if author and not author[0][0].isalpha():
        author = []
    words = significant[:1] if author else significant[:2]
    return "".join([*author, str(meta.date_year or ""), *words])


def citation_keys(
    papers: Iterable[Paper], meta: dict[str, PaperMeta], recorded: dict[str, str] | None = None
) -> dict[str, str]:
    """Paper id -> a citation key no other paper of the catalogue has. ``recorded``
    (paper id -> key, from data/citation_keys.yaml) wins for its papers, and its keys are
    given to no other paper."""
    recorded = recorded or {}
    groups: dict[str, list[Paper]] = defaultdict(list)
    keys = {}
    for paper in papers:
        if paper.id in recorded:
            keys[paper.id] = recorded[paper.id]
        else:
            groups[base_key(paper, meta.get(paper.id))].append(paper)
    taken = set(groups) | set(recorded.values())
    for key, members in groups.items():
        if key in recorded.values():  # a recorded paper holds it: every member moves on
            members.sort(key=lambda p: ((meta.get(p.id) or PaperMeta()).published or "~", p.id))
            suffixes = (_suffix(n) for n in count(1))
            for paper in members:
                candidate = key + next(suffixes)
                while candidate in taken:
                    candidate = key + next(suffixes)
                taken.add(candidate)
                keys[paper.id] = candidate
            continue
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


# Venues that publish proceedings rather than a journal: the words, and the acronyms of
# the conferences that the catalogue's fields cite most.
_CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshops?|symposium|congress|colloquium|summit|"
    r"neurips|nips|iclr|icml|cvpr|iccv|eccv|acl|emnlp|naacl|eacl|coling|aaai|ijcai|kdd|"
    r"sigir|sigmod|siggraph|www|wsdm|recsys|interspeech|icassp|uai|aistats|colt|corl|icra|"
    r"iros|rss|miccai|wacv|bmvc|chi|uist|aamas|ecai|icde|vldb|osdi|sosp|nsdi|isca|"
    r"micro|asplos|mlsys|findings|lrec|conll|3dv|accv|icpr|ijcnn|idetc)\b",
    re.I,
)


def venue_kind(venue: str | None) -> str | None:
    """``conference`` or ``journal`` for a venue as a curator writes it ("ICLR 2024",
    "Nature Machine Intelligence", "TMLR"); None without one."""
    if not venue:
        return None
    return "conference" if _CONFERENCE.search(venue) else "journal"


def bibtex(paper: Paper, meta: PaperMeta | None, key: str) -> str:
    """A BibTeX entry from what is known: ``@inproceedings`` or ``@article`` when a
    venue is, else ``@misc`` with arXiv's eprint fields when the paper is on arXiv (the
    form arXiv's own "Export BibTeX citation" gives)."""
    meta = meta or PaperMeta()
    kind = venue_kind(meta.venue)
    entry = {"conference": "inproceedings", "journal": "article"}.get(kind or "", "misc")
    fields = [("title", "{" + _bib(paper.title) + "}")]
    if meta.authors:
        fields.append(("author", " and ".join(_bib(a) for a in meta.authors)))
    if meta.venue:
        fields.append(("booktitle" if kind == "conference" else "journal", _bib(meta.venue)))
    if meta.date_year:
        fields.append(("year", str(meta.date_year)))
    if meta.arxiv:
        fields += [("eprint", meta.arxiv_version), ("archivePrefix", "arXiv")]
        if meta.category:
            fields.append(("primaryClass", meta.category))
        fields.append(("url", f"https://arxiv.org/abs/{meta.arxiv_version}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry}{{{key},\n{body}\n}}"
