"""The built site in headless Chromium: what a reader actually sees."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, serve_directory

from generator.model import readable_tag
from generator.render.pages import LIST_SHOWN

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"


def papers_of(site: Path) -> list[dict]:
    return json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["papers"]


def heading(page) -> str:
    """The page's h1 as a reader reads it (without the ¶ permalink)."""
    return page.locator("article h1").evaluate(
        "h => [...h.childNodes].filter(n => !n.classList?.contains('headerlink'))"
        ".map(n => n.textContent).join('')"
    )


def visible_abstract(page) -> str:
    """The abstract paragraph: the first paragraph after the page's title."""
    return page.locator("article p.pc-abstract").inner_text()


def test_paper_page_shows_title_and_abstract_literally(page, real_site):
    paper = next(p for p in papers_of(real_site) if "<RET>" in p["abstract"])
    with serve_directory(real_site) as base:
        response = page.goto(base + paper["url"])
        assert response.status == 200
        assert heading(page) == paper["title"]
        assert visible_abstract(page) == paper["abstract"]
        assert paper["title"] in page.title()


def test_hostile_titles_render_as_text_and_never_run(page, hostile_site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve_directory(hostile_site) as base:
        for paper in papers_of(hostile_site):
            page.goto(base + paper["url"])
            assert heading(page) == paper["title"]
            assert visible_abstract(page) == paper["abstract"]
            assert page.title().startswith(paper["title"])
        # The A–Z's letter pages, as cards (the page's own <article> holds them)
        shown = ""
        for part in sorted((hostile_site / "a-z").glob("*/index.html")):
            page.goto(base + f"a-z/{part.parent.name}/")
            shown += page.locator("article.md-content__inner").inner_text()
        assert '<script>alert("title")</script>' in shown
    assert dialogs == []


def test_a_reader_can_browse_from_home_to_a_paper_and_its_listing(page, real_site):
    with serve_directory(real_site) as base:
        page.goto(base)
        assert "720 papers" in page.locator("article.md-content__inner").inner_text()
        for link in (
            page.get_by_role("link", name="Browse A–Z"),
            page.locator(".pc-az-letters").get_by_role("link", name="D", exact=True),
            page.get_by_role("link", name="DrivAerNet: A Parametric Car Dataset").first,
        ):
            with page.expect_navigation():
                link.click()
        assert heading(page).startswith("DrivAerNet:")
        with page.expect_navigation():
            page.locator("article a[href*='listings/']").first.click()
        assert heading(page).startswith("Daily papers, 12 March")
        # 84 papers: the first screen of them, and the count of all
        assert page.locator(".pc-card:visible").count() == LIST_SHOWN
        assert page.locator(".pc-shown").inner_text().startswith(f"The first {LIST_SHOWN} of 84")


# The README's pictures: (name, what, viewport). UPDATE_SCREENSHOTS=1 refreshes docs/images.
SCREENSHOTS = [
    ("paper-page", "paper", (1280, 900)),
    ("paper-page-phone", "paper", (390, 844)),
    ("tag-page", "tag", (1280, 900)),
    ("tag-page-phone", "tag", (390, 844)),
]


@pytest.mark.parametrize(("name", "what", "size"), SCREENSHOTS, ids=[s[0] for s in SCREENSHOTS])
def test_screenshots_for_the_readme(page, real_site, name, what, size):
    """What each picture shows is checked: the themed header, the title, and the page's
    content (the abstract; the first paper card) on screen, at desktop and phone size."""
    paper = next(p for p in papers_of(real_site) if p["id"].startswith("drivaernet-a-parametric"))
    path, content = {
        "paper": (paper["url"], "article p.pc-abstract"),
        "tag": ("tags/large-language-models/", "article .pc-card"),
    }[what]
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    with serve_directory(real_site) as base:
        page.goto(base + path)
        shot = ARTIFACTS / f"{name}.png"
        page.screenshot(path=shot)
        header = page.locator("header.md-header").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert header == "rgb(64, 81, 181)"  # Material's indigo: the theme's CSS loaded
        for part in (page.locator("article h1"), page.locator(content).first):
            box = part.bounding_box()
            assert box and box["height"] > 0 and box["y"] + box["height"] / 2 < size[1]
        if what == "paper":
            assert heading(page) == paper["title"]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20]), int.from_bytes(png[20:24])) == size
    assert len(png) > 20_000  # a rendered page, not a blank one
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(shot, ROOT / "docs" / "images" / f"{name}.png")


def test_a_reader_follows_a_tag_chip_and_a_related_link(page, real_site):
    paper = next(p for p in papers_of(real_site) if p["id"].startswith("drivaernet-a-parametric"))
    with serve_directory(real_site) as base:
        page.goto(base + paper["url"])
        chip = page.locator("article a.pc-tag").first
        tag = paper["tags"][0]
        # The chip and the tag page say the tag's readable name (the taxonomy's label)
        taxonomy = yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text("utf-8"))
        spec = next(t for t in taxonomy["tags"] if t["name"] == tag)
        assert chip.inner_text() == spec.get("label", readable_tag(tag)) != tag
        with page.expect_navigation() as nav:
            chip.click()
        assert nav.value.status == 200
        assert heading(page) == spec.get("label", readable_tag(tag))
        assert page.get_by_role("link", name=paper["title"]).count() == 1  # listed on its tag page

        page.goto(base + paper["url"])
        first = paper["related"][0]
        related_title = next(p["title"] for p in papers_of(real_site) if p["id"] == first["id"])
        link = page.locator("article h2#related-papers + ul a").first
        assert link.inner_text() == related_title
        with page.expect_navigation() as nav:
            link.click()
        assert nav.value.status == 200
        assert heading(page) == related_title
        # The family section (not only the related list) links DrivAerNet++.
        page.go_back()
        family = page.locator("article ul.pc-family a").all_inner_texts()
        assert any(t.startswith("DrivAerNet++") for t in family), family


def test_a_chosen_colour_scheme_is_kept_on_the_next_page(page, real_site):
    """Material's palette script runs from a file (overrides/partials/javascripts/): a
    reader who picks dark mode sees the next page dark from its first paint."""
    page.emulate_media(color_scheme="light")
    with serve_directory(real_site) as base:
        page.goto(base)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        page.locator("label[title='Dark mode']").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        # Without Material's bundle, only the palette script can apply the choice.
        page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page.goto(base + "papers/2-olmo-2-furious/")
        assert page.evaluate("typeof document$") == "undefined"  # the bundle did not run
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
