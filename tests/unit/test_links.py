"""Families and mentions: link the right papers, never the wrong one."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest
from conftest import DATA

from generator.analyse.crosslinks import (
    MAX_FAMILY,
    LinkIndex,
    defines,
    families,
    link,
    name_of,
    stems,
)
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


def links_of(papers):
    return {p.id: (p.family, p.mentions) for p in papers}


def retitled(papers, changes):
    """``papers`` with some titles and abstracts replaced (by the title's name)."""
    out = []
    for p in papers:
        name = p.title.split(":")[0]
        if name in changes:
            title, abstract = changes[name]
            p = replace(p, title=title or p.title, abstract=abstract or p.abstract)
        out.append(p)
    return out


def test_the_kept_index_links_as_a_fresh_computation_when_listings_come_go_and_retitle():
    """The incremental families and mentions equal :func:`link` from scratch after each
    kind of change, on the real catalogue, with the index pickled between builds as the
    cache keeps it."""
    real = list(build_catalogue(DATA).papers)
    listing = next(p for p in real if p.title.startswith("DrivAerNet++")).appearances[0].listing
    without = [p for p in real if all(a.listing != listing for a in p.appearances)]
    assert 0 < len(without) < len(real)
    changes = {
        # MiniCPM is renamed: Xmodel-2's abstract no longer names a catalogue paper ...
        "MiniCPM": ("MiniCPM 2: Unveiling the Potential", None),
        # ... DrivAerNet leaves its family for PROSE's, and FLoRA is no longer ambiguous.
        "DrivAerNet": ("PROSE-Car: A Large-Scale Multimodal Car Dataset", None),
        "FLoRA": ("FLoRA-v2: Low-Rank Core Space", None),
    }
    steps = {
        "a listing removed": without,
        "the listing added back": real,
        "papers retitled": retitled(real, changes),
        "an abstract names a paper": retitled(
            real, {"PROSE": (None, "We compare with DrivAerNet++ and ZeRO-Offload.")}
        ),
        "the listing removed again": without,
    }
    index = LinkIndex()
    previous = None
    for step, papers in steps.items():
        index = pickle.loads(pickle.dumps(index))
        expected = links_of(link(papers))
        assert links_of(index.link(papers)) == expected, step
        assert expected != previous, f"{step} changes no link: the step proves nothing"
        previous = expected
    fresh = LinkIndex()
    fresh.link(without)
    assert index == fresh  # the index itself ends as a fresh one: nothing left behind


def test_the_kept_index_finds_a_mention_again_when_a_family_grows_too_big_to_be_one():
    """A family leaves its members' mentions of each other out; when a stem grows past
    MAX_FAMILY it is a genre word and no family, and those mentions count again, though
    neither paper nor any name its abstract uses changed."""
    base = [
        paper("foo", "FooNet: A Model"),
        paper("foo-bar", "FooNet-Bar: Another", "We extend FooNet to bars."),
    ]
    crowd = [paper(f"foo-{i}", f"FooNet-V{i}x: Variant {i}") for i in range(MAX_FAMILY)]
    index = LinkIndex()
    for papers in (base, base + crowd, base):
        assert links_of(index.link(papers)) == links_of(link(papers))
    assert links_of(link(base + crowd))["foo-bar"][1] == ("foo",)
    assert links_of(link(base))["foo-bar"] == (("foo",), ())
