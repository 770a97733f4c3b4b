"""The store: the single source of truth (SQLite in WAL mode by default) — the only module with SQL.

Written with SQLAlchemy Core so that the same code can run on PostgreSQL. Every write that
must be all-or-nothing (a feed's entries together with its HTTP validators, an article
together with the removal of its URL from the frontier) happens in one transaction, so a
SIGKILL at any point loses nothing and duplicates nothing on restart.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import importlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect

from watcher.model import (
    CachedRobots,
    EntityMention,
    Entry,
    ItemEnrichment,
    RefMention,
    SourceResult,
    Validators,
)

SCHEMA_VERSION = 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

source_state = Table(
    "source_state",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("last_attempt_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_error", Text, nullable=False, default=""),
    Column("last_error_at", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("backoff_until", UTCDateTime),
    Column("items_last_run", Integer, nullable=False, default=0),
)

_SOURCE_STATE_FAILURES = select(
    source_state.c.source_id, source_state.c.consecutive_failures
).where(source_state.c.source_id.in_(bindparam("b_source_ids", expanding=True)))
_SOURCE_STATE_UPDATE = update(source_state).where(
    source_state.c.source_id == bindparam("b_source_id")
)  # the columns to set: the keys of the parameters

validators = Table(
    "validators",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), nullable=False),
    Column("item_key", Text, nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("original_url", Text, nullable=False, default=""),
    Column("guid", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("author", Text, nullable=False, default=""),
    Column("language", String(16), nullable=False, default=""),
    Column("published_at", UTCDateTime),
    Column("published_raw", Text, nullable=False, default=""),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("deleted_at", UTCDateTime),
    Column("deleted_by", Text, nullable=False, default=""),
    # processing state: bumped on every content change; `process` enriches what is behind
    Column("enriched_version", Integer, nullable=False, default=0),
    Column("indexed_version", Integer, nullable=False, default=0),
    UniqueConstraint("source_id", "item_key", name="uq_items_source_key"),
)
Index("ix_items_fetched", items.c.fetched_at)
Index("ix_items_url", items.c.url)
# The items `process` has work for: waiting for enrichment, for the index, or to leave it.
# `watcher serve` asks every minute, most often to find none: a partial index of each kind
# holds just those items, so asking does not read the whole table (121–153 ms at 100k).
_PENDING_ENRICHMENT = and_(items.c.deleted_at.is_(None), items.c.enriched_version < items.c.version)
_TO_INDEX = and_(
    items.c.deleted_at.is_(None),
    items.c.enriched_version > 0,
    items.c.indexed_version != items.c.enriched_version,
)
_TO_UNINDEX = and_(items.c.deleted_at.is_not(None), items.c.indexed_version > 0)
_PARTIAL_INDEXES = tuple(
    Index(name, items.c.id, sqlite_where=condition)
    for name, condition in (
        ("ix_items_pending", _PENDING_ENRICHMENT),
        ("ix_items_to_index", _TO_INDEX),
        ("ix_items_to_unindex", _TO_UNINDEX),
    )
)

item_versions = Table(
    "item_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    UniqueConstraint("item_id", "version", name="uq_item_versions"),
)

item_groups = Table(
    "item_groups",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", String(64), primary_key=True),
)
Index("ix_item_groups_group", item_groups.c.group_id)

frontier = Table(
    "frontier",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("discovered_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("complete", Boolean, nullable=False, default=False),
)

crawl_results = Table(
    "crawl_results",
    metadata,
    Column("run_id", Integer, ForeignKey("crawl_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(64), primary_key=True),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("not_modified", Boolean, nullable=False, default=False),
    Column("error", Text, nullable=False, default=""),
)

# robots.txt cache (RFC 9309 §2.4: a crawler may keep a robots.txt up to 24 h, then asks again
# with a conditional GET). One row per scheme://host[:port]; used by
# watcher.collect.politeness.CachedRobotsTxtMiddleware.
robots_cache = Table(
    "robots_cache",
    metadata,
    Column("origin", Text, primary_key=True),  # scheme://netloc
    Column("body", LargeBinary, nullable=False),  # the rules (empty: everything allowed)
    Column("status", Integer, nullable=False),  # HTTP status that gave them
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
    Column("fetched_at", UTCDateTime, nullable=False),  # last confirmed (200 or 304)
)


item_enrichment = Table(
    "item_enrichment",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False),  # the item version that was enriched
    Column("signature", String(64), nullable=False),  # model + axes + topics it was done with
    Column("language", String(16), nullable=False, default=""),
    Column("fingerprint", LargeBinary, nullable=False),
    Column("cluster_id", Integer, nullable=False),
    Column("enriched_at", UTCDateTime, nullable=False),
)
Index("ix_item_enrichment_cluster", item_enrichment.c.cluster_id)

item_axes = Table(
    "item_axes",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("axis_id", String(64), primary_key=True),
)

item_topics = Table(
    "item_topics",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", String(64), primary_key=True),
)

item_entities = Table(
    "item_entities",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(8), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("count", Integer, nullable=False),
    # JSON list of [start, end] character offsets into the item's body (added after schema 1:
    # an older store gets the columns, empty, when it is opened; see _add_missing_columns)
    Column("spans", Text, nullable=False, default="[]", server_default="[]"),
    Column("confident", Boolean, nullable=False, default=False, server_default="0"),
)
Index("ix_item_entities_key", item_entities.c.key)
# Columns added to a table after it was first shipped: (table, column). A store made before
# them gets them, with their server default, when it is opened: nothing is lost.
_ADDED_COLUMNS = ((item_entities, "spans"), (item_entities, "confident"))

item_refs = Table(
    "item_refs",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("label", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("link", String(16), nullable=False),
    Column("text", Text, nullable=False),  # as first written in the item
    Column("count", Integer, nullable=False),
)
Index("ix_item_refs_key", item_refs.c.key)

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("sort", String(16), nullable=False, default="relevance"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False, default=""),
    UniqueConstraint("group_id", "name", name="uq_saved_search_name"),
)


# --- curation: what a group does with its items (the contribution log the dossier needs) -------

curation = Table(
    "curation",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),  # retained | rejected
    Column("reason", Text, nullable=False, default=""),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", Text, nullable=False),
)

fiches = Table(
    "fiches",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", String(64), primary_key=True),
    Column("qui", Text, nullable=False, default=""),
    Column("quoi", Text, nullable=False, default=""),
    Column("ou", Text, nullable=False, default=""),
    Column("quand", Text, nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("combien", Text, nullable=False, default=""),
    Column("pourquoi", Text, nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),  # résumé in the group's own words
    Column("importance", Text, nullable=False, default=""),  # « Pourquoi c'est important »
    Column("action", Text, nullable=False, default=""),  # « Action proposée »
    Column("action_owner", Text, nullable=False, default=""),
    Column("action_deadline", Date),
    Column("crosscheck_item_id", Integer, ForeignKey("items.id", ondelete="SET NULL")),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", Text, nullable=False),
)

activity = Table(
    "activity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("group_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),  # retain | reject | unsort | fiche | …
    Column("item_id", Integer),
    Column("details", Text, nullable=False, default=""),  # JSON
)
Index("ix_activity_group_at", activity.c.group_id, activity.c.at)


def content_hash(title: str, text: str) -> str:
    normalised = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# The questions of a fiche de veille's QQOQCP summary: (field, label), in order.
QQOQCP = (
    ("qui", "Qui ?"),
    ("quoi", "Quoi ?"),
    ("ou", "Où ?"),
    ("quand", "Quand ?"),
    ("comment", "Comment ?"),
    ("combien", "Combien ?"),
    ("pourquoi", "Pourquoi ?"),
)
FICHE_FIELDS = (
    "qui",
    "quoi",
    "ou",
    "quand",
    "comment",
    "combien",
    "pourquoi",
    "summary",
    "importance",
    "action",
    "action_owner",
    "action_deadline",
    "crosscheck_item_id",
)


@dataclass(frozen=True)
class Curation:
    item_id: int
    group_id: str
    status: str  # retained | rejected
    reason: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Fiche:
    """A fiche de veille: one item, processed by a group (QQOQCP, impact, action)."""

    item_id: int
    group_id: str
    qui: str = ""
    quoi: str = ""
    ou: str = ""
    quand: str = ""
    comment: str = ""
    combien: str = ""
    pourquoi: str = ""
    summary: str = ""
    importance: str = ""
    action: str = ""
    action_owner: str = ""
    action_deadline: date | None = None
    crosscheck_item_id: int | None = None
    updated_at: datetime | None = None
    updated_by: str = ""


@dataclass(frozen=True)
class Activity:
    at: datetime
    actor: str
    group_id: str
    action: str
    item_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class SavedSearch:
    group_id: str
    name: str
    query: str
    sort: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class SourceState:
    source_id: str
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    backoff_until: datetime | None = None
    items_last_run: int = 0


@dataclass(frozen=True)
class StoredItem:
    id: int
    source_id: str
    url: str
    title: str
    summary: str
    text: str
    author: str
    language: str
    guid: str
    published_at: datetime | None
    fetched_at: datetime
    updated_at: datetime | None
    content_hash: str
    version: int
    deleted_at: datetime | None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemView:
    """An item with what processing found in it: what search, digests and the web app show."""

    item: StoredItem
    axes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    refs: tuple[RefMention, ...] = ()
    cluster_id: int | None = None
    language: str = ""


# Other areas keep their tables (on this module's `metadata`) and queries in modules of their own;
# they are imported before the schema is created so that every table exists.
AREA_MODULES = ("watcher.store.mail", "watcher.store.users", "watcher.store.assess")


def _load_areas() -> None:
    for name in AREA_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@functools.cache
def _plain_insert(table: Table) -> str:
    """``INSERT`` of a whole row of ``table`` in column order, in the driver's qmark style."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'


