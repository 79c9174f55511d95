"""A Content-Security-Policy on every page, in force, and the site still works under it.

Every page carries a ``<meta http-equiv>`` policy before its first script: scripts from
the site itself plus the hashes of that page's own inline scripts, never
``'unsafe-inline'`` for scripts. In Chromium no page of any type reports a violation,
an inline script injected into a page is refused (the policy is in force, not merely
printed), and search, the palette toggle and the copy button keep working.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from conftest import SEARCH_SHOWN, page_paths, settle, wait_until

# Collects the page's CSP violations; runs before any script of each document.
VIOLATIONS = """
window.__csp = []
document.addEventListener("securitypolicyviolation", e => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))
"""


def console_line(message) -> str | None:
    """Every console line counts: the sitemap 404s beside each feed (issue 29) are gone."""
    return f"{message.text} {message.location.get('url')}"


POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_carries_the_policy_first_and_it_allows_only_its_own_inline_scripts(
    published_site,
):
    pages = sorted(published_site.rglob("*.html"))
    assert len(pages) > 700
    ld_blocks = 0
    for path in pages:
        html = path.read_text("utf-8")
        found = POLICY.findall(html)
        assert len(found) == 1, f"{path}: {len(found)} policies"
        head = html[: html.index("</head>")]
        assert head.index("Content-Security-Policy") < head.find("<script") or (
            "<script" not in head
        ), path
        directives = dict(d.strip().split(" ", 1) for d in found[0].split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert directives["form-action"] == "'self'"
        assert directives["worker-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        scripts = directives["script-src"].split()
        assert scripts[0] == "'self'" and "'unsafe-inline'" not in scripts
        # Data blocks (Material's config, a paper's JSON-LD) are never run: no hash.
        data_blocks = ("application/json", "application/ld+json")
        inline = [
            body
            for attrs, body in INLINE_SCRIPT.findall(html)
            if not any(kind in attrs for kind in data_blocks)
        ]
        assert sorted(scripts[1:]) == sorted({sha256(body) for body in inline}), path
        for ld in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert sha256(ld) not in scripts, path
            ld_blocks += 1
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"{path}: an inline event handler"
    assert ld_blocks >= 720  # every paper page has one, and the policy needs no hash for it


@pytest.mark.browser
def test_no_page_violates_the_policy_and_search_palette_and_copy_still_work(
    csp_page, published, published_site
):
    page = csp_page
    page.context.add_init_script(VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(console_line(m)))
    violations: list[str] = []
    errors: list[str] = []
    for path in page_paths(published_site):
        page.goto(published + path)
        settle(page)
        violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
        errors += [f"{path}: {e}" for e in console if e is not None]
        # The policy is in force: an inline script slipped into the page does not run.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__injected = true'; document.head.append(s) }"
        )
        wait_until(page, "() => window.__csp.length > 0")
        assert page.evaluate("window.__injected === undefined"), path
        page.evaluate("window.__csp = []")
        console.clear()  # the refusal just provoked is logged as an error: not counted

    # The Search page answered its query under the policy.
    page.goto(published + "find/?query=merging")
    wait_until(
        page,
        "() => document.querySelector('.pc-find-results').getAttribute('aria-busy') === 'false'"
        " && document.querySelectorAll('.pc-find-results .pc-card').length > 0",
    )
    # The header box: its worker answers, the results are shown.
    page.goto(published + "about/")
    box = page.locator('input[data-md-component="search-query"]')
    box.click()
    box.type("LoRA", delay=20)
    wait_until(page, SEARCH_SHOWN, "LoRA")
    assert page.locator(".md-search-result__item h1").count() > 0
    # The palette toggle switches the scheme.
    page.goto(published)
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    wait_until(page, "before => document.body.dataset.mdColorScheme !== before", before)
    # The copy button copies.
    papers = json.loads((published_site / "catalogue.json").read_text("utf-8"))["papers"]
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=published.rstrip("/")
    )
    page.goto(published + papers[0]["url"])
    page.get_by_role("button", name="Copy BibTeX").click()
    wait_until(page, "() => document.querySelector('.pc-copy-status').textContent !== ''")
    assert page.locator(".pc-copy-status").inner_text() == "Copied."
    violations += page.evaluate("window.__csp")
    assert violations == []
    errors += [e for e in console if e is not None]
    assert errors == [], "\n".join(errors)
