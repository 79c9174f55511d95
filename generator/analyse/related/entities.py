"""Named things two papers share: model families and versions, datasets, benchmarks, methods.

The related model (:mod:`.model`) ranks by wording; two papers that both fine-tune
"Llama 3" on "GSM8K" or both extend "LoRA" may word everything else differently and never
meet in its top k. This is a second retrieval: each paper's *entities* — the names its
title and abstract write the way names are written (an acronym or mixed case: BERT,
LoRA, MoE, ImageNet; a name with a digit: GPT-4, T5, Qwen2.5, Mixtral-8x7B; a capitalised
name with a version: "Llama 3"; their family: gpt, llama, qwen) — and, for every paper,
the papers sharing the most specific of them. A plain capitalised word is not a name
(titles capitalise every word), nor is a symbol or a two-character acronym.

An entity weighs its IDF over the catalogue times how specific it is in general English
(:func:`.evidence.specificity`): "SAT" or "GAN" as written say less than "GSM8K". One
written by many papers ("LLM", "GPT-4" as an evaluator) is no evidence of a shared
problem and is left out, which also keeps each entity's list of papers short: a paper's
candidates are found through its entities' lists, never against every other paper
(:func:`shared_entities`), so the work grows with the catalogue, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from generator.analyse.related.evidence import specificity

# An entity written by more than this share of the papers (or MAX_PAPERS of them) is
# what the field writes, not what ties two papers: "LLM", "Transformer", "GPT-4".
MAX_SHARE = 0.02
MAX_PAPERS = 64
MIN_PAPERS = 2  # one paper's own coinage ties it to nobody
BLOCK = 512  # papers whose shared entities are summed at once (memory: BLOCK x papers)

# A token as written: letters and digits, joined by - . + (GPT-4, Qwen2.5, C++).
_TOKEN = re.compile(r"[^\W_]+(?:[-.+][^\W_]+)*\+*")
# A capitalised name followed by a version: "Llama 3", "Llama 3.1", "Stable Diffusion 3".
_VERSIONED = re.compile(r"(?<![\w-])([A-Z][a-z]{2,})[ -](\d{1,2}(?:\.\d)?)(?![\w.-])")
# What a name has and a word has not: a capital past the first character, or a digit.
_MAYBE = re.compile(r".[A-Z]|\d")
_PLURAL = re.compile(r"^([A-Z0-9][A-Z0-9-]*[A-Z0-9])s$")  # LLMs, VLMs, GNNs


# Names every part of the field writes, or that count things (top-1, 3D) rather than name them.
GENERIC = frozenset(
    "api cpu gpu tpu github sota top-1 top-5 pre post non multi self 1d 2d 3d 4d".split()
)
# A capitalised word is a name before a version only if it is rare in English ("Llama 3",
# not "Version 2" or "Table 3"): at most this Zipf frequency (:func:`.evidence.specificity`).
NAME_SPECIFICITY = 0.7


def _named_part(part: str) -> bool:
    """A part of a compound written as a name: an upper-case letter past its first
    character (BERT, LoRA, MoE) or letters and digits together (T5, 8x7B, Qwen2)."""
    letters = sum(c.isalpha() for c in part)
    if letters >= 2 and any(c.isupper() for c in part[1:]):
        return True
    return letters >= 1 and any(c.isdigit() for c in part)


@lru_cache(maxsize=65_536)
def _is_name(token: str) -> bool:
    """Written as a name (:func:`_named_part`), or a rare word with a version number
    (Llama-3); not three characters or fewer unless it holds a digit (T5, 3D)."""
    if len(token) < 2 or (len(token) < 3 and not any(c.isdigit() for c in token)):
        return False
    parts = [p for p in re.split(r"[-.]", token) if p]
    if any(_named_part(p) for p in parts):
        return True
    return (
        len(parts) > 1 and parts[-1].isdigit() and specificity(parts[0].lower()) >= NAME_SPECIFICITY
    )


def root(name: str) -> str:
    """The family a versioned name belongs to — gpt of gpt-4, qwen of qwen2.5, cifar of
    cifar-10 — or the name itself. Shared names of one family are one piece of evidence."""
    lead = re.match(r"[^\W\d_]{3,}", name)
    if lead is None or lead.end() == len(name):
        return name
    family = lead.group(0)
    return family if specificity(family) >= NAME_SPECIFICITY else name


@lru_cache(maxsize=65_536)
def entities(title: str, abstract: str) -> frozenset[str]:
    """The names a paper's title and abstract write, lower-cased (:func:`_is_name`),
    with the family (:func:`root`) of each versioned one."""
    found: set[str] = set()
    for text in (title, abstract):
        for token in _TOKEN.findall(text):
            if (token.isalpha() and token[1:].islower()) or not _MAYBE.search(token):
                continue  # a word ("models", "Fractal", "fine-tuning"): most tokens
            token = token.strip(".+")
            plural = _PLURAL.match(token)
            if plural:
                token = plural.group(1)
            if _is_name(token):
                found.add(token.lower())
        for name, version in _VERSIONED.findall(text):
            if specificity(name.lower()) >= NAME_SPECIFICITY:
                found.add(f"{name.lower()}-{version}")
    found |= {root(e) for e in found}
    # A symbol or a unit says nothing once lower-cased; GENERIC names say too little.
    return frozenset(e for e in found if e not in GENERIC and name_specificity(e) > 0)


def name_specificity(name: str) -> float:
    """How specific a name is (:func:`.evidence.specificity`), a short name with a digit
    (T5, 3D) as much as a long one: the evidence weighs two-character words nothing."""
    if len(name) == 2 and any(c.isdigit() for c in name) and any(c.isalpha() for c in name):
        return 1.0
    return specificity(name)


@dataclass(frozen=True)
class Shared:
    """The entities two papers share that count: each family once, by its heaviest name."""

    weight: float  # their summed weight
    names: tuple[str, ...]  # heaviest first


NONE = Shared(0.0, ())  # nothing shared


class Entities:
    """The catalogue's papers by the entities they share (:meth:`nearest`)."""

    def __init__(self, texts: Sequence[tuple[str, str]]):
        found = [entities(title, abstract) for title, abstract in texts]
        n = len(texts)
        df = Counter(e for names in found for e in names)
        most = min(MAX_PAPERS, max(MIN_PAPERS, int(MAX_SHARE * n)))
        # Sorted: the columns, and so every float sum below, come in one order.
        kept = sorted(e for e, d in df.items() if MIN_PAPERS <= d <= most)
        self.column = {e: i for i, e in enumerate(kept)}
        self.weights = [math.log(n / df[e]) * name_specificity(e) for e in kept]
        self.found = found
        # Each paper's names in sorted order (a set's order changes between processes),
        # so the product below sums them in one order everywhere.
        listed = [sorted(e for e in names if e in self.column) for names in found]
        rows = [i for i, names in enumerate(listed) for _ in names]
        cols = [self.column[e] for names in listed for e in names]
        self.matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(n, len(kept)), dtype=np.float64
        )

    def shared(self, i: int, j: int) -> Shared:
        """What papers i and j share (:class:`Shared`)."""
        best: dict[str, tuple[float, str]] = {}
        for e in sorted(self.found[i] & self.found[j]):
            k = self.column.get(e)
            if k is None:
                continue
            family, w = root(e), self.weights[k]
            if family not in best or w > best[family][0]:
                best[family] = (w, e)
        if not best:
            return NONE
        ranked = sorted(best.values(), key=lambda x: (-x[0], x[1]))
        return Shared(sum(w for w, _ in ranked), tuple(e for _, e in ranked))

    def nearest(self, k: int, least: float, ids: Sequence[str]) -> dict[int, list[int]]:
        """Each paper's k papers sharing the heaviest entities (:meth:`shared`), from
        ``least`` up; equal weights go to the smaller id (so where a paper sits in the
        catalogue never matters)."""
        weighted = self.matrix.multiply(np.array(self.weights)[np.newaxis, :]).tocsr()
        other = self.matrix.T.tocsr()
        result: dict[int, list[int]] = {}
        n = self.matrix.shape[0]
        for start in range(0, n, BLOCK):
            block = (weighted[start : start + BLOCK] @ other).tocsr()
            for r in range(block.shape[0]):
                i = start + r
                a, b = block.indptr[r], block.indptr[r + 1]
                # The product counts a family's names each; :meth:`shared` once: the
                # product only finds the candidates, which are then weighed exactly.
                near = [
                    (int(c), self.shared(i, int(c)).weight)
                    for c, v in zip(block.indices[a:b], block.data[a:b], strict=True)
                    if c != i and v >= least * (1 - 1e-9)  # exact weight checked below
                ]
                near = [x for x in near if x[1] >= least]
                ranked = sorted(near, key=lambda x: (-x[1], ids[x[0]]))
                result[i] = [c for c, _ in ranked[:k]]
        return result


def as_written(name: str, texts: Sequence[str]) -> str:
    """An entity as ``texts`` write it, a spelling written as a name first ("MATH" the
    benchmark, not the title's "Math"): "Llama 3", "GSM8K"."""
    words = map(re.escape, name.split("-"))
    pattern = re.compile(r"(?<![\w-])" + r"[-\s]".join(words) + r"s?(?![\w-])", re.I)
    found = [m.group(0) for text in texts for m in pattern.finditer(text)]
    named = [f for f in found if _is_name(f) or " " in f]
    return (named or found or [name])[0]


def forget_names() -> None:
    """Drop the names remembered per text (:func:`.tokens.forget_texts`, which says why)."""
    entities.cache_clear()
    _is_name.cache_clear()