def _add_missing_columns(engine: Engine) -> None:
    """Add the columns of :data:`_ADDED_COLUMNS` an older store lacks (``create_all`` adds no
    column to an existing table), with their server default: existing rows keep everything."""
    with engine.begin() as conn:
        for table, name in _ADDED_COLUMNS:
            have = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
            if name in have:
                continue
            column = table.c[name]
            kind = column.type.compile(dialect=engine.dialect)
            default = column.server_default.arg  # type: ignore[union-attr]
            conn.exec_driver_sql(
                f'ALTER TABLE "{table.name}" ADD COLUMN "{name}" {kind} NOT NULL '
                f"DEFAULT '{default}'"
            )


class Store:
    """All reads and writes of the watch's data."""

    def __init__(self, url_or_path: str | Path) -> None:
        url = str(url_or_path)
        if "://" not in url:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{url}"
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _load_areas()
        self._create_schema()
        with self.engine.begin() as conn:
            row = conn.execute(select(meta.c.value).where(meta.c.key == "schema")).first()
            if row is None:
                conn.execute(
                    insert(meta)
                    .values(key="schema", value=str(SCHEMA_VERSION))
                    .prefix_with("OR IGNORE", dialect="sqlite")
                )
            elif int(row.value) > SCHEMA_VERSION:
                raise RuntimeError(
                    f"la base a le schéma {row.value}, plus récent que ce Watcher "
                    f"({SCHEMA_VERSION}) : mettez Watcher à jour"
                )

    def _create_schema(self) -> None:
        """Create missing tables. Two processes opening a new SQLite store at once would race
        (CREATE TABLE is checked, then done): a file lock beside the database serialises it."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            metadata.create_all(self.engine)
            return
        with open(f"{database}.schema-lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                metadata.create_all(self.engine)
                # a store made before these indexes (create_all adds no index to a table)
                for partial in _PARTIAL_INDEXES:
                    partial.create(self.engine, checkfirst=True)
                _add_missing_columns(self.engine)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def close(self) -> None:
        self.engine.dispose()

    # --- sources ------------------------------------------------------------------------

    def source_states(self) -> dict[str, SourceState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(source_state)).mappings().all()
        return {row["source_id"]: SourceState(**dict(row)) for row in rows}

    def record_source_result(
        self, result: SourceResult, now: datetime, backoff_until: datetime | None
    ) -> None:
        """Remember how a source's crawl went (success resets the failure count)."""
        self.record_source_results([(result, backoff_until)], now)

    def record_source_results(
        self, results: Sequence[tuple[SourceResult, datetime | None]], now: datetime
    ) -> None:
        """Remember how each source's crawl went, with its backoff (one result per source): a
        crawl records its results in batches, one transaction each, as they come."""
        ids = [result.source_id for result, _ in results]
        with self.engine.begin() as conn:
            failures: dict[str, int] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for row in conn.execute(_SOURCE_STATE_FAILURES, {"b_source_ids": chunk}):
                    failures[row.source_id] = row.consecutive_failures
            # executemany needs the same columns in every row: one batch per kind of row
            updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            inserts: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for result, backoff_until in results:
                values: dict[str, Any] = {"last_attempt_at": now, "backoff_until": backoff_until}
                if result.ok:
                    values |= {
                        "last_success_at": now,
                        "consecutive_failures": 0,
                        "items_last_run": result.new + result.updated,
                    }
                else:
                    values |= {
                        "last_error": result.error,
                        "last_error_at": now,
                        "consecutive_failures": failures.get(result.source_id, 0) + 1,
                        "items_last_run": 0,
                    }
                if result.source_id in failures:
                    rows = updates.setdefault(tuple(values), [])
                    rows.append({"b_source_id": result.source_id, **values})
                else:
                    rows = inserts.setdefault(tuple(values), [])
                    rows.append({"source_id": result.source_id, **values})
            for rows in updates.values():
                conn.execute(_SOURCE_STATE_UPDATE, rows)
            for rows in inserts.values():
                conn.execute(insert(source_state), rows)

    # --- conditional GET ----------------------------------------------------------------

    def validators_for(self, urls: Iterable[str]) -> dict[str, Validators]:
        wanted = list(urls)
        found: dict[str, Validators] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for row in conn.execute(select(validators).where(validators.c.url.in_(chunk))):
                    found[row.url] = Validators(row.etag, row.last_modified)
        return found

    @staticmethod
    def _save_validators(conn: Connection, url: str, found: Validators | None) -> None:
        if found is None:
            return
        conn.execute(delete(validators).where(validators.c.url == url))
        if found.etag or found.last_modified:
            conn.execute(
                insert(validators).values(
                    url=url, etag=found.etag, last_modified=found.last_modified
                )
            )

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
            conn.execute(delete(robots_cache).where(robots_cache.c.origin == origin))
            conn.execute(
                insert(robots_cache).values(
                    origin=origin,
                    body=copy.body,
                    status=copy.status,
                    etag=copy.validators.etag,
                    last_modified=copy.validators.last_modified,
                    fetched_at=copy.fetched_at,
                )
            )

    # --- items --------------------------------------------------------------------------

    def _upsert(
        self, conn: Connection, source_id: str, groups: Sequence[str], entry: Entry, now: datetime
    ) -> str:
        """Store one entry; returns "new", "updated" or "unchanged"."""
        digest = content_hash(entry.title, entry.text or entry.summary)
        row = conn.execute(
            select(items).where(and_(items.c.source_id == source_id, items.c.item_key == entry.key))
        ).first()
        if row is None:
            inserted = conn.execute(
                insert(items).values(
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
                )
            ).inserted_primary_key
            assert inserted is not None
            item_id = int(inserted[0])
            outcome = "new"
        else:
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
        if row is None or row.deleted_at is None:
            self._link_groups(conn, item_id, groups)
        return outcome

    @staticmethod
    def _link_groups(conn: Connection, item_id: int, groups: Sequence[str]) -> None:
        existing = set(
            conn.execute(
                select(item_groups.c.group_id).where(item_groups.c.item_id == item_id)
            ).scalars()
        )
        missing = [g for g in groups if g not in existing]
        if missing:
            conn.execute(
                insert(item_groups), [{"item_id": item_id, "group_id": g} for g in missing]
            )

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
        """A feed's entries and its validators, all in one transaction. Returns outcomes."""
        with self.engine.begin() as conn:
            outcomes = [self._upsert(conn, source_id, groups, entry, now) for entry in entries]
            self._save_validators(conn, url, found)
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
            outcome = self._upsert(conn, source_id, groups, entry, now)
            self._save_validators(conn, frontier_url, found)
            conn.execute(
                delete(frontier).where(
                    and_(frontier.c.source_id == source_id, frontier.c.url == frontier_url)
                )
            )
        return outcome

    def deleted_urls(self, source_id: str, urls: Iterable[str]) -> set[str]:
        """Those of `urls` whose item a user deleted (they must not come back)."""
        wanted = [u for u in dict.fromkeys(urls) if u]
        found: set[str] = set()
        with self.engine.connect() as conn:
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

    # --- frontier (article URLs discovered but not yet stored) ---------------------------

    def add_to_frontier(
        self,
        source_id: str,
        urls: Sequence[str],
        now: datetime,
        *,
        listing_url: str = "",
        found: Validators | None = None,
    ) -> None:
        """Discovered article URLs and the listing's validators, in one transaction."""
        with self.engine.begin() as conn:
            present = set(
                conn.execute(
                    select(frontier.c.url).where(frontier.c.source_id == source_id)
                ).scalars()
            )
            fresh = [u for u in dict.fromkeys(urls) if u not in present]
            if fresh:
                conn.execute(
                    insert(frontier),
                    [{"source_id": source_id, "url": u, "discovered_at": now} for u in fresh],
                )
            if listing_url:
                self._save_validators(conn, listing_url, found)

    def frontier_urls(self, source_id: str) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(frontier.c.url)
                    .where(frontier.c.source_id == source_id)
                    .order_by(frontier.c.discovered_at, frontier.c.url)
                ).scalars()
            )

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

    # --- crawl runs ---------------------------------------------------------------------

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

    # --- reading items ------------------------------------------------------------------

    def _item_rows(self, conn: Connection, where: Any, limit: int | None) -> Iterator[StoredItem]:
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
            yield StoredItem(
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
                groups=tuple(sorted(memberships.get(row.id, []))),
            )

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
            return list(self._item_rows(conn, and_(True, *conditions), limit))

    def get_item(self, item_id: int) -> StoredItem | None:
        with self.engine.connect() as conn:
            found = list(self._item_rows(conn, items.c.id == item_id, 1))
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
        return bool(done)

    def count_items(self) -> dict[str, int]:
        """Live items per source."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(items.c.source_id, func.count())
                .where(items.c.deleted_at.is_(None))
                .group_by(items.c.source_id)
            ).all()
        return {source: count for source, count in rows}

    # --- enrichment ---------------------------------------------------------------------

    def pending_enrichment(
        self, *, everything: bool = False, limit: int | None = None
    ) -> list[StoredItem]:
        """Live items whose current version has not been enriched (or all, to redo them)."""
        condition: Any = items.c.deleted_at.is_(None) if everything else _PENDING_ENRICHMENT
        with self.engine.connect() as conn:
            return list(self._item_rows(conn, condition, limit))

    def count_pending_enrichment(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(_PENDING_ENRICHMENT)).scalar_one())

    def count_stale_signature(self, signature: str) -> int:
        """Enriched items done with other axes, topics or model than `signature`."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).where(item_enrichment.c.signature != signature)
                ).scalar_one()
            )

    def fingerprints(self, since: datetime | None = None) -> Iterator[tuple[int, bytes, int]]:
        """(item id, fingerprint, cluster id) of enriched items collected since `since`."""
        query = select(
            item_enrichment.c.item_id, item_enrichment.c.fingerprint, item_enrichment.c.cluster_id
        ).order_by(item_enrichment.c.item_id)
        if since is not None:
            query = query.join(items, items.c.id == item_enrichment.c.item_id).where(
                items.c.fetched_at >= since
            )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        for item_id, fp, cluster_id in rows:
            yield int(item_id), bytes(fp), int(cluster_id)

    def refingerprint(
        self,
        compute: Callable[[str, str], bytes],
        scheme: str,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Compute every stored fingerprint again with ``compute(title, body)`` unless the
        store records that they were made by ``scheme``; then record it. One transaction:
        interrupted, it is all done again by the next call. Returns the prints computed;
        ``on_progress(done, total)`` hears of each chunk."""
        key = "fingerprint_scheme"
        recorded = select(meta.c.value).where(meta.c.key == key)
        texts = select(items.c.id, items.c.title, items.c.text, items.c.summary)
        change = (
            update(item_enrichment)
            .where(item_enrichment.c.item_id == bindparam("b_id"))
            .values(fingerprint=bindparam("b_fp"))
        )
        done = 0
        with self.engine.begin() as conn:
            if conn.execute(recorded).scalar() == scheme:
                return 0  # nothing written: SQLite takes its write lock only at the first write
            ids = conn.execute(select(item_enrichment.c.item_id)).scalars().all()
            for start in range(0, len(ids), 500):
                rows = conn.execute(texts.where(items.c.id.in_(ids[start : start + 500]))).all()
                if rows:
                    conn.execute(
                        change,
                        [
                            {"b_id": item_id, "b_fp": compute(title, text or summary)}
                            for item_id, title, text, summary in rows
                        ],
                    )
                done += len(rows)
                if on_progress:
                    on_progress(done, len(ids))
            conn.execute(delete(meta).where(meta.c.key == key))
            conn.execute(insert(meta).values(key=key, value=scheme))
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
                        (e.item_id, r.key, r.kind, r.label, r.url, r.link, r.text, r.count)
                        for e in done
                        for r in e.refs
                    ],
                ),
            ]
            for table, rows in children:
                if rows:
                    conn.exec_driver_sql(_plain_insert(table), rows)
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

    def views(self, item_ids: Sequence[int]) -> list[ItemView]:
        """Items with their enrichment, in the order asked (missing ids are skipped)."""
        if not item_ids:
            return []
        wanted = list(dict.fromkeys(item_ids))
        found: dict[int, ItemView] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                stored = {i.id: i for i in self._item_rows(conn, items.c.id.in_(chunk), None)}
                axes: dict[int, list[str]] = {}
                for item_id, axis in conn.execute(
                    select(item_axes.c.item_id, item_axes.c.axis_id).where(
                        item_axes.c.item_id.in_(chunk)
                    )
                ):
                    axes.setdefault(item_id, []).append(axis)
                topics: dict[int, list[str]] = {}
                for item_id, topic in conn.execute(
                    select(item_topics.c.item_id, item_topics.c.topic_id).where(
                        item_topics.c.item_id.in_(chunk)
                    )
                ):
                    topics.setdefault(item_id, []).append(topic)
                entities: dict[int, list[EntityMention]] = {}
                for row in conn.execute(
                    select(item_entities).where(item_entities.c.item_id.in_(chunk))
                ):
                    spans = tuple((int(a), int(b)) for a, b in json.loads(row.spans or "[]"))
                    entities.setdefault(row.item_id, []).append(
                        EntityMention(
                            row.label,
                            row.key,
                            row.name,
                            int(row._mapping["count"]),
                            spans,
                            bool(row.confident),
                        )
                    )
                refs: dict[int, list[RefMention]] = {}
                for row in conn.execute(select(item_refs).where(item_refs.c.item_id.in_(chunk))):
                    refs.setdefault(row.item_id, []).append(
                        RefMention(
                            row.key,
                            row.kind,
                            row.label,
                            row.url,
                            row.link,
                            row.text,
                            int(row._mapping["count"]),
                        )
                    )
                enrich = {
                    row.item_id: row
                    for row in conn.execute(
                        select(
                            item_enrichment.c.item_id,
                            item_enrichment.c.cluster_id,
                            item_enrichment.c.language,
                        ).where(item_enrichment.c.item_id.in_(chunk))
                    )
                }
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

    # --- index bookkeeping (the Whoosh index is derived from the store) ----------------------

    def index_backlog(self, limit: int | None = None) -> tuple[list[int], list[int]]:
        """(ids to (re)index, ids to remove from the index)."""
        with self.engine.connect() as conn:
            query = select(items.c.id).where(_TO_INDEX).order_by(items.c.id)
            if limit:
                query = query.limit(limit)
            to_index = list(conn.execute(query).scalars())
            to_remove = list(conn.execute(select(items.c.id).where(_TO_UNINDEX)).scalars())
        return to_index, to_remove

    def mark_indexed(self, item_ids: Sequence[int]) -> None:
        """The index now holds these items as enriched (deleted ones: removed)."""
        with self.engine.begin() as conn:
            for start in range(0, len(item_ids), 500):
                chunk = list(item_ids[start : start + 500])
                conn.execute(
                    update(items)
                    .where(and_(items.c.id.in_(chunk), items.c.deleted_at.is_(None)))
                    .values(indexed_version=items.c.enriched_version)
                )
                conn.execute(
                    update(items)
                    .where(and_(items.c.id.in_(chunk), items.c.deleted_at.is_not(None)))
                    .values(indexed_version=0)
                )

    def indexed_ids(self) -> set[int]:
        """Items the store believes are in the index."""
        with self.engine.connect() as conn:
            return set(
                conn.execute(
                    select(items.c.id).where(
                        and_(items.c.indexed_version > 0, items.c.deleted_at.is_(None))
                    )
                ).scalars()
            )

    def forget_indexed(self, item_ids: Iterable[int] | None = None) -> None:
        """Mark items (or all) as not indexed, so that they are indexed again."""
        with self.engine.begin() as conn:
            statement = update(items).values(indexed_version=0)
            if item_ids is not None:
                ids = list(item_ids)
                for start in range(0, len(ids), 500):
                    conn.execute(statement.where(items.c.id.in_(ids[start : start + 500])))
                return
            conn.execute(statement)

    # --- saved searches -----------------------------------------------------------------

    def save_search(
        self, group_id: str, name: str, query: str, sort: str, now: datetime, by: str = ""
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(saved_searches).where(
                    and_(saved_searches.c.group_id == group_id, saved_searches.c.name == name)
                )
            )
            conn.execute(
                insert(saved_searches).values(
                    group_id=group_id,
                    name=name,
                    query=query,
                    sort=sort,
                    created_at=now,
                    created_by=by,
                )
            )

    def saved_searches(self, group_id: str) -> list[SavedSearch]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(saved_searches)
                .where(saved_searches.c.group_id == group_id)
                .order_by(saved_searches.c.name)
            ).all()
        return [
            SavedSearch(r.group_id, r.name, r.query, r.sort, r.created_at, r.created_by)
            for r in rows
        ]

    def delete_saved_search(self, group_id: str, name: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(saved_searches).where(
                    and_(saved_searches.c.group_id == group_id, saved_searches.c.name == name)
                )
            ).rowcount
        return bool(done)

    # --- curation, fiches de veille and the contribution log ----------------------------------

    @staticmethod
    def _log(
        conn: Connection,
        now: datetime,
        actor: str,
        group_id: str,
        action: str,
        item_id: int | None,
        details: dict[str, Any],
    ) -> None:
        conn.execute(
            insert(activity).values(
                at=now,
                actor=actor,
                group_id=group_id,
                action=action,
                item_id=item_id,
                details=json.dumps(details, ensure_ascii=False, default=str),
            )
        )

    def item_in_group(self, item_id: int, group_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(item_groups.c.item_id)
                .join(items, items.c.id == item_groups.c.item_id)
                .where(
                    and_(
                        item_groups.c.item_id == item_id,
                        item_groups.c.group_id == group_id,
                        items.c.deleted_at.is_(None),
                    )
                )
            ).first()
        return row is not None

    def set_curation(
        self,
        group_id: str,
        item_id: int,
        status: str | None,
        *,
        reason: str = "",
        actor: str,
        now: datetime,
    ) -> None:
        """Retain or reject an item for a group (None: back to unsorted); logged."""
        if status not in ("retained", "rejected", None):
            raise ValueError(f"unknown curation status {status!r}")
        if status == "rejected" and not reason.strip():
            raise ValueError("un rejet doit être motivé")
        if not self.item_in_group(item_id, group_id):
            raise PermissionError(f"item {item_id} is not in group {group_id}")
        where = and_(curation.c.item_id == item_id, curation.c.group_id == group_id)
        with self.engine.begin() as conn:
            conn.execute(delete(curation).where(where))
            if status is not None:
                conn.execute(
                    insert(curation).values(
                        item_id=item_id,
                        group_id=group_id,
                        status=status,
                        reason=reason.strip(),
                        updated_at=now,
                        updated_by=actor,
                    )
                )
            action = {"retained": "retain", "rejected": "reject", None: "unsort"}[status]
            self._log(conn, now, actor, group_id, action, item_id, {"reason": reason.strip()})

    def curations(
        self, group_id: str, item_ids: Iterable[int] | None = None
    ) -> dict[int, Curation]:
        query = select(curation).where(curation.c.group_id == group_id)
        if item_ids is not None:
            query = query.where(curation.c.item_id.in_(list(item_ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return {row["item_id"]: Curation(**dict(row)) for row in rows}

    def save_fiche(self, fiche: Fiche, *, actor: str, now: datetime) -> Fiche:
        """Create or replace a group's fiche de veille for an item; logged."""
        if not self.item_in_group(fiche.item_id, fiche.group_id):
            raise PermissionError(f"item {fiche.item_id} is not in group {fiche.group_id}")
        cross = fiche.crosscheck_item_id
        if cross is not None and (
            cross == fiche.item_id or not self.item_in_group(cross, fiche.group_id)
        ):
            raise ValueError("le recoupement doit être un autre article de la veille du groupe")
        values = {name: getattr(fiche, name) for name in FICHE_FIELDS}
        where = and_(fiches.c.item_id == fiche.item_id, fiches.c.group_id == fiche.group_id)
        with self.engine.begin() as conn:
            before = conn.execute(select(fiches).where(where)).mappings().first()
            conn.execute(delete(fiches).where(where))
            conn.execute(
                insert(fiches).values(
                    item_id=fiche.item_id,
                    group_id=fiche.group_id,
                    updated_at=now,
                    updated_by=actor,
                    **values,
                )
            )
            changed = [n for n in FICHE_FIELDS if before is None or before[n] != values[n]]
            self._log(conn, now, actor, fiche.group_id, "fiche", fiche.item_id, {"fields": changed})
        saved = self.fiche(fiche.group_id, fiche.item_id)
        assert saved is not None
        return saved

    def fiche(self, group_id: str, item_id: int) -> Fiche | None:
        found = self.fiches(group_id, [item_id])
        return found.get(item_id)

    def fiches(self, group_id: str, item_ids: Iterable[int] | None = None) -> dict[int, Fiche]:
        query = select(fiches).where(fiches.c.group_id == group_id)
        if item_ids is not None:
            query = query.where(fiches.c.item_id.in_(list(item_ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return {row["item_id"]: Fiche(**dict(row)) for row in rows}

    def activity_log(
        self, group_id: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Activity]:
        """Who did what and when in a group's watch, oldest first."""
        query = select(activity).where(activity.c.group_id == group_id)
        if since is not None:
            query = query.where(activity.c.at >= since)
        if until is not None:
            query = query.where(activity.c.at < until)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(activity.c.at, activity.c.id)).all()
        return [
            Activity(r.at, r.actor, r.group_id, r.action, r.item_id, json.loads(r.details or "{}"))
            for r in rows
        ]

    def group_items_between(
        self, group_id: str, start: datetime, end: datetime
    ) -> list[StoredItem]:
        """A group's live items collected in [start, end) — what a week's digest draws from."""
        condition = and_(
            items.c.deleted_at.is_(None),
            items.c.fetched_at >= start,
            items.c.fetched_at < end,
            items.c.id.in_(select(item_groups.c.item_id).where(item_groups.c.group_id == group_id)),
        )
        with self.engine.connect() as conn:
            return list(self._item_rows(conn, condition, None))
