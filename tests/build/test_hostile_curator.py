"""Every curator-controlled value is inert (issue 27).

Anyone can open a pull request that edits ``data/``. These tests feed every field a
curator controls (listings.yaml, the taxonomy, curation files) Markdown, HTML and URL
payloads, and assert one of two outcomes: the schema refuses the value with the file
and line, or the value reaches the built site as text — no link with another scheme,
no ``style``/``on*`` attribute, no heading, admonition or element made from it — and
the reviewers' diff shows it without letting it start a Markdown block.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from conftest import ROOT, listing_pages, made_once_per_run, make_data_dir, mkdocs_build

from generator.infra.cache import Cache
from generator.model import ListingMeta, TagInfo
from generator.pipeline import build_catalogue
from generator.render.pages import render_pages
from generator.review.diff import compare, diff_refs, to_markdown

MARK = "PWN"  # every payload carries it: where it lands in the HTML is what is checked
PAPERS = [
    "flora-federated-fine-tuning-large-language-models-with-heterogeneous-low-rank",
    "flora-low-rank-core-space-for-n-dimension",
    "scaling-laws-for-neural-language-models",
    "tensor-programs-v-tuning-large-neural-networks-via-zero-shot-hyperparameter",
]
HIDDEN = "sparse-mixture-of-experts-are-domain-generalizable-learners"

# One line each, at least 10 characters: a schema has no reason to refuse them, so they
# must reach the page as the text they are.
LINE_PAYLOADS = [
    "# PWN heading",
    '!!! note "PWN admonition"',
    "<script>alert('PWN')</script>",
    '<img src="x" onerror="alert(\'PWN\')">',
    "PWN {style=position:fixed;inset:0 onclick=alert(1)}",
    "[PWN](javascript:alert(1))",
    "x)[PWN](javascript:alert(1)){style=position:fixed}",
    "<details open><summary>PWN</summary>PWN</details>",
    "*PWN* _PWN_ `PWN` | PWN | ~~PWN~~",
    "1. PWN list item",
    "> PWN quoted text",
    "[PWN]: javascript:alert(1)",
    "&lt;b&gt;PWN &amp; <a href=javascript:alert(1)>PWN</a>",
    "{: style='color:red' onclick=alert(1) } PWN",
    "<!-- PWN --> <style>body{display:none}</style> PWN",
]
# Newlines that would start a block; where a value may span lines (an abstract), they
# must fold into one paragraph.
BLOCK_PAYLOADS = [
    "Some text\n# PWN heading",
    'Some text\n\n!!! note "PWN admonition"\n    PWN body',
    "Some text\n\n---\n\nPWN after a rule",
    "Some text\n\n<details open><summary>PWN</summary>PWN</details>\n\nmore",
    "Some text\n\n    PWN indented code\n\n| PWN | x |\n| --- | --- |\n| a | b |",
]
# URLs no schema may accept: other schemes, Markdown and attribute breakouts, whitespace.
BAD_URLS = [
    "javascript:alert(1)",
    "data:text/html,PWN",
    "https://huggingface.co/papers)[x](javascript:alert(1)){style=position:fixed;inset:0}",
    "https://example.org/a](javascript:alert(1))",
    "https://example.org/a b",
    'https://example.org/"onclick="alert(1)',
    "https://example.org/'x'",
    "https://example.org/<script>",
    "https://example.org/a\\b",
    "https://example.org/{x}",
    "https://example.org/x\n# PWN",
    "https://example.org/x\u0001y",
    "https://example.org/x\u2028y",
    "https:",
]
# Legal, but full of characters Markdown and HTML care about.
ODD_URL = "https://example.org/p*PWN*_x_?q=a&b=|c|;d=~e~#!f"

URL_ATTRS = {"href", "src", "action", "formaction", "poster", "cite", "data", "xlink:href"}
SCHEMES = {"", "http", "https", "mailto"}
# The site's own inline handlers and styles (the search form), nothing else.
OWN_ATTRS = {("form", "onsubmit", "return false")}
# Where a payload's text may end up: inside elements the templates write around values.
TEXT_TAGS = {"p", "li", "dd", "td", "a", "small", "code", "option", "title", "time", "h1", "h2"}
TEXT_TAGS |= {"span", "text"}  # the theme's navigation; a chart's labels (SVG text)
TEXT_TAGS |= {"legend", "label"}  # the Search page's tag filters: groups, tag labels
TEXT_TAGS |= {"desc"}  # a chart's description, which names its largest tags
# What a style or handler made from a payload would hold; the theme's and the charts' own
# styles (table alignment, SVG strokes) hold none of it.
FROM_INPUT = re.compile(r"PWN|alert|position|color:\s*red|display:\s*none", re.I)
DATA_BLOCKS = ("application/json", "application/ld+json")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "path", "circle", "rect", "line", "polyline", "stop", "use"}


def one_line(text: str) -> str:
    return " ".join(text.split())


class Audit(HTMLParser):
    """Everything in one HTML page that a payload could have made."""

    def __init__(self, where: str, values: set[str]):
        super().__init__(convert_charrefs=True)
        self.where, self.values = where, values
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.heading: list[str] | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name in URL_ATTRS:
                url = re.sub(r"[\x00-\x20]", "", value)
                scheme = urlsplit(url).scheme.lower() if ":" in url.split("/")[0] else ""
                if scheme not in SCHEMES:
                    self.found.append(f"{self.where}: <{tag} {name}={value!r}>")
            if name.startswith("on") and (tag, name, value) not in OWN_ATTRS:
                self.found.append(f"{self.where}: <{tag} {name}={value!r}>")
            if name == "style" and FROM_INPUT.search(value):
                self.found.append(f"{self.where}: <{tag} {name}={value!r}>")
        if tag in HEADINGS or ("admonition-title" in (dict(attrs).get("class") or "")):
            self.heading = []
        if tag in ("div", "details") and "admonition" in (dict(attrs).get("class") or ""):
            self.found.append(f"{self.where}: an admonition") if "pc-" not in self.where else None
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS or (tag == "p" and self.heading is not None and not self._in(HEADINGS)):
            self._heading_ended(tag)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def _in(self, tags: set[str]) -> bool:
        return any(t in tags for t, _ in self.stack)

    def _heading_ended(self, tag: str) -> None:
        if self.heading is None:
            return
        text = one_line("".join(self.heading).replace("¶", ""))
        self.heading = None
        if MARK in text and not any(text.endswith(v) for v in self.values):
            self.found.append(f"{self.where}: <{tag}> {text!r} made from input")

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if MARK not in data or not self.stack:
            return
        tag, attrs = self.stack[-1]
        # Data blocks (Material's config, a paper's JSON-LD) hold text by design: that it
        # stays inert there is test_payloads_in_citation_metadata_stay_inert's to check.
        if tag in ("script", "style") and attrs.get("type") not in DATA_BLOCKS:
            self.found.append(f"{self.where}: {MARK} inside <{tag}>")
        elif tag not in TEXT_TAGS and tag not in ("script", "pre"):
            self.found.append(f"{self.where}: {MARK} in a <{tag}> made from input: {data!r}")
        if "admonition-title" in (attrs.get("class") or ""):
            self.found.append(f"{self.where}: {MARK} in an admonition title")


def audit(html: str, where: str, values: set[str], admonitions: int = 0) -> list[str]:
    parser = Audit(where, values)
    parser.feed(html)
    parser.close()
    found = [f for f in parser.found if not f.endswith(": an admonition")]
    if sum(f.endswith(": an admonition") for f in parser.found) > admonitions:
        found.append(f"{where}: an admonition made from input")
    if "<hr" in html.split("<article", 1)[-1].split("</article>", 1)[0]:
        found.append(f"{where}: a rule (<hr>) made from input")
    return found


def write_yaml(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def taxonomy(groups: list[str], descriptions: list[str]) -> dict:
    words = ["low-rank", "scaling", "mixture", "federated", "transfer", "tensor", "language"]
    return {
        "groups": groups,
        "tags": [
            {
                "name": f"tag-{i}",
                "label": descriptions[(i + 6) % len(descriptions)],
                "description": description,
                "group": groups[i % len(groups)],
                "title_phrases": [words[i % len(words)]],
            }
            for i, description in enumerate(descriptions)
        ],
    }


def hostile_data(tmp: Path) -> Path:
    """Every accepted payload in every field, rotated over the papers, listings and tags."""
    data = make_data_dir(tmp, "trending.txt", "daily.txt")
    n = len(LINE_PAYLOADS)
    write_yaml(
        data / "listings.yaml",
        {
            name: {
                "title": LINE_PAYLOADS[i],
                "description": LINE_PAYLOADS[i + 1],
                "date": "2024-03-14",
                "added": "2024-03-15",
                "source": ODD_URL,
            }
            for i, name in enumerate(["daily.txt", "trending.txt"])
        },
    )
    write_yaml(data / "taxonomy.yaml", taxonomy(LINE_PAYLOADS[2:5], LINE_PAYLOADS))
    for k, pid in enumerate(PAPERS):
        write_yaml(
            data / "curation" / "papers" / f"{pid}.yaml",
            {
                "title": LINE_PAYLOADS[(k + 3) % n],
                "abstract": BLOCK_PAYLOADS[k % len(BLOCK_PAYLOADS)] + " " + LINE_PAYLOADS[k],
                "authors": [LINE_PAYLOADS[(k + j) % n] for j in range(n)],
                "venue": LINE_PAYLOADS[(k + 5) % n],
                "note": LINE_PAYLOADS[(k + 7) % n],
                "year": 2024,
                "links": {"code": ODD_URL, "project": ODD_URL, "pdf": ODD_URL},
                "tags": {"add": ["tag-1"] if k else []},
            },
        )
    write_yaml(
        data / "curation" / "papers" / f"{HIDDEN}.yaml",
        {"hidden": LINE_PAYLOADS[9], "title": LINE_PAYLOADS[10]},
    )
    write_yaml(data / "listings" / FETCHED, fetched_listing(ODD_URL))
    return data


# A structured listing (data/listings/*.yaml, as `fetch hf-daily` writes them) is data a
# pull request carries too: every text field holds payloads, every URL the odd one.
FETCHED = "hf-daily-2024-03-16.yaml"


def fetched_listing(url: str, *, page: str | None = None) -> dict:
    n = len(LINE_PAYLOADS)
    return {
        "source": "Hugging Face Papers API",
        "kind": "daily",
        "date": "2024-03-16",
        "fetched": "2024-03-17",
        "api": "https://huggingface.co/api/daily_papers?date=2024-03-16",
        "page": page or ODD_URL,
        "papers": [
            {
                "arxiv": f"2403.0000{k + 1}",
                "title": f"Fetched {LINE_PAYLOADS[(k + 4) % n]}",
                "abstract": " ".join(LINE_PAYLOADS[(k + j) % n] for j in range(4)) + " Done.",
                "authors": [LINE_PAYLOADS[(k + j) % n] for j in range(n)],
                "published": "2024-03-15",
                "upvotes": 10 + k,
                "code": url,
                "project": url,
            }
            for k in range(2)
        ],
    }


def values_of(data: Path) -> set[str]:
    """Every string in the data files, as one line: what a heading may legitimately show."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.add(one_line(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in data.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


