"""The distributed mode on a real PostgreSQL cluster (tests/pg_cluster.py): a scheduler (two, one
standing by) and worker processes (`watcher serve --role …`) crawl three local sites, one
domain each (127.0.0.1, .2, .3), served by real HTTP servers that log when each request starts
and ends, in jobs that each cover a bucket of domains. A worker is killed with kill -9 in the
middle of a bucket; its job is retried by another worker once its heartbeat stops."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
import yaml
from click.testing import CliRunner
from digest_fixtures import Sink, SmtpServer, mail_section
from pg_cluster import Cluster
from sqlalchemy import update
from test_web_app import EMAILS, PASSWORD, _login
from test_web_app import NOW as WEB_NOW
from test_web_app import _build as _build_web

from conftest import Watcher, feed_source, rss, served, wait_for
from watcher.cli import collect as collect_cli
from watcher.cli.main import main
from watcher.config import WEEKDAYS, load_watch
from watcher.dates import clock
from watcher.demo.server import LocalSite, Route
from watcher.distributed import (
    CRAWL,
    DIGEST,
    OUTBOX,
    PROCESS,
    conninfo,
    crawl_lock,
    make_app,
    prepare_queue,
    retry_stalled,
)
from watcher.errors import WatcherError
from watcher.jobs import open_workspace
from watcher.jobs.distributed import BUCKETS_SETTING, bucket_of, crawl_bucket, due_batches
from watcher.jobs.store import migrate_store
from watcher.model import SourceResult
from watcher.store import Store
from watcher.store.queue import read_queue
from watcher.store.schema import source_state
from watcher.store.users import Users
from watcher.verify.keys import KEY_FILE
from watcher.web import SECRET_FILE, create_app
from watcher.workspace import DATABASE_URL, Workspace

HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
FEEDS = 3  # per domain
ITEMS = 4  # per feed
HEARTBEAT = 0.5  # seconds: a worker silent for 3 heartbeats is taken for dead


class LoggedSite:
    """A LocalSite whose every request is logged (host, path, start, end) on one clock; the
    path `slow` is held, the first time only, until the test releases it."""

    def __init__(self, host: str, log: list[tuple[str, str, float, float]], lock: threading.Lock):
        self.host, self.log, self.lock = host, log, lock
        self.slow: str | None = None
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.client_port = 0
        self.site = LocalSite(routes={}, host=host)
        self.site.routes["/robots.txt"] = self._answer

    def add_feed(self, path: str, body: bytes) -> None:
        self.site.routes[path] = self._answer
        self.bodies = {**getattr(self, "bodies", {}), path: body}

    def _answer(self, handler: Any) -> None:
        start = time.monotonic()
        path = handler.path
        if path == self.slow and not self.arrived.is_set():
            self.client_port = handler.client_address[1]
            self.arrived.set()
            self.release.wait(timeout=120)
        else:
            time.sleep(0.05)  # a slow server on purpose: overlapping fetches would show
        body = self.bodies.get(path)
        try:
            if body is None:
                handler.send_response(404)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
            else:
                handler.send_response(200)
                handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the killed worker's fetch
            pass
        with self.lock:
            self.log.append((self.host, path, start, time.monotonic()))


def socket_owner(port: int) -> int:
    """The pid of the process whose TCP socket has local port `port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry.name)
        except OSError:
            continue
    raise AssertionError(f"no process owns local port {port}")


def parent_of(pid: int) -> int:
    return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])


def the_worker_of(pid: int, workers: dict[int, subprocess.Popen[str]]) -> int:
    while pid not in workers:
        assert pid > 1, "the fetch does not come from a worker"
        pid = parent_of(pid)
    return pid


def feeds(sites: list[LoggedSite]) -> list[dict[str, Any]]:
    sources = []
    for d, logged in enumerate(sites):
        for f in range(FEEDS):
            path = f"/feed{f}.xml"
            base = logged.site.base
            items = [
                {
                    "title": f"Article {d}-{f}-{i}",
                    "link": f"{base}/a/{f}/{i}",
                    "description": "Un texte.",
                    "pubDate": "Mon, 01 Dec 2025 08:00:00 GMT",
                }
                for i in range(ITEMS)
            ]
            logged.add_feed(path, rss(base, items))
            sources.append(
                {
                    "id": f"d{d}-f{f}",
                    "kind": "feed",
                    "url": base + path,
                    "axis": "concurrence",
                    "every": "1h",
                    "allow_private": True,
                }
            )
    return sources


@pytest.fixture
def sites() -> Iterator[tuple[list[LoggedSite], list[tuple[str, str, float, float]]]]:
    log: list[tuple[str, str, float, float]] = []
    lock = threading.Lock()
    made = [LoggedSite(host, log, lock) for host in HOSTS]
    with ExitStack() as stack:
        for logged in made:
            stack.enter_context(logged.site)
        yield made, log
        for logged in made:
            logged.release.set()


def items_of(database: str | Path) -> list[tuple[str, str, str]]:
    with closing(Store(database)) as store:
        return sorted((i.source_id, i.url, i.title) for i in store.list_items())


def start(
    watcher: Watcher, *args: str, log: Path, heartbeat: float = HEARTBEAT
) -> subprocess.Popen[str]:
    """A role (`args`: its options) as its own process, logging to `log`; a worker beats every
    `heartbeat` seconds (`--heartbeat` is a worker's option: any other role refuses it)."""
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(watcher.workspace.config)]
    beating = ["--heartbeat", str(heartbeat)] if "worker" in args else []
    with log.open("w") as stderr:  # the child keeps its own copy
        return subprocess.Popen(
            [*command, "serve", *args, *beating, "--debug"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )


def ticks(log: Path) -> int:
    """How many ticks a scheduler started with --debug has finished."""
    return len(re.findall(r"tick \d+ fini", log.read_text()))


def recorded_since(url: str, since: datetime | None = None) -> Callable[[], bool]:
    """Whether every source of the sites has been crawled (since `since`), without failure."""

    def check() -> bool:
        with closing(Store(url)) as store:
            states = store.source_states()
        return len(states) == len(HOSTS) * FEEDS and all(
            s.last_attempt_at
            and (since is None or s.last_attempt_at >= since)
            and s.consecutive_failures == 0
            for s in states.values()
        )

    return check


def make_all_due(url: str) -> datetime:
    """An hour later: every source's last attempt put back 2 hours (`every: 1h`), so that all
    are due again; returns the moment it was done."""
    now = datetime.now(UTC)
    with closing(Store(url)) as store, store.engine.begin() as conn:
        conn.execute(update(source_state).values(last_attempt_at=now - timedelta(hours=2)))
    return now


def enqueued_crawls(messages: str) -> list[str]:
    """The crawl jobs the schedulers' « tâches mises en file » lines say they queued, in order.
    Only those: from the default digest time (Monday 08:00 in the watch's zone) for a day, the
    test watches' digests are due and queued too (`digest:g1:2026-W49`), which made the tests
    that count crawl jobs fail every Monday."""
    return [
        job
        for line in messages.splitlines()
        if "tâches mises en file : " in line
        for job in line.split("tâches mises en file : ", 1)[1].split(", ")
        if job.startswith("crawl:")
    ]


def crawl_jobs(url: str, statuses: tuple[str, ...] = ("todo", "doing")) -> list[str]:
    """The locks of the crawl jobs in these statuses."""
    with closing(psycopg.connect(conninfo(url))) as conn:
        rows = conn.execute(
            "SELECT lock FROM procrastinate_jobs WHERE task_name = 'crawl_bucket'"
            " AND status = ANY(%s) ORDER BY id",
            (list(statuses),),
        ).fetchall()
    return [row[0] for row in rows]


def never_overlapping(log: list[tuple[str, str, float, float]]) -> None:
    """No domain fetched twice at once: one host's requests never overlap."""
    for host in HOSTS:
        spans = sorted((s, e) for h, _, s, e in log if h == host)
        overlapping = [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1]]
        assert overlapping == [], host


def stop(processes: list[subprocess.Popen[str]]) -> None:
    """SIGTERM to each role still running, then wait for it (killed after a minute)."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_role_on_a_sqlite_store_is_refused_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL, raising=False)
    watcher = Watcher(tmp_path)
    watcher.write([])
    commands = (
        ["serve", "--role", "scheduler"],
        ["serve", "--role", "worker"],
        ["web", "--distributed"],
    )
    for command in commands:
        result = CliRunner().invoke(main, ["--config", str(watcher.workspace.config), *command])
        assert result.exit_code == 2, result.output
        assert "WATCHER_DATABASE_URL" in result.output
        assert "mode distribué" in result.output


def test_a_bucket_count_below_one_is_refused_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = Watcher(tmp_path)
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]
    refused = CliRunner().invoke(main, [*config, "serve", "--role", "scheduler", "--buckets", "0"])
    assert refused.exit_code == 2 and "--buckets" in refused.output, refused.output
    assert "0 n'est pas accepté (attendu : au moins 1)" in refused.output
    monkeypatch.setenv(BUCKETS_SETTING, "0")
    refused = CliRunner().invoke(main, [*config, "serve", "--role", "scheduler"])
    assert refused.exit_code == 2 and "--buckets" in refused.output, refused.output


def test_an_option_of_another_mode_is_refused_in_french_naming_it_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watcher serve --role scheduler --heartbeat 60` started, and the scheduler never beats:
    an operator who thought it changed how soon a worker is taken for dead changed nothing.
    Every option of `serve` is for one mode (`--heartbeat` a worker's, `--buckets` the
    scheduler's, `--host`/`--port`/`--no-web` the embedded mode's); given on the command line
    to another one, it is now refused (exit 2, before anything starts), in French, naming the
    option, the mode it is for and what to do. `--buckets` from the environment (one service
    file for every role) is not refused. The help says which mode each option is for."""
    monkeypatch.delenv(DATABASE_URL, raising=False)  # refused before the store is looked at
    watcher = Watcher(tmp_path)
    watcher.write([])
    config = ["--config", str(watcher.workspace.config)]

    def refused(*args: str) -> str:
        result = CliRunner().invoke(main, [*config, "serve", *args])
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())
        assert "WATCHER_DATABASE_URL" not in said, said  # the option first, not the store
        return said

    said = refused("--role", "scheduler", "--heartbeat", "60")
    assert "--heartbeat ne vaut que pour un travailleur (watcher serve --role worker)" in said
    assert "le planificateur ne donne pas de signe de vie" in said, said
    assert "Retirez --heartbeat de la commande du planificateur" in said, said
    said = refused("--heartbeat", "5", "--no-web")  # the embedded mode beats neither
    assert "--heartbeat ne vaut que pour un travailleur" in said, said
    assert "sans --role, watcher serve fait tout sur cette machine" in said, said
    said = refused("--role", "worker", "--buckets", "4")
    assert "--buckets ne vaut que pour le planificateur (watcher serve --role scheduler)" in said
    assert "Retirez --buckets de la commande du travailleur" in said, said
    said = refused("--buckets", "4")
    assert "--buckets ne vaut que pour le planificateur" in said, said
    for option in (("--port", "8001"), ("--host", "0.0.0.0"), ("--no-web",)):
        said = refused("--role", "worker", *option)
        assert f"{option[0]} ne vaut que pour watcher serve sans --role" in said, said
        assert "watcher web --distributed" in said, said
    said = refused("--role", "scheduler", "--no-web", "--heartbeat", "2")  # each one named
    assert "--no-web ne vaut que" in said and "--heartbeat ne vaut que" in said, said

    # the environment's bucket count reaches every role: a worker is not refused for it (it
    # then fails on the SQLite store, as any role does)
    monkeypatch.setenv(BUCKETS_SETTING, "4")
    result = CliRunner().invoke(main, [*config, "serve", "--role", "worker"])
    assert result.exit_code == 2 and "WATCHER_DATABASE_URL" in result.output, result.output

    shown = CliRunner().invoke(main, [*config, "serve", "--help"])
    assert shown.exit_code == 0, shown.output
    help_text = " ".join(shown.output.split())
    assert "--heartbeat NOMBRE Travailleur (--role worker) seulement" in help_text, help_text
    assert "--buckets ENTIER Planificateur (--role scheduler) seulement" in help_text, help_text
    assert "--port ENTIER Mode intégré (sans --role) seulement" in help_text, help_text
    assert "donnée à un autre mode, elle est refusée" in help_text, help_text


def test_due_sources_are_batched_per_bucket_of_domains(tmp_path: Path) -> None:
    watcher = Watcher(tmp_path)
    watcher.write(
        [
            {"id": "a", "kind": "feed", "url": "http://127.0.0.1:1/a.xml", "axis": "concurrence"},
            {"id": "b", "kind": "feed", "url": "http://127.0.0.2:1/b.xml", "axis": "concurrence"},
            {"id": "c", "kind": "feed", "url": "http://127.0.0.1:2/c.xml", "axis": "concurrence"},
        ]
    )
    watch = load_watch(watcher.workspace.config)
    now = datetime.now(UTC)
    one, two = bucket_of("127.0.0.1", 16), bucket_of("127.0.0.2", 16)
    assert one != two
    assert due_batches(watch, {}, now, 16) == {
        one: ["a", "c"],  # one host, two ports: one domain, as Scrapy's slots see it
        two: ["b"],
    }
    assert due_batches(watch, {}, now, 1) == {0: ["a", "b", "c"]}  # one bucket: one job


def test_a_domains_bucket_is_the_same_in_every_process() -> None:
    """Schedulers on several machines, or one restarted, put a domain in the same bucket: the
    hash is not Python's `hash` of a str, salted per process (PYTHONHASHSEED)."""
    domains = [f"site{n}.example.org" for n in range(64)] + HOSTS
    code = (
        "import json, sys\n"
        "from watcher.jobs.distributed import bucket_of\n"
        "print(json.dumps([bucket_of(d, 16) for d in sys.argv[1:]]))"
    )
    seen = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code, *domains],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.append(json.loads(done.stdout))
    assert seen[0] == seen[1] == [bucket_of(d, 16) for d in domains]
    assert len(set(seen[0])) == 16  # 67 similar names spread over every bucket


