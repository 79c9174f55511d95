"""A built site above the sharding threshold (lowered with PAPER_CATALOGUE_SHARD_PAPERS, so
a small synthetic catalogue crosses it): a consumer reads ``catalogue.json``'s index,
fetches each shard it names, and gets exactly the papers the whole file would have."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from urllib.request import urlopen

from conftest import DATA, load_benchmark, mkdocs_build, serve_directory

from generator.export.site_data import catalogue_document
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url

synthetic = load_benchmark("synthetic")


def test_a_sharded_catalogue_reads_back_as_the_whole_file(tmp_path):
    data = synthetic.write_catalogue(260, tmp_path / "data")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    site = tmp_path / "site"
    result = mkdocs_build(data, site, env={"PAPER_CATALOGUE_SHARD_PAPERS": "100"})
    assert result.returncode == 0, result.stderr
    whole = catalogue_document(build_catalogue(data), directory_url)

    # As a script outside the code would: over HTTP, from the index's paths alone.
    with serve_directory(site) as base:
        index = json.loads(urlopen(base + "catalogue.json").read())
        papers = []
        for shard in index["paper_shards"]:
            body = urlopen(base + shard["path"]).read()
            assert hashlib.sha256(body).hexdigest() == shard["sha256"]
            papers += json.loads(gzip.decompress(body))["papers"]
    assert [s["papers"] for s in index["paper_shards"]] == [100, 100, 60]
    assert index["paper_count"] == len(papers) == 260
    assert papers == whole["papers"]
    assert {k: index[k] for k in ("listings", "hidden", "redirects")} == {
        k: whole[k] for k in ("listings", "hidden", "redirects")
    }
    # Every paper's page is where its entry says.
    assert all((site / p["url"] / "index.html").is_file() for p in papers)
