"""One polite HTTP client for every service the catalogue asks: arXiv (``enrich``) and
Hugging Face Papers (``fetch``).

What makes a client polite and resumable is the same whichever service it asks, so it
is written once, here, and each service's module adds only its address, its manners
(how long to wait between requests) and how to read its answers:

* **every successful answer kept on disk** (``.cache/<service>/``, a hash of its URL):
  a rerun, or a run resumed after an interruption, sends nothing it sent before;
  failures are never kept, so a timeout or a refusal is asked again later;
* **one request at a time, at most one every ``interval`` seconds**;
* **``Retry-After`` honoured** on a rate-limit answer (429, 503), up to
  :data:`MAX_WAIT`; beyond it, or when the refusals go on, the run stops;
* **timeouts retried** with a growing pause, then the question is skipped this run;
* **no connection at all** stops the run at once with one sentence
  (:class:`Unavailable`), never a traceback.

A :class:`Transport` is one function, URL in and status, headers and bytes out: the
real one uses urllib, the tests replay recorded answers or run a loopback server, and
everything above it is the same code. ``clock`` and ``sleep`` are passed in so tests
replay rate limits and timeouts without waiting for them.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from generator.text.files import write_whole

T = TypeVar("T")

TIMEOUT = 30.0
RETRIES = 3  # after the first try: timeouts and rate-limit answers
MAX_WAIT = 120.0  # the longest Retry-After honoured before giving up for this run


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


def retry_after(value: str | None, now: float) -> float | None:
    """A Retry-After header in seconds: either a number or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    parsed = email.utils.parsedate_tz(value)
    return max(0.0, calendar.timegm(parsed[:9]) - (parsed[9] or 0) - now) if parsed else None


def urllib_transport(url: str, timeout: float, user_agent: str) -> Response:
    """The real thing: one GET with a User-Agent that says who is asking."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read())
    except urllib.error.HTTPError as error:
        wait = retry_after(error.headers.get("Retry-After"), time.time())
        return Response(error.code, error.read(), wait)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise TimeoutError(str(error.reason)) from error
        raise OSError(str(error.reason)) from error


def transport_for(user_agent: str) -> Transport:
    return partial(urllib_transport, user_agent=user_agent)


class Unavailable(Exception):
    """The service cannot be reached, or keeps refusing: stop the run, keep what is done."""


class NotAnswered(Exception):
    """One question went unanswered after every retry (timeouts): skip it this run."""


class BadAnswer(Exception):
    """The service answered, but not with what was asked for (an error status, a body
    that does not parse). Never cached."""


@dataclass
class PoliteClient:
    """Asks one service, at most once every ``interval`` seconds, remembering every
    answer. ``service`` names it in messages ("arXiv", "Hugging Face")."""

    service: str
    cache_dir: Path | None
    transport: Transport
    interval: float
    timeout: float = TIMEOUT
    retries: int = RETRIES
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    error: type[BadAnswer] = BadAnswer  # what an unexpected answer raises
    sent: int = 0  # requests actually sent this run (cached answers cost none)
    _last: float | None = None

    def _cached(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def _store(self, path: Path | None, url: str, body: bytes) -> None:
        if path is None:
            return
        record = {"url": url, "body": body.decode("utf-8", "replace")}
        write_whole(path, json.dumps(record, ensure_ascii=False))

    def _wait_turn(self) -> None:
        if self._last is not None:
            left = self._last + self.interval - self.clock()
            if left > 0:
                self.sleep(left)
        self._last = self.clock()

    def get(self, url: str, parse: Callable[[bytes], T]) -> T:
        """What ``parse`` makes of the answer to ``url``: from the cache, or asked (and
        kept once it parses: a malformed answer is asked again next time)."""
        path = self._cached(url)
        if path is not None and path.exists():
            return parse(json.loads(path.read_text(encoding="utf-8"))["body"].encode())
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
                raise Unavailable(f"{self.service} cannot be reached ({error})") from error
            if answer.status == 200:
                result = parse(answer.body)
                self._store(path, url, answer.body)
                return result
            if answer.status in (429, 503):
                wait = answer.retry_after
                if wait is None:
                    wait = self.interval * 2 ** (attempt + 1)
                if wait > MAX_WAIT:
                    raise Unavailable(
                        f"{self.service} asks to wait {wait:g} s before the next request "
                        f"(HTTP {answer.status})"
                    )
                problem = f"{self.service} is rate-limiting (HTTP {answer.status})"
                self.sleep(wait)
                continue
            raise self.error(f"{self.service} answered HTTP {answer.status} to {url}")
        if problem.startswith(f"{self.service} is rate-limiting"):
            raise Unavailable(f"{problem} after {self.retries + 1} tries")
        raise NotAnswered(problem)
