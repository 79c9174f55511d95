"""Reader words, not repository words (issue 29, item 3): no reader page shows a dump's
file path, a line number or a file hash; listings have named addresses, and their first
addresses (named after the files) redirect there; "newest" is the listing's own date."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from conftest import DATA

DUMPS = sorted(p.name for p in (DATA / "listings").glob("*.txt"))
# What would give the repository away: a dump's path or name, the hash part of its name
# (16 hex digits), "line 259" after a file.
GIVEAWAYS = re.compile(
    "|".join(
        [r"data/listings/", r"\.txt\b", r"\.txt, line"]
        + [re.escape(name.split("_", 1)[1].removesuffix(".txt")) for name in DUMPS]
    )
)
SHOWN_ATTRS = {"href", "src", "content", "title", "alt", "aria-label", "placeholder"}


class Shown(HTMLParser):
    """What a reader sees of a page (its text) or can see (its links, its head's
    titles and descriptions), scripts and styles aside."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRS and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown(html: str) -> list[str]:
    parser = Shown()
    parser.feed(html)
    return parser.parts


def test_no_reader_page_shows_a_repository_path_line_or_file_hash(real_site):
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 700
    found = []
    for page in pages:
        for part in shown(page.read_text("utf-8")):
            if match := GIVEAWAYS.search(part):
                found.append(f"{page.relative_to(real_site)}: {match.group()} in {part[:80]!r}")
    assert found == []


def test_the_catalogue_json_keeps_the_provenance(real_site):
    """The contract: listings by file name, and each appearance's file and line."""
    document = json.loads((real_site / "catalogue.json").read_text("utf-8"))
    papers = document["papers"]
    assert {name for p in papers for name in p["listings"]} == set(DUMPS)
    daily = next(lst for lst in document["listings"] if lst["name"] == DUMPS[3])
    assert (daily["title"], daily["url"]) == (
        "Daily papers, 14 March",
        "listings/daily-papers-14-march/",
    )
    assert all(a["line"] > 0 for p in papers for a in p["appearances"])


def refresh_target(page: Path) -> str:
    html = page.read_text("utf-8")
    return re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html).group(1)


def test_old_listing_addresses_redirect_to_the_named_pages(real_site):
    named = {}
    for name in DUMPS:
        old = "listings/" + name.removesuffix(".txt").replace("_", "-") + "/"
        target = urljoin(old, refresh_target(real_site / old / "index.html"))
        assert not re.search(r"\d{3}-[0-9a-f]{16}", target), target
        page = (real_site / target / "index.html").read_text("utf-8")
        named[name] = (target, re.search(r"<h1[^>]*>(.*?)<", page).group(1))
    assert named["003_0bcb5151a6c02ef0.txt"] == (
        "listings/daily-papers-14-march/",
        "Daily papers, 14 March",
    )
    assert named["000_2c539da77f382f8d.txt"][1] == "Trending papers: a 254-paper snapshot"
    assert len({target for target, _ in named.values()}) == len(DUMPS)


def test_newest_is_the_listing_with_the_latest_own_date(real_site):
    home = (real_site / "index.html").read_text("utf-8")
    assert re.search(r"<h2[^>]*>Newest: Daily papers, 14 March<", home)
