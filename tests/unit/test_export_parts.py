"""The data files are written in two parts (issue 31: the worker's peak memory):
``catalogue.json``, the feeds and BibTeX are on disk and let go of before the search
index, the largest piece of work, is made; the files are the ones export_files makes."""

from __future__ import annotations

from conftest import make_data_dir

from generator.export import site_data
from generator.infra.cache import Cache
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url


def test_the_catalogue_and_feeds_are_written_before_the_index_is_made(tmp_path, monkeypatch):
    catalogue = build_catalogue(make_data_dir(tmp_path, "trending.txt", "daily.txt"), Cache(None))
    site = tmp_path / "site"
    seen_first: list[bool] = []
    build_index = site_data.build_index

    def index_after_the_rest(search, **options):
        seen_first.append((site / site_data.CATALOGUE_FILE).is_file())
        return build_index(search, **options)

    monkeypatch.setattr(site_data, "build_index", index_after_the_rest)
    written = site_data.write_exports(site, catalogue, directory_url, None, None, "2026-11-25")
    assert seen_first == [True]
    expected = site_data.export_files(catalogue, directory_url, None, None, "2026-11-25")
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(expected)
    assert any(path.startswith("search/") for path in expected)
    for path, content in expected.items():
        if not path.endswith(".gz"):  # the .gz ones are compressed on the way
            data = content.encode() if isinstance(content, str) else content
            assert (site / path).read_bytes() == data, path


def test_a_data_file_the_previous_site_holds_byte_for_byte_is_linked_not_written(tmp_path):
    """Text, bytes, a file gzip-compressed here and one compressed already: each linked
    when the replaced site has exactly its bytes, written when not; the replaced site
    is never written to."""
    old, new = tmp_path / "site", tmp_path / "site.partial"
    files = {
        "catalogue.json": '{"papers":[]}\n',
        "search/urls.json": b'{"tags":{}}',
        "search/text-00.json.gz": '{"terms":["a"]}',
        "catalogue/papers-001.json.gz": site_data.gzipped(b'{"papers":[1]}'),
        "feed.xml": "<feed>é</feed>",
    }
    site_data.write_files(old, files)
    before = {p: (old / p).read_bytes() for p in files}
    changed = {**files, "feed.xml": "<feed>è</feed>", "search/text-00.json.gz": '{"terms":[]}'}
    written = site_data.write_files(new, changed, previous=old)
    assert sorted(written) == sorted(new / p for p in files)
    linked = {p for p in files if (new / p).stat().st_ino == (old / p).stat().st_ino}
    assert linked == set(files) - {"feed.xml", "search/text-00.json.gz"}
    alone = tmp_path / "alone"
    site_data.write_files(alone, changed)  # what a build with no previous site writes
    assert {p: (new / p).read_bytes() for p in files} == {
        p: (alone / p).read_bytes() for p in files
    }
    assert {p: (old / p).read_bytes() for p in files} == before
