"""How much does the catalogue cost over the cheapest possible Material site?

Times, interleaved in one run, ``mkdocs build`` of the *floor* (a bare Material build
of the same number of plain one-paper pages: title + abstract, out of the nav, no
plugin but search) and of this site three ways:

* cold: an empty cache (every stage runs; goal <= 2.0x the floor),
* warm: the cache of the previous build, data unchanged (goal <= 1.3x),
* template: warm, but a page template edited since (goal <= 1.3x).

    .venv/bin/python benchmarks/build_vs_floor.py [--repeat 5] [--data DIR] [--work DIR]

``--work``: where the sites are built (default: the system's temporary folder). Every
build creates ~1,500 files and folders, so the file system's speed is part of every
number: on the benchmark machine /tmp created files 30x slower than another folder of
the same disk (800 files: 0.68 s against 0.02 s), which is not where a curator builds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MKDOCS = Path(sys.executable).parent / "mkdocs"

from generator.pipeline import build_catalogue  # noqa: E402

FLOOR_CONFIG = """site_name: Floor
theme:
  name: material
  font: false
plugins:
  - search
not_in_nav: |
  /papers/
nav:
  - Home: index.md
"""


def write_floor(data: Path, out: Path) -> Path:
    docs = out / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "index.md").write_text("# Floor\n")
    for i, paper in enumerate(build_catalogue(data).papers):
        (docs / "papers" / f"{i}.md").write_text(f"# {paper.title}\n\n{paper.abstract}\n")
    (out / "mkdocs.yml").write_text(FLOOR_CONFIG)
    return out / "mkdocs.yml"


def timed_build(config: Path, site: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(site)], check=True, env=env
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--work", type=Path, default=None, help="build the sites under here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        tmp = Path(tmp)
        templates = tmp / "templates"
        shutil.copytree(ROOT / "generator" / "render" / "templates", templates)
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "PAPER_CATALOGUE_DATA": str(args.data.resolve()),
            "PAPER_CATALOGUE_TEMPLATES": str(templates),
        }
        floor = write_floor(args.data, tmp / "floor")
        times: dict[str, list[float]] = {"floor": [], "cold": [], "warm": [], "template": []}
        for i in range(args.repeat):  # interleaved, so drift hits all alike
            cache = tmp / f"cache-{i}"
            ours = {**env, "PAPER_CATALOGUE_CACHE": str(cache)}
            times["floor"].append(timed_build(floor, tmp / "floor-site", env))
            times["cold"].append(timed_build(ROOT / "mkdocs.yml", tmp / "our-site", ours))
            times["warm"].append(timed_build(ROOT / "mkdocs.yml", tmp / "our-site", ours))
            page = templates / "paper.md.j2"
            page.write_text(page.read_text("utf-8") + f"{{# edit {i} #}}\n", "utf-8")
            times["template"].append(timed_build(ROOT / "mkdocs.yml", tmp / "our-site", ours))
        size = lambda d: sum(p.stat().st_size for p in d.rglob("*") if p.is_file())  # noqa: E731
        median = {k: statistics.median(v) for k, v in times.items()}
        print(f"papers: {len(build_catalogue(args.data).papers)}  repeats: {args.repeat}")
        floor_mb = size(tmp / "floor-site") / 1e6
        print(f"floor (bare Material):  {median['floor']:6.2f} s  {floor_mb:6.1f} MB")
        for kind, goal in (("cold", 2.0), ("warm", 1.3), ("template", 1.3)):
            ratio = median[kind] / median["floor"]
            print(f"catalogue, {kind:8s}:    {median[kind]:6.2f} s  {ratio:.2f}x (goal <= {goal}x)")
        print(f"site: {size(tmp / 'our-site') / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
