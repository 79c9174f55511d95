"""A link's reason quotes a phrase as the paper writes it: found by a matcher that
follows the phrase pattern without compiling one pattern per phrase. It must find
exactly what the pattern finds."""

from __future__ import annotations

import random
import re

import pytest
from conftest import SEEDS

from generator.analyse.related.why import _GAP, PHRASE_PATTERN, written
from generator.ingest.listings import parse_file


def by_pattern(text: str, part: tuple[str, ...]) -> str | None:
    words = _GAP.join(re.escape(w) for w in part)
    found = re.search(PHRASE_PATTERN.replace("{words}", words), text, re.I)
    return found.group(0) if found else None


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Scaling in-context learning with more shots", ("context", "learning")),
        ("a state-of-the-art result", ("state", "art")),
        ("mixture of experts and Mixture-of-Experts", ("mixture", "experts")),
        ("aaa aa", ("aa",)),
        ("pre-LN and non-LN", ("ln",)),
        ("x-LoRA, LoRA-FA and QLoRA", ("lora",)),
        ("tokens—the GPT-4 model", ("gpt-4", "model")),
        ("Schrödinger bridge and SCHRÖDINGER BRIDGES", ("schrödinger", "bridges")),
        ("end of text", ("text",)),
        ("no match here", ("absent",)),
        ("large  --  language\tmodels", ("large", "language", "models")),
        ("abcd-context", ("context",)),
    ],
)
def test_the_matcher_finds_what_the_pattern_finds(text, part):
    assert written(text, part) == by_pattern(text, part)


def test_the_matcher_agrees_with_the_pattern_on_real_abstracts():
    """Phrases of one to three words drawn from each real abstract, and some that it does
    not hold, in the case the index spells them."""
    rng = random.Random(7)
    texts = [e.abstract for path in SEEDS for e in parse_file(path).listing.entries][:300]
    checked = 0
    for text in texts:
        words = re.findall(r"[^\W_][\w-]*", text)
        for _ in range(6):
            at = rng.randrange(len(words))
            part = tuple(w.lower() for w in words[at : at + rng.randint(1, 3)])
            if rng.random() < 0.3:
                part = (*part[:-1], rng.choice(words).upper())
            assert written(text, part) == by_pattern(text, part), (part, text[:80])
            checked += 1
    assert checked > 1000
