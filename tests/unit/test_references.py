"""Links out and BibTeX: what a reader copies into a paper of their own."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import bibtexparser
import yaml
from conftest import computed_real_catalogue, make_data_dir

from generator.analyse.citations import base_key, bibtex, citation_keys, external_links
from generator.cli import main
from generator.infra.cache import Cache
from generator.model import Appearance, Paper, PaperMeta, Severity
from generator.pipeline import build_catalogue

TENSOR = "tensor-programs-v-tuning-large-neural-networks-via-zero-shot-hyperparameter"
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
    # A conference venue: the proceedings it appeared in, not howpublished.
    assert entry.startswith("@inproceedings{yang2022tensor,\n")
    assert "  author = {Greg Yang and Edward J. Hu}," in entry
    assert "  year = {2022}," in entry and "  booktitle = {NeurIPS 2021}," in entry
    assert "howpublished" not in entry
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
    catalogue = computed_real_catalogue()
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


def entry_of(meta: PaperMeta | None):
    [entry] = bibtexparser.parse_string(bibtex(PAPER, meta, base_key(PAPER, meta))).entries
    return entry.entry_type, {f.key: f.value for f in entry.fields}


def test_the_entry_type_follows_the_venue():
    kind, fields = entry_of(replace(META, venue="Proceedings of the 41st ICML"))
    assert (kind, fields["booktitle"]) == ("inproceedings", "Proceedings of the 41st ICML")
    kind, fields = entry_of(replace(META, venue="Transactions on Machine Learning Research"))
    assert (kind, fields["journal"]) == ("article", "Transactions on Machine Learning Research")
    assert "booktitle" not in fields and fields["eprint"] == "2203.03466v2"
    # arXiv only: a preprint, with the eprint fields arXiv's own export writes.
    kind, fields = entry_of(replace(META, venue=None))
    assert kind == "misc" and fields["archivePrefix"] == "arXiv" and "journal" not in fields
    # Nothing known: still an entry a reference manager reads, with a readable key.
    assert entry_of(None)[0] == "misc"


def test_a_key_is_never_a_bare_number():
    paper = Paper("p", "4+3 Phases of Compute-Optimal Neural Scaling Laws", "x", PAPER.appearances)
    assert base_key(paper, None) == "phasescompute"
    assert base_key(replace(paper, title="2024: 100 and 7"), None) == "paper"
    assert base_key(paper, PaperMeta(authors=("Elliot Paquette",), year=2024)) == (
        "paquette2024phases"
    )


def test_a_recorded_key_never_changes_and_no_other_paper_takes_it():
    def paper(pid: str, title: str) -> Paper:
        return Paper(pid, title, "x", (Appearance("a.txt", 1, 1),))

    a, b = paper("a", "On Scaling Laws"), paper("b", "Scaling laws again")
    before = {"a": PaperMeta(authors=("Jared Kaplan",), published="2020-01-23")}
    recorded = citation_keys([a], before)
    assert recorded == {"a": "kaplan2020scaling"}
    # A curator corrects the first author, and an older paper with the same key joins:
    # without the record both would move the key; with it, it stays with "a".
    after = {
        "a": PaperMeta(authors=("Sam McCandlish",), published="2020-01-23"),
        "b": PaperMeta(authors=("Jared Kaplan",), published="2020-01-01"),
    }
    assert citation_keys([a, b], after)["a"] == "mccandlish2020scaling"
    assert citation_keys([a, b], after, recorded) == {
        "a": "kaplan2020scaling",
        "b": "kaplan2020scalingb",
    }


def test_keys_records_final_keys_that_check_then_holds(tmp_path, capsys):
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    curation = data / "curation" / "papers"
    curation.mkdir(parents=True)
    file = curation / f"{TENSOR}.yaml"
    file.write_text("authors: [Greg Yang]\nyear: 2022\n", encoding="utf-8")
    waiting = [
        p for p in build_catalogue(data, Cache(None)).problems if "not recorded" in p.message
    ]
    assert [(p.path, p.severity) for p in waiting] == [("data/citation_keys.yaml", Severity.NOTICE)]
    assert main(["--data", str(data), "keys"]) == 0
    assert "1 citation key(s) recorded" in capsys.readouterr().out
    recorded = yaml.safe_load((data / "citation_keys.yaml").read_text("utf-8"))
    assert recorded == {TENSOR: "yang2022tensor"}
    # A curator corrects the author: the page keeps the key readers have cited.
    file.write_text("authors: [Edward J. Hu]\nyear: 2022\n", encoding="utf-8")
    catalogue = build_catalogue(data, Cache(None))
    assert catalogue.citation_keys[TENSOR] == "yang2022tensor"
    assert not [p for p in catalogue.problems if "not recorded" in p.message]
    # A key recorded twice is an error at its line.
    (data / "citation_keys.yaml").write_text(
        f"{TENSOR}: yang2022tensor\nother-paper: yang2022tensor\n", encoding="utf-8"
    )
    errors = [str(p) for p in build_catalogue(data, Cache(None)).errors]
    assert errors and errors[0].startswith("data/citation_keys.yaml:2: error: the key")
