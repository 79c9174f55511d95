"""The catalogue into MkDocs: problems as log lines (or an abort), generated pages as
in-memory files, the data files made by the second process while MkDocs renders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_date

from generator.export.docs_folder import LUNR_JS
from generator.export.site_data import SHARD_PAPERS, ExportJob
from generator.infra import keys
from generator.infra.cache import Cache
from generator.infra.worker import WORKER
from generator.mkdocs_site.front_matter import (
    IN_NAVIGATION,
    as_read,
    front_fields,
    front_matter_of,
)
from generator.mkdocs_site.kept_pages import PageFile
from generator.mkdocs_site.page_cache import PageCache
from generator.mkdocs_site.plain_pages import PlainPages
from generator.mkdocs_site.structure import MkDocsUrl, mkdocs_lunr, repository
from generator.model import Catalogue
from generator.pipeline import build_catalogue
from generator.render.charts import CHART_MARK, Charts
from generator.render.pages import Page, render_pages
from generator.render.templating import Templates

MAX_SHOWN = 30
log = logging.getLogger("mkdocs.plugins.generator.mkdocs_site.plugin")


def load_catalogue(
    data_dir: Path, cache: Cache, strict: bool, meanwhile: Callable[[Catalogue], None] | None = None
) -> Catalogue:
    """The catalogue, its problems logged; a strict build stops on its errors.
    ``meanwhile``: see :func:`~generator.pipeline.build_catalogue`."""
    catalogue = build_catalogue(data_dir, cache, WORKER, meanwhile)
    for problem in catalogue.problems:
        (log.warning if problem.is_error else log.info)(str(problem))
    if catalogue.errors and strict:
        # Not left to the warning count: `mkdocs build -q` hides warnings from it.
        shown = "\n".join(f"  {p}" for p in catalogue.errors[:MAX_SHOWN])
        more = len(catalogue.errors) - MAX_SHOWN
        raise Abort(
            f"{len(catalogue.errors)} error(s) in the catalogue data:\n{shown}\n"
            + (f"  ... and {more} more\n" if more > 0 else "")
            + "Fix them (`python -m generator check` lists them all), then build again."
        )
    return catalogue


def export_settings(config: MkDocsConfig, shard_papers: int = SHARD_PAPERS) -> str:
    """What the data files depend on beyond the catalogue (:func:`keys.export_settings`),
    read from MkDocs' settings."""
    return keys.export_settings(
        config.use_directory_urls, config.site_url, get_build_date(), shard_papers
    )


def export_job(
    config: MkDocsConfig,
    catalogue: Catalogue,
    url: MkDocsUrl,
    cache: Cache,
    data_dir: Path,
    shard_papers: int = SHARD_PAPERS,
    previous: Path | None = None,
) -> ExportJob:
    """The data files (the search index, feeds, catalogue.json), made and written by the
    second process while the pages render; those ``previous`` (the site this one
    replaces) holds byte for byte linked from it."""
    return ExportJob(
        Path(config.site_dir),
        catalogue,
        url,
        cache,
        site_url=config.site_url,
        build_date=get_build_date(),
        key=export_settings(config, shard_papers),
        again=partial(build_catalogue, data_dir, cache),
        shard_papers=shard_papers,
        previous=previous,
    )


def rendered_pages(
    catalogue: Catalogue, config: MkDocsConfig, cache: Cache, templates: Path, charts: Charts
) -> tuple[dict[str, Page], str]:
    """Every generated page by docs path (kept in the cache while the catalogue, the
    templates and the URL settings are unchanged), and what their HTML depends on
    besides their own text."""
    url = MkDocsUrl(config.use_directory_urls)
    repo = repository(config)
    read = Templates.read(templates)  # once: the key and the pages come from these bytes
    pages_key = keys.pages(catalogue.source_key, config.use_directory_urls, repo, read.key_parts())
    pages = cache.memo(
        "pages", pages_key, partial(render_pages, catalogue, url, repo, read, cache, charts)
    )
    html_key = keys.page_html(
        config.use_directory_urls, repo, config.markdown_extensions, config.mdx_configs
    )
    return pages, html_key


def hand_over(
    pages: dict[str, Page], files: Files, config: MkDocsConfig, page_cache: PageCache | PlainPages
) -> set[str]:
    """Every generated page handed to MkDocs in memory (never written into ``docs/``:
    ``mkdocs serve`` would see its own output and rebuild forever), and lunr.js; the
    pages that show the charts. Each page lives once from here: as the File MkDocs reads."""
    charted: set[str] = set()
    for path in list(pages):
        page = pages.pop(path)
        if files.get_file_from_path(path) is not None:
            log.warning(f"docs/{path} hides the generated page of the same name: rename it")
            continue
        in_nav = page.kind in IN_NAVIGATION
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        body = page.body  # a paper page's is decompressed: once
        fields = front_fields(page)
        matter = front_matter_of(fields)
        content = matter + body
        # a PageFile: the page cache may leave it to the previous site (kept_pages)
        file = PageFile.generated(config, path, content=content, inclusion=inclusion)
        files.append(file)
        meta = as_read(fields)
        # the meta, and where the Markdown starts in the source (not a second copy of it)
        read = None if meta is None else (meta, len(matter))
        page_cache.add(file, page.kind, keys.page_source(path, content), config, read)
        if CHART_MARK in body:
            charted.add(path)
    # The search worker loads lunr.js 2.3.9 from the site itself (no CDN): the copy
    # MkDocs ships for its own search, the version lunr.py's indexes are made for.
    files.append(File.generated(config, LUNR_JS, abs_src_path=str(mkdocs_lunr())))
    return charted
