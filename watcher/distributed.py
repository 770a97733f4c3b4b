"""`watcher serve --role scheduler|worker`: the distributed mode's wiring on procrastinate, a job
queue kept in the store's PostgreSQL (no second server). The jobs are the use cases of
`watcher.jobs` (`watcher.jobs.distributed.crawl_bucket` and `release_due_digest`,
`watcher.jobs.collect.process`, `watcher.jobs.digest.deliver_outbox`), each run on the workspace
opened for it.

- a **worker** takes jobs, one at a time: `crawl_bucket` (the due sources of a bucket of
  domains, fetched at once; the job's procrastinate `lock` is the bucket, and a domain is always
  in the same bucket, so two workers never crawl one domain at once) and
  `process_pending` (enrich what is new; its lock makes it one at a time), `release_digest` (a
  group's week; its lock is the group) and `deliver_outbox`. It sends a heartbeat every
  `heartbeat` seconds, and records that interval with its host and process when it
  registers (`watcher.store.queue`: every role judges its silence by its own interval);
- the **scheduler** only enqueues: every `tick`, a `crawl_bucket` job for each bucket with due
  sources (none while a job of another bucket count waits or runs: a domain's bucket depends on
  the count), a `release_digest` job for each group whose digest is due, a `deliver_outbox` job
  when copies wait — each only if none is waiting or running (the `queueing_lock` makes a second
  one impossible) —, and it puts back in the queue the jobs of workers whose heartbeat stopped
  for 3 of their own intervals (a worker killed mid-job: the job is retried by another worker,
  which does what the dead one did not record). Only one scheduler enqueues at a time: it
  holds a PostgreSQL advisory lock for as long as it runs; a second one waits, ready to take
  over;
- both create procrastinate's tables in the database on start if they are missing (once, under
  an advisory lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status
from procrastinate.manager import JobManager
from sqlalchemy.engine import make_url

from watcher.config import ConfigError, load_watch
from watcher.errors import WatcherError
from watcher.jobs import collect as collect_jobs
from watcher.jobs import digest as digest_jobs
from watcher.jobs import distributed as jobs
from watcher.jobs import dossier_files as dossier_jobs
from watcher.jobs import open_workspace
from watcher.jobs.dossier import watch_signing_key
from watcher.plural import counted
from watcher.report.mail import delivery_lines
from watcher.store import queue as queue_store
from watcher.store.schema import shown_address
from watcher.workspace import Workspace

log = logging.getLogger("watcher.distributed")

CRAWL = "crawl_bucket"
PROCESS = "process_pending"
DIGEST = "release_digest"
OUTBOX = "deliver_outbox"
DOSSIER = "render_dossier"
DOSSIER_PRIORITY = 10  # a person waits for it: taken before crawls waiting in the queue
SCHEMA_LOCK = 0x77617463_68657201  # advisory lock keys ("watcher" + 1, 2)
SCHEDULER_LOCK = jobs.SCHEDULER_LOCK  # `watcher status` looks for its holder
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
QUEUE = "default"  # procrastinate's queue: every job is in it, and a worker takes them all
CONCURRENCY = 1  # jobs a worker runs at once


class NeedsPostgres(WatcherError):
    """A distributed role started on a SQLite store."""

    def __init__(self) -> None:
        super().__init__(
            "Le mode distribué (serve --role scheduler ou worker, web --distributed) partage "
            "la base PostgreSQL : "
            "donnez-la dans WATCHER_DATABASE_URL (postgresql://…), voir docs/deploy.md."
        )


def conninfo(database: str | object) -> str:
    """libpq's URL for the store's SQLAlchemy URL (PostgreSQL only)."""
    text = str(database)
    if not text.startswith(("postgresql://", "postgresql+")):
        raise NeedsPostgres()
    url = make_url(text).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


# --- the jobs -------------------------------------------------------------------------------


def _workspace(context: procrastinate.JobContext) -> Workspace:
    workspace: Workspace = context.additional_context["workspace"]
    return workspace


def crawl_lock(bucket: int, buckets: int) -> str:
    """The procrastinate lock of a crawl job: its bucket, and the count it is a bucket of (with
    another count, the same domain is in another bucket)."""
    return f"crawl:{buckets}:{bucket}"


def bucket_count(lock: str) -> int | None:
    """The bucket count a crawl job's lock names (None: not a crawl lock)."""
    parts = lock.split(":")
    if len(parts) != 3 or parts[0] != "crawl" or not parts[1].isdigit():
        return None
    return int(parts[1])


