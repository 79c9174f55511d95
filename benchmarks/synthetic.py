"""Deterministic synthetic catalogues for scale work (tags, search, related at 10k/50k).

Recombines the real titles and abstracts into distinct papers: a title is the
head of one real title joined to the tail of another, an abstract is sentences
drawn from three real abstracts. Output is dumps in both real layouts (daily
with a date, trending with the glued ``Subscribe``), ~250 papers each, with
about 10% of papers listed again in a later dump, like the real data.

By default the catalogue is what one fed by ``python -m generator enrich`` looks like:
most papers also have ``arxiv/<paper-id>.yaml``, written by enrich's own writer, with
an arXiv id, a version, authors (a heavy-tailed count per paper, names of real
lengths), first-submission and update dates spread over several years (a later dump
holds later papers, as real dumps do), and a primary category. ``--bare`` writes the
dumps alone, as before the metadata existed.

    python benchmarks/synthetic.py 50000 /tmp/synth50k   # listings/*.txt, arxiv/*.yaml
    python benchmarks/synthetic.py 50250 /tmp/s --held-out 250   # the last 250 apart

Same N and seed, same bytes: benchmarks compare like with like.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.curate.arxiv_meta import FOUND_DIR  # noqa: E402
from generator.enrich.arxiv_client import Record  # noqa: E402
from generator.enrich.run import found_text  # noqa: E402
from generator.ingest.dedup import deduplicate  # noqa: E402
from generator.ingest.listings import listing_files, parse_all  # noqa: E402
from generator.text.fold import match_key as normalise  # noqa: E402

PER_DUMP = 250
RELIST = 0.10
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LISTINGS = "listings"
HELD_OUT = "held-out"  # the last papers' dump and metadata, to be copied in as an addition

# What enrich finds: most papers are on arXiv and matched; the rest have no file (not on
# arXiv, or left for a human: ambiguous, withdrawn, missing).
ON_ARXIV = 0.93
# Authors per paper: log-normal around a median of 6 (sigma gives ~1 paper in 800 with
# more than 50 authors, and a few large-collaboration papers with hundreds).
AUTHORS_MEDIAN = 6
AUTHORS_SIGMA = 0.75
AUTHORS_MAX = 400
FIRST = datetime.date(2019, 1, 1)  # the span the dumps' papers were first submitted in
LAST = datetime.date(2026, 11, 30)
OLDER = 0.05  # a paper listed long after it appeared (an older paper trending again)
CHECKED = "2026-12-01"  # when "enrich" found them all
# Primary categories of ML-listing papers, weighted roughly as they occur.
CATEGORIES = (
    ("cs.LG", 26), ("cs.CL", 22), ("cs.CV", 22), ("cs.AI", 8), ("cs.RO", 4), ("stat.ML", 3),
    ("cs.IR", 2), ("cs.SD", 1), ("eess.AS", 1), ("eess.IV", 1), ("cs.CR", 1), ("cs.SE", 1),
    ("cs.HC", 1), ("cs.NE", 1), ("q-bio.QM", 1), ("physics.comp-ph", 1), ("math.OC", 1),
)  # fmt: skip
# Name parts from many languages, with their real spread of lengths (Li, Wu ... Ramakrishnan,
# Oyelaran-Oyeyinka), accents included: names are curator-visible text like any other.
GIVEN = (
    "Wei Yu Jie Xin Li Hao Yang Jun Ming Tao Lei Chen Yi Bo Hui Jing Yan Qing Zhiyuan Xiaolong "
    "Haoran Zihan Yuxuan Jiaqi Mingyu Sanjay Priya Arjun Ananya Rohit Vikram Aditi Karthik "
    "Lakshmi Siddharth Hyun Ji-ho Min-jun Seo-yeon Takashi Yuki Haruto Sakura Kenji Ahmed Fatima "
    "Omar Layla Mohammed Yusuf Zeynep Mehmet John Michael David Sarah Emily James Robert Anna "
    "Maria Laura Thomas Daniel Christopher Elizabeth Alexander Jean-Baptiste François Élodie "
    "Jürgen Sören Łukasz Małgorzata Tomáš Ivan Olga Dmitry Ekaterina Sergey Pablo José Lucía "
    "Joaquín Giulia Matteo Chiara Alessandro Nils Ingrid Kwame Chidinma Oluwaseun Adebayo Thanh "
    "Nguyen Minh Siobhán Tadhg Bartholomew Maximilian Konstantinos Eleftheria"
).split()
FAMILY = tuple(
    name.replace("_", " ")  # one family name of several words
    for name in (
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Kim "
        "Lee Park Choi Jung Tanaka Suzuki Watanabe Yamamoto Nakamura Kobayashi Sato Singh Kumar "
        "Sharma Gupta Patel Reddy Iyer Ramakrishnan Venkatasubramanian Chattopadhyay "
        "Subramanian Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Martinez "
        "Hernández López González Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker "
        "Dubois Lefèvre Moreau Rossi Russo Bianchi Romano Colombo Ivanov Smirnov Kuznetsov "
        "Popov Novak Kowalski Wiśniewski Nowak Svensson Johansson Andersen Nielsen Yılmaz Kaya "
        "Demir Hassan Ali Ahmed Abdullah Okafor Adeyemi Mensah Nguyen Tran Pham Le O'Brien "
        "McAllister Papadopoulos Oyelaran-Oyeyinka Schmidt-Hieber van_der_Berg de_la_Cruz "
        "Vasquez-Torres"
    ).split()
)


@dataclass(frozen=True)
class Meta:
    """What enrich would find for one paper."""

    arxiv: str
    version: int
    authors: tuple[str, ...]
    published: datetime.date
    updated: datetime.date
    category: str


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
    # Upvotes and code links: the dumps here are the layouts ingest/listings.py reads,
    # which carry neither. Once a structured listing layout that carries them exists,
    # this is where a share of the entries get them (written in that layout).
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


def author_count(rng: random.Random) -> int:
    drawn = math.exp(rng.gauss(math.log(AUTHORS_MEDIAN), AUTHORS_SIGMA))
    return max(1, min(AUTHORS_MAX, round(drawn)))


def author_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN)
    if rng.random() < 0.15:  # a middle initial
        given += f" {rng.choice('ABCDEFGHJKLMNPRSTW')}."
    return f"{given} {rng.choice(FAMILY)}"


def paper_meta(rng: random.Random, published: datetime.date, serials: dict[str, int]) -> Meta:
    """A paper's arXiv record: ids are unique, numbered up within their month."""
    month = published.strftime("%y%m")
    serials[month] = serials.get(month, rng.randint(1, 900)) + rng.randint(1, 40)
    version = rng.choices((1, 2, 3, 4), (55, 30, 10, 5))[0]
    later = 0 if version == 1 else rng.randint(5, 300)
    updated = min(LAST, published + datetime.timedelta(days=later))
    names = [c for c, _ in CATEGORIES]
    return Meta(
        arxiv=f"{month}.{serials[month]:05d}",
        version=version,
        authors=tuple(author_name(rng) for _ in range(author_count(rng))),
        published=published,
        updated=updated,
        category=rng.choices(names, [w for _, w in CATEGORIES])[0],
    )


