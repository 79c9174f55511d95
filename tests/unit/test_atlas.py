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
    monkeypatch.setattr(atlas, "sample", lambda ids: sample(ids, 20))
    assert len(layout(texts, model.key, cache)) == 20
    assert stored() == len(texts)
