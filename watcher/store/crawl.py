"""Crawl state: how each source's crawls went, the HTTP validators of every fetched URL
(conditional GET), each site's robots.txt, the frontier (article URLs discovered on a listing or a
sitemap, not yet stored) and the crawl runs; and the writes a crawl makes.

Every write of a crawl is one transaction with what must go with it: a feed's entries with the
feed's validators; a listing's new links with the listing's validators; an article with its
validators and its removal from the frontier. A SIGKILL at any point loses nothing and
duplicates nothing on restart. URLs whose item a user deleted never come back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, delete, func, insert, select, update

from watcher.changes import Snapshot
from watcher.model import (
    CachedRobots,
    CrawlSummary,
    Entry,
    ListingSeen,
    SourceResult,
    SourceState,
    Validators,
)
from watcher.store.items import upsert
from watcher.store.pages import Describe, store_version
from watcher.store.schema import (
    Area,
    crawl_results,
    crawl_runs,
    frontier,
    insert_or_merge,
    items,
    listing_notices,
    robots_cache,
    source_state,
    validators,
    write_lock,
)

# how long a source waits after a crawl: (its result, its failures before it) → until when
Backoff = Callable[[SourceResult, int], datetime | None]

_SOURCE_STATE_FAILURES = (
    select(source_state.c.source_id, source_state.c.consecutive_failures)
    .where(source_state.c.source_id.in_(bindparam("b_source_ids", expanding=True)))
    .order_by(source_state.c.source_id)  # rows locked in one order by every writer
    .with_for_update()
)
_SOURCE_STATE_UPDATE = update(source_state).where(
    source_state.c.source_id == bindparam("b_source_id")
)  # the columns to set: the keys of the parameters


def _groups_written(groups: Sequence[str]) -> str:
    return json.dumps(sorted(set(groups)))


def _groups_read(stored: str) -> tuple[str, ...] | None:
    return tuple(json.loads(stored)) if stored else None


def _save_validators(conn: Connection, source_id: str, url: str, found: Validators | None) -> None:
    if found is None:
        return
    if not (found.etag or found.last_modified):
        conn.execute(
            delete(validators).where(
                and_(validators.c.source_id == source_id, validators.c.url == url)
            )
        )
        return
    # a crawl of a source may fetch one URL twice at once (a listing and an article)
    kept = insert_or_merge(conn, validators).values(
        source_id=source_id, url=url, etag=found.etag, last_modified=found.last_modified
    )
    conn.execute(
        kept.on_conflict_do_update(
            index_elements=[validators.c.source_id, validators.c.url],
            set_={"etag": kept.excluded.etag, "last_modified": kept.excluded.last_modified},
        )
    )


def _deleted_urls(conn: Connection, source_id: str, urls: Iterable[str]) -> set[str]:
    """Those of `urls` whose item a user deleted (they must not come back)."""
    wanted = [u for u in dict.fromkeys(urls) if u]
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            conn.execute(
                select(items.c.url).where(
                    and_(
                        items.c.source_id == source_id,
                        items.c.url.in_(chunk),
                        items.c.deleted_at.is_not(None),
                    )
                )
            ).scalars()
        )
    return found


class CrawlStore(Area):
    """Sources' crawl state, validators, robots.txt copies, the frontier, crawl runs."""

    # --- sources ------------------------------------------------------------------------

    def source_states(self) -> dict[str, SourceState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(source_state)).mappings().all()
        return {
            row["source_id"]: SourceState(
                **{
                    **row,
                    "fetched_for": _groups_read(row["fetched_for"]),
                    "last_error_status": row["last_error_status"] or None,
                }
            )
            for row in rows
        }

    def record_source_result(
        self, result: SourceResult, now: datetime, backoff_until: datetime | None
    ) -> None:
        """Remember how a source's crawl went (success resets the failure count)."""
        self.record_source_results([result], now, lambda _result, _before: backoff_until)

    def record_source_results(
        self,
        results: Sequence[SourceResult],
        now: datetime,
        backoff: Backoff,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Remember how each source's crawl went (one result per source): a crawl records its
        results in batches, one transaction each, as they come. A failure adds one to the
        count the store holds when it is written, and its backoff is ``backoff(result,
        failures before it)`` from that count: two writers recording the same source at once
        (a retried job, a person's crawl beside the scheduler's) take turns on its row, so
        neither failure is lost nor is a backoff computed from a count one short. `groups`:
        the groups each source's crawl stored items for, kept for those that succeeded
        (`SourceState.fetched_for`)."""
        ids = sorted({result.source_id for result in results})
        with self.engine.begin() as conn:
            write_lock(conn)  # SQLite; PostgreSQL locks the rows below
            # a row for each source, so that every writer locks one (made only if missing)
            for start in range(0, len(ids), 500):
                conn.execute(
                    insert_or_merge(conn, source_state).on_conflict_do_nothing(),
                    [{"source_id": source_id} for source_id in ids[start : start + 500]],
                )
            failures: dict[str, int] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for row in conn.execute(_SOURCE_STATE_FAILURES, {"b_source_ids": chunk}):
                    failures[row.source_id] = row.consecutive_failures
            # executemany needs the same columns in every row: one batch per kind of row
            updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for result in results:
                before = failures[result.source_id]
                values: dict[str, Any] = {
                    "last_attempt_at": now,
                    "backoff_until": backoff(result, before),
                }
                if result.ok:
                    values |= {
                        "last_success_at": now,
                        "consecutive_failures": 0,
                        "items_last_run": result.new + result.updated,
                    }
                    if groups is not None and result.source_id in groups:
                        values["fetched_for"] = _groups_written(groups[result.source_id])
                else:
                    values |= {
                        "last_error": result.error,
                        "last_error_status": result.status or 0,
                        "last_error_at": now,
                        "consecutive_failures": before + 1,
                        "items_last_run": 0,
                    }
                rows = updates.setdefault(tuple(values), [])
                rows.append({"b_source_id": result.source_id, **values})
            for rows in updates.values():
                conn.execute(_SOURCE_STATE_UPDATE, rows)

    # --- conditional GET ----------------------------------------------------------------

    def validators_for(
        self, wanted: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], Validators]:
        """The validators each (source id, URL) pair kept: a source is answered for what it
        fetched itself, never for what another source fetched at the same address."""
        pairs = set(wanted)
        urls = sorted({url for _, url in pairs})
        found: dict[tuple[str, str], Validators] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(urls), 500):
                chunk = urls[start : start + 500]
                for row in conn.execute(select(validators).where(validators.c.url.in_(chunk))):
                    if (row.source_id, row.url) in pairs:
                        found[row.source_id, row.url] = Validators(row.etag, row.last_modified)
        return found

    # --- robots.txt -----------------------------------------------------------------------

    def robots_copies(self) -> dict[str, CachedRobots]:
        """Every site's kept robots.txt, by origin (scheme://netloc): one query per run."""
        with self.engine.connect() as conn:
            return {
                row.origin: CachedRobots(
                    row.body, row.status, Validators(row.etag, row.last_modified), row.fetched_at
                )
                for row in conn.execute(select(robots_cache))
            }

    def save_robots(self, origin: str, copy: CachedRobots) -> None:
        with self.engine.begin() as conn:
            kept = insert_or_merge(conn, robots_cache).values(
                origin=origin,
                body=copy.body,
                status=copy.status,
                etag=copy.validators.etag,
                last_modified=copy.validators.last_modified,
                fetched_at=copy.fetched_at,
            )
            merged = {c.name: kept.excluded[c.name] for c in robots_cache.c if c.name != "origin"}
            conn.execute(
                kept.on_conflict_do_update(index_elements=[robots_cache.c.origin], set_=merged)
            )

    # --- what a crawl writes: each in one transaction ---------------------------------------

    def store_feed(
        self,
        source_id: str,
        groups: Sequence[str],
        entries: Sequence[Entry],
        now: datetime,
        *,
        url: str,
        found: Validators | None,
    ) -> list[str]:
        """A feed's entries and its validators, all in one transaction; entries whose URL a
        user deleted are left out. Returns the outcome of each entry stored."""
        with self.engine.begin() as conn:
            deleted = _deleted_urls(conn, source_id, (entry.url for entry in entries))
            outcomes = [
                upsert(conn, source_id, groups, entry, now)
                for entry in entries
                if entry.url not in deleted
            ]
            _save_validators(conn, source_id, url, found)
        return outcomes

    def store_article(
        self,
        source_id: str,
        groups: Sequence[str],
        entry: Entry,
        now: datetime,
        *,
        frontier_url: str,
        found: Validators | None,
    ) -> str:
        """An article page, its validators and its removal from the frontier, atomically."""
        with self.engine.begin() as conn:
            outcome = upsert(conn, source_id, groups, entry, now)
            _save_validators(conn, source_id, frontier_url, found)
            conn.execute(
                delete(frontier).where(
                    and_(frontier.c.source_id == source_id, frontier.c.url == frontier_url)
                )
            )
        return outcome

    def store_watched_page(
        self,
        source_id: str,
        groups: Sequence[str],
        snapshot: Snapshot,
        now: datetime,
        *,
        url: str,
        found: Validators | None,
        describe: Describe,
    ) -> str:
        """A watched page as fetched, with its validators, in one transaction: a new version
        (and the change item `describe` makes of it) only when it differs from the last one
        (`watcher.store.pages.store_version`, whose outcome this returns)."""
        with self.engine.begin() as conn:
            outcome = store_version(conn, source_id, groups, url, snapshot, now, describe)
            _save_validators(conn, source_id, url, found)
        return outcome

    def store_article_unchanged(self, source_id: str, url: str) -> None:
        """The article answered 304: nothing to store, it leaves the frontier."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(frontier).where(
                    and_(frontier.c.source_id == source_id, frontier.c.url == url)
                )
            )

    def drop_from_frontier(self, source_id: str, url: str, *, give_up_after: int = 3) -> None:
        """A frontier URL failed once more; forget it after `give_up_after` attempts."""
        where = and_(frontier.c.source_id == source_id, frontier.c.url == url)
        with self.engine.begin() as conn:
            conn.execute(update(frontier).where(where).values(attempts=frontier.c.attempts + 1))
            conn.execute(delete(frontier).where(and_(where, frontier.c.attempts >= give_up_after)))

    def add_to_frontier(
        self,
        source_id: str,
        urls: Sequence[str],
        now: datetime,
        *,
        listing_url: str = "",
        found: Validators | None = None,
    ) -> list[str]:
        """Article URLs found on a listing (or a sitemap) and that page's validators, in one
        transaction. URLs whose item a user deleted are left out; the others are returned, in
        order: each is in the frontier now (added, or there already)."""
        with self.engine.begin() as conn:
            deleted = _deleted_urls(conn, source_id, urls)
            kept = [u for u in dict.fromkeys(urls) if u not in deleted]
            present = set(
                conn.execute(
                    select(frontier.c.url).where(frontier.c.source_id == source_id)
                ).scalars()
            )
            fresh = [u for u in kept if u not in present]
            if fresh:
                conn.execute(  # another worker may have added some meanwhile
                    insert_or_merge(conn, frontier).on_conflict_do_nothing(),
                    [{"source_id": source_id, "url": u, "discovered_at": now} for u in fresh],
                )
            if listing_url:
                _save_validators(conn, source_id, listing_url, found)
        return kept

    # --- the frontier (article URLs discovered but not yet stored) ------------------------

    def frontiers(self, source_ids: Iterable[str]) -> dict[str, list[str]]:
        """Each source's frontier URLs, oldest first (a source with none is left out)."""
        wanted = list(dict.fromkeys(source_ids))
        found: dict[str, list[str]] = {}
        if not wanted:
            return found
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(frontier.c.source_id, frontier.c.url)
                    .where(frontier.c.source_id.in_(wanted[start : start + 500]))
                    .order_by(frontier.c.discovered_at, frontier.c.url)
                )
                for source_id, url in rows:
                    found.setdefault(source_id, []).append(url)
        return found

    # --- crawl runs ---------------------------------------------------------------------

    def listings_noticed(self, source_ids: Iterable[str]) -> dict[tuple[str, str], ListingSeen]:
        """What the crawl report last told of each listing page of these sources, by (source
        id, page address)."""
        ids = sorted(set(source_ids))
        found: dict[tuple[str, str], ListingSeen] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    select(listing_notices).where(
                        listing_notices.c.source_id.in_(ids[start : start + 500])
                    )
                )
                for row in rows:
                    found[(row.source_id, row.url)] = ListingSeen(
                        row.url, row.links, row.block, row.reason
                    )
        return found

    def note_listings(self, noticed: Sequence[tuple[str, ListingSeen]], now: datetime) -> None:
        """Remember what the crawl report told of these listing pages: (source id, found)."""
        if not noticed:
            return
        rows = [
            {
                "source_id": source_id,
                "url": seen.url,
                "links": seen.count,
                "block": seen.block,
                "reason": seen.reason,
                "noticed_at": now,
            }
            for source_id, seen in noticed
        ]
        with self.engine.begin() as conn:
            statement = insert_or_merge(conn, listing_notices)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["source_id", "url"],
                    set_={
                        name: getattr(statement.excluded, name)
                        for name in ("links", "block", "reason", "noticed_at")
                    },
                ),
                rows,
            )

    def start_run(self, now: datetime) -> int:
        with self.engine.begin() as conn:
            inserted = conn.execute(insert(crawl_runs).values(started_at=now)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def finish_run(self, run_id: int, results: Iterable[SourceResult], now: datetime) -> None:
        rows = [
            {
                "run_id": run_id,
                "source_id": result.source_id,
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "failed": result.failed,
                "not_modified": result.not_modified,
                "error": result.error,
            }
            for result in results
        ]
        with self.engine.begin() as conn:
            if rows:
                conn.execute(insert(crawl_results), rows)
            conn.execute(
                update(crawl_runs)
                .where(crawl_runs.c.id == run_id)
                .values(finished_at=now, complete=True)
            )

    # --- what the dossier says of the crawls ---------------------------------------------

    def failing_since(self, source_ids: Iterable[str]) -> dict[str, datetime]:
        """Per source failing now: when the first crawl run that failed since its last success
        started (a source never read: its first failed run). Sources that work are left out."""
        ids = sorted(set(source_ids))
        if not ids:
            return {}
        with self.engine.connect() as conn:
            states = {
                r.source_id: r
                for r in conn.execute(
                    select(source_state).where(source_state.c.source_id.in_(ids))
                ).all()
            }
            failed = conn.execute(
                select(crawl_results.c.source_id, crawl_runs.c.started_at)
                .join(crawl_runs, crawl_runs.c.id == crawl_results.c.run_id)
                .where(crawl_results.c.source_id.in_(ids), crawl_results.c.error != "")
                .order_by(crawl_runs.c.started_at)
            ).all()
        found: dict[str, datetime] = {}
        for source_id, started in failed:
            state = states.get(source_id)
            if state is None or not state.consecutive_failures or source_id in found:
                continue
            if state.last_success_at is None or started > state.last_success_at:
                found[source_id] = started
        return found

    def crawl_summary(self, start: datetime, end: datetime) -> dict[str, CrawlSummary]:
        """Per source: crawl runs in [start, end), failures, new and updated items."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    crawl_results.c.source_id,
                    func.count(),
                    func.sum(crawl_results.c.new),
                    func.sum(crawl_results.c.updated),
                    func.sum(case((crawl_results.c.error != "", 1), else_=0)),
                    func.sum(case((crawl_results.c.not_modified.is_(True), 1), else_=0)),
                )
                .join(crawl_runs, crawl_runs.c.id == crawl_results.c.run_id)
                .where(and_(crawl_runs.c.started_at >= start, crawl_runs.c.started_at < end))
                .group_by(crawl_results.c.source_id)
            ).all()
            runs = conn.execute(
                select(func.count()).where(
                    and_(crawl_runs.c.started_at >= start, crawl_runs.c.started_at < end)
                )
            ).scalar_one()
        summary = {
            source: CrawlSummary(
                source, int(n), int(new or 0), int(upd or 0), int(err or 0), int(nm or 0)
            )
            for source, n, new, upd, err, nm in rows
        }
        summary[""] = CrawlSummary("", int(runs), 0, 0, 0, 0)
        return summary
