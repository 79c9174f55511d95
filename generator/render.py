"""Turn a :class:`Catalogue` into Markdown pages: ``{docs path: Markdown text}``.

This is the only module that knows Markdown, and it knows nothing of MkDocs:
the pages are plain Python-Markdown with YAML front matter, so they build under
MkDocs today and under a successor tomorrow. The page text lives in Jinja
templates (``generator/templates/``); this module computes what they show.

Safety: the template environment escapes every ``{{ value }}`` for Markdown and
HTML (:func:`generator.escaping.markdown_text`) unless the value is
:class:`~markupsafe.Markup` — our own links, numbers and front matter — so a
template cannot forget to escape a title.
"""

from __future__ import annotations

import json
import posixpath
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from slugify import slugify

from generator.catalogue import Catalogue, Paper, normalise
from generator.curation import CURATION_DIR, PaperMeta
from generator.escaping import html_text, linkify, markdown_text
from generator.listing_meta import ListingMeta
from generator.listings import Listing
from generator.references import bibtex, external_links
from generator.search import INDEX_FILE, META_FILE, build_search, excerpt

TEMPLATES_DIR = Path(__file__).parent / "templates"
PAPERS_DIR = "papers"
LISTINGS_DIR = "listings"
TAGS_DIR = "tags"
CO_OCCURRING = 6  # tags shown as "often together with" on a tag page
DESCRIPTION_LENGTH = 160
DIGITS, OTHER = "0–9", "Other"
# Pages made of paper titles stay out of Material's site search: papers have their own
# index (generator/search.py), and these pages would only echo its results.
NOT_IN_SITE_SEARCH = {"exclude": True}


@dataclass(frozen=True)
class SitePages:
    """The generated part of the site: Markdown pages and data files by docs path."""

    pages: dict[str, str]  # "papers/x.md" -> Markdown, in a stable order
    data: dict[str, str]  # "catalogue.json" -> text

    @staticmethod
    def in_navigation(path: str) -> bool:
        """Index pages go in the nav; the hundreds of paper and listing pages stay out."""
        return path.count("/") == 0 or path.endswith("/index.md")


def paper_path(paper_id: str) -> str:
    return f"{PAPERS_DIR}/{paper_id}.md"


def tag_path(tag: str) -> str:
    return f"{TAGS_DIR}/{tag}.md"


