"""A paper page's head says each thing once (issue 31, item 2): the JSON-LD's headline
only when the title is too long to be one, no third copy of the description."""

from __future__ import annotations

from generator.model import Paper
from generator.render.head_meta import HEADLINE, scholarly_article


def test_a_long_title_gets_a_headline_cut_at_a_word_and_a_short_one_none():
    short = Paper("p", "A short title", "An abstract.", ())
    assert "headline" not in scholarly_article(short, None, None)
    title = "Word " * 40
    article = scholarly_article(Paper("q", title.strip(), "An abstract.", ()), None, None)
    assert article["name"] == title.strip()
    assert len(article["headline"]) <= HEADLINE and article["headline"].endswith("Word …")
    assert "description" not in article
