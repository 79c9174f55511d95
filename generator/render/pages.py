"""Turn a :class:`Catalogue` into Markdown pages: ``{docs path: Page}``.

This is the only module that knows Markdown, and it knows nothing of the site
generator: pages are plain Python-Markdown, their links computed from a ``url``
function the caller passes in (the MkDocs plugin passes MkDocs' own rule, as
Material's tags plugin is handed its URLs), and each page says what *kind* it is
and what it is titled, leaving front-matter keys and navigation to the plugin. So
the pages build under MkDocs today and under a successor tomorrow. The page text
lives in Jinja templates (``generator/render/templates/``); this module computes what they
show. Data files (catalogue.json, the search index) are :mod:`generator.export.site_data`'s.

The parts around it: :mod:`~generator.render.paths` (where pages live, links between
them), :mod:`~generator.render.templating` (the template environment and its escaping),
:mod:`~generator.render.charts` (the stats page's charts), :mod:`~generator.render.naming`
and :mod:`~generator.render.edit_links`.
"""

from __future__ import annotations

import posixpath
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup
from slugify import slugify

from generator.analyse.citations import bibtex, external_links
from generator.export.feeds import TAG_BIB_PAPERS
from generator.export.search import byline, excerpt
from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.ingest.listing_meta import date_text, listing_date, newest_first
from generator.model import Catalogue, Listing, Paper, PaperMeta, Problem, TagInfo, readable_tag
from generator.render.atlas import MAP_PAGE, mark
from generator.render.charts import Charts
from generator.render.edit_links import Repository
from generator.render.head_meta import head_tags
from generator.render.naming import DIGITS, OTHER, az_key, initial, labeller
from generator.render.paths import (
    LISTINGS_DIR,
    OUTPUT,
    SOURCE,
    TAGS_DIR,
    UrlRule,
    directory_url,
    listing_bib,
    listing_slugs,
    paper_path,
    relative_path,
    relative_url,
    root_url,
    stem_slug,
    tag_bib,
    tag_feed,
    tag_path,
)
from generator.render.plots import table
from generator.render.stats import statistics
from generator.render.templating import TEMPLATES_DIR, Templates
from generator.text.escaping import html_text, linkify
from generator.text.latex import pieces
from generator.text.latex import render as render_pieces

CO_OCCURRING = 6  # tags shown as "often together with" on a tag page
HOME_PAPERS = 10  # the newest listing's first papers, on the home page
HOME_TAGS = 12  # the largest tags, on the home page
# The newest listings, on the home page: a catalogue fed daily has a listing a day, and
# the listings' own page (a table) names them all.
HOME_LISTINGS = 10
# Cards on one A–Z page: few enough that a page stays within the height a reader can
# scroll through (tests/browser/test_cards.py measures every page; benchmarks/README.md).
AZ_PART = 50
# Above this many papers the A–Z lists rows (title and byline) instead of cards, on pages
# of AZ_ROWS_PART: past it the A–Z is more pages of cards than anyone pages through (at
# 50,000 papers 1,015 of them, a page shell each for 50 cards), and it is an index, where
# one looks for a title already known; the bytes are in benchmarks/README.md.
AZ_ROWS_ABOVE = 2_000
AZ_ROWS_PART = 200
AZ_DIR = "a-z"
HEADINGS = {"tags": "Tag", "listings": "Listing", "dates": "Month", "pairs": "Tags"}
DESCRIPTION_LENGTH = 160
# Cards a tag or listing page shows in each order it offers: one screen's worth, as the
# A–Z's pages and the Search page's pages hold (FirstScreen says why).
LIST_SHOWN = 50
# A card's snippet: about two lines at desktop width (CSS clamps it to two lines on a
# phone). Every list carries one per paper, so it is what a card costs most: short.
CARD_SNIPPET = 160


@dataclass(frozen=True)
class Page:
    """One generated page: its Markdown, and what the site generator needs to know."""

    kind: str  # home, index, a-z, a-z-part, find, map, tag, listing, paper, hidden, redirect
    title: str  # plain text (unescaped)
    markdown: str | bytes  # the Markdown, or zlib'd (paper pages: as the page cache has it)
    description: str | None = None  # plain text, for <meta name="description">
    extra: dict[str, str] = field(default_factory=dict)  # paper_id, redirect_to, feed

    @property
    def body(self) -> str:
        """The Markdown. Paper pages hold it compressed until asked: in a big catalogue the
        pages as text are a large part of the build's memory, and far less compressed."""
        text = self.markdown
        return zlib.decompress(text).decode() if isinstance(text, bytes) else text