def page_url(docs_path: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a page (``papers/x.md`` → ``papers/x/``)."""
    stem = docs_path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_path: str, to_path: str, directory_urls: bool = True) -> str:
    """The relative URL from one page's URL to another's, as a browser resolves it."""
    source, target = page_url(from_path, directory_urls), page_url(to_path, directory_urls)
    folder = (source if source.endswith("/") else posixpath.dirname(source)).rstrip("/") or "."
    rel = posixpath.relpath(target.rstrip("/") or ".", folder)
    return f"{rel}/" if target.endswith("/") or not target else rel


def listing_slugs(listings: tuple[Listing, ...]) -> dict[str, str]:
    """Listing file name → URL-safe page name, unique even if two names slug alike."""
    slugs: dict[str, str] = {}
    for listing in listings:
        base = slugify(listing.stem, lowercase=False) or "listing"
        slug, n = base, 2
        while slug in slugs.values() or slug == "index":
            slug, n = f"{base}-{n}", n + 1
        slugs[listing.name] = slug
    return slugs


def listing_label(listing: Listing, meta: ListingMeta | None = None) -> str:
    """How a listing is named to readers: a curator's title, else its kind, date and file."""
    if meta and meta.title:
        return meta.title
    kind = f"Daily papers, {listing.date}" if listing.date else "Trending papers digest"
    return f"{kind} ({listing.stem})"


@dataclass(frozen=True)
class Repository:
    """Where the catalogue's source lives, for "suggest an edit" links (GitHub layout)."""

    url: str  # https://github.com/owner/repo
    branch: str = "main"

    def edit_url(self, paper_id: str, exists: bool, title: str) -> str:
        folder = f"data/{CURATION_DIR}"
        if exists:
            return f"{self.url}/edit/{self.branch}/{folder}/{paper_id}.yaml"
        template = CURATION_TEMPLATE.format(title=title.replace('"', "'"))
        query = urlencode({"filename": f"{paper_id}.yaml", "value": template})
        return f"{self.url}/new/{self.branch}/{folder}?{query}"


# What a curator starts from when a paper has no curation file yet.
SCHEMA_LINE = "# yaml-language-server: $schema=../../../generator/schemas/curation.schema.json\n"
CURATION_TEMPLATE = (
    SCHEMA_LINE
    + """# Edits to this paper; every key is optional.
# See CONTRIBUTING.md.
# title: "{title}"
# tags: {{add: [], remove: []}}
# same_as: []          # ids of duplicates to merge into this paper
# not_same_as: []      # ids of different papers with the same title
# hidden: "reason"
# arxiv: "2401.01234"
# authors: []
# year: 2024
# venue: ""
# links: {{code: "", project: "", pdf: ""}}
# note: ""
"""
)


def initial(title: str) -> str:
    """The A–Z section a title files under: its first letter, accents off; digits
    under '0–9', other scripts and symbols under 'Other'."""
    for char in unicodedata.normalize("NFKD", title):
        if char.isalpha():
            letter = char.upper()
            return letter if "A" <= letter <= "Z" else OTHER
        if char.isdigit():
            return DIGITS
    return OTHER


def az_key(title: str) -> tuple[str, str]:
    return (normalise(title), title)


def front_matter(**fields: object) -> Markup:
    """YAML front matter, safe whatever the text.

    Each value is written as JSON, which is valid YAML (a double-quoted scalar or a
    flow sequence): quotes, colons, ``---`` and newlines in a title cannot break out.
    It is also ~20x faster than yaml.safe_dump, which matters at 720 pages a build.
    """
    lines = [
        f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items() if v is not None
    ]
    return Markup("---\n" + "\n".join(lines) + "\n---\n")


def _finalize(value: object) -> object:
    """Every template output goes through here: untrusted text is escaped."""
    if isinstance(value, Markup | int | float):
        return value
    return markdown_text(str(value), line_start=False)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # one template load per build, not a stat() per page
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML: _finalize does the escaping
    )
    env.filters["linkify"] = linkify
    # id or Paper -> (Paper, no note), the item shape of the paper_list macro
    env.filters["pair_of"] = lambda item, papers: (papers.get(item, item), None)
    env.filters["html"] = lambda v: Markup(html_text(str(v)))
    return env


