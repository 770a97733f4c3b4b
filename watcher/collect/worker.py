"""The crawl process: a small fork server that runs each crawl in a fresh child of its own.

Scrapy's reactor cannot restart within a process, so every crawl runs in a process of its own.
Starting a Python process that imports Scrapy, Twisted, SQLAlchemy and pydantic costs ~1–1.5 s
of CPU before the first request: more than the whole work of a re-run whose sources all answer
304. So a process that crawls more than once (`watcher serve`, whose scheduler looks for due
sources every minute; the tests) keeps one *worker*: a process that imports all that once, then
forks a child per crawl. Each child starts with the imports done and a reactor never run,
crawls, reports progress as JSON lines on the worker's stdout, and exits; the worker reports how
it ended (`worker_exit`) and waits for the next request. A one-shot `watcher crawl` pays the
start-up once, as before.

Each crawl still runs in a fresh process, so a crash or a leak in one crawl never reaches the
next. The worker dies with its parent and the child with the worker (PR_SET_PDEATHSIG):
killing `watcher crawl` or `watcher serve` stops the crawl. The worker ignores Ctrl-C, which
reaches the child (Scrapy stops cleanly) from the same terminal.

Protocol, parent to worker (stdin): one request = 8-byte big-endian length + pickle of
`CrawlRequest`. Worker to parent (stdout): the child's events, one JSON object a line, then the
worker's own `{"event": "worker_exit", "pid": …, "status": …, "cpu_s": …}` (the child's). The
parent passes the events on in batches (`GATHER_SECONDS`).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import io
import json
import logging
import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TextIO

from watcher.config import Watch
from watcher.processes import die_with

Event = dict[str, Any]
WORKER_EXIT = "worker_exit"
# The parent is passed the events in batches of at most this long, and records each batch's
# results in one transaction: one transaction per source cost ~0.4 s of CPU for 500 sources,
# a sixth of a whole re-run answered by 304s. A crash loses at most the last batch's results;
# those sources are then crawled again (conditional GET: nothing stored twice).
GATHER_SECONDS = 0.5
_ENTRY = "from watcher.collect.worker import serve; serve()"


@dataclass(frozen=True)
class CrawlRequest:
    watch: Watch  # as loaded by the parent: the child need not parse sources.yml again
    database: str | Path  # the store (a path or a SQLAlchemy URL)
    source_ids: Sequence[str]
    now: datetime  # every item of the run is stamped as fetched at this moment
    log_file: Path | None
    # sources asked for in full: no validators sent (watcher.collect.crawl.fetched_in_full)
    in_full: frozenset[str] = frozenset()


# --- parent side ------------------------------------------------------------------------------


class CrawlWorker:
    """The parent's handle on one worker process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            # the parent's pid on the command line: the worker checks it is still its parent
            # once it asked to die with it, and it tells the worker of each `watcher` apart
            [sys.executable, "-c", _ENTRY, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_worker_env(),
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(
        self,
        request: CrawlRequest,
        on_events: Callable[[list[Event]], None],
        gather: float = GATHER_SECONDS,
    ) -> Event | None:
        """Have the worker crawl; pass on the child's events in batches: those that arrive
        within `gather` seconds of a batch's first. Returns the worker's report of how the
        child ended, None if the worker itself died meanwhile."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        payload = pickle.dumps(request)
        try:
            stdin.write(len(payload).to_bytes(8, "big") + payload)
            stdin.flush()
        except (BrokenPipeError, ValueError):  # the worker died (or was closed) before
            return None
        # The pipe is read with os.read only (never through `stdout`'s buffer), so that poll
        # sees every byte not yet read (poll, not select: a long-lived process may hold more
        # than 1024 files).
        pipe = stdout.fileno()
        readable = select.poll()
        readable.register(pipe, select.POLLIN)
        partial = b""
        batch: list[Event] = []
        due = 0.0  # when the batch is to be passed on
        while True:
            wait = max(due - time.monotonic(), 0.0) * 1000 if batch else None
            if not readable.poll(wait):  # quiet until the batch was due
                on_events(batch)
                batch = []
                continue
            chunk = os.read(pipe, 1 << 16)
            if not chunk:  # the worker died
                if batch:
                    on_events(batch)
                return None
            *lines, partial = (partial + chunk).split(b"\n")
            for raw in lines:
                try:
                    event = json.loads(raw.decode("utf-8"))
                except ValueError:
                    continue
                if event.get("event") == WORKER_EXIT:
                    if batch:
                        on_events(batch)
                    return dict(event)
                if not batch:
                    due = time.monotonic() + gather
                batch.append(event)
            if batch and time.monotonic() >= due:
                on_events(batch)
                batch = []

    def close(self, *, kill: bool = False) -> None:
        """End the worker: at once (`kill`: its child dies with it), or once its stdin closes."""
        if kill and self.alive():
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_idle: list[CrawlWorker] = []
_idle_lock = threading.Lock()


def run_crawl(request: CrawlRequest, on_events: Callable[[list[Event]], None]) -> Event | None:
    """Run one crawl in a worker of this process (an idle one, or a new one if all are busy),
    passing its events on in batches (`CrawlWorker.run`). Returns how the crawl child ended
    (None: the worker died under it)."""
    worker = None
    with _idle_lock:
        while _idle and worker is None:
            candidate = _idle.pop()
            if candidate.alive():
                worker = candidate
            else:
                candidate.close()
    if worker is None:
        worker = CrawlWorker()
    ended: Event | None = None
    try:
        ended = worker.run(request, on_events)
    finally:
        if ended is not None and worker.alive():
            with _idle_lock:
                _idle.append(worker)
        else:  # the worker died, or the parent gave up on this crawl (an exception above)
            worker.close(kill=True)
    return ended


def shutdown_workers() -> None:
    """Close this process' idle workers (also done at exit)."""
    with _idle_lock:
        workers = list(_idle)
        _idle.clear()
    for worker in workers:
        worker.close()


atexit.register(shutdown_workers)


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# --- worker side ------------------------------------------------------------------------------


def serve() -> None:
    """The worker's main loop (its command line: `python -c … PARENT_PID`)."""
    parent = int(sys.argv[1])
    die_with(parent)
    # Ctrl-C in a terminal reaches the whole process group: the crawl child handles it (Scrapy
    # finishes cleanly); the worker must not die first, which would kill the child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    requests = sys.stdin.buffer
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    while True:
        header = requests.read(8)
        if len(header) < 8:  # the parent closed our stdin, or died
            os._exit(0)
        payload = requests.read(int.from_bytes(header, "big"))
        out.flush()
        worker = os.getpid()
        # What the child inherits is frozen: its collections never walk (nor copy, page by page)
        # the worker's hundred thousand objects, and it starts with fresh collection counts (a
        # pending full collection would cost every crawl ~50 ms).
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            _child(payload, out, worker)  # never returns
        _, status, usage = os.wait4(pid, 0)
        report = {
            "event": WORKER_EXIT,
            "pid": pid,
            "status": os.waitstatus_to_exitcode(status),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        }
        out.write(json.dumps(report) + "\n")
        out.flush()


def _preload() -> None:
    """Import, once, what every crawl imports: Scrapy and the components it loads, the spiders
    and their parsers, the store (with SQLAlchemy's SQLite dialect). Never the reactor: each
    child installs the one Scrapy asks for (asyncio)."""
    # First, from a shallow stack: importing it creates deprecated aliases whose
    # `inspect.stack()` reads every frame's source.
    import scrapy.core.downloader.handlers.http11
    import scrapy.crawler  # noqa: F401
    from scrapy.settings import default_settings

    import spiders.watch  # noqa: F401
    import watcher.collect.extract
    import watcher.collect.feeds
    import watcher.collect.pipeline  # noqa: F401
    from watcher.collect.settings import UNUSED_COMPONENTS
    from watcher.store import Store

    components = {
        **default_settings.DOWNLOADER_MIDDLEWARES_BASE,
        **default_settings.SPIDER_MIDDLEWARES_BASE,
        **default_settings.EXTENSIONS_BASE,
    }
    others = ("SCHEDULER", "DUPEFILTER_CLASS", "STATS_CLASS", "LOG_FORMATTER", "ROBOTSTXT_PARSER")
    paths = [p for p in components if p not in UNUSED_COMPONENTS]
    paths += [getattr(default_settings, name) for name in others]
    for path in paths:
        importlib.import_module(path.rsplit(".", 1)[0])
    Store("sqlite://").close()  # an empty store in memory: its modules and the SQLite dialect
    assert "twisted.internet.reactor" not in sys.modules, "a preloaded module chose a reactor"
    gc.collect()  # the import garbage, once, before everything is frozen for the children


def _child(payload: bytes, out: TextIO, worker: int) -> None:
    """A crawl child, just forked from the worker: run the crawl, then exit, whatever happens."""
    code = 1
    try:
        die_with(worker)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        request = pickle.loads(payload)
        _crawl(request, out)
        code = 0
    except BaseException:  # reported on stderr; the exit status says the crawl failed
        traceback.print_exc()
    finally:
        # The interpreter's own teardown (freeing the objects of Scrapy, Twisted and SQLAlchemy
        # one by one, ~0.5 s) is skipped: everything is written and closed by now.
        for stream in (out, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        logging.shutdown()
        os._exit(code)


FRONTIER_KINDS = ("page", "sitemap")  # the kinds of source whose links wait in a frontier


def _crawl(request: CrawlRequest, out: TextIO) -> None:
    from scrapy.crawler import CrawlerProcess
    from twisted.python.failure import Failure

    from spiders.watch import WatchSpider
    from watcher.collect.settings import scrapy_settings
    from watcher.store import Store

    # The store is made ready (an unusable location fails the crawl here), and the crawl starts
    # from the frontier of its page and sitemap sources; the item pipeline and the middlewares
    # open the store themselves, from the settings.
    # (feeds and watched pages have no frontier: a run of them only asks nothing)
    kinds = {s.id: s.kind for s in request.watch.sources}
    store = Store(request.database)
    try:
        frontier = store.frontiers(
            sid for sid in request.source_ids if kinds[sid] in FRONTIER_KINDS
        )
    finally:
        store.close()
    events = _EventWriter(out)
    settings = scrapy_settings(
        request.watch, request.log_file, database=request.database, now=request.now
    )
    settings["LOG_INSTALL_ROOT_HANDLER"] = request.log_file is not None
    process = CrawlerProcess(settings)
    failed: list[Failure] = []
    crawl = process.crawl(
        WatchSpider,
        watch=request.watch,
        source_ids=list(request.source_ids),
        frontier=frontier,
        in_full=request.in_full,
        on_event=events.emit,
    )
    crawl.addErrback(failed.append)  # e.g. the pipeline could not open the store
    try:
        process.start()
    finally:
        events.close()
    if failed:
        failed[0].raiseException()


class _EventWriter:
    """Progress events to the parent, one JSON line each, written by a thread of their own: a
    parent slow to read (it records the results in the store as they come) must never
    stall the crawl's reactor on a full pipe. Lines waiting together go in one write."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._write, name="events", daemon=True)
        self.thread.start()

    def emit(self, event: Event) -> None:
        self.lines.put(json.dumps(event, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.lines.put(None)
        self.thread.join()

    def _write(self) -> None:
        done = gone = False
        while not done:
            batch = [self.lines.get()]
            while not self.lines.empty():
                batch.append(self.lines.get())
            done = None in batch
            if gone:
                continue
            try:
                self.stream.write("".join(line for line in batch if line is not None))
                self.stream.flush()
            except BrokenPipeError:  # the parent stopped reading (Ctrl-C): nobody to tell
                gone = True