def test_workers_crawl_each_due_source_once_one_bucket_at_a_time_and_survive_kill_9(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two buckets: 127.0.0.2 and .3 share one (one job fetches both at once), .1 has its own.
    The worker crawling the shared bucket is killed with kill -9 while a fetch from .3 is held,
    once .2's sources are recorded; the job is retried by another worker, which crawls only what
    the dead one did not record."""
    assert bucket_of(HOSTS[1], 2) == bucket_of(HOSTS[2], 2) != bucket_of(HOSTS[0], 2)
    shared, alone = f"crawl:2:{bucket_of(HOSTS[1], 2)}", f"crawl:2:{bucket_of(HOSTS[0], 2)}"
    made, log = sites
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write(feeds(made), crawler={"delay": 0, "per_domain": 1})
    killed_site = made[2]
    killed_site.slow = "/feed1.xml"

    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    processes: dict[int, subprocess.Popen[str]] = {}
    logs = tmp_path / "logs"
    logs.mkdir()
    scheduling = ("--role", "scheduler", "--tick", "0.2", "--buckets", "2")
    schedulers: list[subprocess.Popen[str]] = []
    try:
        schedulers = [start(watcher, *scheduling, log=logs / f"scheduler{n}") for n in range(2)]
        for n in range(3):
            worker = start(watcher, "--role", "worker", log=logs / f"worker{n}")
            processes[worker.pid] = worker

        # a worker is fetching the held feed, and has recorded the sources of 127.0.0.2, the
        # other domain of its bucket, fetched meanwhile: kill it (its crawl process dies too)
        wait_for(killed_site.arrived.is_set, "the held fetch", deadline=120)

        def first_domain_recorded() -> dict[str, Any]:
            with closing(Store(url)) as store:
                states = store.source_states()
            done = {k: s for k, s in states.items() if s.last_attempt_at}
            return done if all(f"d1-f{f}" in done for f in range(FEEDS)) else {}

        wait_for(lambda: bool(first_domain_recorded()), "127.0.0.2 recorded", deadline=120)
        victim = the_worker_of(socket_owner(killed_site.client_port), processes)
        os.kill(victim, signal.SIGKILL)
        processes.pop(victim).wait(timeout=30)
        recorded_before_kill = set(first_domain_recorded())
        killed_site.release.set()

        wait_for(recorded_since(url), "every source crawled", deadline=180)

        def processed() -> bool:
            with closing(Store(url)) as store:
                return store.count_pending_enrichment() == 0

        wait_for(processed, "the new items processed", deadline=300)
    finally:
        stop([*processes.values(), *schedulers])
        messages = "\n".join(p.read_text() for p in sorted(logs.iterdir()))
    # every role stops cleanly on SIGTERM
    assert [p.returncode for p in [*processes.values(), *schedulers]] == [0] * 4, messages

    # the killed job was retried by another worker, after the heartbeat stopped
    assert re.search(r"reprise : son travailleur n° \d+ ne répond plus", messages), messages
    # one scheduler enqueued, the other stood by
    assert messages.count("planificateur actif") == 1, messages
    assert "un autre planificateur est actif : en attente" in messages

    # one crawl job enqueued per bucket and due time, though the scheduler ticked all along;
    # the shared bucket's retry crawled only the domain the dead one had not finished
    assert sorted(enqueued_crawls(messages)) == sorted([shared, alone]), messages
    assert f"(domaines : {HOSTS[2]})" in messages, messages
    assert f"(domaines : {HOSTS[1]}" not in messages, messages

    # every due source crawled once, but the held one (killed, then retried) and those of its
    # domain the dead worker had not recorded: the retry fetched only what was not recorded
    fetches: dict[tuple[str, str], int] = {}
    for host, path, _, _ in log:
        if path != "/robots.txt":
            fetches[host, path] = fetches.get((host, path), 0) + 1
    for d, host in enumerate(HOSTS):
        for f in range(FEEDS):
            count = fetches[host, f"/feed{f}.xml"]
            if f"d{d}-f{f}" in recorded_before_kill:
                assert count == 1, (host, f)
            else:
                assert count in (1, 2), (host, f)
    assert all(f"d1-f{f}" in recorded_before_kill for f in range(FEEDS))
    assert fetches[HOSTS[2], "/feed1.xml"] == 2

    # no domain fetched by two workers at once
    never_overlapping(log)

    # the same items as one worker crawling alone: none lost, none twice
    distributed = items_of(url)
    single_root = tmp_path / "alone"
    single_root.mkdir()
    single = Watcher(single_root)
    single.write(feeds(made), crawler={"delay": 0, "per_domain": 1})
    monkeypatch.delenv(DATABASE_URL)
    single.crawl()
    assert distributed == items_of(single.workspace.database)
    assert len(distributed) == len(set(distributed)) == len(HOSTS) * FEEDS * ITEMS
    postgres.drop_database(url)


def test_a_worker_told_to_stop_says_so_ends_its_job_then_says_it_stopped(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGTERM to a worker in the middle of a crawl (an operator stopping every role before an
    upgrade): it ends the job first, as it should, but said nothing — neither that it was
    stopping nor that it had stopped —, so a worker waiting on a long crawl looked hung. It now
    says both, and the job it finished is recorded."""
    watcher, url, held = _held_crawl_watch(sites, postgres, tmp_path, monkeypatch, "/feed1.xml")
    logs = tmp_path / "logs"
    logs.mkdir()
    worker = start(watcher, "--role", "worker", log=logs / "worker")
    scheduler = start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler")
    try:
        wait_for(held.arrived.is_set, "the held fetch", deadline=120)
        worker.send_signal(signal.SIGTERM)
        said = logs / "worker"
        wait_for(lambda: "signal SIGTERM reçu" in said.read_text(), "the stop said", deadline=30)
        assert worker.poll() is None  # still on its job
        held.release.set()
        assert worker.wait(timeout=60) == 0
    finally:
        held.release.set()
        stop([worker, scheduler])
    lines = [line.split(": ", 1)[1] for line in said.read_text().splitlines() if " INFO " in line]
    assert lines[-3].startswith("signal SIGTERM reçu : arrêt une fois la tâche en cours finie")
    assert lines[-2].startswith(f"paquet {bucket_of(HOSTS[0], 16)}/16 : 3 sources collectées")
    assert lines[-1] == "travailleur arrêté"
    assert (logs / "scheduler").read_text().splitlines()[-1].endswith(": planificateur arrêté")
    with closing(Store(url)) as store:
        assert all(s.last_attempt_at for s in store.source_states().values())
    postgres.drop_database(url)


def test_one_worker_crawls_a_bucket_of_domains_at_once_and_the_delay_holds_across_jobs(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One bucket: one job crawls the three domains at once, each at its own delay. Then every
    source is due again and the worker that crawled is stopped: the next job of the bucket runs
    on the other worker, and fetches from no domain sooner than `delay` after the first job's
    last fetch from it (the first job holds the bucket's lock until then)."""
    delay = 2.0
    made, log = sites
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write(feeds(made), crawler={"delay": delay, "per_domain": 1})
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    logs = tmp_path / "logs"
    logs.mkdir()
    workers = {
        f"worker{n}": start(watcher, "--role", "worker", log=logs / f"worker{n}") for n in range(2)
    }
    roles = list(workers.values())
    try:
        roles.append(
            start(
                watcher,
                *("--role", "scheduler", "--tick", "0.2", "--buckets", "1"),
                log=logs / "scheduler",
            )
        )

        def crawled_by() -> list[str]:
            return [n for n in workers if "paquet 0/1 : " in (logs / n).read_text()]

        wait_for(lambda: bool(crawled_by()), "the first job", deadline=120)
        first = crawled_by()[0]
        first_round = len(log)
        stop([workers[first]])  # its job has ended: the next one goes to the other worker
        since = make_all_due(url)
        wait_for(recorded_since(url, since), "every source crawled again", deadline=120)
        wait_for(lambda: len(crawled_by()) == 2, "the second job's end", deadline=60)
    finally:
        stop(roles)
    messages = "\n".join(p.read_text() for p in sorted(logs.iterdir()))
    second = next(n for n in workers if n != first)

    # one job per round, each covering the three domains, on a different worker each time
    assert enqueued_crawls(messages) == ["crawl:1:0", "crawl:1:0"], messages
    for name in workers:
        lines = [line for line in (logs / name).read_text().splitlines() if "paquet " in line]
        assert len(lines) == 1, messages
        assert f"{len(HOSTS) * FEEDS} sources collectées, 0 en échec" in lines[0]
        assert f"(domaines : {', '.join(HOSTS)})" in lines[0]
    assert second != first

    # in the first job, the three domains were fetched at once: their spans overlap
    spans = [
        (
            min(s for h, _, s, _ in log[:first_round] if h == host),
            max(e for h, _, _, e in log[:first_round] if h == host),
        )
        for host in HOSTS
    ]
    assert max(a for a, _ in spans) < min(b for _, b in spans), spans

    # no domain fetched twice at once, and the delay held across the two jobs and workers
    never_overlapping(log)
    for host in HOSTS:
        before = max(e for h, _, _, e in log[:first_round] if h == host)
        after = min(s for h, _, s, _ in log[first_round:] if h == host)
        assert after - before >= delay, host
    postgres.drop_database(url)


def test_crawl_jobs_of_another_bucket_count_finish_before_the_new_count_is_queued(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scheduler queues crawl jobs in 4 buckets (no worker yet); it is restarted with 3 (set
    by WATCHER_CRAWL_BUCKETS this time): a domain is in another bucket then, so the new one
    queues no crawl while the jobs of 4 wait or run. Once a worker has done them, the next due
    crawls are queued in 3 buckets."""
    made, log = sites
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write(feeds(made), crawler={"delay": 0, "per_domain": 1})
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    logs = tmp_path / "logs"
    logs.mkdir()
    old_count = {f"crawl:4:{b}" for b in (bucket_of(h, 4) for h in HOSTS)}
    new_count = {f"crawl:3:{b}" for b in (bucket_of(h, 3) for h in HOSTS)}
    roles: list[subprocess.Popen[str]] = []

    def says(name: str, text: str) -> Callable[[], bool]:
        return lambda: text in (logs / name).read_text()

    try:
        scheduling = ("--role", "scheduler", "--tick", "0.2", "--buckets")
        roles.append(start(watcher, *scheduling, "4", log=logs / "four"))
        wait_for(says("four", "planificateur actif"), "the first scheduler", deadline=120)
        wait_for(lambda: set(crawl_jobs(url)) == old_count, "the jobs of 4 buckets queued")
        stop(roles)
        monkeypatch.setenv(BUCKETS_SETTING, "3")  # the environment instead of --buckets
        roles.append(start(watcher, *scheduling[:-1], log=logs / "three"))
        wait_for(says("three", "planificateur actif"), "the new scheduler", deadline=120)
        seen = ticks(logs / "three")
        wait_for(lambda: ticks(logs / "three") >= seen + 5, "five more ticks")
        assert "tâches mises en file" not in (logs / "three").read_text()
        assert set(crawl_jobs(url)) == old_count
        assert "autre nombre de paquets (4)" in (logs / "three").read_text()

        roles.append(start(watcher, "--role", "worker", log=logs / "worker"))
        wait_for(recorded_since(url), "every source crawled", deadline=120)
        wait_for(lambda: crawl_jobs(url) == [], "the jobs of 4 buckets done", deadline=60)
        since = make_all_due(url)
        wait_for(recorded_since(url, since), "every source crawled again", deadline=120)
    finally:
        stop(roles)
    assert set(enqueued_crawls((logs / "four").read_text())) == old_count
    assert set(enqueued_crawls((logs / "three").read_text())) == new_count
    never_overlapping(log)
    postgres.drop_database(url)


def test_an_embedded_serve_on_a_store_a_distributed_scheduler_runs_is_refused_in_french(
    postgres: Cluster, site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator moving to the distributed mode leaves the former `watcher serve` running (a
    service still enabled): it crawled, processed and released digests beside the scheduler and
    its workers, one domain fetched by two crawls at once. It is now refused at start-up, and
    while it runs a distributed scheduler only waits, as a standby one does."""
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write([feed_source(site, "/feed.xml", id="seul")])
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    logs = tmp_path / "logs"
    logs.mkdir()
    scheduler = start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler")
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(watcher.workspace.config)]
    try:
        wait_for(lambda: "planificateur actif" in (logs / "scheduler").read_text(), "active")
        embedded = subprocess.Popen(
            [*command, "serve", "--no-web"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert embedded.stdout is not None
        try:
            said = embedded.stdout.readline()  # its first line: refused, or « Watcher tourne »
            assert "Watcher tourne" not in said, said
            said += embedded.stdout.read()  # until it exits
            assert embedded.wait(timeout=60) == 2, said
        finally:
            stop([embedded])
            embedded.stdout.close()
        assert "un planificateur distribué tourne sur cette base" in " ".join(said.split())
    finally:
        stop([scheduler])
    postgres.drop_database(url)


def test_a_standby_scheduler_takes_over_from_a_killed_one_without_enqueuing_twice(
    postgres: Cluster, site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    body = rss(site.base, [{"title": "Un article", "link": f"{site.base}/a/1"}])
    site.routes["/feed.xml"] = Route(body=body)
    watcher.write([feed_source(site, "/feed.xml", id="seul")])
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    logs = tmp_path / "logs"
    logs.mkdir()

    def says(name: str, text: str) -> Callable[[], bool]:
        return lambda: text in (logs / name).read_text()

    first = start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "first")
    second: subprocess.Popen[str] | None = None
    worker: subprocess.Popen[str] | None = None
    try:
        wait_for(says("first", "tâches mises en file : crawl:16:"), "the first enqueuing")
        second = start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "second")
        wait_for(says("second", "un autre planificateur est actif"), "the standby")
        first.kill()  # kill -9: its connection, and the advisory lock with it, goes
        first.wait(timeout=30)
        wait_for(says("second", "planificateur actif\n"), "the takeover")
        worker = start(watcher, "--role", "worker", log=logs / "worker")

        def crawled() -> bool:
            with closing(Store(url)) as store:
                state = store.source_states().get("seul")
            return bool(state and state.last_attempt_at)

        wait_for(crawled, "the crawl")
    finally:
        for process in (p for p in (second, worker) if p is not None):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    assert "tâches mises en file" not in (logs / "second").read_text()  # the job was queued
    assert len(site.hits_for("/feed.xml")) == 1
    postgres.drop_database(url)


def test_a_stalled_job_whose_twin_already_waits_is_ended_not_retried(postgres: Cluster) -> None:
    """A worker died while processing the pending items, and another processing job was queued
    meanwhile (same queueing lock): retrying the dead one put a second job under one queueing
    lock, which PostgreSQL refuses, and the scheduler died with UniqueViolation (seen in a CI
    run of the kill -9 test above). The dead job is ended instead; the waiting one does the
    work."""
    url = postgres.create_database()
    app = make_app(url)

    async def scenario() -> dict[int, str]:
        async with app.open_async():
            await prepare_queue(app, url)
            task = app.configure_task(PROCESS, lock=PROCESS, queueing_lock=PROCESS)
            await task.defer_async()
            worker = await app.job_manager.register_worker()
            running = await app.job_manager.fetch_job(queues=None, worker_id=worker)
            assert running is not None
            await task.defer_async()  # queued while the first runs: allowed
            async with await psycopg.AsyncConnection.connect(conninfo(url)) as conn:
                await conn.execute(
                    "UPDATE procrastinate_workers SET last_heartbeat = NOW() - INTERVAL '1 hour'"
                )
                await conn.commit()
            assert await retry_stalled(app) == 1
            assert await retry_stalled(app) == 0  # ended, not stalled again
            async with await psycopg.AsyncConnection.connect(conninfo(url)) as conn:
                rows = await (
                    await conn.execute("SELECT id, status FROM procrastinate_jobs")
                ).fetchall()
            return {row[0]: str(row[1]) for row in rows}

    statuses = asyncio.run(scenario())
    assert sorted(statuses.values()) == ["failed", "todo"], statuses
    postgres.drop_database(url)


def test_a_bucket_job_ends_only_once_the_delay_after_its_last_fetch_has_passed(
    site: LocalSite, watcher: Watcher
) -> None:
    """The next job of the bucket waits for the lock of this one: the delay holds across
    workers."""
    ended: list[float] = []

    def feed(handler: Any) -> None:
        body = rss(site.base, [{"title": "Un article", "link": f"{site.base}/a/1"}])
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        ended.append(time.monotonic())

    site.routes["/feed.xml"] = feed
    watcher.write([feed_source(site, "/feed.xml", id="seul")], crawler={"delay": 1.5})
    watch = load_watch(watcher.workspace.config)
    bucket = bucket_of("127.0.0.1", 16)
    with open_workspace(watcher.workspace) as w:
        # another bucket: not this domain's, nothing fetched, no wait
        other = crawl_bucket(w, watch, (bucket + 1) % 16, 16, datetime.now(UTC))
        assert other.results == [] and ended == []
        report = crawl_bucket(w, watch, bucket, 16, datetime.now(UTC))
        returned = time.monotonic()
        assert [r.source_id for r in report.results] == ["seul"]
        assert returned - ended[-1] >= 1.5
        # nothing due any more: nothing fetched, no wait
        again = crawl_bucket(w, watch, bucket, 16, datetime.now(UTC))
    assert again.results == [] and len(ended) == 1


class HoldingSink(Sink):
    """Holds the DATA of the first message to `hold` until released (its sender is killed
    meanwhile, so the message is never accepted), and tells the client's port."""

    def __init__(self, hold: str) -> None:
        super().__init__()
        self.hold = hold
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.client_port = 0
        self.held: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold in envelope.rcpt_tos and not self.arrived.is_set():
            self.client_port = session.peer[1]
            self.held = [address.lower() for address in envelope.rcpt_tos]
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
        return await super().handle_DATA(server, session, envelope)


def _watch_with_digests_due(
    tmp_path: Path, people: dict[str, list[str]], smtp_port: int
) -> Watcher:
    """A watch (tmp_path/watch) whose groups (id → members' names, mailed at
    <name>@example.org through SMTP on smtp_port) have a digest whose time passed a minute ago
    on the watch's clock (Europe/Paris): due now."""
    passed = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(ZoneInfo("Europe/Paris"))
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write(
        [],
        watch={"name": "Veille répartie", "timezone": "Europe/Paris"},
        groups=[
            {
                "id": group,
                "name": f"Groupe {group}",
                "members": [{"name": n, "email": f"{n}@example.org"} for n in names],
                "digest": {"weekday": WEEKDAYS[passed.weekday()], "time": passed.strftime("%H:%M")},
            }
            for group, names in people.items()
        ],
        mail=mail_section(smtp_port),
    )
    return watcher


def test_each_digest_is_sent_once_by_the_workers_even_with_one_killed_while_sending(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = HoldingSink(hold="lea@example.org")  # the first of three: two are left to send
    people = {"g1": ["lea", "karim", "helene"], "g2": ["ines"]}
    with SmtpServer(sink) as smtp:
        watcher = _watch_with_digests_due(tmp_path, people, smtp.port)
        url = postgres.create_database()
        monkeypatch.setenv(DATABASE_URL, url)
        logs = tmp_path / "logs"
        logs.mkdir()
        roles = [start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler")]
        workers: dict[int, subprocess.Popen[str]] = {}
        try:

            def queued() -> bool:
                text = (logs / "scheduler").read_text()
                return "digest:g1:" in text and "digest:g2:" in text

            wait_for(queued, "the digests queued")
            # no worker yet: the scheduler ticks on over the digests it queued (five more
            # ticks, each logged) and must not queue them again
            seen = ticks(logs / "scheduler")
            wait_for(lambda: ticks(logs / "scheduler") >= seen + 5, "five more ticks")
            for n in range(3):
                worker = start(watcher, "--role", "worker", log=logs / f"worker{n}")
                workers[worker.pid] = worker
            wait_for(sink.arrived.is_set, "the first copy", deadline=120)
            victim = the_worker_of(socket_owner(sink.client_port), workers)
            os.kill(victim, signal.SIGKILL)
            workers.pop(victim).wait(timeout=30)
            sink.release.set()
            everyone = {f"{n}@example.org" for names in people.values() for n in names}
            others = everyone - set(sink.held)
            wait_for(lambda: set(sink.copies()) == others, "the other copies", deadline=180)

            def retried() -> bool:
                return "ne répond plus" in (logs / "scheduler").read_text()

            wait_for(retried, "the retry of the killed job")

            def settled() -> bool:  # no digest job waiting or running
                with closing(psycopg.connect(conninfo(url))) as conn:
                    row = conn.execute(
                        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s"
                        " AND status IN ('todo', 'doing')",
                        ("release_digest",),
                    ).fetchone()
                return row is not None and row[0] == 0

            wait_for(settled, "the digest jobs done")
        finally:
            sink.release.set()
            roles.extend(workers.values())
            for process in roles:
                process.send_signal(signal.SIGTERM)
            for process in roles:
                process.wait(timeout=60)
    messages = "\n".join(p.read_text() for p in sorted(logs.iterdir()))
    # every copy sent once; the one cut mid-sending is not sent again but shown « non confirmé »
    # for a person to check (`watcher outbox --confirm`), as with one machine
    assert len(sink.held) == 1
    assert sink.copies() == dict.fromkeys(sorted(others), 1), messages
    outbox = CliRunner().invoke(
        main, ["--config", str(watcher.workspace.config), "outbox", "--json"]
    )
    assert outbox.exit_code == 0, outbox.output
    labels = {r["recipient"]: r["label"] for d in json.loads(outbox.output) for r in d["rows"]}
    assert labels == {a: "non confirmé" if a in sink.held else "envoyé" for a in everyone}
    enqueued = [line for line in messages.splitlines() if "tâches mises en file" in line]
    assert sum(line.count("digest:g1:") for line in enqueued) == 1, messages
    assert sum(line.count("digest:g2:") for line in enqueued) == 1, messages
    postgres.drop_database(url)


def test_a_digest_the_smtp_server_did_not_take_is_said_in_the_worker_s_log(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SMTP down when a worker releases a week: its log said only « digest g1 … : 0 copie
    envoyée », nothing of the server unreachable nor of the retry planned (the embedded
    scheduler logs both): an operator could not tell a failure from a group with nobody."""
    with socket.socket() as closed:  # bound, not listening: a connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        watcher = _watch_with_digests_due(tmp_path, {"g1": ["lea"]}, port)
        url = postgres.create_database()
        monkeypatch.setenv(DATABASE_URL, url)
        logs = tmp_path / "logs"
        logs.mkdir()
        roles = [
            start(watcher, "--role", "worker", log=logs / "worker"),
            start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler"),
        ]
        try:

            def released() -> bool:
                return bool(
                    re.search(r"tâche release_digest \d+ finie", (logs / "worker").read_text())
                )

            wait_for(released, "the digest job's end")
        finally:
            stop(roles)
    said = [line for line in (logs / "worker").read_text().splitlines() if "digest g1" in line]
    assert any("0 copie envoyée" in line for line in said), said
    refused = [line for line in said if f"injoignable (127.0.0.1:{port})" in line]
    assert any("lea@example.org à réessayer à" in line for line in refused), said
    assert any(" ERROR " in line for line in refused), said
    postgres.drop_database(url)


def _dossier_jobs(url: str) -> int:
    """The dossier jobs waiting or running."""
    with closing(psycopg.connect(conninfo(url))) as conn:
        row = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'render_dossier'"
            " AND status IN ('todo', 'doing')"
        ).fetchone()
    return row[0] if row else 0


def _kept_files(url: str) -> int:
    with closing(psycopg.connect(conninfo(url))) as conn:
        row = conn.execute("SELECT count(*) FROM dossier_files").fetchone()
    return row[0] if row else 0


def _dossier_watch(
    tmp_path: Path, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> tuple[Watcher, str]:
    """The web tests' watch, moved into a new PostgreSQL database that WATCHER_DATABASE_URL
    names, with nothing else for a scheduler to queue (no crawl of these example.org sources,
    no digest): the store, hence the dossier, changes only by the job under test."""
    built = tmp_path / "built"
    built.mkdir()
    _build_web(built)
    shutil.copytree(built, tmp_path / "watch")
    watcher = Watcher(tmp_path / "watch")
    config = yaml.safe_load(watcher.workspace.config.read_text(encoding="utf-8"))
    later = WEEKDAYS[(datetime.now(ZoneInfo("Europe/Paris")).weekday() + 2) % 7]
    for group in config["groups"]:  # its last time passed five days ago: not caught up
        group["digest"] = {"weekday": later, "time": "08:00"}
    watcher.workspace.config.write_text(yaml.safe_dump(config), encoding="utf-8")
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    migrate_store(watcher.workspace, url)
    with closing(Store(url)) as store:
        for source in config["sources"]:
            store.record_source_result(SourceResult(source["id"]), datetime.now(UTC), None)
    return watcher, url


def test_a_second_web_host_with_a_session_key_of_its_own_is_refused_in_french(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `watcher web --distributed` hosts, the second set up without WATCHER_SECRET_KEY:
    each signed its session cookies with a key made in its own folder, so a person signed in
    on one was sent back to the sign-in page whenever the proxy chose the other, and nothing
    said why. The second host is now refused at start-up, naming the setting; with the same
    WATCHER_SECRET_KEY on both, a session opened on one is valid on the other."""
    monkeypatch.delenv("WATCHER_SECRET_KEY", raising=False)
    watcher, _ = _dossier_watch(tmp_path, postgres, monkeypatch)
    first = create_app(
        watcher.workspace,
        now=lambda: WEB_NOW,
        distributed=True,
        testing=False,
        secure_cookies=False,
    )
    try:
        client = first.test_client()
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303
        session = client.get_cookie("watcher_session")
        assert session is not None
        # a new host: the same sources.yml and signing key, its own folder (no index copied
        # while the first host's follower writes it: the new host makes its own)
        other = tmp_path / "host2"
        other.mkdir()
        for name in ("sources.yml", KEY_FILE):
            shutil.copy(watcher.workspace.config.parent / name, other / name)
        host2 = Workspace(other / "sources.yml")
        with pytest.raises(WatcherError) as refused:
            create_app(
                host2, now=lambda: WEB_NOW, distributed=True, testing=False, secure_cookies=False
            ).extensions["watcher"].close()
        said = " ".join(refused.value.lines())
        assert "clé de session" in said and "WATCHER_SECRET_KEY" in said, said
        # the same key given to both (the first one's): the session holds on the second
        key = (watcher.workspace.config.parent / SECRET_FILE).read_text().strip()
        monkeypatch.setenv("WATCHER_SECRET_KEY", key)
        second = create_app(
            host2, now=lambda: WEB_NOW, distributed=True, testing=False, secure_cookies=False
        )
        try:
            there = second.test_client()
            there.set_cookie("watcher_session", session.value)
            home = client.get("/")
            assert home.status_code == 302 and "/login" not in home.headers["Location"]
            assert there.get("/").headers["Location"] == home.headers["Location"]
        finally:
            second.extensions["watcher"].close()
    finally:
        first.extensions["watcher"].close()


def _dossier_job_statuses(url: str) -> list[str]:
    """The statuses of every dossier job, oldest first."""
    with closing(psycopg.connect(conninfo(url))) as conn:
        rows = conn.execute(
            "SELECT status FROM procrastinate_jobs WHERE task_name = 'render_dossier' ORDER BY id"
        ).fetchall()
    return [row[0] for row in rows]


def test_a_dossier_pdf_whose_preparation_failed_says_so_and_can_be_asked_again(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker that takes the dossier's PDF job cannot render it (sources.yml, which each
    job reads, was broken meanwhile by an edit; the web app keeps the last valid one): the job
    fails. The download and the dossier's page then say in French that the
    preparation failed, and reloading them queues nothing; « réessayer » queues the job again,
    and, the worker's sources.yml mended, the PDF is served."""
    watcher, url = _dossier_watch(tmp_path, postgres, monkeypatch)
    app = create_app(watcher.workspace, now=lambda: WEB_NOW, testing=True, distributed=True)
    logs = tmp_path / "logs"
    logs.mkdir()
    worker = start(watcher, "--role", "worker", log=logs / "worker")
    try:
        wait_for(lambda: "travailleur prêt" in (logs / "worker").read_text(), "the worker", 120)
        good = watcher.workspace.config.read_text(encoding="utf-8")
        watcher.workspace.config.write_text(good[: len(good) // 2] + "\n  - [", "utf-8")
        client = app.test_client()
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303
        download = "/g/g1/dossier.pdf?from=2026-11-01&to=2026-11-30"
        dossier = "/g/g1/dossier?from=2026-11-01&to=2026-11-30"
        assert client.get(download).status_code == 202
        wait_for(lambda: _dossier_job_statuses(url) == ["failed"], "the job failing", 120)
        failed = client.get(download)
        body = failed.get_data(as_text=True)
        assert failed.status_code == 500 and "Refresh" not in failed.headers
        assert "La préparation du fichier PDF a échoué" in body and "Réessayer" in body
        page = client.get(dossier).get_data(as_text=True)
        assert "PDF · la préparation a échoué : réessayer" in page
        assert "retry=1" in page and "en préparation" not in page
        assert _dossier_job_statuses(url) == ["failed"]  # reloading queued nothing
        watcher.workspace.config.write_text(good, encoding="utf-8")  # mended
        again = client.get(download + "&retry=1")
        assert again.status_code == 202 and "est en préparation" in again.get_data(as_text=True)
        wait_for(lambda: client.get(download).status_code == 200, "the file", deadline=240)
        assert client.get(download).data.startswith(b"%PDF")
        assert _dossier_job_statuses(url) == ["failed"]  # the second one succeeded (deleted)
        assert "en préparation" not in client.get(dossier).get_data(as_text=True)
    finally:
        app.extensions["watcher"].close()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    messages = (logs / "worker").read_text()
    assert "échec du rendu" in messages and messages.count(" pdf rendu (") == 1, messages
    assert "contenu différent" not in messages
    postgres.drop_database(url)


def test_a_dossier_pdf_is_a_workers_job_rendered_once_and_served_by_the_web_app(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app (`watcher web --distributed`) asks for the dossier's PDF: « en préparation »
    until a worker has rendered it into the store, then the file. Asking again, from the
    download or the page, queues nothing more; the worker that takes the job is killed with
    kill -9 in the middle of the render; the job is retried by the other worker, and the file
    is rendered and kept once."""
    watcher, url = _dossier_watch(tmp_path, postgres, monkeypatch)
    app = create_app(watcher.workspace, now=lambda: WEB_NOW, testing=True, distributed=True)
    logs = tmp_path / "logs"
    logs.mkdir()
    roles: list[subprocess.Popen[str]] = []
    try:
        client = app.test_client()
        assert _login(client, EMAILS["tutor"], PASSWORD).status_code == 303
        download = "/g/g1/dossier.pdf?from=2026-11-01&to=2026-11-30"
        first = client.get(download)
        assert first.status_code == 202 and first.headers["Refresh"]
        assert "est en préparation" in first.get_data(as_text=True)
        assert client.get(download).status_code == 202
        page = client.get("/g/g1/dossier?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
        assert "PDF · en préparation" in page
        assert _dossier_jobs(url) == 1  # three requests, one job
        roles.append(start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "sched"))
        workers = {}
        for n in range(2):
            worker = start(watcher, "--role", "worker", log=logs / f"worker{n}")
            workers[f"worker{n}"] = worker
            roles.append(worker)

        def taker() -> str | None:
            return next(
                (name for name in workers if "tâche render_dossier" in (logs / name).read_text()),
                None,
            )

        wait_for(lambda: taker() is not None, "a worker taking the job", deadline=120)
        victim = taker()
        assert victim is not None
        os.kill(workers[victim].pid, signal.SIGKILL)
        workers[victim].wait(timeout=30)
        assert _kept_files(url) == 0, "killed after the render, not during it"
        wait_for(lambda: client.get(download).status_code == 200, "the file", deadline=240)
        pdf = client.get(download)
        assert pdf.data.startswith(b"%PDF")
        assert pdf.headers["Content-Disposition"].startswith("attachment")
        assert client.get(download).data == pdf.data
        page = client.get("/g/g1/dossier?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
        assert "en préparation" not in page
        assert "ne répond plus" in (logs / "sched").read_text()  # the job was retried
        assert _dossier_jobs(url) == 0 and _kept_files(url) == 1
    finally:
        app.extensions["watcher"].close()
        for process in roles:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in roles:
            process.wait(timeout=60)
    messages = "\n".join(p.read_text() for p in sorted(logs.iterdir()))
    assert messages.count(" pdf rendu (") == 1, messages
    assert "contenu différent" not in messages  # the worker's digest is the web app's
    assert "tâches mises en file" not in messages  # the scheduler queued nothing else
    postgres.drop_database(url)


def test_the_buckets_help_names_its_environment_variable(tmp_path: Path) -> None:
    """`--buckets` is read from WATCHER_CRAWL_BUCKETS too (a service file sets it), and its help
    did not say so."""
    watcher = Watcher(tmp_path)
    watcher.write([])
    shown = CliRunner().invoke(main, ["--config", str(watcher.workspace.config), "serve", "--help"])
    assert shown.exit_code == 0, shown.output
    assert BUCKETS_SETTING in " ".join(shown.output.split()), shown.output


def test_a_worker_says_at_start_up_what_it_serves_and_where(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduler says « Watcher planificateur démarré »; a worker said nothing, so an
    operator starting one on a second machine could not tell it had reached the database. It
    now names what it takes, how many at a time, and the database (as given, password
    hidden)."""
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write([])
    url = postgres.create_database()
    given = url.replace("postgresql+psycopg://watcher@", "postgresql://watcher:s3cret@")
    monkeypatch.setenv(DATABASE_URL, given)
    log = tmp_path / "worker"
    worker = start(watcher, "--role", "worker", log=log)
    try:
        wait_for(lambda: "travailleur prêt" in log.read_text(), "the worker", 120)
    finally:
        stop([worker])
    said = log.read_text()
    name = url.split("?")[0].rsplit("/", 1)[1]
    assert "Watcher travailleur démarré sur postgresql://watcher:***@/" + name in said, said
    assert "s3cret" not in said
    assert "toutes les tâches de la file default" in said
    assert "collectes de tous les paquets" in said
    assert "1 tâche à la fois" in said
    postgres.drop_database(url)


def _status(watcher: Watcher, *args: str) -> str:
    config = ["--config", str(watcher.workspace.config)]
    shown = CliRunner().invoke(main, [*config, "status", *args])
    assert shown.exit_code == 0, shown.output
    return shown.output


def test_status_shows_the_distributed_queue_scheduler_workers_and_jobs(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watcher status` on a PostgreSQL store in the distributed mode showed the sources and
    digests only: nothing of the scheduler, the workers, the jobs waiting, running or failed —
    an operator's first command said nothing of a queue with no worker. It now does, in French
    and in --json."""
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write([])
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    assert json.loads(_status(watcher, "--json"))["queue"] is None  # no role has run yet
    logs = tmp_path / "logs"
    logs.mkdir()
    scheduler = start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler")
    worker = start(watcher, "--role", "worker", log=logs / "worker")
    app = make_app(url)
    try:
        wait_for(lambda: ticks(logs / "scheduler") >= 2, "two ticks", 120)
        wait_for(lambda: "travailleur prêt" in (logs / "worker").read_text(), "the worker", 120)
        with app.open():
            app.configure_task(PROCESS, lock="broken").defer(unexpected=1)  # fails: no such arg
            wait_for(lambda: _job_statuses(url, "broken") == ["failed"], "the failed job", 60)
            seen = json.loads(_status(watcher, "--json"))["queue"]
            assert seen["scheduler"]["active"] is True and seen["scheduler"]["last_tick"]
            assert seen["workers"]["alive"] == 1, seen
            assert seen["failed_last_24h"] == 1, seen
            assert set(seen) == {"scheduler", "workers", "waiting", "running", "oldest_waiting",
                                 "running_jobs", "stalled", "long", "failed_last_24h"}  # fmt: skip
            stop([worker])
            app.configure_task(PROCESS, queueing_lock=PROCESS).defer()
            app.configure_task(OUTBOX, queueing_lock=OUTBOX).defer()
            seen = json.loads(_status(watcher, "--json"))["queue"]
            said = " ".join(_status(watcher).split())
    finally:
        stop([worker, scheduler])
    assert seen["waiting"][PROCESS] == 1 and seen["waiting"][OUTBOX] == 1, seen
    assert seen["oldest_waiting"]["task"] in (PROCESS, OUTBOX, DIGEST), seen
    assert "File distribuée" in said and "planificateur actif, dernier tour à" in said, said
    assert "analyse : 1" in said and "boîte d'envoi : 1" in said, said
    assert "en attente : " in said and "la plus ancienne (" in said, said
    assert "en cours : 0 tâche" in said, said
    assert "1 tâche en échec ces dernières 24 h" in said, said
    postgres.drop_database(url)


def _job_statuses(url: str, lock: str) -> list[str]:
    with psycopg.connect(conninfo(url)) as conn:
        rows = conn.execute(
            "SELECT status::text FROM procrastinate_jobs WHERE lock = %s ORDER BY id", (lock,)
        )
        return [row[0] for row in rows]


def test_a_job_taken_back_names_the_worker_that_stopped_answering(
    postgres: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    """« tâche 1 (process_pending) reprise : son travailleur ne répond plus » named the job
    only: which of the workers died? The warning now names it as procrastinate records it (its
    number), where it ran and how often it beat (as it recorded them when it registered), and
    when it last gave a sign of life."""
    url = postgres.create_database()
    app = make_app(url)

    async def scenario() -> int:
        async with app.open_async():
            await prepare_queue(app, url)
            await app.configure_task(PROCESS, lock=PROCESS, queueing_lock=PROCESS).defer_async()
            worker = await app.job_manager.register_worker()
            assert await app.job_manager.fetch_job(queues=None, worker_id=worker) is not None
            async with await psycopg.AsyncConnection.connect(conninfo(url)) as conn:
                await conn.execute(
                    "UPDATE procrastinate_workers SET last_heartbeat = "
                    "'2026-12-07 04:10:00+00' WHERE id = %s",
                    (worker,),
                )
                await conn.commit()
            with caplog.at_level(logging.WARNING, logger="watcher.distributed"):
                assert await retry_stalled(app) == 1
            return worker

    worker = asyncio.run(scenario())
    (said,) = [r.getMessage() for r in caplog.records if "reprise" in r.getMessage()]
    assert f"son travailleur n° {worker} ne répond plus" in said, said
    assert "dernier signe de vie le 2026-12-07 à 04:10:00 UTC" in said, said
    # where it ran, and how often it beat, as it recorded them when it registered
    assert f"(sur {socket.gethostname()}, processus {os.getpid()} ; dernier signe" in said, said
    assert "il en donne toutes les 10 s)" in said, said
    postgres.drop_database(url)


def _held_crawl_watch(
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    postgres: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    slow: str = "/feed0.xml",
) -> tuple[Watcher, str, LoggedSite]:
    """A watch of one site's feeds on a new PostgreSQL database, whose feed `slow`'s fetch is
    held until the test releases it (a crawl job that runs as long as the test wants), and an
    admin account (the web's queue page)."""
    made, _ = sites
    held = made[0]
    held.slow = slow
    root = tmp_path / "watch"
    root.mkdir()
    watcher = Watcher(root)
    watcher.write(feeds([held]), crawler={"delay": 0, "per_domain": 1, "timeout": "60s"})
    url = postgres.create_database()
    monkeypatch.setenv(DATABASE_URL, url)
    with closing(Store(url)) as store:
        Users(store).add(EMAILS["admin"], "Ada Admin", "admin", PASSWORD, now=datetime.now(UTC))
    return watcher, url, held


def _prune_workers(url: str, silent_for: float) -> list[int]:
    """procrastinate's own pruning of the workers silent for `silent_for` seconds (what a
    worker does when it starts)."""
    app = make_app(url)

    async def prune() -> list[int]:
        async with app.open_async():
            return await app.job_manager.prune_stalled_workers(silent_for)

    return asyncio.run(prune())


def _queue_page_in_chromium(watcher: Watcher, now: Callable[[], datetime]) -> str:
    """The admin's queue page as Chromium shows it (the app served by waitress, at `now`),
    reached from the menu after signing in."""
    from playwright.sync_api import sync_playwright
    from test_web_browser import ARGS, CHROMIUM

    app = create_app(watcher.workspace, now=now, secure_cookies=False)
    try:
        with served(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(base_url=base)
                page.set_default_timeout(15_000)
                page.goto("/login")
                page.fill("input[name=email]", EMAILS["admin"])
                page.fill("input[name=password]", PASSWORD)
                page.click("form.stack button[type=submit]")
                page.wait_for_url("**/admin/users")
                page.click("nav >> text=File distribuée")
                page.wait_for_url("**/admin/queue")
                text: str = page.inner_text("main")
                return text
            finally:
                browser.close()
    finally:
        app.extensions["watcher"].close()


def test_status_names_the_silent_worker_since_when_and_the_job_stuck_on_it(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed with kill -9 in the middle of a crawl job: `watcher status` counted « 1
    muet » and « 1 tâche bloquée » only 30 s later whatever the worker's heartbeat, and said
    neither which worker, since when, nor which job — and no test checked either count. Now,
    at a moment 4 of its 0.5 s heartbeats after the kill (`now` given, no waiting), status
    names the worker (its number, host and process), since when it is silent, and the job
    stuck on it; once procrastinate has dropped the worker's row, the job is stuck on a
    worker gone. The admin's web page « File distribuée » says the same, in Chromium."""
    watcher, url, held = _held_crawl_watch(sites, postgres, tmp_path, monkeypatch)
    tz = load_watch(watcher.workspace.config).watch.timezone
    host = socket.gethostname()
    logs = tmp_path / "logs"
    logs.mkdir()
    worker = start(watcher, "--role", "worker", log=logs / "worker")
    lock = crawl_lock(bucket_of(HOSTS[0], 16), 16)
    try:
        wait_for(lambda: "travailleur prêt" in (logs / "worker").read_text(), "the worker", 120)
        app = make_app(url)
        with app.open():
            app.configure_task(CRAWL, lock=lock, queueing_lock=lock).defer(
                bucket=bucket_of(HOSTS[0], 16), buckets=16
            )
        wait_for(held.arrived.is_set, "the held fetch", deadline=120)
        alive = json.loads(_status(watcher, "--json"))["queue"]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        later = datetime.now(UTC) + timedelta(seconds=2)  # 4 heartbeats after the kill
        monkeypatch.setattr(collect_cli, "_now", lambda: later)
        silent = json.loads(_status(watcher, "--json"))["queue"]
        said = " ".join(_status(watcher).split())
        page = " ".join(_queue_page_in_chromium(watcher, lambda: later).split())
        assert _prune_workers(url, 1) == [alive["workers"]["list"][0]["id"]]
        gone = json.loads(_status(watcher, "--json"))["queue"]
        gone_said = " ".join(_status(watcher).split())
    finally:
        held.release.set()
        stop([worker])

    # before the kill: one worker, alive, running the job
    (seen,) = alive["workers"]["list"]
    (job,) = alive["running_jobs"]
    assert alive["workers"]["alive"] == 1 and alive["workers"]["silent"] == 0, alive
    assert (seen["host"], seen["pid"], seen["heartbeat"], seen["silent_after"]) == (
        host, worker.pid, HEARTBEAT, 3 * HEARTBEAT), seen  # fmt: skip
    assert seen["silent"] is False and seen["job"] == job["id"], alive
    assert (job["task"], job["lock"], job["worker"], job["stalled"]) == (
        CRAWL,
        lock,
        seen["id"],
        False,
    )
    assert alive["stalled"] == 0

    # after it: silent since its last heartbeat, the job stuck on it
    (dead,) = silent["workers"]["list"]
    (stuck,) = silent["running_jobs"]
    assert silent["workers"]["alive"] == 0 and silent["workers"]["silent"] == 1, silent
    assert dead["silent"] is True and dead["id"] == seen["id"], dead
    last = datetime.fromisoformat(dead["last_heartbeat"])
    assert last < later - timedelta(seconds=3 * HEARTBEAT), dead
    assert (stuck["id"], stuck["worker"], stuck["stalled"]) == (job["id"], dead["id"], True)
    assert silent["stalled"] == 1
    since = clock(last, tz, seconds=True)
    quiet = f"{int((later - last).total_seconds())} s"  # how long it has been silent: 2 s
    started = datetime.fromisoformat(stuck["started"])
    running = f"{int((later - started).total_seconds())} s"
    assert "0 travailleur actif, 1 muet" in said, said
    assert (
        f"travailleur n° {dead['id']} sur {host} (processus {worker.pid}) : muet depuis {since} "
        f"({quiet}) ; un signe de vie attendu toutes les 0,5 s, muet au-delà de 1,5 s ; "
        f"tâche {job['id']} en cours" in said
    ), said
    started_at = clock(started, tz, seconds=True)
    assert f"tâche {job['id']} (collecte {lock}) depuis {started_at} ({running})" in said, said
    assert (
        f"sur le travailleur n° {dead['id']} ({host}, processus {worker.pid}) : bloquée, son "
        "travailleur est muet" in said
    ), said
    assert "1 tâche bloquée : travailleur muet ou disparu (reprise dès qu'un planificateur" in said

    # the web page, from the same use case at the same moment
    assert "Aucun planificateur actif" in page, page
    assert "0 travailleur actif, 1 muet" in page, page
    assert f"n° {dead['id']} {host} · processus {worker.pid}" in page, page
    assert f"muet depuis le {since} ({quiet})" in page, page
    assert f"tâche {job['id']} · collecte {lock} {started_at} ({running})" in page, page
    assert f"bloquée : son travailleur est muet depuis le {since} ({quiet})" in page, page
    assert "1 tâche bloquée : son travailleur est muet ou a disparu." in page, page

    # the worker's row dropped: the job is stuck on a worker gone
    assert gone["workers"]["list"] == [] and gone["stalled"] == 1, gone
    assert gone["running_jobs"][0]["worker"] is None, gone
    assert f"tâche {job['id']} (collecte {lock}) depuis " in gone_said, gone_said
    assert "bloquée, son travailleur a disparu" in gone_said, gone_said
    postgres.drop_database(url)


def _worker_ids(url: str) -> list[int]:
    """The workers procrastinate knows, in the order they registered."""
    with psycopg.connect(conninfo(url)) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM procrastinate_workers ORDER BY id")]


def _backdate_heartbeat(url: str, worker_id: int, seconds: float) -> None:
    """The worker's last heartbeat put back `seconds`: as if that long had passed since it
    beat (a worker beating every 30 s is found up to 30 s after its last heartbeat)."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = last_heartbeat "
            "- make_interval(secs => %s) WHERE id = %s",
            (seconds, worker_id),
        )


def test_a_worker_is_judged_silent_by_its_own_heartbeat_on_every_machine(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker started with `--heartbeat 30` beats every 30 s, and 40 s after its last beat it
    is healthy. Every other role took it for dead by its own reckoning: `watcher status` after
    30 s (« muet »), the scheduler (3 of *its* heartbeats) put its running job back in the
    queue — another worker would have crawled the same domains at once —, and a worker started
    with `--heartbeat 0.5` deleted its row at start-up (procrastinate prunes by the starting
    worker's timeout), leaving its job to be taken back. Each worker now records its interval
    when it registers, and every role judges it by that: silent after 3 of its own heartbeats
    (90 s here, 1.5 s for the other one)."""
    watcher, url, held = _held_crawl_watch(sites, postgres, tmp_path, monkeypatch)
    logs = tmp_path / "logs"
    logs.mkdir()
    slow = start(watcher, "--role", "worker", log=logs / "slow", heartbeat=30)
    processes = [slow]
    try:
        wait_for(lambda: "travailleur prêt" in (logs / "slow").read_text(), "the worker", 120)
        processes.append(
            start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / "scheduler")
        )
        wait_for(held.arrived.is_set, "the held fetch", deadline=120)  # the slow one crawls
        (slow_id,) = _worker_ids(url)
        _backdate_heartbeat(url, slow_id, 40)
        ticked = ticks(logs / "scheduler")
        wait_for(lambda: ticks(logs / "scheduler") >= ticked + 3, "three ticks", 60)
        seen = json.loads(_status(watcher, "--json"))["queue"]
        said = " ".join(_status(watcher).split())
        quick = start(watcher, "--role", "worker", log=logs / "quick")  # beats every 0.5 s
        processes.append(quick)
        wait_for(lambda: "travailleur prêt" in (logs / "quick").read_text(), "the worker", 120)
        ticked = ticks(logs / "scheduler")
        wait_for(lambda: ticks(logs / "scheduler") >= ticked + 3, "three ticks", 60)
        both = json.loads(_status(watcher, "--json"))["queue"]
        moment = datetime.now(UTC)
        monkeypatch.setattr(collect_cli, "_now", lambda: moment + timedelta(seconds=5))
        later = json.loads(_status(watcher, "--json"))["queue"]
        monkeypatch.setattr(collect_cli, "_now", lambda: moment + timedelta(seconds=60))
        much_later = json.loads(_status(watcher, "--json"))["queue"]
    finally:
        for process in processes[::2]:  # the workers: nothing to end cleanly here
            process.kill()
            process.wait()
        held.release.set()
        stop(processes[1:2])
    scheduled = (logs / "scheduler").read_text()
    assert "reprise" not in scheduled and "abandonnée" not in scheduled, scheduled

    # 40 s after its last heartbeat, a worker beating every 30 s is alive, and so is its job
    (worker,) = seen["workers"]["list"]
    assert (worker["heartbeat"], worker["silent_after"], worker["silent"]) == (30, 90, False)
    assert seen["workers"] == {"alive": 1, "silent": 0, "list": [worker]}
    (job,) = seen["running_jobs"]
    assert (job["task"], job["worker"], job["stalled"]) == (CRAWL, slow_id, False), seen
    assert "1 travailleur actif" in said and "un signe de vie toutes les 30 s ; tâche" in said
    assert "bloquée" not in said, said

    # a worker beating every 0.5 s started beside it: it did not drop the slow one's row
    by_id = {w["id"]: w for w in both["workers"]["list"]}
    assert both["workers"]["alive"] == 2 and slow_id in by_id, both

    def same_job(seen: dict[str, Any]) -> dict[str, Any]:  # all but how long it has run
        return {key: value for key, value in seen.items() if key != "running_for"}

    assert [same_job(each) for each in both["running_jobs"]] == [same_job(job)], both

    # 5 s later, the quick one is silent (1.5 s), the slow one not yet (45 s of 90)
    silent = {w["id"]: w["silent"] for w in later["workers"]["list"]}
    (quick_id,) = set(silent) - {slow_id}
    assert silent == {slow_id: False, quick_id: True}, later
    # a minute later, 100 s after its last heartbeat, the slow one is silent too, its job stuck
    assert [w["silent"] for w in much_later["workers"]["list"]] == [True, True], much_later
    assert much_later["stalled"] == 1, much_later
    postgres.drop_database(url)


def test_a_worker_that_recorded_nothing_is_judged_at_the_default_heartbeat(
    postgres: Cluster,
) -> None:
    """A worker of a Watcher before the record of the intervals (or a queue whose record table
    no role of this Watcher has made yet): status reads it at the default heartbeat, 10 s
    (silent after 30 s), with no host nor process, instead of failing on the missing table."""
    url = postgres.create_database()
    app = make_app(url)

    async def older_worker() -> int:
        async with app.open_async():
            await prepare_queue(app, url)
            async with await psycopg.AsyncConnection.connect(conninfo(url)) as conn:
                await conn.execute("DROP TABLE watcher_queue_workers")
                row = await (
                    await conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()")
                ).fetchone()
                await conn.commit()
            assert row is not None
            return int(row[0])

    worker = asyncio.run(older_worker())
    with closing(Store(url)) as store:
        first = read_queue(store.engine, datetime.now(UTC))
        assert first is not None
        beat = first.workers[0].last_heartbeat
        soon = read_queue(store.engine, beat + timedelta(seconds=29))
        later = read_queue(store.engine, beat + timedelta(seconds=31))
    assert soon is not None and later is not None
    (alive,) = soon.workers
    assert (alive.id, alive.host, alive.pid, alive.heartbeat, alive.silent_after) == (
        worker, None, None, 10.0, 30.0)  # fmt: skip
    assert alive.silent is False and later.workers[0].silent is True
    postgres.drop_database(url)


def test_the_long_job_rule_its_history_first_else_the_crawls_limits_never_below_a_floor(
    tmp_path: Path,
) -> None:
    """The rule `watcher status` and the queue page tell a long job by (`long_bound`): with at
    least 3 successful runs of its kind, 3 × the median of the last 10; with fewer, the most
    the crawl's limits allow a crawl of its bucket; never below 10 minutes; no bound for a job
    with neither. A stalled job is not also long (the scheduler takes it back)."""
    from watcher.collect.limits import crawl_allowance, fetch_allowance
    from watcher.config import CrawlerSettings, Source
    from watcher.jobs.distributed import judged, long_bound
    from watcher.model import RunningJob

    assert long_bound([5.0, 7.0], None) is None  # 2 runs, not a crawl: nothing to judge by
    assert long_bound([5.0, 7.0], 120.0) == (600.0, "limits")  # the floor
    assert long_bound([5.0, 7.0], 5000.0) == (5000.0, "limits")
    assert long_bound([100.0, 400.0, 300.0], None) == (900.0, "history")  # 3 × 300
    assert long_bound([1.0, 2.0, 3.0], 5000.0) == (600.0, "history")  # history first, floored
    # the latest first: the 11th and 12th runs (long ago, very long) are left out
    assert long_bound([200.0] * 10 + [9000.0, 9000.0], None) == (600.0, "history")
    assert long_bound([300.0] * 9 + [9000.0] * 3, None) == (900.0, "history")

    watcher = Watcher(tmp_path)
    watcher.write([])
    watch = load_watch(watcher.workspace.config)
    began = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    job = RunningJob(1, PROCESS, PROCESS, began, 4, False, recent=(200.0, 300.0, 100.0, 5.0))
    at = began + timedelta(minutes=16)
    seen = judged(job, watch, at)
    assert (seen.usual, seen.usual_of, seen.long_after, seen.long_basis, seen.long) == (
        150.0, 4, 600.0, "history", True)  # fmt: skip
    assert judged(job, watch, began + timedelta(minutes=9)).long is False
    stalled = judged(dataclasses.replace(job, stalled=True), watch, at)
    assert (stalled.long_after, stalled.long) == (600.0, False)
    # no history, not a crawl: no bound
    alone = judged(dataclasses.replace(job, recent=(5.0,)), watch, at + timedelta(days=3))
    assert (alone.usual, alone.long_after, alone.long_basis) == (None, None, None)
    assert alone.long is False

    crawler = CrawlerSettings(timeout="20s", retries=1, delay=1.0)  # type: ignore[arg-type]
    # one fetch: the request and 5 redirects, each tried twice (20 s cut, after a delay
    # stretched at most to 60 s × 1.5), 30 s between the tries, a 20 s name lookup
    assert fetch_allowance(crawler) == 6 * (2 * (90 + 20) + 30 + 20)

    def source(kind: str, url: str, **extra: Any) -> Source:
        return Source(id=f"s{abs(hash(url)) % 1000}", kind=kind, url=url, **extra)

    fetch = fetch_allowance(crawler)
    feeds_one_domain = [
        source("feed", "https://a.example/1"),
        source("feed", "https://a.example/2"),
    ]
    # robots.txt, then 2 fetches a feed (a page, then the feed it names)
    assert crawl_allowance(crawler, feeds_one_domain) == 5 * fetch
    other = source("monitor", "https://b.example/prix", render="browser")
    # domains fetched at once: the longest one's; a browser render adds 2 timeouts
    assert crawl_allowance(crawler, [*feeds_one_domain, other]) == 5 * fetch
    assert crawl_allowance(crawler, [other]) == 2 * fetch + 40
    # a page source fetches as many articles as its listing names: no bound
    listing = source("page", "https://a.example/actus", follow="a.article")
    assert crawl_allowance(crawler, [*feeds_one_domain, listing]) is None


def _runs(url: str, key: str) -> list[float]:
    """The durations the workers recorded for a kind of job, the latest first."""
    with psycopg.connect(conninfo(url)) as conn:
        rows = conn.execute(
            "SELECT seconds FROM watcher_queue_runs WHERE key = %s ORDER BY id DESC", (key,)
        )
        return [float(row[0]) for row in rows]


def _backdate_start(url: str, job_id: int, seconds: float) -> None:
    """The job's start put back `seconds`: as if it had run that much longer (its worker still
    beating now)."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE procrastinate_events SET at = at - make_interval(secs => %s) "
            "WHERE job_id = %s AND type = 'started'",
            (seconds, job_id),
        )


def test_a_crawl_running_far_longer_than_allowed_or_than_usual_is_long_in_status_and_page(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that beats while its crawl of one site has run for hours (a stuck download, a
    slow-loris site) looked healthy: status and the queue page said « en cours » whatever the
    time. A real worker now records how long each job it ends well took, and a running job is
    « longue » past 3 × the median of its kind's last runs (at least 10 min), or, before it
    has 3 runs, past what the crawl's limits allow its bucket — said in `watcher status`, its
    --json and the admin's page « File distribuée » (in Chromium), from one use case at a
    `now` given. Here a crawl job whose fetch is held, its start put back by hours (its worker
    beating meanwhile: long, not stalled): first with no history (judged by the limits), then
    after three runs (judged by them)."""
    watcher, url, held = _held_crawl_watch(sites, postgres, tmp_path, monkeypatch)
    tz = load_watch(watcher.workspace.config).watch.timezone
    assert tz == "Europe/Paris"
    logs = tmp_path / "logs"
    logs.mkdir()
    bucket = bucket_of(HOSTS[0], 16)
    lock = crawl_lock(bucket, 16)
    worker = start(watcher, "--role", "worker", log=logs / "worker")
    app = make_app(url)

    def crawl() -> None:
        with app.open():
            app.configure_task(CRAWL, lock=lock, queueing_lock=lock).defer(
                bucket=bucket, buckets=16
            )

    def status_now() -> tuple[datetime, dict[str, Any], str]:
        moment = datetime.now(UTC)
        monkeypatch.setattr(collect_cli, "_now", lambda: moment)
        seen = json.loads(_status(watcher, "--json"))["queue"]
        return moment, seen, " ".join(_status(watcher).split())

    try:
        wait_for(lambda: "travailleur prêt" in (logs / "worker").read_text(), "the worker", 120)
        # no history: the held crawl is judged by the limits
        crawl()
        wait_for(held.arrived.is_set, "the held fetch", deadline=120)
        (first,) = json.loads(_status(watcher, "--json"))["queue"]["running_jobs"]
        # the crawler's limits here: timeout 60 s, 1 retry, delay 0 (AutoThrottle up to 60 s,
        # no jitter), backoff 0.05 s (Retry-After up to 30 s): a request and its 5 redirects,
        # each 2 × (60 + 60) + 30 + 20 = 290 s; robots.txt, then 3 feeds of 2 fetches
        allowed = 7 * 6 * 290.0
        _backdate_start(url, first["id"], allowed - 60)
        _, within, within_said = status_now()
        _backdate_start(url, first["id"], 120)
        _, beyond, beyond_said = status_now()
        held.release.set()
        wait_for(lambda: len(_runs(url, lock)) == 1, "the first run recorded", 120)
        crawl()  # two more runs, nothing due: quick
        wait_for(lambda: len(_runs(url, lock)) == 2, "the second run recorded", 120)
        crawl()
        wait_for(lambda: len(_runs(url, lock)) == 3, "the third run recorded", 120)
        recorded = _runs(url, lock)
        # the history: the held crawl is judged by its usual duration
        held.arrived.clear()
        held.release.clear()
        make_all_due(url)
        crawl()
        wait_for(held.arrived.is_set, "the held fetch again", deadline=120)
        (again,) = json.loads(_status(watcher, "--json"))["queue"]["running_jobs"]
        _backdate_start(url, again["id"], 5 * 60)
        _, soon, soon_said = status_now()
        _backdate_start(url, again["id"], 2 * 3600 + 9 * 60 + 30)  # 2 h 14 min 30 s in all
        later, long, long_said = status_now()
        page = " ".join(_queue_page_in_chromium(watcher, lambda: later).split())
    finally:
        held.release.set()
        stop([worker])

    # before its history: long past what the limits allow (3 h 23 min here), not before
    (job,) = within["running_jobs"]
    assert (job["long_after"], job["long_basis"], job["long"]) == (allowed, "limits", False)
    assert (job["usual"], job["usual_of"], within["long"]) == (None, 0, 0), within
    assert job["stalled"] is False and "longue" not in within_said, within_said
    (job,) = beyond["running_jobs"]
    assert (job["long_after"], job["long_basis"], job["long"]) == (allowed, "limits", True)
    assert allowed + 60 <= job["running_for"] < allowed + 90 and beyond["long"] == 1, beyond
    assert job["stalled"] is False, job  # its worker beats: long, not stalled
    assert (
        "longue, en cours depuis 3 h 24 min : plus que ne le permettent les limites de la "
        "collecte (3 h 23 min : délai d'attente, reprises et redirections de chaque requête ; "
        "pas encore d'historique)" in beyond_said
    ), beyond_said
    assert "1 tâche longue : son travailleur donne signe de vie" in beyond_said, beyond_said
    assert "rien n'est arrêté" in beyond_said, beyond_said

    # the worker recorded each run it ended well: the first one held, then two quick ones
    assert len(recorded) == 3 and all(0 < seconds < 120 for seconds in recorded), recorded
    usual = sorted(recorded)[1]
    (job,) = soon["running_jobs"]
    assert (job["usual"], job["usual_of"], job["long_basis"]) == (usual, 3, "history"), job
    assert job["long_after"] == max(3 * usual, 600.0) == 600.0 and job["long"] is False, job
    assert "longue" not in soon_said, soon_said
    (job,) = long["running_jobs"]
    assert (job["long"], job["stalled"], long["long"]) == (True, False, 1), long
    started = datetime.fromisoformat(job["started"])
    running = f"{clock(started, tz, seconds=True)} (2 h 14 min)"
    assert f"tâche {job['id']} (collecte {lock}) depuis {running}" in long_said, long_said
    assert (
        "longue, en cours depuis 2 h 14 min alors qu'elle dure d'habitude "
        f"{usual_words(usual)} (médiane de ses 3 dernières exécutions réussies ; longue "
        "au-delà de 10 min 00 s)" in long_said
    ), long_said

    # the page, from the same use case at the same moment, Paris time
    assert f"tâche {job['id']} · collecte {lock} {running}" in page, page
    assert "longue : en cours depuis 2 h 14 min" in page, page
    assert (
        f"d'habitude {usual_words(usual)} (médiane de ses 3 dernières exécutions réussies) ; "
        "longue au-delà de 10 min 00 s" in page
    ), page
    assert "1 tâche longue : son travailleur donne signe de vie, mais elle dure bien plus" in page
    assert "Rien n'est arrêté" in page, page
    postgres.drop_database(url)


def usual_words(seconds: float) -> str:
    """A short duration as status writes it: « 3 s »."""
    assert seconds < 60, seconds
    return f"{int(seconds)} s"
