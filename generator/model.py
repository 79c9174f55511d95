"""The types every stage shares, and nothing else: this module imports no stage.

Stages pass plain frozen dataclasses to one another (an :class:`Entry` from a
dump, a :class:`Paper` once deduplicated, the finished :class:`Catalogue`), and
report bad input as :class:`Problem` values rather than exceptions. Keeping the
types apart from the code that makes them lets any stage, the renderer, the
cache and the tests use them without importing (or cycling through) the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cached_property

LISTING_SUFFIX = ".txt"
# A listing fetched from its source with its metadata (generator/ingest/structured.py):
# the third layout, beside the two text dumps.
STRUCTURED_SUFFIX = ".yaml"
STRUCTURED_LAYOUT = "hf-daily"


class Severity(Enum):
    ERROR = "error"  # the data is wrong: the build fails (strict) until it is fixed
    NOTICE = "notice"  # worth a curator's look, the build goes on (e.g. a title clash)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one place in the data, shown as ``file:line: message — hint``.

    Every stage reports bad input the same way, so the CLI, the MkDocs build and the
    tests print, count and assert on problems without knowing which stage spoke. A
    problem never stops a stage: it skips the one bad record and keeps the rest.
    """

    path: str  # repository-relative path of the file, e.g. data/listings/000_x.txt
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str  # what is wrong
    hint: str = ""  # what to do about it
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class Listed:
    """What a structured listing says of one paper beyond its title and abstract, as its
    source gave it when fetched: None (or empty) where the source said nothing."""

    source: str  # who said it: "Hugging Face Papers API"
    fetched: str  # when, YYYY-MM-DD
    authors: tuple[str, ...] = ()
    published: str | None = None  # YYYY-MM-DD
    upvotes: int | None = None  # at fetch time
    code: str | None = None
    project: str | None = None


@dataclass(frozen=True)
class Entry:
    """One title/abstract pair as it stands in one dump."""

    title: str
    abstract: str
    listing: str  # the dump's file name, e.g. "000_2c539da77f382f8d.txt"
    line: int  # 1-based line of the title in that file
    position: int  # 1-based rank of the entry within its dump
    # A structured listing's papers come with their arXiv id (without version), which
    # dedup matches before any title, and with what else the source said of them.
    arxiv: str | None = None
    listed: Listed | None = None


@dataclass(frozen=True)
class Listing:
    """One dump: where it came from, what it says about itself, its entries in order."""

    name: str  # file name; the listing's identity (stable, unique in data/listings/)
    path: str  # path as given to the parser, for messages
    layout: str  # "trending", "daily" or STRUCTURED_LAYOUT
    date: str | None  # the date line of a daily dump ("Mar 14"), as written
    entries: tuple[Entry, ...]
    # What a structured listing says of itself (its date, source page, fetch date): the
    # defaults under a curator's entry in data/listings.yaml.
    about: ListingMeta | None = None

    @property
    def stem(self) -> str:
        return self.name.removesuffix(LISTING_SUFFIX).removesuffix(STRUCTURED_SUFFIX)


@dataclass(frozen=True)
class Appearance:
    """A paper's place in one listing: which dump, which line, which rank."""

    listing: str
    line: int
    position: int


@dataclass(frozen=True)
class Related:
    """A link to another paper, with how strongly and why it is related."""

    id: str
    score: float
    why: str


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    abstract: str
    appearances: tuple[Appearance, ...]
    tags: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    family: tuple[str, ...] = ()  # ids of papers sharing a distinctive name with this one
    mentions: tuple[str, ...] = ()  # ids of papers whose short name this abstract names
    # The title and abstract as written, when they hold LaTeX: ``title`` and
    # ``abstract`` are then the text a reader reads (generator/text/latex.py).
    title_source: str | None = None
    abstract_source: str | None = None

    @property
    def written_title(self) -> str:
        return self.title if self.title_source is None else self.title_source

    @property
    def written_abstract(self) -> str:
        return self.abstract if self.abstract_source is None else self.abstract_source

    @property
    def listings(self) -> tuple[str, ...]:
        """Listing file names, each once, in first-seen order."""
        return tuple(dict.fromkeys(a.listing for a in self.appearances))


@dataclass(frozen=True)
class Clash:
    """Two papers with the same title but different abstracts: kept apart, and worth
    a curator's look unless one of them says ``not_same_as`` the other."""

    first: str  # id of the first-seen paper
    other: str  # id of the later one
    first_at: Appearance
    other_at: Appearance


