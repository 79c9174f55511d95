"""Names and dates for listings: ``data/listings.yaml``.

A dump's file name says little ("003_0bcb5151a6c02ef0.txt"); a curator gives it a
title, a description, the date the listing is of (as far as the dump tells it: a
daily page says "Mar 14" and no year, and a year is never guessed), the date it
joined the catalogue (what the feeds call new) and the page it came from. Unknown
file names are reported with the closest existing ones; a dump with no entry is a
notice, as readers would see its file name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path

from generator.ingest.yaml_files import load_yaml
from generator.model import Listing, ListingMeta, Problem, Severity
from generator.text.files import DISK, Disk

LISTINGS_META_FILE = "listings.yaml"
MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DUMP_DATE = re.compile(r"([A-Z][a-z]{2})[a-z]*\.? (\d{1,2})$")


def load_listing_meta(
    path: Path, shown: str, listings: tuple[Listing, ...], files: Disk = DISK
) -> tuple[dict[str, ListingMeta], list[Problem]]:
    # A structured listing says its own name, date, source and fetch date: the defaults
    # under whatever a curator writes for it.
    about = {lst.name: lst.about for lst in listings if lst.about}
    if not files.exists(path):
        return dict(about), []
    doc = load_yaml(path, "listings", shown, files)
    problems = list(doc.problems)
    if not isinstance(doc.data, dict) or problems:
        return dict(about), problems
    names = [lst.name for lst in listings]
    meta = {}
    for name, fields in doc.data.items():
        if name not in names:
            near = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
            hint = (
                f"did you mean {', '.join(near)}?"
                if near
                else "use a file name from data/listings/"
            )
            problems.append(doc.problem([name], f"no listing file is called {name!r}", hint))
            continue
        meta[name] = replace(about.get(name, ListingMeta()), **(fields or {}))
    for name, said in about.items():
        meta.setdefault(name, said)
    for listing in listings:
        if listing.name not in doc.data and listing.name not in about:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"{listing.name} has no entry: readers see its file name",
                    "give it a title and the date it was added (see CONTRIBUTING.md)",
                    Severity.NOTICE,
                )
            )
    return meta, problems


def dump_date(listing: Listing) -> str | None:
    """The date line of a daily dump as ISO 8601 without a year: "Mar 14" -> --03-14."""
    match = _DUMP_DATE.match(listing.date or "")
    abbreviations = [m[:3] for m in MONTHS]
    if not match or match.group(1) not in abbreviations:
        return None
    return f"--{abbreviations.index(match.group(1)) + 1:02d}-{int(match.group(2)):02d}"


def listing_date(listing: Listing, meta: ListingMeta | None) -> str | None:
    """The listing's date: the curator's (or a structured listing's), else what the dump
    itself says."""
    return (meta.date if meta else None) or dump_date(listing)


def date_text(iso: str) -> str:
    """2026-03-14 -> 14 March 2026; 2026-03 -> March 2026; --03-14 -> 14 March."""
    if iso.startswith("--"):
        month, day = (int(part) for part in iso[2:].split("-"))
        return f"{day} {MONTHS[month - 1]}"
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def newest_first(listings: tuple[Listing, ...], meta: dict[str, ListingMeta]) -> list[Listing]:
    """The listings, newest first: added last (the latest ``added`` date), and among
    those added together the one whose own date is latest, then the last in file order
    (new dumps are named to sort after the old ones). Dates compare as written: a full
    date after one that gives no year (``--03-14``), which says less about when it was."""
    order = {lst.name: i for i, lst in enumerate(listings)}

    def key(listing: Listing) -> tuple[str, str, int]:
        m = meta.get(listing.name)
        own = listing_date(listing, m) or ""
        return (m.added if m and m.added else "", own, order[listing.name])

    return sorted(listings, key=key, reverse=True)