def crawl_bucket_job(context: procrastinate.JobContext, bucket: int, buckets: int) -> None:
    """Crawl the due sources of a bucket of domains; then, if something is new, queue the
    processing."""
    workspace = _workspace(context)
    watch = load_watch(workspace.config)  # the current sources.yml
    with open_workspace(workspace) as w:
        report = jobs.crawl_bucket(w, watch, bucket, buckets, datetime.now(UTC))
    log.info(
        "paquet %d/%d : %s, %d en échec (domaines : %s)",
        bucket,
        buckets,
        counted(len(report.results), "source collectée", "sources collectées"),
        len(report.failed),
        ", ".join(jobs.domains_crawled(watch, report)) or "aucun",
    )
    if any(r.new or r.updated for r in report.results):
        assert context.app is not None
        # one waiting already (AlreadyEnqueued) will process these items too
        with contextlib.suppress(AlreadyEnqueued):
            context.app.configure_task(PROCESS, lock=PROCESS, queueing_lock=PROCESS).defer()


def process_pending_job(context: procrastinate.JobContext) -> None:
    """Enrich what was collected and not processed yet. No index here: each web host's copy
    follows the store's change log (watcher.find.follow)."""
    workspace = _workspace(context)
    watch = load_watch(workspace.config)
    with open_workspace(workspace) as w:
        done = collect_jobs.process(w, watch, datetime.now(UTC), index=False)
    log.info("analyse : %s", counted(done.enriched, "article enrichi", "articles enrichis"))


def release_digest_job(context: procrastinate.JobContext, group_id: str, week: str) -> None:
    """Release a group's digest of a week: built, frozen, queued and sent (nothing twice)."""
    workspace = _workspace(context)
    watch = load_watch(workspace.config)
    with open_workspace(workspace) as w:
        outcome = jobs.release_due_digest(w, watch, group_id, week, datetime.now(UTC))
    if outcome is None:
        log.info("synthèse %s %s : une semaine plus récente est déjà envoyée", group_id, week)
        return
    what = f"digest {group_id} {week}"
    if watch.mail is None:
        log.info("%s : publié, sans envoi (pas de section mail: dans sources.yml)", what)
    else:
        copies = counted(len(outcome.delivery.sent), "copie envoyée", "copies envoyées")
        log.info("%s : %s", what, copies)
    for level, line in delivery_lines(what, outcome.delivery, sent=False):
        log.log(level, "%s", line)


def deliver_outbox_job(context: procrastinate.JobContext) -> None:
    """Retry the outbox's copies that are due (SMTP was down, a recipient refused…)."""
    workspace = _workspace(context)
    watch = load_watch(workspace.config)
    with open_workspace(workspace) as w:
        delivery = digest_jobs.deliver_outbox(w, watch, datetime.now(UTC))
    for level, line in delivery_lines("relance de la boîte d'envoi", delivery):
        log.log(level, "%s", line)


def _traced(name: str, job: Callable[..., None]) -> Callable[..., None]:
    """`job`, with a debug line when it starts and when it ends (--debug): what a test waits
    on instead of wall time; and, when it ends well, how long it took, recorded under its kind
    (`watcher.store.queue.run_key`): the history `watcher status` tells a long job by."""

    @functools.wraps(job)
    def run(context: procrastinate.JobContext, **arguments: Any) -> None:
        number = context.job.id if context.job else None
        log.debug("tâche %s %s commencée %s", name, number, arguments)
        began = time.monotonic()
        try:
            job(context, **arguments)
            _record_run(context, name, time.monotonic() - began)
        finally:
            log.debug("tâche %s %s finie", name, number)

    return run


def _record_run(context: procrastinate.JobContext, name: str, seconds: float) -> None:
    """Record a job that ended well and how long it took; a failure to record is logged, and
    the job stays done (its work is in the store)."""
    assert context.app is not None
    lock = context.job.lock if context.job else None
    try:
        context.app.connector.execute_query(
            queue_store.RECORD_RUN,
            key=queue_store.run_key(name, lock),
            task=name,
            seconds=seconds,
        )
    except Exception as error:  # bookkeeping: the job's work is done
        log.warning("durée de la tâche %s non enregistrée : %s", name, error)


