"""Curators' edits, one YAML file per paper: ``data/curation/papers/<paper-id>.yaml``.

One file per paper keeps every pull request small and local: fixing one title
touches one file, and two curators editing two papers never conflict. The file
name is the paper's id; the keys (all optional, see
``generator/schemas/curation.schema.json``) fix the shown title, add or remove
tags, merge duplicates (``same_as``), silence a title-clash notice
(``not_same_as``), hide a paper with a reason, and add what listings lack:
arXiv id, authors, year, venue, code/project/PDF links, a note.

Ids never change: a fixed title keeps its URL, and a merged paper's URL becomes
a redirect to the paper it was merged into. Every mistake is reported at its
file and line with what to do (the closest ids for an unknown one, the valid
tags for an unknown tag, the members of a merge cycle).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.curate.arxiv_meta import listed_for, paper_meta
from generator.ingest.yaml_files import Understood, YamlDoc, load_yaml
from generator.model import Clash, Listed, Paper, PaperMeta, Problem, Severity
from generator.text.files import DISK, Disk, regular_files
from generator.text.fold import match_key
from generator.text.latex import readable

CURATION_DIR = "curation/papers"


@dataclass(frozen=True)
class Curation:
    """The outcome of applying every curation file."""

    papers: list[Paper]  # curated and tagged, hidden and merged-away papers left out
    meta: dict[str, PaperMeta]
    redirects: dict[str, str]  # merged-away id -> id it now lives at
    hidden: dict[str, tuple[Paper, str]]  # id -> (paper, reason)
    problems: list[Problem] = field(default_factory=list)
    distinct: set[frozenset[str]] = field(default_factory=set)  # not_same_as pairs

    def worth_reporting(self, clashes: list[Clash]) -> list[Clash]:
        """The title clashes no curator has marked ``not_same_as``."""
        return [c for c in clashes if frozenset((c.first, c.other)) not in self.distinct]


def _closest(pid: str, ids: list[str]) -> str:
    near = difflib.get_close_matches(pid, ids, n=3, cutoff=0.5)
    return f"did you mean {', '.join(near)}?" if near else "check the id in the paper's URL"


# An arXiv abstract or PDF page's address, pasted where the id belongs.
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)(?:\.pdf)?/?$"
)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def understood(data: object) -> Understood:
    """Read two common slips as meant, before the schema sees them: an arXiv URL where
    the id belongs, and a year in quotes. Each stays a notice, so the file gets fixed."""
    if not isinstance(data, dict):
        return []
    found: Understood = []
    arxiv = data.get("arxiv")
    if isinstance(arxiv, str) and (match := _ARXIV_URL.match(arxiv.strip())):
        data["arxiv"] = match.group(1)
        found.append(
            (
                ["arxiv"],
                f"arxiv: read the URL as the arXiv id {match.group(1)}",
                f'write the id alone: arxiv: "{match.group(1)}"',
            )
        )
    year = data.get("year")
    if isinstance(year, str) and (match := _YEAR.match(year)):
        data["year"] = int(match.group(1))
        found.append(
            (
                ["year"],
                f"year: read {year!r} as the year {match.group(1)}",
                f"write it as a number, without quotes: year: {match.group(1)}",
            )
        )
    return found


def load_curation(
    data_dir: Path, root: Path, files: Disk = DISK
) -> tuple[dict[str, YamlDoc], list[Problem]]:
    docs: dict[str, YamlDoc] = {}
    found, problems = regular_files(data_dir / CURATION_DIR, (".yaml", ".yml"), root, files)
    for path in found:
        doc = load_yaml(path, "curation", str(path.relative_to(root)), files, understood)
        problems.extend(doc.problems)
        if isinstance(doc.data, dict) and not any(p.is_error for p in doc.problems):
            docs[path.stem] = doc
        elif doc.data is None and not any(p.is_error for p in doc.problems):
            docs[path.stem] = YamlDoc({}, doc.root, doc.path, [])  # an empty file: no edits
    return docs, problems


def _merge_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Cycles in the same_as graph (A same_as B, B same_as A): each as its members."""
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in edges.get(node, []):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt) :] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return cycles


