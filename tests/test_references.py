"""Links out and BibTeX: what a reader copies into a paper of their own."""

from __future__ import annotations

from generator.model import Appearance, Paper, PaperMeta
from generator.references import bibtex, external_links

PAPER = Paper(
    "x",
    "Tensor Programs V: μP & 100% {Zero}-Shot $HP_transfer#1",
    "Text.",
    (Appearance("a.txt", 1, 1),),
)
META = PaperMeta(
    arxiv="2203.03466v2",
    authors=("Greg Yang", "Edward J. Hu"),
    year=2022,
    venue="NeurIPS 2021",
    links=(("code", "https://github.com/microsoft/mup"),),
)


def test_bibtex_escapes_every_special_character_of_the_title():
    entry = bibtex(PAPER, None)
    title = next(line for line in entry.splitlines() if line.strip().startswith("title"))
    assert title == r"  title = {{Tensor Programs V: μP \& 100\% \{Zero\}-Shot \$HP\_transfer\#1}}"
    # Without authors or year the key is the first long word of the title.
    assert entry.startswith("@misc{tensor,\n") and entry.endswith("\n}")


def test_bibtex_with_curated_metadata_has_author_year_key_and_eprint():
    entry = bibtex(PAPER, META)
    assert entry.startswith("@misc{yang2022tensor,\n")
    assert "  author = {Greg Yang and Edward J. Hu}," in entry
    assert "  year = {2022}," in entry and "  howpublished = {NeurIPS 2021}," in entry
    assert "  eprint = {2203.03466v2}," in entry and "  archivePrefix = {arXiv}," in entry
    assert entry.count("{") == entry.count("}")  # balanced: escaped braces are not counted


def test_links_go_to_the_paper_when_its_arxiv_id_is_known():
    assert external_links(PAPER, META) == [
        ("Code", "https://github.com/microsoft/mup"),
        ("arXiv", "https://arxiv.org/abs/2203.03466v2"),
        # Hugging Face and Semantic Scholar key on the id without its version.
        ("Hugging Face", "https://huggingface.co/papers/2203.03466"),
        ("Semantic Scholar", "https://www.semanticscholar.org/arxiv/2203.03466"),
    ]


def test_links_are_title_searches_without_an_arxiv_id():
    links = dict(external_links(PAPER, None))
    assert list(links) == ["Search arXiv", "Search Hugging Face", "Search Semantic Scholar"]
    assert links["Search arXiv"].startswith("https://arxiv.org/search/?query=Tensor+Programs+V")
    assert "%26" in links["Search arXiv"] and "&" not in links["Search arXiv"].split("?")[1][:60]
    assert links["Search Hugging Face"].startswith("https://huggingface.co/papers?q=Tensor%20")
    assert links["Search Semantic Scholar"].startswith(
        "https://www.semanticscholar.org/search?q=Tensor+Programs"
    )
