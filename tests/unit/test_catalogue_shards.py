"""``catalogue.json`` above a size (issue 31, item 2): up to ``SHARD_PAPERS`` papers it is
the whole catalogue (the contract in ARCHITECTURE.md, unchanged); above, an index of
gzip shards that hold exactly the whole file's papers, in its order, with its schema."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from conftest import DATA, load_benchmark

from generator.export.site_data import (
    CATALOGUE_FILE,
    SHARD_PAPERS,
    catalogue_document,
    catalogue_files,
)
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(DATA)


def read_back(files: dict[str, bytes]) -> dict:
    """What a consumer reads: the index, then each shard it names (checked against its
    hash and size), the papers joined in the index's order."""
    index = json.loads(files[CATALOGUE_FILE])
    papers = []
    for shard in index["paper_shards"]:
        data = files[shard["path"]]
        assert len(data) == shard["bytes"]
        assert hashlib.sha256(data).hexdigest() == shard["sha256"]
        part = json.loads(gzip.decompress(data))["papers"]
        assert len(part) == shard["papers"]
        assert (part[0]["id"], part[-1]["id"]) == (shard["first"], shard["last"])
        papers += part
    assert index["paper_count"] == len(papers)
    return {"papers": papers, **{k: v for k, v in index.items() if not k.startswith("paper_")}}


def test_up_to_the_threshold_catalogue_json_is_the_whole_catalogue(catalogue):
    files = catalogue_files(catalogue, directory_url)
    assert SHARD_PAPERS >= len(catalogue.papers) == 720
    assert list(files) == [CATALOGUE_FILE]
    whole = json.loads(files[CATALOGUE_FILE])
    assert list(whole) == ["papers", "listings", "hidden", "redirects"]
    assert len(whole["papers"]) == 720
    # exactly at the threshold, still whole
    assert list(catalogue_files(catalogue, directory_url, shard_papers=720)) == [CATALOGUE_FILE]


def test_above_the_threshold_the_shards_hold_exactly_the_whole_files_papers(catalogue):
    whole = json.loads(json.dumps(catalogue_document(catalogue, directory_url)))
    files = catalogue_files(catalogue, directory_url, shard_papers=100)
    index = json.loads(files[CATALOGUE_FILE])
    assert "papers" not in index  # a script that reads "papers" fails, never reads a part
    assert list(index) == ["paper_count", "paper_shards", "listings", "hidden", "redirects"]
    assert [s["path"] for s in index["paper_shards"]] == [
        f"catalogue/papers-{n:03d}.json.gz" for n in range(1, 9)
    ]
    assert [s["papers"] for s in index["paper_shards"]] == [100] * 7 + [20]
    assert sorted(files) == sorted([CATALOGUE_FILE, *(s["path"] for s in index["paper_shards"])])
    assert read_back(files) == whole
    # one paper past the threshold: two shards
    assert (
        len(
            json.loads(catalogue_files(catalogue, directory_url, 719)[CATALOGUE_FILE])[
                "paper_shards"
            ]
        )
        == 2
    )


def test_shards_are_the_same_bytes_from_build_to_build(catalogue):
    assert catalogue_files(catalogue, directory_url, 300) == catalogue_files(
        catalogue, directory_url, 300
    )


def test_the_search_relevance_benchmark_reads_a_sharded_catalogue(catalogue, tmp_path):
    """benchmarks/search_relevance.py scores a site by its catalogue.json's papers: above
    the shard size that file is an index, and the benchmark read ``papers`` (KeyError)."""
    relevance = load_benchmark("search_relevance")
    whole = catalogue_files(catalogue, directory_url)
    sharded = catalogue_files(catalogue, directory_url, shard_papers=100)
    for name, files in (("whole", whole), ("sharded", sharded)):
        for path, data in files.items():
            (tmp_path / name / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / path).write_bytes(data)
    assert "papers" not in json.loads(sharded[CATALOGUE_FILE])
    papers = relevance.site_papers(tmp_path / "sharded")
    assert papers == relevance.site_papers(tmp_path / "whole") and len(papers) > 100
    shard = next(p for p in sharded if p != CATALOGUE_FILE)
    (tmp_path / "sharded" / shard).write_bytes(gzip.compress(b'{"papers": []}'))
    with pytest.raises(SystemExit, match="not the shard"):
        relevance.site_papers(tmp_path / "sharded")
