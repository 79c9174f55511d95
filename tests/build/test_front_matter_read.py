"""A generated page's front matter as MkDocs reads it, known without parsing it
(:func:`generator.mkdocs_site.front_matter.as_read`): exactly what MkDocs' parse of the
written text gives, or nothing (and MkDocs parses it)."""

from __future__ import annotations

import pytest
from conftest import ROOT, computed_real_catalogue, make_data_dir
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from generator.infra.cache import Cache
from generator.mkdocs_site.front_matter import as_read, front_fields, front_matter_of
from generator.mkdocs_site.page_cache import GeneratedPage
from generator.pipeline import build_catalogue
from generator.render.pages import render_pages


def read_by_mkdocs(fields: dict, body: str) -> tuple[dict, str]:
    markdown, meta = get_data(front_matter_of(fields) + body)
    return meta, markdown


def test_every_page_of_the_real_and_a_hostile_catalogue_is_read_as_mkdocs_reads_it(tmp_path):
    hostile = build_catalogue(make_data_dir(tmp_path, "hostile.txt"), Cache(None))
    pages = {**render_pages(computed_real_catalogue()), **render_pages(hostile)}
    known = 0
    for path, page in pages.items():
        fields = front_fields(page)
        meta = as_read(fields)
        if meta is not None:
            body = page.body
            assert (meta, body.lstrip("\n")) == read_by_mkdocs(fields, body), path
            known += 1
    assert known == len(pages)  # every page's meta is known: none is parsed


@pytest.mark.parametrize(
    "text",
    [
        'a "quoted" \\ back\\slash',
        "--- a rule\n---\n... and an end",
        "tab\there, return\r, newline\n",
        "ünïcödé — “quotes” 😀 数学",
        "{{ jinja }} {% raw %} # not a comment: [a, b] & *alias !tag",
        "line\u2028separator",  # YAML folds LS, PS and NEL into spaces
        "para\u2029graph",
        "next\x85line",
        "\ufeffbyte order mark",
        "delete\x7f",
        "bell\x07",
        "",
        " leading and trailing ",
    ],
)
def test_text_is_known_only_where_yaml_reads_it_back_as_written(text):
    fields = {"title": text, "hide": ["navigation", text], "search": {"exclude": True, text: text}}
    meta = as_read(fields)
    expected, _ = read_by_mkdocs(fields, "body")
    assert meta is None or meta == expected
    folded = any(c in text for c in "\u2028\u2029\x85\ufeff\x7f\x07")
    assert (meta is None) == folded  # the rest are known: the test reaches both branches


@pytest.mark.parametrize("key", ["on", "yes", "no", "true", "off", "null", "Title", "a-b"])
def test_a_key_yaml_may_read_as_another_kind_is_parsed(key):
    assert as_read({key: "x"}) is None


def test_a_known_meta_is_each_pages_own():
    fields = {"hide": ["toc"], "search": {"exclude": True}}
    first, second = as_read(fields), as_read(fields)
    first["hide"].append("navigation")
    assert second["hide"] == fields["hide"] == ["toc"]


def test_a_generated_page_reads_its_known_source_as_mkdocs_reads_the_text(tmp_path):
    """The page MkDocs is handed (GeneratedPage, its meta known and where its Markdown
    starts) ends with the meta and Markdown MkDocs' own Page reads from the same text."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    fields = {"title": "A &lt;title&gt;", "hide": ["toc"], "search": {"exclude": True}}
    matter = front_matter_of(fields)
    read = []
    for known in (None, (as_read(fields), len(matter))):
        file = File("papers/x.md", None, str(tmp_path / "site"), use_directory_urls=True)
        file.content_string = matter + "\n\n# A title\n\nThe body.\n"
        page = (Page if known is None else GeneratedPage)(None, file, config)
        page.known_source = known
        page.read_source(config)
        read.append((page.meta, page.markdown))
    assert read[0] == read[1] and read[0][1].startswith("# A title")
