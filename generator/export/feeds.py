"""Feeds and bibliographies: Atom and JSON Feed for the catalogue and each tag; a BibTeX
file for each tag and listing and one for the whole catalogue.

What a reader follows or fetches, and so what is written (issue 31, item 2):

* A feed is for what is new. The site's and each tag's get new papers as listings are
  added, so readers subscribe to them. A listing is a dump that never changes once
  added: a feed of it would never show a new entry, so a listing has none (and its
  page points to the tag and site feeds; a reader subscribed to one of the listing
  feeds of earlier builds already holds all it will ever carry).
* Both formats, Atom and JSON Feed, of the site's and the tags' feeds: every feed reader
  reads Atom, and some (NetNewsWire, Feedbin, Inoreader) read JSON Feed, whose readers
  are already subscribed; with the listing feeds gone both are bounded by the tags, not
  the papers (a few megabytes at any size), so cutting one would break subscriptions
  for little.
* BibTeX: each paper's entry is on its page (and the reading list exports any set a
  reader picks). A listing's file is whole (a listing is a bounded dump of a day or a
  week). A tag's file holds its newest :data:`TAG_BIB_PAPERS` papers and says so in a
  comment with the tag's count and the address of ``catalogue.bib``, which holds every
  paper: a topic's file of thousands of entries is not what a reader imports, and whole
  per-tag files were the largest data files of a 50,000-paper site (every paper in
  about 3.5 of them).

A feed says what is new *in this catalogue*: a paper's date is the day the first
listing naming it joined the catalogue (``added`` in data/listings.yaml), newest
first; papers of the same day keep the newest listing's order. A listing with no
``added`` date counts as new on the build date the caller passes (MkDocs honours
``SOURCE_DATE_EPOCH`` for it, as for the sitemap), so output stays reproducible.

Atom is written with ElementTree (every value escaped by the serializer, characters
XML forbids dropped); entry ids are ``tag:`` URIs made from the paper id, which never
changes, so a reader never sees an entry twice when the site moves. Links are
absolute when the site's URL is known, else relative to the feed file (readers
resolve them against the feed's own address).
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator.analyse.citations import bibtex
from generator.model import Catalogue, Paper
from generator.render.naming import az_key
from generator.render.paths import (
    SITE_FEED,
    listing_bib,
    listing_slugs,
    paper_path,
    relative_path,
    tag_bib,
    tag_feed,
)
from generator.text.escaping import one_line

# Entries per feed, newest first: a feed is for what is new, not an archive, and a feed
# reader keeps what it has seen. The site's feed carries a day's Hugging Face daily
# listing (about 50 papers) whole, so a reader that looks once a day misses none; a tag's
# feed gets a share of a day's papers, and a listing's never changes once added, so 30
# cover them. Bounded, so feeds do not grow with the catalogue (benchmarks/README.md).
FEED_ENTRIES = 30
SITE_FEED_ENTRIES = 50
# A tag's BibTeX file: its newest papers, A–Z. At the real catalogue's size (720 papers,
# the largest tag 204) nearly every tag's file is whole; the bound bites as a catalogue
# grows into tags of thousands (benchmarks/README.md).
TAG_BIB_PAPERS = 200
TAG_ID = "tag:paper-catalogue.invalid,2026"  # the scheme of every id (RFC 4151)
ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    path: str  # site path without extension: feeds/tags/diffusion-models
    title: str
    description: str
    page: str  # docs path of the page the feed follows
    papers: tuple[Paper, ...]  # newest first, at most (SITE_)FEED_ENTRIES


def joined(catalogue: Catalogue, build_date: str) -> dict[str, str]:
    """Each paper's date in the catalogue: the earliest ``added`` of its listings."""
    added = {}
    for listing in catalogue.listings:
        meta = catalogue.listing_meta.get(listing.name)
        added[listing.name] = meta.added if meta and meta.added else build_date
    return {p.id: min(added[name] for name in p.listings) for p in catalogue.papers}


