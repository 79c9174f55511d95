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
title/abstract pairs. Lines are paired by structure (they alternate) and by content
together: each line reads as a title, an abstract, or either (a one-sentence
abstract), and a title is never taken for another title's abstract. A pair that
is out of step (a title with no abstract, an abstract with no title, a dump cut off
mid-abstract) is reported at its line and skipped; the rest of the dump is kept,
because losing 200 papers over one bad paste helps nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import LISTING_SUFFIX, STRUCTURED_SUFFIX, Entry, Listing, Problem
from generator.text.files import CONTROL, DISK, Disk, decode, regular_files

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
# How an abstract ends when it was not cut off: a sentence, a bracket or quote, a link.
_SENTENCE_END = (".", "!", "?", ")", "]", '"', "'", "\u201d", "\u2019")
_ENDS_WHOLE = re.compile(f"[{re.escape(''.join(_SENTENCE_END))}]$|\\S+/\\S*$")


@dataclass
class ParseResult:
    listing: Listing
    problems: list[Problem] = field(default_factory=list)


def clean(text: str) -> str:
    """Fold whitespace runs (tabs, NBSP, doubled spaces) to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def _kind(line: str) -> str:
    """ "abstract" for a line made of sentences: a title may hold one break ("How Many
    Parameters ...? Evaluating ..."), never two, and a long line needs the two as well
    (a 320-character title is still a title). "title" for a line that cannot be an
    abstract: fewer than two sentences and no closing full stop (no title in the seeds
    ends with one; a short abstract always does). "either" for the rest, such as a
    one-sentence abstract."""
    breaks = len(_SENTENCE_BREAK.findall(line))
    if breaks >= 2 and (line.endswith(_SENTENCE_END) or len(line) > _LONGEST_TITLE):
        return "abstract"
    return "title" if breaks < 2 and not line.endswith(".") else "either"


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
    text, problems = decode(raw, path)
    if text is None:  # another encoding or a binary: one error, no papers
        return ParseResult(Listing(name, path, "trending", None, ()), problems)
    layout, date, lines = _split_header(_numbered_lines(text))
    tainted = {n for n, line in lines if CONTROL.search(line)}  # reported by decode
    kinds = [_kind(line) for _, line in lines]  # each line classified once

    entries: list[Entry] = []
    i = 0
    while i < len(lines):
        n, title = lines[i]
        if kinds[i] == "abstract":
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
        nxt = kinds[i + 1] if i + 1 < len(lines) else None
        after = kinds[i + 2] if i + 2 < len(lines) else None
        # The next line is this title's abstract unless it is a title itself, or could
        # be one and has an abstract of its own after it.
        missing = nxt in (None, "title") or (nxt == "either" and after == "abstract")
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
        m, abstract = lines[i + 1]
        i += 2
        if i >= len(lines) and not _ENDS_WHOLE.search(abstract):
            problems.append(
                Problem(
                    path,
                    m,
                    f"the last abstract ends mid-sentence ({abstract[-30:]!r}): "
                    "the dump looks cut off",
                    "copy the listing again and paste all of it",
                )
            )
            continue
        if n in tainted or m in tainted:
            continue  # the control character is reported at its line
        entries.append(Entry(title, abstract, name, n, len(entries) + 1))

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


def listing_files(
    listings_dir: Path, root: Path, files: Disk = DISK
) -> tuple[list[Path], list[Problem]]:
    """Every dump in the folder (text dumps and structured listings), sorted by name so
    the result never depends on disk order; symbolic links are reported, never followed."""
    return regular_files(listings_dir, (LISTING_SUFFIX, STRUCTURED_SUFFIX), root, files)


def parse_all(paths: Iterable[Path], root: Path | None = None) -> list[ParseResult]:
    return [parse_file(p, root) for p in sorted(paths, key=lambda p: p.name)]