def apply_curation(
    papers: list[Paper],
    docs: dict[str, YamlDoc],
    tags_for: Callable[[Paper], tuple[str, ...]],
    valid_tags: list[str] | None,
    excused: frozenset[str] = frozenset(),
    found: dict[str, YamlDoc] | None = None,
    read: Callable[[Paper], Paper] = readable,
    listed: dict[tuple[str, int], tuple[str, Listed]] | None = None,
) -> Curation:
    """Apply every curation file, in one pass per paper: merges, the title fix, then
    the taxonomy's tags for the curated text (``tags_for``) and the curator's tag
    edits on top, the metadata, and hiding. Tagging is passed in, not imported, so
    curation knows nothing of how tags are found (or cached).

    ``valid_tags`` is None when the taxonomy did not load, and ``excused`` names tags
    whose own definition is broken: their errors are the taxonomy's to report, so tag
    edits naming them are not reported again as "unknown". ``found`` holds the
    machine-found metadata files (:mod:`generator.curate.arxiv_meta`), merged under the
    curator's; ``listed`` what structured listings say of the paper at each (listing,
    line), with the arXiv id they say it under, merged under both."""
    found = found or {}
    listed = listed or {}
    by_id = {p.id: p for p in papers}
    ids = sorted(by_id)
    problems: list[Problem] = []
    known = {pid: doc for pid, doc in docs.items() if pid in by_id}
    for pid, doc in docs.items():
        if pid not in by_id:
            problems.append(
                Problem(
                    doc.path,
                    0,
                    f"no paper has the id {pid!r}",
                    f"rename the file: {_closest(pid, ids)}",
                )
            )

    # Merges: validate targets, refuse cycles, then move appearances.
    edges: dict[str, list[str]] = {}
    for pid, doc in known.items():
        if "hidden" in doc.data and doc.data.get("same_as"):
            # The merged papers' URLs would redirect to a page left out of the
            # catalogue: refused here, so check fails where the build would.
            problems.append(
                doc.problem(
                    ["same_as"],
                    "a hidden paper cannot take other papers with same_as",
                    "remove same_as, or hide each of those papers in its own file",
                )
            )
            continue
        for i, other in enumerate(doc.data.get("same_as", [])):
            if other in known and "hidden" in known[other].data:
                problems.append(
                    doc.problem(
                        ["same_as", i],
                        f"{other!r} is hidden: merged away, it would never be hidden",
                        f"remove this id, or `hidden` from data/{CURATION_DIR}/{other}.yaml",
                    )
                )
            elif other == pid:
                problems.append(
                    doc.problem(
                        ["same_as", i], "a paper cannot be the same as itself", "remove this id"
                    )
                )
            elif other not in by_id:
                problems.append(
                    doc.problem(
                        ["same_as", i], f"no paper has the id {other!r}", _closest(other, ids)
                    )
                )
            else:
                edges.setdefault(pid, []).append(other)
    cyclic: set[str] = set()
    for cycle in _merge_cycles(edges):
        cyclic |= set(cycle)
        first = known[cycle[0]]
        problems.append(
            first.problem(
                ["same_as"],
                "merge cycle: " + " -> ".join([*cycle, cycle[0]]),
                "keep same_as in one of these files only",
            )
        )
    redirects: dict[str, str] = {}
    for pid, others in edges.items():
        if pid in cyclic:
            continue
        for other in others:
            # Refusing to merge away a paper that has merges of its own keeps every
            # redirect one step long: no chains to follow, here or in the pages.
            if other in redirects or other in edges:
                message, hint = (
                    (f"{other!r} is merged more than once", "merge each paper into one paper only")
                    if other in redirects
                    else (
                        f"{other!r} has same_as entries of its own",
                        f"move them into this file and delete data/{CURATION_DIR}/{other}.yaml",
                    )
                )
                problems.append(known[pid].problem(["same_as"], message, hint))
                continue
            redirects[other] = pid

    merged: dict[str, list] = {pid: list(p.appearances) for pid, p in by_id.items()}
    for gone, target in redirects.items():
        merged[target].extend(merged.pop(gone))

    # Per-paper edits.
    meta: dict[str, PaperMeta] = {}
    hidden: dict[str, tuple[Paper, str]] = {}
    distinct: set[frozenset[str]] = set()
    out: list[Paper] = []
    for pid in ids:
        if pid in redirects:
            continue
        paper = replace(
            by_id[pid], appearances=tuple(sorted(merged[pid], key=lambda a: (a.listing, a.line)))
        )
        doc = known.get(pid)
        data = doc.data if doc else {}
        if "title" in data:
            paper = replace(paper, title=" ".join(data["title"].split()), title_source=None)
        if "abstract" in data:
            abstract = " ".join(data["abstract"].split())
            paper = replace(paper, abstract=abstract, abstract_source=None)
        paper = read(paper)
        for i, other in enumerate(data.get("not_same_as", [])):
            if other not in by_id:
                problems.append(
                    doc.problem(
                        ["not_same_as", i], f"no paper has the id {other!r}", _closest(other, ids)
                    )
                )
            distinct.add(frozenset((pid, other)))
        tags = tags_for(paper)
        if doc and data.get("tags"):
            tags = _edit_tags(tags, data["tags"], valid_tags, excused, doc, problems)
        paper = replace(paper, tags=tags)
        said = listed_for(paper.appearances, listed)
        meta[pid] = paper_meta(data, found.get(pid), doc is not None, said)
        if "hidden" in data:
            hidden[pid] = (paper, data["hidden"])
            continue
        out.append(paper)
    problems.extend(_retitle_clashes(out, known, distinct))
    return Curation(out, meta, redirects, hidden, problems, distinct)


