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
later, on this run or the next.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import json
import os
import re
import socket
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode, urlsplit

import feedparser

API_URL = "https://export.arxiv.org/api/query"
ENV_URL = "PAPER_CATALOGUE_ARXIV_URL"  # another endpoint (a mirror, or a test server)
USER_AGENT = (
    "paper-catalogue-enrich/1.0 (metadata lookups for a curated paper catalogue; "
    "one request per 3 s; https://github.com/topics/paper-catalogue)"
)
MIN_INTERVAL = 3.0  # seconds between requests to arXiv itself (its terms of use)
TIMEOUT = 30.0
RETRIES = 3  # after the first try: timeouts and rate-limit answers
MAX_WAIT = 120.0  # the longest Retry-After honoured before giving up for this run
_ID = re.compile(r"abs/(?P<id>[a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v(?P<version>\d+))?$")
_WITHDRAWN = re.compile(r"\bwithdrawn\b|\bwithdraw(?:ing|al)\b", re.I)
_WORD = re.compile(r"[^\W_]+")


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Response:
    """One HTTP answer, as a transport got it."""

    status: int
    body: bytes = b""
    retry_after: float | None = None  # seconds, from a Retry-After header


class Transport(Protocol):
    def __call__(self, url: str, timeout: float) -> Response:
        """GET ``url``; raise TimeoutError on a timeout, OSError when there is no
        connection at all."""
        ...


def _retry_after(value: str | None, now: float) -> float | None:
    """A Retry-After header in seconds: either a number or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    parsed = email.utils.parsedate_tz(value)
    return max(0.0, calendar.timegm(parsed[:9]) - (parsed[9] or 0) - now) if parsed else None


def urllib_transport(url: str, timeout: float) -> Response:
    """The real thing: one GET with a descriptive User-Agent."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read())
    except urllib.error.HTTPError as error:
        retry = _retry_after(error.headers.get("Retry-After"), time.time())
        return Response(error.code, error.read(), retry)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise TimeoutError(str(error.reason)) from error
        raise OSError(str(error.reason)) from error


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


class ApiError(Exception):
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


class Unavailable(Exception):
    """arXiv cannot be reached, or keeps refusing: stop the run, keep what is done."""


class NotAnswered(Exception):
    """One question went unanswered after every retry (timeouts): skip it this run."""


@dataclass
class Client:
    """Asks arXiv, at most once every ``interval`` seconds, remembering every answer.

    ``clock`` and ``sleep`` are passed in so the tests replay rate-limit answers
    and timeouts without waiting for them."""

    cache_dir: Path | None
    transport: Transport = urllib_transport
    base_url: str = API_URL
    interval: float = MIN_INTERVAL
    timeout: float = TIMEOUT
    retries: int = RETRIES
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent: int = 0  # requests actually sent this run (cached answers cost none)
    _last: float | None = None

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).hostname in ("export.arxiv.org", "arxiv.org"):
            self.interval = max(self.interval, MIN_INTERVAL)

    @classmethod
    def from_environment(cls, cache_dir: Path | None, **kwargs: object) -> Client:
        return cls(cache_dir, base_url=os.environ.get(ENV_URL) or API_URL, **kwargs)

    def _cached(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def _store(self, path: Path | None, url: str, body: bytes) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"url": url, "body": body.decode("utf-8", "replace")}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(tmp, path)

    def _wait_turn(self) -> None:
        if self._last is not None:
            left = self._last + self.interval - self.clock()
            if left > 0:
                self.sleep(left)
        self._last = self.clock()

    def get(self, url: str) -> list[Record]:
        """The records one URL answers with: from the cache, or asked (and kept)."""
        path = self._cached(url)
        if path is not None and path.exists():
            return parse_feed(json.loads(path.read_text(encoding="utf-8"))["body"].encode())
        problem = ""
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.sent += 1
            try:
                answer = self.transport(url, self.timeout)
            except TimeoutError:
                problem = f"no answer within {self.timeout:g} s"
                self.sleep(self.interval * 2**attempt)
                continue
            except OSError as error:
                raise Unavailable(f"arXiv cannot be reached ({error})") from error
            if answer.status == 200:
                records = parse_feed(answer.body)  # a malformed answer is never cached
                self._store(path, url, answer.body)
                return records
            if answer.status in (429, 503):
                wait = answer.retry_after
                if wait is None:
                    wait = self.interval * 2 ** (attempt + 1)
                if wait > MAX_WAIT:
                    raise Unavailable(
                        f"arXiv asks to wait {wait:g} s before the next request (HTTP "
                        f"{answer.status})"
                    )
                problem = f"arXiv is rate-limiting (HTTP {answer.status})"
                self.sleep(wait)
                continue
            raise ApiError(f"arXiv answered HTTP {answer.status} to {url}")
        if problem.startswith("arXiv is rate-limiting"):
            raise Unavailable(f"{problem} after {self.retries + 1} tries")
        raise NotAnswered(problem)
