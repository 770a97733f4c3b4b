"""Items and what processing found in them: reading items, their versions and deletion; the
enrichment `process` writes (axes, topics, entities, references, fingerprints and clusters); the
change log each copy of the Whoosh index (derived from the store) follows: every write that
changes what search shows records its items in `index_changes`, in its own transaction
(`record_index_changes`).

`upsert` is the one write of an entry (new, updated with its previous version kept, or
unchanged); the crawl area calls it inside its own transactions.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from watcher.changes import CHANGE_KIND
from watcher.model import (
    EntityMention,
    Entry,
    ItemEnrichment,
    ItemView,
    Pinpoint,
    RefMention,
    StoredItem,
)
from watcher.store.schema import (
    PENDING_ENRICHMENT,
    Area,
    index_changes,
    insert_or_merge,
    item_axes,
    item_enrichment,
    item_entities,
    item_groups,
    item_refs,
    item_topics,
    item_versions,
    items,
    meta,
    write_lock,
)


def content_hash(title: str, text: str) -> str:
    normalised = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@functools.cache
def _plain_insert(table: Table, paramstyle: str) -> str:
    """``INSERT`` of a whole row of ``table`` in column order, with the driver's positional
    marks (``qmark``: SQLite's ``?``; ``format``, ``pyformat``: psycopg's ``%s``)."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    marks = ", ".join("?" if paramstyle == "qmark" else "%s" for _ in table.columns)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'


def upsert(
    conn: Connection, source_id: str, groups: Sequence[str], entry: Entry, now: datetime
) -> str:
    """Store one entry of a source (within the caller's transaction): "new", "updated" (the
    previous version is kept in `item_versions`) or "unchanged". An item a user deleted stays
    deleted."""
    digest = content_hash(entry.title, entry.text or entry.summary)
    write_lock(conn)  # SQLite: no other writer between this read and the write
    # locked (on PostgreSQL) until the commit: another worker storing the same entry waits
    this_entry = (
        select(items)
        .where(and_(items.c.source_id == source_id, items.c.item_key == entry.key))
        .with_for_update()
    )
    row = conn.execute(this_entry).first()
    item_id: int | None = None
    if row is None:
        item_id = conn.execute(
            insert_or_merge(conn, items)
            .values(
                source_id=source_id,
                item_key=entry.key,
                url=entry.url,
                original_url=entry.original_url,
                guid=entry.guid,
                title=entry.title,
                summary=entry.summary,
                text=entry.text,
                author=entry.author,
                language=entry.language,
                published_at=entry.published,
                published_raw=entry.published_raw,
                fetched_at=now,
                content_hash=digest,
                version=1,
                kind=entry.kind,
            )
            .on_conflict_do_nothing(index_elements=[items.c.source_id, items.c.item_key])
            .returning(items.c.id)
        ).scalar()
        if item_id is None:  # another worker stored it meanwhile (and committed)
            row = conn.execute(this_entry).one()
    if item_id is not None:
        outcome = "new"
    else:
        assert row is not None
        item_id = row.id
        if row.deleted_at is not None or row.content_hash == digest:
            outcome = "unchanged"
        else:
            conn.execute(
                insert(item_versions).values(
                    item_id=row.id,
                    version=row.version,
                    title=row.title,
                    summary=row.summary,
                    text=row.text,
                    content_hash=row.content_hash,
                    fetched_at=row.updated_at or row.fetched_at,
                )
            )
            conn.execute(
                update(items)
                .where(items.c.id == row.id)
                .values(
                    url=entry.url or row.url,
                    title=entry.title,
                    summary=entry.summary,
                    text=entry.text,
                    author=entry.author or row.author,
                    published_at=entry.published or row.published_at,
                    published_raw=entry.published_raw or row.published_raw,
                    updated_at=now,
                    content_hash=digest,
                    version=row.version + 1,
                )
            )
            outcome = "updated"
    joined = (row is None or row.deleted_at is None) and _link_groups(conn, item_id, groups)
    if joined and row is not None:
        # an item already there joins a group: its search document changes (a new one enters
        # the index when it is enriched)
        record_index_changes(conn, [item_id], "groups", now)
    return outcome


