"""Crawling: which sources are due (pure), and `crawl_due`, the use case.

Scrapy's reactor cannot restart within a process, so every crawl runs in a process of its own,
forked by this process' crawl worker (`watcher.collect.worker`), which reports its progress; the
CLI, the scheduler and the tests all call `crawl_due`, which can therefore run any number of
times. The crawl dies with its parent, so killing `watcher crawl` really stops the crawl.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watcher.collect.worker import CrawlRequest, run_crawl
from watcher.config import Source, Watch
from watcher.model import ListingSeen, SourceResult, SourceState
from watcher.store import Store

MAX_BACKOFF = timedelta(days=7)


# --- pure scheduling logic ----------------------------------------------------------------


def next_due(source: Source, state: SourceState | None) -> datetime | None:
    """When the source should next be crawled (None: now, it never was)."""
    if state is None or state.last_attempt_at is None:
        return None
    due = state.last_attempt_at + source.every
    if state.backoff_until and state.backoff_until > due:
        due = state.backoff_until
    return due


def due_sources(
    watch: Watch,
    states: dict[str, SourceState],
    now: datetime,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
) -> list[Source]:
    """Sources to crawl now. `force` (--all) ignores the schedule but not a failing source's
    backoff; naming one source (`source_id`) ignores both: a person asked for it."""
    chosen: list[Source] = []
    for source in watch.sources:
        if source_id and source.id != source_id:
            continue
        if group_id and group_id not in watch.groups_of(source):
            continue
        state = states.get(source.id)
        backed_off = _backed_off_until(state, now) is not None
        due = next_due(source, state)
        if source_id or (not backed_off and (force or due is None or due <= now)):
            chosen.append(source)
    return chosen


def notice_listings(store: Store, results: Sequence[SourceResult], now: datetime) -> None:
    """Add to each result the notice « <page> : sans sélecteur follow, <what was found> » for
    the listing pages whose article links were recognised, when the learner has not been told
    yet or it changed markedly since (`watcher.collect.listing.notice_due`), and remember it in
    the store: told once per source, across crawls and restarts, not at every crawl."""
    found = [(result, seen) for result in results for seen in result.listings]
    if not found:
        return
    from watcher.collect.listing import notice_due  # lxml, trafilatura: only for such sources

    shown = store.listings_noticed({result.source_id for result, _seen in found})
    noticed: list[tuple[str, ListingSeen]] = []
    for result, seen in found:
        if not notice_due(shown.get((result.source_id, seen.url)), seen):
            continue
        noticed.append((result.source_id, seen))
        if seen.count:  # nothing found: the source's failure (or a warning) says it already
            result.warnings.append(f"{seen.url} : sans sélecteur follow, {seen.reason}")
    store.note_listings(noticed, now)


def _backed_off_until(state: SourceState | None, now: datetime) -> datetime | None:
    """Until when a failing source waits before it is tried again (None: it does not wait)."""
    if state and state.backoff_until and state.backoff_until > now:
        return state.backoff_until
    return None


def fetched_in_full(groups: Sequence[str], state: SourceState | None) -> bool:
    """Whether a source's next crawl asks for its pages without the validators kept for them
    (no conditional GET): one of the groups it now feeds (`groups`) was not among those its last
    successful crawl stored items for, or that is not known (a store older than that record, a
    source whose crawls all failed). A 304 would otherwise keep from that group the items the
    source shows now: the item pipeline links an item to the groups of its source only when it
    sees it. A source never recorded (its first crawl, or one killed before it was recorded:
    its validators were saved with the items they stand for) is asked as before."""
    if state is None:
        return False
    return state.fetched_for is None or not set(groups) <= set(state.fetched_for)


def backoff_until(
    source: Source, result: SourceResult, failures_before: int, now: datetime
) -> datetime | None:
    """After a failure, wait `every` × 2^(failures-1) (at most 7 days), or what the server
    asked with Retry-After if longer. A success clears the backoff."""
    if result.ok:
        return None
    failures = failures_before + 1
    wait = min(source.every * (2 ** (failures - 1)), MAX_BACKOFF)
    if result.retry_after is not None:
        wait = max(wait, timedelta(seconds=result.retry_after))
    return now + wait


# --- the use case -------------------------------------------------------------------------


@dataclass
class CrawlReport:
    results: list[SourceResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sources not due
    # failing sources backed off (id → until when), left out even by `force` (--all)
    held_back: dict[str, datetime] = field(default_factory=dict)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if not r.ok]


def crawl_due(
    watch: Watch,
    database: str | Path,
    now: datetime,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    log_file: Path | None = None,
) -> CrawlReport:
    """Crawl the due sources in a crawl process, which stores what it finds in the store at
    `database` (a path or a SQLAlchemy URL), and record there how each source went."""
    if "://" not in str(database):
        # absolute paths: a worker started earlier may not share this process' directory
        database = Path(database).absolute()
    with closing(Store(database)) as store:
        states = store.source_states()
        sources = due_sources(
            watch, states, now, source_id=source_id, group_id=group_id, force=force
        )
        chosen = {source.id for source in sources}
        report = CrawlReport(
            skipped=[s.id for s in watch.sources if s.id not in chosen],
            held_back={
                s.id: until
                for s in watch.sources
                if s.id not in chosen
                and (not group_id or group_id in watch.groups_of(s))
                and (until := _backed_off_until(states.get(s.id), now)) is not None
            },
        )
        if not sources:
            return report
        if on_event:
            on_event({"event": "crawl_started", "sources": [s.id for s in sources]})
        run_id = store.start_run(now)
        by_id = {source.id: source for source in sources}
        groups = {source.id: watch.groups_of(source) for source in sources}
        in_full = frozenset(
            source.id
            for source in sources
            if fetched_in_full(groups[source.id], states.get(source.id))
        )
        recorded: dict[str, SourceResult] = {}

        def record(results: list[SourceResult]) -> None:
            """Each source's outcome is written as the crawl reports it, while the crawl still
            waits out other sites' delays, not all at the end: those reported together (within
            half a second) in one transaction."""
            rows: list[SourceResult] = []
            for result in results:
                source = by_id.get(result.source_id)
                if source is None or source.id in recorded:
                    continue
                rows.append(result)
                recorded[source.id] = result
            notice_listings(store, rows, now)
            if rows:  # the backoff from the failures the store holds when it writes
                store.record_source_results(
                    rows,
                    now,
                    lambda result, failures: backoff_until(
                        by_id[result.source_id], result, failures, now
                    ),
                    groups,
                )

        def forward(events: list[dict[str, Any]]) -> None:
            record([SourceResult.from_dict(e) for e in events if e.get("event") == "source_done"])
            if on_event:
                for event in events:
                    if event.get("event") == "source_done" and event["source_id"] in recorded:
                        # with the notices as recorded (`notice_listings`)
                        event = {"event": "source_done", **recorded[event["source_id"]].to_dict()}
                    on_event(event)

        log = log_file.absolute() if log_file else None
        run_crawl(CrawlRequest(watch, database, list(by_id), now, log, in_full), forward)
        finished = datetime.now(UTC)
        interrupted = "collecte interrompue avant la fin : relancez `watcher crawl`"
        record([SourceResult(s.id, error=interrupted) for s in sources if s.id not in recorded])
        report.results = [recorded[source.id] for source in sources]
        store.finish_run(run_id, report.results, finished)
        return report
