"""Cheap, strong links between papers: families (shared names) and mentions.

*Families*: "DrivAerNet" and "DrivAerNet++", "PROSE" and "PROSE-FD", "MMGP" and
"O-MMGP", "Physics of Language Models: Part 2.1" and "...: Part 3.1". A paper's
*name* is the coined word before the colon of its title ("DrivAerNet++: A
Large-Scale ..."). Two papers are one family when their names differ but share a
stem: the same name once version marks are stripped (++, V2, II, Part 2), or a
distinctive part of a hyphenated name (PROSE in PROSE-FD).

*Mentions*: an abstract that names another catalogue paper ("... unlike
DrivAerNet, ...") links to it.

Never the wrong paper: two papers with the *same* name ("FLoRA: Federated ..."
and "FLoRA: Low-Rank Core Space ...") are different works that happen to share
an acronym, so they are no family, and a mention of an ambiguous name links to
neither.

*Incremental* (:class:`LinkIndex`): a build keeps the indexes links are found from
(names by stem, short names by owner, papers by the names their abstracts use) and
its results. The next build compares each paper's title and abstract with what the
index holds, and only a paper that changed, and the papers that share a stem or a
name with it or name it, are linked again. :func:`link` is the definition the index
must agree with: a test compares them on the real catalogue with listings added,
removed and retitled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from generator.infra import keys as cache_keys
from generator.model import Paper

MAX_NAME_WORDS = 6
MIN_STEM = 4  # a hyphen part shorter than this (GPT, MoE) is too common to tie a family
MAX_FAMILY = 8  # a stem shared by more papers is a genre word, not a family name
_ROMAN = r"(?:i{1,3}|iv|v|vi{1,3}|ix|x)"
_VERSION = re.compile(rf"(?:[\s-]+(?:v?\d+(?:\.\d+)*|{_ROMAN}))+$|\++$", re.I)
_PART = re.compile(rf"^\s*part\s+(\d+(?:\.\d+)*|{_ROMAN})\b", re.I)
_COINING = "called|named|dubbed|termed|coined|our|propose|proposes|introduce|introduces|present"
_WORD = re.compile(r"[A-Za-z0-9][\w+]*(?:-[\w+]+)*")


def name_of(title: str) -> str | None:
    """The coined name a title opens with, e.g. 'DrivAerNet++'; None if there is none.

    A "Part N" right after the colon belongs to the name: it is what tells
    the parts of a series apart.
    """
    head, sep, rest = title.partition(":")
    if not sep or not head.strip() or len(head.split()) > MAX_NAME_WORDS:
        return None
    part = _PART.match(rest)
    return f"{head.strip()} Part {part.group(1)}" if part else head.strip()


def is_distinctive(word: str) -> bool:
    """A coined word, not an English one: an inner capital (DrivAerNet, FLoRA), all
    capitals of 3+ letters (PROSE), or letters with digits (UL2)."""
    letters = [c for c in word if c.isalpha()]
    if len(word) < 3 or not letters:
        return False
    inner_capital = any(c.isupper() for c in word[1:] if c.isalpha())
    has_digit = any(c.isdigit() for c in word)
    return inner_capital or has_digit or (len(letters) >= 3 and all(c.isupper() for c in letters))


def stems(name: str) -> set[str]:
    """Family keys of a name: the name without version marks, and its distinctive
    hyphen parts ('PROSE-FD' -> {'prose-fd', 'prose'})."""
    base = _PART.sub("", name)
    base = re.sub(rf"\s+part\s+(\d+(?:\.\d+)*|{_ROMAN})$", "", base, flags=re.I)
    base = _VERSION.sub("", base).strip() or name
    keys = {base.casefold()}
    if " " not in base:
        keys |= {p.casefold() for p in base.split("-") if len(p) >= MIN_STEM and is_distinctive(p)}
    return keys


def families(papers: list[Paper]) -> dict[str, tuple[str, ...]]:
    """Paper id -> ids of the other members of its family (sorted)."""
    names = {p.id: n for p in papers if (n := name_of(p.title))}
    by_stem: dict[str, set[str]] = defaultdict(set)
    for pid, name in names.items():
        for stem in stems(name):
            by_stem[stem].add(pid)
    links: dict[str, set[str]] = defaultdict(set)
    for members in by_stem.values():
        if not 1 < len(members) <= MAX_FAMILY:
            continue
        for a in members:
            for b in members:
                # The same name twice is an acronym clash between unrelated works.
                if a != b and names[a].casefold() != names[b].casefold():
                    links[a].add(b)
    return {pid: tuple(sorted(ids)) for pid, ids in links.items()}


def short_names(papers: Iterable[Paper]) -> tuple[dict[str, str], set[str]]:
    """Distinctive one-word names -> paper id, and the names more than one paper uses."""
    owners: dict[str, set[str]] = defaultdict(set)
    for paper in papers:
        name = name_of(paper.title)
        if name and " " not in name and is_distinctive(name):
            owners[name].add(paper.id)
    unique = {n: next(iter(ids)) for n, ids in owners.items() if len(ids) == 1}
    return unique, {n for n, ids in owners.items() if len(ids) > 1}


def defines(abstract: str, name: str) -> bool:
    """Does this abstract coin ``name`` for its own method? ("... Adaptation (EVA)",
    "we propose MoD"): then the word is theirs, not a mention of our EVA or MoD."""
    n = re.escape(name)
    return re.search(rf"\(\s*{n}\s*\)|\b(?:{_COINING})\s+{n}(?![\w-])", abstract) is not None


def mentions(paper: Paper, names: dict[str, str]) -> tuple[str, ...]:
    """Ids of other papers whose unique short name this abstract uses. (Its distinct
    words met with the names as sets: looking each word up was slow in a big catalogue.)"""
    used = set(_WORD.findall(paper.abstract)) & names.keys()
    found = {names[w] for w in used if names[w] != paper.id and not defines(paper.abstract, w)}
    return tuple(sorted(found))


def link(papers: list[Paper]) -> list[Paper]:
    """Papers with ``family`` and ``mentions`` filled (mentions exclude the family)."""
    family = families(papers)
    names, _ambiguous = short_names(papers)
    out = []
    for paper in papers:
        fam = family.get(paper.id, ())
        named = tuple(pid for pid in mentions(paper, names) if pid not in fam)
        out.append(replace(paper, family=fam, mentions=named))
    return out


def _short(name: str | None) -> str | None:
    """The name as :func:`short_names` counts it, or None when it is no short name."""
    return name if name and " " not in name and is_distinctive(name) else None


@dataclass
class LinkIndex:
    """Families and mentions kept between builds, with what they were found from.

    A plain picklable value: the cache holds the last build's, and any index (empty,
    stale, another build's) is a correct start, since every paper whose text differs
    from the index's is taken out and put in again. Each field is keyed by paper id."""

    texts: dict[str, str] = field(default_factory=dict)  # id -> keys.paper_text
    names: dict[str, str] = field(default_factory=dict)  # id -> name_of(title), if any
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # distinctive words used
    by_stem: dict[str, set[str]] = field(default_factory=dict)  # stem -> ids
    owners: dict[str, set[str]] = field(default_factory=dict)  # short name -> ids
    users: dict[str, set[str]] = field(default_factory=dict)  # word -> ids whose abstract has it
    family: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def link(self, papers: list[Paper]) -> list[Paper]:
        """:func:`link`'s result for ``papers``, linking again only what a change reaches;
        the index is brought up to date with them."""
        keys = {p.id: cache_keys.paper_text(p.title, p.abstract) for p in papers}
        gone = [pid for pid in self.texts if pid not in keys]
        changed = [p for p in papers if self.texts.get(p.id) != keys[p.id]]
        stems_touched: set[str] = set()
        names_touched: set[str] = set()
        for pid in gone + [p.id for p in changed if p.id in self.texts]:
            self._take_out(pid, stems_touched, names_touched)
        for paper in changed:
            self._put_in(paper, keys[paper.id], stems_touched, names_touched)
        by_id = {p.id: p for p in papers}
        refamily = {p.id for p in changed}
        for stem in stems_touched:
            refamily |= self.by_stem.get(stem, set())
        remention = {p.id for p in changed}
        for pid in refamily:
            fam = self._family_of(pid)
            if fam != self.family.get(pid, ()):
                remention.add(pid)  # mentions leave the family out
            self._set(self.family, pid, fam)
        for name in names_touched:
            remention |= self.users.get(name, set())
        for pid in remention:
            self._set(self.mentions, pid, self._mentions_of(by_id[pid]))
        return [self._linked(p) for p in papers]

    def _linked(self, paper: Paper) -> Paper:
        fam, named = self.family.get(paper.id, ()), self.mentions.get(paper.id, ())
        if paper.family == fam and paper.mentions == named:
            return paper  # most papers have neither: a copy of each was most of the time
        return replace(paper, family=fam, mentions=named)

    @staticmethod
    def _set(table: dict[str, tuple[str, ...]], pid: str, value: tuple[str, ...]) -> None:
        if value:
            table[pid] = value
        else:
            table.pop(pid, None)

    def _take_out(self, pid: str, stems_touched: set[str], names_touched: set[str]) -> None:
        del self.texts[pid]
        self.family.pop(pid, None)
        self.mentions.pop(pid, None)
        if (name := self.names.pop(pid, None)) is not None:
            for stem in stems(name):
                _discard(self.by_stem, stem, pid)
                stems_touched.add(stem)
            if short := _short(name):
                _discard(self.owners, short, pid)
                names_touched.add(short)
        for word in self.words.pop(pid, ()):
            _discard(self.users, word, pid)

    def _put_in(
        self, paper: Paper, key: str, stems_touched: set[str], names_touched: set[str]
    ) -> None:
        self.texts[paper.id] = key
        if (name := name_of(paper.title)) is not None:
            self.names[paper.id] = name
            for stem in stems(name):
                self.by_stem.setdefault(stem, set()).add(paper.id)
                stems_touched.add(stem)
            if short := _short(name):
                self.owners.setdefault(short, set()).add(paper.id)
                names_touched.add(short)
        # Only a distinctive word can be a short name. Most words are lower case after
        # their first letter, which rules them out without the full test.
        used = set(_WORD.findall(paper.abstract))
        words = tuple(sorted(w for w in used if not w[1:].islower() and is_distinctive(w)))
        if words:
            self.words[paper.id] = words
        for word in words:
            self.users.setdefault(word, set()).add(paper.id)

    def _family_of(self, pid: str) -> tuple[str, ...]:
        """:func:`families`' answer for one paper, from the stems' members."""
        name = self.names.get(pid)
        if name is None:
            return ()
        found: set[str] = set()
        for stem in stems(name):
            members = self.by_stem.get(stem, set())
            if 1 < len(members) <= MAX_FAMILY:
                found |= {b for b in members if self.names[b].casefold() != name.casefold()}
        return tuple(sorted(found))

    def _mentions_of(self, paper: Paper) -> tuple[str, ...]:
        """:func:`mentions` minus the family, for one paper."""
        found = set()
        for word in self.words.get(paper.id, ()):
            owners = self.owners.get(word, ())
            if len(owners) != 1 or (owner := next(iter(owners))) == paper.id:
                continue  # nobody's, ambiguous, or its own name
            if not defines(paper.abstract, word):
                found.add(owner)
        fam = self.family.get(paper.id, ())
        return tuple(sorted(pid for pid in found if pid not in fam))


def _discard(index: dict[str, set[str]], key: str, pid: str) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(pid)
        if not members:
            del index[key]
