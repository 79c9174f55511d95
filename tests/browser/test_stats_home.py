"""The stats page's charts in a real browser, and the home page a reader starts from."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import DATA, serve_directory, settle

from generator.infra.cache import Cache
from generator.infra.worker import Worker
from generator.model import PaperMeta
from generator.pipeline import build_catalogue
from generator.render.charts import CHART_MARK, Charts
from generator.render.pages import render_pages
from generator.render.plots import Plot, svg
from generator.render.stats import plots

pytestmark = pytest.mark.browser

# Each chart as the browser draws it: its box, its accessible name, the colour its bars
# and its text are painted in, and the page's own text colour.
CHARTS = """() => [...document.querySelectorAll("article .pc-plot > svg")].map(svg => {
  const box = svg.getBoundingClientRect()
  const name = svg.getAttribute("aria-labelledby").split(" ")
    .map(id => document.getElementById(id).textContent).join(" — ")
  const bar = svg.querySelector("path[style*='--pc-plot-bar']")
  const text = svg.querySelector("text")
  return {
    width: box.width, height: box.height, name,
    bars: svg.querySelectorAll("path[style*='--pc-plot-bar']").length,
    bar: getComputedStyle(bar).fill, text: getComputedStyle(text).fill,
    page: getComputedStyle(document.querySelector("article")).color,
    background: getComputedStyle(document.body).backgroundColor,
  }
})"""


@pytest.mark.parametrize(
    ("scheme", "bar"), [("light", "rgb(63, 81, 181)"), ("dark", "rgb(140, 158, 255)")]
)
def test_stats_charts_render_in_both_schemes(real_site: Path, page, scheme: str, bar: str):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    tags = {t for p in papers for t in p["tags"]}
    page.emulate_media(color_scheme=scheme)
    with serve_directory(real_site) as base:
        page.goto(base + "stats/")
        charts = page.evaluate(CHARTS)
        settle(page)
    names = [c["name"].split(" — ")[0] for c in charts]
    assert names == ["Papers per tag", "Papers per listing", "Tags that go together"]
    by_name = dict(zip(names, charts, strict=True))
    assert by_name["Papers per tag"]["bars"] == len(tags)
    assert by_name["Papers per listing"]["bars"] == 5
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 100
        assert chart["bar"] == bar  # the scheme's own bar colour
        assert chart["text"] == chart["page"]  # labels in the page's text colour
        assert chart["text"] != chart["background"]
    assert "Large language models has the most papers" in by_name["Papers per tag"]["name"]


# Each chart at a phone's width: the smallest label as rendered (its font size times the
# SVG's scale on screen), whether its box scrolls sideways, and every link in it.
ON_A_PHONE = """() => [...document.querySelectorAll("article .pc-plot > svg")].map(svg => {
  const sizes = [...svg.querySelectorAll("text")].map(text => {
    const m = text.getScreenCTM()
    return parseFloat(text.style.fontSize) * Math.hypot(m.a, m.b)
  })
  const box = svg.parentElement
  return {
    name: document.getElementById(svg.getAttribute("aria-labelledby").split(" ")[0]).textContent,
    smallest: Math.min(...sizes),
    scrolls: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto",
    labels: [...svg.querySelectorAll("a:not([aria-hidden]) text")].map(t => t.textContent),
    links: [...svg.querySelectorAll("a")].map(a => ({
      href: a.getAttribute("href"), bar: a.getAttribute("aria-hidden") === "true",
      tabbable: a.tabIndex >= 0,
    })),
  }
})"""


def test_stats_labels_are_readable_on_a_phone_and_bars_link_to_their_pages(real_site: Path, page):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    tags = {t for p in papers for t in p["tags"]}
    page.set_viewport_size({"width": 390, "height": 844})
    with serve_directory(real_site) as base:
        page.goto(base + "stats/")
        charts = {c["name"]: c for c in page.evaluate(ON_A_PHONE)}
        settle(page)
    for chart in charts.values():
        assert chart["smallest"] >= 9, chart["name"]  # was ~5 px at this width
        assert chart["scrolls"], chart["name"]  # the chart keeps its size in its own box
    by_tag, by_listing = charts["Papers per tag"], charts["Papers per listing"]
    titles = {t.name: t.title for t in build_catalogue(DATA).vocabulary.tags}
    assert set(by_tag["labels"]) == {titles[t] for t in tags}  # the readable names
    assert len(by_tag["links"]) == 2 * len(tags)  # each bar and each label
    assert len(by_listing["links"]) == 2 * 5
    for chart in (by_tag, by_listing):
        for link in chart["links"]:
            path = urlsplit(urljoin(base + "stats/", link["href"])).path.lstrip("/")
            assert (real_site / path / "index.html").is_file(), link["href"]
            assert link["tabbable"] != link["bar"]  # a label is reached by Tab, its bar not
    slug = {title: name for name, title in titles.items()}
    for shown, label in zip(by_tag["labels"], by_tag["links"], strict=False):
        assert label["href"] == f"../tags/{slug[shown]}/"
    assert not charts["Tags that go together"]["links"]  # a pair has no page of its own


def test_a_chart_is_text_with_unique_ids_and_no_page_wide_style():
    plot = Plot("x", "A <title>", "Bars & more", ("a<b", "c"), (3, 1), "papers")
    drawn = svg(plot)
    assert drawn.startswith('<svg role="img" aria-labelledby="pc-plot-x-title pc-plot-x-desc"')
    assert '<title id="pc-plot-x-title">A &lt;title&gt;</title>' in drawn
    assert ">a&lt;b</text>" in drawn  # labels are text, escaped
    ids = re.findall(r' id="([^"]+)"', drawn)
    assert ids and all(i.startswith("pc-plot-x-") for i in ids) and len(ids) == len(set(ids))
    assert "<style>.pc-plot-svg *{" in drawn and "#010101" not in drawn and "\n" not in drawn
    assert svg(Plot("y", "A <title>", "Bars & more", ("a<b", "c"), (3, 1), "papers")) != drawn


def test_the_home_page_starts_a_reader_off(real_site: Path, page):
    with serve_directory(real_site) as base:
        page.goto(base)
        article = page.locator("article.md-content__inner")
        text = article.inner_text()
        assert "720 papers" in text and "5 listings" in text and "62 tags" in text
        # Both daily pages were added the same day: the newest is the later date (issue 29;
        # it was the last file, 12 March).
        assert "Newest: Daily papers, 14 March" in text
        newest = article.locator(".pc-card")
        assert newest.count() == 10
        assert newest.first.inner_text().startswith("A-SDM: Accelerating Stable Diffusion")
        chips = article.locator(".pc-tags:not(.pc-card .pc-tags) .pc-tag")
        assert chips.count() == 12 and chips.first.inner_text().startswith("Large language models")
        hrefs = article.locator("a").evaluate_all("links => links.map(a => a.href)")
        starts = page.locator(".pc-start a")
        assert starts.all_inner_texts() == [
            "Search and browse",
            "Browse A–Z",
            "Tags",
            "Listings",
            "Statistics",
            "Feed",
        ]
        for href in hrefs:
            path = urlsplit(urljoin(page.url, href)).path.lstrip("/")
            target = real_site / path
            assert (target / "index.html").is_file() or target.is_file(), href
        with page.expect_navigation():
            starts.first.click()
        assert page.url.endswith("/find/")
        settle(page)


def test_the_tags_page_speaks_to_readers_not_curators(real_site: Path):
    tags = (real_site / "tags" / "index.html").read_text("utf-8")
    assert "make serve" not in tags and "edit a rule" not in tags
    about = (real_site / "about" / "index.html").read_text("utf-8")
    assert "data/taxonomy.yaml" in about and "make serve" in about


def test_papers_per_month_appears_once_papers_have_dates():
    """The real catalogue has no dates yet (enrich proposes them); with some, the
    stats page gains a chart of papers per month of first submission, gaps as zeros."""
    catalogue = build_catalogue(DATA)
    assert [p.name for p in plots(catalogue, str)] == ["tags", "listings", "pairs"]
    a, b, c = (p.id for p in catalogue.papers[:3])
    dated = replace(
        catalogue,
        meta={
            a: PaperMeta(published="2023-11-02"),
            b: PaperMeta(published="2024-02-20"),
            c: PaperMeta(published="2024-02-01"),
        },
    )
    [months] = [p for p in plots(dated, str) if p.name == "dates"]
    assert months.labels == ("2023-11", "2023-12", "2024-01", "2024-02")
    assert months.values == (1, 0, 0, 2)
    assert "<title" in svg(months) and "3 papers with a date" in months.description


def test_charts_drawn_in_the_second_process_are_the_ones_drawn_here(tmp_path: Path):
    """The build starts the charts and the map in its worker before the pages render;
    what comes back is byte for byte what this process would draw (the pages are cached
    by bytes). The worker finds the related model where a build leaves it, in the cache."""
    cache = Cache(tmp_path)
    catalogue = build_catalogue(DATA, cache)
    worker = Worker(warm=("generator.render.plots",))
    try:
        there = Charts(catalogue, cache, worker)
        # no chart cached: the three charts and the map all started there
        assert len(there.drawing) == len(there.plots) + 1 == 4
        here = Charts(catalogue, Cache(None))
        assert here.drawing == {}
        drawn = [there.svg(p) for p in there.plots]
        mapped = there.map_svg()
        assert there.drawing == {}  # each taken from the worker
        assert drawn == [here.svg(p) for p in here.plots]
        assert mapped == here.map_svg() and mapped.count("</a>") == 720
    finally:
        worker.stop()


def test_a_stats_page_with_placeholders_shows_the_same_charts_once_filled():
    """The site build renders the stats page with placeholders and puts the charts in
    as the theme renders it, so no page waits for matplotlib: filled, the page is the
    one rendered with its charts."""
    catalogue = build_catalogue(DATA)
    later = Charts(catalogue, Cache(None), later=True)
    placed = render_pages(catalogue, charts=later)["stats.md"].body
    assert placed.count(CHART_MARK) == len(later.plots) == 3 and "<path" not in placed
    shown = render_pages(catalogue, charts=Charts(catalogue, Cache(None)))["stats.md"].body
    assert later.fill(placed) == shown and CHART_MARK not in shown
