"""What the plugin asks of MkDocs: URLs, the repository, a page's table of contents,
the key of everything besides a page's source that goes into its HTML, and the log."""

from __future__ import annotations

import logging
from pathlib import Path

import material
import mkdocs
import mkdocs.contrib.search
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import CountHandler

from generator.infra import keys
from generator.render.edit_links import Repository


def mkdocs_lunr() -> Path:
    return Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"


def repository(config: MkDocsConfig) -> Repository | None:
    """The GitHub repository for "suggest an edit" links, from repo_url and edit_uri
    (and git, in the project's folder, for the branch when neither names one)."""
    config_file = getattr(config, "config_file_path", None)
    root = Path(config_file).parent if config_file else Path(".")
    return Repository.from_settings(config.repo_url, config.edit_uri, root)


class MkDocsUrl:
    """MkDocs' own URL for a docs path, asked of MkDocs rather than re-spelled. A class,
    not a closure, so that it travels to the worker (which writes the data files)."""

    def __init__(self, use_directory_urls: bool) -> None:
        self.use_directory_urls = use_directory_urls
        self.known: dict[str, str] = {}

    def __call__(self, docs_path: str) -> str:
        if docs_path not in self.known:
            self.known[docs_path] = File(docs_path, None, "", self.use_directory_urls).url
        return self.known[docs_path]

    def __reduce__(self):  # the URLs known so far are not worth sending
        return MkDocsUrl, (self.use_directory_urls,)


def title_only(toc: TableOfContents) -> TableOfContents:
    """The page's title entry alone (the skip link's target), without its sections."""
    if not toc.items:
        return toc
    first = toc.items[0]
    entry = AnchorLink(first.title, first.id, first.level)
    return TableOfContents([entry])


def _nav_signature(items) -> list:
    return [
        (type(i).__name__, i.title, getattr(i, "url", None), _nav_signature(i.children or []))
        for i in items
    ]


def site_key(config: MkDocsConfig, nav, page_html_key: str) -> str:
    """The finished pages' key (:func:`generator.infra.keys.site`), its inputs read from
    MkDocs: the settings the theme reads, the navigation, the theme and its overrides,
    the versions. A page whose source and this key are unchanged renders to the same
    bytes."""
    theme = config.theme
    custom = Path(theme.custom_dir) if theme.custom_dir else None
    overrides = [p.read_bytes() for p in sorted(custom.rglob("*")) if p.is_file()] if custom else []
    return keys.site(
        mkdocs_version=mkdocs.__version__,
        material_version=material.__version__,
        theme={k: theme[k] for k in theme},
        plugins=list(config.plugins),
        nav=_nav_signature(nav.items),
        settings=keys.SiteSettings(*(config[k] for k in keys.SiteSettings.names())),
        overrides=overrides,
        page_html_key=page_html_key,
    )


DIRTY_WARNING = "A 'dirty' build is being performed"


class KnownDirty(logging.Filter):
    """Drops MkDocs' warning on each ``serve --dirty`` rebuild: the plugin rebuilds every
    page and removes what a rebuild no longer makes, so the preview is not stale."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def strict_warnings() -> int:
    """Warnings MkDocs has counted so far in a strict build (it aborts on any after
    on_post_build, so the swap must not happen then)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(sum(h.counts.values()) for h in handlers if isinstance(h, CountHandler))