def render_dossier_job(
    context: procrastinate.JobContext,
    group_id: str,
    start: str,
    end: str,
    fmt: str,
    now: str,
    content: str = "",
) -> None:
    """Render a dossier's file as of `now` (the moment the web host asked: the file shows what
    its page showed, and has its digest) and keep it in the store (once per content)."""
    workspace = _workspace(context)
    try:
        watch = load_watch(workspace.config)
        with open_workspace(workspace) as w:
            done = dossier_jobs.render_dossier_file(
                w,
                watch,
                group_id,
                date.fromisoformat(start),
                date.fromisoformat(end),
                fmt,
                now=datetime.fromisoformat(now),
            )
    except Exception as error:  # the job fails: the web app says so and offers to retry
        log.exception("dossier %s %s–%s %s : échec du rendu : %s", group_id, start, end, fmt, error)
        raise
    if content and done.content != content:  # the store changed, or reports/ differs here
        log.warning(
            "dossier %s %s–%s %s : contenu différent de celui demandé", group_id, start, end, fmt
        )
    if done.rendered:
        log.info("dossier %s %s–%s %s rendu (%d octets)", group_id, start, end, fmt, done.size)
    else:
        log.info("dossier %s %s–%s %s déjà rendu", group_id, start, end, fmt)


class RecordingManager(JobManager):
    """procrastinate's job manager, which also records, when a worker registers, what the
    other machines need to judge it: its heartbeat interval, its host and its process
    (`watcher.store.queue`; procrastinate keeps only a number and the last heartbeat)."""

    heartbeat = queue_store.DEFAULT_HEARTBEAT

    async def register_worker(self) -> int:
        worker_id = await super().register_worker()
        await self.connector.execute_query_async(
            queue_store.RECORD_WORKER,
            worker_id=worker_id,
            heartbeat=self.heartbeat,
            host=socket.gethostname(),
            pid=os.getpid(),
        )
        return worker_id