@dataclass(frozen=True)
class Ref:
    """Another paper as a paper page shows it: a title to link. A paper page sees only
    these of other papers, so its cache key (:meth:`_Renderer.paper`) holds all it reads."""

    id: str
    title: str


@dataclass(frozen=True)
class AzPart:
    """One page of the A–Z: papers of one letter, the ``number``-th of ``count`` pages."""

    letter: str
    slug: str  # the letter in addresses: a, 0-9, other
    path: str
    number: int
    count: int
    papers: tuple[Paper, ...]

    @property
    def title(self) -> str:
        return self.letter if self.count == 1 else f"{self.letter} ({self.number} of {self.count})"


@dataclass(frozen=True)
class Card:
    """What a paper card (the ``paper_cards`` macro) shows beside the paper's own title:
    plain text, escaped by the macro."""

    byline: str  # "A, B, C et al. · 19 June 2013", or "" when nothing is known
    date: str | None  # first submission (YYYY-MM-DD) or a curator's year, for sorting
    snippet: str
    tags: tuple[tuple[str, str], ...]  # (name, readable name)
    listings: tuple[tuple[str, str], ...]  # (readable name, docs path)


@dataclass(frozen=True)
class FirstScreen:
    """A long tag or listing page: the first :data:`LIST_SHOWN` papers in each order the
    page offers, each order computed over the *whole* tag or listing at build time, and
    the way to the rest (the Search page, which pages through a tag or listing 50 at a
    time).

    Why bounded: a list of cards grows with the catalogue (at 50,000 papers one tag page
    was 19.6 MB, the tag pages 152 MB), and no reader scrolls 14,000 cards; splitting
    the list into static pages of 50 would not lower the bytes (every card still once per
    tag, plus a page shell each). Why every order's first screen: an order applied to the
    cards shown would sort a subset while claiming to sort the tag; so each order's
    first screen is chosen over the whole list, and the page carries the union of those
    screens once (hidden until their order is picked: ``hidden`` below), with each order
    as indexes into it. Without JavaScript the page shows its own order's first screen;
    every paper stays reachable from the A–Z pages. benchmarks/README.md has the bytes."""

    papers: tuple[Paper, ...]  # every paper some order shows, in the list's own order
    hidden: frozenset[str]  # ids the own order does not show
    orders: tuple[tuple[str, str], ...]  # (order, its papers as indexes into ``papers``)
    total: int  # papers in the whole tag or listing
    limit: int = LIST_SHOWN


def first_screen(
    papers: Sequence[Paper], keys: dict[str, tuple[object, bool]], limit: int = LIST_SHOWN
) -> FirstScreen | None:
    """``papers`` in the list's own order (the first of ``keys``); ``keys``: each order
    offered, as (sort key, descending). ``None`` when the whole list fits one screen: the
    page then lists it all, and its script sorts what it lists. The sorts are stable, so
    ties keep the own order, as the script's sort of a whole list does."""
    if len(papers) <= limit:
        return None
    tops = {}
    for name, (key, descending) in keys.items():
        ordered = papers if key is None else sorted(papers, key=key, reverse=descending)
        tops[name] = ordered[:limit]
    wanted = {p.id for top in tops.values() for p in top}
    union = tuple(p for p in papers if p.id in wanted)
    index = {p.id: i for i, p in enumerate(union)}
    own = next(iter(tops.values()))
    return FirstScreen(
        papers=union,
        hidden=frozenset(wanted - {p.id for p in own}),
        orders=tuple((name, " ".join(str(index[p.id]) for p in top)) for name, top in tops.items()),
        total=len(papers),
        limit=limit,
    )


def card_date(meta: PaperMeta | None) -> tuple[str | None, str]:
    """(sortable date, the date as the byline says it) of a paper, when known."""
    if meta is None:
        return None, ""
    if meta.published:
        return meta.published, date_text(meta.published)
    return (str(meta.year), str(meta.year)) if meta.year else (None, "")


