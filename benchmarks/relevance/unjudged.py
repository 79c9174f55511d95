"""Write the tags and related links a built catalogue shows that no judge has seen (issue 28).

    python benchmarks/relevance/unjudged.py site/catalogue.json test OUT.json

A change to the rules or the model shows new (paper, tag) and (paper, related paper)
pairs; a figure may be claimed only once every shown pair is judged. The output holds
only those pairs — with the titles and abstracts a judge needs and the tag descriptions —
so a blind judge sees neither the rules nor the earlier verdicts. Their answers go to
`labels/<part>-<name>.json` in the shape of the other label files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from score import labels

ROOT = Path(__file__).resolve().parents[2]


def unjudged(catalogue: dict[str, dict], judged: dict[str, dict]) -> list[dict]:
    descriptions = {
        tag["name"]: tag["description"]
        for tag in yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text())["tags"]
    }
    out = []
    for pid, label in sorted(judged.items()):
        paper = catalogue[pid]
        # A tag a judge listed as clearly missing was judged (score.py counts it right).
        seen = set(label["tags"]) | set(label["missing"])
        tags = [t for t in paper["tags"] if t not in seen]
        related = [r["id"] for r in paper["related"] if r["id"] not in label["related"]]
        if not tags and not related:
            continue
        out.append(
            {
                "id": pid,
                "title": paper["title"],
                "abstract": paper["abstract"],
                "tags": [{"tag": t, "description": descriptions.get(t, "")} for t in tags],
                "related": [
                    {
                        "id": rid,
                        "title": catalogue[rid]["title"],
                        "abstract": catalogue[rid]["abstract"],
                    }
                    for rid in related
                ],
            }
        )
    return out


def main(catalogue_path: str, part: str, out_path: str) -> None:
    papers = json.loads(Path(catalogue_path).read_text())["papers"]
    catalogue = {p["id"]: p for p in papers}
    pairs = unjudged(catalogue, labels(part))
    Path(out_path).write_text(json.dumps({"papers": pairs}, ensure_ascii=False, indent=1) + "\n")
    tags = sum(len(p["tags"]) for p in pairs)
    links = sum(len(p["related"]) for p in pairs)
    print(f"{len(pairs)} papers with {tags} unjudged tags and {links} unjudged links -> {out_path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