class _Renderer:
    """Holds what every page needs (catalogue, lookups) while the pages are written."""

    def __init__(self, catalogue: Catalogue, directory_urls: bool, repo: Repository | None):
        self.catalogue = catalogue
        self.directory_urls = directory_urls
        self.repo = repo
        self.papers = catalogue.by_id()
        self.slugs = listing_slugs(catalogue.listings)
        self.listings = {lst.name: lst for lst in catalogue.listings}
        self.taxonomy = catalogue.taxonomy
        self.tagged: dict[str, list[Paper]] = defaultdict(list)
        for paper in sorted(catalogue.papers, key=lambda p: az_key(p.title)):
            for tag in paper.tags:
                self.tagged[tag].append(paper)
        # Reverse mentions: "mentioned by" on the page of the paper that is named.
        self.mentioned_by: dict[str, list[str]] = defaultdict(list)
        for paper in catalogue.papers:
            for target in paper.mentions:
                self.mentioned_by[target].append(paper.id)

    def listing_path(self, name: str) -> str:
        return f"{LISTINGS_DIR}/{self.slugs[name]}.md"

    def render(self, template: str, path: str, **context: object) -> str:
        def link(target: str) -> Markup:
            """A Markdown link target from this page to another docs path."""
            return Markup(posixpath.relpath(target, posixpath.dirname(path) or "."))

        def href(target: str) -> Markup:
            """A URL from this page to another, for raw HTML (which MkDocs leaves alone)."""
            return Markup(html_text(relative_url(path, target, self.directory_urls)))

        def asset(target: str) -> Markup:
            """A URL from this page to a static file (a script, a stylesheet)."""
            return Markup(html_text(relative_url(path, "index.md", self.directory_urls) + target))

        return (
            environment()
            .get_template(template)
            .render(
                link=link,
                href=href,
                asset=asset,
                paper_path=paper_path,
                tag_path=tag_path,
                listing_path=self.listing_path,
                listing_label=lambda lst: listing_label(
                    lst, self.catalogue.listing_meta.get(lst.name)
                ),
                papers=self.papers,
                listings=self.listings,
                catalogue=self.catalogue,
                **context,
            )
        )

    def paper(self, paper: Paper) -> str:
        path = paper_path(paper.id)
        meta = self.catalogue.meta.get(paper.id)
        description = excerpt(paper.abstract, DESCRIPTION_LENGTH)
        matter = front_matter(
            # Material prints meta values into <title>, the header and <meta> unescaped.
            title=html_text(paper.title),
            description=html_text(description),
            paper_id=paper.id,
            # A paper page needs neither the site nav nor a table of contents; both
            # would be rendered into every one of the 720 pages.
            hide=["navigation", "toc"],
            search=NOT_IN_SITE_SEARCH,
        )
        return self.render(
            "paper.md.j2",
            path,
            paper=paper,
            front_matter=matter,
            related=[(self.papers[r.id], f"{r.score:.2f} · shares {r.why}") for r in paper.related],
            meta=meta,
            links=external_links(paper, meta),
            bibtex=bibtex(paper, meta),
            edit_url=self.repo.edit_url(paper.id, meta is not None and meta.curated, paper.title)
            if self.repo
            else None,
            mentioned_by=self.mentioned_by.get(paper.id, []),
        )

    def listing(self, listing: Listing) -> str:
        path = self.listing_path(listing.name)
        label = listing_label(listing, self.catalogue.listing_meta.get(listing.name))
        matter = front_matter(title=html_text(label), search=NOT_IN_SITE_SEARCH)
        return self.render(
            "listing.md.j2",
            path,
            listing=listing,
            listing_meta=self.catalogue.listing_meta.get(listing.name),
            front_matter=matter,
            entries=[(p, self.also_in(p)) for p in self.catalogue.listing_papers(listing)],
        )

    @staticmethod
    def also_in(paper: Paper) -> str | None:
        others = len(paper.listings) - 1
        return f"also in {others} other listing{'s' if others > 1 else ''}" if others else None

    def a_to_z(self) -> str:
        sections: dict[str, list[Paper]] = defaultdict(list)
        for paper in sorted(self.catalogue.papers, key=lambda p: az_key(p.title)):
            sections[initial(paper.title)].append(paper)
        order = sorted(sections, key=lambda s: (s in (DIGITS, OTHER), s))
        anchors = {s: "az-" + (slugify(s) or "09") for s in order}
        return self.render(
            "a-z.md.j2", "a-z.md", sections=[(s, Markup(anchors[s]), sections[s]) for s in order]
        )

    def tags_index(self) -> str:
        groups = [
            (group, [(t, len(self.tagged[t.name])) for t in self.taxonomy.tags if t.group == group])
            for group in self.taxonomy.groups
        ]
        tagged = sum(1 for p in self.catalogue.papers if p.tags)
        return self.render("tags.md.j2", f"{TAGS_DIR}/index.md", groups=groups, tagged=tagged)

    def tag(self, tag) -> str:
        papers = self.tagged[tag.name]
        together = Counter(t for p in papers for t in p.tags if t != tag.name)
        common = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:CO_OCCURRING]
        matter = front_matter(
            title=html_text(f"Tag: {tag.name}"),
            description=html_text(tag.description),
            search=NOT_IN_SITE_SEARCH,
        )
        return self.render(
            "tag.md.j2",
            tag_path(tag.name),
            tag=tag,
            tag_papers=papers,
            together=common,
            front_matter=matter,
        )

    def pages(self) -> dict[str, str]:
        pages = {
            "index.md": self.render("home.md.j2", "index.md", stats=statistics(self.catalogue)),
            "a-z.md": self.a_to_z(),
            "find.md": self.render("find.md.j2", "find.md"),
            f"{LISTINGS_DIR}/index.md": self.render("listings.md.j2", f"{LISTINGS_DIR}/index.md"),
        }
        if self.taxonomy and self.taxonomy.tags:
            pages[f"{TAGS_DIR}/index.md"] = self.tags_index()
            for tag in self.taxonomy.tags:
                pages[tag_path(tag.name)] = self.tag(tag)
        for listing in self.catalogue.listings:
            pages[self.listing_path(listing.name)] = self.listing(listing)
        for paper in self.catalogue.papers:
            pages[paper_path(paper.id)] = self.paper(paper)
        for pid, (paper, reason) in self.catalogue.hidden.items():
            matter = front_matter(
                title=html_text(paper.title), hide=["navigation", "toc"], search=NOT_IN_SITE_SEARCH
            )
            pages[paper_path(pid)] = self.render(
                "hidden.md.j2", paper_path(pid), paper=paper, reason=reason, front_matter=matter
            )
        for old in self.catalogue.redirects:
            pages[paper_path(old)] = self.redirect(old)
        return pages

    def redirect(self, old: str) -> str:
        """A merged paper's old URL keeps working: a page that sends readers on."""
        target = self.papers[self.catalogue.redirects[old]]
        to = relative_url(paper_path(old), paper_path(target.id), self.directory_urls)
        matter = front_matter(
            title=html_text(target.title),
            template="redirect.html",
            redirect_to=to,
            search=NOT_IN_SITE_SEARCH,
        )
        return self.render("redirect.md.j2", paper_path(old), paper=target, front_matter=matter)


