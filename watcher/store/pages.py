"""Watched pages: their versions, and the change items versions make.

`store_version` is the one write of a fetched watched page (the crawl area calls it inside the
transaction that also saves the page's validators): nothing when the page is the same as its
last version; else a new version, with the change item `describe` makes of it (none for the
first version, nor when a trigger did not fire on a change of text alone), in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, select

from watcher.changes import PageVersion, Price, Snapshot
from watcher.model import Entry
from watcher.store.items import upsert
from watcher.store.schema import Area, items, page_versions, write_lock

# (the last version, or None; the new version's number) → the change item, or None
Describe = Callable[[PageVersion, int], Entry | None]


def _version(row: Any) -> PageVersion:
    return PageVersion(
        source_id=row.source_id,
        number=row.number,
        url=row.url,
        text=row.text,
        hash=row.content_hash,
        price=Price.of(row.price, row.currency, row.per) if row.price else None,
        fetched_at=row.fetched_at,
        item_id=row.item_id,
    )


def _last_version(conn: Connection, source_id: str) -> PageVersion | None:
    row = conn.execute(
        select(page_versions)
        .where(page_versions.c.source_id == source_id)
        .order_by(page_versions.c.number.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def store_version(
    conn: Connection,
    source_id: str,
    groups: Sequence[str],
    url: str,
    snapshot: Snapshot,
    now: datetime,
    describe: Describe,
) -> str:
    """Within the caller's transaction: "unchanged" (the same as the last version: nothing
    stored), "first" (the page's first version), "new" (a new version and its change item) or
    "updated" (a new version that made no change item: its trigger did not fire and its price
    did not change). Two writers of the same page (two workers, a job retried while the first
    still writes) take turns: the second finds the first's version and stores nothing."""
    write_lock(conn, f"page_versions:{source_id}")
    last = _last_version(conn, source_id)
    if last is not None and last.hash == snapshot.hash:
        return "unchanged"
    number = last.number + 1 if last else 1
    entry = describe(last, number) if last is not None else None
    item_id = None
    if entry is not None:
        upsert(conn, source_id, groups, entry, now)
        item_id = conn.execute(
            select(items.c.id).where(
                and_(items.c.source_id == source_id, items.c.item_key == entry.key)
            )
        ).scalar_one()
    conn.execute(
        insert(page_versions).values(
            source_id=source_id,
            number=number,
            url=url,
            text=snapshot.text,
            content_hash=snapshot.hash,
            price=str(snapshot.price.amount) if snapshot.price else "",
            currency=snapshot.price.currency if snapshot.price else "",
            per=snapshot.price.per if snapshot.price else "",
            fetched_at=now,
            item_id=item_id,
        )
    )
    if last is None:
        return "first"
    return "new" if entry is not None else "updated"


class PageStore(Area):
    """The versions of watched pages."""

    def page_versions(self, source_id: str) -> list[PageVersion]:
        """Every version of a watched page, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(page_versions)
                .where(page_versions.c.source_id == source_id)
                .order_by(page_versions.c.number)
            ).all()
        return [_version(row) for row in rows]

    def changes_of(self, item_ids: Sequence[int]) -> dict[int, tuple[PageVersion, PageVersion]]:
        """For each change item among `item_ids`: the version before it and its own."""
        found: dict[int, tuple[PageVersion, PageVersion]] = {}
        wanted = list(dict.fromkeys(item_ids))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                made = conn.execute(
                    select(page_versions).where(
                        page_versions.c.item_id.in_(wanted[start : start + 500])
                    )
                ).all()
                for row in made:
                    before = conn.execute(
                        select(page_versions).where(
                            and_(
                                page_versions.c.source_id == row.source_id,
                                page_versions.c.number == row.number - 1,
                            )
                        )
                    ).first()
                    if before is not None:
                        found[row.item_id] = (_version(before), _version(row))
        return found
