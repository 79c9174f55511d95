"""Families and mentions: link the right papers, never the wrong one."""

from __future__ import annotations

import pytest
from conftest import DATA

from generator.analyse.crosslinks import defines, families, link, name_of, stems
from generator.model import Appearance, Paper
from generator.pipeline import build_catalogue


@pytest.fixture(scope="module")
def by_title():
    return {p.title.split(":")[0]: p for p in build_catalogue(DATA).papers}


def paper(pid: str, title: str, abstract: str = "An abstract.") -> Paper:
    return Paper(pid, title, abstract, (Appearance("x.txt", 1, 1),))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("DrivAerNet", "DrivAerNet++"),
        ("PROSE", "PROSE-FD"),
        ("MMGP", "O-MMGP"),
        ("ZeRO", "ZeRO-Offload"),
    ],
)
def test_real_families_are_linked_both_ways(by_title, a, b):
    assert by_title[b].id in by_title[a].family and by_title[a].id in by_title[b].family


def test_acronym_clashes_are_never_linked():
    catalogue = build_catalogue(DATA)
    for acronym in ("FLoRA", "A-SDM"):
        pair = [p for p in catalogue.papers if p.title.startswith(acronym + ":")]
        assert len(pair) == 2
        a, b = pair
        assert b.id not in a.family + a.mentions and a.id not in b.family + b.mentions


def test_ambiguous_short_name_in_an_abstract_links_to_neither():
    papers = [
        paper("flora-1", "FLoRA: Federated Fine-Tuning"),
        paper("flora-2", "FLoRA: Low-Rank Core Space"),
        paper("user", "Something Else", "We compare against FLoRA and DrivAerNet on cars."),
        paper("drivaernet", "DrivAerNet: A Car Dataset"),
    ]
    linked = {p.id: p for p in link(papers)}
    assert linked["user"].mentions == ("drivaernet",)


def test_an_abstract_coining_a_name_for_its_own_method_is_not_a_mention():
    assert defines("This results in Explained Variance Adaptation (EVA). We apply EVA.", "EVA")
    assert defines("We then propose MoD, a pre-training objective.", "MoD")
    assert not defines("Xmodel-2 employs the WSD scheduler from MiniCPM.", "MiniCPM")
    real = build_catalogue(DATA)
    by_id = real.by_id
    named = {
        (by_id[p].title.split(":")[0], by_id[m].title.split(":")[0])
        for p in by_id
        for m in by_id[p].mentions
    }
    assert ("Xmodel-2 Technical Report", "MiniCPM") in named
    assert not any(target in ("EVA", "MoD") for _, target in named)


def test_series_parts_are_one_family_and_versions_strip():
    assert (
        name_of("Physics of Language Models: Part 2.1, Grade-School Math")
        == "Physics of Language Models Part 2.1"
    )
    assert stems("Physics of Language Models Part 2.1") == {"physics of language models"}
    assert "textbooks are all you need" in stems("Textbooks Are All You Need II")
    papers = [
        paper("p21", "Physics of Language Models: Part 2.1, Grade-School Math"),
        paper("p31", "Physics of Language Models: Part 3.1, Knowledge Storage"),
        paper("llava-a", "LLaVA-Gemma: Accelerating Multimodal Models"),
    ]
    assert families(papers) == {"p21": ("p31",), "p31": ("p21",)}


def test_titles_without_a_coined_name_make_no_family():
    papers = [paper("a", "Scaling Laws: One View"), paper("b", "Scaling laws: Another View")]
    assert families(papers) == {}
