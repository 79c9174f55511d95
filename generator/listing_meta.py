"""Optional names and descriptions for listings: ``data/listings.yaml``.

A dump's file name says little ("003_0bcb5151a6c02ef0.txt"); a curator can give
it a title, a description, a date and the page it came from. Unknown file names
are reported with the closest existing ones.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.datafiles import load_yaml
from generator.model import Listing, ListingMeta, Problem

LISTINGS_META_FILE = "listings.yaml"


def load_listing_meta(
    path: Path, shown: str, listings: tuple[Listing, ...]
) -> tuple[dict[str, ListingMeta], list[Problem]]:
    if not (path.exists() or path.is_symlink()):
        return {}, []
    doc = load_yaml(path, "listings", shown)
    problems = list(doc.problems)
    if not isinstance(doc.data, dict) or problems:
        return {}, problems
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
        meta[name] = ListingMeta(**(fields or {}))
    return meta, problems
