"""The site's data files: ``catalogue.json`` for scripts and the paper search index.

``catalogue.json`` is a contract (ARCHITECTURE.md): the whole catalogue in one
document, ``{"papers": [...], "listings": [...], "hidden": [...], "redirects": {...}}``.
Above :data:`SHARD_PAPERS` papers one document is too big to serve or to read whole
(151 MB at 50,000 papers, most of a Pages site's gigabyte, and a ``json.load`` of it
takes gigabytes of memory), so the papers go into gzip-compressed shards of at most
that many papers each, and ``catalogue.json`` becomes their index: the same document
with ``papers`` replaced by ``paper_count`` and ``paper_shards`` (each shard's path,
number of papers, first and last id, bytes and SHA-256). A shard is ``{"papers":
[...]}`` with the whole file's per-paper schema, and the shards in the index's order
hold exactly the whole file's papers in its order. A script that reads ``papers``
fails loudly on the index (a ``KeyError``) instead of reading part of the catalogue.

Readers' browsers and other programs fetch these whole, so they are written here,
apart from the pages: plain data out, no Markdown, no site generator. None of them is
needed by a page, so :class:`ExportJob` has the second process make them (from the
cache where it can) and write them into the site while the site generator renders the
pages: the search index is the costly one (lunr.py; minutes at scale), and the feeds,
BibTeX files and ``catalogue.json`` were a cold build's time too in the generator's own
process.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from pathlib import Path

from generator.export.feeds import feed_files
from generator.export.search import SearchInput, build_index, search_input
from generator.infra import keys
from generator.infra.cache import Cache
from generator.infra.linked_files import link_if_same
from generator.infra.worker import WORKER
from generator.model import Catalogue, Paper, PaperMeta
from generator.render.naming import labeller
from generator.render.paths import LISTINGS_DIR, listing_slugs, paper_path, tag_path
from generator.text.escaping import safe_url

CATALOGUE_FILE = "catalogue.json"
# The most papers catalogue.json holds itself, and the most a shard holds above it (the
# module's docstring): a shard of this many is about 15 MB of JSON, 4 MB gzipped.
SHARD_PAPERS = 5000
SHARDS_DIR = "catalogue"  # beside catalogue.json: catalogue/papers-001.json.gz, ...
log = logging.getLogger(__name__)
URLS_FILE = "search/urls.json"
GZIP_LEVEL = 6  # level 9 is much slower for barely smaller files


class Gzipped(bytes):
    """A file's bytes, gzip-compressed already (their hash is published): written as
    they are, never compressed again."""


def gzipped(data: bytes) -> Gzipped:
    """``data`` gzip-compressed as every ``.gz`` file of the site is (same bytes from
    build to build)."""
    return Gzipped(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def write_files(
    folder: Path, files: Mapping[str, str | bytes], previous: Path | None = None
) -> list[Path]:
    """Write each file under ``folder`` (text as UTF-8); a path ending in ``.gz`` is
    written gzip-compressed, unless its content is :class:`Gzipped` already. Returns
    the paths written.

    The search tiers are gzip files (the worker inflates them): a fraction of their size
    on disk, which keeps a big catalogue's site under GitHub Pages' 1 GB. ``mtime=0``
    keeps the bytes the same from build to build.

    ``previous``: the site this one replaces; a file it holds byte for byte at the same
    path is hard-linked from it, not written (:func:`link_if_same`), as unchanged pages
    are: a build that adds a listing makes most data files again, but not all.
    """
    written = []
    for path, content in files.items():
        target = folder / path
        written.append(target)
        data = _bytes(path, content)
        if previous is not None and link_if_same(previous / path, target, data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return written


def _bytes(path: str, content: str | bytes) -> bytes:
    """The bytes :func:`write_files` writes for ``content`` at ``path``."""
    if isinstance(content, Gzipped):
        return content
    data = content.encode("utf-8") if isinstance(content, str) else content
    return gzipped(data) if path.endswith(".gz") else data


def catalogue_document(catalogue: Catalogue, url: Callable[[str], str]) -> dict:
    """The whole catalogue for scripts, as ``catalogue.json`` holds it up to
    :data:`SHARD_PAPERS` papers (a fixed contract)."""
    papers = [
        {
            "id": p.id,
            "title": p.title,
            "abstract": p.abstract,
            **_sources(p),
            "tags": list(p.tags),
            "listings": list(p.listings),
            "appearances": [
                {"listing": a.listing, "line": a.line, "position": a.position}
                for a in p.appearances
            ],
            "related": [{"id": r.id, "score": r.score, "why": r.why} for r in p.related],
            "family": list(p.family),
            "mentions": list(p.mentions),
            "url": url(paper_path(p.id)),
            "citation_key": catalogue.citation_keys[p.id],
            **_meta_fields(catalogue.meta.get(p.id)),
        }
        for p in catalogue.papers
    ]
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
    label = labeller(catalogue)
    listings = [
        {
            "name": lst.name,
            "title": label(lst),  # as readers see it; "name" stays the file (provenance)
            "url": url(f"{LISTINGS_DIR}/{slugs[lst.name]}.md"),
            "layout": lst.layout,
            "date": lst.date,
            "entries": len(lst.entries),
        }
        for lst in catalogue.listings
    ]
    hidden = [
        {"id": pid, "title": paper.title, "reason": reason, "url": url(paper_path(pid))}
        for pid, (paper, reason) in sorted(catalogue.hidden.items())
    ]
    redirects = {old: url(paper_path(new)) for old, new in sorted(catalogue.redirects.items())}
    return {"papers": papers, "listings": listings, "hidden": hidden, "redirects": redirects}


def _compact(document: object) -> bytes:
    # Compact: scripts read it whole, and indentation alone grows with every paper.
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def catalogue_files(
    catalogue: Catalogue, url: Callable[[str], str], shard_papers: int = SHARD_PAPERS
) -> dict[str, bytes]:
    """``catalogue.json`` (UTF-8), whole up to ``shard_papers`` papers; above, an index
    of the papers' gzip shards under ``catalogue/``, and the shards (the module's
    docstring says why and what a consumer reads)."""
    document = catalogue_document(catalogue, url)
    papers = document.pop("papers")
    if len(papers) <= shard_papers:
        return {CATALOGUE_FILE: _compact({"papers": papers, **document})}
    files: dict[str, bytes] = {}
    shards = []
    # Fixed-width numbers: the shards sort in the index's order wherever they are listed.
    width = max(3, len(str(-(-len(papers) // shard_papers))))
    for number, start in enumerate(range(0, len(papers), shard_papers), start=1):
        part = papers[start : start + shard_papers]
        path = f"{SHARDS_DIR}/papers-{number:0{width}d}.json.gz"
        files[path] = data = gzipped(_compact({"papers": part}))
        shards.append(
            {
                "path": path,  # relative to catalogue.json, which is at the site's root
                "papers": len(part),
                "first": part[0]["id"],
                "last": part[-1]["id"],
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),  # of the file as served
            }
        )
    index = {"paper_count": len(papers), "paper_shards": shards, **document}
    return {CATALOGUE_FILE: _compact(index), **files}


def _sources(paper: Paper) -> dict[str, str]:
    """The title and abstract as written, beside the text shown, where they had LaTeX."""
    fields = {"title_source": paper.title_source, "abstract_source": paper.abstract_source}
    return {k: v for k, v in fields.items() if v is not None}


def _meta_fields(meta: PaperMeta | None) -> dict[str, object]:
    """What curators added and ``enrich`` found (arXiv id, authors, dates, ...): only
    the keys that are known; ``found`` names the machine-found ones."""
    if meta is None:
        return {}
    fields = {
        "arxiv": meta.arxiv,
        "arxiv_version": meta.version,
        "authors": list(meta.authors) or None,
        "year": meta.date_year,
        "published": meta.published,
        "updated": meta.updated,
        "category": meta.category,
        "venue": meta.venue,
        # Only URLs a page would link: a reader's script may turn these into links too.
        "links": {k: u for k, u in meta.links if safe_url(u)} or None,
        "pdf": safe_url(meta.pdf) if meta.pdf else None,
        "note": meta.note,
        "found": list(meta.found) or None,
        # What a structured listing gave (data/listings/*.yaml), who said it and when.
        "listed": list(meta.listed) or None,
        "listed_from": meta.listed_from if meta.listed else None,
        "upvotes": meta.upvotes,
        "upvoted": meta.upvoted,
    }
    return {k: v for k, v in fields.items() if v is not None}


def urls_json(catalogue: Catalogue, url: Callable[[str], str]) -> str:
    """Where the site put the tag pages the scripts link to, so the
    JavaScript never re-spells a URL rule: ``use_directory_urls: false`` just works."""
    tags = {t.name: url(tag_path(t.name)) for t in catalogue.vocabulary.tags}
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
    listings = {lst.name: url(f"{LISTINGS_DIR}/{slugs[lst.name]}.md") for lst in catalogue.listings}
    return json.dumps(
        {"tags": tags, "listings": listings},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def export_files(
    catalogue: Catalogue,
    url: Callable[[str], str],
    cache: Cache | None = None,
    site_url: str | None = None,
    build_date: str = "1970-01-01",
    key: str | None = None,
    shard_papers: int = SHARD_PAPERS,
) -> dict[str, str | bytes]:
    """Every data file of the site, by path: ``catalogue.json`` (UTF-8 bytes; above
    ``shard_papers`` papers an index, and its shards), ``search/urls.json``, the feeds
    and BibTeX files, and the search index.

    ``key``: what the files depend on beyond the catalogue's data (the URL rule, the
    site's URL, the build date); with it, a build whose catalogue and settings are
    unchanged reuses the files, and the index is reused whenever its input is (``key``
    includes ``shard_papers``: :func:`generator.infra.keys.export_settings`)."""
    files: dict[str, str | bytes] = {}
    _export(files.update, catalogue, url, cache, site_url, build_date, key, shard_papers)
    return files


def _export(
    out: Callable[[dict[str, str | bytes]], object],
    catalogue: Catalogue,
    url: Callable[[str], str],
    cache: Cache | None,
    site_url: str | None,
    build_date: str,
    key: str | None,
    shard_papers: int,
) -> None:
    """:func:`export_files`' files handed to ``out`` in two parts, each let go of once
    handed: ``catalogue.json``, the feeds and BibTeX first, then the search index. A
    writer so never holds the first part's text while the index, the largest piece of
    work, is made (together they made the worker's peak memory in a big catalogue)."""
    cache = cache or Cache(None)
    made: list[SearchInput] = []

    def search() -> SearchInput:
        if not made:
            made.append(search_input(catalogue, lambda pid: url(paper_path(pid)), cache))
        return made[0]

    def find_index_key() -> str:
        # Recorded by the build's process when it made the index ahead: the search
        # input (a pass over every paper's text) is not worked out a second time here.
        if key is not None:
            known = cache.get(INDEX_KEYS, keys.exports(catalogue.source_key, key))
            if isinstance(known, str):
                return known
        return _index_key(search())

    def make() -> tuple[dict[str, str | bytes], str]:
        ready = {
            # Held as UTF-8 until written: as text it is two bytes a character once one
            # character is past Latin-1, twice what UTF-8 needs.
            **catalogue_files(catalogue, url, shard_papers),
            URLS_FILE: urls_json(catalogue, url),
            **feed_files(catalogue, url, site_url, build_date),
        }
        return ready, find_index_key()

    if key is None:
        ready, index_key = make()
    else:
        ready, index_key = cache.memo("exports", keys.exports(catalogue.source_key, key), make)
    out(ready)
    del ready
    index = cache.get(INDEX_STAGE, index_key)
    if not isinstance(index, dict):
        index = build_index(search(), cache=cache)
        cache.put(INDEX_STAGE, index_key, index)
    out(index)


INDEX_STAGE = "search-index"
# The index's key (of its input) by the data files' key (:func:`keys.exports`): what the
# index made ahead leaves for the data files job, a few bytes, so that the job finds the
# index without making its input again.
INDEX_KEYS = "search-index-key"


def _index_key(found: SearchInput) -> str:
    return keys.search_index(found.documents, found.meta, found.snippets)


def search_index_ahead(
    catalogue: Catalogue, url: Callable[[str], str], cache: Cache, key: str | None = None
) -> None:
    """The search index made now and put in ``cache``, where :func:`export_files` finds
    it: for the site build's process, which would otherwise wait idle while its worker
    makes the related lists (``build_catalogue``'s ``meanwhile``), so the worker, which
    makes the data files after them, has that much less to do. The index reads no
    related list, so ``catalogue`` may be the one before them; same input, same index
    (its key is its input). ``key``: the data files' settings key, as
    :func:`export_files` is given it; with it the index's key is recorded under it too,
    so the data files job does not make the search input again to find the index.
    Nothing without a cache: there would be nowhere to keep it."""
    if cache.folder is None:
        return
    found = search_input(catalogue, lambda pid: url(paper_path(pid)), cache)
    index_key = _index_key(found)
    if not cache.has(INDEX_STAGE, index_key):
        cache.put(INDEX_STAGE, index_key, build_index(found, cache=cache))
    if key is not None:
        cache.put(INDEX_KEYS, keys.exports(catalogue.source_key, key), index_key)


def write_exports(
    folder: Path,
    catalogue: Catalogue,
    url: Callable[[str], str],
    cache: Cache | None = None,
    site_url: str | None = None,
    build_date: str = "1970-01-01",
    key: str | None = None,
    shard_papers: int = SHARD_PAPERS,
    previous: Path | None = None,
) -> list[Path]:
    """:func:`export_files` (same arguments after ``folder``), written under ``folder``
    part by part (:func:`_export`): only the paths come back from the worker, not all
    the text. ``previous``: the site this one replaces (:func:`write_files`)."""
    written: list[Path] = []
    parts = (url, cache, site_url, build_date, key, shard_papers)
    _export(lambda part: written.extend(write_files(folder, part, previous)), catalogue, *parts)
    return written


class ExportJob:
    """The data files of one build, made and written under ``folder`` by
    :data:`generator.infra.worker.WORKER` while the pages render; :meth:`written` waits
    for them. The job keeps no catalogue (a big build lets go of it while the pages
    render): if the worker dies, the catalogue is asked of ``again`` and the files are
    made in this process."""

    def __init__(
        self,
        folder: Path,
        catalogue: Catalogue,
        url: Callable[[str], str],
        cache: Cache,
        *,
        site_url: str | None,
        build_date: str,
        key: str,
        again: Callable[[], Catalogue],
        shard_papers: int = SHARD_PAPERS,
        previous: Path | None = None,
    ):
        self.folder, self.again = folder, again
        self.args = (url, cache, site_url, build_date, key, shard_papers, previous)
        self.future: Future[list[Path]] | None = WORKER.submit(
            write_exports, folder, catalogue, *self.args
        )

    def written(self) -> list[Path]:
        """The files' paths, once they are written."""
        assert self.future is not None, "written() is asked once"
        future, self.future = self.future, None
        try:
            return future.result()
        except Exception as error:  # the worker died (killed, out of memory): do it here
            log.warning(f"the data files' worker failed ({error!r}); making them in-process")
            return write_exports(self.folder, self.again(), *self.args)

    def close(self) -> None:
        """Give up on the files (a failed build): not begun, they are never made."""
        if self.future is not None:
            self.future.cancel()
            self.future = None
