"""The whole core in one call: data folder in, finished :class:`Catalogue` out.

Each stage is a module of its own with plain dataclasses in and out; this is the
only place that knows their order. Nothing here imports MkDocs, so the CLI, the
tests and the benchmarks run the same code the site build runs.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalogue import Catalogue, deduplicate
from generator.listings import listing_files, parse_all

LISTINGS_DIR = "listings"


def build_catalogue(data_dir: Path | str) -> Catalogue:
    """Parse every dump under ``data_dir/listings`` and deduplicate into papers.

    Problems are collected, not raised: the caller decides whether they are fatal
    (the strict build and ``check`` fail on errors; ``export`` just prints them).
    """
    data_dir = Path(data_dir)
    root = data_dir.parent
    results = parse_all(listing_files(data_dir / LISTINGS_DIR), root=root)
    listings = tuple(r.listing for r in results)
    problems = [p for r in results for p in r.problems]
    paths = {lst.name: lst.path for lst in listings}
    papers, dedup_problems = deduplicate((e for lst in listings for e in lst.entries), paths)
    problems.extend(dedup_problems)
    return Catalogue(tuple(papers), listings, tuple(sorted(problems)))