def abstract_html(paper: Paper) -> Markup:
    """The abstract as the page shows it: the LaTeX it was written with as text,
    emphasis and math (generator/text/latex.py), every run of text escaped and its URLs
    linked. HTML, which the page passes through as a raw block: as Markdown, each of
    its escaped characters cost Python-Markdown's inline parser a match (a large part of
    converting a paper page)."""
    return Markup(render_pieces(pieces(paper.written_abstract), partial(linkify, for_html=True)))


class _Renderer:
    """Holds what every page needs (catalogue, lookups) while the pages are written."""

    def __init__(
        self,
        catalogue: Catalogue,
        url: UrlRule,
        repo: Repository | None,
        templates: Path | Templates,
        cache: Cache | None = None,
        charts: Charts | None = None,
        html_links: str = OUTPUT,
    ):
        if html_links not in (OUTPUT, SOURCE):
            raise ValueError(f"html_links is {OUTPUT!r} or {SOURCE!r}, not {html_links!r}")
        self.html_links = html_links
        self.catalogue = catalogue
        self.cache = cache or Cache(None)
        self.charts = charts or Charts(catalogue, self.cache, url=url)
        self.label = labeller(catalogue)
        templates = Templates.of(templates)  # read once: the key and the pages agree
        self.env = templates.environment()
        self.url = url
        self.repo = repo
        self.papers = catalogue.by_id
        self.slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)
        self.listings = {lst.name: lst for lst in catalogue.listings}
        self.tag_titles = {t.name: t.title for t in catalogue.vocabulary.tags}
        self._cards: dict[str, Card] = {}
        self.tagged: dict[str, list[Paper]] = defaultdict(list)
        for paper in sorted(catalogue.papers, key=lambda p: az_key(p.title)):
            for tag in paper.tags:
                self.tagged[tag].append(paper)
        # Reverse mentions: "mentioned by" on the page of the paper that is named.
        self.mentioned_by: dict[str, list[str]] = defaultdict(list)
        for paper in catalogue.papers:
            for target in paper.mentions:
                self.mentioned_by[target].append(paper.id)
        # What every paper page also depends on: the templates, the URL rule, the repo.
        self.page_key = keys.paper_pages(
            templates.key_parts(), url(paper_path("x")), html_links, repo
        )
        self.paper_pages: Kept[bytes] = Kept(self.cache, "paper-pages", self.page_key)  # zlib'd

    def listing_path(self, name: str) -> str:
        return f"{LISTINGS_DIR}/{self.slugs[name]}.md"

    def tag_title(self, name: str) -> str:
        """A tag's readable name (a tag no longer in the taxonomy: its name made readable)."""
        return self.tag_titles.get(name) or readable_tag(name)

    def card(self, paper: Paper) -> Card:
        """A paper's card data, made once: a paper is on its tags', listings' and A–Z pages."""
        made = self._cards.get(paper.id)
        if made is None:
            meta = self.catalogue.meta.get(paper.id)
            date, said = card_date(meta)
            names = byline(meta.authors) if meta else ""
            made = self._cards[paper.id] = Card(
                byline=" · ".join(part for part in (names, said) if part),
                date=date,
                snippet=excerpt(paper.abstract, CARD_SNIPPET),
                tags=tuple((t, self.tag_title(t)) for t in paper.tags),
                listings=tuple(
                    (self.label(self.listings[name]), self.listing_path(name))
                    for name in paper.listings
                ),
            )
        return made

    def orders(self, papers: Sequence[Paper], own: str, upvotes: bool) -> FirstScreen | None:
        """A long list's first screen in each order the page's script offers
        (javascripts/paper-lists.js, whose rules it follows: newest and most upvoted
        only where two or more papers carry a date or upvotes)."""

        def upvoted(paper: Paper) -> int | None:
            meta = self.catalogue.meta.get(paper.id)
            return meta.upvotes if meta else None

        keys: dict[str, tuple[object, bool]] = {own: (None, False)}
        if own != "az":
            keys["az"] = (lambda p: az_key(p.title), False)
        if sum(1 for p in papers if self.card(p).date) >= 2:
            keys["newest"] = (lambda p: self.card(p).date or "", True)
        keys["listed"] = (lambda p: len(p.listings), True)
        if upvotes and sum(1 for p in papers if upvoted(p) is not None) >= 2:
            keys["upvotes"] = (lambda p: -1 if upvoted(p) is None else upvoted(p), True)
        return first_screen(papers, keys)

    @staticmethod
    def browse_all(**filters: str) -> Markup:
        """The Search page's address query for one tag or listing (``?tag=…``): the way
        to every paper of a list longer than its first screen (the template puts it after
        ``href("find.md")``). The value is curator data: encoded for the URL, then
        escaped for the attribute."""
        return Markup(html_text("?" + urlencode(filters)))

    def listing_date(self, listing: Listing) -> Markup | None:
        """The listing's date for readers, as far as it is known ("14 March": no year)."""
        date = listing_date(listing, self.catalogue.listing_meta.get(listing.name))
        if date is None:
            return None
        return Markup(f'<time datetime="{html_text(date)}">{html_text(date_text(date))}</time>')

    def render(self, template: str, path: str, whole: bool = True, **context: object) -> str:
        """``whole``: the template also sees the whole catalogue (every page but a
        paper's, which sees only what its cache key holds)."""

        def link(target: str) -> Markup:
            """A Markdown link target from this page to another docs path."""
            return Markup(relative_path(target, posixpath.dirname(path) or "."))

        def data_href(target: str) -> Markup:
            """A URL from this page's URL to another page, for a ``data-*`` attribute
            (which no site generator rewrites) or raw HTML under MkDocs."""
            return Markup(html_text(relative_url(self.url, path, target)))

        def data_asset(target: str) -> Markup:
            """A URL from this page's URL to a static file, for a ``data-*`` attribute
            or raw HTML under MkDocs."""
            return Markup(html_text(root_url(self.url, path) + target))

        def source_relative(target: str) -> Markup:
            """From this page's .md file to a docs path: the site generator rewrites it."""
            return Markup(html_text(relative_path(target, posixpath.dirname(path) or ".")))

        # href/src in raw HTML: to another page (href) or a static file (asset).
        source = self.html_links == SOURCE
        href = source_relative if source else data_href
        asset = source_relative if source else data_asset
        helpers = {"link": link, "href": href, "asset": asset}
        helpers.update(data_href=data_href, data_asset=data_asset)
        helpers.update(paper_path=paper_path, tag_path=tag_path)
        if whole:
            helpers.update(
                listing_path=self.listing_path,
                listing_label=self.label,
                listing_date=self.listing_date,
                card=self.card,
                tag_title=self.tag_title,
                papers=self.papers,
                listings=self.listings,
                catalogue=self.catalogue,
            )
        return self.env.get_template(template).render(**helpers, **context)

    def ref(self, pid: str) -> Ref:
        return Ref(pid, self.papers[pid].title)

    def paper(self, paper: Paper) -> Page:
        """A paper's page, from the cache when nothing it shows changed: its key is
        everything the template is given (the paper, its metadata, the other papers'
        titles it links, its listings' names and paths) and the templates and URL rule
        (``page_key``). Without it, adding a listing re-rendered every page."""
        path = paper_path(paper.id)
        meta = self.catalogue.meta.get(paper.id)
        context = {
            "paper": paper,
            "meta": meta,
            "related": [(self.ref(r.id), r.why) for r in paper.related],
            "family": [(self.ref(pid), None) for pid in paper.family],
            "mentions": [(self.ref(pid), None) for pid in paper.mentions],
            "mentioned_by": [(self.ref(pid), None) for pid in self.mentioned_by.get(paper.id, [])],
            "appearances": [
                (self.label(self.listings[a.listing]), self.listing_path(a.listing), a)
                for a in paper.appearances
            ],
            "citation_key": self.catalogue.citation_keys[paper.id],
            # its tags by their readable names (the taxonomy's labels: part of the key)
            "tags": [(t, self.tag_title(t)) for t in paper.tags],
        }
        packed = self.paper_pages.get(
            keys.paper_page(context),
            lambda: zlib.compress(self._paper_body(path, **context).encode(), 1),
        )
        description = excerpt(paper.abstract, DESCRIPTION_LENGTH)
        # Citation metadata for the page's head: Zotero, Google Scholar, link previews.
        head = head_tags(paper, meta, description)
        return Page("paper", paper.title, packed, description, {"paper_id": paper.id, "head": head})

    def _paper_body(self, path: str, paper: Paper, meta, citation_key: str, **rest) -> str:
        links = external_links(paper, meta)
        # The paper itself as buttons in the byline (arXiv, PDF); the rest below the abstract.
        buttons = [(label, url) for label, url in links if label in ("arXiv", "PDF")]
        return self.render(
            "paper.md.j2",
            path,
            whole=False,
            paper=paper,
            meta=meta,
            abstract=abstract_html(paper),
            buttons=buttons,
            links=[(label, url) for label, url in links if (label, url) not in buttons],
            bibtex=bibtex(paper, meta, citation_key),
            edit_url=self.repo.edit_url(paper.id, meta is not None and meta.curated)
            if self.repo
            else None,
            **rest,
        )

    def listing(self, listing: Listing) -> Page:
        path = self.listing_path(listing.name)
        entries = self.catalogue.listing_papers(listing)
        upvotes = listing.layout == "hf-daily"
        body = self.render(
            "listing.md.j2",
            path,
            listing=listing,
            listing_meta=self.catalogue.listing_meta.get(listing.name),
            bib=listing_bib(self.slugs[listing.name]),
            entries=entries,
            upvotes=upvotes,
            screen=self.orders(entries, "listing", upvotes),
            browse_all=self.browse_all(listing=self.slugs[listing.name]),
        )
        # No feed of its own: a listing never changes once added (export/feeds.py).
        return Page("listing", self.label(listing), body)

    def a_to_z(self) -> dict[str, Page]:
        """The A–Z: an index of letters (at the old single page's address, with its
        ``#az-x`` anchors, so old links land on their letter) and the papers of each
        letter on pages of at most :data:`AZ_PART` cards, so no page grows with the
        catalogue (one page of them all grew taller than anyone scrolls); above
        :data:`AZ_ROWS_ABOVE` papers, of :data:`AZ_ROWS_PART` rows. The A–Z is where
        every paper is reachable without JavaScript (tag and listing pages show a
        screen of theirs)."""
        sections: dict[str, list[Paper]] = defaultdict(list)
        for paper in sorted(self.catalogue.papers, key=lambda p: az_key(p.title)):
            sections[initial(paper.title)].append(paper)
        rows = len(self.catalogue.papers) > AZ_ROWS_ABOVE
        size = AZ_ROWS_PART if rows else AZ_PART
        order = sorted(sections, key=lambda s: (s in (DIGITS, OTHER), s))
        parts: list[AzPart] = []
        for letter in order:
            group = sections[letter]
            count = -(-len(group) // size)
            slug = slugify(letter) or "09"
            for i in range(count):
                path = f"{AZ_DIR}/{slug}.md" if i == 0 else f"{AZ_DIR}/{slug}-{i + 1}.md"
                papers = group[i * size : (i + 1) * size]
                parts.append(AzPart(letter, slug, path, i + 1, count, tuple(papers)))
        firsts = [p for p in parts if p.number == 1]
        pages = {
            "a-z.md": Page(
                "a-z",
                "A–Z",
                self.render("a-z.md.j2", "a-z.md", letters=firsts, parts=parts),
            )
        }
        for i, part in enumerate(parts):
            around = (parts[i - 1] if i else None, parts[i + 1] if i + 1 < len(parts) else None)
            body = self.render(
                "a-z-part.md.j2", part.path, part=part, letters=firsts, around=around, rows=rows
            )
            pages[part.path] = Page("a-z-part", f"A–Z: {part.title}", body)
        return pages

    def find(self) -> Page:
        """The Search page: its filters are the taxonomy's tags by group, the listings,
        and the years papers carry (when any do)."""
        vocabulary = self.catalogue.vocabulary
        groups = [(g, [t for t in vocabulary.tags if t.group == g]) for g in vocabulary.groups]
        shown = {p.id for p in self.catalogue.papers}
        # The years of the dates cards show (card_date): what the year filter matches
        dates = (card_date(m)[0] for pid, m in self.catalogue.meta.items() if pid in shown)
        years = sorted({date[:4] for date in dates if date}, reverse=True)
        # A listing is filtered by its page's slug, as readers know it from its address;
        # the option carries the dump's name the search index files it under.
        body = self.render(
            "find.md.j2", "find.md", tag_groups=groups, years=years, listing_slugs=self.slugs
        )
        return Page("find", "Search and browse", body)

    def tags_index(self) -> Page:
        vocabulary = self.catalogue.vocabulary
        groups = [
            (group, [(t, len(self.tagged[t.name])) for t in vocabulary.tags if t.group == group])
            for group in vocabulary.groups
        ]
        tagged = sum(1 for p in self.catalogue.papers if p.tags)
        path = f"{TAGS_DIR}/index.md"
        return Page("index", "Tags", self.render("tags.md.j2", path, groups=groups, tagged=tagged))

    def tag(self, tag: TagInfo) -> Page:
        papers = self.tagged[tag.name]
        together = Counter(t for p in papers for t in p.tags if t != tag.name)
        common = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:CO_OCCURRING]
        body = self.render(
            "tag.md.j2",
            tag_path(tag.name),
            tag=tag,
            tag_papers=papers,
            together=common,
            feed=tag_feed(tag.name),
            bib=tag_bib(tag.name),
            bib_papers=min(len(papers), TAG_BIB_PAPERS),
            screen=self.orders(papers, "az", upvotes=False),
            browse_all=self.browse_all(tag=tag.name),
        )
        extra = {"feed": tag_feed(tag.name), "feed_title": f"Paper Catalogue: {tag.title}"}
        return Page("tag", f"Tag: {tag.title}", body, tag.description, extra)

    def hidden(self, pid: str, paper: Paper, reason: str) -> Page:
        body = self.render("hidden.md.j2", paper_path(pid), paper=paper, reason=reason)
        return Page("hidden", paper.title, body)

    def redirect(self, old: str) -> Page:
        """A merged paper's old URL keeps working: a page that sends readers on."""
        target = self.papers[self.catalogue.redirects[old]]
        to = relative_url(self.url, paper_path(old), paper_path(target.id))
        body = self.render("redirect.md.j2", paper_path(old), paper=target)
        return Page("redirect", target.title, body, extra={"redirect_to": to})

    def listing_moved(self, listing: Listing) -> tuple[str, Page]:
        """A listing's first address (named after its dump's file, "000-2c539da77f382f8d")
        keeps working: a page that sends readers on to its named address."""
        old = f"{LISTINGS_DIR}/{stem_slug(listing)}.md"
        new = self.listing_path(listing.name)
        to = relative_url(self.url, old, new)
        body = self.render("moved.md.j2", old, listing=listing, target=new)
        return old, Page("redirect", self.label(listing), body, extra={"redirect_to": to})

    def home(self) -> Page:
        """Where a reader starts: counts, the newest listing's first papers, the
        largest tags, and a link to everything else."""
        catalogue = self.catalogue
        recent = newest_first(catalogue.listings, catalogue.listing_meta)
        newest = recent[0] if recent else None
        papers = catalogue.listing_papers(newest) if newest else []
        largest = sorted(
            ((t, len(self.tagged[t.name])) for t in catalogue.vocabulary.tags),
            key=lambda tc: (-tc[1], tc[0].name),
        )[:HOME_TAGS]
        body = self.render(
            "home.md.j2",
            "index.md",
            stats=statistics(catalogue),
            newest=newest,
            newest_meta=catalogue.listing_meta.get(newest.name) if newest else None,
            newest_papers=papers[:HOME_PAPERS],
            newest_count=len(papers),
            largest_tags=largest,
            recent_listings=recent[:HOME_LISTINGS],
        )
        return Page("home", "Paper Catalogue", body)

    def stats(self) -> Page:
        charts = [
            (plot, Markup(self.charts.chart(plot)), Markup(table(plot, HEADINGS[plot.name])))
            for plot in self.charts.plots
        ]
        body = self.render(
            "stats.md.j2",
            "stats.md",
            stats=statistics(self.catalogue),
            charts=charts,
            dated=sum(1 for m in self.catalogue.meta.values() if m.published),
        )
        return Page("index", "Statistics", body)

    def map(self) -> Page:
        """Every paper as a point placed by its text, with the colours' legend."""
        vocabulary = self.catalogue.vocabulary
        counted = Counter(self.charts.plan.colours)
        legend = [
            (i, name, counted[i], Markup(mark(i, 0, 0)))
            for i, name in enumerate(vocabulary.groups)
            if counted[i]
        ]
        if counted[-1]:
            legend.append(("x", "no tag", counted[-1], Markup(mark(-1, 0, 0))))
        total = len(self.catalogue.papers)
        body = self.render(
            "map.md.j2",
            MAP_PAGE,
            chart=Markup(self.charts.map()),
            legend=legend,
            shown=self.charts.plan.shown(),
            total=total,
        )
        return Page("map", "Map of the catalogue", body)

    def pages(self) -> dict[str, Page]:
        pages: dict[str, Page | None] = {
            "index.md": self.home(),
            "stats.md": None,  # rendered last, once its charts are drawn; kept in this place
            MAP_PAGE: None,  # the same
            **self.a_to_z(),
            "find.md": self.find(),
            f"{LISTINGS_DIR}/index.md": Page(
                "index", "Listings", self.render("listings.md.j2", f"{LISTINGS_DIR}/index.md")
            ),
        }
        if self.catalogue.vocabulary.tags:
            pages[f"{TAGS_DIR}/index.md"] = self.tags_index()
            for tag in self.catalogue.vocabulary.tags:
                pages[tag_path(tag.name)] = self.tag(tag)
        for listing in self.catalogue.listings:
            pages[self.listing_path(listing.name)] = self.listing(listing)
        for listing in self.catalogue.listings:
            old, page = self.listing_moved(listing)
            pages.setdefault(old, page)  # never over a page (slugs keep them apart anyway)
        for paper in self.catalogue.papers:
            pages[paper_path(paper.id)] = self.paper(paper)
        for pid, (paper, reason) in self.catalogue.hidden.items():
            pages[paper_path(pid)] = self.hidden(pid, paper, reason)
        for old in self.catalogue.redirects:
            pages[paper_path(old)] = self.redirect(old)
        pages["stats.md"] = self.stats()
        pages[MAP_PAGE] = self.map()
        self.paper_pages.save()
        return {path: page for path, page in pages.items() if page is not None}


