"""The synthetic-catalogue maker the scale benchmarks rely on."""

from __future__ import annotations

from conftest import load_benchmark

from generator.pipeline import build_catalogue

write_catalogue = load_benchmark("synthetic").write_catalogue


def test_synthetic_catalogue_is_distinct_papers_in_both_layouts_and_deterministic(tmp_path):
    first = write_catalogue(1200, tmp_path / "a")
    again = write_catalogue(1200, tmp_path / "b")
    files = sorted((first / "listings").iterdir())
    assert [f.read_bytes() for f in files] == [
        f.read_bytes() for f in sorted((again / "listings").iterdir())
    ]
    catalogue = build_catalogue(first)
    assert catalogue.problems == ()
    assert len(catalogue.papers) == 1200
    assert {lst.layout for lst in catalogue.listings} == {"daily", "trending"}
    assert sum(len(p.appearances) for p in catalogue.papers) > 1200  # some re-listed
