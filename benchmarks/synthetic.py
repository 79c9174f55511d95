"""Deterministic synthetic catalogues for scale work (tags, search, related at 10k/50k).

Recombines the real titles and abstracts into distinct papers: a title is the
head of one real title joined to the tail of another, an abstract is sentences
drawn from three real abstracts. Output is dumps in both real layouts (daily
with a date, trending with the glued ``Subscribe``), ~250 papers each, with
about 10% of papers listed again in a later dump, like the real data.

    python benchmarks/synthetic.py 50000 /tmp/synth50k   # writes /tmp/synth50k/listings/*.txt

Same N and seed, same bytes: benchmarks compare like with like.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.ingest.listings import listing_files, parse_all  # noqa: E402
from generator.text.fold import match_key as normalise  # noqa: E402

PER_DUMP = 250
RELIST = 0.10
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def real_entries() -> list[tuple[str, str]]:
    results = parse_all(listing_files(ROOT / "data" / "listings", ROOT)[0])
    seen: dict[str, tuple[str, str]] = {}
    for r in results:
        for e in r.listing.entries:
            seen.setdefault(normalise(e.title), (e.title, e.abstract))
    return list(seen.values())


def synthetic_papers(n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    real = real_entries()
    titles = [t for t, _ in real]
    sentences = [_SENTENCES.split(a) for _, a in real]
    papers: list[tuple[str, str]] = []
    keys: set[str] = set()
    while len(papers) < n:
        a, b = rng.sample(titles, 2)
        wa, wb = a.split(), b.split()
        title = " ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :])
        if normalise(title) in keys:
            continue
        keys.add(normalise(title))
        parts = [s for src in rng.sample(sentences, 3) for s in rng.sample(src, min(3, len(src)))]
        papers.append((title, " ".join(parts)))
    return papers


def dump_text(entries: list[tuple[str, str]], index: int) -> str:
    if index % 2:  # daily layout
        date = f"{MONTHS[index % 12]} {index % 28 + 1}"
        head = [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "byAK and the research community",
            date,
        ]
        return "\n\n".join(head + [x for e in entries for x in e]) + "\n"
    lines = [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
    ]
    body = [x for e in entries for x in e]
    body[0] = "Subscribe" + body[0]
    return "\n".join(lines + body) + "\n"


def write_catalogue(n: int, out: Path, seed: int = 0) -> Path:
    """Write ``out/listings/*.txt`` for ``n`` distinct papers; returns ``out``."""
    rng = random.Random(seed + 1)
    papers = synthetic_papers(n, seed)
    dumps = [papers[i : i + PER_DUMP] for i in range(0, n, PER_DUMP)]
    for i in range(1, len(dumps)):  # re-list some earlier papers, as real dumps do
        dumps[i] = dumps[i] + rng.sample(papers[: i * PER_DUMP], int(len(dumps[i]) * RELIST))
    listings = out / "listings"
    listings.mkdir(parents=True, exist_ok=True)
    for i, entries in enumerate(dumps):
        (listings / f"{i:05d}_synthetic.txt").write_text(dump_text(entries, i), encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_catalogue(args.n, args.out, args.seed)
    print(f"wrote {args.n} papers to {args.out / 'listings'}")
