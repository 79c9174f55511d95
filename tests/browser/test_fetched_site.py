"""A listing fetched from Hugging Face, in the browser: read by upvotes."""

from __future__ import annotations

import pytest
from conftest import serve_directory
from hf_replay import fetched_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    built, _ = fetched_site(tmp_path_factory)
    with serve_directory(built) as base:
        yield base


@pytest.mark.browser
def test_a_fetched_listing_can_be_read_most_upvoted_first(page, site):
    page.goto(f"{site}listings/")
    page.locator(".md-content a", has_text="7 December 2026").first.click()
    page.wait_for_selector(".pc-sort")
    items = page.locator(".pc-cards[data-sortable] > .pc-card > h2 > a")
    assert items.all_inner_texts()[0] == "Attention Is All You Need"  # the day's order
    page.get_by_role("button", name="Most upvoted").click()
    page.wait_for_function(
        "document.querySelector('.pc-cards[data-sortable]').dataset.order === 'upvotes'"
    )
    # 42, then 7; the hostile item has no count and comes last.
    texts = items.all_inner_texts()
    assert texts[0].startswith("DeepSeekMoE") and texts[1] == "Attention Is All You Need"
    assert page.evaluate("new URLSearchParams(location.search).get('sort')") == "upvotes"
    assert page.get_by_role("button", name="Most upvoted").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Listing order").click()
    page.wait_for_function(
        "document.querySelector('.pc-cards[data-sortable]').dataset.order === 'own'"
    )
    assert page.evaluate("location.search") == ""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["listings/hugging-face-papers-7-december-2026/?sort=upvotes", "papers/{deepseek}/"]
)
def test_fetched_pages_are_accessible(page, site, scheme, path):
    """The sort control with its third button, the dated upvotes and their source."""
    from hf_replay import DEEPSEEK
    from test_accessibility import serious_violations

    page.emulate_media(color_scheme=scheme)
    page.goto(site + path.format(deepseek=DEEPSEEK))
    page.wait_for_selector(".pc-sort" if "listings" in path else ".pc-upvotes")
    assert serious_violations(page) == []
