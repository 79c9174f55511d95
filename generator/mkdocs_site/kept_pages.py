"""Generated pages a build leaves to the site it replaces: not handed to MkDocs to read,
convert, theme and write, but linked in from that site, as the last build wrote them.

A generated page whose source (its digest, :func:`generator.infra.keys.page_source`) and
site key (:func:`generator.infra.keys.site`) are those of the last build into the same
site folder renders to the bytes that build wrote: the same promise the ``page-output``
cache makes. Adding a listing to a big catalogue changes a few thousand of its pages;
MkDocs' work on each of the others (its source parsed, its HTML put back, the theme, the
write) was, with the catalogue's own stages, what grew with the catalogue and not with
the change.

Which file in the replaced site is what the last build wrote is known from a record the
last build kept (:class:`SiteRecord`, in the cache, by the site folder's path): each
page's source digest, the icons it uses, and the identity of the file it left (device,
inode, size, modification time in ns). A file edited since (its time changes), replaced
(its inode), removed or turned into a link is not that file, and the page is built as
usual. (The change time would catch an edit whose modification time was set back by
hand too, but deleting the replaced site after the swap changes it on every kept file.)

A kept page stays among MkDocs' files (:class:`PageFile`), no longer a page: links to it
are checked and resolved as before, the sitemap lists it (the plugin hands the sitemap
template every page, kept ones too) and Material's site search never indexed these kinds.
Only pages out of the navigation whose HTML is cached (``HTML_CACHED``) and whose meta is
known without parsing their source are kept: no page links into them with an anchor, the
theme renders no other page from them, and a kept page's meta is set as a read would set
it (the sitemap template reads it). As for a page whose HTML is cached, its own links are
not checked again: its source is the one the last build checked.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

from generator.infra import keys
from generator.infra.cache import Cache
from generator.infra.linked_files import Identity, file_identity, link_if_identical

RECORD_STAGE = "site-pages"


class PageFile(File):
    """A generated page's file. Once :meth:`keep` linked its finished file in, MkDocs
    sees a file to copy, not a page: it reads, converts, themes and writes nothing of it
    (``copy_file`` has nothing left to do), while ``Files`` still finds it by its source
    path, with the page's URL, for every link to it."""

    kept = False

    def is_documentation_page(self) -> bool:
        return not self.kept and super().is_documentation_page()

    def keep(self, old: Path, written: Identity) -> bool:
        """Link the page's output in from ``old`` if it is the file ``written`` describes;
        False (nothing done) otherwise."""
        # Its paths are the page's: worked out while it still is one (cached from then on)
        target = Path(self.abs_dest_path)
        if not link_if_identical(old, target, written):
            return False
        self.kept = True
        self.content_string = ""  # MkDocs keeps every file's source to the build's end
        if self.page is not None:
            # As for a page whose HTML was cached: no anchors of its own to check links against
            self.page.present_anchor_ids = set()
        return True

    def copy_file(self, dirty: bool = False) -> None:
        if not self.kept:
            super().copy_file(dirty)


class SiteRecord:
    """What the last build into a site folder wrote there, kept in the cache by the
    folder's path: the site key, each generated page's source digest, the identity of its
    file and the icons it uses, and every icon's symbol (a kept page's icons go on the
    sheet as if it had been themed)."""

    def __init__(self, cache: Cache, site: Path) -> None:
        self.cache, self.key = cache, keys.site_pages(str(site.resolve()))
        found = cache.get(RECORD_STAGE, self.key)
        found = found if isinstance(found, dict) else {}
        self.site_key: str = found.get("site_key", "")
        self.pages: dict[str, tuple[str, Identity, tuple[str, ...]]] = found.get("pages", {})
        self.icons: dict[str, tuple[str, str]] = found.get("icons", {})

    def keep(
        self, file: PageFile, key: str, site_key: str, old_site: Path
    ) -> tuple[str, ...] | None:
        """The icons of ``file``'s page if it was kept (linked in from ``old_site``, where
        the last build wrote it with the same source ``key`` and ``site_key``); None if it
        is to be built."""
        recorded = self.pages.get(file.src_uri)
        if site_key != self.site_key or recorded is None or recorded[0] != key:
            return None
        written, icons = recorded[1], recorded[2]
        if any(sid not in self.icons for sid in icons):
            return None
        return icons if file.keep(old_site / file.dest_uri, written) else None

    def forget(self) -> None:
        """The last build's record is done with once the pages are kept."""
        self.pages, self.icons = {}, {}

    def save(
        self,
        site_key: str,
        site: Path,
        pages: dict[str, tuple[PageFile, str, tuple[str, ...]]],
        icons: dict[str, tuple[str, str]],
    ) -> None:
        """Record the generated pages this build left in ``site`` (the folder it wrote,
        before it is swapped in: a swap keeps every file's identity), each as (its file,
        its source digest, its icons)."""
        record = {}
        for path, (file, key, used) in pages.items():
            written = file_identity(site / file.dest_uri)
            if written is not None:
                record[path] = (key, written, used)
        value = {"site_key": site_key, "pages": record, "icons": dict(icons)}
        self.cache.put(RECORD_STAGE, self.key, value)


def sitemap_pages(files: Files) -> list[File]:
    """The pages of the site in MkDocs' order, as its sitemap template lists them
    (``pages``: the documentation pages), the kept ones among them."""
    return [
        file
        for file in files
        if (file.is_documentation_page() or getattr(file, "kept", False))
        and file.inclusion.is_included()
    ]
