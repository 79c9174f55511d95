"""LaTeX in titles and abstracts is shown as text; nothing else is touched."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

import pytest
from conftest import site_text

from generator.model import Appearance, Paper
from generator.render.pages import abstract_html
from generator.text.latex import Piece, pieces, plain, render, unreadable


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("PanGu-$α$: Large-scale", "PanGu-α: Large-scale"),
        ("PanGu-$π$", "PanGu-π"),
        ('we introduce T\\"ULU 3 and T\\"ulu 3', "we introduce TÜLU 3 and Tülu 3"),
        ('Schr\\"odinger bridges', "Schrödinger bridges"),
        ("Mo\\^usai and Poincar\\'e", "Moûsai and Poincaré"),
        ("tuned the \\textmu P hyperparameters", "tuned the μP hyperparameters"),
        ("only 60\\% of it", "only 60% of it"),
        ("{\\em persistent homology}", "persistent homology"),
        ("\\textit{Gaussian-MAE}", "Gaussian-MAE"),
        ("rate {\\eta} and decay {\\lambda}opt", "rate η and decay λopt"),
        ("the lm\\_head", "the lm_head"),
        (
            "(\\ie, gradient) and (\\eg adapters) (\\aka size)",
            "(i.e., gradient) and (e.g. adapters) (a.k.a. size)",
        ),
        ("w.r.t.\\ new variables", "w.r.t. new variables"),
        ("matrices \\(\\Delta W\\) here", "matrices ΔW here"),
        ("\\[ h_{c,t} = \\mu + pos_t \\] where", "h_c,t = μ + pos_t where"),
        ("budgets. \\\\ To overcome", "budgets. To overcome"),
    ],
)
def test_clear_latex_reads_as_text(written, shown):
    assert plain(written) == shown


@pytest.mark.parametrize(
    "text",
    [
        "100% of {{ x }} and {% if %} stay <b>text</b>",
        "a {braced} word, ~10% about, a -- b, C++ and x_1",
        "It costs $5 and $10.",
        "\\unknownmacro{x} is left as written",
        "a $ sign alone",
        "phrase on $textbf{broken paste}. We further say PostShare$. Then",
    ],
)
def test_what_is_not_clearly_latex_stays_exactly_as_written(text):
    assert plain(text) == text


def test_emphasis_and_math_are_rendered_with_text_escaped():
    shown = render(pieces("{\\em a<b>} and \\( x_{i}^2 \\) <script>"), html.escape)
    assert shown == (
        '<em>a&lt;b&gt;</em> and <span class="pc-math">x<sub>i</sub><sup>2</sup></span>'
        " &lt;script&gt;"
    )


def test_a_page_abstract_escapes_every_run_and_links_urls():
    paper = Paper(
        "p",
        "T",
        "ignored",
        (Appearance("a.txt", 1, 1),),
        abstract_source="# {\\em *x*} see https://example.org/a_b. 1. \\textbf{y}",
    )
    shown = abstract_html(paper)
    assert shown.startswith("# <em>*x*</em> see ")  # HTML: nothing reads Markdown in it
    assert '<a href="https://example.org/a_b">https://example.org/a_b</a>.' in shown
    assert shown.endswith(" 1. <strong>y</strong>")
    hostile = replace(paper, abstract_source='a <b onclick="x"> & c')
    assert abstract_html(hostile) == 'a &lt;b onclick="x"&gt; &amp; c'  # text, never markup


def _rendered_text(page: str) -> str:
    """The page's title and abstract as the browser shows them, tags removed."""
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    abstract = re.search(r'<p class="pc-abstract">(.*?)</p>', page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", title + "\n" + abstract))


def test_no_latex_is_left_in_any_rendered_title_or_abstract(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    shown = {
        p["id"]: _rendered_text((real_site / p["url"] / "index.html").read_text("utf-8"))
        for p in papers
    }
    for pid, text in shown.items():
        for left in ("$", '\\"', "\\%", "\\textmu", "{\\em", "\\(", "\\[", "\\'"):
            assert left not in text, (pid, left)
    assert "Tülu 3" in shown["2-olmo-2-furious"]
    assert (
        "PanGu-α"
        in shown["pangu-alpha-large-scale-autoregressive-pretrained-chinese-language-models-with"]
    )
    assert "μP" in shown["btlm-3b-8k-7b-parameter-performance-in-a-3b-parameter-model"]
    assert (
        "Schrödinger"
        in shown["multi-marginal-schrodinger-bridges-with-iterative-reference-refinement"]
    )
    assert (
        "60%"
        in shown["drivaernet-a-parametric-car-dataset-for-data-driven-aerodynamic-design-and-graph"]
    )


def test_emphasis_and_math_reach_the_page(real_site):
    page = (
        real_site
        / "papers/a-framework-for-fast-and-stable-representations-of-multiparameter-persistent"
        / "index.html"
    ).read_text("utf-8")
    assert "<em>persistent homology</em>" in page
    svft = (
        real_site / "papers/svft-parameter-efficient-fine-tuning-with-singular-vectors/index.html"
    )
    assert '<span class="pc-math">ΔW</span>' in svft.read_text("utf-8")


def test_clean_text_feeds_related_reasons_and_search(real_site):
    papers = {
        p["id"]: p for p in json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    }
    olmo = papers["2-olmo-2-furious"]
    assert 'T\\"ulu 3' in olmo["abstract_source"] and "Tülu" in olmo["abstract"]
    assert all(r["why"] != "ulu" and "ulu," not in r["why"] for r in olmo["related"])
    titles = site_text(real_site / "search" / "papers.json.gz")
    assert "PanGu-α" in titles and "PanGu-$" not in titles


# Macros pylatexenc knows but cannot read without their arguments (or with the wrong
# ones) raised IndexError or KeyError from inside the parser (issue 27): the whole text
# is then kept as written, and the caller can ask which texts those were.
UNREADABLE = [
    "see \\href{https://example.org}{the page} for code",
    "code at \\href{https://example.org} and more",
    "it ends with a bare \\sqrt",
    "as in the appendix\\footnote",
    "highlighted in \\textcolor",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_a_text_the_parser_cannot_read_is_kept_exactly_as_written(text):
    assert plain(text) == text
    assert pieces(text) == (Piece("", text),)
    assert unreadable(text)


@pytest.mark.parametrize("text", ["PanGu-$α$", "only 60\\% of it", "plain words", "\\sqrt{2}"])
def test_a_text_the_parser_reads_is_not_unreadable(text):
    assert not unreadable(text)
