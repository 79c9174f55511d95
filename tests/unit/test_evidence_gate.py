"""Which of a paper's candidate links are shown (generator/analyse/related/evidence.py)."""

from __future__ import annotations

from generator.analyse.related.evidence import FLOOR, RATIO, worth_showing


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