def newest_first(catalogue: Catalogue, dates: dict[str, str]) -> list[Paper]:
    """Every paper, newest in the catalogue first; a day's papers in the order of the
    newest listing that names them, then by their rank in it."""
    order = {lst.name: i for i, lst in enumerate(catalogue.listings)}

    def key(paper: Paper) -> tuple:
        last = max(paper.appearances, key=lambda a: order[a.listing])
        return (_descending(dates[paper.id]), -order[last.listing], last.position, paper.id)

    return sorted(catalogue.papers, key=key)


def _descending(date: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in date.split("-"))


def by_tag_newest_first(ordered: list[Paper]) -> dict[str, list[Paper]]:
    by_tag: dict[str, list[Paper]] = defaultdict(list)
    for paper in ordered:
        for tag in paper.tags:
            by_tag[tag].append(paper)
    return by_tag


def feeds(catalogue: Catalogue, dates: dict[str, str]) -> list[Feed]:
    """The site's feed, then one per tag (a listing has none: it never changes)."""
    ordered = newest_first(catalogue, dates)
    by_tag = by_tag_newest_first(ordered)
    out = [
        Feed(
            SITE_FEED,
            "Paper Catalogue",
            "Papers new in the catalogue, newest first.",
            "index.md",
            tuple(ordered[:SITE_FEED_ENTRIES]),
        )
    ]
    for tag in catalogue.vocabulary.tags:
        out.append(
            Feed(
                tag_feed(tag.name),
                f"Paper Catalogue: {tag.name}",
                tag.description,
                f"tags/{tag.name}.md",
                tuple(by_tag[tag.name][:FEED_ENTRIES]),
            )
        )
    return out


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class FeedSite:
    """What every feed of one build is written from."""

    catalogue: Catalogue
    dates: dict[str, str]  # paper id -> its date in the catalogue (:func:`joined`)
    url: Callable[[str], str]  # docs path -> site-relative URL
    site_url: str | None  # the published site's address, when known


class _Links:
    """URLs as a feed file gives them: absolute under the site's URL, else relative."""

    def __init__(self, url: Callable[[str], str], site_url: str | None, feed_path: str):
        self.url, self.feed_dir = url, posixpath.dirname(feed_path)
        self.site = site_url.rstrip("/") + "/" if site_url else None

    def __call__(self, site_path: str) -> str:
        if self.site:
            return self.site + site_path
        rel = relative_path(site_path.rstrip("/") or ".", self.feed_dir or ".")
        return rel + "/" if site_path.endswith("/") and rel != "." else rel

    def page(self, docs_path: str) -> str:
        return self(self.url(docs_path))


