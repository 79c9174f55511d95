"""The site as the Pages workflow publishes it (REPO_URL, SITE_URL and EDIT_URI set) is
self-contained: no visitor's browser is sent anywhere but the site's own origin.

With ``repo_url`` set, Material's repository widget asked api.github.com for the
repository's stars, forks and latest release from every visitor's browser; the offline
tests, built without REPO_URL, never saw it. Here one page of every type is loaded in
Chromium, every request is recorded, and none may leave the site's origin.
"""

from __future__ import annotations

import pytest
from conftest import PUBLISHED_ENV, page_paths, settle


@pytest.mark.browser
def test_no_page_makes_the_visitors_browser_contact_anyone_else(page, published, published_site):
    # `page` ignores the policy: it shows what the page tries, not what the policy stops.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in page_paths(published_site):
        page.goto(published + path)
        settle(page)  # every request the page makes by itself, made
    assert requests, "nothing was recorded"
    outside = sorted({u for u in requests if not u.startswith(published)})
    assert outside == [], f"requests leaving the site: {outside}"
    # the repository link itself stays
    assert page.locator("a.md-source").first.get_attribute("href") == PUBLISHED_ENV["REPO_URL"]