@pytest.fixture(scope="module")
def curated_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """Built once per test run, not once per worker: this module's tests are many, and
    often split between the workers."""

    def make(tmp: Path) -> None:
        data = hostile_data(tmp)
        errors = [str(p) for p in build_catalogue(data, Cache(None)).errors]
        assert errors == [], errors  # every payload here is one a schema has to accept
        result = mkdocs_build(data, tmp / "site", env={"PAPER_CATALOGUE_CACHE": "off"})
        assert result.returncode == 0, result.stderr

    tmp = made_once_per_run(tmp_path_factory, "hostile-curator", make)
    return tmp / "site", values_of(tmp / "data")


def test_accepted_payloads_stay_text_in_every_built_page(curated_site):
    site, values = curated_site
    found = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        where = str(page.relative_to(site))
        hidden_page = where == f"papers/{HIDDEN}/index.html"
        found += audit(page.read_text(encoding="utf-8"), where, values, int(hidden_page))
    assert found == []
    # The payloads did reach the pages (as text), so the audit looked at them.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "[PWN](javascript:alert(1))" in home or "# PWN heading" in home
    assert len(pages) > 10


def test_accepted_urls_are_attributes_not_markdown(curated_site):
    site, _ = curated_site
    first = listing_pages(site)[0]
    listing = (site / "listings" / first / "index.html").read_text(encoding="utf-8")
    paper = (site / "papers" / PAPERS[0] / "index.html").read_text(encoding="utf-8")
    for page in (listing, paper):
        hrefs = re.findall(r'href="(https://example\.org/[^"]*)"', page)
        assert hrefs, "the curator's URL is linked"
        assert all(h.startswith("https://example.org/p*PWN*_x_?q=a&amp;b=") for h in hrefs)


