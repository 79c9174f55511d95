"""Draw the out-of-sample relevance evaluation (issue 28) from a built catalogue.

    python benchmarks/relevance/draw_sample.py site/catalogue.json            # round 1
    python benchmarks/relevance/draw_sample.py site/catalogue.json --round 2  # round 2
    python benchmarks/relevance/draw_sample.py site/catalogue.json --round 3  # round 3
    python benchmarks/relevance/draw_sample.py site/catalogue.json --round 4  # round 4
    python benchmarks/relevance/draw_sample.py site/catalogue.json --round 5  # round 5

Round 2 was drawn because round 1's test part had been scored twice (once per round of
work) and its papers had become known: it leaves out round 1's papers as well, uses its
own seed, and writes ``sample-test2.json`` / ``sample-tuning2.json``. Round 3 was drawn
because round 2's test part had been scored once: it leaves out rounds 1 and 2 and draws
a test part only (``sample-test3.json``), since the four earlier parts are all tuning
material now. Round 4 was drawn for the same reason after round 3's test part was scored:
it leaves out rounds 1-3 and again draws a test part only (``sample-test4.json``).
Round 5 was drawn after round 4's test part was scored: it leaves out rounds 1-4 and takes
every paper left (``sample-test5.json``) — the last fresh papers the 720 hold.

Papers judged in earlier, tuned-against samples (tag_gold.yaml, related_judged.yaml,
related_pairs.yaml) are left out; of the rest, ``random.Random(SEED).sample`` over the ids
in sorted order picks TEST + TUNING papers. The first TEST are the test part (judged
once, scored only at the end), the rest the tuning part (looked at while working). Each
item holds what a judge reads: the paper, the tags it was given (with the taxonomy's
descriptions) and the related papers shown on its page, in rank order. The judge also
gets the whole vocabulary, to name tags that are clearly missing.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEED = 20261207
TEST, TUNING = 70, 40
# Round 2: drawn from main at 763cd23 before any of that round's changes.
SEED2 = 20261208
TEST2, TUNING2 = 90, 40
# Round 3: drawn from main at 0fb3dea before any of that round's changes.
SEED3 = 20261209
TEST3, TUNING3 = 100, 0
# Round 4: drawn from main at 15bad2d before any of that round's changes.
SEED4 = 20261210
TEST4, TUNING4 = 100, 0
# Round 5: drawn from main at 1846f9c before any of that round's changes; the pool is what
# is left, so the whole pool is drawn (in the seeded order).
SEED5 = 20261211


def tuned_ids() -> set[str]:
    ids = set(yaml.safe_load((ROOT / "benchmarks/tag_gold.yaml").read_text()) or {})
    for name in ("related_judged.yaml", "related_pairs.yaml"):
        doc = yaml.safe_load((ROOT / "benchmarks" / name).read_text()) or {}
        for rows in doc.values():
            for row in rows or []:
                ids.update(x for x in row if isinstance(x, str))
    return ids


def earlier_round_ids(*suffixes: str) -> set[str]:
    ids: set[str] = set()
    for part in (f"{kind}{suffix}" for suffix in suffixes for kind in ("test", "tuning")):
        path = HERE / f"sample-{part}.json"
        if not path.exists():  # rounds 3 and 4 drew no tuning part
            continue
        doc = json.loads(path.read_text())
        ids.update(p["id"] for p in doc["papers"])
    return ids


def main(catalogue_path: str, round_: int = 1) -> None:
    papers = {p["id"]: p for p in json.loads(Path(catalogue_path).read_text())["papers"]}
    taxonomy = yaml.safe_load((ROOT / "data/taxonomy.yaml").read_text())
    described = {t["name"]: t["description"] for t in taxonomy["tags"]}
    if round_ == 1:
        seed, test, tuning, suffix = SEED, TEST, TUNING, ""
        pool = sorted(set(papers) - tuned_ids())
    elif round_ == 2:
        seed, test, tuning, suffix = SEED2, TEST2, TUNING2, "2"
        pool = sorted(set(papers) - tuned_ids() - earlier_round_ids(""))
    elif round_ == 3:
        seed, test, tuning, suffix = SEED3, TEST3, TUNING3, "3"
        pool = sorted(set(papers) - tuned_ids() - earlier_round_ids("", "2"))
    elif round_ == 4:
        seed, test, tuning, suffix = SEED4, TEST4, TUNING4, "4"
        pool = sorted(set(papers) - tuned_ids() - earlier_round_ids("", "2", "3"))
    else:
        pool = sorted(set(papers) - tuned_ids() - earlier_round_ids("", "2", "3", "4"))
        seed, test, tuning, suffix = SEED5, len(pool), 0, "5"
    drawn = random.Random(seed).sample(pool, test + tuning)

    def item(pid: str) -> dict:
        p = papers[pid]
        return {
            "id": pid,
            "title": p["title"],
            "abstract": p["abstract"],
            "tags": [{"name": t, "description": described.get(t, "")} for t in p["tags"]],
            "related": [
                {
                    "rank": i + 1,
                    "id": r["id"],
                    "title": papers[r["id"]]["title"],
                    "abstract": papers[r["id"]]["abstract"],
                }
                for i, r in enumerate(p["related"])
            ],
        }

    for part, ids in (("test", drawn[:test]), ("tuning", drawn[test:])):
        if not ids:
            continue
        out = {
            "drawn": f"random.Random({seed}).sample of {len(pool)} papers not in earlier samples",
            "part": part,
            "vocabulary": [{"name": n, "description": d} for n, d in described.items()],
            "papers": [item(pid) for pid in ids],
        }
        path = HERE / f"sample-{part}{suffix}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        print(f"{path.relative_to(ROOT)}: {len(ids)} papers")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[3]) if sys.argv[2:3] == ["--round"] else 1)
