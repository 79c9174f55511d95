"""Deduplicate listing entries into papers, and give each paper a stable id.

The rule follows Zotero's: normalise the title (NFKC, casefold, accents off,
punctuation and whitespace runs to one space), match exactly, then veto. The
veto here is the abstract: the same title over a clearly different abstract is
two papers (both kept, each with its own id, reported to curators). Titles
that merely share an acronym ("FLoRA: ...", "A-SDM: ...") never match, because
the whole title is compared.

Ids are the slug of the first-seen title. "First seen" means first in
(listing file name, line) order, so ids do not depend on the order in which the
files happen to be read, and a dump added later (a higher file name) cannot
take an id an earlier paper already has. URLs are forever.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slugify import slugify

from generator.listings import Entry, Listing

if TYPE_CHECKING:
    from generator.curation import PaperMeta
    from generator.listing_meta import ListingMeta
    from generator.tagging import Taxonomy
from generator.problems import Problem, Severity
from generator.textfold import GREEK_NAMES, strip_accents

ID_MAX_LENGTH = 80
# Word-level similarity from which two abstracts under one title are one paper:
# re-scrapes differ by a fixed typo or a trailing sentence, distinct papers by far more.
SAME_ABSTRACT = 0.9
_RESERVED_IDS = {"index"}
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Appearance:
    """A paper's place in one listing: which dump, which line, which rank."""

    listing: str
    line: int
    position: int


@dataclass(frozen=True)
class Related:
    """A link to another paper, with how strongly and why it is related."""

    id: str
    score: float
    why: str


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    abstract: str
    appearances: tuple[Appearance, ...]
    tags: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    family: tuple[str, ...] = ()  # ids of papers sharing a distinctive name with this one
    mentions: tuple[str, ...] = ()  # ids of papers whose short name this abstract names

    @property
    def listings(self) -> tuple[str, ...]:
        """Listing file names, each once, in first-seen order."""
        return tuple(dict.fromkeys(a.listing for a in self.appearances))


@dataclass(frozen=True)
class Catalogue:
    papers: tuple[Paper, ...]  # in id order: deterministic whatever the input order
    listings: tuple[Listing, ...]  # in file-name order
    problems: tuple[Problem, ...] = ()
    taxonomy: Taxonomy | None = None  # the tag vocabulary, when the data has one
    meta: dict[str, PaperMeta] = field(default_factory=dict, compare=False)  # curated, by id
    redirects: dict[str, str] = field(default_factory=dict, compare=False)  # merged id -> id
    hidden: dict[str, tuple[Paper, str]] = field(default_factory=dict, compare=False)
    listing_meta: dict[str, ListingMeta] = field(default_factory=dict, compare=False)

    def by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    def listing_papers(self, listing: Listing) -> list[Paper]:
        """The listing's papers in the order the dump lists them."""
        index = {(a.listing, a.line): p for p in self.papers for a in p.appearances}
        keys = ((listing.name, e.line) for e in listing.entries)
        return [index[k] for k in keys if k in index]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def normalise(text: str) -> str:
    """The matching key of a title or abstract: case, accents and punctuation folded."""
    return _NON_WORD.sub(" ", strip_accents(unicodedata.normalize("NFKC", text).casefold())).strip()


def same_abstract(a: str, b: str) -> bool:
    """Near-identical normalised abstracts (fixed typo, trailing sentence) count as one."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return matcher.quick_ratio() >= SAME_ABSTRACT and matcher.ratio() >= SAME_ABSTRACT


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:6]


def make_id(title: str) -> str:
    # Greek letters are spelled out ("u-μP" -> "u-mup"), not shortened to "u-mp".
    return slugify(
        title,
        max_length=ID_MAX_LENGTH,
        word_boundary=True,
        save_order=True,
        replacements=[[c, n] for c, n in GREEK_NAMES.items()],
    )


def _cluster(entries: list[Entry]) -> list[list[Entry]]:
    """Split one title's entries into papers by abstract (first-seen order kept)."""
    if len(entries) == 1:
        return [entries]
    clusters: list[tuple[str, list[Entry]]] = []
    for entry in entries:
        key = normalise(entry.abstract)
        for rep, members in clusters:
            if same_abstract(rep, key):
                members.append(entry)
                break
        else:
            clusters.append((key, [entry]))
    return [members for _, members in clusters]


def _assign_ids(groups: list[list[Entry]]) -> list[str]:
    """Slug ids; on a collision the first-seen paper keeps the bare slug, the others
    get a suffix hashed from their own text, so no id depends on input order."""
    ids: list[str] = []
    taken: set[str] = set()
    for members in groups:
        first = members[0]
        base = make_id(first.title) or "paper"
        candidate = base
        if candidate in taken or candidate in _RESERVED_IDS or base == "paper":
            candidate = f"{base}-{_digest(normalise(first.title), normalise(first.abstract))}"
        ids.append(candidate)
        taken.add(candidate)
    return ids


def deduplicate(
    entries: Iterable[Entry], paths: dict[str, str] | None = None
) -> tuple[list[Paper], list[Problem]]:
    """Merge entries into papers. ``paths`` maps listing names to the paths messages show."""
    paths = paths or {}
    ordered = sorted(entries, key=lambda e: (e.listing, e.line))
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_title[normalise(entry.title)].append(entry)

    groups: list[list[Entry]] = []
    problems: list[Problem] = []
    for members in by_title.values():
        clusters = _cluster(members)
        groups.extend(clusters)
        if len(clusters) > 1:
            firsts = [c[0] for c in clusters]
            for e in firsts[1:]:
                problems.append(
                    Problem(
                        paths.get(e.listing, e.listing),
                        e.line,
                        f"same title as {paths.get(firsts[0].listing, firsts[0].listing)}:"
                        f"{firsts[0].line} but a different abstract: kept as a separate paper",
                        "if it is the same paper, merge the two ids with `same_as` in the curation"
                        " data; if not, mark them `not_same_as` to silence this notice",
                        Severity.NOTICE,
                    )
                )

    groups.sort(key=lambda g: (g[0].listing, g[0].line))
    papers = [
        Paper(
            id=pid,
            title=g[0].title,
            abstract=g[0].abstract,
            appearances=tuple(Appearance(e.listing, e.line, e.position) for e in g),
        )
        for pid, g in zip(_assign_ids(groups), groups, strict=True)
    ]
    papers.sort(key=lambda p: p.id)
    return papers, problems
