"""Feeds (Atom, JSON Feed) and bibliographies, read back with real parsers."""

from __future__ import annotations

import json
import re
import shutil

import bibtexparser
import feedparser
import jsonschema
import yaml
from conftest import DATA, FIXTURES

from generator.export.feeds import (
    FEED_ENTRIES,
    SITE_FEED_ENTRIES,
    TAG_BIB_PAPERS,
    feed_files,
    joined,
    newest_first,
)
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url


def _catalogue(site):
    return json.loads((site / "catalogue.json").read_text("utf-8"))["papers"]


JSON_FEED_SCHEMA = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text("utf-8"))


def _parse(path):
    """An Atom file as feedparser reads it; a JSON Feed checked against the spec's
    rules (feedparser 6 does not read JSON Feed) and returned as its items."""
    if path.suffix == ".json":
        document = json.loads(path.read_text("utf-8"))
        jsonschema.validate(document, JSON_FEED_SCHEMA)
        return document
    parsed = feedparser.parse(path.read_text("utf-8"))
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def test_the_site_feeds_are_valid_and_newest_first(real_site):
    papers = {p["url"]: p for p in _catalogue(real_site)}
    atom = _parse(real_site / "feed.xml")
    # Bounded: the newest SITE_FEED_ENTRIES of 720
    assert atom.version == "atom10" and len(atom.entries) == SITE_FEED_ENTRIES < len(papers)
    as_json = _parse(real_site / "feed.json")
    assert [i["title"] for i in as_json["items"]] == [e.title for e in atom.entries]
    assert [i["url"] for i in as_json["items"]] == [e.link for e in atom.entries]
    dates = [e.updated_parsed for e in atom.entries]
    assert dates == sorted(dates, reverse=True)
    # All five listings joined on one day: the newest listing's papers come first, in
    # its order (Daily papers, 12 March: DrivAerNet is its first entry).
    assert atom.entries[0].title.startswith("DrivAerNet: A Parametric Car Dataset")
    for entry in atom.entries:
        paper = papers[entry.link]  # relative to the feed at the site's root
        assert entry.title == paper["title"] and entry.summary == paper["abstract"]
        assert (real_site / entry.link / "index.html").exists()
        assert [t.term for t in entry.tags] == paper["tags"]
        assert entry.id == f"tag:paper-catalogue.invalid,2026:papers/{paper['id']}"


def test_every_tag_has_feeds_and_a_bibliography_and_a_listing_a_bibliography(real_site):
    papers = _catalogue(real_site)
    tags = {t for p in papers for t in p["tags"]}
    longer = bounded = 0
    for tag in tags:
        entries = _parse(real_site / "feeds" / "tags" / f"{tag}.xml").entries
        having = [p for p in papers if tag in p["tags"]]
        assert len(entries) == min(len(having), FEED_ENTRIES)
        longer += len(having) > FEED_ENTRIES
        assert all(tag in [t.term for t in e.tags] for e in entries)
        assert len(_parse(real_site / "feeds" / "tags" / f"{tag}.json")["items"]) == len(entries)
        text = (real_site / "bib" / "tags" / f"{tag}.bib").read_text()
        bib = bibtexparser.parse_string(text)
        assert not bib.failed_blocks
        keys = {e.key for e in bib.entries}
        if len(having) <= TAG_BIB_PAPERS:  # whole, and says nothing more
            assert keys == {p["citation_key"] for p in having} and not text.startswith("%")
            continue
        # Above the bound: its newest papers, the same the tag's feed starts with, and a
        # comment that says so and where every paper is (BibTeX skips it as a comment).
        bounded += 1
        assert len(keys) == TAG_BIB_PAPERS and keys < {p["citation_key"] for p in having}
        newest = {e.link.removeprefix("../../") for e in entries}
        assert newest <= {p["url"] for p in having if p["citation_key"] in keys}
        first = text.splitlines()[0]
        assert first == (
            f"% The newest {TAG_BIB_PAPERS} of the {len(having)} papers tagged {tag}, A-Z. "
            "Every paper of the catalogue: ../../catalogue.bib"
        )
        page = (real_site / "tags" / tag / "index.html").read_text("utf-8")
        assert f"BibTeX of its newest {TAG_BIB_PAPERS} papers</a>" in page
        assert 'href="../../catalogue.bib" download>every paper</a>' in page
    assert longer, "some tag has more papers than its feed carries"
    assert bounded, "some tag has more papers than its BibTeX file carries"
    # A listing never changes once added: no feed, at either of its addresses, and no
    # feed link on its page; its BibTeX is whole, at its own address.
    assert not (real_site / "feeds" / "listings").exists()
    page = (real_site / "listings" / "daily-papers-14-march" / "index.html").read_text("utf-8")
    assert _alternates(page) == [  # the site's, as on every page but a paper's
        ("application/atom+xml", "../../feed.xml"),
        ("application/feed+json", "../../feed.json"),
    ]
    assert "Atom feed" not in page.split("<footer")[0]
    assert 'href="../../bib/listings/daily-papers-14-march.bib" download' in page
    bib = (real_site / "bib" / "listings" / "daily-papers-14-march.bib").read_text()
    assert len(bibtexparser.parse_string(bib).entries) == 161
    assert not (real_site / "bib" / "listings" / "003-0bcb5151a6c02ef0.bib").exists()
    everything = bibtexparser.parse_string((real_site / "catalogue.bib").read_text())
    assert len(everything.entries) == 720 and not everything.failed_blocks


