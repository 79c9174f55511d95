"""Links for MkDocs' successor: the pages' second link rule (generator/render/pages.py)
and the built-site link checker (generator/review/links.py), without Zensical."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urljoin

from conftest import make_data_dir

from generator.pipeline import build_catalogue
from generator.render.pages import render_pages
from generator.render.paths import OUTPUT, SOURCE, directory_url
from generator.review.links import broken_links

_ATTRIBUTE = re.compile(r'\s((?:data-[a-z-]+|href|src))="([^"]*)"')


def zensical_rewrite(value: str, docs_path: str) -> str:
    """Zensical's rewrite of a relative href/src in a page (zensical/extensions/links.py,
    0.0.57, the same rule 0.0.73 measured): a .md target becomes its directory URL, and
    a page not named index gets one ``../`` more, as it is written one folder deeper."""
    if re.match(r"[a-z]+:|/|#", value):
        return value
    path, hash_, fragment = value.partition("#")
    if path.endswith(".md"):
        path = path.removesuffix(".md")
        path = path.removesuffix("index") if posixpath.basename(path) == "index" else path + "/"
    if posixpath.basename(docs_path) != "index.md":
        path = "../" + path
    return path + hash_ + fragment


def addresses(body: str, docs_path: str, rewrite: bool) -> list[tuple[str, str]]:
    """Each URL-valued attribute of a page's raw HTML, resolved to an absolute URL as a
    browser would once the site generator has written the page."""
    here = urljoin("http://site/", directory_url(docs_path))
    found = []
    for name, value in _ATTRIBUTE.findall(body):
        if name.startswith("data-") and name not in ("data-base", "data-worker"):
            continue
        if rewrite and not name.startswith("data-"):
            value = zensical_rewrite(value, docs_path)
        found.append((name, urljoin(here, value)))
    return found


def test_source_links_under_zensical_reach_what_output_links_reach_under_mkdocs(tmp_path):
    catalogue = build_catalogue(make_data_dir(tmp_path, "trending.txt", "daily.txt"))
    for_mkdocs = render_pages(catalogue, html_links=OUTPUT)
    for_zensical = render_pages(catalogue, html_links=SOURCE)
    assert for_mkdocs.keys() == for_zensical.keys()
    differ = 0
    for path, page in for_mkdocs.items():
        mkdocs = addresses(page.body, path, rewrite=False)
        zensical = addresses(for_zensical[path].body, path, rewrite=True)
        assert zensical == mkdocs, path
        differ += page.body != for_zensical[path].body
    # The rule changes pages: a paper page's links, the search page's script...
    assert differ > len(for_mkdocs) / 2
    find = for_zensical["find.md"].body
    # ...but not the data-* addresses, which Zensical leaves alone.
    assert 'data-base="../" data-worker="../javascripts/paper-search-worker.js"' in find
    assert '<script src="javascripts/find.js">' in find


def test_the_default_is_mkdocs_rule(tmp_path):
    catalogue = build_catalogue(make_data_dir(tmp_path, "trending.txt"))
    default = {p: page.body for p, page in render_pages(catalogue).items()}
    output = {p: page.body for p, page in render_pages(catalogue, html_links=OUTPUT).items()}
    assert default == output


def _site(root, pages: dict[str, str]) -> None:
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, "utf-8")


def test_the_link_checker_finds_what_a_browser_would_not(tmp_path):
    _site(
        tmp_path,
        {
            "index.html": '<a href="papers/x/">x</a> <a href="/papers/x/">root</a>'
            '<a href="https://example.org/">out</a> <a href="#top">top</a>'
            '<a href="mailto:a@b.c">mail</a> <script src="js/gone.js"></script>',
            "papers/x/index.html": '<a href="../../">home</a> <a href="../y/">y</a>'
            '<div data-base="../../" data-worker="../../js/w.js" data-date="2024"></div>'
            '<a href="http://127.0.0.1/sub/papers/x/#a">full</a>',
            "js/w.js": "",
        },
    )
    checked, broken = broken_links(tmp_path, "http://127.0.0.1/")
    assert [str(b) for b in broken] == [
        "index.html: src='js/gone.js'",
        "papers/x/index.html: href='../y/'",
        "papers/x/index.html: href='http://127.0.0.1/sub/papers/x/#a'",
    ]
    assert checked == 8  # x, root, gone.js, home, y, data-base, data-worker, full
    # Under a subpath, a link from the server's root leaves the site; a full URL of
    # the site's own address is checked like a relative one.
    checked, broken = broken_links(tmp_path, "http://127.0.0.1/sub/")
    assert [str(b) for b in broken] == [
        "index.html: href='/papers/x/'",
        "index.html: src='js/gone.js'",
        "papers/x/index.html: href='../y/'",
    ]
    assert checked == 8
