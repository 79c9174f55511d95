"""How long after a save does a curator see the change in `make serve`?

Runs the Makefile's `mkdocs serve` command on a copy of the real data, opens a page in
headless Chromium, then edits one kind of input at a time and measures, from the
moment the file is in place, until the open page shows the change (the way the
live-reload test waits: a condition on the page, never a sleep). Goal: <= 3 s.

    .venv/bin/python benchmarks/serve_latency.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from conftest import CHROMIUM_ARGS, FIXTURES, chromium_path, mkdocs_serve  # noqa: E402
from test_livereload import ARTICLE_SAYS, serve_command  # noqa: E402

from generator.model import readable_tag  # noqa: E402

OLMO = "papers/2-olmo-2-furious/"


def put(path: Path, text: str, staging: Path) -> float:
    """Write ``text`` to ``path`` in one step (a rename); returns when it landed."""
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
    return time.perf_counter()


def measure(page, base: str, url: str, edit, expected: str) -> float:
    page.goto(base + url)
    start = edit()
    page.wait_for_function(ARTICLE_SAYS, arg=expected, timeout=120_000)
    return time.perf_counter() - start


def last_build(log: Path) -> float:
    """The seconds MkDocs reports for its last build: the rest of a latency is noticing
    the save (MkDocs polls every 0.5 s), reloading config, and the browser's reload."""
    times = re.findall(r"Documentation built in ([0-9.]+) seconds", log.read_text("utf-8"))
    return float(times[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("curation"))
        templates = tmp / "templates"
        shutil.copytree(ROOT / "generator" / "render" / "templates", templates)
        os.environ["PAPER_CATALOGUE_TEMPLATES"] = str(templates)
        os.environ["PAPER_CATALOGUE_CACHE"] = str(tmp / "cache")
        staging = tmp / "staging"
        curation = data / "curation" / "papers"
        curation.mkdir(parents=True)
        results: dict[str, list[float]] = {}
        builds: dict[str, list[float]] = {}
        with (
            sync_playwright() as pw,
            mkdocs_serve(data, serve_command(), log := tmp / "serve.log") as base,
        ):
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            taxonomy = data / "taxonomy.yaml"
            template = templates / "paper.md.j2"

            def rename(path: Path, old: str, new: str) -> float:
                return put(path, path.read_text("utf-8").replace(old, new), staging)

            for i in range(args.repeat):
                was = "" if i == 0 else f"-{i - 1}"
                cases = {
                    "listing dropped": (
                        "",
                        lambda i=i: put(
                            data / "listings" / f"9{i}_new.txt",
                            (FIXTURES / "daily.txt")
                            .read_text("utf-8")
                            .replace("FLoRA", f"FLoRA{i}"),
                            staging,
                        ),
                        # the dump's 3 papers are new the first time; later copies add
                        # their 2 renamed FLoRAs (the third is the first copy's again)
                        f"{723 + 2 * i} papers",
                    ),
                    "curation file": (
                        OLMO,
                        lambda i=i: put(
                            curation / "2-olmo-2-furious.yaml",
                            f'title: "OLMo 2, take {i}"\n',
                            staging,
                        ),
                        f"OLMo 2, take {i}",
                    ),
                    "taxonomy rule": (
                        OLMO,
                        lambda i=i, was=was: rename(
                            taxonomy,
                            f"  - name: pretraining{was}\n",
                            f"  - name: pretraining-{i}\n",
                        ),
                        # a paper page names its tags as words (pretraining-0: "Pretraining 0")
                        readable_tag(f"pretraining-{i}"),
                    ),
                    "template": (
                        OLMO,
                        lambda i=i, was=was: rename(template, f"## Cite{was}\n", f"## Cite-{i}\n"),
                        f"Cite-{i}",
                    ),
                }
                for name, (url, edit, expected) in cases.items():
                    seconds = measure(page, base, url, edit, expected)
                    results.setdefault(name, []).append(seconds)
                    builds.setdefault(name, []).append(last_build(log))
                    print(f"  {name}: {seconds:.2f} s (build {builds[name][-1]:.2f} s)", flush=True)
            browser.close()
        print("papers: 720 (+3, then +2 per listing dropped)  repeats:", args.repeat)
        for name, values in results.items():
            print(
                f"{name:16s} median {statistics.median(values):.2f} s  max {max(values):.2f} s"
                f"  (build: median {statistics.median(builds[name]):.2f} s)"
            )


if __name__ == "__main__":
    main()
