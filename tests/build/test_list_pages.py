"""Tag and listing pages at any catalogue size: one screen of cards in each order they
offer, each order chosen over the whole tag or listing, and a link to all of them on the
Search page (generator/render/pages.py, FirstScreen)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from conftest import listing_pages, make_data_dir

import generator.render.pages as pages_module
from generator.model import Appearance, Paper
from generator.pipeline import build_catalogue
from generator.render.naming import az_key
from generator.render.pages import LIST_SHOWN, first_screen, render_pages

CARDS = re.compile(r'<div class="pc-cards"([^>]*)>(.*?)</div>', re.S)
CARD = re.compile(r'<article class="pc-card" data-paper-id="([^"]+)"( hidden)?')
SHOWN = re.compile(r'<p class="pc-shown">(.*?)</p>', re.S)


def _list_of(page: str) -> tuple[dict[str, str], list[tuple[str, bool]]]:
    """The page's list of cards: its attributes, and its cards as (id, hidden)."""
    found = CARDS.findall(page)
    assert len(found) == 1
    attributes, body = found[0]
    attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', attributes))
    return attrs, [(html.unescape(pid), bool(hidden)) for pid, hidden in CARD.findall(body)]


def _site(real_site: Path) -> tuple[list[dict], list[dict]]:
    data = json.loads((real_site / "catalogue.json").read_text("utf-8"))
    return data["papers"], data["listings"]


def _check_list(page: str, url: str, members: list[dict], own: list[str], filters: dict) -> None:
    """``members``: the whole tag or listing; ``own``: their ids in the page's order."""
    attrs, cards = _list_of(page)
    shown = [pid for pid, hidden in cards if not hidden]
    if len(members) <= LIST_SHOWN:
        # Short: the whole list, no order chosen at build, no link elsewhere
        assert shown == own and not any(h for _, h in cards)
        assert "data-shown" not in attrs and not SHOWN.search(page)
        return
    assert shown == own[:LIST_SHOWN], url
    assert attrs["data-shown"] == str(LIST_SHOWN) and attrs["data-of"] == str(len(members))
    ids = [pid for pid, _ in cards]
    ordered = {k.removeprefix("data-order-"): v for k, v in attrs.items() if "order-" in k}
    assert ordered, url
    for name, indexes in ordered.items():
        picked = [ids[int(i)] for i in indexes.split()]
        assert len(picked) == len(set(picked)) == LIST_SHOWN, (url, name)
    # Every card is some order's: the page carries nothing no order shows
    assert {ids[int(i)] for v in ordered.values() for i in v.split()} == set(ids)
    sentence = SHOWN.search(page).group(1)
    assert f"The first {LIST_SHOWN} of {len(members)} papers" in sentence
    link = re.search(r'<a href="([^"]+)">Browse all (\d+) papers', sentence)
    assert link and link.group(2) == str(len(members))
    target = urlsplit(urljoin(url, html.unescape(link.group(1))))
    assert target.path == "/find/" and parse_qs(target.query) == filters


def test_no_tag_page_shows_more_than_one_screen_and_long_ones_link_to_the_rest(real_site):
    papers, _ = _site(real_site)
    tags = sorted({t for p in papers for t in p["tags"]})
    longer = 0
    for tag in tags:
        members = sorted((p for p in papers if tag in p["tags"]), key=lambda p: az_key(p["title"]))
        page = (real_site / "tags" / tag / "index.html").read_text("utf-8")
        _check_list(page, f"/tags/{tag}/", members, [p["id"] for p in members], {"tag": [tag]})
        longer += len(members) > LIST_SHOWN
    assert 0 < longer < len(tags), "the real site has tags on both sides of the bound"


def test_no_listing_page_shows_more_than_one_screen_and_long_ones_link_to_the_rest(real_site):
    papers, listings = _site(real_site)
    pages = set(listing_pages(real_site))
    longer = 0
    for listing in listings:
        slug = listing["url"].strip("/").split("/")[-1]
        assert slug in pages
        position = {}
        for p in papers:
            for a in p["appearances"]:
                if a["listing"] == listing["name"]:
                    position[p["id"]] = min(position.get(p["id"], a["position"]), a["position"])
        own = sorted(position, key=position.get)
        page = (real_site / "listings" / slug / "index.html").read_text("utf-8")
        members = [p for p in papers if p["id"] in position]
        # Filtered by the listing's slug, as its address names it: no dump file name
        _check_list(page, "/" + listing["url"], members, own, {"listing": [slug]})
        longer += len(members) > LIST_SHOWN
    assert longer, "the real site has listings longer than the bound"


def _paper(n: int, listed: int) -> Paper:
    seen = tuple(Appearance(f"l{i}", 1, n) for i in range(listed))
    return Paper(id=f"p{n:02d}", title=f"Paper {n:02d}", abstract="", appearances=seen)


def test_each_order_is_the_whole_lists_not_the_first_screen_sorted():
    """Ten papers, a screen of three: "most-listed" shows the three most listed of all
    ten (ties in the own order), though none of them is among the own order's first three."""
    papers = [_paper(n, 3 if n in (7, 4, 9) else 1) for n in range(10)]
    keys = {"az": (None, False), "listed": (lambda p: len(p.listings), True)}
    screen = first_screen(papers, keys, limit=3)
    assert screen is not None and screen.total == 10 and screen.limit == 3
    ids = [p.id for p in screen.papers]
    assert ids == ["p00", "p01", "p02", "p04", "p07", "p09"]  # once each, in the own order
    orders = {name: [ids[int(i)] for i in shown.split()] for name, shown in screen.orders}
    assert orders == {"az": ["p00", "p01", "p02"], "listed": ["p04", "p07", "p09"]}
    assert screen.hidden == {"p04", "p07", "p09"}
    # A list that fits a screen is shown whole, and sorted by the page's script
    assert first_screen(papers[:3], keys, limit=3) is None


def test_a_large_catalogues_a_to_z_lists_every_paper_once_as_rows(tmp_path, monkeypatch):
    """Above AZ_ROWS_ABOVE papers the A–Z pages hold rows (title, byline) instead of
    cards, AZ_ROWS_PART a page, and still link every paper once: the way to every paper
    without JavaScript. (The thresholds made small here, so a fixture is "large".)"""
    catalogue = build_catalogue(make_data_dir(tmp_path, "daily.txt", "trending.txt"))
    assert len(catalogue.papers) > 3
    monkeypatch.setattr(pages_module, "AZ_ROWS_ABOVE", 3)
    monkeypatch.setattr(pages_module, "AZ_ROWS_PART", 1)
    parts = {k: v.body for k, v in render_pages(catalogue).items() if v.kind == "a-z-part"}
    linked = []
    for body in parts.values():
        assert '<ol class="pc-rows"' in body and "pc-card" not in body
        rows = re.findall(r'<li><a href="\.\./\.\./papers/([^/"]+)/">', body)
        assert len(rows) == 1
        linked += rows
    assert sorted(linked) == sorted(p.id for p in catalogue.papers)
    # At or under the threshold: cards, as every other list
    monkeypatch.setattr(pages_module, "AZ_ROWS_ABOVE", len(catalogue.papers))
    small = [v.body for v in render_pages(catalogue).values() if v.kind == "a-z-part"]
    assert all("pc-card" in body and "pc-rows" not in body for body in small)
