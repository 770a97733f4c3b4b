"""Collect use cases: crawl, process (enrich and index), reindex, the scheduler's due crawl and
process, the sources' status, the list of items and an item's deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from watcher.collect.crawl import CrawlReport, crawl_due, next_due
from watcher.config import Source, Watch
from watcher.errors import NotFound, Unknown
from watcher.jobs import OpenWorkspace, group_of
from watcher.model import SourceState, StoredItem

if TYPE_CHECKING:
    from watcher.understand.process import ProcessReport, Progress


def crawl(
    w: OpenWorkspace,
    watch: Watch,
    now: datetime,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> CrawlReport:
    """Crawl the sources that are due (one source, a group's, or all with `force`) in a crawl
    process, and record how each one went."""
    if source_id and source_id not in {s.id for s in watch.sources}:
        raise Unknown(
            f"Source inconnue : {source_id}. Sources : {', '.join(s.id for s in watch.sources)}"
        )
    if group_id:
        group_of(watch, group_id)
    return crawl_due(
        watch,
        w.workspace.database,
        now,
        source_id=source_id,
        group_id=group_id,
        force=force,
        on_event=on_event,
        log_file=w.workspace.crawl_log(),
    )


def process(
    w: OpenWorkspace,
    watch: Watch,
    now: datetime,
    *,
    everything: bool = False,
    on_progress: Progress | None = None,
) -> ProcessReport:
    """Enrich what was collected (everything again with `everything`), then index it."""
    from watcher.understand.process import process_pending  # spaCy, numpy, Whoosh: when needed

    return process_pending(
        watch, w.store, w.index, now, everything=everything, on_progress=on_progress
    )


def reindex(w: OpenWorkspace, watch: Watch, on_progress: Progress | None = None) -> int:
    """Rebuild the search index from the store (the source of truth); how many items."""
    from watcher.understand.process import reindex as rebuild_index

    return rebuild_index(watch, w.store, w.index, on_progress)


@dataclass
class CrawlProcessReport:
    crawl: CrawlReport
    processed: int = 0  # items enriched
    indexed: int = 0
    index_waiting: int = 0  # items left out of a busy index (a reindex was running)


def run_due_crawl_and_process(w: OpenWorkspace, watch: Watch, now: datetime) -> CrawlProcessReport:
    """Crawl the sources that are due (in a crawl process), then process what is new."""
    crawled = crawl(w, watch, now)
    report = CrawlProcessReport(crawled)
    if (
        any(r.new or r.updated for r in crawled.results)
        or w.store.count_pending_enrichment()
        or any(w.store.index_backlog(limit=1))  # left by a run that found the index busy
    ):
        done = process(w, watch, now)
        report.processed, report.indexed = done.enriched, done.indexed
        report.index_waiting = done.index_waiting
    return report


@dataclass(frozen=True)
class SourceStatus:
    source: Source
    state: SourceState | None
    items: int
    next_due: datetime | None  # None: now

    @property
    def failures(self) -> int:
        return self.state.consecutive_failures if self.state else 0


def source_status(w: OpenWorkspace, watch: Watch) -> list[SourceStatus]:
    """Each source of sources.yml: its fetch state, how many items, when it is next due."""
    states = w.store.source_states()
    counts = w.store.count_items()
    return [
        SourceStatus(
            source,
            states.get(source.id),
            counts.get(source.id, 0),
            next_due(source, states.get(source.id)),
        )
        for source in watch.sources
    ]


def latest_items(
    w: OpenWorkspace, *, source_id: str | None = None, group_id: str | None = None, limit: int = 50
) -> list[StoredItem]:
    """The items collected (of a source, of a group), the most recently published first."""
    found = w.store.list_items(source_id=source_id, group_id=group_id)
    found.sort(key=lambda i: i.published_at or i.fetched_at, reverse=True)
    return found[:limit]


def delete_item(w: OpenWorkspace, item_id: int, now: datetime, by: str) -> None:
    """Delete an item: later crawls do not bring it back (its URL is remembered)."""
    if not w.store.delete_item(item_id, now, by):
        raise NotFound(f"Aucun article n° {item_id} (ou déjà supprimé).")
