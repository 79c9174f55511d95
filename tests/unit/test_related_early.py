"""The related lists started early: the worker folds in the deduplicated papers and finds
their candidates by score before curation (:func:`generator.analyse.related.links.content`),
and the curated texts bring that up to date (:func:`~generator.analyse.related.links.up_to_date`).
The lists, the state kept for the next build and the rows kept must be exactly the ones
made from the curated texts alone."""

from __future__ import annotations

import os
import pickle

import pytest
from conftest import load_benchmark

from generator.analyse.related import incremental, links
from generator.analyse.related.incremental import PaperText, fold_in, refold
from generator.analyse.related.links import content, related_links
from generator.analyse.related.model import fit
from generator.infra import forked
from generator.infra.cache import Cache, Kept

TAGS = ("diffusion", "agents", "vision", "speech", "graphs")


def catalogue(n: int = 300) -> list[PaperText]:
    """Synthetic papers, each with one or two tags (the order reads them)."""
    texts = load_benchmark("synthetic").synthetic_papers(n, seed=11)
    return [
        PaperText(f"p{i:04}", t, a, tuple(sorted({TAGS[i % 5], TAGS[i * 7 % 3]})))
        for i, (t, a) in enumerate(texts)
    ]


def curated(papers: list[PaperText]) -> list[PaperText]:
    """What curation makes of ``papers``: a curator's title edit (p0010 takes p0200's
    title and abstract, so it moves far), p0050 hidden, p0051 merged into p0052 (gone;
    p0052's text stays), and p0070's text unchanged but its tags new."""
    out = []
    for p in papers:
        if p.id == "p0010":
            p = p._replace(title=papers[200].title + " revisited", abstract=papers[200].abstract)
        elif p.id in ("p0050", "p0051"):
            continue
        elif p.id == "p0070":
            p = p._replace(tags=("graphs", "speech", "vision"))
        out.append(p)
    return out


def cache_at(tmp_path, name: str) -> Cache:
    return Cache(tmp_path / name, secret=b"s" * 32)


def kept(cache: Cache, model) -> tuple[object, object]:
    """What the lists leave in the cache for the next build: the state, the rows."""
    return cache.get("related-state", model.key), Kept(cache, "related-rows", model.key).known


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_early_lists_brought_up_to_date_equal_the_curated_texts_alone(tmp_path, warm):
    papers = catalogue()
    model = fit([(p.title, p.abstract) for p in papers])
    early_texts = [p._replace(tags=()) for p in papers]  # before curation: no tags yet
    final = curated(papers)
    direct, started = cache_at(tmp_path, "direct"), cache_at(tmp_path, "started")
    if warm:  # the last build's state and rows in both caches (a listing since removed)
        for cache in (direct, started):
            related_links(papers[:280], model, cache)
    expected = related_links(final, model, direct)
    early = content(early_texts, model, started)
    before = {pid: list(found) for pid, found in early.state.lists.items()}
    found = related_links(final, model, started, early=early)
    assert pickle.dumps(found) == pickle.dumps(expected)
    assert kept(started, model) == kept(direct, model)
    assert early.vectors is None  # the early rows were let go of
    # The edits really moved lists the early part had: a test that cannot fail is none.
    state = kept(direct, model)[0]
    moved = [pid for pid in state.lists if before.get(pid) != state.lists[pid]]
    assert "p0010" in moved and len(moved) > 3
    assert any("p0050" in (o for o, _ in lst) for lst in before.values())
    assert sum(len(links) for links in expected.values()) > 300


def test_lists_started_from_other_texts_under_the_same_build_are_never_stale(tmp_path):
    """An early part made of quite other texts (a stale one) still ends in the lists of
    the texts given: only its rows that match a text are used."""
    papers = catalogue()
    model = fit([(p.title, p.abstract) for p in papers])
    other = catalogue(120)[::-1]  # fewer papers, in another order, under other ids
    other = [p._replace(id=f"q{p.id}") for p in other]
    early = content(other, model, Cache(None))
    assert related_links(papers, model, Cache(None), early=early) == related_links(
        papers, model, Cache(None)
    )


def test_rows_taken_from_an_early_fold_in_are_the_rows_read_afresh():
    papers = catalogue(120)
    model = fit([(p.title, p.abstract) for p in papers])
    early = fold_in(model, papers)
    final = curated(catalogue(220))[100:]  # some texts early holds, some it does not
    again = fold_in(model, final)
    taken = refold(model, early, final, None)
    assert taken.ids == again.ids and taken.texts == again.texts
    assert [taken.row_key(i) for i in range(len(final))] == [
        again.row_key(i) for i in range(len(final))
    ]
    assert (taken.matrix != again.matrix).nnz == 0 and (taken.latent == again.latent).all()
    assert [taken.spellings(i) for i in (0, 30)] == [again.spellings(i) for i in (0, 30)]


@pytest.mark.parametrize("copy", ["works", "dies"])
def test_lists_made_half_in_a_copy_of_the_process_are_the_lists_made_in_one(
    tmp_path, monkeypatch, copy
):
    """The worker makes every other block of the top k, and the second half of the
    links, in a forked copy of itself: the same links in the same order, and the same
    state for the next build (its judgements in the order one loop adds them); a copy
    that dies leaves its half to be made here. (Equal, not the same pickled bytes: the
    copy's strings come back as copies, which pickle does not share.)"""
    papers = catalogue()
    model = fit([(p.title, p.abstract) for p in papers])
    one, two = cache_at(tmp_path, "one"), cache_at(tmp_path, "two")
    expected = related_links(papers, model, one)
    monkeypatch.setattr(forked, "ALLOWED", [True])
    if copy == "dies":
        monkeypatch.setattr(forked, "_send", lambda work, items, send: os._exit(1))
    calls: list[int] = []
    for module in (links, incremental):
        monkeypatch.setattr(module, "SPLIT_FROM", 64)
        monkeypatch.setattr(module, "in_two", counted(forked.in_two, calls))
    split = related_links(papers, model, two)
    assert len(calls) == 2  # the top k and the links were split
    assert split == expected and list(split) == list(expected)
    state, alone = kept(two, model)[0], kept(one, model)[0]
    assert state == alone and list(state.whys) == list(alone.whys)


def test_every_top_k_made_half_in_a_copy_is_the_top_k_made_in_one(monkeypatch):
    papers = catalogue(400)
    vectors = fold_in(fit([(p.title, p.abstract) for p in papers]), papers)
    expected = incremental.nearest(vectors, 20, block=32), incremental.nearest(vectors, 3)
    monkeypatch.setattr(forked, "ALLOWED", [True])
    monkeypatch.setattr(incremental, "SPLIT_FROM", 2)
    split = incremental.nearest(vectors, 20, block=32), incremental.nearest(vectors, 3, block=2)
    assert split == expected


def counted(function, calls: list):
    def called(*args):
        calls.append(1)
        return function(*args)

    return called
