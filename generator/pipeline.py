"""The whole core in one call: data folder in, finished :class:`Catalogue` out.

Each stage is a module of its own with plain dataclasses in and out; this is the
only place that knows their order. Nothing here imports MkDocs, so the CLI, the
tests and the benchmarks run the same code the site build runs.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalogue import Catalogue, deduplicate
from generator.links import link
from generator.listings import listing_files, parse_all
from generator.related import relate
from generator.tagging import Taxonomy, load_taxonomy, tag_papers, vocabulary_problems

LISTINGS_DIR = "listings"
TAXONOMY_FILE = "taxonomy.yaml"


def build_catalogue(data_dir: Path | str) -> Catalogue:
    """Parse, deduplicate, tag and cross-link everything under ``data_dir``.

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

    taxonomy_path = data_dir / TAXONOMY_FILE
    taxonomy = Taxonomy((), ())
    if taxonomy_path.exists():
        shown = str(taxonomy_path.relative_to(root))
        taxonomy, taxonomy_problems = load_taxonomy(taxonomy_path, shown)
        problems.extend(taxonomy_problems)
        papers = tag_papers(papers, taxonomy)
        problems.extend(vocabulary_problems(papers, taxonomy, shown))
    papers = link(relate(papers))
    return Catalogue(tuple(papers), listings, tuple(sorted(problems)), taxonomy)
