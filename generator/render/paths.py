"""Where each generated page and file lives, and the relative URLs between them.

Pages are named by docs path (``papers/x.md``); a ``url`` rule the caller passes in
turns one into its site URL (the MkDocs plugin passes MkDocs' own rule;
:func:`directory_url` is the usual one, for callers with no site generator to ask).
Links are computed here, without the OS, so a page's links never depend on where the
build runs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping

from slugify import slugify

from generator.ingest.listing_meta import date_text, listing_date
from generator.model import Listing, ListingMeta
from generator.render.naming import listing_labels

PAPERS_DIR = "papers"
LISTINGS_DIR = "listings"
TAGS_DIR = "tags"

UrlRule = Callable[[str], str]  # docs path ("papers/x.md") -> site-relative URL

# Where a page's raw-HTML ``href``/``src`` addresses are relative to. MkDocs leaves raw
# HTML alone, so they must be relative to the page's URL ("output"); Zensical rewrites
# every relative href/src itself, as if relative to the page's .md file, turning a
# ``.md`` target into its URL (zensical/zensical#258), so it is handed "source" links.
# Addresses in ``data-*`` attributes are left alone by both: always relative to the URL.
OUTPUT, SOURCE = "output", "source"


def directory_url(docs_path: str) -> str:
    """The usual static-site rule (``papers/x.md`` → ``papers/x/``), for callers with
    no site generator to ask: the CLI's export and the tests."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def paper_path(paper_id: str) -> str:
    return f"{PAPERS_DIR}/{paper_id}.md"


def tag_path(tag: str) -> str:
    return f"{TAGS_DIR}/{tag}.md"


# Feeds and bibliographies (generator/export/feeds.py): site paths of files, not pages; a
# feed's path has no extension, as each feed is written as .xml (Atom) and .json.
SITE_FEED = "feed"


def tag_feed(tag: str) -> str:
    return f"feeds/tags/{tag}"


def tag_bib(tag: str) -> str:
    return f"bib/tags/{tag}.bib"


def listing_bib(slug: str) -> str:
    return f"bib/listings/{slug}.bib"


def _folder(url: str) -> str:
    """The folder a browser resolves relative links against, for a page's URL."""
    return (url if url.endswith("/") else posixpath.dirname(url)).rstrip("/") or "."


def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath`` for paths that are already normal and relative to the same
    root ("." for the root itself), as every docs path and site URL here is. relpath
    makes both absolute first, asking the OS for the working folder each time: with a
    link on every line of a page, a good share of rendering the pages."""
    to = [] if target == "." else target.split("/")
    at = [] if start == "." else start.split("/")
    common = 0
    while common < min(len(to), len(at)) and to[common] == at[common]:
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def relative_url(url: UrlRule, from_path: str, to_path: str) -> str:
    """The relative URL from one page's URL to another's, as a browser resolves it."""
    target = url(to_path)
    rel = relative_path(target.rstrip("/") or ".", _folder(url(from_path)))
    return f"{rel}/" if target.endswith("/") or not target else rel


def root_url(url: UrlRule, from_path: str) -> str:
    """The relative URL from a page to the site's root folder ("" or "../../")."""
    rel = relative_path(".", _folder(url(from_path)))
    return "" if rel == "." else rel + "/"


def stem_slug(listing: Listing) -> str:
    """A listing's first URL name, from its file name ("000-2c539da77f382f8d"): gone from
    the site but kept as a redirect, as URLs are forever."""
    return slugify(listing.stem, lowercase=False) or "listing"


def listing_slugs(
    listings: tuple[Listing, ...], meta: Mapping[str, ListingMeta] | None = None
) -> dict[str, str]:
    """Listing file name → URL-safe page name: a slug of the listing's name as readers
    see it, with its date when the name does not already say it
    ("daily-papers-14-march"), unique even if two names slug alike. The old names from
    file names (:func:`stem_slug`) are kept apart, so a redirect and a page never share
    an address."""
    meta = meta or {}
    labels = listing_labels(listings, meta)
    old = {stem_slug(lst) for lst in listings}
    slugs: dict[str, str] = {}
    for listing in listings:
        base = slugify(labels[listing.name]) or "listing"
        date = listing_date(listing, meta.get(listing.name))
        # The date's words the name does not already say ("2024" after "14 March").
        said = set(base.split("-"))
        when = [w for w in slugify(date_text(date)).split("-") if w not in said] if date else []
        base = "-".join([base, *when])
        slug, n = base, 2
        while slug in slugs.values() or slug == "index" or slug in old:
            slug, n = f"{base}-{n}", n + 1
        slugs[listing.name] = slug
    return slugs
