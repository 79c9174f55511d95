"""Command line for curators: ``python -m generator check | export | stats | keys | diff |
enrich | fetch``.

``check`` is what CI and the build run: it prints every problem as
``file:line: error: what — what to do`` and exits 1 if any is an error, so a
pull request with a broken dump fails with a message a curator can act on,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.infra.cache import tracked_files
from generator.mkdocs_site.source_folders import from_config_file
from generator.model import Problem
from generator.pipeline import build_catalogue
from generator.render.stats import statistics


def _load(args: argparse.Namespace):
    catalogue = build_catalogue(args.data)
    for problem in catalogue.problems:
        print(problem, file=sys.stderr)
    return catalogue


# How many committed cache files ``check`` names before "and N more".
SHOWN_TRACKED = 5


def tracked_cache_problems(data: Path) -> list[Problem]:
    """One error per cache file git tracks (the first few named): a committed cache
    would be read by every clone's build, and CI's."""
    tracked = tracked_files(data)
    hint = "untrack it with `git rm -r --cached .cache` (the folder is git-ignored)"
    message = "git tracks this build-cache file; a cache is this machine's, never committed"
    problems = [Problem(name, 0, message, hint) for name in tracked[:SHOWN_TRACKED]]
    if len(tracked) > SHOWN_TRACKED:
        more = f"and {len(tracked) - SHOWN_TRACKED} more tracked cache files"
        problems.append(Problem(tracked[SHOWN_TRACKED], 0, more, hint))
    return problems


def _site_problems(args: argparse.Namespace) -> list:
    """Symbolic links in the folders the site is built from (docs/, overrides/): the
    build refuses them too, but CI should name them before anything is built."""
    config = Path(args.config or "mkdocs.yml")
    if args.config is None and not config.is_file():
        return []  # run outside a project (a data folder alone): there is no site to check
    problems = from_config_file(config).link_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    return problems


def cmd_check(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    tracked = tracked_cache_problems(Path(args.data))
    for problem in tracked:
        print(problem, file=sys.stderr)
    errors = len(catalogue.errors) + len(tracked) + len(_site_problems(args))
    notices = len(catalogue.problems) - len(catalogue.errors)
    print(
        f"{len(catalogue.papers)} papers from {len(catalogue.listings)} listings: "
        f"{errors} error(s), {notices} notice(s)"
    )
    return 1 if errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a complete docs folder and its config, to read, diff, or build with
    MkDocs' successor (generator/export/docs_folder.py)."""
    from generator.export.docs_folder import CONFIG_FILE, export_docs

    catalogue = _load(args)
    out = Path(args.out)
    try:
        done = export_docs(catalogue, out, Path(args.config or "mkdocs.yml"), args.site_url)
    except FileExistsError as error:
        print(f"export: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {done.pages} pages and {done.data} data files to {out / 'docs'}, "
        f"{done.copied} files copied; build it with: zensical build -f {out / CONFIG_FILE}"
    )
    return 1 if catalogue.errors else 0


