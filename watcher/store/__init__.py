"""The store: the single source of truth (SQLite in WAL mode by default) — the only package with
SQL.

- `schema`: every table, on one SQLAlchemy metadata, with the schema's version; `connect` and
  `prepare` open a database and make it ready (an older store is upgraded without loss).
- One module per area, each a class of queries over the engine: `crawl` (sources' crawl state,
  validators, robots.txt, the frontier, crawl runs, and the writes a crawl makes), `items` (items,
  enrichment, the index's bookkeeping), `groups` (curation, fiches, activity, saved searches),
  `mail` (digests and the outbox), `users` (accounts, logins, feed tokens), `assess`
  (assessment grids, juries, records, decisions).
- `Store` opens a database and answers for the crawl, items and groups areas together: the one
  handle callers use. `MailStore(store)`, `Users(store)` and `AssessStore(store)` share its
  engine.

The row types the store hands back are plain dataclasses in `watcher.model`. Written with
SQLAlchemy Core so that the same code can run on PostgreSQL. Every write that must be
all-or-nothing happens in one transaction, so a SIGKILL at any point loses nothing and
duplicates nothing on restart.
"""

from __future__ import annotations

from pathlib import Path

from watcher.store.crawl import CrawlStore
from watcher.store.groups import GroupStore
from watcher.store.items import ItemStore
from watcher.store.schema import connect, prepare


class Store(CrawlStore, ItemStore, GroupStore):
    """The watch's store, opened at a path or a SQLAlchemy URL and made ready: the crawl, items
    and groups areas' queries on one engine."""

    def __init__(self, url_or_path: str | Path) -> None:
        engine = connect(url_or_path)
        try:
            prepare(engine)
        except BaseException:
            engine.dispose()  # no connection left open behind a store that did not open
            raise
        super().__init__(engine)


__all__ = ["Store"]
