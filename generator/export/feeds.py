"""Feeds and bibliographies: Atom and JSON Feed for the catalogue, each tag and each
listing; a BibTeX file for each tag and listing and one for the whole catalogue.

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
from generator.render.naming import az_key, labeller
from generator.render.paths import (
    SITE_FEED,
    listing_bib,
    listing_feed,
    listing_slugs,
    paper_path,
    relative_path,
    stem_slug,
    tag_bib,
    tag_feed,
)

# Entries per feed, newest first: a feed is for what is new, not an archive, and a feed
# reader keeps what it has seen. The site's feed carries a day's Hugging Face daily
# listing (about 50 papers) whole, so a reader that looks once a day misses none; a tag's
# feed gets a share of a day's papers, and a listing's never changes once added, so 30
# cover them. Bounded, so feeds do not grow with the catalogue (benchmarks/README.md).
FEED_ENTRIES = 30
SITE_FEED_ENTRIES = 50
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


def feeds(catalogue: Catalogue, dates: dict[str, str]) -> list[Feed]:
    """The site's feed, then one per tag and one per listing."""
    ordered = newest_first(catalogue, dates)
    by_tag: dict[str, list[Paper]] = defaultdict(list)
    by_listing: dict[str, list[Paper]] = defaultdict(list)
    for paper in ordered:
        for tag in paper.tags:
            by_tag[tag].append(paper)
        for name in paper.listings:
            by_listing[name].append(paper)
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
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
    label = labeller(catalogue)
    for listing in catalogue.listings:
        meta = catalogue.listing_meta.get(listing.name)
        out.append(
            Feed(
                listing_feed(slugs[listing.name]),
                f"Paper Catalogue: {label(listing)}",
                (meta.description if meta and meta.description else None)
                or f"The papers of {label(listing)}.",
                f"listings/{slugs[listing.name]}.md",
                tuple(by_listing[listing.name][:FEED_ENTRIES]),
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


def bibliography(papers, catalogue: Catalogue) -> str:
    """BibTeX entries for the papers, in the order given (A–Z for a tag, listing order
    for a listing), each with the key its page shows. Whole, unlike a feed or a tag
    page: a bibliography is for citing or importing the set, and one that silently left
    papers out would be wrong; one file per tag, fetched only when asked for."""
    return (
        "\n\n".join(
            bibtex(p, catalogue.meta.get(p.id), catalogue.citation_keys[p.id]) for p in papers
        )
        + "\n"
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
    tagged: dict[str, list[Paper]] = defaultdict(list)
    for paper in alphabetical:
        for tag in paper.tags:
            tagged[tag].append(paper)
    for tag in catalogue.vocabulary.tags:
        files[tag_bib(tag.name)] = bibliography(tagged[tag.name], catalogue)
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
    for listing in catalogue.listings:
        files[listing_bib(slugs[listing.name])] = bibliography(
            catalogue.listing_papers(listing), catalogue
        )
        # A listing's feeds and bibliography at their first addresses too (named after
        # the dump's file): a feed reader subscribed there follows no HTML redirect.
        old, new = stem_slug(listing), slugs[listing.name]
        for ext in (".xml", ".json"):
            files[listing_feed(old) + ext] = files[listing_feed(new) + ext]
        files[listing_bib(old)] = files[listing_bib(new)]
    return files
