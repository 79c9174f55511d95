"""The built site: the catalogue.json contract, strictness, safety, determinism."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml
from conftest import (
    DATA,
    FIXTURES,
    SEEDS,
    copy_data_reversed,
    digest_tree,
    make_data_dir,
    mkdocs_build,
)

from generator.ingest.listings import clean, parse_file
from generator.mkdocs_site.front_matter import front_matter
from generator.pipeline import build_catalogue
from generator.render.pages import LIST_SHOWN, render_pages


def load_catalogue(site: Path) -> list[dict]:
    return json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["papers"]


def test_catalogue_json_holds_720_papers_and_801_memberships(real_site):
    papers = load_catalogue(real_site)
    assert len(papers) == 720
    assert sum(len(p["appearances"]) for p in papers) == 801
    assert {name for p in papers for name in p["listings"]} == {p.name for p in SEEDS}
    for paper in papers:
        assert {"id", "title", "abstract", "tags", "listings", "related", "url"} <= paper.keys()
        assert paper["url"] == f"papers/{paper['id']}/"


def test_titles_and_abstracts_are_kept_exactly_as_in_the_dumps(real_site):
    """The text as written is in catalogue.json: as ``title``/``abstract``, or, where
    it had LaTeX, as ``title_source``/``abstract_source`` beside the text shown. The
    one abstract a curator restored (a broken paste) is the curation file's."""
    in_dumps = {
        (clean(e.title), clean(e.abstract)) for p in SEEDS for e in parse_file(p).listing.entries
    }
    curated = {
        path.stem: yaml.safe_load(path.read_text("utf-8"))["abstract"]
        for path in (DATA / "curation" / "papers").glob("*.yaml")
        if "abstract" in yaml.safe_load(path.read_text("utf-8"))
    }
    papers = load_catalogue(real_site)
    written = {
        (p.get("title_source", p["title"]), p.get("abstract_source", p["abstract"]))
        for p in papers
        if p["id"] not in curated
    }
    assert written <= in_dumps and len(written) == 720 - len(curated)
    by_id = {p["id"]: p for p in papers}
    for pid, abstract in curated.items():
        assert by_id[pid].get("abstract_source", by_id[pid]["abstract"]) == " ".join(
            abstract.split()
        )
    sources = [p for p in papers if "title_source" in p or "abstract_source" in p]
    assert len(sources) >= 40  # the real dumps' LaTeX: 60\%, T\"ulu, PanGu-$α$, ...


def test_there_is_a_page_at_every_url(real_site):
    for paper in load_catalogue(real_site):
        page = (real_site / paper["url"] / "index.html").read_text(encoding="utf-8")
        assert f">{html.escape(paper['title'], quote=False)}<" in page