def _link_groups(conn: Connection, item_id: int, groups: Sequence[str]) -> bool:
    """Link the item to the groups it is not in yet; whether it joined one."""
    existing = set(
        conn.execute(
            select(item_groups.c.group_id).where(item_groups.c.item_id == item_id)
        ).scalars()
    )
    missing = [g for g in groups if g not in existing]
    if missing:
        conn.execute(
            insert_or_merge(conn, item_groups).on_conflict_do_nothing(),
            [{"item_id": item_id, "group_id": g} for g in missing],
        )
    return bool(missing)


def record_index_changes(
    conn: Connection, item_ids: Iterable[int | None], kind: str, now: datetime
) -> None:
    """Record, in the caller's transaction, that what search shows of these items changed
    (None: of every item, a rebuild). Call it after the change itself.

    On PostgreSQL the transaction takes its id first: a copy of the index that sees a later
    number before this one (transactions commit in any order) waits, before moving past it,
    until every transaction that was running has ended (`index_snapshot`), which it can only
    tell by transaction ids."""
    rows = [{"item_id": i, "kind": kind, "at": now} for i in dict.fromkeys(item_ids)]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_current_xact_id()))
    conn.execute(insert(index_changes), rows)


def item_rows(conn: Connection, where: Any, limit: int | None) -> Iterator[StoredItem]:
    """Items matching `where`, oldest first, with the groups they belong to."""
    query = select(items).where(where).order_by(items.c.id)
    if limit:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    ids = [row.id for row in rows]
    memberships: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for item_id, group_id in conn.execute(
            select(item_groups.c.item_id, item_groups.c.group_id).where(
                item_groups.c.item_id.in_(chunk)
            )
        ):
            memberships.setdefault(item_id, []).append(group_id)
    for row in rows:
        yield _stored_item(row, memberships.get(row.id, []))


def _stored_item(row: Any, groups: Iterable[str]) -> StoredItem:
    """An item's row of `items` and its groups, as the store hands it back."""
    return StoredItem(
        id=row.id,
        source_id=row.source_id,
        url=row.url,
        title=row.title,
        summary=row.summary,
        text=row.text,
        author=row.author,
        language=row.language,
        guid=row.guid,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        updated_at=row.updated_at,
        content_hash=row.content_hash,
        version=row.version,
        deleted_at=row.deleted_at,
        groups=tuple(sorted(groups)),
        kind=row.kind,
    )


@dataclass(frozen=True)
class _ViewQueries:
    """The queries of `ItemStore.views`, built once: each takes the ids as one expanding
    parameter, `ids` (built on every call, they cost more than the database's own work on
    the ten hits of a search)."""

    items: Select[Any]
    groups: Select[Any]
    axes: Select[Any]
    topics: Select[Any]
    entities: Select[Any]
    refs: Select[Any]
    enrichment: Select[Any]


@functools.cache
def _view_queries() -> _ViewQueries:
    ids: Any = bindparam("ids", expanding=True)
    e, r = item_entities.c, item_refs.c
    return _ViewQueries(
        items=select(items).where(items.c.id.in_(ids)),
        groups=select(item_groups.c.item_id, item_groups.c.group_id).where(
            item_groups.c.item_id.in_(ids)
        ),
        axes=select(item_axes.c.item_id, item_axes.c.axis_id).where(item_axes.c.item_id.in_(ids)),
        topics=select(item_topics.c.item_id, item_topics.c.topic_id).where(
            item_topics.c.item_id.in_(ids)
        ),
        entities=select(e.item_id, e.label, e.key, e.name, e["count"], e.spans, e.confident).where(
            e.item_id.in_(ids)
        ),
        refs=select(
            r.item_id, r.key, r.kind, r.label, r.url, r.link, r.text, r["count"], r.pinpoints
        ).where(r.item_id.in_(ids)),
        enrichment=select(
            item_enrichment.c.item_id, item_enrichment.c.cluster_id, item_enrichment.c.language
        ).where(item_enrichment.c.item_id.in_(ids)),
    )


