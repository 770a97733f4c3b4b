"""The crawl worker: one per process, a fresh child per crawl, and what happens when either dies."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Watcher, crawl_processes, feed_source, proc_stat, rss, wait_for
from watcher.collect import worker as crawl_worker
from watcher.collect.worker import CrawlRequest, _EventWriter, run_crawl, shutdown_workers
from watcher.config import load_watch
from watcher.demo.server import LocalSite, Route

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_workers() -> Iterator[None]:
    """Each test starts and ends with no worker of this process."""
    shutdown_workers()
    yield
    shutdown_workers()
    wait_for(lambda: not crawl_processes(os.getpid()), "this test's workers to end")


def a_feed(watcher: Watcher, site: LocalSite, delay: float = 0.0) -> None:
    items = [
        {"title": f"Article {n}", "link": f"{site.base}/a/{n}", "guid": f"g{n}"} for n in (1, 2)
    ]
    site.routes["/feed.xml"] = Route(
        body=rss(site.base, items),
        headers={"Content-Type": "application/rss+xml"},
        delay=delay,
        conditional=True,
    )
    watcher.write([feed_source(site, "/feed.xml", id="actus")])


def request(watcher: Watcher, now: datetime, db: Path | None = None) -> CrawlRequest:
    return CrawlRequest(
        load_watch(watcher.workspace.config), db or watcher.workspace.db, ["actus"], now, None
    )


def done(events: list[dict[str, Any]]) -> list[tuple[int, bool]]:
    return [(e["new"], e["not_modified"]) for e in events if e["event"] == "source_done"]


def test_one_worker_forks_a_fresh_child_for_each_crawl(watcher: Watcher, site: LocalSite) -> None:
    a_feed(watcher, site)
    first: list[dict[str, Any]] = []
    ended_first = run_crawl(request(watcher, NOW), first.extend)
    assert ended_first is not None and ended_first["status"] == 0
    assert done(first) == [(2, False)]
    (worker,) = crawl_worker._idle
    assert ended_first["pid"] != worker.pid  # the crawl ran in a child, not in the worker

    again: list[dict[str, Any]] = []
    ended_again = run_crawl(request(watcher, NOW + timedelta(hours=2)), again.extend)
    assert ended_again is not None and ended_again["status"] == 0
    assert done(again) == [(0, True)]  # a conditional GET answered 304
    assert crawl_worker._idle == [worker] and worker.alive()  # the same worker…
    assert ended_again["pid"] not in (ended_first["pid"], worker.pid)  # …a new child
    assert crawl_processes(os.getpid()) == [worker.pid]  # the children are gone


def test_a_crawl_that_fails_leaves_the_worker_serving(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    a_feed(watcher, site)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    failed = run_crawl(request(watcher, NOW, db=not_a_folder / "watcher.db"), lambda e: None)
    assert failed is not None and failed["status"] == 1
    (worker,) = crawl_worker._idle

    events: list[dict[str, Any]] = []
    ended = run_crawl(request(watcher, NOW), events.extend)
    assert ended is not None and ended["status"] == 0
    assert done(events) == [(2, False)]
    assert crawl_worker._idle == [worker]


def test_a_worker_killed_mid_crawl_is_reported_and_replaced(
    watcher: Watcher, site: LocalSite
) -> None:
    a_feed(watcher, site, delay=30)  # the crawl cannot end before it is killed

    def kill_worker(event: dict[str, Any]) -> None:
        if event["event"] == "source_started":
            running = crawl_processes(os.getpid())
            assert len(running) == 2  # the worker and its crawl child
            (worker,) = [pid for pid in running if int(proc_stat(pid)[1]) == os.getpid()]
            os.kill(worker, signal.SIGKILL)

    report = watcher.crawl(NOW, on_event=kill_worker)
    assert [(r.source_id, r.ok) for r in report.results] == [("actus", False)]
    assert "interrompue" in report.results[0].error
    # the crawl child died with its worker
    wait_for(lambda: not crawl_processes(os.getpid()), "the crawl child to die with its worker")
    assert crawl_worker._idle == []

    site.routes["/feed.xml"].delay = 0  # type: ignore[union-attr]
    again = watcher.crawl(NOW + timedelta(minutes=1), source_id="actus")
    assert [(r.source_id, r.new) for r in again.results] == [("actus", 2)]


def test_a_parent_that_gives_up_stops_the_crawl(watcher: Watcher, site: LocalSite) -> None:
    a_feed(watcher, site, delay=30)

    def give_up(events: list[dict[str, Any]]) -> None:
        if any(event["event"] == "source_started" for event in events):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_crawl(request(watcher, NOW), give_up)
    wait_for(lambda: not crawl_processes(os.getpid()), "the worker and its child to end")
    assert crawl_worker._idle == []


def test_an_idle_worker_that_died_is_replaced(watcher: Watcher, site: LocalSite) -> None:
    a_feed(watcher, site)
    assert run_crawl(request(watcher, NOW), lambda e: None) is not None
    (dead,) = crawl_worker._idle
    os.kill(dead.pid, signal.SIGKILL)
    dead.process.wait()
    events: list[dict[str, Any]] = []
    ended = run_crawl(request(watcher, NOW + timedelta(hours=2)), events.extend)
    assert ended is not None and ended["status"] == 0
    assert done(events) == [(0, True)]
    (worker,) = crawl_worker._idle
    assert worker is not dead and worker.alive()


def test_the_worker_ignores_ctrl_c_which_is_the_crawl_s_to_handle(
    watcher: Watcher, site: LocalSite
) -> None:
    a_feed(watcher, site)
    assert run_crawl(request(watcher, NOW), lambda e: None) is not None
    (worker,) = crawl_worker._idle
    os.kill(worker.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the process group
    ended = run_crawl(request(watcher, NOW + timedelta(hours=2)), lambda e: None)
    assert ended is not None and ended["status"] == 0
    assert crawl_worker._idle == [worker]


def test_events_for_a_parent_that_stopped_reading_are_dropped_quietly() -> None:
    """After Ctrl-C the parent no longer reads the worker's events: the writer thread drops
    them instead of dying with a BrokenPipeError traceback on the user's terminal."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the parent is gone
    stream = os.fdopen(write_end, "w")
    caught: list[threading.ExceptHookArgs] = []
    previous, threading.excepthook = threading.excepthook, caught.append
    try:
        writer = _EventWriter(stream)
        writer.emit({"event": "source_done", "source_id": "actus"})
        writer.emit({"event": "crawl_done"})
        writer.close()
    finally:
        threading.excepthook = previous
        with contextlib.suppress(BrokenPipeError):
            stream.close()
    assert [c.exc_type for c in caught] == []
    assert not writer.thread.is_alive()
