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
from collections import defaultdict
from collections.abc import Iterable

from slugify import slugify

from generator.model import Appearance, Clash, Entry, Paper, Problem, Severity
from generator.text.fold import GREEK_NAMES, match_key

ID_MAX_LENGTH = 80
# Word-level similarity from which two abstracts under one title are one paper:
# re-scrapes differ by a fixed typo or a trailing sentence, distinct papers by far more.
SAME_ABSTRACT = 0.9
_RESERVED_IDS = {"index"}


def word_similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How much of two normalised texts is the same words in the same order (0-1);
    0 as soon as the cheap upper bound shows it is under ``floor``."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    return 0.0 if matcher.quick_ratio() < floor else matcher.ratio()


def same_abstract(a: str, b: str) -> bool:
    """Near-identical normalised abstracts (fixed typo, trailing sentence) count as one."""
    return word_similarity(a, b, SAME_ABSTRACT) >= SAME_ABSTRACT


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
        key = match_key(entry.abstract)
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
            candidate = f"{base}-{_digest(match_key(first.title), match_key(first.abstract))}"
        ids.append(candidate)
        taken.add(candidate)
    return ids


def deduplicate(entries: Iterable[Entry]) -> tuple[list[Paper], list[Clash]]:
    """Merge entries into papers (in id order); also return the title clashes found:
    same title, different abstract, kept as separate papers."""
    ordered = sorted(entries, key=lambda e: (e.listing, e.line))
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_title[match_key(entry.title)].append(entry)

    groups: list[list[Entry]] = []
    clashing: list[list[list[Entry]]] = []
    for members in by_title.values():
        clusters = _cluster(members)
        groups.extend(clusters)
        if len(clusters) > 1:
            clashing.append(clusters)

    groups.sort(key=lambda g: (g[0].listing, g[0].line))
    ids = {id(g[0]): pid for pid, g in zip(_assign_ids(groups), groups, strict=True)}
    papers = [
        Paper(
            id=ids[id(g[0])],
            title=g[0].title,
            abstract=g[0].abstract,
            appearances=tuple(_appearance(e) for e in g),
        )
        for g in groups
    ]
    papers.sort(key=lambda p: p.id)
    clashes = [
        Clash(ids[id(c[0][0])], ids[id(other[0])], _appearance(c[0][0]), _appearance(other[0]))
        for c in clashing
        for other in c[1:]
    ]
    return papers, clashes


def clash_problem(clash: Clash, paths: dict[str, str]) -> Problem:
    """The notice a curator reads for a title clash, at the later paper's line."""
    first, other = clash.first_at, clash.other_at
    return Problem(
        paths.get(other.listing, other.listing),
        other.line,
        f"same title as {paths.get(first.listing, first.listing)}:{first.line}"
        " but a different abstract: kept as a separate paper",
        f"if it is the same paper, merge {clash.other} into {clash.first} with `same_as` in"
        " the curation data; if not, mark them `not_same_as` to silence this notice",
        Severity.NOTICE,
    )


def _appearance(entry: Entry) -> Appearance:
    return Appearance(entry.listing, entry.line, entry.position)
