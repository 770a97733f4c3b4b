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
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from statistics import median
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from watcher.collect.crawl import CrawlReport, crawl_due, due_sources
from watcher.collect.limits import crawl_allowance
from watcher.config import Source, Watch
from watcher.jobs import OpenWorkspace, group_of
from watcher.jobs.digest import DigestOutcome, last_digest_week, release_digest
from watcher.model import QueueStatus, RunningJob, SourceState
from watcher.report.digest import IsoWeek, week_to_catch_up
from watcher.store.queue import SCHEDULER_LOCK as SCHEDULER_LOCK  # watcher.distributed takes it
from watcher.store.queue import read_queue
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
    """Each group whose digest time has passed for a week not released yet → the oldest such
    week (`week_to_catch_up`): missed weeks are released one by one, tick after tick, each as
    its own week, as `watcher serve` does at start-up."""
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


LONG_FACTOR = 3  # a job is « longue » past 3 × the median of its kind's last runs…
LONG_RUNS = 10  # …its last 10 successful runs…
LONG_MIN_RUNS = 3  # …once it has at least 3 (fewer: the crawl's limits, or no bound)…
LONG_FLOOR = 600.0  # …and never before 10 minutes: a 2 s crawl taking a minute is not news


def crawl_lock_bucket(lock: str | None) -> tuple[int, int] | None:
    """The bucket and the bucket count a crawl job's lock names (`crawl:<count>:<bucket>`);
    None for another lock."""
    parts = (lock or "").split(":")
    if len(parts) != 3 or parts[0] != "crawl" or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[2]), int(parts[1])


def job_allowance(watch: Watch, job: RunningJob) -> float | None:
    """The most seconds the crawl's limits let `job` take (`watcher.collect.limits`): a crawl
    job fetches at most the sources of its bucket's domains (those of sources.yml now; only the
    due ones in fact), then waits the watch's delay; None for a job of another kind, or a
    bucket with a page or sitemap source (as many articles as its listings name)."""
    found = crawl_lock_bucket(job.lock)
    if found is None:
        return None
    bucket, buckets = found
    sources = narrowed(watch, bucket, buckets).sources
    allowance = crawl_allowance(watch.crawler, sources)
    return None if allowance is None else allowance + watch.crawler.delay


def long_bound(recent: Sequence[float], allowance: float | None) -> tuple[float, str] | None:
    """The seconds past which a running job is « longue », and on what basis: with at least
    `LONG_MIN_RUNS` successful runs of its kind, `LONG_FACTOR` × the median of the last
    `LONG_RUNS` ("history": its own measure, whatever its size); else the crawl's limits
    ("limits": past them, something the limits do not cover holds it); never below
    `LONG_FLOOR`. None: no history and no limits (nothing to judge it by)."""
    if len(recent) >= LONG_MIN_RUNS:
        return max(LONG_FACTOR * median(recent[:LONG_RUNS]), LONG_FLOOR), "history"
    if allowance is not None:
        return max(allowance, LONG_FLOOR), "limits"
    return None


def judged(job: RunningJob, watch: Watch, now: datetime) -> RunningJob:
    """`job` with its usual duration and whether it has run longer than its bound at `now` on
    a worker that beats (a stalled job is not also long: the scheduler takes it back)."""
    last = job.recent[:LONG_RUNS]
    usual = (median(last), len(last)) if len(last) >= LONG_MIN_RUNS else (None, 0)
    bound = long_bound(job.recent, job_allowance(watch, job))
    if bound is None:
        return replace(job, usual=usual[0], usual_of=usual[1])
    after, basis = bound
    running = (now - job.started).total_seconds() if job.started else 0.0
    return replace(
        job,
        usual=usual[0],
        usual_of=usual[1],
        long_after=after,
        long_basis=basis,
        long=running > after and not job.stalled,  # stalled: taken back, not waited on
    )


def queue_status(w: OpenWorkspace, watch: Watch, now: datetime) -> QueueStatus | None:
    """The distributed queue as `watcher status` and the web's queue page show it, at `now`:
    the scheduler, each worker (alive, or silent for 3 of its own heartbeats:
    `watcher.store.queue`), the jobs waiting and running, each running job, whether it is
    stalled and whether it runs unusually long (`long_bound`: past 3 × the median of its
    kind's last runs, or, with no history, past what the crawl's limits allow), the failures
    of the last day. None on a SQLite store (the embedded mode has no queue) or before any
    distributed role has created the queue (`has_queue`). Nothing is stopped: a long job's
    worker still beats; a person reads its log and decides (docs/deploy.md)."""
    queue = read_queue(w.store.engine, now, runs=LONG_RUNS)
    if queue is None:
        return None
    return replace(queue, running_jobs=tuple(judged(j, watch, now) for j in queue.running_jobs))


def has_queue(w: OpenWorkspace) -> bool:
    """Whether the store can hold the distributed queue (PostgreSQL): the embedded mode, on
    SQLite, has none."""
    return w.store.engine.dialect.name == "postgresql"