def _alternates(page: str) -> list[tuple[str, str]]:
    """Feed links as a feed reader finds them: rel holds the word "alternate" (rel is a
    set of words) and type is a feed's."""
    links = re.findall(r'<link rel="([^"]+)" type="([^"]+)" title="[^"]*" href="([^"]+)"', page)
    return [(kind, href) for rel, kind, href in links if "alternate" in rel.split()]


def test_pages_link_their_feeds(real_site):
    home = (real_site / "index.html").read_text("utf-8")
    assert _alternates(home) == [
        ("application/atom+xml", "feed.xml"),
        ("application/feed+json", "feed.json"),
    ]
    tag = (real_site / "tags" / "diffusion-models" / "index.html").read_text("utf-8")
    links = _alternates(tag)
    assert ("application/atom+xml", "../../feeds/tags/diffusion-models.xml") in links
    assert ("application/feed+json", "../../feeds/tags/diffusion-models.json") in links
    assert 'href="../../bib/tags/diffusion-models.bib" download' in tag
    for _, href in links:
        assert (real_site / "tags" / "diffusion-models" / href).resolve().is_file()


def test_a_newer_listing_comes_first_and_the_site_url_makes_links_absolute(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    meta = yaml.safe_load((data / "listings.yaml").read_text("utf-8"))
    meta["001_f84fb9d8814330a6.txt"]["added"] = "2026-12-01"
    (data / "listings.yaml").write_text(yaml.safe_dump(meta), "utf-8")
    catalogue = build_catalogue(data)
    dates = joined(catalogue, "2027-01-01")
    ordered = newest_first(catalogue, dates)
    newer = [p for p in catalogue.papers if dates[p.id] == "2026-12-01"]
    assert newer and set(ordered[: len(newer)]) == set(newer)
    # A paper also in an older listing is as old as that listing.
    assert all(p.listings == ("001_f84fb9d8814330a6.txt",) for p in newer)
    files = feed_files(catalogue, directory_url, "https://example.org/cat/", "2027-01-01")
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo and feed.feed.updated == "2026-12-01T00:00:00Z"
    assert feed.entries[0].link.startswith("https://example.org/cat/papers/")
    assert json.loads(files["feed.json"])["feed_url"] == "https://example.org/cat/feed.json"


def test_hostile_text_stays_text_in_feeds(hostile_site):
    title = '<script>alert("title")</script> & the *PO **Bold** _Claim_ of {{ config.site_name }}'
    assert title in [e.title for e in _parse(hostile_site / "feed.xml").entries]
    assert title in [i["title"] for i in _parse(hostile_site / "feed.json")["items"]]
    assert "<script>" not in (hostile_site / "feed.xml").read_text("utf-8")