def test_a_fetched_listings_papers_reached_the_site_with_their_links(curated_site):
    site, _ = curated_site
    papers = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["papers"]
    fetched = [p for p in papers if FETCHED in p["listings"]]
    assert len(fetched) == 2 and all(p["upvotes"] >= 10 for p in fetched)
    page = (site / fetched[0]["url"].strip("/") / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(https://example\.org/[^"]*)">Code<', page)
    assert len(hrefs) == 1 and hrefs[0].startswith("https://example.org/p*PWN*_x_?q=a&amp;b=")
    assert "upvotes on Hugging Face" in page


def test_catalogue_json_and_page_links_drop_other_schemes_without_the_schema():
    """catalogue.json's links are data a reader's script may link: only http(s) ones."""
    from generator.analyse.citations import external_links
    from generator.export.site_data import _meta_fields
    from generator.model import Paper, PaperMeta

    meta = PaperMeta(links=tuple(("code", u) for u in BAD_URLS[:2]), pdf="javascript:x()")
    fields = _meta_fields(meta)
    assert "links" not in fields and "pdf" not in fields
    paper = Paper(id="x", title="A title", abstract="An abstract.", appearances=())
    urls = [url for _, url in external_links(paper, meta)]
    assert all(url.startswith("https://") for url in urls)


# --- the schemas refuse what cannot be valid, naming file and line --------------------


def refused(data: Path, shown: str) -> list[str]:
    """The errors about ``shown`` (a data file), as check prints them."""
    return [str(p) for p in build_catalogue(data, Cache(None)).errors if p.path == shown]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_listing_source_is_refused_at_its_line(tmp_path, url):
    data = make_data_dir(tmp_path, "daily.txt")
    write_yaml(data / "listings.yaml", {"daily.txt": {"title": "Daily", "source": url}})
    errors = refused(data, "data/listings.yaml")
    # A control character is also refused by the file reader, at the same line.
    assert errors and all(e.startswith("data/listings.yaml:3: error: ") for e in errors), errors
    assert any(e.startswith("data/listings.yaml:3: error: daily.txt/source: ") for e in errors)


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("kind", ["code", "project"])
def test_a_bad_link_in_a_fetched_listing_is_refused_at_its_line(tmp_path, url, kind):
    data = make_data_dir(tmp_path, "daily.txt")
    listing = fetched_listing("https://example.org/fine")
    listing["papers"][1][kind] = url
    lines = write_yaml(data / "listings" / FETCHED, listing).read_text().splitlines()
    second = next(i for i, line in enumerate(lines) if "2403.00002" in line)
    at = next(i for i, line in enumerate(lines) if i > second and line.startswith(f"  {kind}:"))
    shown = f"data/listings/{FETCHED}"
    errors = refused(data, shown)
    # A control character is also refused by the file reader, at its own line.
    assert any(e.startswith(f"{shown}:{at + 1}: error: papers/1/{kind}: ") for e in errors), errors
    papers = build_catalogue(data, Cache(None)).papers
    assert not [p for p in papers if p.title.startswith("Fetched")]  # the file gives none


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("kind", ["code", "project", "pdf"])
def test_a_bad_curation_link_is_refused_at_its_line(tmp_path, url, kind):
    data = make_data_dir(tmp_path, "daily.txt")
    shown = f"data/curation/papers/{PAPERS[1]}.yaml"
    write_yaml(data / shown.removeprefix("data/"), {"venue": "NeurIPS", "links": {kind: url}})
    errors = refused(data, shown)
    assert errors and all(e.startswith(f"{shown}:3: error: ") for e in errors), errors
    assert any(e.startswith(f"{shown}:3: error: links/{kind}: ") for e in errors), errors


ONE_LINE_CURATION = ["title", "hidden", "note", "venue"]


@pytest.mark.parametrize("payload", [*BLOCK_PAYLOADS, "A reason\r# PWN", "Tab\there", "x\u2029y"])
@pytest.mark.parametrize("key", [*ONE_LINE_CURATION, "authors"])
def test_a_line_break_in_a_one_line_curation_field_is_refused(tmp_path, key, payload):
    data = make_data_dir(tmp_path, "daily.txt")
    shown = f"data/curation/papers/{PAPERS[1]}.yaml"
    value = [payload] if key == "authors" else payload
    write_yaml(data / shown.removeprefix("data/"), {"year": 2024, key: value})
    [error] = refused(data, shown)
    where, line = ("authors/0", 3) if key == "authors" else (key, 2)
    assert error.startswith(f"{shown}:{line}: error: {where}: ")


@pytest.mark.parametrize("key", ["title", "description"])
def test_a_line_break_in_a_listing_field_is_refused(tmp_path, key):
    data = make_data_dir(tmp_path, "daily.txt")
    write_yaml(data / "listings.yaml", {"daily.txt": {"added": "2024-01-01", key: "A\n# PWN"}})
    [error] = refused(data, "data/listings.yaml")
    assert error.startswith(f"data/listings.yaml:3: error: daily.txt/{key}: ")


def test_a_line_break_in_a_taxonomy_label_description_or_group_is_refused(tmp_path):
    data = make_data_dir(tmp_path, "daily.txt")
    write_yaml(
        data / "taxonomy.yaml", taxonomy(["Topics", "Bad\n# PWN group"], ["Fine\n!!! note PWN"])
    )
    errors = refused(data, "data/taxonomy.yaml")
    assert any(e.startswith("data/taxonomy.yaml:3: error: groups/1: ") for e in errors), errors
    assert any(e.startswith("data/taxonomy.yaml:8: error: tags/0/label: ") for e in errors)
    assert any(e.startswith("data/taxonomy.yaml:11: error: tags/0/description: ") for e in errors)


def test_check_prints_one_line_naming_file_and_line(tmp_path):
    data = make_data_dir(tmp_path, "daily.txt")
    write_yaml(data / "listings.yaml", {"daily.txt": {"source": BAD_URLS[2]}})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PAPER_CATALOGUE_CACHE": "off", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    [line] = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert line.startswith("data/listings.yaml:2: error: daily.txt/source: ")
    assert "Traceback" not in result.stderr


# --- the pages escape even what a schema would refuse (defence in depth) --------------

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]


def test_pages_keep_block_payloads_and_bad_urls_inert_without_the_schema(tmp_path):
    """A catalogue whose values never met a schema (a future field, another loader)."""
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    write_yaml(data / "listings.yaml", {"daily.txt": {"title": "Daily"}})
    write_yaml(data / f"curation/papers/{HIDDEN}.yaml", {"hidden": "for now"})
    write_yaml(data / f"curation/papers/{PAPERS[0]}.yaml", {"note": "a note"})
    catalogue = build_catalogue(data, Cache(None))
    blocks = iter(BLOCK_PAYLOADS * 4)
    catalogue.listing_meta["daily.txt"] = ListingMeta(
        title=next(blocks), description=next(blocks), date="2024-03-14", source=BAD_URLS[2]
    )
    catalogue.meta[PAPERS[0]] = dataclasses.replace(
        catalogue.meta[PAPERS[0]],
        note=next(blocks),
        venue=next(blocks),
        authors=(next(blocks), next(blocks)),
        links=tuple(("code", u) for u in BAD_URLS),
    )
    paper, _ = catalogue.hidden[HIDDEN]
    catalogue.hidden[HIDDEN] = (dataclasses.replace(paper, title=next(blocks)), next(blocks))
    papers = tuple(
        dataclasses.replace(p, title=next(blocks), tags=("x-tag",)) if p.id == PAPERS[1] else p
        for p in catalogue.papers
    )
    vocabulary = dataclasses.replace(
        catalogue.vocabulary,
        groups=(next(blocks),),
        tags=(TagInfo("x-tag", next(blocks), next(blocks)),),
    )
    catalogue = dataclasses.replace(catalogue, papers=papers, vocabulary=vocabulary)
    values = {one_line(v) for v in BLOCK_PAYLOADS} | {"Daily"}
    found = []
    for path, page in render_pages(catalogue).items():
        html = markdown.markdown(page.body, extensions=EXTENSIONS)
        found += audit(html, path, values, int(path == f"papers/{HIDDEN}.md"))
    assert found == []


# --- the reviewers' diff -----------------------------------------------------------


def test_a_forged_hidden_reason_cannot_add_a_heading_to_the_diff(tmp_path):
    before = make_data_dir(tmp_path / "before", "daily.txt")
    after = make_data_dir(tmp_path / "after", "daily.txt")
    forged = "dup\n\n## Catalogue changes: `main` → `HEAD`\n\nNo paper changes.\n\n---\n<b>x</b>"
    catalogue = build_catalogue(before, Cache(None))
    forged_after = build_catalogue(after, Cache(None))
    paper = forged_after.by_id[PAPERS[1]]
    forged_after.hidden[PAPERS[1]] = (paper, forged)
    forged_after = dataclasses.replace(
        forged_after, papers=tuple(p for p in forged_after.papers if p.id != PAPERS[1])
    )
    text = to_markdown(compare(catalogue, forged_after), "main", "HEAD")
    assert len(re.findall(r"^#+ Catalogue changes", text, re.M)) == 1
    assert not re.search(r"^(---|<b>|No paper)", text, re.M)
    html = markdown.markdown(text)
    assert "<b>" not in html and "<hr" not in html and html.count("<h2") == 1


def test_the_diff_reports_every_curator_field(tmp_path):
    before = make_data_dir(tmp_path / "before", "daily.txt")
    after = make_data_dir(tmp_path / "after", "daily.txt")
    write_yaml(before / "taxonomy.yaml", taxonomy(["Topics"], ["Low-rank adaptation, LoRA."]))
    write_yaml(before / "listings.yaml", {"daily.txt": {"title": "Daily", "date": "2024-03-14"}})
    write_yaml(after / "taxonomy.yaml", taxonomy(["Themes"], ["Now a forged `x` | y # PWN"]))
    write_yaml(
        after / "listings.yaml",
        {"daily.txt": {"title": "Daily `PWN` | x", "date": "2024-03-15", "source": ODD_URL}},
    )
    write_yaml(
        after / f"curation/papers/{PAPERS[1]}.yaml",
        {
            "authors": ["Ada ``Lovelace``"],
            "venue": "# PWN venue",
            "note": "see `x`",
            "links": {"code": "https://github.com/a/b"},
            "year": 2023,
        },
    )
    text = diff_refs(str(before), str(after))
    for shown in (
        "Lovelace",
        "PWN venue",
        "see",
        "https://github.com/a/b",
        "2023",
        "Daily",
        "2024-03-15",
        "example.org",
        "Themes",
        "forged",
    ):
        assert shown in text, shown
    assert not re.search(r"^\s*#\s*PWN", text, re.M)
    html = markdown.markdown(text)
    assert "PWN</h" not in html


def test_payloads_in_citation_metadata_stay_inert(curated_site):
    """Titles, authors, venues and abstracts full of payloads reach the head's <meta>
    tags as attribute values that parse back to the text, and the JSON-LD as JSON that
    no ``</script>`` or ``<!--`` can end or turn into a comment (issue 29)."""
    from test_paper_metadata import head_of

    site, _ = curated_site
    for k, pid in enumerate(PAPERS):
        html = (site / "papers" / pid / "index.html").read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        parsed = head_of(html)
        title = one_line(LINE_PAYLOADS[(k + 3) % len(LINE_PAYLOADS)]).strip()
        assert parsed.meta["citation_title"] == [title] == parsed.meta["og:title"]
        authors = [one_line(LINE_PAYLOADS[(k + j) % len(LINE_PAYLOADS)]).strip() for j in range(15)]
        assert parsed.meta["citation_author"] == authors
        # One data block, whose text holds no markup at all: it ends where it was written.
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
        assert len(blocks) == 1 and len(parsed.ld) == 1
        assert not re.search(r"[<>]", blocks[0])
        article = json.loads(blocks[0])
        assert article["name"] == title and "author" not in article  # citation_author has them
        # No script the payloads could have made: the payloads' text is in the data
        # block only, never in a script a browser runs.
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", head, re.S):
            assert MARK not in body or attrs == ' type="application/ld+json"', attrs
