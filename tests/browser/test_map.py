"""The map of the catalogue (generator/render/atlas.py) in a real browser: every point a
working link to a paper page, each paper once; its title shown on hover and on focus;
reachable and usable from the keyboard; no axe-core violation in either scheme."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import serve_directory, settle
from test_accessibility import serious_violations

pytestmark = pytest.mark.browser

POINTS = r"""() => [...document.querySelectorAll(".pc-map-svg a")].map(a => ({
  href: a.getAttribute("href"),
  title: a.querySelector("title").textContent,
  group: a.getAttribute("class"),
  fill: getComputedStyle(a.querySelector("circle, path")).fill,
  shape: (m => m.tagName + (m.getAttribute("d") || "").replace(/^M[-\d.]+ [-\d.]+/, "")
    + (m.getAttribute("r") || ""))(a.querySelector("circle, path")),
}))"""
LEGEND = r"""() => [...document.querySelectorAll(".pc-map-legend li")].map(li => {
  const m = li.querySelector("circle, path")
  return {
    fill: getComputedStyle(m).fill,
    shape: m.tagName + (m.getAttribute("d") || "").replace(/^M[-\d.]+ [-\d.]+/, "")
      + (m.getAttribute("r") || ""),
  }
})"""


def test_every_paper_is_a_point_linking_to_its_page(real_site: Path, page):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    with serve_directory(real_site) as base:
        page.goto(base + "map/")
        points = page.evaluate(POINTS)
        legend = page.evaluate(LEGEND)
        nav = page.locator(".md-tabs__link", has_text="Map").count()
        settle(page)
    assert nav == 1  # the map is in the site's navigation
    assert len(points) == len(papers) == 720
    by_url = {p["url"]: p for p in papers}
    seen = set()
    for point in points:
        path = urlsplit(urljoin(base + "map/", point["href"])).path.lstrip("/")
        assert (real_site / path / "index.html").is_file(), point["href"]
        assert by_url[path]["title"] == point["title"]  # named by the paper it opens
        seen.add(path)
    assert seen == set(by_url)  # each paper once
    # Coloured by tag group: as many colours as groups in use, and painted in them.
    assert len({p["group"] for p in points}) >= 5
    assert len({p["fill"] for p in points}) == len({p["group"] for p in points})
    # ...and shaped by it (colour is never the only cue): one shape per group, each
    # group's own, and the legend draws each group's colour with its shape.
    shapes = {(p["group"], p["shape"]) for p in points}
    assert len(shapes) == len({p["group"] for p in points}) == len({s for _, s in shapes})
    assert {(p["fill"], p["shape"]) for p in points} == {(k["fill"], k["shape"]) for k in legend}


TIP = """() => {
  const tip = document.querySelector(".pc-map-tip")
  return tip && !tip.hidden ? tip.textContent : null
}"""


def test_points_show_their_title_and_are_reached_by_keyboard(real_site: Path, page):
    with serve_directory(real_site) as base:
        page.goto(base + "map/")
        # Hover the point drawn last: painted over every other, no neighbour can cover it
        # (which point that is depends on the layout, not on this test).
        last = page.locator(".pc-map-svg a").last
        last.hover()
        page.wait_for_function(TIP)
        assert page.evaluate(TIP) == last.locator("title").text_content()
        # The pointer leaves the map (to the fixed header): a point that scrolls under a
        # resting pointer would otherwise take the tip back from the keyboard's focus.
        page.mouse.move(0, 0)
        page.wait_for_function(f"() => ({TIP})() === null")
        first = page.locator(".pc-map-svg a").first
        title = first.locator("title").text_content()
        # From the link before the map, Tab reaches the first point, then the next one.
        page.locator("a.pc-map-skip").focus()
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => document.activeElement.closest(".pc-map-svg a") &&
              document.activeElement.querySelector("title").textContent"""
        )
        assert focused == title
        assert page.evaluate(TIP) == title  # shown for the keyboard's focus too
        page.keyboard.press("Tab")
        second = page.locator(".pc-map-svg a").nth(1).locator("title").text_content()
        assert page.evaluate("() => document.activeElement.querySelector('title').textContent") == (
            second
        )
        target = page.locator(".pc-map-svg a").nth(1).get_attribute("href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == urljoin(base + "map/", target)
        assert page.locator("article h1").text_content().startswith(second)
        settle(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_page_has_no_accessibility_violations(real_site: Path, page, scheme: str):
    page.emulate_media(color_scheme=scheme)
    with serve_directory(real_site) as base:
        page.goto(base + "map/")
        page.locator(".pc-map-svg a").nth(3).focus()  # a point focused, its title shown
        page.wait_for_function(TIP)
        violations = serious_violations(page)
        settle(page)
    assert not violations, violations
