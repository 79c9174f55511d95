"""The search index made while the build's process waits for the related lists
(``build_catalogue``'s ``meanwhile``, :func:`generator.export.site_data.search_index_ahead`):
the catalogue it is made from is the final one but for the related lists and citation
keys, which the index does not read, so the data files job finds exactly the index it
would have made, and makes none."""

from __future__ import annotations

import shutil
from concurrent.futures import Future

import pytest
from conftest import DATA, make_data_dir

from generator.export import site_data
from generator.export.search import build_index, search_input
from generator.export.site_data import export_files, search_index_ahead
from generator.infra.cache import Cache
from generator.infra.worker import InProcess
from generator.model import Catalogue
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url, paper_path


class _Unfinished(Future):
    """A task's result, worked out already but reported done only once it is asked for:
    as a second process still at it when the build's process reaches its wait."""

    def __init__(self, task, args) -> None:
        super().__init__()
        self.outcome = InProcess().submit(task, *args)

    def result(self, timeout=None):
        if not self.done():
            if self.outcome.exception() is None:
                self.set_result(self.outcome.result())
            else:
                self.set_exception(self.outcome.exception())
        return super().result(timeout)


class SlowWorker:
    def submit(self, task, *args) -> Future:
        return _Unfinished(task, args)


def url(pid: str) -> str:
    return directory_url(paper_path(pid))


@pytest.fixture
def data(tmp_path):
    data = make_data_dir(tmp_path, "daily.txt", "trending.txt")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    return data


def test_the_build_hands_over_the_catalogue_before_its_related_lists_only_while_it_waits(
    data, tmp_path
):
    seen: list[Catalogue] = []
    final = build_catalogue(data, Cache(None), SlowWorker(), seen.append)
    assert len(seen) == 1
    before = seen[0]
    assert any(p.related for p in final.papers)  # the lists came after
    assert not any(p.related for p in before.papers)
    assert [p.id for p in before.papers] == [p.id for p in final.papers]
    assert before.meta == final.meta and before.listings == final.listings
    assert search_input(before, url) == search_input(final, url)
    # Lists already made (no second process): nothing to do meanwhile.
    assert build_catalogue(data, Cache(None), InProcess(), seen.append) == final
    assert len(seen) == 1


def test_the_data_files_job_finds_the_index_made_ahead_and_builds_none(data, tmp_path, monkeypatch):
    seen: list[Catalogue] = []
    final = build_catalogue(data, Cache(None), SlowWorker(), seen.append)
    cache = Cache(tmp_path / "cache")
    search_index_ahead(seen[0], directory_url, cache)
    expected = build_index(search_input(final, url))

    def not_again(*args, **kwargs):
        raise AssertionError("the data files job built the index again")

    monkeypatch.setattr(site_data, "build_index", not_again)
    files = export_files(final, directory_url, cache)
    assert {path: files[path] for path in expected} == expected
    # Without a cache there is nowhere to keep it: nothing is made ahead.
    monkeypatch.setattr(site_data, "search_input", not_again)
    search_index_ahead(seen[0], directory_url, Cache(None))


def file_url(docs_path: str) -> str:
    """``use_directory_urls: false``: another URL rule, so other search files."""
    return docs_path.removesuffix(".md") + ".html"


def test_the_data_files_job_finds_the_index_made_ahead_without_its_input(
    data, tmp_path, monkeypatch
):
    """The index made ahead leaves its key under the data files' key: the job neither
    builds the index nor works the search input out again (a pass over every paper)."""
    seen: list[Catalogue] = []
    final = build_catalogue(data, Cache(None), SlowWorker(), seen.append)
    cache = Cache(tmp_path / "cache")
    search_index_ahead(seen[0], directory_url, cache, key="settings")
    expected = export_files(final, directory_url, Cache(None), key="settings")

    def not_again(*args, **kwargs):
        raise AssertionError("the data files job made the search input again")

    monkeypatch.setattr(site_data, "search_input", not_again)
    monkeypatch.setattr(site_data, "build_index", not_again)
    assert export_files(final, directory_url, cache, key="settings") == expected


@pytest.mark.parametrize("fault", ["other settings", "corrupt entry"])
def test_an_index_key_left_ahead_is_never_served_for_other_data_files(data, tmp_path, fault):
    """The index key left ahead serves only the data files of the same catalogue and
    settings: under other settings (another URL rule, so other search files) or from a
    damaged entry, the index is made from this build's own input."""
    seen: list[Catalogue] = []
    final = build_catalogue(data, Cache(None), SlowWorker(), seen.append)
    cache = Cache(tmp_path / "cache")
    search_index_ahead(seen[0], directory_url, cache, key="directory urls")
    if fault == "corrupt entry":
        for entry in (tmp_path / "cache" / site_data.INDEX_KEYS).glob("*.pickle"):
            entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
        url, settings = directory_url, "directory urls"
    else:
        url, settings = file_url, "file urls"
    fresh = export_files(final, url, Cache(None), key=settings)
    assert export_files(final, url, cache, key=settings) == fresh
    assert fault == "corrupt entry" or fresh != export_files(final, directory_url, Cache(None))


def test_the_folded_texts_kept_give_the_search_input_a_fresh_fold_gives(tmp_path, monkeypatch):
    """Each title, abstract and byline is folded once and kept by its text: the next
    build's search input (after an abstract and a byline are edited, a paper is added
    and one goes) equals one made with nothing kept, and only the new texts are folded."""
    from dataclasses import replace

    from conftest import computed_real_catalogue

    from generator.export import search
    from generator.model import PaperMeta

    real = computed_real_catalogue()
    cache = Cache(tmp_path / "cache", secret=b"k" * 32)
    papers = real.papers[:60]
    first = replace(real, papers=papers)
    assert search_input(first, url, cache) == search_input(first, url)
    edited = [*papers[1:], real.papers[60]]  # one paper gone, one added
    edited[0] = replace(edited[0], abstract=edited[0].abstract + " Now with gpt-5 results.")
    meta = dict(real.meta)
    meta[edited[1].id] = replace(meta.get(edited[1].id) or PaperMeta(), authors=("Ada Lovelace",))
    second = replace(real, papers=tuple(edited), meta=meta)
    folded = []
    fold = search.index_text
    monkeypatch.setattr(search, "index_text", lambda text: folded.append(text) or fold(text))
    kept = search_input(second, url, cache)
    monkeypatch.undo()
    assert kept == search_input(second, url)
    assert edited[0].abstract in folded and "Ada Lovelace" in folded
    assert len(folded) <= 5  # the edited, the added: not every paper's text again
