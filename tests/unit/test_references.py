"""Links out and BibTeX: what a reader copies into a paper of their own."""

from __future__ import annotations

from collections import Counter

import bibtexparser
from conftest import DATA

from generator.analyse.citations import base_key, bibtex, citation_keys, external_links
from generator.infra.cache import Cache
from generator.model import Appearance, Paper, PaperMeta
from generator.pipeline import build_catalogue

PAPER = Paper(
    "x",
    "Tensor Programs V: μP & 100% {Zero}-Shot $HP_transfer#1",
    "Text.",
    (Appearance("a.txt", 1, 1),),
)
META = PaperMeta(
    arxiv="2203.03466",
    version=2,
    category="cs.LG",
    authors=("Greg Yang", "Edward J. Hu"),
    year=2022,
    venue="NeurIPS 2021",
    links=(("code", "https://github.com/microsoft/mup"),),
)


def test_bibtex_escapes_every_special_character_of_the_title():
    entry = bibtex(PAPER, None, base_key(PAPER, None))
    title = next(line for line in entry.splitlines() if line.strip().startswith("title"))
    assert title == r"  title = {{Tensor Programs V: μP \& 100\% \{Zero\}-Shot \$HP\_transfer\#1}}"
    # Without authors or year the key is the first two significant words of the title.
    assert entry.startswith("@misc{tensorprograms,\n") and entry.endswith("\n}")


def test_bibtex_with_curated_metadata_has_author_year_key_and_eprint():
    entry = bibtex(PAPER, META, base_key(PAPER, META))
    assert entry.startswith("@misc{yang2022tensor,\n")
    assert "  author = {Greg Yang and Edward J. Hu}," in entry
    assert "  year = {2022}," in entry and "  howpublished = {NeurIPS 2021}," in entry
    assert "  eprint = {2203.03466v2}," in entry and "  archivePrefix = {arXiv}," in entry
    assert "  primaryClass = {cs.LG}," in entry
    assert entry.count("{") == entry.count("}")  # balanced: escaped braces are not counted


def test_links_go_to_the_paper_when_its_arxiv_id_is_known():
    assert external_links(PAPER, META) == [
        ("arXiv", "https://arxiv.org/abs/2203.03466v2"),
        ("PDF", "https://arxiv.org/pdf/2203.03466v2"),
        ("Code", "https://github.com/microsoft/mup"),
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


def test_every_citation_key_of_the_real_catalogue_is_unique_and_parses():
    """85 keys collided before (``@misc{scaling`` x14): now each is unique, and every
    entry is valid BibTeX to a real parser."""
    catalogue = build_catalogue(DATA, Cache(None))
    keys = citation_keys(catalogue.papers, catalogue.meta)
    assert len(set(keys.values())) == len(keys) == len(catalogue.papers)
    text = "\n\n".join(bibtex(p, catalogue.meta.get(p.id), keys[p.id]) for p in catalogue.papers)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == sorted(keys.values())
    # The first of a clashing group keeps the plain key, the others get b, c, ...
    bases = Counter(base_key(p, catalogue.meta.get(p.id)) for p in catalogue.papers)
    busiest, n = bases.most_common(1)[0]
    assert n > 2 and {busiest, busiest + "b", busiest + "c"} <= set(keys.values())


def test_keys_follow_author_year_word_and_stay_put_when_a_newer_paper_joins():
    def paper(pid: str, title: str) -> Paper:
        return Paper(pid, title, "x", (Appearance("a.txt", 1, 1),))

    a, b = paper("a", "On Scaling Laws"), paper("b", "Scaling laws again")
    meta = {
        "a": PaperMeta(authors=("Jared Kaplan",), published="2020-01-23"),
        "b": PaperMeta(authors=("Jürgen Kaplan",), published="2020-06-01"),
    }
    assert citation_keys([a], meta) == {"a": "kaplan2020scaling"}
    # A newer paper with the same key takes the suffix; the older one keeps its key.
    assert citation_keys([b, a], meta) == {"a": "kaplan2020scaling", "b": "kaplan2020scalingb"}
