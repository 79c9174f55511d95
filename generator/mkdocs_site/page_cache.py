"""What one build reuses and stores of its generated pages, and the page type that lets
MkDocs skip converting a page whose HTML is already known.

Each generated page's converted HTML is kept by a digest of its Markdown, and its
finished output (the theme around it, icons referenced, whitespace folded) by that
digest and the site's key (settings, navigation, theme): a page whose source and site
are unchanged is printed as it was, a page whose source is unchanged skips Python-Markdown.
Pages of a shape met before are converted from their pieces
(:mod:`generator.mkdocs_site.markdown_shapes`), and paper pages are themed from a shell
(:mod:`generator.mkdocs_site.shell`), and a page the site being replaced holds as this
build would write it is not handed to MkDocs at all (:mod:`generator.mkdocs_site.kept_pages`).
A :class:`PageCache` lives for one build. These are the adapter's fast paths:
``fast_paths: false`` puts :class:`~generator.mkdocs_site.plain_pages.PlainPages` in its place.

Both cache entries are read for the pages a build renders only: a build that keeps most
pages reads neither (each entry's keys are kept beside it), and stores only what it
rendered, so a kept page's HTML is in the previous site, not in the cache as well. (A
build into another folder, or after a theme change, converts those pages again.)
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from generator.finish.html_steps import IconSheet, with_banner, without_title_permalink
from generator.finish.site import finished_html
from generator.infra.cache import Cache
from generator.mkdocs_site.front_matter import HTML_CACHED, TITLE_TOC
from generator.mkdocs_site.kept_pages import PageFile, SiteRecord
from generator.mkdocs_site.markdown_shapes import Shapes
from generator.mkdocs_site.raw_html import put_back_html, set_aside_html
from generator.mkdocs_site.shell import CACHED_TEMPLATE, SHELL_KINDS, Shell, shell_shape
from generator.mkdocs_site.structure import title_only
from generator.render.paths import root_url

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
KEYS = "-keys"  # beside an entry of many pages, the set of its pages' keys


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

    def __init__(
        self, cache: Cache, html_key: str, config: MkDocsConfig, site: Path | None = None
    ) -> None:
        """``site``: the folder a one-off build publishes to, whose record of the pages
        it holds is read, and written for the next build into it."""
        self.cache, self.html_key = cache, html_key
        self.html: dict[str, tuple] = {}  # read in start_site(), for the pages rendered
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
        self.record = SiteRecord(cache, site) if site is not None else None
        self.stored: dict[tuple[str, bool], StoredPages] = {}  # by (stage, out of the nav)
        self.candidates: dict[str, PageFile] = {}  # src_uri -> a page that may be kept
        self.kept: dict[str, tuple[str, ...]] = {}  # src_uri -> its icons: linked in
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
            # A page may be kept if its meta is known without reading its source
            if isinstance(file, PageFile) and not file.inclusion.is_in_nav() and read:
                self.candidates[path] = file
        if kind in TITLE_TOC:
            self.title_toc.add(path)
        if kind in SHELL_KINDS:
            self.shelled.add(path)

    def start_site(self, site_key: str, replaced: Path | None = None) -> None:
        """The site's key is known (after the navigation): pages ``replaced`` (the site
        this build replaces) holds as this build would write them are linked in from it,
        and the cached HTML and finished output of the others read."""
        self.site_key = site_key
        if self.record is not None:
            for path, file in self.candidates.items() if replaced is not None else ():
                icons = self.record.keep(file, self.pending[path], site_key, replaced)
                if icons is not None:
                    self.kept[path] = icons
                    # Never read: its meta is set as a read would set it (the sitemap
                    # template leaves out the pages that only redirect, by their meta)
                    file.page.meta, file.page.known_source = file.page.known_source[0], None
                    for sid in icons:
                        self.icons.symbols[sid] = self.record.icons[sid]
            self.record.forget()
        # Stored apart: the pages that may be kept (read only for those that were not)
        # and the few others (in the navigation), read in every build.
        self.stored = {
            (stage, out): StoredPages(self.cache, stage + ("" if out else "-in-nav"), key)
            for stage, key in (("page-output", site_key), ("page-html", self.html_key))
            for out in (True, False)
        }
        for out in (True, False):
            needed = {
                key
                for path, key in self.pending.items()
                if (path in self.candidates) == out and path not in self.kept
            }
            self.outputs.update(self.stored["page-output", out].read(needed))
            self.html.update(self.stored["page-html", out].read(needed))
        if self.outputs:
            found = self.cache.get("page-icons", site_key)
            self.icon_table = found if isinstance(found, dict) else {}
            self.outputs = {  # an output whose icons are not all known is made again
                key: output
                for key, output in self.outputs.items()
                if all(sid in self.icon_table for sid in output[1])
            }

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

    def save(self, site: Path | None = None) -> None:
        """Store what this build read or made, where it differs from what was stored;
        with ``site`` (the folder this build wrote), the record of its pages."""
        out = {self.pending[path] for path in self.candidates}
        for (stage, kept_apart), stored in self.stored.items():
            used = self.outputs_used if stage == "page-output" else self.html_used
            stored.save({key: v for key, v in used.items() if (key in out) == kept_apart})
        if self.outputs_used:
            self.cache.put("page-icons", self.site_key, dict(self.icons.symbols))
        if self.record is not None and site is not None:
            written = {}
            for path, file in self.candidates.items():
                key = self.pending[path]
                icons = self.kept.get(path)
                if icons is None and key in self.outputs_used:
                    icons = self.outputs_used[key][1]
                if icons is not None:
                    written[path] = (file, key, icons)
            self.record.save(self.site_key, site, written, self.icons.symbols)


class StoredPages:
    """Pages' values kept in one cache entry by each page's key, and the set of those keys
    in another beside it: a build that needs none of them reads the keys only (the pages
    it keeps are not needed, and the pages it changed are not stored), and stores the
    values it used, which drops those it kept."""

    def __init__(self, cache: Cache, stage: str, key: str) -> None:
        self.cache, self.stage, self.key = cache, stage, key
        self.keys: set[str] | None = None  # the keys stored (None: not known)

    def read(self, needed: set[str]) -> dict:
        """The stored values of the keys ``needed`` that it holds."""
        stored = self.cache.get(self.stage + KEYS, self.key)
        if isinstance(stored, set) and stored.isdisjoint(needed):
            self.keys = stored
            return {}
        found = self.cache.get(self.stage, self.key)
        found = found if isinstance(found, dict) else {}
        self.keys = set(found)
        return {key: found[key] for key in needed & found.keys()}

    def save(self, used: dict) -> None:
        """Store ``used`` unless it holds what is stored already."""
        if used.keys() != self.keys:
            self.cache.put(self.stage, self.key, used)
            self.cache.put(self.stage + KEYS, self.key, set(used))
