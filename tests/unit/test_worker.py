"""The second process: reused while it is wanted, and never outliving its parent."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from conftest import ROOT, make_data_dir

from generator.analyse.related import model as related
from generator.analyse.related import remote
from generator.export import site_data as exports
from generator.export.site_data import ExportJob
from generator.infra.cache import Cache
from generator.infra.worker import InProcess, Worker
from generator.pipeline import build_catalogue
from generator.render.paths import directory_url


def test_a_worker_that_died_is_replaced_on_the_next_task():
    worker = Worker()
    try:
        first = worker.submit(os.getpid).result()
        os.kill(first, signal.SIGKILL)
        # The pool learns of the death on a thread of its own: a task sent meanwhile fails.
        with contextlib.suppress(BrokenProcessPool):
            worker.submit(os.getpid).result(timeout=120)
        assert worker.submit(os.getpid).result(timeout=120) not in (first, os.getpid())
    finally:
        worker.stop()


def test_a_worker_is_reused_until_stopped():
    worker = Worker(warm=("generator.export.search",))
    try:
        first = worker.submit(os.getpid).result()
        assert worker.submit(os.getpid).result() == first != os.getpid()
        worker.stop()
        assert worker.submit(os.getpid).result() not in (first, os.getpid())
    finally:
        worker.stop()


ORPHAN = """
import os, signal
from generator.export import site_data as exports
from generator.infra.cache import Cache
from generator.export.site_data import ExportJob
from generator.render.paths import directory_url
from generator.pipeline import build_catalogue
from generator.infra.worker import Worker
worker = Worker()
print(worker.submit(os.getpid).result(), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no clean-up runs: as a killed `mkdocs serve`
"""


def test_a_worker_exits_when_its_parent_is_killed(tmp_path):
    # stderr to a file: the killed parent's resource tracker warns about its semaphores
    errors = tmp_path / "stderr"
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-c", ORPHAN],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as parent,
    ):
        line = parent.stdout.readline()  # not read to the end: an orphan would hold it open
        assert parent.wait(timeout=120) == -9, errors.read_text()
        parent.stdout.close()
    pid = int(line)
    try:
        gone = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    try:
        # readable once the process has exited; the bound only stops a hung test
        readable, _, _ = select.select([gone], [], [], 60)
        if not readable:
            os.kill(pid, 9)
        assert readable, f"worker {pid} outlived its killed parent"
    finally:
        os.close(gone)


def test_a_worker_given_no_task_is_stopped_without_waiting_for_its_warm_up(tmp_path, monkeypatch):
    """A build that finds everything in its cache sends the worker nothing: stopping it
    must not wait for the imports it warms up with (matplotlib: 0.25 s of such a build).
    The warm-up here blocks reading a named pipe nobody writes; stop() must return
    regardless."""
    pipe = tmp_path / "release"
    os.mkfifo(pipe)
    (tmp_path / "pc_blocking_warm_up.py").write_text(f"open({str(pipe)!r}).read()\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # the spawned worker gets this sys.path
    worker = Worker(warm=("pc_blocking_warm_up",))
    worker.start()
    stopping = threading.Thread(target=worker.stop, daemon=True)
    stopping.start()
    stopping.join(120)  # the bound only ends a hung test: stop() returns at once
    # Let a worker that was not ended finish its warm-up, so no test run is left hanging
    # (with no reader left, opening the pipe fails at once instead).
    with contextlib.suppress(OSError):
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert not stopping.is_alive(), "stop() waited for the warm-up of an unused worker"


def _blocks_forever() -> None:
    """A task that holds the worker until the test kills it."""
    threading.Event().wait()


def test_the_data_files_are_made_in_process_when_the_worker_dies(tmp_path, monkeypatch, caplog):
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    catalogue = build_catalogue(data, Cache(None))
    worker = Worker()
    monkeypatch.setattr(exports, "WORKER", worker)
    try:
        pid = worker.submit(os.getpid).result()
        worker.submit(_blocks_forever)
        site = tmp_path / "site"
        job = ExportJob(
            site,
            catalogue,
            directory_url,
            Cache(None),
            site_url=None,
            build_date="2026-11-25",
            key="settings",
            again=lambda: catalogue,
        )
        os.kill(pid, signal.SIGKILL)  # the job waits behind the blocked task: it never ran
        written = job.written()
    finally:
        worker.stop()
    assert "the data files' worker failed" in caplog.text
    expected = exports.export_files(catalogue, directory_url, None, None, "2026-11-25", "x")
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(expected)
    assert (site / exports.CATALOGUE_FILE).read_bytes() == expected[exports.CATALOGUE_FILE]


def test_related_papers_made_in_the_worker_are_the_ones_made_here():
    """The worker fits the related model while this process curates and tags: the
    catalogue (every paper's related list, its scores and whys) is the one made here."""
    worker = Worker(warm=("generator.analyse.related.links",))
    try:
        via_worker = build_catalogue(ROOT / "data", Cache(None), worker)
        assert worker.used  # it was given the related papers, not just started
    finally:
        worker.stop()
    here = build_catalogue(ROOT / "data", Cache(None))
    assert sum(len(p.related) for p in here.papers) > 1500  # shown only with evidence
    assert via_worker == here


class _DeadWorker:
    """A worker killed before any task of this build ran."""

    def submit(self, task, *args):
        future = Future()
        future.set_exception(BrokenProcessPool("killed"))
        return future


class _NewWorkerEachTask(InProcess):
    """A worker replaced between the model's fit and the lists: the new one has not
    fitted it (and caching is off)."""

    def submit(self, task, *args):
        remote.FITTED.clear()
        related._MODELS.clear()
        return super().submit(task, *args)


def test_related_papers_are_made_here_when_the_worker_cannot():
    here = build_catalogue(ROOT / "data", Cache(None))
    assert sum(len(p.related) for p in here.papers) > 1500  # shown only with evidence
    assert build_catalogue(ROOT / "data", Cache(None), _DeadWorker()) == here
    assert build_catalogue(ROOT / "data", Cache(None), _NewWorkerEachTask()) == here


class _NoEarlyStart(InProcess):
    """A worker that never starts the lists before curation: all of them are made from
    the curated texts, as before the early start."""

    def submit(self, task, *args):
        if task is remote.start_lists:
            skipped: Future = Future()
            skipped.set_result(None)
            return skipped
        return super().submit(task, *args)


class _DiesAfterTheEarlyStart(InProcess):
    """A worker that started the lists and then died (every later task fails)."""

    def __init__(self) -> None:
        self.started = False

    def submit(self, task, *args):
        if self.started:
            return _DeadWorker().submit(task)
        self.started = task is remote.start_lists
        return super().submit(task, *args)


def test_lists_started_before_curation_are_the_lists_of_the_curated_papers(tmp_path):
    """The worker starts the related lists from the deduplicated texts; a curator's
    title and tag edit, a hidden paper and a merged one (the "good" curation fixtures)
    bring them up to date: every list, score and reason is the one made from the
    curated papers alone — with the worker dying after the early start, too."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("curation"))
    shutil.copytree(ROOT / "tests" / "fixtures" / "curation" / "good", data / "curation" / "papers")
    curated = build_catalogue(data, Cache(None), _NoEarlyStart())
    assert curated.hidden and curated.redirects  # the edits are there to bring up to date
    assert build_catalogue(data, Cache(None)) == curated
    assert build_catalogue(data, Cache(None), _DiesAfterTheEarlyStart()) == curated


FORKED = """
import sys, threading
from generator.infra.worker import Worker

def forked(with_thread):
    done = threading.Event()
    if with_thread:
        threading.Thread(target=done.wait).start()
    worker = Worker()
    try:
        worker.start(fork=True)
        return worker.submit(_has_marker).result(timeout=120)
    finally:
        done.set()
        worker.stop()

def _has_marker():
    return "pc_marker" in sys.modules

if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    import pc_marker  # by the parent only: a fork has it, a new interpreter does not
    print(forked(False), forked(True))
"""


def test_a_worker_is_forked_only_where_that_is_safe(tmp_path):
    """Asked to fork, a single-threaded process on Linux forks (the copy has the
    parent's modules, and imports nothing again); with another thread running it spawns
    a new interpreter instead (a lock held by that thread would stay locked in a copy)."""
    (tmp_path / "pc_marker.py").write_text("")
    script = tmp_path / "forked.py"
    script.write_text(FORKED)
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    expected = "True False" if sys.platform == "linux" else "False False"
    assert result.stdout.split() == expected.split()
