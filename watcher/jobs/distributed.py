"""The distributed mode's use cases: which buckets of domains have due sources (the scheduler's
question) and crawling one bucket's due sources (a worker's job). The engine that carries them
between machines (procrastinate, on the store's PostgreSQL) is wired in `watcher.distributed`.

A crawl job is one **bucket of domains**: a domain (a source URL's host) always falls in the same
bucket of `buckets` (a stable hash of its name, `bucket_of`: SHA-256, the same in every process
and on every machine), and the job crawls every due source of its bucket's domains with the
existing crawl (`watcher.collect.crawl.crawl_due`) in one crawl process, which fetches those
domains at once, each with its own delay and concurrency (Scrapy's per-domain slots), as the
embedded crawl does with all of them. Jobs of one bucket run one at a time (the engine's lock),
so two jobs never crawl one domain at once, and each checks again what is due when it starts,
so a source is crawled once per due time however many jobs were queued, and a job retried after
its worker died crawls only what the dead one did not record.

A digest job releases one group's week (`watcher.jobs.digest.release_digest`: built, frozen,
its copies queued in the outbox and sent), which never sends a copy twice however often it
runs; the scheduler queues it once the group's digest time has passed."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from watcher.collect.crawl import CrawlReport, crawl_due, due_sources
from watcher.config import Source, Watch
from watcher.jobs import OpenWorkspace, group_of
from watcher.jobs.digest import DigestOutcome, last_digest_week, release_digest
from watcher.model import SourceState
from watcher.report.digest import IsoWeek, week_to_catch_up
from watcher.workspace import BUCKETS_SETTING as BUCKETS_SETTING  # where the CLI reads it
from watcher.workspace import DEFAULT_BUCKETS as DEFAULT_BUCKETS


def domain_of(source: Source) -> str:
    """The host a source is fetched from: the key of politeness (Scrapy's download slot)."""
    return (urlsplit(str(source.url)).hostname or "").lower()


def bucket_of(domain: str, buckets: int) -> int:
    """The bucket of `domain` among `buckets`: a stable hash of its name (the first 8 bytes of
    its SHA-256), the same in every process and on every machine (Python's `hash` of a str is
    salted per process). Not CRC-32: it is linear, and names that differ in a few characters
    (site0…site63.example.org) then fill only some of the buckets."""
    digest = hashlib.sha256(domain.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % buckets


def due_batches(
    watch: Watch, states: dict[str, SourceState], now: datetime, buckets: int
) -> dict[int, list[str]]:
    """Each bucket that has due sources → those sources' ids, in the order of sources.yml."""
    batches: dict[int, list[str]] = {}
    for source in due_sources(watch, states, now):
        batches.setdefault(bucket_of(domain_of(source), buckets), []).append(source.id)
    return batches


def due_buckets(
    w: OpenWorkspace, watch: Watch, now: datetime, buckets: int
) -> dict[int, list[str]]:
    """The buckets with due sources now, from the crawl state in the store."""
    return due_batches(watch, w.store.source_states(), now, buckets)


def narrowed(watch: Watch, bucket: int, buckets: int) -> Watch:
    """The watch with only the sources of `bucket`'s domains (groups, axes and settings
    unchanged)."""
    return watch.model_copy(
        update={
            "sources": tuple(s for s in watch.sources if bucket_of(domain_of(s), buckets) == bucket)
        }
    )


def domains_crawled(watch: Watch, report: CrawlReport) -> list[str]:
    """The domains of the sources a crawl fetched, sorted (for the job's log line)."""
    crawled = {result.source_id for result in report.results}
    return sorted({domain_of(s) for s in watch.sources if s.id in crawled})


def crawl_bucket(
    w: OpenWorkspace,
    watch: Watch,
    bucket: int,
    buckets: int,
    now: datetime,
    *,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> CrawlReport:
    """Crawl the sources of `bucket`'s domains that are due at `now` (none: nothing is
    fetched), in one crawl process that fetches those domains at once, each at its own delay,
    and record how each source went. After a crawl, return only once `crawler.delay` has passed:
    the job holds the bucket's lock until then, so the next job of the bucket, on any worker,
    cannot fetch from one of its domains sooner."""
    report = crawl_due(
        narrowed(watch, bucket, buckets),
        w.workspace.database,
        now,
        on_event=on_event,
        log_file=w.workspace.crawl_log(),
    )
    if report.results:
        time.sleep(watch.crawler.delay)  # politeness, not waiting for something
    return report


def due_digests(w: OpenWorkspace, watch: Watch, now: datetime) -> dict[str, str]:
    """Each group whose digest time has passed for a week not released yet → that week (the
    latest one only: missed weeks are coalesced, as `watcher serve` does at start-up)."""
    timezone = ZoneInfo(watch.watch.timezone)
    due = {}
    for group in watch.groups:
        week = week_to_catch_up(group.digest, timezone, now, last_digest_week(w, group.id))
        if week is not None:
            due[group.id] = str(week)
    return due


def release_due_digest(
    w: OpenWorkspace, watch: Watch, group_id: str, week: str, now: datetime
) -> DigestOutcome | None:
    """Release `group_id`'s digest of `week` (again after a worker died: what was queued and
    not sent yet is sent, nothing twice); None when a later week was released meanwhile."""
    group_of(watch, group_id)
    wanted = IsoWeek.parse(week)
    last = last_digest_week(w, group_id)
    if last is not None and last > wanted:
        return None
    return release_digest(w, watch, group_id, wanted, now)


def outbox_due(w: OpenWorkspace, now: datetime) -> bool:
    """Whether copies in the outbox are waiting to be (re)tried now."""
    return bool(w.mails.due(now))


# --- what `watcher status` shows of the queue ---------------------------------------------------

TASK_LABELS = {
    "crawl_bucket": "collecte",
    "process_pending": "analyse",
    "release_digest": "digest",
    "deliver_outbox": "boîte d'envoi",
    "render_dossier": "dossier",
}
SCHEDULER_LOCK = (
    0x77617463_68657202  # the distributed scheduler's advisory lock (watcher.distributed)
)
SILENT_AFTER = 30  # seconds without a heartbeat after which a worker is taken for dead (3 × 10 s)
FAILED_SINCE = 24  # hours: the failed jobs `watcher status` counts


@dataclass(frozen=True)
class QueueStatus:
    """The distributed queue as `watcher status` shows it: the scheduler (whether one holds the
    lock, and when it last ended a tick), the workers (alive, or silent for `SILENT_AFTER`
    seconds), the jobs waiting and running per task, the oldest waiting one, the running jobs
    whose worker is silent or gone (`stalled`: the scheduler puts them back in the queue), and
    the jobs failed in the last `FAILED_SINCE` hours."""

    scheduler: bool
    last_tick: datetime | None
    workers: int
    silent_workers: int
    waiting: dict[str, int]
    running: dict[str, int]
    oldest_waiting: tuple[str, datetime] | None
    stalled: int
    failed: int


def queue_status(database: object) -> QueueStatus | None:
    """The distributed queue in the store's PostgreSQL; None on a SQLite store or before any
    role has created the queue."""
    import psycopg  # the PostgreSQL driver: installed with the store
    from sqlalchemy.engine import make_url

    text = str(database)
    if not text.startswith(("postgresql://", "postgresql+")):
        return None
    url = make_url(text).set(drivername="postgresql").render_as_string(hide_password=False)
    silent = f"{SILENT_AFTER} seconds"
    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
        if not (found and found[0]):
            return None
        holder = conn.execute(
            "SELECT a.query_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.classid = %s AND l.objid = %s",
            (SCHEDULER_LOCK >> 32, SCHEDULER_LOCK & 0xFFFFFFFF),
        ).fetchone()
        workers = conn.execute(
            "SELECT count(*) FILTER (WHERE last_heartbeat >= now() - %s::interval), "
            "count(*) FILTER (WHERE last_heartbeat < now() - %s::interval) "
            "FROM procrastinate_workers",
            (silent, silent),
        ).fetchone()
        counts: dict[str, dict[str, int]] = {"todo": {}, "doing": {}}
        for task, status, n in conn.execute(
            "SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing') GROUP BY 1, 2 ORDER BY 1"
        ):
            counts[status][task] = n
        oldest = conn.execute(
            "SELECT j.task_name, min(e.at) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'deferred' WHERE j.status = 'todo' "
            "GROUP BY j.id, j.task_name ORDER BY 2 LIMIT 1"
        ).fetchone()
        stalled = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w "
            "ON w.id = j.worker_id WHERE j.status = 'doing' "
            "AND (w.id IS NULL OR w.last_heartbeat < now() - %s::interval)",
            (silent,),
        ).fetchone()
        failed = conn.execute(
            "SELECT count(DISTINCT j.id) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'failed' WHERE j.status = 'failed' "
            "AND e.at >= now() - %s::interval",
            (f"{FAILED_SINCE} hours",),
        ).fetchone()
    return QueueStatus(
        scheduler=holder is not None,
        last_tick=holder[0] if holder else None,
        workers=workers[0] if workers else 0,
        silent_workers=workers[1] if workers else 0,
        waiting=counts["todo"],
        running=counts["doing"],
        oldest_waiting=(oldest[0], oldest[1]) if oldest else None,
        stalled=stalled[0] if stalled else 0,
        failed=failed[0] if failed else 0,
    )
