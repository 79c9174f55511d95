"""The generated pages the documented way: ``fast_paths: false`` in mkdocs.yml.

:class:`~generator.mkdocs_site.page_cache.PageCache` is the fast way: converted HTML
and finished pages reused between builds, pages converted from their pieces, paper
pages themed from one shell, raw HTML set aside from Python-Markdown, MkDocs' page
objects emptied as soon as they are done with. Each reaches into MkDocs' or Material's
internals, and each is meant to leave every byte of the site as it was.

:class:`PlainPages` has the same methods and does none of that: MkDocs converts every
page and Material themes every page, each as it would without this plugin. It keeps
only what the site is meant to look like, the finishing steps
(:mod:`generator.finish.site`: the title's self-link dropped, icons in one sheet,
whitespace folded, the preview's banner; the policy is added by the plugin), and the
toc of short pages cut to their title (``TITLE_TOC``). So when a MkDocs or Material
upgrade breaks the site, a build with ``PAPER_CATALOGUE_FAST_PATHS=false`` says
whether a fast path is to blame; ``tests/build/test_fast_paths.py`` compares the two.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from generator.finish.html_steps import IconSheet, with_banner, without_title_permalink
from generator.finish.site import finished_html
from generator.infra.cache import Cache
from generator.mkdocs_site.front_matter import TITLE_TOC
from generator.mkdocs_site.structure import title_only
from generator.render.paths import root_url


class PlainPages:
    """One build's generated pages, with no fast path: see the module docstring."""

    def __init__(
        self, cache: Cache, html_key: str, config: MkDocsConfig, site: Path | None = None
    ) -> None:
        self.html_key = html_key
        self.kept: dict[str, tuple[str, ...]] = {}  # no page is left to the previous site
        self.title_toc: set[str] = set()  # src_uris whose toc is cut to the title
        self.icons = IconSheet()
        self.env = None

    def add(
        self, file: File, kind: str, key: str, config: MkDocsConfig, read: object = None
    ) -> None:
        """A generated page; ``read`` (its front matter as read) is not used here: MkDocs
        parses every page's front matter, the documented way."""
        if kind in TITLE_TOC:
            self.title_toc.add(file.src_uri)

    def start_site(self, site_key: str, replaced: Path | None = None) -> None:
        pass

    def markdown(self, markdown: str, page) -> str:
        return markdown

    def content(self, html: str, page) -> str:
        if page.file.src_uri in self.title_toc:
            page.toc = title_only(page.toc)
        return without_title_permalink(html)

    def context(self, page, context: dict, url) -> None:
        pass

    def post_page(self, output: str, page, url, banner: str) -> str:
        output, _ = finished_html(output, root_url(url, page.file.src_uri), self.icons)
        return with_banner(output, banner)

    def save(self, site: Path | None = None) -> None:
        pass
