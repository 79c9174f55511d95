"""Structured listings: a listing fetched from its source, with each paper's metadata.

The third listing layout, beside the two text dumps of :mod:`generator.ingest.listings`
(which are unchanged). ``python -m generator fetch hf-daily`` writes one file per
listing, ``data/listings/hf-daily-YYYY-MM-DD.yaml`` (schema:
``generator/schemas/structured-listing.schema.json``), holding per paper what Hugging
Face Papers said of it: arXiv id, title, abstract, authors, publication date, upvotes
at fetch time, code and project links. Each paper becomes an :class:`Entry` like a
dump's, plus its arXiv id (dedup matches it before any title) and a :class:`Listed`
record that curation merges under the curator's and arXiv's values.

YAML rather than JSON so a reviewer reads the diff of a pull request line by line
and every problem names its line (the file goes through the same loader, schema
check and control-character checks as every curator file: it is data under review).
"""

from __future__ import annotations

from pathlib import Path

from generator.ingest.listing_meta import date_text
from generator.ingest.listings import ParseResult
from generator.ingest.yaml_files import load_yaml
from generator.model import STRUCTURED_LAYOUT, Entry, Listed, Listing, ListingMeta, Problem
from generator.text.files import Disk

SCHEMA = "structured-listing"
SOURCE_NAME = "Hugging Face Papers API"


class _OneFile(Disk):
    """A single file's bytes, already read (from the build's snapshot), as a Disk."""

    def __init__(self, path: Path, raw: bytes):
        self.path, self.raw = path, raw

    def is_link(self, path: Path) -> bool:
        return False

    def is_file(self, path: Path) -> bool:
        return path == self.path

    def exists(self, path: Path) -> bool:
        return path == self.path

    def size(self, path: Path) -> int:
        return len(self.raw)

    def read(self, path: Path) -> bytes:
        return self.raw


def _squash(text: str) -> str:
    return " ".join(text.split())


def parse_structured(raw: bytes, name: str, path: str | None = None) -> ParseResult:
    """One structured listing's bytes as a :class:`ParseResult`: its papers as entries,
    what it says of itself as ``Listing.about``. A file that fails its schema gives its
    problems (each at its line) and no papers: half a machine-written file is not
    something to guess at."""
    shown = path or name
    doc = load_yaml(Path(name), SCHEMA, shown, _OneFile(Path(name), raw))
    empty = Listing(name, shown, STRUCTURED_LAYOUT, None, ())
    if doc.problems or not isinstance(doc.data, dict):
        return ParseResult(empty, list(doc.problems))
    data = doc.data
    fetched = data["fetched"]
    about = ListingMeta(
        title=f"Hugging Face Papers, {date_text(data['date'])}",
        date=data["date"],
        added=fetched,
        source=data.get("page"),
    )
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["papers"]):
        line = doc.line("papers", i)
        if item["arxiv"] in seen:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"arXiv {item['arxiv']} is listed twice (first at line {seen[item['arxiv']]})",
                    "delete one of the two entries",
                )
            )
            continue
        seen[item["arxiv"]] = line
        listed = Listed(
            source=data["source"],
            fetched=fetched,
            authors=tuple(_squash(a) for a in item.get("authors", ())),
            published=item.get("published"),
            upvotes=item.get("upvotes"),
            code=item.get("code"),
            project=item.get("project"),
        )
        entries.append(
            Entry(
                _squash(item["title"]),
                _squash(item["abstract"]),
                name,
                line,
                len(entries) + 1,
                arxiv=item["arxiv"],
                listed=listed,
            )
        )
    listing = Listing(name, shown, STRUCTURED_LAYOUT, data["date"], tuple(entries), about)
    return ParseResult(listing, problems)