def make_app(database: str | object, *, heartbeat: float | None = None) -> procrastinate.App:
    """A procrastinate app on the store's PostgreSQL, with Watcher's jobs (`heartbeat`: the
    interval its worker, if it runs one, beats at and records)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database)))
    manager = RecordingManager(connector=app.connector)
    if heartbeat is not None:
        manager.heartbeat = heartbeat
    app.job_manager = manager
    for name, job in (
        (CRAWL, crawl_bucket_job),
        (PROCESS, process_pending_job),
        (DIGEST, release_digest_job),
        (OUTBOX, deliver_outbox_job),
        (DOSSIER, render_dossier_job),
    ):
        app.task(name=name, pass_context=True)(_traced(name, job))
    return app


async def prepare_queue(app: procrastinate.App, database: str | object) -> None:
    """Create procrastinate's tables if they are missing, once whoever starts first, and
    Watcher's record of the workers' intervals and of the jobs' durations beside them
    (`watcher.store.queue`)."""
    async with await psycopg.AsyncConnection.connect(conninfo(database), autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            found = await (
                await conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
            ).fetchone()
            if not (found and found[0]):
                await app.schema_manager.apply_schema_async()
            await conn.execute(queue_store.CREATE_WORKERS)
            await conn.execute(queue_store.CREATE_RUNS)
            await conn.execute(queue_store.CREATE_RUNS_INDEX)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


class DossierQueue:
    """A web host's way to ask the workers for a dossier's file (`watcher web --distributed`):
    one job per content and format, waiting or running, whatever the number of requests and of
    web hosts (its `lock` and `queueing_lock` are the content's digest)."""

    def __init__(self, database: str | object) -> None:
        self.database = database
        self.app = make_app(database)
        self._opened = False
        self._lock = threading.Lock()

    def _open(self) -> procrastinate.App:
        with self._lock:
            if not self._opened:

                async def prepared() -> None:
                    async with self.app.open_async():
                        await prepare_queue(self.app, self.database)

                asyncio.run(prepared())  # the queue's tables, if no role has made them yet
                self.app.open()
                self._opened = True
        return self.app

    def request(
        self,
        group_id: str,
        start: date,
        end: date,
        fmt: str,
        content: str,
        now: datetime,
        *,
        again: bool = False,
    ) -> str:
        """Queue the rendering of a dossier's file whose content digest is `content` (the
        dossier as of `now`), unless a job for it is waiting or running, or the last one
        failed (a render that raised: it is not queued again by itself, every reload of the
        page would fail the same way) and `again` (a person's « réessayer ») is not asked.
        Says `PREPARING` (a job waits or runs) or `FAILED` (`watcher.jobs.dossier_files`)."""
        app = self._open()
        lock = f"dossier:{content}:{fmt}"
        found = app.job_manager.list_jobs(lock=lock)
        if any(job.status in ("todo", "doing") for job in found):
            return dossier_jobs.PREPARING
        latest = max(found, key=lambda job: job.id or 0, default=None)
        if latest is not None and latest.status == "failed" and not again:
            return dossier_jobs.FAILED
        try:
            app.configure_task(
                DOSSIER, lock=lock, queueing_lock=lock, priority=DOSSIER_PRIORITY
            ).defer(
                group_id=group_id,
                start=start.isoformat(),
                end=end.isoformat(),
                fmt=fmt,
                now=now.isoformat(),
                content=content,
            )
        except AlreadyEnqueued:  # another request queued it meanwhile
            return dossier_jobs.PREPARING
        log.info("dossier %s %s–%s %s demandé", group_id, start, end, fmt)
        return dossier_jobs.PREPARING

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False


# --- the roles ------------------------------------------------------------------------------


def run_worker(
    workspace: Workspace,
    *,
    heartbeat: float = 10.0,
    on_ready: Callable[[str], Any] | None = None,
) -> int:
    """Take jobs until SIGTERM or Ctrl-C (the running job finishes first), with a heartbeat
    every `heartbeat` seconds (recorded: the other roles take the worker for dead after 3 of
    them without one). `on_ready` is told, once the queue is reached, what the worker serves
    and where (password hidden)."""
    database = workspace.database
    app = make_app(database, heartbeat=heartbeat)
    with open_workspace(workspace) as w:  # refused now if its signing key is not the watch's
        watch_signing_key(w)

    async def work() -> None:
        async with app.open_async():
            await prepare_queue(app, database)
            running = asyncio.create_task(
                app.run_worker_async(
                    concurrency=CONCURRENCY,
                    additional_context={"workspace": workspace},
                    update_heartbeat_interval=heartbeat,
                    # procrastinate's pruning at start-up, with one timeout for all: only the
                    # rows of workers silent for a day (their own interval says when one is
                    # dead: a worker beating every minute is not pruned by one beating every 2 s)
                    stalled_worker_timeout=queue_store.FORGET_AFTER,
                    fetch_job_polling_interval=min(5.0, heartbeat),
                    delete_jobs="successful",  # the store keeps what a crawl did
                    install_signal_handlers=False,  # ours say what happens (below)
                )
            )
            loop = asyncio.get_running_loop()

            def stopping(signum: signal.Signals) -> None:
                for each in STOP_SIGNALS:  # a second signal ends the process at once
                    loop.remove_signal_handler(each)
                log.info(
                    "signal %s reçu : arrêt une fois la tâche en cours finie (un second signal "
                    "arrête tout de suite ; la tâche est alors reprise par un autre travailleur)",
                    signum.name,
                )
                running.cancel()  # procrastinate's graceful stop: the running job ends first

            for each in STOP_SIGNALS:
                loop.add_signal_handler(each, stopping, each)
            if on_ready:
                on_ready(
                    f"sur {shown_address(str(database))} : toutes les tâches de la file "
                    f"{QUEUE} (collectes de tous les paquets, analyses, synthèses, boîte d'envoi, "
                    f"dossiers), {counted(CONCURRENCY, 'tâche', 'tâches')} à la fois"
                )
            log.info("travailleur prêt")
            with contextlib.suppress(asyncio.CancelledError):
                await running
        log.info("travailleur arrêté")

    asyncio.run(work())
    return 0


async def _busy(app: procrastinate.App, task: str) -> set[str]:
    """The locks of `task`'s jobs waiting or running."""
    busy: set[str] = set()
    for status in ("todo", "doing"):
        found = await app.job_manager.list_jobs_async(task=task, status=status)
        busy.update(job.lock for job in found if job.lock)
    return busy


async def _defer(app: procrastinate.App, task: str, lock: str, **arguments: Any) -> bool:
    """Queue one job of `task` under `lock`, unless one is waiting already."""
    try:
        await app.configure_task(task, lock=lock, queueing_lock=lock).defer_async(**arguments)
    except AlreadyEnqueued:
        return False
    return True


@dataclass(frozen=True)
class Tick:
    """What one scheduler tick did: the jobs it enqueued (crawl locks, `digest:group:week`,
    `outbox`), and the other bucket counts whose crawl jobs still wait or run (no crawl job is
    enqueued until they have ended)."""

    enqueued: list[str]
    other_counts: list[int]


async def enqueue_due(
    app: procrastinate.App, workspace: Workspace, buckets: int = jobs.DEFAULT_BUCKETS
) -> Tick:
    """One scheduler tick: a crawl job for each of the `buckets` buckets with due sources, a
    digest job for each group whose digest is due, an outbox job if copies wait — each unless
    one is queued or running already. No crawl job while one of another bucket count waits or
    runs (queued by a scheduler with another count, or by this one before a restart with a new
    one): a domain is in another bucket under another count, so the two jobs' locks would not
    keep two workers off it."""
    try:
        watch = load_watch(workspace.config)
    except ConfigError as error:  # an edit in progress: the next tick reads it again
        log.error("sources.yml invalide, rien n'est planifié : %s", error)
        return Tick([], [])
    # the jobs are read before the store: a job that ends meanwhile has recorded its work
    crawling = await _busy(app, CRAWL)
    busy = crawling | await _busy(app, DIGEST) | await _busy(app, OUTBOX)
    other_counts = sorted({bucket_count(lock) or 0 for lock in crawling} - {buckets})

    def due() -> tuple[dict[int, list[str]], dict[str, str], bool]:
        now = datetime.now(UTC)
        with open_workspace(workspace) as w:
            return (
                {} if other_counts else jobs.due_buckets(w, watch, now, buckets),
                jobs.due_digests(w, watch, now),
                jobs.outbox_due(w, now),
            )

    due_crawls, digests, outbox = await asyncio.to_thread(due)
    enqueued = []
    for bucket in sorted(due_crawls):
        lock = crawl_lock(bucket, buckets)
        if lock not in busy and await _defer(app, CRAWL, lock, bucket=bucket, buckets=buckets):
            enqueued.append(lock)
    for group_id, week in digests.items():
        lock = f"digest:{group_id}"
        if lock not in busy and await _defer(app, DIGEST, lock, group_id=group_id, week=week):
            enqueued.append(f"{lock}:{week}")
    if outbox and OUTBOX not in busy and await _defer(app, OUTBOX, OUTBOX):
        enqueued.append(OUTBOX)
    return Tick(enqueued, other_counts)


def _worker_named(worker_id: int | None, seen: dict[int, dict[str, Any]]) -> str:
    """A stalled job's worker: its number, host and process (as it recorded them when it
    registered), and its last heartbeat."""
    if worker_id is None:
        return "son travailleur ne répond plus"
    worker = seen.get(worker_id)
    if worker is None:
        return f"son travailleur n° {worker_id} ne répond plus (retiré de la file)"
    at = worker["last_heartbeat"].astimezone(UTC).strftime("le %Y-%m-%d à %H:%M:%S UTC")
    where = (
        f"sur {worker['host']}, processus {worker['pid']} ; " if worker["host"] is not None else ""
    )
    every = f"{worker['heartbeat']:g}".replace(".", ",")
    return (
        f"son travailleur n° {worker_id} ne répond plus ({where}dernier signe de vie {at}, "
        f"il en donne toutes les {every} s)"
    )


async def retry_stalled(app: procrastinate.App, now: datetime | None = None) -> int:
    """Put back in the queue the jobs of workers silent for 3 of their own heartbeats, or
    gone, at `now` (the database's clock when None): the rule of `watcher.store.queue`, the
    one `watcher status` shows.

    A job whose twin (same queueing lock) already waits in the queue is ended instead: the
    waiting one does its work (every job reads what is due or pending from the store), and
    PostgreSQL refuses a second waiting job under one queueing lock."""
    rows = await app.connector.execute_query_all_async(queue_store.RUNNING_JOBS, now=now)
    ids = [row["id"] for row in rows if row["stalled"]]
    if not ids:
        return 0
    workers = await app.connector.execute_query_all_async(queue_store.WORKERS, now=now)
    seen = {row["id"]: row for row in workers}
    stalled = [
        job
        for job_id in ids
        for job in await app.job_manager.list_jobs_async(id=job_id, status="doing")
    ]
    for job in stalled:
        worker = _worker_named(job.worker_id, seen)
        try:
            await app.job_manager.retry_job(job)
        except UniqueViolation:
            log.warning(
                "tâche %s (%s) abandonnée : %s et la même tâche attend déjà dans la file",
                job.id,
                job.lock,
                worker,
            )
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
        else:
            log.warning("tâche %s (%s) reprise : %s", job.id, job.lock, worker)
    return len(stalled)


class SchedulerRunning(WatcherError):
    """`watcher serve` (the embedded mode) started on a store a scheduler already serves."""

    exit_code = 2


@contextlib.contextmanager
def sole_scheduler(database: str | object) -> Iterator[None]:
    """For `watcher serve` without `--role` on a PostgreSQL store: hold the distributed
    scheduler's lock while it runs, so that it never crawls, processes and releases digests
    beside a `watcher serve --role scheduler` and its workers (nor beside another `watcher
    serve`); refused if one holds it, and a distributed scheduler started meanwhile waits."""
    with psycopg.connect(conninfo(database), autocommit=True) as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (SCHEDULER_LOCK,)).fetchone()
        if not (row and row[0]):
            error = SchedulerRunning(
                "un planificateur distribué tourne sur cette base (watcher serve --role "
                "scheduler), ou un autre watcher serve : celui-ci ferait les mêmes collectes, "
                "analyses et synthèses à côté"
            )
            error.hint = (
                "Arrêtez l'un des deux : en mode distribué, le planificateur et ses "
                "travailleurs font tout (docs/deploy.md)."
            )
            raise error
        yield