def published_dates(rng: random.Random, n: int) -> list[datetime.date]:
    """One date per paper, in listing order: a dump's new papers were first submitted
    shortly before it, and a few are older papers listed again."""
    span = (LAST - FIRST).days
    dates = []
    for i in range(n):
        near = FIRST + datetime.timedelta(days=span * i // max(1, n - 1))
        if rng.random() < OLDER:
            near = FIRST + datetime.timedelta(days=rng.randint(0, (near - FIRST).days))
        dates.append(max(FIRST, near - datetime.timedelta(days=rng.randint(0, 20))))
    return dates


def record_text(paper_id: str, title: str, abstract: str, meta: Meta) -> str:
    """The file enrich writes for a matched paper (its own writer, so its own format)."""
    base = f"{meta.arxiv}v{meta.version}"
    record = Record(
        arxiv=meta.arxiv,
        version=meta.version,
        title=title,
        abstract=abstract,
        authors=meta.authors,
        published=meta.published.isoformat(),
        updated=meta.updated.isoformat(),
        category=meta.category,
        abstract_url=f"https://arxiv.org/abs/{base}",
        pdf_url=f"https://arxiv.org/pdf/{base}",
    )
    return found_text(paper_id, record, "title and abstract", CHECKED)


def paper_ids(listings: list[Path], root: Path) -> dict[str, str]:
    """Normalised title -> the id the build gives that paper (dedup's own, so a file is
    named exactly as enrich would name it). Over every dump, held-out ones too: two long
    titles cut to the same id are told apart only when dedup sees both."""
    results = parse_all([p for folder in listings for p in listing_files(folder, root)[0]])
    papers, _ = deduplicate(e for r in results for e in r.listing.entries)
    return {normalise(p.title): p.id for p in papers}


def write_catalogue(
    n: int, out: Path, seed: int = 0, *, bare: bool = False, held_out: int = 0
) -> Path:
    """Write ``out/listings/*.txt`` for ``n`` distinct papers, and unless ``bare`` their
    ``out/arxiv/*.yaml``; returns ``out``. ``held_out``: the last that many papers' dump
    (a multiple of the dump size) and files go to ``out/held-out/`` instead, to be
    copied in later as one more listing (what ``scale.py --added`` times)."""
    if held_out % PER_DUMP or held_out >= n:
        raise ValueError(f"held_out must be a multiple of {PER_DUMP} below n")
    rng = random.Random(seed + 1)
    papers = synthetic_papers(n, seed)
    dumps = [papers[i : i + PER_DUMP] for i in range(0, n, PER_DUMP)]
    for i in range(1, len(dumps)):  # re-list some earlier papers, as real dumps do
        dumps[i] = dumps[i] + rng.sample(papers[: i * PER_DUMP], int(len(dumps[i]) * RELIST))
    kept = len(dumps) - held_out // PER_DUMP
    for i, entries in enumerate(dumps):
        folder = out / (LISTINGS if i < kept else f"{HELD_OUT}/{LISTINGS}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:05d}_synthetic.txt").write_text(dump_text(entries, i), encoding="utf-8")
    if not bare:
        write_metadata(papers, out, seed, n - held_out)
    return out


def write_metadata(papers: list[tuple[str, str]], out: Path, seed: int, kept: int) -> None:
    """``arxiv/<paper-id>.yaml`` for the papers enrich would match (the held-out ones'
    under ``held-out/arxiv/``)."""
    rng = random.Random(seed + 2)
    listings = [out / LISTINGS] + ([out / HELD_OUT / LISTINGS] if kept < len(papers) else [])
    ids = paper_ids(listings, out)
    serials: dict[str, int] = {}
    folders = {False: out / FOUND_DIR, True: out / HELD_OUT / FOUND_DIR}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for i, ((title, abstract), published) in enumerate(
        zip(papers, published_dates(rng, len(papers)), strict=True)
    ):
        meta = paper_meta(rng, published, serials)
        if rng.random() >= ON_ARXIV:
            continue
        pid = ids[normalise(title)]
        text = record_text(pid, title, abstract, meta)
        (folders[i >= kept] / f"{pid}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bare", action="store_true", help="listing dumps only, no metadata")
    parser.add_argument(
        "--held-out",
        type=int,
        default=0,
        help=f"write the last papers (a multiple of {PER_DUMP}) under OUT/{HELD_OUT}/",
    )
    args = parser.parse_args()
    write_catalogue(args.n, args.out, args.seed, bare=args.bare, held_out=args.held_out)
    print(f"wrote {args.n} papers to {args.out}")