def test_index_pages_exist_and_link_every_paper(real_site):
    # The A–Z: an index of letters linking a page per letter (or several), which link
    # every paper between them.
    index = (real_site / "a-z" / "index.html").read_text(encoding="utf-8")
    parts = sorted((real_site / "a-z").glob("*/index.html"))
    assert all(f'href="{part.parent.name}/"' in index for part in parts)
    az = "".join(part.read_text(encoding="utf-8") for part in parts)
    for paper in load_catalogue(real_site):
        assert f'href="../../papers/{paper["id"]}/"' in az
    listing = (real_site / "listings" / "daily-papers-14-march" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<time datetime="--03-14">14 March</time>' in listing
    # A listing of 161 papers shows a screen of them in each order it offers (89 cards
    # in all, once each) and links to all 161 on the Search page (test_list_pages.py)
    cards = listing.count('<article class="pc-card"')
    assert LIST_SHOWN < cards == listing.count('href="../../papers/') < 161
    assert 'data-of="161"' in listing
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert "720 papers" in home


def test_paper_pages_stay_out_of_the_navigation(real_site):
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert "papers/" not in home.split('class="md-nav')[1].split("</nav>")[0]
    # A paper page carries no 720-item nav: the whole page stays small.
    sizes = [p.stat().st_size for p in (real_site / "papers").glob("*/index.html")]
    assert len(sizes) == 720 and max(sizes) < 60_000


# What a browser loads by itself: scripts, images, frames, stylesheets, preloads, fonts.
LOADED = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\ssrc=[\"']?([^\"'\s>]+)"
    r"|<link\b[^>]*\srel=[\"']?(?:stylesheet|preload|modulepreload|prefetch|preconnect|icon)"
    r"[^>]*\shref=[\"']?([^\"'\s>]+)"
    r"|<link\b[^>]*\shref=[\"']?([^\"'\s>]+)[^>]*\srel=[\"']?(?:stylesheet|preload|icon)"
    r"|url\(\s*[\"']?([^\"')\s]+)|@import\s+[\"']([^\"']+)",
    re.I,
)


def test_no_asset_is_fetched_from_outside(real_site):
    """No page, stylesheet or script of the site loads anything from another host."""
    outside = []
    files = [*real_site.rglob("*.html"), *real_site.rglob("*.css"), *real_site.rglob("*.js")]
    assert len(files) > 720
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in LOADED.finditer(text):
            url = next(g for g in match.groups() if g)
            if url.startswith(("http:", "https:", "//")):
                outside.append(f"{path.relative_to(real_site)}: {url}")
    assert outside == [], outside[:10]


def test_empty_sections_are_not_rendered(tmp_path):
    # One paper, no taxonomy: no tags, nothing related, no family: only its listing, and
    # a line saying that nothing is related (a reader would otherwise wonder).
    raw = (FIXTURES / "trending.txt").read_bytes().split(b"\nTensor Programs")[0] + b"\n"
    pages = render_pages(build_catalogue(make_data_dir(tmp_path, raw={"one.txt": raw})))
    [page] = [v.body for k, v in pages.items() if k.startswith("papers/")]
    for section in ("pc-tags", "## See also", "pc-related"):
        assert section not in page
    assert "## Listings" in page
    assert 'class="pc-no-related"' in page


def test_front_matter_survives_hostile_titles(tmp_path):
    catalogue = build_catalogue(make_data_dir(tmp_path, "hostile.txt"))
    pages = render_pages(catalogue)
    assert len(catalogue.papers) == 3
    for paper in catalogue.papers:
        text = front_matter(pages[f"papers/{paper.id}.md"])
        _, matter, rest = text.split("---\n", 2)
        meta = yaml.safe_load(matter)
        assert rest == "\n"
        # head: the citation metadata (generator/render/head_meta.py), HTML made there.
        assert set(meta) == {"title", "description", "paper_id", "head", "hide", "search"}
        assert meta["paper_id"] == paper.id
        assert meta["head"].startswith('<meta name="citation_title" content="')
        assert html.unescape(meta["title"]) == paper.title


def test_hostile_text_is_shown_not_executed(hostile_site):
    papers = {p["title"]: p for p in load_catalogue(hostile_site)}
    title = next(t for t in papers if t.startswith("<script>"))
    page = (hostile_site / papers[title]["url"] / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<RET>" not in page and "&lt;RET&gt;" in page
    assert "<img src=x" not in page
    assert "{{ config.site_name }}" in page and "{% if true %}" in page


def test_strict_build_fails_on_a_malformed_dump_naming_file_and_line(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt", "missing_abstract.txt")
    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "missing_abstract.txt:5: error: the title 'A Title Whose Abstract" in output
    assert "paste the abstract on the line after the title" in output
    assert "Traceback" not in output


def test_lenient_build_keeps_everything_else_from_a_malformed_dump(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt", "missing_abstract.txt")
    result = mkdocs_build(data, tmp_path / "site", strict=False)
    assert result.returncode == 0
    titles = {p["title"] for p in load_catalogue(tmp_path / "site")}
    assert {"First Paper Keeps Its Abstract", "Third Paper Is Still Found"} <= titles
    assert len(titles) == 5


def test_new_dump_in_either_layout_adds_its_papers(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    raw = (FIXTURES / "daily.txt").read_bytes()
    (data / "listings" / "zz_new.txt").write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    papers = load_catalogue(tmp_path / "site")
    assert len(papers) == 5  # 3 + 3, "Scaling laws" shared
    assert (tmp_path / "site" / "listings" / "zz-new" / "index.html").exists()


def test_same_inputs_give_a_byte_identical_site(tmp_path, real_site):
    # Same data copied in reverse order, built again: every file identical. MkDocs
    # stamps only sitemap.xml(.gz) with the build date; SOURCE_DATE_EPOCH pins it.
    result = mkdocs_build(copy_data_reversed(tmp_path), tmp_path / "site", reverse_dirs=True)
    assert result.returncode == 0, result.stderr
    assert digest_tree(tmp_path / "site") == digest_tree(real_site)


def test_every_internal_link_resolves(real_site):
    """Raw-HTML link lists bypass MkDocs' link validation: check every href here."""
    href = re.compile(r'href="([^"#?]*)[^"]*"')
    broken = []
    for page in real_site.rglob("*.html"):
        base = page.relative_to(real_site).parent.as_posix()
        for target in set(href.findall(page.read_text(encoding="utf-8"))):
            if not target or target.startswith(("http:", "https:", "mailto:", "data:")):
                continue
            # 404.html links from the site root (MkDocs cannot know the failing URL's depth).
            folder = real_site if target.startswith("/") else real_site / base
            resolved = (folder / html.unescape(target).lstrip("/")).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{page.relative_to(real_site)} -> {target}")
    assert broken == [], broken[:20]


def test_every_icon_a_page_uses_is_in_the_icon_sheet(real_site):
    """The theme's inline icons are moved into assets/icons.svg: none may go missing.
    (404.html is the theme's own template, served from any depth: it keeps its icons.)"""
    sheet = (real_site / "assets" / "icons.svg").read_text("utf-8")
    defined = set(re.findall(r'<symbol id="(\w+)"', sheet))
    used = set()
    for page in [
        *real_site.glob("index.html"),
        *real_site.glob("*/index.html"),
        *real_site.glob("papers/*/index.html"),
    ]:
        text = page.read_text("utf-8")
        assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox=' not in text, page
        used |= set(re.findall(r'<use href="[^"#]*icons\.svg#(\w+)"', text))
    assert len(used) >= 8 and used <= defined
