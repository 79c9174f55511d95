"""benchmarks/relevance/score.py: what counts as a judged tag."""

from __future__ import annotations

from conftest import load_benchmark


def test_a_tag_the_judge_listed_as_missing_counts_as_right_when_shown():
    """The judge who wrote "clearly missing: pretraining" has judged that tag: once the
    rules give it, it is a right tag, not an unjudged one. A tag nobody saw stays
    unjudged, and a missing tag still shown missing still counts the paper."""
    score = load_benchmark("relevance/score")
    judged = {
        "p": {"tags": {"large-language-models": "right"}, "missing": ["pretraining"]},
        "q": {"tags": {"transformers": "wrong"}, "missing": ["optimizers"]},
    }
    for label in judged.values():
        label["related"] = {}
    catalogue = {
        "p": {"tags": ["large-language-models", "pretraining", "surveys"], "related": []},
        "q": {"tags": ["transformers"], "related": []},
    }
    found = score.score(catalogue, judged)
    assert found["tag precision"] == "66.7% (2/3)"  # p's two right, q's wrong
    assert found["tags unjudged"] == 1  # surveys
    assert found["papers missing a clearly needed tag"] == "50.0% (1/2)"  # q lacks optimizers


def test_each_part_reads_its_own_label_files_and_no_other_rounds():
    """`tuning` is round 1's tuning part and `tuning2` round 2's: the glob of one must
    not take the other's files (tuning2-T.json starts with "tuning"), and round 2's test
    part (its labels committed only once round 4 was done, to score it once) is read by
    `test2` alone."""
    import json

    score = load_benchmark("relevance/score")
    here = score.HERE

    def drawn(name: str) -> set[str]:
        return {p["id"] for p in json.loads((here / name).read_text("utf-8"))["papers"]}

    assert set(score.labels("tuning")) == drawn("sample-tuning.json")
    assert set(score.labels("tuning2")) == drawn("sample-tuning2.json")
    assert set(score.labels("test")) == drawn("sample-test.json")
    assert not set(score.labels("tuning2")) & set(score.labels("tuning"))
    assert set(score.labels("test2")) == drawn("sample-test2.json")
    parts = ("tuning", "tuning2", "test", "test2")
    assert sum(len(score.labels(part)) for part in parts) == len(
        set().union(*(score.labels(part) for part in parts))
    )