def atom(feed: Feed, site: FeedSite) -> str:
    """An Atom 1.0 document (RFC 4287) for one feed."""
    catalogue, dates = site.catalogue, site.dates
    link = _Links(site.url, site.site_url, feed.path + ".xml")
    root = ET.Element("feed", {"xmlns": ATOM})
    ET.SubElement(root, "id").text = f"{TAG_ID}:{feed.path}"
    ET.SubElement(root, "title").text = _xml_text(feed.title)
    ET.SubElement(root, "subtitle").text = _xml_text(feed.description)
    updated = max((dates[p.id] for p in feed.papers), default="1970-01-01")
    ET.SubElement(root, "updated").text = f"{updated}T00:00:00Z"
    ET.SubElement(
        root, "link", {"rel": "alternate", "type": "text/html", "href": link.page(feed.page)}
    )
    ET.SubElement(
        root,
        "link",
        {"rel": "self", "type": "application/atom+xml", "href": link(feed.path + ".xml")},
    )
    ET.SubElement(ET.SubElement(root, "author"), "name").text = "Paper Catalogue curators"
    ET.SubElement(root, "generator").text = "Paper Catalogue"
    for paper in feed.papers:
        meta = catalogue.meta.get(paper.id)
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "id").text = f"{TAG_ID}:papers/{paper.id}"
        ET.SubElement(entry, "title").text = _xml_text(paper.title)
        ET.SubElement(entry, "updated").text = f"{dates[paper.id]}T00:00:00Z"
        if meta and meta.published:
            ET.SubElement(entry, "published").text = f"{meta.published}T00:00:00Z"
        ET.SubElement(
            entry,
            "link",
            {"rel": "alternate", "type": "text/html", "href": link.page(paper_path(paper.id))},
        )
        for name in meta.authors if meta else ():
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = _xml_text(name)
        for tag in paper.tags:
            ET.SubElement(entry, "category", {"term": tag})
        ET.SubElement(entry, "summary", {"type": "text"}).text = _xml_text(paper.abstract)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_feed(feed: Feed, site: FeedSite) -> str:
    """A JSON Feed 1.1 document for the same feed."""
    catalogue, dates = site.catalogue, site.dates
    link = _Links(site.url, site.site_url, feed.path + ".json")
    items = []
    for paper in feed.papers:
        meta = catalogue.meta.get(paper.id)
        item: dict[str, object] = {
            "id": f"{TAG_ID}:papers/{paper.id}",
            "url": link.page(paper_path(paper.id)),
            "title": paper.title,
            "content_text": paper.abstract,
            "date_modified": f"{dates[paper.id]}T00:00:00Z",
        }
        if meta and meta.published:
            item["date_published"] = f"{meta.published}T00:00:00Z"
        if meta and meta.authors:
            item["authors"] = [{"name": name} for name in meta.authors]
        if paper.tags:
            item["tags"] = list(paper.tags)
        items.append(item)
    document = {
        "version": JSON_FEED,
        "title": feed.title,
        "description": feed.description,
        "home_page_url": link.page(feed.page),
        "feed_url": link(feed.path + ".json"),
        "authors": [{"name": "Paper Catalogue curators"}],
        "language": "en",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def bibliography(papers, catalogue: Catalogue, note: str = "") -> str:
    """BibTeX entries for the papers, in the order given (A–Z for a tag, listing order
    for a listing), each with the key its page shows; after ``note``, a comment (BibTeX
    reads text outside an entry as one) that says what the file leaves out, so a file
    of part of a set never passes for the whole."""
    entries = "\n\n".join(
        bibtex(p, catalogue.meta.get(p.id), catalogue.citation_keys[p.id]) for p in papers
    )
    return (f"% {_xml_text(one_line(note))}\n\n" if note else "") + entries + "\n"


def tag_bib_note(shown: int, total: int, tag: str, whole: str) -> str:
    """The comment heading a tag's BibTeX file that holds part of the tag."""
    return (
        f"The newest {shown:,} of the {total:,} papers tagged {tag}, A-Z. "
        f"Every paper of the catalogue: {whole}"
    )


def feed_files(
    catalogue: Catalogue, url: Callable[[str], str], site_url: str | None, build_date: str
) -> dict[str, str]:
    """Every feed and bibliography file, by site path."""
    site = FeedSite(catalogue, joined(catalogue, build_date), url, site_url)
    files: dict[str, str] = {}
    for feed in feeds(catalogue, site.dates):
        files[feed.path + ".xml"] = atom(feed, site)
        files[feed.path + ".json"] = json_feed(feed, site)
    alphabetical = sorted(catalogue.papers, key=lambda p: az_key(p.title))
    files["catalogue.bib"] = bibliography(alphabetical, catalogue)
    tagged = by_tag_newest_first(newest_first(catalogue, site.dates))
    for tag in catalogue.vocabulary.tags:
        papers = tagged[tag.name]
        shown = sorted(papers[:TAG_BIB_PAPERS], key=lambda p: az_key(p.title))
        note = ""
        if len(shown) < len(papers):
            whole = _Links(url, site_url, tag_bib(tag.name))("catalogue.bib")
            note = tag_bib_note(len(shown), len(papers), tag.name, whole)
        files[tag_bib(tag.name)] = bibliography(shown, catalogue, note)
    # A listing's whole, at its address only: its first address (named after the dump's
    # file) kept a copy for the feed readers subscribed there, and a listing has no feed
    # now; a BibTeX file is fetched once, not followed.
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
    for listing in catalogue.listings:
        files[listing_bib(slugs[listing.name])] = bibliography(
            catalogue.listing_papers(listing), catalogue
        )
    return files