@dataclass(frozen=True)
class PaperMeta:
    """What is known of a paper beyond its title and abstract: a curator's fields, and
    where the curator gave none, what ``enrich`` found in the arXiv API (``found``
    names those fields: machine-found, merged after a curator's review)."""

    arxiv: str | None = None  # without version: 2501.00656, quant-ph/0201082
    version: int | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None  # a curator's year (a venue's); else the first submission's
    published: str | None = None  # first submission to arXiv, YYYY-MM-DD
    updated: str | None = None  # the version described, YYYY-MM-DD
    category: str | None = None  # arXiv's primary category, e.g. cs.LG
    venue: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (kind, url), code/project/pdf in that order
    pdf: str | None = None  # arXiv's PDF link for the version described
    note: str | None = None
    curated: bool = False  # a curation file exists (the "suggest an edit" link edits it)
    found: tuple[str, ...] = ()  # fields that came from data/arxiv/ (machine-found)
    not_on_arxiv: bool = False  # a curator said so: never looked up
    # From a structured listing (data/listings/*.yaml), under the curator's and arXiv's
    # values: the fields taken (``listed``), who said them and when (``listed_from``).
    listed: tuple[str, ...] = ()
    listed_from: str | None = None  # "Hugging Face Papers API, fetched 2026-12-07"
    upvotes: int | None = None  # at the fetch date below
    upvoted: str | None = None  # YYYY-MM-DD: when the source counted them

    @property
    def arxiv_version(self) -> str | None:
        """The identifier as cited, with its version when known: 2501.00656v2."""
        if not self.arxiv:
            return None
        return f"{self.arxiv}v{self.version}" if self.version else self.arxiv

    @property
    def date_year(self) -> int | None:
        if self.year:
            return self.year
        return int(self.published[:4]) if self.published else None


@dataclass(frozen=True)
class ListingMeta:
    """A curator's name, description, dates and source page for one dump."""

    title: str | None = None
    description: str | None = None
    # The listing's own date as far as the dump tells it: 2026-03-14, 2026-03, or
    # --03-14 (ISO 8601 for a day whose year the dump does not give).
    date: str | None = None
    added: str | None = None  # when it joined the catalogue, YYYY-MM-DD
    source: str | None = None


@dataclass(frozen=True)
class TagInfo:
    """A tag as readers see it: its name, what it means, and its group."""

    name: str
    description: str
    group: str
    line: int = 0  # where data/taxonomy.yaml defines it
    label: str = ""  # the name as readers read it; empty: made from the name (``title``)

    @property
    def title(self) -> str:
        """What a chip, a tag page and a filter show: the taxonomy's ``label``, else the
        name made readable ("large-language-models" -> "Large language models"), as a
        slug is an address, not a name."""
        return self.label or readable_tag(self.name)


def readable_tag(name: str) -> str:
    """A tag name as words: hyphens to spaces, the first letter a capital."""
    words = name.replace("-", " ")
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Vocabulary:
    """The tag vocabulary, in the taxonomy's order."""

    groups: tuple[str, ...] = ()
    tags: tuple[TagInfo, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    papers: tuple[Paper, ...]  # in id order: deterministic whatever the input order
    listings: tuple[Listing, ...]  # in file-name order
    problems: tuple[Problem, ...] = ()
    vocabulary: Vocabulary = Vocabulary()
    meta: dict[str, PaperMeta] = field(default_factory=dict, compare=False)  # curated, by id
    redirects: dict[str, str] = field(default_factory=dict, compare=False)  # merged id -> id
    hidden: dict[str, tuple[Paper, str]] = field(default_factory=dict, compare=False)
    listing_meta: dict[str, ListingMeta] = field(default_factory=dict, compare=False)
    citation_keys: dict[str, str] = field(default_factory=dict, compare=False)  # unique, by id
    source_key: str = field(default="", compare=False)  # hash of the data it was built from
    related_model: str = field(default="", compare=False)  # key of the related model used

    def __getstate__(self) -> dict[str, object]:
        """The fields only, each read by name: the worker's feeder thread pickles the
        catalogue while this process renders and fills its cached properties, and
        pickling ``__dict__`` itself failed ("dictionary changed size during iteration")
        when one was added meanwhile. The other process builds them again if it needs."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @cached_property
    def by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def _at(self) -> dict[tuple[str, int], Paper]:
        """Each (listing, line) to the paper there: built once, not once per listing
        (once per listing, it grew as listings times papers)."""
        return {(a.listing, a.line): p for p in self.papers for a in p.appearances}

    def listing_papers(self, listing: Listing) -> list[Paper]:
        """The listing's papers in the order the dump lists them."""
        keys = ((listing.name, e.line) for e in listing.entries)
        return [self._at[k] for k in keys if k in self._at]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]
