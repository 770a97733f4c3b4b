"""The distributed mode on a real PostgreSQL cluster (tests/pg_cluster.py): a scheduler (two, one
standing by) and three worker processes (`watcher serve --role …`) crawl three local sites, one
domain each (127.0.0.1, .2, .3), served by real HTTP servers that log when each request starts
and ends. One worker is killed with kill -9 in the middle of a fetch; its job is retried by
another worker once its heartbeat stops."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import shutil
import signal
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
from test_web_app import EMAILS, PASSWORD, _login
from test_web_app import NOW as WEB_NOW
from test_web_app import _build as _build_web

from conftest import Watcher, feed_source, rss, wait_for
from watcher.cli.main import main
from watcher.config import WEEKDAYS, load_watch
from watcher.demo.server import LocalSite, Route
from watcher.distributed import conninfo
from watcher.jobs import open_workspace
from watcher.jobs.distributed import crawl_domain, due_batches
from watcher.jobs.store import migrate_store
from watcher.model import SourceResult
from watcher.store import Store
from watcher.web import create_app
from watcher.workspace import DATABASE_URL

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


def start(watcher: Watcher, *args: str, log: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(watcher.workspace.config)]
    with log.open("w") as stderr:  # the child keeps its own copy
        return subprocess.Popen(
            [*command, "serve", *args, "--heartbeat", str(HEARTBEAT), "--debug"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )


def ticks(log: Path) -> int:
    """How many ticks a scheduler started with --debug has finished."""
    return len(re.findall(r"tick \d+ fini", log.read_text()))


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


def test_due_sources_are_batched_per_domain(tmp_path: Path) -> None:
    watcher = Watcher(tmp_path)
    watcher.write(
        [
            {"id": "a", "kind": "feed", "url": "http://127.0.0.1:1/a.xml", "axis": "concurrence"},
            {"id": "b", "kind": "feed", "url": "http://127.0.0.2:1/b.xml", "axis": "concurrence"},
            {"id": "c", "kind": "feed", "url": "http://127.0.0.1:2/c.xml", "axis": "concurrence"},
        ]
    )
    watch = load_watch(watcher.workspace.config)
    assert due_batches(watch, {}, datetime.now(UTC)) == {
        "127.0.0.1": ["a", "c"],  # one host, two ports: one domain, as Scrapy's slots see it
        "127.0.0.2": ["b"],
    }


def test_workers_crawl_each_due_source_once_one_domain_at_a_time_and_survive_kill_9(
    postgres: Cluster,
    sites: tuple[list[LoggedSite], list[tuple[str, str, float, float]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
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
    try:
        schedulers = [
            start(watcher, "--role", "scheduler", "--tick", "0.2", log=logs / f"scheduler{n}")
            for n in range(2)
        ]
        for n in range(3):
            worker = start(watcher, "--role", "worker", log=logs / f"worker{n}")
            processes[worker.pid] = worker

        # a worker is fetching the held feed: kill it (its crawl process dies with it)
        wait_for(killed_site.arrived.is_set, "the held fetch", deadline=120)
        victim = the_worker_of(socket_owner(killed_site.client_port), processes)
        os.kill(victim, signal.SIGKILL)
        processes.pop(victim).wait(timeout=30)
        killed_site.release.set()

        def all_recorded() -> bool:
            with closing(Store(url)) as store:
                states = store.source_states()
            return len(states) == len(HOSTS) * FEEDS and all(
                s.last_attempt_at and s.consecutive_failures == 0 for s in states.values()
            )

        wait_for(all_recorded, "every source crawled", deadline=180)

        def processed() -> bool:
            with closing(Store(url)) as store:
                return store.count_pending_enrichment() == 0

        wait_for(processed, "the new items processed", deadline=300)
    finally:
        for process in [*processes.values(), *schedulers]:
            process.send_signal(signal.SIGTERM)
        for process in [*processes.values(), *schedulers]:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        messages = "\n".join(p.read_text() for p in sorted(logs.iterdir()))
    # every role stops cleanly on SIGTERM
    assert [p.returncode for p in [*processes.values(), *schedulers]] == [0] * 4, messages

    # the killed fetch was retried by another worker, after the heartbeat stopped
    assert "reprise : son travailleur ne répond plus" in messages, messages
    # one scheduler enqueued, the other stood by
    assert messages.count("planificateur actif") == 1, messages
    assert "un autre planificateur est actif : en attente" in messages

    # one crawl job enqueued per domain and due time, though the scheduler ticked all along
    enqueued = [
        domain
        for line in messages.splitlines()
        if "tâches mises en file : " in line
        for domain in line.split("tâches mises en file : ", 1)[1].split(", ")
    ]
    assert sorted(enqueued) == HOSTS, messages

    # every due source crawled once (the held one twice: killed, then retried); many ticks
    fetches: dict[tuple[str, str], int] = {}
    for host, path, _, _ in log:
        if path != "/robots.txt":
            fetches[host, path] = fetches.get((host, path), 0) + 1
    for host in HOSTS[:2]:
        assert [fetches[host, f"/feed{f}.xml"] for f in range(FEEDS)] == [1] * FEEDS
    assert fetches[HOSTS[2], "/feed1.xml"] == 2
    assert all(fetches[HOSTS[2], f"/feed{f}.xml"] in (1, 2) for f in range(FEEDS))

    # no domain fetched by two workers at once: one host's requests never overlap
    for host in HOSTS:
        spans = sorted((s, e) for h, _, s, e in log if h == host)
        overlapping = [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1]]
        assert overlapping == [], host

    # the same items as one worker crawling alone: none lost, none twice
    distributed = items_of(url)
    alone = tmp_path / "alone"
    alone.mkdir()
    single = Watcher(alone)
    single.write(feeds(made), crawler={"delay": 0, "per_domain": 1})
    monkeypatch.delenv(DATABASE_URL)
    single.crawl()
    assert distributed == items_of(single.workspace.database)
    assert len(distributed) == len(set(distributed)) == len(HOSTS) * FEEDS * ITEMS
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
        wait_for(says("first", "tâches mises en file : 127.0.0.1"), "the first enqueuing")
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


def test_a_domain_job_ends_only_once_the_delay_after_its_last_fetch_has_passed(
    site: LocalSite, watcher: Watcher
) -> None:
    """The next job of the domain waits for the lock of this one: the delay holds across
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
    with open_workspace(watcher.workspace) as w:
        report = crawl_domain(w, watch, "127.0.0.1", datetime.now(UTC))
        returned = time.monotonic()
        assert [r.source_id for r in report.results] == ["seul"]
        assert returned - ended[-1] >= 1.5
        # nothing due any more: nothing fetched, no wait
        again = crawl_domain(w, watch, "127.0.0.1", datetime.now(UTC))
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


def test_each_digest_is_sent_once_by_the_workers_even_with_one_killed_while_sending(
    postgres: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = HoldingSink(hold="lea@example.org")  # the first of three: two are left to send
    paris = ZoneInfo("Europe/Paris")
    passed = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(paris)
    schedule = {"weekday": WEEKDAYS[passed.weekday()], "time": passed.strftime("%H:%M")}
    people = {"g1": ["lea", "karim", "helene"], "g2": ["ines"]}
    with SmtpServer(sink) as smtp:
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
                    "digest": dict(schedule),  # not one object: YAML would alias it
                }
                for group, names in people.items()
            ],
            mail=mail_section(smtp.port),
        )
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
                return "son travailleur ne répond plus" in (logs / "scheduler").read_text()

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