def cmd_stats(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    for key, value in statistics(catalogue).items():
        print(f"{key:>10}  {value}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Markdown summary of what HEAD changes in the catalogue against BASE. HEAD left out
    is the working tree (uncommitted edits included: what a curator is about to commit),
    and BASE left out is the last commit."""
    from generator.review.diff import diff_refs

    print(diff_refs(args.base, args.head, Path(args.repo)))
    return 0


def record_keys(data: Path) -> int:
    """Record every citation key that reached its final form (data/citation_keys.yaml);
    the number added, or -1 when the data has errors (keys are not recorded from a
    catalogue that may change when they are fixed)."""
    from generator.analyse.recorded_keys import KEYS_FILE, load_recorded, unrecorded, write_recorded

    catalogue = build_catalogue(data)
    if catalogue.errors:
        return -1
    path = data / KEYS_FILE
    recorded, _ = load_recorded(path, str(path))
    return write_recorded(path, recorded, unrecorded(catalogue, recorded))


def cmd_keys(args: argparse.Namespace) -> int:
    """Record the citation keys that reached their author+year+word form."""
    catalogue = _load(args)
    if catalogue.errors:
        print("keys: fix the errors above first (python -m generator check)", file=sys.stderr)
        return 1
    added = record_keys(Path(args.data))
    print(f"{added} citation key(s) recorded in {Path(args.data) / 'citation_keys.yaml'}")
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    """Look papers up in the arXiv API; write what matches to data/arxiv/ for review."""
    from datetime import UTC, datetime

    from generator.enrich.arxiv_client import Client
    from generator.enrich.run import STOPPED, markdown, run, summary

    catalogue = _load(args)
    if catalogue.errors:
        print("enrich: fix the errors above first (python -m generator check)", file=sys.stderr)
        return 1
    data = Path(args.data)
    cache = Path(args.cache) if args.cache else data.resolve().parent / ".cache" / "arxiv-api"
    client = Client.from_environment(cache)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    today = datetime.now(UTC).date().isoformat()
    try:
        report = run(catalogue, data, client, today, progress, args.limit)
    except KeyboardInterrupt:
        print(
            "\ninterrupted: every paper matched so far is saved in data/arxiv/; "
            "run enrich again to go on from here",
            file=sys.stderr,
        )
        return 130
    line = summary(report)
    if report.stopped:
        line += (
            ". Nothing is lost: what was found is saved in data/arxiv/, answers are cached, "
            "and the site builds from what the repository holds"
        )
    print(f"{line}. {client.sent} requests sent.")
    added = record_keys(data)  # authors found: those papers' keys take their final form
    if added > 0:
        print(f"{added} citation key(s) recorded in {data / 'citation_keys.yaml'}.")
    if args.report:
        Path(args.report).write_text(markdown(report) + "\n", encoding="utf-8")
    return STOPPED if report.stopped else 0


def _day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch Hugging Face Papers days into data/listings/hf-daily-*.yaml, for review."""
    from datetime import UTC, datetime, timedelta

    from generator.fetch import hf_papers
    from generator.fetch.run import (
        STOPPED,
        Refused,
        days,
        markdown,
        newest_fetched,
        run,
        summary,
    )
    from generator.pipeline import LISTINGS_DIR

    data = Path(args.data)
    listings = data / LISTINGS_DIR
    today = datetime.now(UTC).date()
    try:
        if args.date:
            wanted = days(args.date, args.date)
        elif args.since_last:
            last = newest_fetched(listings)
            if last is None:
                raise Refused("no hf-daily listing yet: give --date or --from")
            first = last + timedelta(days=1)
            if first > (args.to or today):
                line = f"nothing to fetch: the newest listing is of {last}"
                print(line)
                if args.report:  # the workflow describes its (empty) run from it
                    Path(args.report).write_text(line + "\n", encoding="utf-8")
                return 0
            wanted = days(first, args.to or today)
        elif args.start:
            wanted = days(args.start, args.to or today)
        else:
            raise Refused("say which days: --date, --from [--to] or --since-last")
    except Refused as error:
        print(f"fetch: {error}", file=sys.stderr)
        return 2
    # Notices are check's to print: a failed fetch says one thing.
    catalogue = build_catalogue(args.data)
    if catalogue.errors:
        for problem in catalogue.errors:
            print(problem, file=sys.stderr)
        print("fetch: fix the errors above first (python -m generator check)", file=sys.stderr)
        return 1
    cache = Path(args.cache) if args.cache else data.resolve().parent / ".cache" / "hf-api"
    client = hf_papers.client(cache)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        report = run(
            wanted, catalogue, listings, client, hf_papers.base_url(), today.isoformat(), progress
        )
    except KeyboardInterrupt:
        print("\ninterrupted: nothing written; answers so far are cached", file=sys.stderr)
        return 130
    if report.stopped:
        print(summary(report), file=sys.stderr)
        return STOPPED
    print(f"{summary(report)}. {client.sent} requests sent.")
    if args.report:
        Path(args.report).write_text(markdown(report) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="paper-catalogue", description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="data", help="the data folder (default: data)")
    parser.add_argument(
        "--config", help="the site's mkdocs.yml, whose folders check reads (default: mkdocs.yml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate the data; exit 1 on errors").set_defaults(func=cmd_check)
    export = sub.add_parser(
        "export", help="write a complete docs folder and config (for MkDocs' successor)"
    )
    export.add_argument("out", help="the folder to write into (new, or an earlier export)")
    export.add_argument(  # also accepted here, after the command
        "--config", default=argparse.SUPPRESS, help="the project's config (default: mkdocs.yml)"
    )
    export.add_argument("--site-url", help="the site's address (default: the config's)")
    export.set_defaults(func=cmd_export)
    sub.add_parser("stats", help="print catalogue counts").set_defaults(func=cmd_stats)
    sub.add_parser(
        "keys", help="record citation keys that reached their final form (citation_keys.yaml)"
    ).set_defaults(func=cmd_keys)
    diff = sub.add_parser("diff", help="what a change does to the catalogue, as Markdown")
    diff.add_argument(
        "base", nargs="?", default="HEAD", help="git ref or folder before (default: HEAD)"
    )
    diff.add_argument(
        "head",
        nargs="?",
        help="git ref or folder after (default: the working tree, uncommitted edits included)",
    )
    diff.add_argument("--repo", default=".", help="the git repository (default: here)")
    diff.set_defaults(func=cmd_diff)
    enrich = sub.add_parser(
        "enrich", help="find authors, dates and links in the arXiv API (writes data/arxiv/)"
    )
    enrich.add_argument("--limit", type=int, help="look up at most this many papers")
    enrich.add_argument("--report", help="also write the summary as Markdown to this file")
    enrich.add_argument(
        "--cache", help="where arXiv's answers are kept (default: .cache/arxiv-api)"
    )
    enrich.set_defaults(func=cmd_enrich)
    fetch = sub.add_parser(
        "fetch", help="fetch listings with their metadata (writes data/listings/hf-daily-*.yaml)"
    )
    fetch.add_argument("source", choices=["hf-daily"], help="what to fetch: Hugging Face days")
    when = fetch.add_mutually_exclusive_group()
    when.add_argument("--date", type=_day, help="one day, YYYY-MM-DD")
    when.add_argument("--from", dest="start", type=_day, help="the first day of a range")
    when.add_argument(
        "--since-last", action="store_true", help="the days after the newest hf-daily listing"
    )
    fetch.add_argument("--to", type=_day, help="the last day of a range (default: today, UTC)")
    fetch.add_argument("--report", help="also write the summary as Markdown to this file")
    fetch.add_argument("--cache", help="where the answers are kept (default: .cache/hf-api)")
    fetch.set_defaults(func=cmd_fetch)
    args = parser.parse_args(argv)
    if args.command != "diff" and not Path(args.data).is_dir():
        parser.error(f"no data folder at {args.data}: run from the repository root or pass --data")
    if args.config is not None and not Path(args.config).is_file():
        parser.error(f"no mkdocs.yml at {args.config}")
    return args.func(args)
