"""Parse listing dumps copied from Hugging Face Papers pages into entries.

Two layouts occur in the wild, and a dump may be saved with or without a BOM,
with LF or CRLF endings and with stray whitespace:

* **trending** (the e-mail digest): two header lines, then title and abstract
  on alternating lines, the first title glued to the ``Subscribe`` button text::

      Get trending papers in your email inbox once a day!
      Get trending papers in your email inbox!
      SubscribeFirst Title
      First abstract ...

* **daily** (a day's page): blank-line separated blocks — ``new``, the e-mail
  banner, ``Subscribe``, ``byAK and the research community``, a date such as
  ``Mar 14`` — then title block, abstract block, title block, ...

Both come down to the same thing once blank lines are dropped: a header, then
title/abstract pairs. A pair that is out of step (a title with no abstract, an
abstract with no title) is reported at its line and skipped; the rest of the
dump is kept, because losing 200 papers over one bad paste helps nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import LISTING_SUFFIX, Entry, Listing, Problem

_BANNER = re.compile(r"^get trending papers in your email inbox( once a day)?!?$", re.I)
_BOILERPLATE = {"new", "byak and the research community", "subscribe"}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(,?\s+\d{{4}})?$", re.I)
_SUBSCRIBE = "Subscribe"
_SPACES = re.compile(r"\s+")
# A sentence break: end punctuation, optional closing quote/bracket, space, a capital.
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z(\[]")
# Real titles are at most ~200 characters and real abstracts at least ~400
# (measured on the seeds: 194 and 400); the gap leaves room for both.
_LONGEST_TITLE = 300


@dataclass
class ParseResult:
    listing: Listing
    problems: list[Problem] = field(default_factory=list)


def clean(text: str) -> str:
    """Fold whitespace runs (tabs, NBSP, doubled spaces) to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def looks_like_abstract(line: str) -> bool:
    """True for a line that reads as an abstract rather than a title."""
    if len(line) > _LONGEST_TITLE:
        return True
    # A shorter line is an abstract when it is made of sentences; a title may hold
    # one break ("How Many Parameters ...? Evaluating ..."), never two and a full stop.
    return line.endswith(".") and len(_SENTENCE_BREAK.findall(line)) >= 2


def _decode(raw: bytes, path: str, problems: list[Problem]) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                path,
                line,
                f"not valid UTF-8 (byte {raw[exc.start]:#04x})",
                "save the file as UTF-8; the bad characters are shown as \ufffd meanwhile",
            )
        )
        text = raw.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers, whitespace folded."""
    return [(n, clean(s)) for n, s in enumerate(text.split("\n"), start=1) if s.strip()]


def _split_header(lines: list[tuple[int, str]]) -> tuple[str, str | None, list[tuple[int, str]]]:
    """Consume the page boilerplate; return (layout, date, remaining lines)."""
    layout, date = "trending", None
    i = 0
    while i < len(lines):
        _, text = lines[i]
        low = text.casefold()
        if _BANNER.match(text) or low in _BOILERPLATE:
            if low == "byak and the research community":
                layout = "daily"
            i += 1
        elif _DATE.match(text):
            layout, date = "daily", text
            i += 1
        else:
            break
    rest = lines[i:]
    # The trending layout glues the first title to the Subscribe button's text.
    if rest and rest[0][1].startswith(_SUBSCRIBE) and len(rest[0][1]) > len(_SUBSCRIBE):
        n, text = rest[0]
        rest = [(n, text[len(_SUBSCRIBE) :].strip()), *rest[1:]]
    return layout, date, rest


def parse_text(raw: bytes, name: str, path: str | None = None) -> ParseResult:
    """Parse one dump's bytes. ``name`` is the file name, ``path`` what messages show."""
    path = path or name
    problems: list[Problem] = []
    layout, date, lines = _split_header(_numbered_lines(_decode(raw, path, problems)))

    entries: list[Entry] = []
    i = 0
    while i < len(lines):
        n, title = lines[i]
        if looks_like_abstract(title):
            problems.append(
                Problem(
                    path,
                    n,
                    "an abstract with no title before it (the dump is out of step here)",
                    "put the paper's title on the line above this abstract, or delete the abstract",
                )
            )
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        after = lines[i + 2] if i + 2 < len(lines) else None
        # The next line is this title's abstract unless it is itself a title
        # followed by an abstract: then this title lost its abstract.
        missing = nxt is None or (
            not looks_like_abstract(nxt[1]) and after is not None and looks_like_abstract(after[1])
        )
        if missing:
            problems.append(
                Problem(
                    path,
                    n,
                    f"the title {title[:60]!r} has no abstract",
                    "paste the abstract on the line after the title, or delete the title",
                )
            )
            i += 1
            continue
        entries.append(Entry(title, nxt[1], name, n, len(entries) + 1))
        i += 2

    if not entries and not problems:
        problems.append(
            Problem(
                path,
                0,
                "no papers found in this dump",
                "check it is a Hugging Face Papers listing copied as text",
            )
        )
    return ParseResult(Listing(name, path, layout, date, tuple(entries)), problems)


def parse_file(path: Path, root: Path | None = None) -> ParseResult:
    """Parse one dump file; ``root`` makes the path in messages repository-relative."""
    shown = str(path.relative_to(root)) if root else str(path)
    return parse_text(path.read_bytes(), path.name, shown)


def listing_files(listings_dir: Path) -> list[Path]:
    """Every dump in the folder, sorted by name so the result never depends on disk order."""
    if not listings_dir.is_dir():
        return []
    return sorted(p for p in listings_dir.iterdir() if p.suffix == LISTING_SUFFIX and p.is_file())


def parse_all(paths: Iterable[Path], root: Path | None = None) -> list[ParseResult]:
    return [parse_file(p, root) for p in sorted(paths, key=lambda p: p.name)]
