"""The MkDocs adapter's plugin: it routes MkDocs' events, and does nothing else.

Only ``generator/mkdocs_site/`` imports MkDocs or knows Material; each of its jobs lives in
a module named after it, so a successor (Zensical, ProperDocs) replaces this package only:

* :mod:`~generator.mkdocs_site.catalogue_files`: the catalogue in (problems become log
  lines, so ``--strict`` fails on bad data), the generated pages handed to MkDocs in
  memory, the data files made by the second process while MkDocs renders;
* :mod:`~generator.mkdocs_site.front_matter`: Material's keys by page kind, and which kinds
  are in the navigation (with every paper in it, every page embeds the whole nav);
* :mod:`~generator.mkdocs_site.page_cache`: converted HTML and finished pages reused
  between builds, pages converted from their pieces, paper pages themed from one shell
  (the fast paths); :mod:`~generator.mkdocs_site.plain_pages`: the same pages the
  documented way, with ``fast_paths: false``;
* :mod:`generator.finish` (outside the adapter: it reads HTML only): steps over
  finished HTML (whitespace, icons in one sprite sheet, the title's self-link, the
  preview's problems banner, the Content-Security-Policy), per page here or over a
  site folder that any tool built;
* :mod:`~generator.mkdocs_site.site_folder`: one build at a time, the new site swapped in
  whole only when the build succeeded, a preview's stale outputs removed, pages the
  previous site holds byte for byte linked from it (a fast path);
  :mod:`~generator.mkdocs_site.kept_pages`: pages whose source and site are unchanged
  since the last build into the folder linked in from it without MkDocs making them
  (a fast path);
* :mod:`~generator.mkdocs_site.theme_bytecode`: the theme's templates compiled once and
  kept beside the installed packages' other derived results, not compiled again by
  every build, cold ones included (a fast path);
* :mod:`~generator.mkdocs_site.structure`: what is asked of MkDocs (URLs, repository,
  the site's key, warnings counted).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from functools import partial
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.utils import get_build_timestamp

from generator.export.site_data import (
    SHARD_PAPERS,
    ExportJob,
    search_index_ahead,
    write_files,
)
from generator.finish.csp import with_policy
from generator.finish.html_steps import ICONS_FILE
from generator.finish.sitemap import MAX_URLS, SITEMAP, split_sitemap
from generator.infra.cache import Cache
from generator.infra.installed import out_of_date
from generator.infra.worker import WORKER
from generator.mkdocs_site.catalogue_files import (
    export_job,
    export_settings,
    hand_over,
    load_catalogue,
    rendered_pages,
)
from generator.mkdocs_site.kept_pages import sitemap_pages
from generator.mkdocs_site.page_cache import PageCache
from generator.mkdocs_site.plain_pages import PlainPages
from generator.mkdocs_site.site_folder import PreviousSite, SwappedSite, remove_stale
from generator.mkdocs_site.source_folders import from_mkdocs_config
from generator.mkdocs_site.structure import KnownDirty, MkDocsUrl, site_key, strict_warnings
from generator.mkdocs_site.theme_bytecode import ThemeBytecode
from generator.render.charts import Charts
from generator.render.pages import problems_banner
from generator.render.templating import TEMPLATES_DIR


class CatalogueConfig(Config):
    data_dir = c.Type(str, default="data")
    templates_dir = c.Optional(c.Type(str))  # the page templates; default: the package's
    # false: no fast path (caches, pages from pieces, the theme shell, raw HTML set
    # aside): MkDocs and Material do everything the documented way, to the same bytes.
    fast_paths = c.Type(bool, default=True)
    # The most papers catalogue.json holds itself; above, it indexes gzip shards of at
    # most this many (generator/export/site_data.py). Unset: SHARD_PAPERS.
    catalogue_shard_papers = c.Optional(c.Type(int))
    # The most URLs one sitemap file lists; above, sitemap.xml becomes an index of parts
    # (generator/finish/sitemap.py). Unset: the protocol's 50,000.
    sitemap_urls = c.Optional(c.Type(int))


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    """``plugins: [paper-catalogue]`` in mkdocs.yml."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.banner = ""  # a preview's data errors, shown on every page
        self.site: SwappedSite | None = None  # a one-off build's site folder
        self.previous: PreviousSite | None = None  # the site it replaces, if any
        self.cache = Cache(None)
        self.job: ExportJob | None = None
        self.url = MkDocsUrl(True)
        self.charts: Charts | None = None
        self.charted: set[str] = set()  # src_uris of pages that show the charts
        self.pages: PageCache | PlainPages | None = None
        self.site_files: Files | None = None
        self.made: set[Path] = set()  # this build's outputs, so far
        self.made_before: set[Path] = set()  # the previous preview build's outputs
        self.bytecode: ThemeBytecode | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        if command == "serve" and dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(KnownDirty())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Started now, so that it imports while this process reads the catalogue. `serve`
        # keeps it between rebuilds. A build's is a fork of this process where that is
        # safe; serve's is not (it would hold serve's socket open).
        if problems := from_mkdocs_config(config, self.config.templates_dir).link_problems():
            raise Abort("\n".join(map(str, problems)))  # before a file is read or copied
        if stale := out_of_date():
            raise Abort(stale)  # not a traceback from the step that first imports it
        WORKER.start(fork=self.command == "build")
        if self.command == "build":
            self.site = SwappedSite(Path(config.site_dir))
            say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
            config.site_dir = str(self.site.begin(say))
            # POSIX: a page linked in is then written to os.devnull (see on_post_page).
            if self.config.fast_paths and self.site.final.is_dir() and os.name == "posix":
                self.previous = PreviousSite(self.site.final, Path(config.site_dir))
        return config

    def _replaced(self) -> Path | None:
        """The site this build replaces, whose unchanged files are linked, not written."""
        return self.previous.old if self.previous is not None else None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        base = Path(config.config_file_path or ".").parent
        data_dir = base / self.config.data_dir
        self.cache = Cache.beside(data_dir)
        self.url = MkDocsUrl(config.use_directory_urls)
        shard_papers = self.config.catalogue_shard_papers or SHARD_PAPERS
        # While the worker makes the related lists this process would wait: it makes the
        # search index then, which the worker's data files job finds in the cache.
        settings = export_settings(config, shard_papers)
        ahead = partial(search_index_ahead, url=self.url, cache=self.cache, key=settings)
        catalogue = load_catalogue(
            data_dir, self.cache, config.strict, ahead if self.config.fast_paths else None
        )
        self.banner = problems_banner(catalogue.errors) if self.command == "serve" else ""
        # Charts go to the second process first, before the data files: the stats page
        # holds placeholders, filled as the theme renders it (_fill_charts).
        self.charts = Charts(catalogue, self.cache, WORKER, later=True, url=self.url)
        self.job = export_job(
            config, catalogue, self.url, self.cache, data_dir, shard_papers, self._replaced()
        )
        self.made = set()
        if self.dirty:
            # `serve --dirty` rebuilds only pages whose source is newer than their output;
            # a hand-written page shows the catalogue too (navigation, the problems
            # banner), so its output goes and it is built again like the generated ones.
            for file in files.documentation_pages():
                if file.generated_by is None:
                    Path(file.abs_dest_path).unlink(missing_ok=True)
        templates = base / self.config.templates_dir if self.config.templates_dir else TEMPLATES_DIR
        pages, html_key = rendered_pages(catalogue, config, self.cache, templates, self.charts)
        del catalogue  # each page lives once from here: the catalogue is not needed again
        pages_type = PageCache if self.config.fast_paths else PlainPages
        # A one-off build records the pages it leaves in its site, for the next to keep.
        recorded = self.site.final if self.site is not None and os.name == "posix" else None
        self.pages = pages_type(self.cache, html_key, config, recorded)
        self.charted = hand_over(pages, files, config, self.pages)
        return files

    def on_nav(self, nav, /, *, config: MkDocsConfig, files: Files):
        self.pages.start_site(site_key(config, nav, self.pages.html_key), self._replaced())
        return nav

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        self.site_files = files  # every file this build writes, other plugins' too
        self.pages.env = env
        if self.config.fast_paths:  # before the theme loads its first template
            self.bytecode = ThemeBytecode.attach(env, Cache.packages())
        return env

    def on_page_markdown(self, markdown: str, /, *, page, config, files) -> str:
        return self.pages.markdown(markdown, page)

    def on_page_content(self, html: str, /, *, page, config, files) -> str:
        return self.pages.content(html, page)

    @event_priority(100)  # before Material's search reads the page: it indexes the charts
    def _fill_charts(self, context, /, *, page, config, nav):
        """The charts, into the page that shows them: drawn meanwhile by the second
        process, they are waited for only now, when MkDocs has converted every page."""
        if page.file.src_uri in self.charted and self.charts is not None:
            page.content = self.charts.fill(page.content)
        return context

    def _on_page_context(self, context, /, *, page, config, nav):
        self.pages.context(page, context, self.url)
        return context

    on_page_context = CombinedEvent(_fill_charts, _on_page_context)

    def on_post_page(self, output: str, /, *, page, config) -> str:
        output = self.secured(self.pages.post_page(output, page, self.url, self.banner))
        if self.previous is not None and output.strip():  # MkDocs writes no blank page
            # What MkDocs writes to the page's abs_dest_path, encoded as it encodes it.
            content = output.encode("utf-8", errors="xmlcharrefreplace")
            if self.previous.keep(page.file.dest_uri, content):
                # The same bytes are linked in from the previous site: MkDocs' own write
                # goes nowhere (opening the link to write would write into that site).
                page.file.abs_dest_path = os.devnull
        return output

    def on_template_context(self, context, /, *, template_name: str, config):
        if template_name == SITEMAP and self.pages.kept and self.site_files is not None:
            context["pages"] = sitemap_pages(self.site_files)  # kept pages are pages too
        return context

    def on_post_template(self, output: str, /, *, template_name: str, config) -> str:
        return self.secured(output) if template_name.endswith(".html") else output  # 404

    def secured(self, html: str) -> str:
        """The page with its Content-Security-Policy, added last so that its script
        hashes are of the final bytes. Not in `serve`: its live reload injects an inline
        script of its own into every page it serves."""
        return html if self.command == "serve" else with_policy(html)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.pages.save(Path(config.site_dir) if self.site is not None else None)
        if self.bytecode is not None:
            self.bytecode.save()
            self.bytecode = None
        site = Path(config.site_dir)
        self.made.update(
            write_files(site, {ICONS_FILE: self.pages.icons.sheet()}, self._replaced())
        )
        if self.job is not None:
            self.made.update(self.job.written())
            self.job = None
        # MkDocs wrote the sitemap before this event; above the protocol's bounds it
        # becomes an index of parts.
        self.made.update(
            split_sitemap(
                site,
                config.site_url,
                get_build_timestamp(),
                max_urls=self.config.sitemap_urls or MAX_URLS,
            )
        )
        if self.command == "serve" and self.site_files is not None:
            # `serve --dirty` keeps the folder between builds: what this build no longer
            # makes goes.
            self.made.update(Path(f.abs_dest_path) for f in self.site_files)
            remove_stale(site, self.made_before, self.made)
            self.made_before, self.made, self.site_files = self.made, set(), None
        if self.command != "serve":
            WORKER.stop()
        self.cache.prune()
        # A strict build aborts on a warning after this event: the old site stays then.
        self.previous = None
        if self.site is not None and not (config.strict and strict_warnings()):
            self.site.publish()
            config.site_dir = str(self.site.final)
            self.site = None

    def on_build_error(self, *, error: Exception) -> None:
        self.previous = None
        if self.job is not None:
            self.job.close()
            self.job = None
        if self.command != "serve":
            WORKER.stop()
        if self.site is not None:
            self.site.abandon()

    def on_shutdown(self) -> None:
        if self.site is not None:
            self.site.abandon()
        if self.job is not None:
            self.job.close()
        WORKER.stop()
        if self.command == "build":
            # The process exits next: its last garbage collection would walk every object
            # of the build only to find what exit frees anyway. (Not in `serve`, whose
            # shutdown may not be the end.)
            gc.freeze()
