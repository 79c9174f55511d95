"""The arXiv API, politely: one request every 3 seconds, every answer kept on disk.

``python -m generator enrich`` (:mod:`generator.enrich.run`) asks arXiv who wrote each
paper and when. arXiv's terms of use ask for at most one request every three
seconds, one connection at a time, and a User-Agent that says who is asking
(https://info.arxiv.org/help/api/tou.html); this module is the one place that
talks to it, so those rules hold for every caller.

Plain ``urllib`` and :mod:`feedparser` rather than the ``arxiv`` client package:
the client keeps no raw answers (a rerun would ask again), retries on its own
schedule (a rate-limit answer's ``Retry-After`` is not honoured), and hides the
Atom text the tests replay. Here a :class:`Transport` is one function, URL in and
status, headers and bytes out: the real one uses urllib, the tests replay recorded
answers, and everything above it is the same code.

Every successful answer is stored under ``.cache/arxiv-api/`` (a hash of its URL),
so a rerun, or a run resumed after an interruption, sends nothing it has sent
before. Failures are never stored: a timeout or a rate-limit answer is retried
later, on this run or the next. The caching, pacing and retrying are
:class:`generator.infra.http.PoliteClient`'s, shared with ``fetch``: this module
adds arXiv's address, its three seconds and how to read its Atom answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import feedparser

from generator.infra.http import (
    MAX_WAIT,
    RETRIES,
    TIMEOUT,
    BadAnswer,
    NotAnswered,
    PoliteClient,
    Response,
    Transport,
    Unavailable,
    transport_for,
)

API_URL = "https://export.arxiv.org/api/query"
ENV_URL = "PAPER_CATALOGUE_ARXIV_URL"  # another endpoint (a mirror, or a test server)
USER_AGENT = (
    "paper-catalogue-enrich/1.0 (metadata lookups for a curated paper catalogue; "
    "one request per 3 s; https://github.com/topics/paper-catalogue)"
)
MIN_INTERVAL = 3.0  # seconds between requests to arXiv itself (its terms of use)
_ID = re.compile(r"abs/(?P<id>[a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v(?P<version>\d+))?$")
_WITHDRAWN = re.compile(r"\bwithdrawn\b|\bwithdraw(?:ing|al)\b", re.I)
_WORD = re.compile(r"[^\W_]+")


# --------------------------------------------------------------------------- answers

# The real transport, with a User-Agent that says what is asking.
urllib_transport = transport_for(USER_AGENT)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Record:
    """One paper as the arXiv API describes it."""

    arxiv: str  # the identifier without its version: 2104.12255, quant-ph/0201082
    version: int
    title: str
    abstract: str
    authors: tuple[str, ...]
    published: str  # first submission (version 1), YYYY-MM-DD
    updated: str  # this version, YYYY-MM-DD
    category: str  # primary category, e.g. cs.LG
    abstract_url: str
    pdf_url: str
    comment: str = ""

    @property
    def withdrawn(self) -> bool:
        """arXiv replaces a withdrawn paper's abstract (and usually its comment) with a
        notice; there is no field for it."""
        return bool(_WITHDRAWN.search(self.comment) or _WITHDRAWN.search(self.abstract[:200]))


class ApiError(BadAnswer):
    """arXiv answered, but not with results (a malformed query, an error entry)."""


def _squash(text: str) -> str:
    return " ".join(text.split())


def parse_feed(body: bytes) -> list[Record]:
    """The papers in one Atom answer, in arXiv's order. Both the old (before 2025) and
    the current answer shapes parse: feedparser reads the namespaces, not the layout."""
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries and not feed.feed:
        raise ApiError(f"not an Atom feed: {feed.bozo_exception}")
    records = []
    for entry in feed.entries:
        if entry.get("title") == "Error" or "/api/errors" in entry.get("id", ""):
            raise ApiError(_squash(entry.get("summary", "arXiv reported an error")))
        match = _ID.search(entry.get("id", ""))
        if not match:
            continue
        links = {link.get("title") or link.get("rel"): link.get("href") for link in entry.links}
        base, version = match.group("id"), int(match.group("version") or 1)
        records.append(
            Record(
                arxiv=base,
                version=version,
                title=_squash(entry.get("title", "")),
                abstract=_squash(entry.get("summary", "")),
                authors=tuple(_squash(a.get("name", "")) for a in entry.get("authors", [])),
                published=entry.get("published", "")[:10],
                updated=entry.get("updated", "")[:10],
                category=entry.get("arxiv_primary_category", {}).get("term", ""),
                abstract_url=links.get("alternate") or f"https://arxiv.org/abs/{base}v{version}",
                pdf_url=links.get("pdf") or f"https://arxiv.org/pdf/{base}v{version}",
                comment=_squash(entry.get("arxiv_comment", "")),
            )
        )
    return records


# --------------------------------------------------------------------------- queries


def words(text: str) -> list[str]:
    """Letters and digits only: what arXiv's search indexes of a title."""
    return _WORD.findall(text)


def title_query(title: str) -> str:
    """A phrase search on the title: ``ti:"heat bath random walks with markov bases"``."""
    return f'ti:"{" ".join(words(title))}"'


def words_query(title: str, most: int = 8) -> str:
    """Every distinctive title word, in any order: for titles whose punctuation or
    spelling keeps the phrase search from finding them."""
    chosen = sorted({w.casefold() for w in words(title) if len(w) > 3}, key=len, reverse=True)
    return " AND ".join(f"ti:{w}" for w in sorted(chosen[:most]))


def query_url(
    base: str, *, search: str | None = None, ids: Iterable[str] = (), most: int = 10
) -> str:
    params = {"search_query": search or "", "id_list": ",".join(ids)}
    params |= {"start": "0", "max_results": str(most)}
    return f"{base}?{urlencode(params)}"


# --------------------------------------------------------------------------- the client


@dataclass
class Client:
    """Asks arXiv, at most once every ``interval`` seconds, remembering every answer
    (:class:`~generator.infra.http.PoliteClient` does the asking)."""

    cache_dir: Path | None
    transport: Transport = urllib_transport
    base_url: str = API_URL
    interval: float = MIN_INTERVAL
    timeout: float = TIMEOUT
    retries: int = RETRIES
    clock: Callable[[], float] | None = None  # None: the real clock
    sleep: Callable[[float], None] | None = None
    http: PoliteClient = field(init=False)

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).hostname in ("export.arxiv.org", "arxiv.org"):
            self.interval = max(self.interval, MIN_INTERVAL)
        timing = {k: v for k, v in (("clock", self.clock), ("sleep", self.sleep)) if v}
        self.http = PoliteClient(
            "arXiv",
            self.cache_dir,
            self.transport,
            self.interval,
            self.timeout,
            self.retries,
            error=ApiError,
            **timing,
        )

    @property
    def sent(self) -> int:
        return self.http.sent

    @classmethod
    def from_environment(cls, cache_dir: Path | None, **kwargs: object) -> Client:
        return cls(cache_dir, base_url=os.environ.get(ENV_URL) or API_URL, **kwargs)

    def get(self, url: str) -> list[Record]:
        """The records one URL answers with: from the cache, or asked (and kept)."""
        return self.http.get(url, parse_feed)


__all__ = [
    "MAX_WAIT",
    "ApiError",
    "Client",
    "NotAnswered",
    "Record",
    "Response",
    "Unavailable",
    "parse_feed",
    "urllib_transport",
]
