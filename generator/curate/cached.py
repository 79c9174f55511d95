"""Curation's costly steps with a memory across builds: tagging (:func:`tags_for`),
reading titles' and abstracts' LaTeX (:func:`readable`) and the terms the tag profiles
count (:func:`paper_terms`). Each is a pure function of a paper's text, so each result
is kept in one cache entry by that text's digest, and a curator's fix to one paper's
title retags and rereads that paper alone."""

from __future__ import annotations

from generator.curate.profiles import Counted, paper_terms
from generator.curate.tagging import Tagged, Taxonomy, tagged
from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.model import Paper
from generator.text.latex import needs_parser, plain, readable, unreadable


class Tagger:
    """:func:`tagged` with a memory: tags by paper text, per taxonomy, across builds."""

    def __init__(self, taxonomy: Taxonomy, taxonomy_bytes: bytes, cache: Cache):
        self.taxonomy = taxonomy
        self.kept: Kept[Tagged] = Kept(cache, "tags", keys.tags(taxonomy_bytes))

    def tagged(self, paper: Paper) -> Tagged:
        text = keys.paper_text(paper.title, paper.abstract)
        return self.kept.get(text, lambda: tagged(paper, self.taxonomy))

    def __call__(self, paper: Paper) -> tuple[str, ...]:
        return self.tagged(paper).names

    def weak(self, paper: Paper) -> frozenset[str]:
        """The tags the rules gave ``paper`` on little evidence (:class:`Tagged`)."""
        return self.tagged(paper).weak

    def save(self) -> None:
        self.kept.save()


class PlainTexts:
    """:func:`readable` with a memory: the plain text of each text the LaTeX parser
    reads, by its digest, across builds: parsing LaTeX is the costliest read of a text."""

    def __init__(self, cache: Cache):
        # (plain text, whether the parser failed on it): a failure is reported at the
        # text's line on every build, not only on the build that met it first.
        self.kept: Kept[tuple[str, bool]] = Kept(cache, "plain-text")

    def _read(self, text: str) -> tuple[str, bool]:
        if not needs_parser(text):
            return plain(text), False
        return self.kept.get(keys.plain_text(text), lambda: (plain(text), unreadable(text)))

    def plain(self, text: str) -> str:
        return self._read(text)[0]

    def unreadable(self, text: str) -> bool:
        """Whether the LaTeX parser failed on ``text`` (it is shown as written)."""
        return self._read(text)[1]

    def __call__(self, paper: Paper) -> Paper:
        return readable(paper, self.plain)

    def save(self) -> None:
        self.kept.save()


class ProfileTerms:
    """:func:`paper_terms` with a memory: each paper's counted terms by its title and
    abstract, across builds. Folding every paper's text into words and word pairs again
    was most of the tag profiles' time in a build that adds one listing."""

    def __init__(self, cache: Cache):
        self.kept: Kept[Counted] = Kept(cache, "profile-terms")

    def __call__(self, paper: Paper) -> Counted:
        key = keys.profile_terms(paper.title, paper.abstract)
        return self.kept.get(key, lambda: paper_terms(paper))

    def save(self) -> None:
        self.kept.save()