def _retitle_clashes(
    papers: list[Paper], docs: dict[str, YamlDoc], distinct: set[frozenset[str]]
) -> list[Problem]:
    """A curator's title that is another paper's title, as dedup folds titles: the same
    notice a scraped clash gets (see generator/ingest/dedup.py), at the ``title:`` line."""
    by_key: dict[str, list[str]] = {}
    for paper in papers:
        by_key.setdefault(match_key(paper.title), []).append(paper.id)
    problems = []
    for paper in papers:
        doc = docs.get(paper.id)
        if doc is None or "title" not in doc.data:
            continue
        for other in by_key[match_key(paper.title)]:
            if other == paper.id or frozenset((paper.id, other)) in distinct:
                continue
            problems.append(
                Problem(
                    doc.path,
                    doc.line("title"),
                    f"same title as {other} (after this retitle): kept as a separate paper",
                    f"if it is the same paper, merge {paper.id} into {other} with `same_as` in"
                    " the curation data; if not, mark them `not_same_as` to silence this notice",
                    Severity.NOTICE,
                )
            )
    return problems


def _edit_tags(
    tags: tuple[str, ...],
    edits: dict,
    valid: list[str] | None,
    excused: frozenset[str],
    doc: YamlDoc,
    problems: list[Problem],
) -> tuple[str, ...]:
    """A curator's ``tags: {add, remove}`` over the taxonomy's tags. An unknown name, a
    tag both added and removed, and an edit that changes nothing (removing a tag the
    rules do not give, adding one they do) are errors: each is a curator's mistake
    that would otherwise pass in silence."""
    add, remove = edits.get("add", []), edits.get("remove", [])
    for i, name in enumerate(add):
        if name in remove:
            problems.append(
                doc.problem(
                    ["tags", "add", i],
                    f"tag {name!r} is both added and removed",
                    "keep it in one of the two lists",
                )
            )
    if valid is None:
        return tags  # the taxonomy did not load: its error is reported, edits wait for it
    allowed = set(valid)
    for kind, names in (("add", add), ("remove", remove)):
        for i, name in enumerate(names):
            if name in excused or (name in add and name in remove):
                continue
            if name not in allowed:
                near = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
                hint = f"did you mean {near[0]}? " if near else ""
                message, hint = (
                    f"unknown tag {name!r}",
                    f"{hint}valid tags: {', '.join(sorted(allowed))}",
                )
            elif kind == "remove" and name not in tags:
                message, hint = (
                    f"the taxonomy's rules do not give this paper {name!r}: nothing to remove",
                    "delete this line",
                )
            elif kind == "add" and name in tags:
                message, hint = (
                    f"the taxonomy's rules already give this paper {name!r}",
                    "delete this line",
                )
            else:
                continue
            problems.append(doc.problem(["tags", kind, i], message, hint))
    kept = [t for t in tags if t not in remove]
    return tuple(kept + [t for t in add if t in allowed and t not in tags and t not in remove])


def unreadable_notices(
    curated: list[Paper],
    scraped: list[Paper],
    docs: dict[str, YamlDoc],
    paths: dict[str, str],
    unreadable: Callable[[str], bool],
) -> list[Problem]:
    """A notice for each shown title or abstract whose LaTeX the parser could not read
    (it is shown as written): at the curation file's key when a curator wrote it, else
    at the paper's first line in the dumps, where its text comes from."""
    first = {p.id: p.appearances[0] for p in scraped}
    problems = []
    for paper in curated:
        doc = docs.get(paper.id)
        for name, text in (("title", paper.written_title), ("abstract", paper.written_abstract)):
            if not unreadable(text):
                continue
            message = (
                f"the {name} holds LaTeX the reader cannot parse (a macro such as \\href,"
                " \\sqrt or \\footnote without its arguments): it is shown exactly as written"
            )
            if doc is not None and name in doc.data:
                where = (doc.path, doc.line(name))
                hint = f"write the {name} as it should read in this file"
            else:
                at = first[paper.id]
                where = (paths.get(at.listing, at.listing), at.line)
                hint = f"if it reads wrongly, set `{name}:` in data/{CURATION_DIR}/{paper.id}.yaml"
            problems.append(Problem(*where, message, hint, Severity.NOTICE))
    return problems
