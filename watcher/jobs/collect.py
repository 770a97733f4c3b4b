"""Collect use cases: crawl, process (enrich and index), reindex, the scheduler's due crawl and
process, the sources' status, the list of items and an item's deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from watcher.changes import CHANGE_KIND, PageVersion, gone_status
from watcher.collect.crawl import CrawlReport, crawl_due, next_due
from watcher.config import Source, Watch
from watcher.errors import NotFound, Unknown
from watcher.jobs import OpenWorkspace, group_of
from watcher.model import SourceState, StoredItem
from watcher.store.pages import PageStore

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
    index: bool = True,
) -> ProcessReport:
    """Enrich what was collected (everything again with `everything`), then bring this
    machine's copy of the search index up to date (not with `index`: a distributed worker,
    whose work reaches the web hosts' copies through the store's change log)."""
    from watcher.understand.process import process_pending  # spaCy, numpy, Whoosh: when needed

    return process_pending(
        watch,
        w.store,
        w.index if index else None,
        now,
        everything=everything,
        on_progress=on_progress,
    )


def reindex(
    w: OpenWorkspace, watch: Watch, now: datetime, on_progress: Progress | None = None
) -> int:
    """Rebuild this copy of the search index from the store (the source of truth), and ask
    every other copy (the other web hosts') to rebuild too; how many items."""
    from watcher.understand.process import reindex as rebuild_index

    return rebuild_index(watch, w.store, w.index, on_progress, now=now)


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
        or w.follower.pending()  # left by a run that found the index busy
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
    w: OpenWorkspace,
    watch: Watch,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    limit: int = 50,
) -> tuple[list[StoredItem], int]:
    """The items collected (of a source, of a group), the most recently published first, at
    most `limit`, and how many there are. Unknown: a group or a source neither sources.yml
    nor the store knows."""
    if group_id:
        group_of(watch, group_id)
    if source_id:
        known = {s.id for s in watch.sources}
        if source_id not in known and source_id not in w.store.count_items():
            raise Unknown(f"Source inconnue : {source_id}. Sources : {', '.join(sorted(known))}")
    found = w.store.list_items(source_id=source_id, group_id=group_id)
    found.sort(key=lambda i: i.published_at or i.fetched_at, reverse=True)
    return found[:limit], len(found)


def item_to_delete(w: OpenWorkspace, item_id: int) -> StoredItem:
    """The item a deletion is about, to name it before deleting (NotFound, as `delete_item`)."""
    found = w.store.get_item(item_id)
    if found is None or found.deleted_at is not None:
        raise NotFound(f"Aucun article n° {item_id} (ou déjà supprimé).")
    return found


def delete_item(w: OpenWorkspace, item_id: int, now: datetime, by: str) -> None:
    """Delete an item: later crawls do not bring it back (its URL is remembered)."""
    if not w.store.delete_item(item_id, now, by):
        raise NotFound(f"Aucun article n° {item_id} (ou déjà supprimé).")


@dataclass(frozen=True)
class PageHistory:
    """A change item's watched page: every version, and the two versions compared."""

    versions: list[PageVersion]
    before: PageVersion | None
    after: PageVersion | None
    gone: int | None = None  # 404 or 410: the page no longer answers (`changes.gone_status`)
    gone_since: datetime | None = None  # the first failed crawl since its last success


def page_history(
    w: OpenWorkspace, item: StoredItem, compare: tuple[int, int] | None = None
) -> PageHistory | None:
    """The versions of the page a change item is about, and the pair to compare: the two
    numbers of `compare` when both exist (the older first), else the change's own pair; None
    for an item that is not a change."""
    if item.kind != CHANGE_KIND:
        return None
    pages = PageStore(w.store)
    versions = pages.page_versions(item.source_id)
    state = w.store.source_states().get(item.source_id)
    gone = gone_status(state.last_error_status, state.consecutive_failures) if state else None
    since = w.store.failing_since([item.source_id]).get(item.source_id) if gone else None
    by_number = {v.number: v for v in versions}
    if compare is not None and all(n in by_number for n in compare):
        first, second = sorted(compare)
        return PageHistory(versions, by_number[first], by_number[second], gone, since)
    own = pages.changes_of([item.id]).get(item.id)
    before, after = own or (None, None)
    return PageHistory(versions, before, after, gone, since)
