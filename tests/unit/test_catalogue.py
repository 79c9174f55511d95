"""Deduplication and ids, on the real dumps and on crafted variants."""

from __future__ import annotations

import os

from conftest import (
    DATA,
    FIXTURES,
    SEEDS,
    copy_data_reversed,
    directories_read_in_reverse,
    make_data_dir,
)

from generator.ingest.dedup import deduplicate, make_id
from generator.ingest.listings import parse_file
from generator.pipeline import build_catalogue
from generator.text.fold import match_key as normalise


def test_real_catalogue_has_720_papers_from_801_entries():
    catalogue = build_catalogue(DATA)
    assert len(catalogue.papers) == 720
    assert sum(len(p.appearances) for p in catalogue.papers) == 801
    # the only notices: papers no rule tags, named for curators (issue 28)
    assert all(p.message.startswith("no tag fits") for p in catalogue.problems)
    ids = [p.id for p in catalogue.papers]
    assert len(set(ids)) == 720 and ids == sorted(ids)


def test_every_entry_lands_in_exactly_one_paper_with_its_provenance():
    catalogue = build_catalogue(DATA)
    placed = {(a.listing, a.line) for p in catalogue.papers for a in p.appearances}
    entries = {(e.listing, e.line) for path in SEEDS for e in parse_file(path).listing.entries}
    assert placed == entries


def test_acronym_clashes_stay_apart():
    titles = {p.title: p.id for p in build_catalogue(DATA).papers}
    floras = [t for t in titles if t.startswith("FLoRA:")]
    asdms = [t for t in titles if t.startswith("A-SDM:")]
    assert len(floras) == 2 and len(asdms) == 2
    assert len({titles[t] for t in floras + asdms}) == 4


def test_a_paper_listed_four_times_keeps_all_four_listings():
    catalogue = build_catalogue(DATA)
    most = max(catalogue.papers, key=lambda p: len(p.appearances))
    assert len(most.appearances) == 4 == len(most.listings)


def test_catalogue_does_not_depend_on_file_order(tmp_path):
    expected = build_catalogue(DATA)
    with directories_read_in_reverse():
        assert sorted(os.listdir(DATA / "listings")) == os.listdir(DATA / "listings")[::-1]
        reversed_read = build_catalogue(copy_data_reversed(tmp_path))
    assert reversed_read.papers == expected.papers
    assert [lst.name for lst in reversed_read.listings] == [lst.name for lst in expected.listings]


def test_title_variants_with_near_same_abstract_merge(tmp_path):
    catalogue = build_catalogue(
        make_data_dir(tmp_path, "trending.txt", "daily.txt", "variants.txt")
    )
    scaling = [
        p
        for p in catalogue.papers
        if normalise(p.title) == "scaling laws for neural language models"
    ]
    assert len(scaling) == 2  # the real one (3 spellings) and the bird-song namesake
    real, namesake = sorted(scaling, key=lambda p: -len(p.appearances))
    assert [a.listing for a in real.appearances] == ["daily.txt", "trending.txt", "variants.txt"]
    assert real.title == "Scaling laws for neural language models"  # first seen: daily.txt
    assert real.id == "scaling-laws-for-neural-language-models"
    assert (
        namesake.id.startswith("scaling-laws-for-neural-language-models-")
        and namesake.id != real.id
    )
    assert "bird song" in namesake.abstract


def test_same_title_different_abstract_is_reported_as_a_notice(tmp_path):
    catalogue = build_catalogue(make_data_dir(tmp_path, "trending.txt", "variants.txt"))
    [notice] = catalogue.problems
    assert not notice.is_error
    assert notice.path.endswith("variants.txt") and notice.line == 5
    assert "same title as" in notice.message and "trending.txt:7" in notice.message


def test_collision_ids_do_not_depend_on_which_file_is_read_first(tmp_path):
    a = parse_file(FIXTURES / "trending.txt").listing.entries
    b = parse_file(FIXTURES / "variants.txt").listing.entries
    forward, _ = deduplicate([*a, *b])
    backward, _ = deduplicate([*reversed(b), *reversed(a)])
    assert forward == backward


def test_ids_are_slugs_cut_at_a_word_boundary():
    long_title = (
        "Eulerian-Lagrangian particle-based model for diffusional growth for the better " * 2
    )
    pid = make_id(long_title)
    assert len(pid) <= 80 and not pid.endswith("-")
    assert make_id("μP: Tensor Programs") == "mup-tensor-programs"
    assert make_id("TÜLU 3: Pushing Frontiers") == "tulu-3-pushing-frontiers"


def test_a_greek_letter_and_its_name_are_one_title(tmp_path):
    """The dedup key spells Greek out like every other fold: "μP" is "muP"."""
    raw = (FIXTURES / "trending.txt").read_bytes()
    spelled = raw.replace(b"Tensor Programs V:", "Tensor Programs V (μP):".encode())
    named = raw.replace(b"Tensor Programs V:", b"Tensor Programs V (muP):")
    data = make_data_dir(tmp_path, raw={"a.txt": spelled, "b.txt": named})
    papers = build_catalogue(data).papers
    [tensor] = [p for p in papers if p.title.startswith("Tensor Programs V")]
    assert tensor.title.startswith("Tensor Programs V (μP):") and len(tensor.appearances) == 2
    assert (
        normalise("μP: Tensor Programs")
        == normalise("muP: tensor programs")
        == "mup tensor programs"
    )
