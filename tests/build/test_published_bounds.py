"""A published site past the bounds of what it publishes (issue 31, item 2), on a small
synthetic catalogue with the bounds lowered so that it crosses them, built with the
Pages workflow's settings (SITE_URL set: the sitemap lists every page only then).

* The sitemap protocol allows 50,000 URLs a file: above the bound ``sitemap.xml`` is a
  sitemap index of parts at the site's root, which together list every page once;
  within it, one file, without the pages that only redirect.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, PUBLISHED_ENV, load_benchmark, mkdocs_build

synthetic = load_benchmark("synthetic")

SITEMAP_URLS = 100  # lowered: the 260 papers' site has about 350 pages
LOC = re.compile(r"<loc>([^<]*)</loc>")


@pytest.fixture(scope="module")
def bounded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("bounded")
    data = synthetic.write_catalogue(260, tmp / "data")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    site = tmp / "site"
    env = {**PUBLISHED_ENV, "PAPER_CATALOGUE_SITEMAP_URLS": str(SITEMAP_URLS)}
    result = mkdocs_build(data, site, env=env)
    assert result.returncode == 0, result.stderr
    return site


def test_a_sitemap_over_the_bound_is_an_index_of_parts_that_list_every_page(bounded_site):
    index = (bounded_site / "sitemap.xml").read_text("utf-8")
    assert "<sitemapindex " in index and "<urlset" not in index
    parts = LOC.findall(index)
    root = PUBLISHED_ENV["SITE_URL"]
    assert parts == [f"{root}sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert len(parts) >= 3
    # the gzip copy MkDocs writes beside it says the same
    assert gzip.decompress((bounded_site / "sitemap.xml.gz").read_bytes()).decode() == index
    pages = []
    for name in parts:
        text = (bounded_site / name.removeprefix(root)).read_text("utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
        urls = LOC.findall(text)
        assert 0 < len(urls) <= SITEMAP_URLS
        assert text.count("<lastmod>") == len(urls)  # MkDocs' entries, whole
        pages += urls
    assert len(pages) == len(set(pages))
    # every page MkDocs built is listed: each paper, tag and listing page among them
    built = {
        root + str(p.parent.relative_to(bounded_site)).removeprefix(".") + "/"
        for p in bounded_site.rglob("index.html")
        if 'http-equiv="refresh"' not in p.read_text("utf-8")[:2000]
    }
    built = {url.replace(f"{root}/", root) for url in built}
    assert set(pages) == built
    assert sum(url.startswith(root + "papers/") for url in pages) == 260


def test_a_sitemap_within_the_bound_is_one_file_of_the_pages_to_index(published_site: Path):
    text = (published_site / "sitemap.xml").read_text("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    assert not list(published_site.glob("sitemap-*.xml"))
    urls = LOC.findall(text)
    root = PUBLISHED_ENV["SITE_URL"]
    assert sum(url.startswith(root + "papers/") for url in urls) == 720
    # a page that only redirects (noindex) is not an address to index
    redirects = [
        root + str(p.parent.relative_to(published_site)) + "/"
        for p in published_site.rglob("index.html")
        if 'http-equiv="refresh"' in p.read_text("utf-8")[:2000]
    ]
    assert redirects and not set(redirects) & set(urls)
