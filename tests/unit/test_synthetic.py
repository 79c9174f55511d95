"""The synthetic-catalogue maker the scale benchmarks rely on."""

from __future__ import annotations

import shutil
import statistics

import pytest
from conftest import load_benchmark

from generator.pipeline import build_catalogue

synthetic = load_benchmark("synthetic")
write_catalogue = synthetic.write_catalogue


def files_of(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """1,200 synthetic papers written and read as a catalogue, once for the tests that
    read that same catalogue (computing it is most of each test's time)."""
    folder = write_catalogue(1200, tmp_path_factory.mktemp("synthetic") / "a")
    return folder, build_catalogue(folder)


def test_synthetic_catalogue_is_distinct_papers_in_both_layouts_and_deterministic(
    written, tmp_path
):
    first, catalogue = written
    again = write_catalogue(1200, tmp_path / "b")
    assert files_of(first) == files_of(again)
    # Every metadata file valid, each named for its paper. The one notice: the citation
    # keys the metadata completes wait to be recorded (`generator keys`, which enrich runs
    # and a synthetic catalogue has no need of).
    waiting = [" citation key(s) " in p.message for p in catalogue.problems]
    assert waiting in ([], [True])
    assert len(catalogue.papers) == 1200
    assert {lst.layout for lst in catalogue.listings} == {"daily", "trending"}
    assert sum(len(p.appearances) for p in catalogue.papers) > 1200  # some re-listed


def test_synthetic_papers_carry_what_enrich_finds_in_realistic_shapes(written):
    _, catalogue = written
    meta = [catalogue.meta[p.id] for p in catalogue.papers if catalogue.meta[p.id].arxiv]
    assert 0.85 < len(meta) / 1200 < 0.98  # most, not all: enrich leaves some to a human
    counts = [len(m.authors) for m in meta]
    assert 5 <= statistics.median(counts) <= 7 and max(counts) > 30 and min(counts) == 1
    names = [a for m in meta for a in m.authors]
    assert 10 <= statistics.median(map(len, names)) <= 18 and max(map(len, names)) > 25
    assert any(not a.isascii() for a in names)  # accents: escaping is exercised
    years = {m.published[:4] for m in meta}
    assert len(years) >= 6
    assert all(m.updated >= m.published for m in meta)
    assert len({m.arxiv for m in meta}) == len(meta)  # ids unique
    assert all(m.arxiv[:4] == m.published[2:4] + m.published[5:7] for m in meta)
    assert len({m.category for m in meta}) >= 8


def test_bare_catalogue_is_the_dumps_alone_and_held_out_papers_add_as_one_listing(tmp_path):
    bare = write_catalogue(1200, tmp_path / "bare", bare=True)
    full = write_catalogue(1200, tmp_path / "full")
    assert sorted(p.name for p in bare.iterdir()) == ["listings"]
    assert files_of(bare / "listings") == files_of(full / "listings")

    split = write_catalogue(1250, tmp_path / "split", held_out=250)
    whole = write_catalogue(1250, tmp_path / "whole")
    added = split / synthetic.HELD_OUT
    assert len(list((added / "listings").iterdir())) == 1
    before = build_catalogue(split)
    assert len(before.papers) == 1000
    shutil.copytree(added, split, dirs_exist_ok=True)
    shutil.rmtree(added)
    assert files_of(split) == files_of(whole)  # the addition completes the same catalogue
