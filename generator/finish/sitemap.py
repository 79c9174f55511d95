"""The sitemap within the sitemap protocol's bounds: a sitemap index above them.

MkDocs writes one ``sitemap.xml`` (and its gzip copy) listing every page. The protocol
(sitemaps.org) allows a sitemap file at most 50,000 URLs and 50 MB uncompressed; a
catalogue with one page per paper passes the count at about 50,000 papers, and a search
engine then ignores the whole file. Above either bound this rewrites it as the protocol
says: ``sitemap.xml`` becomes a sitemap index naming ``sitemap-1.xml``, ``sitemap-2.xml``
… each within both bounds, so the address a crawler already knows keeps working. The
parts lie at the site's root: a sitemap may list only URLs under its own folder.

It reads MkDocs' output rather than replacing its template, so the entries are MkDocs'
own (its ``loc`` and ``lastmod``), and a catalogue within the bounds keeps MkDocs' file
byte for byte.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from xml.sax.saxutils import escape

SITEMAP = "sitemap.xml"
MAX_URLS = 50_000  # the protocol's bounds for one sitemap file
MAX_BYTES = 50 * 1024 * 1024
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_URL = re.compile(r"<url>.*?</url>", re.S)
_LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")
_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n'
_TAIL = "</urlset>\n"


def part_name(number: int) -> str:
    return f"sitemap-{number}.xml"


def _parts(entries: list[str], max_urls: int, max_bytes: int) -> list[list[str]]:
    """The entries in order, cut into runs of at most ``max_urls`` that fit in
    ``max_bytes`` as a file."""
    parts: list[list[str]] = [[]]
    size = len(_HEAD) + len(_TAIL)
    for entry in entries:
        grown = len(entry.encode()) + 1
        if parts[-1] and (len(parts[-1]) == max_urls or size + grown > max_bytes):
            parts.append([])
            size = len(_HEAD) + len(_TAIL)
        parts[-1].append(entry)
        size += grown
    return parts


def split_sitemap(
    folder: Path,
    site_url: str | None,
    mtime: int,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> list[Path]:
    """``folder``'s sitemap as an index of parts when it is over either bound (else
    left as it is); the files written. ``site_url`` makes the index's addresses
    absolute, as the protocol asks (without it MkDocs' own entries are root-relative,
    and so are the index's); ``mtime`` stamps the gzip copy, as MkDocs stamps it."""
    sitemap = folder / SITEMAP
    if not sitemap.is_file():
        return []
    text = sitemap.read_text("utf-8")
    entries = _URL.findall(text)
    if len(entries) <= max_urls and len(text.encode()) <= max_bytes:
        return []
    base = site_url.rstrip("/") + "/" if site_url else "/"
    written, index = [], []
    for number, part in enumerate(_parts(entries, max_urls, max_bytes), start=1):
        path = folder / part_name(number)
        path.write_text(_HEAD + "\n".join(part) + "\n" + _TAIL, "utf-8")
        written.append(path)
        dates = [m.group(1) for entry in part for m in _LASTMOD.finditer(entry)]
        lastmod = f"<lastmod>{escape(max(dates))}</lastmod>" if dates else ""
        index.append(f"<sitemap><loc>{escape(base + part_name(number))}</loc>{lastmod}</sitemap>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n'
        + "\n".join(index)
        + "\n</sitemapindex>\n"
    ).encode()
    sitemap.write_bytes(document)
    gz = folder / (SITEMAP + ".gz")
    with gz.open("wb") as raw, gzip.GzipFile(SITEMAP, "wb", fileobj=raw, mtime=mtime) as out:
        out.write(document)
    return [*written, sitemap, gz]
