"""The map of the catalogue: which papers it draws, where, and in which colour."""

from __future__ import annotations

from generator.analyse.atlas import GRID, layout, sample
from generator.analyse.related.incremental import PaperText
from generator.infra.cache import Cache
from generator.render.atlas import group_of

TOPICS = [
    "diffusion models generate images from noise with a denoising network",
    "language models answer questions after instruction tuning on chat data",
    "graph neural networks predict molecule properties from atoms and bonds",
]


def papers(n: int) -> list[PaperText]:
    return [
        PaperText(f"p{i:03d}", f"Paper {i} on {TOPICS[i % 3].split()[0]}", f"{TOPICS[i % 3]} {i}")
        for i in range(n)
    ]


def test_a_sample_keeps_its_papers_as_the_catalogue_grows():
    ids = [f"paper-{i}" for i in range(300)]
    assert sample(ids, 500) == list(range(300))  # under the limit: every paper
    before = {ids[i] for i in sample(ids, 100)}
    grown = [*ids, "a-new-paper"]
    after = {grown[i] for i in sample(grown, 100)}
    assert len(before) == len(after) == 100 and len(before - after) <= 1
    backwards = list(reversed(ids))
    # which papers does not depend on their order
    assert {backwards[i] for i in sample(backwards, 100)} == before


def test_the_layout_is_the_same_every_time_and_keeps_topics_together():
    texts = papers(45)
    first = layout(texts, "no such model", Cache(None))
    assert first == layout(texts, "no such model", Cache(None))
    assert set(first) == {t.id for t in texts}
    assert all(0 <= x <= GRID and 0 <= y <= GRID for x, y in first.values())

    def spread(topic: int) -> float:
        points = [first[t.id] for i, t in enumerate(texts) if i % 3 == topic]
        cx = sum(x for x, _ in points) / len(points)
        cy = sum(y for _, y in points) / len(points)
        return max(abs(x - cx) + abs(y - cy) for x, y in points)

    # Each topic's papers sit closer together than the map is wide.
    assert all(spread(topic) < GRID / 2 for topic in range(3))


def test_a_paper_is_coloured_by_the_group_most_of_its_tags_are_in():
    groups = {"a": 0, "b": 1, "c": 1, "d": 2}
    assert group_of(("a", "b", "c"), groups) == 1
    assert group_of(("d", "a"), groups) == 0  # a tie: the taxonomy's first group
    assert group_of((), groups) == -1 and group_of(("unknown",), groups) == -1


def test_the_map_leaves_every_papers_rows_in_the_cache_not_only_its_samples(tmp_path, monkeypatch):
    """The map reads the rows the related lists stored (a sample of them, above its
    limit); what it read must not replace what they stored: the next build's lists
    would fold every paper outside the sample in again."""
    from generator.analyse import atlas
    from generator.analyse.related.links import related_links
    from generator.analyse.related.model import model_for
    from generator.infra.cache import Kept

    texts = papers(60)
    cache = Cache(tmp_path / "cache", secret=b"s" * 32)
    model = model_for([(t.title, t.abstract) for t in texts], cache)
    related_links(texts, model, cache)

    def stored() -> int:
        return len(Kept(cache, "related-rows", model.key).known)

    assert stored() == len(texts)
    monkeypatch.setattr(atlas, "sample", lambda ids, listings=None: sample(ids, 20))
    assert len(layout(texts, model.key, cache)) == 20
    assert stored() == len(texts)


def listed(n: int, per: int = 10) -> list[tuple[str, ...]]:
    """Paper i's listings: listing i // per, and every fifth paper a second one too."""
    second = lambda i: (f"{(i // per + 1) % (n // per):03d}.txt",) if i % 5 == 0 else ()  # noqa: E731
    return [(f"{i // per:03d}.txt", *second(i)) for i in range(n)]


def test_a_large_catalogue_is_sampled_by_whole_listings_in_the_order_of_their_hash():
    ids = [f"paper-{i}" for i in range(300)]
    listings = listed(300)
    assert sample(ids, 500, listings) == list(range(300))  # under the limit: every paper
    chosen = sample(ids, 100, listings)
    assert 0 < len(chosen) <= 100
    names = {name for i in chosen for name in listings[i]}
    # every paper of a listing the sample holds whole is in it
    whole = {n for n in names if all(i in chosen for i, ls in enumerate(listings) if n in ls)}
    assert all(any(n in whole for n in listings[i]) for i in chosen)
    # which papers does not depend on their order
    backwards = list(reversed(range(300)))
    again = sample([ids[i] for i in backwards], 100, [listings[i] for i in backwards])
    assert {ids[backwards[i]] for i in again} == {ids[i] for i in chosen}
    # one listing too big for the sample: the papers' own hash, as without listings
    assert sample(ids, 100, [("one.txt",)] * 300) == sample(ids, 100)


def test_a_listing_added_leaves_the_sample_as_it_was_unless_its_name_hashes_into_it():
    ids = [f"paper-{i}" for i in range(300)]
    listings = listed(300)
    before = {ids[i] for i in sample(ids, 100, listings)}
    outside = inside = 0
    for k in range(40):  # new listings of 10 new papers, each tried on its own
        name = f"new-{k}.txt"
        grown = [*ids, *(f"{name}-{j}" for j in range(10))]
        after = {grown[i] for i in sample(grown, 100, [*listings, *[(name,)] * 10])}
        if after == before:
            outside += 1
        else:
            inside += 1
            assert any(p.startswith(name) for p in after)  # changed only by taking it in
    assert outside > inside > 0  # most additions leave the sample (and its layout) as it was


def test_a_samples_layout_is_kept_and_never_served_for_other_texts(tmp_path, monkeypatch):
    """The t-SNE runs once per sample: a build whose sample is unchanged (a listing
    added outside it) reads its points; the same build from an empty cache gives the
    same points; a sampled paper's text edited runs it again."""
    from generator.analyse import atlas
    from generator.analyse.related.model import model_for

    texts = papers(60)
    listings = listed(60)
    cache = Cache(tmp_path / "cache", secret=b"s" * 32)
    model = model_for([(t.title, t.abstract) for t in texts], cache)
    monkeypatch.setattr(atlas, "sample", lambda ids, listings: sample(ids, 20, listings))
    runs = []
    tsne = atlas._tsne
    monkeypatch.setattr(atlas, "_tsne", lambda rows: runs.append(1) or tsne(rows))
    first = layout(texts, model.key, cache, listings)
    assert len(first) <= 20 and runs == [1]
    # a listing added whose name the sample does not take
    grown = texts + [PaperText(f"q{i}", f"New paper {i}", TOPICS[i % 3]) for i in range(5)]
    grown_listings = [*listings, *[("zzz-not-sampled.txt",)] * 5]
    assert sample([t.id for t in grown], 20, grown_listings) == sample(
        [t.id for t in texts], 20, listings
    )
    assert layout(grown, model.key, cache, grown_listings) == first and runs == [1]
    cold = Cache(tmp_path / "cold", secret=b"s" * 32)
    assert layout(grown, model.key, cold, grown_listings) == first and runs == [1, 1]
    # a sampled paper's abstract edited: its row moves, so the layout is made again
    drawn = next(i for i, t in enumerate(texts) if t.id in first)
    edited = list(texts)
    edited[drawn] = edited[drawn]._replace(abstract=TOPICS[(drawn + 1) % 3] + " edited")
    again = layout(edited, model.key, cache, listings)
    assert runs == [1, 1, 1]
    assert again == layout(edited, model.key, Cache(None), listings)
