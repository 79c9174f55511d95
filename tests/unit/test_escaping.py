"""Untrusted text renders as itself through Python-Markdown with mkdocs.yml's extensions."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from conftest import ROOT, SEEDS
from mkdocs.config import load_config

from generator.ingest.listings import parse_file
from generator.text.escaping import linkify, markdown_text

TRICKY = [
    "Models emit <RET> when unsure; see <projektor> & <img src=x onerror=alert(1)>",
    "The Hitchhiker's Guide to Human Alignment with *PO",
    "**not bold** __not bold__ _not em_ *not em* `not code` ``quoted''",
    r"LaTeX \(W\) and \\(\Delta W\\) and 60\% stay",
    "[not a link](http://x.example) ![not an image](y.png) <http://not.autolink>",
    "{{ config.site_name }} {% if x %}jinja{% endif %} {: .attr }",
    "1. not a list",
    "2) not a list either",
    "- not a bullet",
    "+ not a bullet",
    "# not a heading",
    "> not a quote",
    '!!! note "not an admonition"',
    "| not | a | table |",
    "&amp; stays &amp;, &lt;b&gt; stays too, &#169; is not ©",
    "Ünïcödé μP TÜLU Schrödinger — α/π",
]


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


def rendered_text(md: markdown.Markdown, source: str) -> str:
    """What a reader sees: the HTML with tags removed and entities decoded."""
    out = md.reset().convert(source)
    assert out.startswith("<p>") and out.endswith("</p>"), out  # one paragraph, no block syntax
    return html.unescape(re.sub(r"<[^>]+>", "", out))


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_text_renders_literally(md, text):
    assert rendered_text(md, markdown_text(text)) == text


@pytest.mark.parametrize("text", TRICKY)
def test_linkify_renders_literally(md, text):
    assert rendered_text(md, linkify(text)) == text


def test_every_real_title_and_abstract_renders_literally(md):
    for path in SEEDS:
        for entry in parse_file(path).listing.entries:
            assert rendered_text(md, markdown_text(entry.title)) == entry.title
            assert rendered_text(md, linkify(entry.abstract)) == entry.abstract


def _html_as_markdown_renders_it(md: markdown.Markdown, text: str) -> None:
    """A paper page shows its abstract as raw HTML, not as escaped Markdown (faster):
    it must be exactly the HTML Python-Markdown makes of the Markdown form."""
    assert md.reset().convert(linkify(text)) == f"<p>{linkify(text, for_html=True)}</p>"


@pytest.mark.parametrize("text", TRICKY)
def test_the_html_form_is_what_markdown_makes_of_the_markdown_form(md, text):
    _html_as_markdown_renders_it(md, text)


def test_every_real_abstract_in_html_is_what_markdown_made_of_it(md):
    for path in SEEDS:
        for entry in parse_file(path).listing.entries:
            _html_as_markdown_renders_it(md, entry.abstract)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "Code is available at https://github.com/locuslab/wanda.",
            "https://github.com/locuslab/wanda",
        ),
        ("(Code available at https://github.com/naver/gdc)", "https://github.com/naver/gdc"),
        ("see https://x.org/a_(b)).", "https://x.org/a_(b)"),
        (
            "Repo:{https://github.com/RiqiangGao/GDP-HMM_AAPMChallenge}",
            "https://github.com/RiqiangGao/GDP-HMM_AAPMChallenge",
        ),
        ("available~https://github.com/rabeehk/compacter.", "https://github.com/rabeehk/compacter"),
        ("a website http://pretrain.nlpedia.ai/ including", "http://pretrain.nlpedia.ai/"),
        ("query https://a.example/x?y=1&z=2, then", "https://a.example/x?y=1&z=2"),
    ],
)
def test_bare_urls_become_links_without_trailing_punctuation(md, text, url):
    out = md.reset().convert(linkify(text))
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', out)]
    assert hrefs == [url]


def test_broken_url_paste_is_left_as_text(md):
    out = md.reset().convert(linkify("are available at https://github. com/uclnlp/EMAT."))
    assert "href" not in out


def test_one_line_folds_breaks_but_keeps_a_separators_spaces():
    """Templates write separators (" · ", ", ") through the same escaping as values: their
    spaces are part of the text (a merge once printed "Search arXiv·Search Hugging Face")."""
    from generator.text.escaping import one_line

    assert one_line(" · ") == " · "
    assert one_line("a reason\n# PWN\r\n\t!!! note") == "a reason # PWN !!! note"


def test_json_for_a_script_element_cannot_end_it_or_open_a_comment():
    import json

    from generator.text.escaping import json_script

    value = {"name": '</script><script>alert(1)</script> <!-- x --> & \u2028 \u2029 "q"'}
    text = json_script(value)
    assert json.loads(text) == value
    assert not any(c in text for c in "<>&\u2028\u2029")
