"""Which of a paper's candidate links come first and which are cut
(generator/analyse/related/ranking.py), and how a shared tag weighs (.evidence)."""

from __future__ import annotations

from generator.analyse.related.evidence import tag_specificity
from generator.analyse.related.ranking import FEATURES, POOL, place, probabilities, ranked


def features(**given: float) -> list[float]:
    """A middling candidate (second by score, fourth the other way, one broad tag),
    with ``given`` features changed."""
    base = {
        "score": 0.22,
        "tfidf": 0.15,
        "place": place(1),
        "place_back": place(3),
        "tags": 1.0,
        "tag_count": 1,
        "narrow": 0.0,
        "names": 0.0,
    }
    base.update(given)
    return [base[name] for name in FEATURES]


def test_a_mutual_neighbour_is_likelier_than_a_one_sided_one():
    """The oracle lists held far more pairs that are near each other both ways."""
    mutual, one_sided = probabilities(
        [features(place_back=place(0)), features(place_back=place(POOL))]
    )
    assert mutual > one_sided


def test_shared_narrow_tags_and_names_make_a_link_likelier():
    plain, tagged, named = probabilities(
        [features(), features(tags=4.0, tag_count=2, narrow=1.0), features(names=6.0)]
    )
    assert tagged > plain and named > plain


def test_a_place_past_the_pool_counts_as_the_pool_s_end():
    assert place(POOL + 7) == place(POOL) > place(POOL - 1) > place(0) == 0.0


def test_candidates_come_likeliest_first_and_equal_ones_by_id():
    same = features()
    found = ranked([("b", 0.2, same), ("a", 0.2, same), ("c", 0.3, features(place_back=0.0))])
    assert [c[0] for _, c in found] == ["c", "a", "b"]
    assert found[0][0] > found[1][0] == found[2][0]


def test_a_narrow_shared_tag_weighs_more_than_a_broad_one():
    """Blind judges' good links shared narrow tags: a tag on 2% of the papers says more
    than one on a quarter of them."""
    specific = tag_specificity({"large-language-models": 250, "model-editing": 20}, 1000)
    assert specific["model-editing"] > 2 * specific["large-language-models"] > 0
