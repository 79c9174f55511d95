"""The whole core in one call: data folder in, finished :class:`Catalogue` out.

Each stage is a module of its own with plain dataclasses in and out; this is the
only place that knows their order. Nothing here imports MkDocs, so the CLI, the
tests and the benchmarks run the same code the site build runs.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalogue import Catalogue, deduplicate
from generator.curation import apply_curation, apply_tag_edits, load_curation, silence_distinct
from generator.links import link
from generator.listing_meta import LISTINGS_META_FILE, load_listing_meta
from generator.listings import listing_files, parse_all
from generator.related import relate
from generator.tagging import Taxonomy, load_taxonomy, tag_papers, vocabulary_problems

LISTINGS_DIR = "listings"
TAXONOMY_FILE = "taxonomy.yaml"


def build_catalogue(data_dir: Path | str) -> Catalogue:
    """Parse, deduplicate, curate, tag and cross-link everything under ``data_dir``.

    Problems are collected, not raised: the caller decides whether they are fatal
    (the strict build and ``check`` fail on errors; ``export`` just prints them).
    """
    data_dir = Path(data_dir)
    root = data_dir.parent

    def shown(path: Path) -> str:
        return str(path.relative_to(root))

    results = parse_all(listing_files(data_dir / LISTINGS_DIR), root=root)
    listings = tuple(r.listing for r in results)
    problems = [p for r in results for p in r.problems]
    paths = {lst.name: lst.path for lst in listings}
    papers, dedup_problems = deduplicate((e for lst in listings for e in lst.entries), paths)

    meta_path = data_dir / LISTINGS_META_FILE
    listing_meta, meta_problems = load_listing_meta(meta_path, shown(meta_path), listings)
    problems.extend(meta_problems)

    docs, curation_problems = load_curation(data_dir, root)
    problems.extend(curation_problems)
    curation = apply_curation(papers, docs)
    problems.extend(curation.problems)
    problems.extend(silence_distinct(dedup_problems, curation, papers))
    papers = curation.papers

    taxonomy_path = data_dir / TAXONOMY_FILE
    taxonomy = Taxonomy((), ())
    if taxonomy_path.exists():
        taxonomy, taxonomy_problems = load_taxonomy(taxonomy_path, shown(taxonomy_path))
        problems.extend(taxonomy_problems)
        papers = tag_papers(papers, taxonomy)
    papers, tag_problems = apply_tag_edits(papers, curation, [t.name for t in taxonomy.tags], docs)
    problems.extend(tag_problems)
    if taxonomy.tags:
        problems.extend(vocabulary_problems(papers, taxonomy, shown(taxonomy_path)))
    papers = link(relate(papers))
    return Catalogue(
        papers=tuple(papers),
        listings=listings,
        problems=tuple(sorted(problems)),
        taxonomy=taxonomy,
        meta=curation.meta,
        redirects=curation.redirects,
        hidden=curation.hidden,
        listing_meta=listing_meta,
    )
