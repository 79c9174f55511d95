"""Machine-found metadata (``data/arxiv/<paper-id>.yaml``) beside curators' own.

``python -m generator enrich`` writes these files; the build reads them here and
merges them under the curation files, field by field: **a curator's value always
wins**. A curator's ``arxiv:`` naming another paper sets the whole machine record
aside (it describes a different paper), and ``arxiv: none`` sets it aside for good.

Below both come what a structured listing said of the paper (:class:`Listed`, from
``data/listings/*.yaml``): the arXiv API is the authority on authors and dates, the
listing fills what it lacks, and adds what only the listing knows (upvotes, code
and project links). The same rule holds: a record for another arXiv id than the
one the paper has is set aside.

A catalogue fed by enrich has one such file per paper: tens of thousands, each parsed
and validated again by every build, which made that the largest part of adding one
listing to a big catalogue. Each file's result is therefore kept by its bytes
(:func:`load_found` with a :class:`~generator.infra.cache.Kept`).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from generator.infra import keys
from generator.infra.cache import Kept
from generator.ingest.yaml_files import YamlDoc, load_yaml
from generator.model import Appearance, Listed, PaperMeta, Problem, Severity
from generator.text.files import DISK, Disk, regular_files

FOUND_DIR = "arxiv"
NOT_ON_ARXIV = "none"
LINK_KINDS = ("code", "project", "pdf")
_VERSION = re.compile(r"v(\d+)$")


def base_id(arxiv: str) -> str:
    """The identifier without its version: 2501.00656v2 -> 2501.00656."""
    return _VERSION.sub("", arxiv)


def bare_id(value: str | None) -> str | None:
    """ "arXiv:2501.00656v2" (as arXiv itself writes it) -> 2501.00656v2."""
    if value and value[:6].casefold() == "arxiv:":
        return value[6:]
    return value


Loaded = tuple[object, tuple[Problem, ...]]  # a file's data and its problems


def load_found(
    data_dir: Path, root: Path, files: Disk = DISK, kept: Kept[Loaded] | None = None
) -> tuple[dict[str, YamlDoc], list[Problem]]:
    """Every machine-found file, by paper id, validated against schemas/arxiv.schema.json.
    ``kept``: each file's data and problems by its bytes, from earlier builds. A kept
    file's :class:`YamlDoc` has no node tree: nothing asks a machine file for a line
    once it is loaded (its problems are found as it loads, with their lines)."""
    docs: dict[str, YamlDoc] = {}
    found, problems = regular_files(data_dir / FOUND_DIR, (".yaml",), root, files)
    for path in found:
        shown = str(path.relative_to(root))
        if kept is None:
            doc = load_yaml(path, "arxiv", shown, files)
        else:

            def load(path: Path = path, shown: str = shown) -> Loaded:
                doc = load_yaml(path, "arxiv", shown, files)
                return doc.data, tuple(doc.problems)

            data, found_problems = kept.get(keys.found_file(shown, files.read(path)), load)
            doc = YamlDoc(data, None, shown, list(found_problems))
        problems.extend(doc.problems)
        if isinstance(doc.data, dict) and not doc.problems:
            docs[path.stem] = doc
    return docs, problems


def stray_found(docs: dict[str, YamlDoc], ids: list[str]) -> list[Problem]:
    """Machine files whose paper is gone (merged away, renamed): worth deleting."""
    return [
        Problem(
            doc.path,
            0,
            f"no paper has the id {pid!r}",
            "delete this file (enrich writes a new one for the paper if it needs one)"
            + "".join(f"; did you mean {n}?" for n in difflib.get_close_matches(pid, ids, 1)),
            Severity.NOTICE,
        )
        for pid, doc in sorted(docs.items())
        if pid not in ids
    ]


def listed_for(
    appearances: tuple[Appearance, ...], listed: dict[tuple[str, int], tuple[str, Listed]]
) -> tuple[str, Listed] | None:
    """The newest thing a structured listing said of a paper, with the arXiv id it said
    it under: the latest fetch, then the last listing in file order."""
    said = [listed[k] for a in appearances if (k := (a.listing, a.line)) in listed]
    # max() keeps the first of equals: reversed, that is the last listing.
    return max(reversed(said), key=lambda pair: pair[1].fetched) if said else None


def paper_meta(
    curated: dict,
    found: YamlDoc | None,
    curated_file: bool,
    listed: tuple[str, Listed] | None = None,
) -> PaperMeta:
    """One paper's metadata: the curator's fields, then the machine's where the curator
    gave none (and only when the machine's record is of the same arXiv paper), then a
    structured listing's (on the same condition)."""
    arxiv = bare_id(curated.get("arxiv"))
    none = arxiv == NOT_ON_ARXIV
    record = found.data if found else {}
    if none or (arxiv and base_id(arxiv) != record.get("arxiv")):
        record = {}
    wanted = base_id(arxiv) if arxiv and not none else record.get("arxiv")
    facts = None
    if listed and not none and wanted in (None, listed[0]):
        facts = listed[1]
    said = (
        {
            "arxiv": listed[0],
            "authors": list(facts.authors) or None,
            "published": facts.published,
        }
        if facts and listed
        else {}
    )
    taken: list[str] = []
    from_listing: list[str] = []

    def pick(key: str, machine_key: str | None = None) -> object:
        if key in curated:
            return curated[key]
        value = record.get(machine_key or key)
        if value is not None:
            taken.append(key)
            return value
        value = said.get(key)
        if value is not None:
            from_listing.append(key)
        return value

    if arxiv and not none:
        version = int(v.group(1)) if (v := _VERSION.search(arxiv)) else record.get("version")
        arxiv = base_id(arxiv)
    else:
        arxiv, version = (None, None) if none else (pick("arxiv"), record.get("version"))
    links = dict(curated.get("links", {}))
    for kind in ("code", "project"):
        if kind not in links and facts and getattr(facts, kind):
            links[kind] = getattr(facts, kind)
            from_listing.append(kind)
    published = record.get("published")
    if published is None and said.get("published"):
        published = said["published"]
        from_listing.append("published")
    return PaperMeta(
        arxiv=arxiv,
        version=version,
        authors=tuple(pick("authors") or ()),
        year=curated.get("year"),
        published=published,
        updated=record.get("updated"),
        category=record.get("category"),
        venue=curated.get("venue"),
        links=tuple((k, links[k]) for k in LINK_KINDS if k in links),
        pdf=record.get("pdf_url"),
        note=curated.get("note"),
        curated=curated_file,
        found=tuple(taken) + tuple(k for k in ("published", "category") if record.get(k)),
        not_on_arxiv=none,
        listed=tuple(from_listing),
        listed_from=f"{facts.source}, fetched {facts.fetched}" if facts else None,
        upvotes=facts.upvotes if facts else None,
        upvoted=facts.fetched if facts and facts.upvotes is not None else None,
    )
