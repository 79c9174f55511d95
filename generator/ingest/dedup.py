"""Deduplicate listing entries into papers, and give each paper a stable id.

The rule follows Zotero's: normalise the title (NFKC, casefold, accents off,
punctuation and whitespace runs to one space), match exactly, then veto. The
veto here is the abstract: the same title over a clearly different abstract is
two papers (both kept, each with its own id, reported to curators). Titles
that merely share an acronym ("FLoRA: ...", "A-SDM: ...") never match, because
the whole title is compared.

**Id first.** An entry from a structured listing carries its arXiv id, and entries
with one id are one paper whatever their titles' spelling; two different ids are
never one paper, even under one title. An entry with an id also joins a paper it
shares no entry with when the curators' or ``enrich``'s files already give that paper
the id (``known``: arXiv id -> paper id), so a day re-listing a seed paper under
another spelling merges into it. The title rule stays for entries without ids.

Ids are the slug of the first-seen title. "First seen" means first in
(listing file name, line) order, so ids do not depend on the order in which the
files happen to be read, and a dump added later (a higher file name) cannot
take an id an earlier paper already has. URLs are forever.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

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


def _split_by_id(cluster: list[Entry]) -> list[list[Entry]]:
    """One title cluster split where it holds several arXiv ids: each id its own paper
    (entries without an id stay with the first)."""
    by_id: dict[str | None, list[Entry]] = {}
    for entry in cluster:
        by_id.setdefault(entry.arxiv, []).append(entry)
    if len([k for k in by_id if k]) < 2:
        return [cluster]
    loose = by_id.pop(None, [])
    parts = list(by_id.values())
    parts[0] = sorted(parts[0] + loose, key=lambda e: (e.listing, e.line))
    return parts


def deduplicate(
    entries: Iterable[Entry], known: Mapping[str, str] | None = None
) -> tuple[list[Paper], list[Clash]]:
    """Merge entries into papers (in id order); also return the title clashes found:
    same title, different abstract, kept as separate papers. ``known`` maps arXiv ids
    to the paper ids curators' and ``enrich``'s files give them."""
    ordered = sorted(entries, key=lambda e: (e.listing, e.line))
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_title[match_key(entry.title)].append(entry)

    groups: list[list[Entry]] = []
    clashing: list[list[list[Entry]]] = []
    for members in by_title.values():
        clusters = [part for c in _cluster(members) for part in _split_by_id(c)]
        groups.extend(clusters)
        if len(clusters) > 1:
            clashing.append(clusters)

    # Id first: groups sharing an arXiv id are one paper, whatever their titles. (Each
    # group holds one id at most: _split_by_id saw to it.)
    first_with: dict[str, int] = {}
    into: dict[int, int] = {}  # group index -> the first group with its id
    for i, group in enumerate(groups):
        arxiv = next((e.arxiv for e in group if e.arxiv), None)
        if arxiv is not None:
            into[i] = first_with.setdefault(arxiv, i)
    for i, j in into.items():
        if i != j:
            groups[j] = sorted(groups[j] + groups[i], key=lambda e: (e.listing, e.line))
    kept = [g for i, g in enumerate(groups) if into.get(i, i) == i]

    kept.sort(key=lambda g: (g[0].listing, g[0].line))
    group_ids = _assign_ids(kept)
    # A group whose id the files give to another paper joins that paper, which keeps
    # its id, title and abstract (the group's first entry may sort earlier). Ids are
    # assigned before the join: fetched listings sort after the dumps, so a joining
    # group never took an existing paper's id.
    by_pid = dict(zip(group_ids, range(len(kept)), strict=True))
    lead = {i: g[0] for i, g in enumerate(kept)}
    joined: set[int] = set()
    for i, group in enumerate(kept):
        ids = {e.arxiv for e in group if e.arxiv}
        target = by_pid.get((known or {}).get(next(iter(ids)), "")) if len(ids) == 1 else None
        if target is None or target == i or target in joined:
            continue
        if {e.arxiv for e in kept[target] if e.arxiv} - ids:
            continue  # that paper has another id: never two arXiv papers in one
        kept[target] = sorted(kept[target] + group, key=lambda e: (e.listing, e.line))
        joined.add(i)
    paper_of = {
        (e.listing, e.line): group_ids[i] for i, g in enumerate(kept) if i not in joined for e in g
    }
    papers = [
        Paper(
            id=group_ids[i],
            title=lead[i].title,
            abstract=lead[i].abstract,
            appearances=tuple(_appearance(e) for e in g),
        )
        for i, g in enumerate(kept)
        if i not in joined
    ]
    papers.sort(key=lambda p: p.id)
    clashes = []
    for c in clashing:
        first = paper_of[(c[0][0].listing, c[0][0].line)]
        for other in c[1:]:
            pid = paper_of[(other[0].listing, other[0].line)]
            if pid != first:
                clashes.append(Clash(first, pid, _appearance(c[0][0]), _appearance(other[0])))
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
