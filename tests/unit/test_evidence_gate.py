"""Which of a paper's candidate links are shown (generator/analyse/related/evidence.py)."""

from __future__ import annotations

from generator.analyse.related.evidence import (
    FLOOR,
    RATIO,
    link_weight,
    tag_specificity,
    worth_showing,
)


def test_past_the_best_link_a_link_needs_the_floor_and_the_ratio():
    best = FLOOR / RATIO * 0.8  # a modest best: FLOOR is within RATIO of it
    thin = FLOOR * 0.9  # within RATIO of the best, but below the floor
    assert thin >= RATIO * best
    assert worth_showing([best, FLOOR, thin, None, 0.0]) == [True, True, False, False, False]
    assert worth_showing([0.5, RATIO * 0.5 * 0.9]) == [True, False]


def test_a_paper_whose_best_link_is_thin_still_shows_it():
    """Fewer links, not none: the best one stands when it has enough evidence at all."""
    assert worth_showing([None, FLOOR / 2, FLOOR / 4]) == [False, True, False]
    assert worth_showing([None, None]) == [False, False]


def test_a_narrow_shared_tag_weighs_more_than_a_broad_one():
    """Blind judges' good links shared narrow tags; a broad tag (on a quarter of the
    papers) lifts a link less than a narrow one (on 2%)."""
    specific = tag_specificity({"large-language-models": 250, "model-editing": 20}, 1000)
    assert specific["model-editing"] > 2 * specific["large-language-models"] > 0
    broad = link_weight(0.3, specific["large-language-models"])
    narrow = link_weight(0.3, specific["model-editing"])
    assert link_weight(0.3, 0.0) == 0.3 < broad < FLOOR < narrow


def test_past_the_best_a_link_sharing_no_tag_needs_a_near_duplicates_score():
    best = link_weight(0.5, 4.0)
    assert worth_showing([best, link_weight(0.6, 0.0), link_weight(0.2, 4.0)]) == [
        True,
        False,  # a higher score, but wording alone
        True,  # a lower score, with a narrow shared tag
    ]
