"""Every internal link of a built site, checked against the files it holds:
``python -m generator.review.links SITE_DIR [--site-url URL]``.

A site generator that does not check the links of raw HTML (Zensical does not: its
build reported no issue with thousands of broken links) needs this, and a site served
under a subpath (``https://owner.github.io/repo/``) breaks on links that start at the server's root,
which a check at ``/`` alone would miss. So each page's links are resolved as a browser
resolves them, against the page's address under ``site_url``; each one inside the site
must name a file of the folder (a folder's URL, its ``index.html``).

Checked: ``href`` and ``src`` of every element, and the ``data-*`` attributes our
scripts read addresses from (:data:`DATA_URLS`). External links are not followed.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# data-* attributes whose value is an address (docs/javascripts/find.js reads these).
DATA_URLS = frozenset({"data-base", "data-worker"})
URL_ATTRIBUTES = frozenset({"href", "src"}) | DATA_URLS
DEFAULT_SITE_URL = "http://127.0.0.1/"


@dataclass(frozen=True)
class Broken:
    """A link that names no file of the site."""

    page: str  # the HTML file, relative to the site folder
    attribute: str
    value: str  # as written in the page

    def __str__(self) -> str:
        return f"{self.page}: {self.attribute}={self.value!r}"


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.base: str | None = None  # a <base href>, which changes what links resolve to

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "base" and name == "href" and value is not None:
                self.base = value
            elif name in URL_ATTRIBUTES and value is not None:
                self.found.append((name, value))


def page_url(site_url: str, relative: str) -> str:
    """The address a page is served at: ``x/index.html`` at ``x/``, as links to it say."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative.removesuffix("index.html")
    return urljoin(site_url, relative)


def target_file(site: Path, site_url: str, url: str) -> Path | None:
    """The file ``url`` names in ``site``, or None if the URL is outside the site."""
    base, parts = urlsplit(site_url), urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    if not parts.path.startswith(base.path):
        return site / "\0outside"  # on the server, not in the site: broken, never found
    path = unquote(parts.path.removeprefix(base.path))
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") or target.is_dir() else target


def broken_links(site: Path, site_url: str = DEFAULT_SITE_URL) -> tuple[int, list[Broken]]:
    """How many internal links the HTML files of ``site`` have, and those that are
    broken, in file order."""
    if not site_url.endswith("/"):
        site_url += "/"
    checked, broken = 0, []
    exists: dict[Path, bool] = {}
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        parser = _Addresses()
        parser.feed(file.read_text("utf-8"))
        here = page_url(site_url, relative)
        if parser.base is not None:
            here = urljoin(here, parser.base)
        for attribute, value in parser.found:
            value = value.strip()
            if not value or value.startswith("#"):
                continue
            target = target_file(site, site_url, urljoin(here, value))
            if target is None:
                continue  # another site, or mailto:, javascript:, data:
            checked += 1
            if target not in exists:
                exists[target] = target.is_file()
            if not exists[target]:
                broken.append(Broken(relative, attribute, value))
    return checked, broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", help="the built site's folder")
    parser.add_argument(
        "--site-url", default=DEFAULT_SITE_URL, help="where it is served (default: %(default)s)"
    )
    parser.add_argument("--show", type=int, default=20, help="list this many broken links")
    args = parser.parse_args(argv)
    checked, broken = broken_links(Path(args.site), args.site_url)
    for link in broken[: args.show]:
        print(link, file=sys.stderr)
    if len(broken) > args.show:
        print(f"... and {len(broken) - args.show} more", file=sys.stderr)
    print(f"{args.site} at {args.site_url}: {checked} internal links, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