def render_pages(
    catalogue: Catalogue,
    url: UrlRule = directory_url,
    repo: Repository | None = None,
    templates: Path | Templates = TEMPLATES_DIR,
    cache: Cache | None = None,
    charts: Charts | None = None,
    html_links: str = OUTPUT,
) -> dict[str, Page]:
    """Every generated page of the site, by docs path, in a stable order. ``templates``:
    a folder of templates to use instead of the package's (a site's own look);
    ``cache`` keeps the stats page's charts between builds; ``charts``: the charts,
    started before (default: drawn here when the stats page renders); ``html_links``:
    what raw HTML's href/src are relative to, :data:`OUTPUT` (MkDocs) or :data:`SOURCE`
    (Zensical)."""
    return _Renderer(catalogue, url, repo, templates, cache, charts, html_links).pages()


def problems_banner(problems: Sequence[Problem], shown: int = 10) -> str:
    """While a curator previews (``make serve``), the data errors on every page, not
    only in the terminal they may not be watching: an escaped HTML notice naming each
    file and line, empty when there are none (a clean save takes it away)."""
    if not problems:
        return ""
    items = "".join(
        f"<li><code>{html_text(f'{p.path}:{p.line}' if p.line else p.path)}</code> "
        f"{html_text(p.message)}{html_text(f' — {p.hint}') if p.hint else ''}</li>"
        for p in problems[:shown]
    )
    more = f"<li>… and {len(problems) - shown} more</li>" if len(problems) > shown else ""
    count = f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
    return (
        f'<div class="pc-problems" role="alert"><p><strong>{count} in the catalogue data.'
        "</strong> This preview shows what could be built; a strict build (CI) fails until "
        f"they are fixed. Save a fix and this page reloads.</p><ul>{items}{more}</ul></div>"
    )
