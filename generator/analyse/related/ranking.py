"""The order and cut of a paper's related links: a logistic model fitted on the oracle lists.

The model's score (:mod:`.incremental`) ranks by wording alone. Blind judges who went
through the whole catalogue for 200 papers (the oracle lists, issue 28 round 7) listed
papers a researcher would follow that the score ranks 7th to 20th, and the score's own top
6 held many they did not list. What told them apart, fitted on one fold of the oracle and
checked on the other (benchmarks/README.md, "Round 7 (related)"): where the candidate
sits in the paper's list **and where the paper sits in the candidate's** (a neighbour
that is mutual), the tags the two share weighted by how narrow they are, and the specific
names they share — each weighing as much as the score itself. Every feature is a function of the two
papers, their places in each other's exact lists, and catalogue-wide counts applied per
build, so the lists stay exact and incremental.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# How deep each paper's list of candidates by score goes (its place past this counts as
# this): the oracle's good neighbours rank down to here often, rarely further.
POOL = 20
FEATURES = ("score", "tfidf", "place", "place_back", "tags", "tag_count", "narrow", "names")
# Fitted by benchmarks/relevance/fit_oracle.py on both oracle folds (standardised
# features: weights on (x - MEAN) / SCALE, then BIAS); the settings were chosen on one
# fold and checked on the other.
MEAN = (0.2299, 0.1645, 1.7847, 1.9383, 2.4177, 0.8438, 0.1407, 0.3245)
SCALE = (0.0666, 0.0527, 0.8438, 0.8939, 2.0930, 0.7431, 0.3477, 1.3565)
WEIGHTS = (0.2432, 0.1402, -0.3359, -0.2544, 0.3586, 0.2701, 0.0955, 0.2708)
BIAS = -1.3068
# A link is shown from this probability of being one the oracle lists (the highest
# oracle precision that keeps recall@5 on the labelled pairs at 90%); a paper with fewer
# than LEAST that high shows its likeliest ones up to LEAST (each with the evidence a
# reason needs).
CUT = 0.25
LEAST = 1
# Past a paper's first link, a link also needs its score times (1 + the summed
# specificity of the tags the two papers share) from here up, or the same curated family:
# the learned order alone let back links on one phrase used in two fields ("-mini" models,
# "mixture proportions" of classes and of pretraining data) that blind judges had called
# wrong, and that this floor (evidence.py's before the order was learned) had hidden.
FLOOR = 0.8


def place(rank: int) -> float:
    """A place in a list as a feature: the first few places differ more than the last."""
    return math.log(1 + min(rank, POOL))


def past_the_first(score: float, features: Sequence[float]) -> bool:
    """Whether a link may follow a paper's first: :data:`FLOOR`."""
    return score * (1 + features[FEATURES.index("tags")]) >= FLOOR


def probabilities(features: Sequence[Sequence[float]]) -> list[float]:
    """Each candidate's probability of being a link the oracle lists."""
    if not features:
        return []
    x = (np.asarray(features, dtype=np.float64) - np.asarray(MEAN)) / np.asarray(SCALE)
    z = x @ np.asarray(WEIGHTS) + BIAS
    # Rounded: the order and the cut must not hang on the last bit of a float sum.
    return [round(float(p), 6) for p in 1 / (1 + np.exp(-z))]


Candidate = tuple[str, float, list[float]]  # (other paper's id, score, FEATURES)


def ranked(candidates: list[Candidate]) -> list[tuple[float, Candidate]]:
    """A paper's candidates, each with its probability, the likeliest first (equal ones
    by id, so where a paper sits in the catalogue never matters)."""
    likely = probabilities([f for _, _, f in candidates])
    return sorted(zip(likely, candidates, strict=True), key=lambda x: (-x[0], x[1][0]))