class ItemStore(Area):
    """Items, their enrichment and the index's bookkeeping."""

    def list_items(
        self,
        *,
        source_id: str | None = None,
        group_id: str | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
    ) -> list[StoredItem]:
        conditions = []
        if source_id:
            conditions.append(items.c.source_id == source_id)
        if group_id:
            conditions.append(
                items.c.id.in_(
                    select(item_groups.c.item_id).where(item_groups.c.group_id == group_id)
                )
            )
        if not include_deleted:
            conditions.append(items.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            return list(item_rows(conn, and_(True, *conditions), limit))

    def get_item(self, item_id: int) -> StoredItem | None:
        with self.engine.connect() as conn:
            found = list(item_rows(conn, items.c.id == item_id, 1))
        return found[0] if found else None

    def item_history(self, item_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(item_versions)
                .where(item_versions.c.item_id == item_id)
                .order_by(item_versions.c.version)
            ).mappings()
            return [dict(row) for row in rows]

    def delete_item(self, item_id: int, now: datetime, by: str) -> bool:
        """Soft-delete: the item disappears everywhere and never comes back from a crawl."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(items)
                .where(and_(items.c.id == item_id, items.c.deleted_at.is_(None)))
                .values(deleted_at=now, deleted_by=by)
            ).rowcount
            if done:
                record_index_changes(conn, [item_id], "deleted", now)
        return bool(done)

    def count_items(self, *, group_id: str | None = None) -> dict[str, int]:
        """Live items per source (of one group's: those linked to it)."""
        live: Any = items.c.deleted_at.is_(None)
        if group_id:
            linked = select(item_groups.c.item_id).where(item_groups.c.group_id == group_id)
            live = and_(live, items.c.id.in_(linked))
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(items.c.source_id, func.count()).where(live).group_by(items.c.source_id)
            ).all()
        return {source: count for source, count in rows}

    # --- enrichment ---------------------------------------------------------------------

    def pending_enrichment(
        self, *, everything: bool = False, limit: int | None = None
    ) -> list[StoredItem]:
        """Live items whose current version has not been enriched (or all, to redo them)."""
        condition: Any = items.c.deleted_at.is_(None) if everything else PENDING_ENRICHMENT
        with self.engine.connect() as conn:
            return list(item_rows(conn, condition, limit))

    def count_pending_enrichment(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(PENDING_ENRICHMENT)).scalar_one())

    def count_stale_signature(self, signature: str) -> int:
        """Enriched items done with other axes, topics or model than `signature`."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).where(item_enrichment.c.signature != signature)
                ).scalar_one()
            )

    def fingerprints(self, since: datetime | None = None) -> Iterator[tuple[int, bytes, int]]:
        """(item id, fingerprint, cluster id) of enriched items collected since `since`,
        watched pages' changes left out (they are never near-duplicates)."""
        query = (
            select(
                item_enrichment.c.item_id,
                item_enrichment.c.fingerprint,
                item_enrichment.c.cluster_id,
            )
            .join(items, items.c.id == item_enrichment.c.item_id)
            .where(items.c.kind != CHANGE_KIND)
            .order_by(item_enrichment.c.item_id)
        )
        if since is not None:
            query = query.where(items.c.fetched_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        for item_id, fp, cluster_id in rows:
            yield int(item_id), bytes(fp), int(cluster_id)

    def refingerprint(
        self,
        compute: Callable[[str, str, str], bytes],
        scheme: str,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Compute every stored fingerprint again with ``compute(title, body, url)`` unless the
        store records that they were made by ``scheme``; then record it. One transaction:
        interrupted, it is all done again by the next call. Returns the prints computed;
        ``on_progress(done, total)`` hears of each chunk."""
        key = "fingerprint_scheme"
        recorded = select(meta.c.value).where(meta.c.key == key)
        texts = select(items.c.id, items.c.title, items.c.text, items.c.summary, items.c.url)
        change = (
            update(item_enrichment)
            .where(item_enrichment.c.item_id == bindparam("b_id"))
            .values(fingerprint=bindparam("b_fp"))
        )
        done = 0
        with self.engine.begin() as conn:
            if conn.execute(recorded).scalar() == scheme:
                return 0  # nothing written, no lock taken: the common case
            # another process may be at it: the second waits, then finds the scheme recorded
            write_lock(conn, key)
            if conn.execute(recorded).scalar() == scheme:
                return 0
            ids = conn.execute(select(item_enrichment.c.item_id)).scalars().all()
            for start in range(0, len(ids), 500):
                rows = conn.execute(texts.where(items.c.id.in_(ids[start : start + 500]))).all()
                if rows:
                    conn.execute(
                        change,
                        [
                            {"b_id": item_id, "b_fp": compute(title, text or summary, url)}
                            for item_id, title, text, summary, url in rows
                        ],
                    )
                done += len(rows)
                if on_progress:
                    on_progress(done, len(ids))
            kept = insert_or_merge(conn, meta).values(key=key, value=scheme)
            conn.execute(
                kept.on_conflict_do_update(
                    index_elements=[meta.c.key], set_={"value": kept.excluded.value}
                )
            )
        return done

    def save_enrichments(self, done: Sequence[ItemEnrichment], now: datetime) -> None:
        """A batch of enrichments, atomically; each marks its item version as enriched."""
        if not done:
            return
        ids = [e.item_id for e in done]
        with self.engine.begin() as conn:
            for table in (item_axes, item_topics, item_entities, item_refs, item_enrichment):
                conn.execute(delete(table).where(table.c.item_id.in_(ids)))
            conn.execute(
                insert(item_enrichment),
                [
                    {
                        "item_id": e.item_id,
                        "version": e.version,
                        "signature": e.signature,
                        "language": e.language,
                        "fingerprint": e.fingerprint,
                        "cluster_id": e.cluster_id,
                        "enriched_at": now,
                    }
                    for e in done
                ],
            )
            # Child rows go to the driver's executemany as tuples, in their table's column
            # order: SQLAlchemy's per-row parameter processing cost more than the inserts
            # themselves (~52k rows per 2,000 items, mostly entities and topics). Their
            # columns are plain integers and text, which need no conversion.
            children: list[tuple[Table, list[tuple[Any, ...]]]] = [
                (item_axes, [(e.item_id, a) for e in done for a in e.axes]),
                (item_topics, [(e.item_id, t) for e in done for t in e.topics]),
                (
                    item_entities,
                    [
                        (
                            e.item_id,
                            m.label,
                            m.key,
                            m.name,
                            m.count,
                            json.dumps(m.spans, separators=(",", ":")),
                            m.confident,
                        )
                        for e in done
                        for m in e.entities
                    ],
                ),
                (
                    item_refs,
                    [
                        (
                            e.item_id,
                            r.key,
                            r.kind,
                            r.label,
                            r.url,
                            r.link,
                            r.text,
                            r.count,
                            json.dumps([[p.name, p.url] for p in r.pinpoints]),
                        )
                        for e in done
                        for r in e.refs
                    ],
                ),
            ]
            for table, rows in children:
                if rows:
                    conn.exec_driver_sql(_plain_insert(table, conn.dialect.paramstyle), rows)
            conn.execute(  # one statement for the batch (executemany)
                update(items)
                .where(items.c.id == bindparam("b_id"))
                .values(
                    enriched_version=bindparam("b_version"),
                    # an empty language keeps the item's own
                    language=func.coalesce(func.nullif(bindparam("b_lang"), ""), items.c.language),
                ),
                [{"b_id": e.item_id, "b_version": e.version, "b_lang": e.language} for e in done],
            )
            # indexed again, even when the same version was enriched again (`process
            # --everything`, a store upgraded to keep more): the index holds the old one
            record_index_changes(conn, ids, "enriched", now)

    def views(self, item_ids: Sequence[int]) -> list[ItemView]:
        """Items with their enrichment, in the order asked (missing ids are skipped)."""
        if not item_ids:
            return []
        wanted = list(dict.fromkeys(item_ids))
        found: dict[int, ItemView] = {}
        q = _view_queries()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = {"ids": wanted[start : start + 500]}
                rows = conn.execute(q.items, chunk).all()
                memberships: dict[int, list[str]] = {}
                for item_id, group_id in conn.execute(q.groups, chunk):
                    memberships.setdefault(item_id, []).append(group_id)
                stored = {row.id: _stored_item(row, memberships.get(row.id, [])) for row in rows}
                axes: dict[int, list[str]] = {}
                for item_id, axis in conn.execute(q.axes, chunk):
                    axes.setdefault(item_id, []).append(axis)
                topics: dict[int, list[str]] = {}
                for item_id, topic in conn.execute(q.topics, chunk):
                    topics.setdefault(item_id, []).append(topic)
                entities: dict[int, list[EntityMention]] = {}
                for item_id, label, key, name, count, spans, confident in conn.execute(
                    q.entities, chunk
                ):
                    entities.setdefault(item_id, []).append(
                        EntityMention(
                            label,
                            key,
                            name,
                            int(count),
                            tuple((int(a), int(b)) for a, b in json.loads(spans or "[]")),
                            bool(confident),
                        )
                    )
                refs: dict[int, list[RefMention]] = {}
                for item_id, key, kind, label, url, link, text, count, pinpoints in conn.execute(
                    q.refs, chunk
                ):
                    refs.setdefault(item_id, []).append(
                        RefMention(
                            key,
                            kind,
                            label,
                            url,
                            link,
                            text,
                            int(count),
                            tuple(
                                Pinpoint(str(name), str(address))
                                for name, address in json.loads(pinpoints or "[]")
                            ),
                        )
                    )
                enrich = {row.item_id: row for row in conn.execute(q.enrichment, chunk)}
                for item_id, item in stored.items():
                    extra = enrich.get(item_id)
                    found[item_id] = ItemView(
                        item=item,
                        axes=tuple(sorted(axes.get(item_id, []))),
                        topics=tuple(sorted(topics.get(item_id, []))),
                        entities=tuple(
                            sorted(entities.get(item_id, []), key=lambda m: (-m.count, m.key))
                        ),
                        refs=tuple(sorted(refs.get(item_id, []), key=lambda r: (-r.count, r.key))),
                        cluster_id=extra.cluster_id if extra else None,
                        language=(extra.language if extra else "") or item.language,
                    )
        return [found[i] for i in wanted if i in found]

    def entity_kinds(self, keys: Iterable[str]) -> dict[str, dict[str, int]]:
        """entity key → {label: number of live items that tag it so} (ORG, PER, LOC, MISC)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = (
                    select(item_entities.c.key, item_entities.c.label, func.count())
                    .join(items, items.c.id == item_entities.c.item_id)
                    .where(and_(item_entities.c.key.in_(chunk), items.c.deleted_at.is_(None)))
                    .group_by(item_entities.c.key, item_entities.c.label)
                )
                for key, label, count in conn.execute(query):
                    found.setdefault(key, {})[label] = int(count)
        return found

    def ref_labels(self, keys: Iterable[str]) -> list[tuple[str, str, str]]:
        """(key, kind, label) of references cited by stored items, one per key."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, tuple[str, str, str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(item_refs.c.key, item_refs.c.kind, item_refs.c.label).where(
                    item_refs.c.key.in_(chunk)
                )
                for key, kind, label in conn.execute(query):
                    found.setdefault(key, (key, kind, label))
        return list(found.values())

    def groups_of(self, item_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """item id → the groups it belongs to, sorted, for the items of `item_ids` in any."""
        wanted = list(dict.fromkeys(item_ids))
        found: dict[int, list[str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(item_groups.c.item_id, item_groups.c.group_id).where(
                    item_groups.c.item_id.in_(chunk)
                )
                for item_id, group_id in conn.execute(query):
                    found.setdefault(item_id, []).append(group_id)
        return {item_id: tuple(sorted(groups)) for item_id, groups in found.items()}

    def cluster_members(self, cluster_ids: Iterable[int]) -> dict[int, list[tuple[int, str, str]]]:
        """cluster id -> [(item id, source id, url)] of its live items, oldest first."""
        wanted = list(set(cluster_ids))
        members: dict[int, list[tuple[int, str, str]]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = conn.execute(
                    select(item_enrichment.c.cluster_id, items.c.id, items.c.source_id, items.c.url)
                    .join(items, items.c.id == item_enrichment.c.item_id)
                    .where(
                        and_(item_enrichment.c.cluster_id.in_(chunk), items.c.deleted_at.is_(None))
                    )
                    .order_by(items.c.id)
                )
                for cluster_id, item_id, source_id, url in rows:
                    members.setdefault(cluster_id, []).append((item_id, source_id, url))
        return members

    # --- the index's change log (each copy of the Whoosh index follows it) -------------------

    def indexable_ids(self, among: Iterable[int] | None = None) -> set[int]:
        """The items a copy of the index holds (live and enriched), of `among` or all."""
        live = and_(items.c.deleted_at.is_(None), items.c.enriched_version > 0)
        with self.engine.connect() as conn:
            if among is None:
                return set(conn.execute(select(items.c.id).where(live)).scalars())
            wanted, found = list(dict.fromkeys(among)), set[int]()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(items.c.id).where(and_(live, items.c.id.in_(chunk)))
                found.update(conn.execute(query).scalars())
            return found

    def index_changes_after(self, seq: int, limit: int) -> list[tuple[int, int | None, str]]:
        """The changes numbered after `seq`, oldest first: (seq, item id, kind)."""
        query = (
            select(index_changes.c.seq, index_changes.c.item_id, index_changes.c.kind)
            .where(index_changes.c.seq > seq)
            .order_by(index_changes.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(int(s), i, k) for s, i, k in conn.execute(query)]

    def index_change_bounds(self) -> tuple[int, int] | None:
        """The first and last change numbers the store keeps (None: none)."""
        query = select(func.min(index_changes.c.seq), func.max(index_changes.c.seq))
        with self.engine.connect() as conn:
            first, last = conn.execute(query).one()
        return None if first is None else (int(first), int(last))

    def index_snapshot(self) -> tuple[int, int] | None:
        """PostgreSQL: (xmin, xmax) of a snapshot taken now — every transaction numbered
        below xmin has ended, every one that has a number has one below xmax. None on SQLite,
        whose one writer commits the changes in the order of their numbers."""
        if self.engine.dialect.name != "postgresql":
            return None
        with self.engine.connect() as conn:
            xmin, xmax = conn.exec_driver_sql(
                "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint "
                "FROM pg_current_snapshot() AS s"
            ).one()
        return int(xmin), int(xmax)

    def request_reindex(self, now: datetime) -> None:
        """Every copy of the index rebuilds itself from the store (`watcher reindex`)."""
        with self.engine.begin() as conn:
            record_index_changes(conn, [None], "rebuild", now)

    def prune_index_changes(self, before: datetime) -> int:
        """Forget the changes recorded before `before`, but always the last one (a copy tells
        from the first number kept whether it missed some); how many were forgotten."""
        with self.engine.begin() as conn:
            last = conn.execute(select(func.max(index_changes.c.seq))).scalar()
            if last is None:
                return 0
            return conn.execute(
                delete(index_changes).where(
                    and_(index_changes.c.at < before, index_changes.c.seq < last)
                )
            ).rowcount

    def claim_meta(self, key: str, value: str) -> str:
        """The value of `key` in the store's meta rows: `value` if none was there (it is then
        recorded), else the one recorded first (by this process or another)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert_or_merge(conn, meta)
                .values(key=key, value=value)
                .on_conflict_do_nothing(index_elements=[meta.c.key])
            )
            return str(conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar())

    def record_meta(self, key: str, value: str) -> None:
        """Record `value` for `key` in the store's meta rows, replacing what was there."""
        with self.engine.begin() as conn:
            statement = insert_or_merge(conn, meta).values(key=key, value=value)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[meta.c.key], set_={"value": statement.excluded.value}
                )
            )

    def store_id(self) -> str:
        """The store's own identity (a copy of the index made from another store is rebuilt)."""
        with self.engine.connect() as conn:
            return str(conn.execute(select(meta.c.value).where(meta.c.key == "store_id")).scalar())