def run_scheduler(
    workspace: Workspace,
    *,
    tick: float = 60.0,
    buckets: int = jobs.DEFAULT_BUCKETS,
    on_ready: Callable[[], Any] | None = None,
) -> int:
    """Enqueue due crawls (one job per bucket of domains, among `buckets`) every `tick` seconds
    while holding the scheduler's lock, until SIGTERM or Ctrl-C."""
    database = workspace.database
    app = make_app(database)

    async def schedule() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stop.set)
        async with (
            await psycopg.AsyncConnection.connect(conninfo(database), autocommit=True) as lock,
            app.open_async(),
        ):
            await prepare_queue(app, database)
            leading = waiting_said = False
            draining: list[int] = []
            if on_ready:
                on_ready()
            for ticks in itertools.count(1):
                if stop.is_set():
                    break
                if not leading:
                    row = await (
                        await lock.execute("SELECT pg_try_advisory_lock(%s)", (SCHEDULER_LOCK,))
                    ).fetchone()
                    leading = bool(row and row[0])
                    if leading:
                        log.info("planificateur actif")
                    elif not waiting_said:
                        log.info("un autre planificateur est actif : en attente")
                    waiting_said = True
                if leading:
                    done = await enqueue_due(app, workspace, buckets)
                    if done.other_counts != draining:
                        draining = done.other_counts
                        if draining:
                            log.info(
                                "collectes d'un autre nombre de paquets (%s) en file : aucune "
                                "nouvelle collecte en %d paquets avant qu'elles aient fini",
                                ", ".join(map(str, draining)),
                                buckets,
                            )
                    if done.enqueued:
                        log.info("tâches mises en file : %s", ", ".join(done.enqueued))
                    await retry_stalled(app)
                    # the rows of workers silent for a day (status showed them until then)
                    await app.job_manager.prune_stalled_workers(queue_store.FORGET_AFTER)
                    # the lock's session's last query: when `watcher status` saw the last tick
                    await lock.execute("SELECT 'watcher: tick'")
                # a line per tick (--debug): what a test waits on instead of wall time
                log.debug("tick %d fini (%s)", ticks, "actif" if leading else "en attente")
                with contextlib.suppress(TimeoutError):  # the next tick
                    await asyncio.wait_for(stop.wait(), timeout=tick)
        log.info("planificateur arrêté")

    asyncio.run(schedule())
    return 0
