"""What one build reuses and stores of its generated pages, and the page type that lets
MkDocs skip converting a page whose HTML is already known.

Each generated page's converted HTML is kept by a digest of its Markdown, and its
finished output (the theme around it, icons referenced, whitespace folded) by that
digest and the site's key (settings, navigation, theme): a page whose source and site
are unchanged is printed as it was, a page whose source is unchanged skips Python-Markdown.
Pages of a shape met before are converted from their pieces
(:mod:`generator.mkdocs_site.markdown_shapes`), and paper pages are themed from a shell
(:mod:`generator.mkdocs_site.shell`). A :class:`PageCache` lives for one build. These are
the adapter's fast paths: ``fast_paths: false`` puts
:class:`~generator.mkdocs_site.plain_pages.PlainPages` in its place.
"""

from __future__ import annotations

import logging
import zlib

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from generator.finish.html_steps import IconSheet, with_banner, without_title_permalink
from generator.finish.site import finished_html
from generator.infra.cache import Cache
from generator.mkdocs_site.front_matter import HTML_CACHED, TITLE_TOC
from generator.mkdocs_site.markdown_shapes import Shapes
from generator.mkdocs_site.raw_html import put_back_html, set_aside_html
from generator.mkdocs_site.shell import CACHED_TEMPLATE, SHELL_KINDS, Shell, shell_shape
from generator.mkdocs_site.structure import title_only
from generator.render.paths import root_url

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class GeneratedPage(Page):
    """A generated page out of the navigation. Once :attr:`converted` is set (its HTML
    comes from the cache or from its pieces, and MkDocs is handed an empty text), its
    conversion sets only what converting an empty text sets: MkDocs would still build a
    Python-Markdown instance per page for it. A test compares the two on MkDocs' own
    ``Page``."""

    converted = False
    # The meta MkDocs would read from the page's source, and where its Markdown starts
    # there, when the plugin knows them without parsing its front matter
    # (front_matter.as_read)
    known_source: tuple[dict, int] | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        known, self.known_source = self.known_source, None
        if known is None:
            super().read_source(config)
            return
        # MkDocs' read_source, less the parse of what is known already
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            self.meta, start = known
            self.markdown = self.file.content_string[start:].lstrip("\n")
        else:
            self.markdown, self.meta = get_data(source)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if not self.converted:
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class PageCache:
    """One build's generated pages: which are cached, converted or themed ahead, and
    what this build stores for the next one."""

    def __init__(self, cache: Cache, html_key: str, config: MkDocsConfig) -> None:
        self.cache, self.html_key = cache, html_key
        found = cache.get("page-html", html_key)
        self.html: dict[str, tuple] = found if isinstance(found, dict) else {}
        self.html_used: dict[str, tuple] = {}  # what this build read or made, for the next
        self.pending: dict[str, str] = {}  # src_uri -> key of its HTML (kinds cached)
        self.title_toc: set[str] = set()  # src_uris whose toc is cut to the title
        self.shelled: set[str] = set()  # src_uris of pages themed by filling a shell
        self.set_aside: dict[str, list[str]] = {}  # src_uri -> raw HTML blocks
        self.shapes = Shapes(config.markdown_extensions, config.mdx_configs)
        self.learning: dict[str, str] = {}  # src_uri -> its Markdown, to learn its shape
        self.site_key = ""
        self.outputs: dict[str, tuple[bytes, tuple[str, ...]]] = {}  # finished, zlib'd
        self.outputs_used: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        self.icon_table: dict[str, tuple[str, str]] = {}
        self.icons = IconSheet()
        self.reused: set[str] = set()  # src_uris whose finished HTML comes from the cache
        self.parked: dict[str, bytes] = {}  # src_uri -> zlib'd HTML, until it is rendered
        self.shells: dict[tuple, Shell | None] = {}  # by shell_shape; None: not usable
        self.finished: dict[str, tuple[str, ...]] = {}  # src_uri -> its icons: output final
        self.env = None

    def add(
        self,
        file: File,
        kind: str,
        key: str,
        config: MkDocsConfig,
        read: tuple[dict, int] | None = None,
    ) -> None:
        """A generated page of ``kind``, ``key`` a digest of its whole source; ``read``:
        its meta as MkDocs reads it from that source and where its Markdown starts
        there, when known (MkDocs then does not parse its front matter again)."""
        path = file.src_uri
        if not file.inclusion.is_in_nav():
            page = GeneratedPage(None, file, config)  # the nav keeps it (MkDocs' nav.py)
            page.known_source = read
        if kind in HTML_CACHED:
            self.pending[path] = key
        if kind in TITLE_TOC:
            self.title_toc.add(path)
        if kind in SHELL_KINDS:
            self.shelled.add(path)

    def start_site(self, site_key: str) -> None:
        """The site's key is known (after the navigation): finished pages of the same
        site can be reused."""
        self.site_key = site_key
        found = self.cache.get("page-output", site_key)
        found = found if isinstance(found, dict) else {}
        self.outputs, self.icon_table = found.get("pages", {}), found.get("icons", {})

    def markdown(self, markdown: str, page) -> str:
        """on_page_markdown: the text MkDocs is to convert ("" if the HTML is known)."""
        src = page.file.src_uri
        key = self.pending.get(src)
        if key is not None and key in self.html:
            page.converted = True
            return ""  # converted before: content() puts the HTML back
        if page.file.generated_by is not None:
            markdown, kept = set_aside_html(markdown)
            shaped = key is not None and src in self.title_toc  # its HTML can be stored
            titled = self.shapes.convert(markdown) if shaped else None
            if titled is not None:
                # Converted from its pieces: content() finds it like a page converted by
                # an earlier build.
                html = without_title_permalink(put_back_html(titled.html, kept))
                toc = title_only(get_toc([titled.title]))
                self.html[key] = (zlib.compress(html.encode(), 1), toc)
                page.converted = True
                return ""
            self.set_aside[src] = kept
            if shaped and self.shapes.is_new(markdown):
                self.learning[src] = markdown
        return markdown

    def content(self, html: str, page) -> str:
        """on_page_content: the page's HTML, or "" with the HTML parked until the theme
        renders the page (or the stored output is printed instead of the theme)."""
        src = page.file.src_uri
        if page.file.generated_by is not None:
            # MkDocs keeps every page's source and HTML until the build ends; the source
            # of a generated page is done with now.
            page.markdown = ""
            page.file.content_string = ""
        learnt = self.learning.pop(src, None)
        if learnt is not None:
            first = page.toc.items[0] if page.toc.items else None
            self.shapes.learn(learnt, html, first and (first.title, first.id, first.level))
        kept = self.set_aside.pop(src, None)
        if kept:
            html = put_back_html(html, kept)
        html = without_title_permalink(html)
        key = self.pending.get(src)
        if key is None:
            return html
        if key in self.outputs:
            # Finished before, with this source and this site: the theme is skipped, a
            # one-line template prints the stored page.
            packed, icons = self.outputs[key]
            self.outputs_used[key] = self.outputs[key]
            if key in self.html:  # kept for a build whose site settings differ
                self.html_used[key] = self.html[key]
            for sid in icons:
                self.icons.symbols[sid] = self.icon_table[sid]
            self.reused.add(src)
            page.meta["template"] = CACHED_TEMPLATE
            self.parked[src] = packed
            return ""
        if key in self.html:
            packed, page.toc = self.html[key]  # the theme renders the toc (hidden), skip link
            html = zlib.decompress(packed).decode()
            self.html_used[key] = (packed, page.toc)
        else:
            if src in self.title_toc:
                page.toc = title_only(page.toc)
            self.html_used[key] = (zlib.compress(html.encode(), 1), page.toc)
        # MkDocs converts every page before it renders any: the HTML waits compressed
        # until this page's turn (context()).
        self.parked[src] = self.html_used[key][0]
        if src in self.shelled:
            page.meta["template"] = CACHED_TEMPLATE  # themed in context()
        return ""

    def context(self, page, context: dict, url) -> None:
        """on_page_context: the page's HTML back, themed from a shell where it can be."""
        src = page.file.src_uri
        packed = self.parked.pop(src, None)
        if packed is not None:
            page.content = zlib.decompress(packed).decode()
        if src in self.shelled and src not in self.reused:
            page.content = self.themed(page, context, url)

    def themed(self, page, context: dict, url) -> str:
        """The page as Material's main.html renders it, from this build's shell for
        pages of its shape. The first page of each shape is also rendered in full, and
        the shell is used only if it gives that page byte for byte: a theme or override
        that prints anything else of a page turns the shell off, never wrong."""
        template = self.env.get_template("main.html")
        shape = shell_shape(page)
        root = root_url(url, page.file.src_uri)  # the same for every page of a shape
        if shape not in self.shells:
            full = template.render(context)
            shell = Shell(template, context, page)
            usable = shell.fill(page) == full
            if not usable:
                log.debug(f"theme shell not used for pages like {page.file.src_uri}")
            else:
                shell.finish(self.icons, root)
                done = shell.finished(page, self.icons, root)
                if done is None or done[0] != finished_html(full, root, self.icons)[0]:
                    log.debug(f"theme shell not folded ahead for pages like {page.file.src_uri}")
                    shell.folded = []
            self.shells[shape] = shell if usable else None
            return full
        shell = self.shells[shape]
        if shell is None:
            return template.render(context)
        done = shell.finished(page, self.icons, root) if shell.folded else None
        if done is None:
            return shell.fill(page)
        self.finished[page.file.src_uri] = done[1]  # post_page has nothing left to do
        return done[0]

    def post_page(self, output: str, page, url, banner: str) -> str:
        """on_post_page: the finished page (icons referenced, whitespace folded), stored
        for the next build without the preview's banner."""
        src = page.file.src_uri
        if page.file.generated_by is not None:
            page.content = None  # written out next; nothing reads it again
        if src in self.reused:
            return with_banner(output, banner)
        icons = self.finished.pop(src, None)
        if icons is None:
            output, icons = finished_html(output, root_url(url, src), self.icons)
        key = self.pending.get(src)
        if key is not None:
            self.outputs_used[key] = (zlib.compress(output.encode(), 1), icons)
        return with_banner(output, banner)

    def save(self) -> None:
        """Store what this build read or made, where it differs from what was stored."""
        if self.html_used.keys() != self.html.keys():
            self.cache.put("page-html", self.html_key, self.html_used)
        if self.outputs_used.keys() != self.outputs.keys():
            pages = {"pages": self.outputs_used, "icons": dict(self.icons.symbols)}
            self.cache.put("page-output", self.site_key, pages)