def statistics(catalogue: Catalogue) -> dict[str, int]:
    entries = sum(len(lst.entries) for lst in catalogue.listings)
    return {
        "papers": len(catalogue.papers),
        "listings": len(catalogue.listings),
        "entries": entries,
        "merged": entries - len(catalogue.papers),
        "multi": sum(1 for p in catalogue.papers if len(p.listings) > 1),
    }


def catalogue_json(catalogue: Catalogue, url: Callable[[str], str]) -> str:
    """``site/catalogue.json``: the whole catalogue for scripts (a fixed contract)."""
    papers = [
        {
            "id": p.id,
            "title": p.title,
            "abstract": p.abstract,
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
            **_curated_fields(catalogue.meta.get(p.id)),
        }
        for p in catalogue.papers
    ]
    listings = [
        {"name": lst.name, "layout": lst.layout, "date": lst.date, "entries": len(lst.entries)}
        for lst in catalogue.listings
    ]
    hidden = [
        {"id": pid, "title": paper.title, "reason": reason, "url": url(paper_path(pid))}
        for pid, (paper, reason) in sorted(catalogue.hidden.items())
    ]
    redirects = {old: url(paper_path(new)) for old, new in sorted(catalogue.redirects.items())}
    document = {"papers": papers, "listings": listings, "hidden": hidden, "redirects": redirects}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _curated_fields(meta: PaperMeta | None) -> dict[str, object]:
    """What curators added (arXiv id, authors, ...): only the keys that are known."""
    if meta is None:
        return {}
    fields = {
        "arxiv": meta.arxiv,
        "authors": list(meta.authors) or None,
        "year": meta.year,
        "venue": meta.venue,
        "links": dict(meta.links) or None,
        "note": meta.note,
    }
    return {k: v for k, v in fields.items() if v is not None}


def render_site(
    catalogue: Catalogue, directory_urls: bool = True, repo: Repository | None = None
) -> SitePages:
    """Every generated page and data file of the site."""
    renderer = _Renderer(catalogue, directory_urls, repo)
    search = build_search(catalogue, lambda pid: page_url(paper_path(pid), directory_urls))
    data = {
        "catalogue.json": catalogue_json(catalogue, lambda p: page_url(p, directory_urls)),
        INDEX_FILE: search.index,
        META_FILE: search.meta,
    }
    return SitePages(renderer.pages(), data)
