"""How much does the catalogue cost over the cheapest possible Material site?

Times, in one run, ``mkdocs build`` of this site against the *floor*: a bare
Material build of the same number of plain one-paper pages (title + abstract,
out of the nav, no plugin but search). The ratio is the price of our generator,
templates and index pages. Goal: <= 1.3x.

    .venv/bin/python benchmarks/build_vs_floor.py [--repeat 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PAPER_CATALOGUE_DATA": str(args.data.resolve()),
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = write_floor(args.data, tmp / "floor")
        ours, base = [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both alike
            base.append(timed_build(floor, tmp / "floor-site", env))
            ours.append(timed_build(ROOT / "mkdocs.yml", tmp / "our-site", env))
        size = lambda d: sum(p.stat().st_size for p in d.rglob("*") if p.is_file())  # noqa: E731
        o, b = statistics.median(ours), statistics.median(base)
        print(f"papers: {len(build_catalogue(args.data).papers)}  repeats: {args.repeat}")
        print(f"floor (bare Material):  {b:6.2f} s  {size(tmp / 'floor-site') / 1e6:6.1f} MB")
        print(f"catalogue (this site):  {o:6.2f} s  {size(tmp / 'our-site') / 1e6:6.1f} MB")
        print(f"ratio: {o / b:.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    main()
