"""The distributed mode's use cases: which domains have due sources (the scheduler's question)
and crawling one domain's due sources (a worker's job). The engine that carries them between
machines (procrastinate, on the store's PostgreSQL) is wired in `watcher.distributed`.

A crawl job is one domain's batch: every due source of that domain, crawled by the existing
crawl (`watcher.collect.crawl.crawl_due`) in one crawl process, which keeps the per-domain delay
and concurrency between those fetches. Jobs of one domain run one at a time (the engine's lock),
and each checks again what is due when it starts, so a source is crawled once per due time
however many jobs were queued, and a job retried after its worker died crawls only what the
dead one did not record.

A digest job releases one group's week (`watcher.jobs.digest.release_digest`: built, frozen,
its copies queued in the outbox and sent), which never sends a copy twice however often it
runs; the scheduler queues it once the group's digest time has passed."""

from __future__ import annotations

import time
from collections.abc import Callable
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


def domain_of(source: Source) -> str:
    """The host a source is fetched from: the key of politeness (Scrapy's download slot)."""
    return (urlsplit(str(source.url)).hostname or "").lower()


def due_batches(
    watch: Watch, states: dict[str, SourceState], now: datetime
) -> dict[str, list[str]]:
    """Each domain that has due sources → those sources' ids, in the order of sources.yml."""
    batches: dict[str, list[str]] = {}
    for source in due_sources(watch, states, now):
        batches.setdefault(domain_of(source), []).append(source.id)
    return batches


def due_domains(w: OpenWorkspace, watch: Watch, now: datetime) -> dict[str, list[str]]:
    """The domains with due sources now, from the crawl state in the store."""
    return due_batches(watch, w.store.source_states(), now)


def narrowed(watch: Watch, domain: str) -> Watch:
    """The watch with only the sources of `domain` (groups, axes and settings unchanged)."""
    return watch.model_copy(
        update={"sources": tuple(s for s in watch.sources if domain_of(s) == domain)}
    )


def crawl_domain(
    w: OpenWorkspace,
    watch: Watch,
    domain: str,
    now: datetime,
    *,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> CrawlReport:
    """Crawl the sources of `domain` that are due at `now` (none: nothing is fetched), in a
    crawl process, and record how each one went. After a crawl, return only once the
    domain's `crawler.delay` has passed: the job holds the domain's lock until then, so the
    next job of the domain, on any worker, cannot fetch from it sooner."""
    report = crawl_due(
        narrowed(watch, domain),
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
