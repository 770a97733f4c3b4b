"""The store's schema: every table of every area on one SQLAlchemy `metadata`, with its version,
and the one function that makes a database ready (`prepare`).

The tables are defined here and nowhere else, so that the whole schema reads in one place (and a
migration tool such as Alembic can compare it with a database). The queries are in the area
modules beside this one (`crawl`, `items`, `groups`, `mail`, `users`, `assess`). SQLAlchemy Core
only: the same schema runs on SQLite (the embedded default, WAL mode) and on PostgreSQL.
"""

from __future__ import annotations

import fcntl
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
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
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.engine import Dialect

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
PENDING_ENRICHMENT = and_(items.c.deleted_at.is_(None), items.c.enriched_version < items.c.version)
TO_INDEX = and_(
    items.c.deleted_at.is_(None),
    items.c.enriched_version > 0,
    items.c.indexed_version != items.c.enriched_version,
)
TO_UNINDEX = and_(items.c.deleted_at.is_not(None), items.c.indexed_version > 0)
PARTIAL_INDEXES = tuple(
    Index(name, items.c.id, sqlite_where=condition)
    for name, condition in (
        ("ix_items_pending", PENDING_ENRICHMENT),
        ("ix_items_to_index", TO_INDEX),
        ("ix_items_to_unindex", TO_UNINDEX),
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
    # an older store gets the columns, empty, when it is opened; see prepare)
    Column("spans", Text, nullable=False, default="[]", server_default="[]"),
    Column("confident", Boolean, nullable=False, default=False, server_default="0"),
)
Index("ix_item_entities_key", item_entities.c.key)
# Columns added to a table after it was first shipped: (table, column). A store made before
# them gets them, with their server default, when it is opened: nothing is lost.
ADDED_COLUMNS = ((item_entities, "spans"), (item_entities, "confident"))

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


# --- digests and their delivery (queries: watcher.store.mail) -------------------------------

digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(64), nullable=False),
    Column("week", String(8), nullable=False),  # 2026-W48
    Column("subject", Text, nullable=False),
    Column("html_path", Text, nullable=False),
    Column("txt_path", Text, nullable=False),
    Column("html", Text, nullable=False),  # what is (or was) sent: the store is the truth
    Column("text", Text, nullable=False),
    Column("rendered_at", UTCDateTime, nullable=False),
    Column("collected", Integer, nullable=False),
    Column("shown", Integer, nullable=False),
    Column("retained", Integer, nullable=False),  # of which retained by the group
    Column("queued_at", UTCDateTime),  # first sent: frozen from then on
    UniqueConstraint("group_id", "week", name="uq_digests_group_week"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest_id", Integer, ForeignKey("digests.id", ondelete="CASCADE"), nullable=False),
    Column("recipient", Text, nullable=False),  # lower-cased address
    Column("name", Text, nullable=False, default=""),
    Column("message_id", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
    Column("next_attempt_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sending_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("digest_id", "recipient", name="uq_outbox_digest_recipient"),
    UniqueConstraint("message_id", name="uq_outbox_message_id"),
)
Index("ix_outbox_state", outbox.c.state, outbox.c.next_attempt_at)

# Which items a rendering of a digest accounts for: `counted` — collected items in its pool
# (« collectés N »), each counted by exactly one sent digest of its group; `shown` — items it
# shows. Written with each rendering; only those of sent (frozen) digests decide anything.
digest_items = Table(
    "digest_items",
    metadata,
    Column("digest_id", Integer, ForeignKey("digests.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("counted", Boolean, nullable=False),
    Column("shown", Boolean, nullable=False),
)
Index("ix_digest_items_item", digest_items.c.item_id)
# The moment up to which a rendering took the collected items (the end of its week, or the
# moment it was built when sent early). A sent digest without one predates this record: it
# counted the items collected during its calendar week.
digest_pools = Table(
    "digest_pools",
    metadata,
    Column("digest_id", Integer, ForeignKey("digests.id", ondelete="CASCADE"), primary_key=True),
    Column("cutoff", UTCDateTime, nullable=False),
)


# --- web accounts (queries: watcher.store.users) --------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("group_id", String(64)),  # learner and tutor only
    Column("password_hash", Text, nullable=False),
    # bumped when the password, the role or the group changes, at sign-out and at suspension:
    # older sessions stop being valid. Starts at a random value (see `Users.add`).
    Column("session_version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("email", name="uq_users_email"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("email", String(254), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("ok", Boolean, nullable=False),  # False until the password is found right
)
Index("ix_login_attempts_email_at", login_attempts.c.email, login_attempts.c.at)
Index("ix_login_attempts_ip_at", login_attempts.c.ip, login_attempts.c.at)

# Feed readers do not log in: a saved search's RSS feed is reached by a secret token in its URL.
search_feed_tokens = Table(
    "search_feed_tokens",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False, default=""),
    UniqueConstraint("token", name="uq_search_feed_token"),
)


# --- assessments (queries: watcher.store.assess) --------------------------------------------

assess_grids = Table(
    "assess_grids",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("definition", Text, nullable=False),  # JSON of Grid.to_mapping()
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False, default=""),
)

assess_juries = Table(
    "assess_juries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("session_date", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False, default=""),
)

assess_jury_members = Table(
    "assess_jury_members",
    metadata,
    Column("jury_id", Integer, ForeignKey("assess_juries.id"), primary_key=True),
    Column("email", String(254), primary_key=True),
    Column("name", Text, nullable=False),
    Column("quality", String(16), nullable=False),  # professionnel | formation
    Column("organisation", Text, nullable=False, default=""),
    Column("role", String(32), nullable=False, default="membre"),
    Column("position", Integer, nullable=False, default=0),
)

assess_records = Table(
    "assess_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(254), nullable=False),
    Column("group_id", String(64), nullable=False),
    Column("grid_id", String(64), ForeignKey("assess_grids.id"), nullable=False),
    Column("competence", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("author", String(254), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("supersedes_id", Integer, ForeignKey("assess_records.id")),
    Column("reason", Text, nullable=False, default=""),
    Column("jury_id", Integer, ForeignKey("assess_juries.id")),
    Column("signed_at", UTCDateTime),
    Column("signed_by", String(254), nullable=False, default=""),
    Column("signature", String(64), nullable=False, default=""),
    Column("published_at", UTCDateTime),
    UniqueConstraint("learner", "grid_id", "competence", "version", name="uq_assess_version"),
)

assess_decisions = Table(
    "assess_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(254), nullable=False),
    Column("group_id", String(64), nullable=False),
    Column("block", String(32), nullable=False),
    Column("jury_id", Integer, ForeignKey("assess_juries.id"), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("valid_until", Date),
    Column("comment", Text, nullable=False, default=""),
    Column("recorded_by", String(254), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("supersedes_id", Integer, ForeignKey("assess_decisions.id")),
    Column("signature", String(64), nullable=False),
)

# The jury's records of the orals (issue 21): one row per version, signed and locked like
# assess_records; the per-competence observations and levels are kept as JSON in `marks`
# ([[code, observation, level or null], …]), sealed with the rest. A new table: a store made
# before it gets it when opened (create_all), nothing else changes.
assess_orals = Table(
    "assess_orals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(254), nullable=False),
    Column("group_id", String(64), nullable=False),
    Column("grid_id", String(64), ForeignKey("assess_grids.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("duration", Integer, nullable=False),
    Column("marks", Text, nullable=False, default="[]"),
    Column("questions", Text, nullable=False, default=""),
    Column("answers", Text, nullable=False, default=""),
    Column("author", String(254), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("supersedes_id", Integer, ForeignKey("assess_orals.id")),
    Column("reason", Text, nullable=False, default=""),
    Column("jury_id", Integer, ForeignKey("assess_juries.id")),
    Column("signed_at", UTCDateTime),
    Column("signed_by", String(254), nullable=False, default=""),
    Column("signature", String(64), nullable=False, default=""),
    Column("published_at", UTCDateTime),
    UniqueConstraint("learner", "grid_id", "version", name="uq_assess_oral_version"),
)

_LOCKED_COLUMNS = (
    "learner",
    "group_id",
    "grid_id",
    "competence",
    "version",
    "level",
    "comment",
    "author",
    "created_at",
    "supersedes_id",
    "reason",
    "jury_id",
    "signed_at",
    "signed_by",
    "signature",
)
_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _LOCKED_COLUMNS)
event.listen(
    assess_records,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_records_locked BEFORE UPDATE ON assess_records "
        f"WHEN OLD.signed_at IS NOT NULL AND ({_changed}) "
        "BEGIN SELECT RAISE(ABORT, 'assessment record is signed and locked'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    assess_records,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_records_keep BEFORE DELETE ON assess_records "
        "WHEN OLD.signed_at IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'assessment record is signed and locked'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    assess_decisions,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_decisions_append_only BEFORE UPDATE ON "
        "assess_decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    assess_decisions,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_decisions_keep BEFORE DELETE ON "
        "assess_decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END"
    ).execute_if(dialect="sqlite"),
)
_ORAL_LOCKED = (
    "learner", "group_id", "grid_id", "version", "held_on", "duration", "marks", "questions",
    "answers", "author", "created_at", "supersedes_id", "reason", "jury_id", "signed_at",
    "signed_by", "signature",
)  # fmt: skip
_oral_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _ORAL_LOCKED)
event.listen(
    assess_orals,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_orals_locked BEFORE UPDATE ON assess_orals "
        f"WHEN OLD.signed_at IS NOT NULL AND ({_oral_changed}) "
        "BEGIN SELECT RAISE(ABORT, 'oral record is signed and locked'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    assess_orals,
    "after_create",
    DDL(
        "CREATE TRIGGER IF NOT EXISTS assess_orals_keep BEFORE DELETE ON assess_orals "
        "WHEN OLD.signed_at IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'oral record is signed and locked'); END"
    ).execute_if(dialect="sqlite"),
)


# --- opening a database --------------------------------------------------------------------


def database_url(location: str | Path) -> str:
    """The SQLAlchemy URL of a store: a URL as given, or a file path (its folder is made)."""
    text = str(location)
    if "://" in text:
        return text
    Path(text).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{text}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def connect(location: str | Path) -> Engine:
    """An engine on the store at `location` (a path or a URL), with SQLite's settings (WAL,
    foreign keys, a 30 s wait for the write lock). It changes nothing in the database: see
    `prepare`."""
    engine = create_engine(database_url(location))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def prepare(engine: Engine) -> None:
    """Make the database ready for this version of Watcher: create what is missing (tables,
    indexes, columns added since a store was made: nothing that is there is lost) and check
    that the database is not newer than the code."""
    _create_schema(engine)
    with engine.begin() as conn:
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


def _create_schema(engine: Engine) -> None:
    """Create missing tables. Two processes opening a new SQLite store at once would race
    (CREATE TABLE is checked, then done): a file lock beside the database serialises it."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        metadata.create_all(engine)
        return
    with open(f"{database}.schema-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            metadata.create_all(engine)
            # a store made before these indexes (create_all adds no index to a table)
            for partial in PARTIAL_INDEXES:
                partial.create(engine, checkfirst=True)
            _add_missing_columns(engine)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _add_missing_columns(engine: Engine) -> None:
    """Add the columns of :data:`ADDED_COLUMNS` an older store lacks (``create_all`` adds no
    column to an existing table), with their server default: existing rows keep everything."""
    with engine.begin() as conn:
        for table, name in ADDED_COLUMNS:
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


class Area:
    """One area's queries over a store's engine. Made from an engine (`connect`), or from
    another area to share its engine: `MailStore(store)`."""

    def __init__(self, on: Engine | Area) -> None:
        self.engine: Engine = on if isinstance(on, Engine) else on.engine

    def close(self) -> None:
        """Close the engine's connections (every area on the engine reconnects when it next
        asks something)."""
        self.engine.dispose()
