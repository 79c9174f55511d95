"""Where each of a build's two processes spends its time: one ``mkdocs build``, timed.

Prints a line per event, in both processes (M: the build's own, W: its worker): the
plugin's events, the catalogue's stages, each task the worker runs (start and end) and
each wait of this process for the worker. Each line gives the wall clock since the
start and the process's own CPU time: on a shared machine the wall clock says how busy
the machine was, the CPU time what the work cost (compare those between commits).

    .venv/bin/python benchmarks/build_timeline.py [mkdocs build options]

e.g. a cold build: ``PAPER_CATALOGUE_CACHE=$(mktemp -d) .venv/bin/python
benchmarks/build_timeline.py -q -d /tmp/timeline-site``. Functions are wrapped by name
where they are looked up; a stage renamed since is skipped with a note, not an error.
"""

from __future__ import annotations

import atexit
import functools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START = time.time()
MAIN = os.getpid()


def memory() -> str:
    """The process's resident size now and at its highest so far (MB), from
    ``/proc/self/status`` (Linux; nothing elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return ""
    found = dict(line.split(":", 1) for line in status.splitlines() if line.startswith("Vm"))
    rss, hwm = (int(found[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM"))
    return f"rss {rss:5d} MB  peak {hwm:5d} MB"


def mark(what: str) -> None:
    who = "M" if os.getpid() == MAIN else "W"
    wall, cpu = time.time() - START, time.process_time()
    line = f"{wall:7.3f} s  cpu {cpu:6.3f} s  {memory()}  {who} {what}"
    print(line, file=sys.stderr, flush=True)


TOTALS: dict[str, list[float]] = {}  # label -> [calls, wall, cpu], for per-page work


def totalled(owner, name: str, label: str) -> None:
    """Like :func:`wrapped` for a function called once per page: its calls' wall and CPU
    time summed, printed once at exit (a line per call would be thousands)."""

    def timing(original):
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                total = TOTALS.setdefault(label, [0, 0.0, 0.0])
                total[0] += 1
                total[1] += time.perf_counter() - wall
                total[2] += time.process_time() - cpu

        return timed

    replaced(owner, name, timing)


def replaced(owner, name: str, timing) -> None:
    """``owner.name`` replaced by ``timing(original)``, or a note if it has none (a
    stage renamed since)."""
    original = getattr(owner, name, None)
    if original is None:
        print(f"(no {owner.__name__}.{name} to time)", file=sys.stderr)
        return
    setattr(owner, name, functools.wraps(original)(timing(original)))


def slow_calls(owner, name: str, least: float = 0.2) -> None:
    """A cache's ``get`` or ``put``, marked with its stage when one takes ``least``
    seconds or more (a large entry: the catalogue, the pages, an index)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(self, stage, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, stage, *args, **kwargs)
        finally:
            if (took := time.perf_counter() - start) >= least:
                mark(f"    cache {name} {stage}: {took:.2f} s")

    setattr(owner, name, timed)


def totals() -> None:
    for label, (calls, wall, cpu) in TOTALS.items():
        mark(f"total {label}: {calls} calls, wall {wall:.3f} s, cpu {cpu:.3f} s")


WORKER_TIMED: list[bool] = []


def time_the_lists() -> None:
    """In the worker, before its first task: the related lists' parts (imported here, not
    in the build's process, which never imports NumPy)."""
    if WORKER_TIMED:
        return
    WORKER_TIMED.append(True)
    from generator.analyse.related import links

    for name, label in (
        ("content", "related: content part (fold in, top k by score)"),
        ("up_to_date", "related: content part brought up to date"),
        ("related_lists", "related: each paper's top k (related_lists)"),
    ):
        wrapped(links, name, f"    {label}")
    wrapped(links, "refold", "    related: rows taken from the early fold-in")
    totalled(links, "_judge", "related: each listed pair judged (_judge, this process)")
    from generator.infra import forked

    forked._send = copy_sends  # looked up as each copy is made


def copy_sends(work, items, send) -> None:
    """:func:`generator.infra.forked._send`, marked: a copy's own CPU time and memory (its
    resident size counts the pages it shares with the worker)."""
    mark("  a copy of the worker starts")
    try:
        send.send(work(items))
    finally:
        mark("  a copy of the worker ends")
        send.close()
        os._exit(0)


def in_worker(task, *args):
    """Runs in the worker (a module-level function: it is pickled by name)."""
    time_the_lists()
    mark(f"  start {task.__name__}")
    try:
        return task(*args)
    finally:
        mark(f"  end {task.__name__}")
        totals()  # the worker leaves by os._exit: no atexit runs there
        TOTALS.clear()


def warm_up(parent, modules):
    """The worker's warm-up (module-level, as :func:`in_worker`)."""
    from generator.infra import worker

    mark("worker up")
    worker.STARTED(parent, modules)
    mark("worker's warm-up imports done")


def wrapped(owner, name: str, label: str) -> None:
    def timing(original):
        def timed(*args, **kwargs):
            mark(f"> {label}")
            try:
                return original(*args, **kwargs)
            finally:
                mark(f"< {label}")

        return timed

    replaced(owner, name, timing)


def instrument() -> None:
    from generator.export import site_data
    from generator.infra import worker
    from generator.mkdocs_site import catalogue_files, plugin
    from generator.render import charts

    submit = worker.Worker.submit

    def submitted(self, task, *args):
        mark(f"submit {task.__name__}")
        return submit(self, in_worker, task, *args)

    worker.Worker.submit = submitted
    worker.STARTED = worker._started  # pickled by name: the original keeps its own
    worker._started = warm_up
    for event in ("on_config", "on_files", "on_nav", "on_env", "on_post_build"):
        wrapped(plugin.CataloguePlugin, event, event)
    for name in ("build_catalogue", "render_pages", "hand_over"):
        wrapped(catalogue_files, name, name)
    import generator.pipeline as pipeline

    for name in ("read_dumps", "start_related", "read_curator_files", "read_taxonomy"):
        wrapped(pipeline, name, f"  {name}")
    for name in ("curate", "report_curation", "cross_link", "with_related"):
        wrapped(pipeline, name, f"  {name}")
    wrapped(plugin, "search_index_ahead", "  search index, while the related lists are made")
    wrapped(charts.Charts, "_drawn", "wait for a chart")
    wrapped(site_data.ExportJob, "written", "wait for the data files")
    # the worker's data files, part by part (it is a fork: the wrappers are its too)
    for name in ("catalogue_files", "feed_files", "search_input", "build_index"):
        wrapped(site_data, name, f"    {name}")
    import mkdocs.commands.build as build

    from generator.mkdocs_site import site_folder

    for name in ("_populate_page", "_build_page"):
        totalled(build, name, name)
    totalled(site_folder.PreviousSite, "keep", "PreviousSite.keep")
    from generator.mkdocs_site import kept_pages

    totalled(kept_pages.SiteRecord, "keep", "SiteRecord.keep (pages linked in, not made)")
    from generator.infra.cache import Cache

    for name in ("get", "put"):
        slow_calls(Cache, name)
    atexit.register(mark, "exit")
    atexit.register(totals)


def main() -> None:
    mark("python up")
    instrument()
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), *sys.argv[1:]]
    cli()


if __name__ == "__main__":
    main()
