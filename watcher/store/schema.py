"""The store's schema: every table of every area on one SQLAlchemy `metadata`, with its version,
and the one function that makes a database ready (`prepare`).

The tables are defined here and nowhere else, so that the whole schema reads in one place (and a
migration tool such as Alembic can compare it with a database). The queries are in the area
modules beside this one (`crawl`, `items`, `groups`, `mail`, `users`, `assess`). SQLAlchemy Core
only: the same schema runs on SQLite (the embedded default, WAL mode) and on PostgreSQL.
"""

from __future__ import annotations

import fcntl
import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import (
    DDL,
    BigInteger,
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
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from watcher.errors import WatcherError

# 2: the search index's change log (`index_changes`): an older Watcher, which would change
# items without recording it, must not write to a store every copy of the index follows
SCHEMA_VERSION = 2


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
    # the HTTP status the last failure answered (404, 410, 503…); 0: no HTTP answer (a name not
    # found, a refused address, a page that could not be read), or a failure recorded before
    # this column by a wording the upgrade did not know (`AFTER_ADDING`)
    Column("last_error_status", Integer, nullable=False, default=0, server_default="0"),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("backoff_until", UTCDateTime),
    Column("items_last_run", Integer, nullable=False, default=0),
    # the groups (a JSON list) its last successful crawl stored items for; "": not known (a
    # store older than this column). A group not in it has the source fetched in full once
    # (watcher.collect.crawl.fetched_in_full).
    Column("fetched_for", Text, nullable=False, default="", server_default=""),
)


# the validators (ETag, Last-Modified) of each address a source fetched, for its conditional GET:
# per source, as two sources that reach one address (a sitemap index and one of its own
# sitemaps, two listings linking the same article) must each be answered for what it has seen
# itself; a 304 earned by the other would hide the address's content from it for good. The
# table « validators » of older stores (kept by address only) is no longer read: each address
# is asked once in full after the upgrade.
validators = Table(
    "source_validators",
    metadata,
    Column("source_id", String(64), primary_key=True),
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
    Column("indexed_version", Integer, nullable=False, default=0),  # unused since schema 2
    # "article" (a feed entry, a page's article…) or "change" (a watched page's change)
    Column("kind", String(16), nullable=False, default="article", server_default="article"),
    UniqueConstraint("source_id", "item_key", name="uq_items_source_key"),
)
Index("ix_items_fetched", items.c.fetched_at)
Index("ix_items_url", items.c.url)
# The items `process` has work for: waiting for enrichment (what waits for the index is in the
# change log, `index_changes`). `watcher serve` asks every minute, most often to find none: a
# partial index holds just those items, so asking does not read the whole table (121–153 ms at
# 100k).
PENDING_ENRICHMENT = and_(items.c.deleted_at.is_(None), items.c.enriched_version < items.c.version)
PARTIAL_INDEXES = tuple(
    Index(name, items.c.id, sqlite_where=condition, postgresql_where=condition)
    for name, condition in (("ix_items_pending", PENDING_ENRICHMENT),)
)

# --- the search index's change log: each host's copy of the index follows it --------------
# One row per change of what search shows (an item enriched, deleted, its groups or its curation
# changed; item_id None: every copy rebuilds), written in the change's own transaction. Each copy
# remembers its position in it (watcher.find.follow). AUTOINCREMENT on SQLite: a pruned last
# number is never given again.
index_changes = Table(
    "index_changes",
    metadata,
    Column(
        "seq",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("item_id", Integer),
    Column("kind", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_index_changes_at", index_changes.c.at)

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

# The versions of each watched page (`kind: monitor`; queries: watcher.store.pages): its text
# as compared (normalised, `ignore:` applied), its price, and the change item the version made.
# A version and its change item are written in one transaction; (source_id, number) is unique,
# so a crawl killed and run again can neither lose a version nor store one twice.
page_versions = Table(
    "page_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), nullable=False),
    Column("number", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("price", Text, nullable=False, default=""),  # a decimal number as text, "" if none
    Column("currency", String(8), nullable=False, default=""),
    # the period the price is paid for: « mois », « an »… ("" paid once; added after schema 1)
    Column("per", String(16), nullable=False, default="", server_default=""),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="SET NULL")),
    UniqueConstraint("source_id", "number", name="uq_page_versions_number"),
)
Index("ix_page_versions_item", page_versions.c.item_id)

frontier = Table(
    "frontier",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("discovered_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
)

# What the recognition of a listing's article links (a `page` source without `follow`) found
# when the crawl report last told the learner (« sans sélecteur follow, … »): told once, and
# again when it finds nothing or something markedly different (watcher.collect.listing). A new
# table: a store made before it gets it when opened (create_all), and tells each once more.
listing_notices = Table(
    "listing_notices",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("links", Integer, nullable=False),
    Column("block", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Column("noticed_at", UTCDateTime, nullable=False),
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


# Dossier files rendered by a worker in the distributed mode, served by every web host (queries:
# watcher.store.dossier_files): one per content (the digest of what the file shows) and format.
dossier_files = Table(
    "dossier_files",
    metadata,
    Column("content", String(64), primary_key=True),
    Column("format", String(8), primary_key=True),
    Column("group_id", String(64), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("rendered_at", UTCDateTime, nullable=False),
)
Index(
    "ix_dossier_files_period",
    dossier_files.c.group_id,
    dossier_files.c.period_start,
    dossier_files.c.period_end,
    dossier_files.c.format,
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
    # JSON list of [pinpoint, official link or ""]: the articles of the act the item cites,
    # « article 12 de la loi n° … » → ["art-12", "https://…/jo/article_12"] (added after schema 1)
    Column("pinpoints", Text, nullable=False, default="[]", server_default="[]"),
)
Index("ix_item_refs_key", item_refs.c.key)

# Columns added to a table after it was first shipped: (table, column). A store made before
# them gets them, with their server default, when it is opened: nothing is lost.
ADDED_COLUMNS = (
    (item_entities, "spans"),
    (item_entities, "confident"),
    (item_refs, "pinpoints"),
    (items, "kind"),  # "change" items of watched pages (older stores: every item an article)
    (source_state, "fetched_for"),  # older stores: not known, each source fetched in full once
    (page_versions, "per"),  # older stores: their versions' prices have no period
    (source_state, "last_error_status"),  # older stores: read from their last error's words
)
# How the crawl worded the HTTP statuses it named (spiders.base.HTTP_REASONS) before a failure's
# status was kept: a store older than `last_error_status` reads them from its failures' words
# once (a watched page already gone stays gone). Frozen: later rewordings do not apply.
_STATUS_WORDS = (
    ("requête refusée par le site (400)", 400),
    ("le site demande une authentification (401)", 401),
    ("accès refusé par le site (403)", 403),
    ("page introuvable (404)", 404),
    ("page supprimée définitivement (410)", 410),
    ("le site limite le nombre de requêtes (429)", 429),
)
# substr, not LIKE: psycopg would read LIKE's « % » as a placeholder
_STATUS_FROM_WORDS = (
    "UPDATE source_state SET last_error_status = CASE"
    + "".join(
        f" WHEN substr(last_error, 1, {len(words)}) = '{words}' THEN {status}"
        for words, status in _STATUS_WORDS
    )
    + " ELSE 0 END"
)
# What an older store does once it has such a column. `pinpoints`: the items citing a text
# are enriched again by the next `watcher process` (only a new enrichment finds the articles
# they cite, and tells the names inside their citations from entities); they keep their
# enrichment until then.
AFTER_ADDING = {
    (item_refs.name, "pinpoints"): (
        "UPDATE items SET enriched_version = 0 WHERE id IN (SELECT item_id FROM item_refs)"
    ),
    # `per` came with watched pages' changes kept out of near-duplicate clusters: the changes
    # an older store folded together are enriched again (each its own cluster) by the next
    # `watcher process`, and shown apart by search once indexed again
    (page_versions.name, "per"): "UPDATE items SET enriched_version = 0 WHERE kind = 'change'",
    # a failure recorded before the column: the status its words named, if they did
    (source_state.name, "last_error_status"): _STATUS_FROM_WORDS,
}

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
    # 64 bits: it starts at a random number below 2**31 (PostgreSQL's INTEGER is 32 bits)
    Column("session_version", BigInteger, nullable=False, default=1),
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

# When each decision was published to its learner and tutor, with the jury's records (an
# evaluator's act): a decision without a row here is seen by the jury's side only. Append-only,
# like the decisions (a publication is a fact added, not a decision changed). A new table: a
# store made before it gets it when opened, with a row for each decision it holds — those were
# shown as soon as recorded, and stay shown (`prepare`).
assess_decision_publications = Table(
    "assess_decision_publications",
    metadata,
    Column("decision_id", Integer, ForeignKey("assess_decisions.id"), primary_key=True),
    Column("published_at", UTCDateTime, nullable=False),
    Column("published_by", String(254), nullable=False),
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
# PostgreSQL: the one function the refusing triggers below call; it raises the trigger's message.
event.listen(
    metadata,
    "before_create",
    DDL(
        "CREATE OR REPLACE FUNCTION watcher_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0]; END $$"
    ).execute_if(dialect="postgresql"),
)


def _refuse(name: str, table: Table, operation: str, message: str, **when: str) -> None:
    """A trigger `name` that makes the database refuse an `operation` (UPDATE or DELETE) on the
    rows of `table` for which the dialect's condition in `when` (SQL over OLD and NEW, keyed by
    dialect name; none: every row) holds, with `message`."""
    sqlite_when = f" WHEN {when['sqlite']}" if "sqlite" in when else ""
    postgresql_when = f" WHEN ({when['postgresql']})" if "postgresql" in when else ""
    for dialect, statement in (
        (
            "sqlite",
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON {table.name}"
            f"{sqlite_when} BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ),
        (
            "postgresql",
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table.name} FOR EACH ROW"
            f"{postgresql_when} EXECUTE FUNCTION watcher_refuse('{message}')",
        ),
    ):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


def _lock_when_signed(name: str, table: Table, columns: Sequence[str], message: str) -> None:
    """Triggers that refuse, once a row is signed, any change to its `columns` and its
    deletion (on SQLite and PostgreSQL alike)."""
    changed = {
        "sqlite": " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns),
        "postgresql": " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns),
    }
    _refuse(
        f"{name}_locked",
        table,
        "UPDATE",
        message,
        **{dialect: f"OLD.signed_at IS NOT NULL AND ({test})" for dialect, test in changed.items()},
    )
    signed = "OLD.signed_at IS NOT NULL"
    _refuse(f"{name}_keep", table, "DELETE", message, sqlite=signed, postgresql=signed)


# Signed assessment records are locked (only `published_at` may still change) and never
# deleted; decisions are append-only: the database refuses, whatever the code asks.
_LOCKED = "assessment record is signed and locked"
_APPEND_ONLY = "decisions are append-only"
_lock_when_signed("assess_records", assess_records, _LOCKED_COLUMNS, _LOCKED)
_refuse("assess_decisions_append_only", assess_decisions, "UPDATE", _APPEND_ONLY)
_refuse("assess_decisions_keep", assess_decisions, "DELETE", _APPEND_ONLY)
_refuse("assess_decision_published", assess_decision_publications, "UPDATE", _APPEND_ONLY)
_refuse("assess_decision_published_keep", assess_decision_publications, "DELETE", _APPEND_ONLY)
# The jury's records of the orals: locked once signed, like assess_records.
_ORAL_LOCKED = (
    "learner", "group_id", "grid_id", "version", "held_on", "duration", "marks", "questions",
    "answers", "author", "created_at", "supersedes_id", "reason", "jury_id", "signed_at",
    "signed_by", "signature",
)  # fmt: skip
_ORAL_LOCKED_MESSAGE = "oral record is signed and locked"
_lock_when_signed("assess_orals", assess_orals, _ORAL_LOCKED, _ORAL_LOCKED_MESSAGE)


# --- opening a database --------------------------------------------------------------------


def database_url(location: str | Path) -> str:
    """The SQLAlchemy URL of a store: a URL as given (``postgresql://`` means psycopg 3), or a
    SQLite file's path (its folder is made)."""
    text = str(location)
    for scheme in ("postgresql://", "postgres://"):  # psycopg 3, the driver Watcher installs
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text.removeprefix(scheme)
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


class StoreTooNew(WatcherError):
    """The database was made or upgraded by a newer Watcher: this one must not write to it."""


def prepare(engine: Engine) -> None:
    """Make the database ready for this version of Watcher: refuse a database newer than the
    code, then create what is missing (tables, indexes, the columns added since a store was
    made: nothing that is there is lost) and record the schema's version.

    The upgrade is done in code, the same on SQLite and PostgreSQL: every change so far adds
    (tables, indexes, columns with a default), which `metadata` describes. One process at a
    time prepares a database: a file lock beside a SQLite file, a transaction-scoped advisory
    lock on PostgreSQL. On both, the whole upgrade is one transaction: all of it or none (a
    kill -9 half-way leaves the store as it was, upgraded by the next opening).

    A store this very schema already prepared (its version and :func:`schema_digest` recorded)
    is ready: one query says so, and nothing is reflected, locked or created (a crawl job of
    the distributed mode opens the store several times; the whole check cost 25 ms of the
    worker's CPU and 20 ms of the server's each time)."""
    if _already_prepared(engine):
        return
    with _schema_lock(engine), _reached(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK_KEY)))
        else:
            # Python's sqlite3 begins a transaction only at the first INSERT/UPDATE/DELETE:
            # each CREATE and ALTER before it was committed on its own, and a kill -9 between
            # a column added and what its store then does (`AFTER_ADDING`) left the column
            # without it for good (the next opening finds the column and skips both). Begun
            # here, the whole upgrade is one transaction on SQLite too.
            write_lock(conn)
        found = _schema_version(conn)
        if found is not None and found > SCHEMA_VERSION:
            raise StoreTooNew(
                f"la base a le schéma {found}, plus récent que ce Watcher "
                f"({SCHEMA_VERSION}) : mettez Watcher à jour"
            )
        tables = set(inspect(conn).get_table_names())
        unpublished_before = (
            assess_decisions.name in tables and assess_decision_publications.name not in tables
        )
        metadata.create_all(conn)
        if unpublished_before:  # decisions recorded before the publication step: shown at once
            conn.execute(
                insert(assess_decision_publications).from_select(
                    ["decision_id", "published_at", "published_by"],
                    select(
                        assess_decisions.c.id,
                        assess_decisions.c.recorded_at,
                        assess_decisions.c.recorded_by,
                    ),
                )
            )
        # a store made before these indexes (create_all adds no index to an existing table)
        for partial in PARTIAL_INDEXES:
            partial.create(conn, checkfirst=True)
        _add_missing_columns(conn)
        if conn.execute(select(meta.c.key).where(meta.c.key == "store_id")).first() is None:
            # the store's identity: a copy of the search index made from another store is
            # told apart (watcher.find.follow); a copied store (migrate-store) keeps it
            conn.execute(insert(meta).values(key="store_id", value=uuid.uuid4().hex))
        if found is None:
            conn.execute(insert(meta).values(key="schema", value=str(SCHEMA_VERSION)))
        elif found < SCHEMA_VERSION:
            conn.execute(
                update(meta).where(meta.c.key == "schema").values(value=str(SCHEMA_VERSION))
            )
        conn.execute(delete(meta).where(meta.c.key == _DIGEST_KEY))
        conn.execute(insert(meta).values(key=_DIGEST_KEY, value=schema_digest()))


# the meta row holding the schema_digest() of the last Watcher that prepared the store
_DIGEST_KEY = "schema_digest"


@cache
def schema_digest() -> str:
    """A fingerprint of every table, column, index and constraint this Watcher's schema has
    (and the columns it adds to older stores): tables were added within one schema version
    (a store made before them gets them when opened), so the version alone does not say that
    a store has everything. Another fingerprint recorded, or none, and `prepare` checks all."""
    parts = [str(SCHEMA_VERSION), repr(ADDED_COLUMNS), *(i.name or "" for i in PARTIAL_INDEXES)]
    for table in metadata.sorted_tables:
        parts.append(table.name)
        parts.extend(
            f"{c.name} {c.type!r} {c.nullable} {c.primary_key} {c.server_default is not None}"
            for c in table.columns
        )
        parts.extend(sorted(f"{i.name} {[c.name for c in i.columns]}" for i in table.indexes))
        parts.extend(sorted(f"{type(c).__name__} {c.name}" for c in table.constraints))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _already_prepared(engine: Engine) -> bool:
    """Whether the store records this Watcher's schema version and digest and has its identity:
    one query, no lock, no change. Any doubt (no meta table yet, a server that does not answer)
    is left to the full `prepare`, which says what is wrong."""
    wanted = {_DIGEST_KEY: schema_digest(), "schema": str(SCHEMA_VERSION)}
    try:
        with engine.connect() as conn:
            found = dict(
                conn.execute(
                    select(meta.c.key, meta.c.value).where(meta.c.key.in_([*wanted, "store_id"]))
                ).all()
            )
    except DBAPIError:
        return False
    return "store_id" in found and all(found.get(key) == value for key, value in wanted.items())


def shown_address(where: URL | str) -> str:
    """A store's address for a message: as the operator writes it (``postgresql://``, not the
    SQLAlchemy driver's ``postgresql+psycopg://``), password hidden, host=/run/… unquoted."""
    url = make_url(str(where)) if isinstance(where, str) else where
    if url.drivername == "postgresql+psycopg":
        url = url.set(drivername="postgresql")
    return unquote(url.render_as_string(hide_password=True))


class StoreUnreachable(WatcherError):
    """The database server that holds the store does not answer or refuses the connection.

    `kind` is what went wrong: "down" (no answer), "database" or "role" (the server answered
    that it has no such database or role), "refused" (it refused the account: password, peer
    or pg_hba.conf rule). `setting` is where the address came from, for the message: the
    environment variable, or `migrate-store`'s `--to` (`through`)."""

    def __init__(
        self,
        where: URL,
        reason: str,
        *,
        kind: str = "down",
        setting: str = "WATCHER_DATABASE_URL",
    ) -> None:
        self.where, self.reason, self.kind, self.setting = where, reason, kind, setting
        shown = shown_address(where)
        name, user = where.database or "", where.username or ""
        if kind == "database":
            owner = f"--owner {user} " if user else ""
            message = (
                f"la base {name} n'existe pas sur ce serveur : {shown}. Créez-la (`createdb "
                f"{owner}--locale=C.UTF-8 --template=template0 {name}`, docs/deploy.md) ou "
                f"corrigez {setting}"
            )
        elif kind == "role":
            message = (
                f"le rôle {user} n'existe pas sur ce serveur : {shown}. Créez-le (`sudo -u "
                f"postgres createuser {user}`, docs/deploy.md) ou corrigez {setting}"
            )
        elif kind == "refused":
            message = (
                f"le serveur refuse la connexion de {user} : {shown} ({reason}). Vérifiez son "
                "mot de passe (~/.pgpass ou PGPASSWORD) et les règles de pg_hba.conf du "
                f"serveur (une règle « peer » veut un compte système du même nom), ou {setting}"
            )
        else:
            message = (
                f"base de données injoignable : {shown} ({reason}). Vérifiez {setting} et "
                "que le serveur tourne"
            )
        super().__init__(message)

    def through(self, setting: str) -> StoreUnreachable:
        """The same failure, the address having come from `setting`."""
        return StoreUnreachable(self.where, self.reason, kind=self.kind, setting=setting)


def _failure(url: URL, reason: str) -> str:
    """What a connection's failure was (StoreUnreachable's `kind`), from the server's message:
    psycopg gives no SQLSTATE for a connection refused, only libpq's text."""
    if f'database "{url.database}" does not exist' in reason:
        return "database"
    if f'role "{url.username}" does not exist' in reason:
        return "role"
    refusals = ("authentication failed", "no password supplied", "pg_hba.conf rejects")
    if any(words in reason for words in refusals):
        return "refused"
    return "down"


def _reached(engine: Engine) -> Engine:
    """`engine`, once a database server has answered (a SQLite file always does)."""
    if engine.dialect.name == "sqlite":
        return engine
    try:
        engine.connect().close()
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())
        kind = _failure(engine.url, reason)
        raise StoreUnreachable(engine.url, reason, kind=kind) from exc
    return engine


# pg_advisory_xact_lock's key for preparing the schema (any number no other lock uses)
_SCHEMA_LOCK_KEY = 0x57A7C4E5


def _schema_version(conn: Connection) -> int | None:
    """The schema version the database records (None: a new database)."""
    if not inspect(conn).has_table(meta.name):
        return None
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema")).first()
    return None if row is None else int(row.value)


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """Two processes opening a new SQLite store at once would race (CREATE TABLE is checked,
    then done): a file lock beside the database serialises them. Nothing on other databases
    (PostgreSQL's lock is taken in the transaction) or for a store in memory."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.schema-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _add_missing_columns(conn: Connection) -> None:
    """Add the columns of :data:`ADDED_COLUMNS` an older store lacks (``create_all`` adds no
    column to an existing table), with their server default: existing rows keep everything."""
    for table, name in ADDED_COLUMNS:
        if name in {column["name"] for column in inspect(conn).get_columns(table.name)}:
            continue
        column = table.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        default = column.server_default.arg  # type: ignore[union-attr]
        conn.exec_driver_sql(
            f'ALTER TABLE "{table.name}" ADD COLUMN "{name}" {kind} NOT NULL DEFAULT \'{default}\''
        )
        if (then := AFTER_ADDING.get((table.name, name))) is not None:
            conn.exec_driver_sql(then)


def insert_or_merge(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """The database's own ``INSERT`` of `table`, which can be told what to do with a row already
    there (``on_conflict_do_nothing`` / ``on_conflict_do_update``): the writes several crawl
    workers may make at once on PostgreSQL, which does not serialise writers as SQLite does."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def write_lock(conn: Connection, key: str | None = None) -> None:
    """Within the caller's transaction, before a read that decides a write (the last version,
    the row to update), so that no other writer changes what was read before this one writes:
    on SQLite, the database's write lock (``BEGIN IMMEDIATE``, waiting as ``busy_timeout``
    says; Python's sqlite3 otherwise begins only at the first write, after the read); on
    PostgreSQL, when `key` is given, a transaction-scoped advisory lock on it (the writers of
    one key take turns; rows already there are better locked with ``FOR UPDATE``)."""
    if conn.dialect.name == "sqlite":
        if not getattr(conn.connection.dbapi_connection, "in_transaction", True):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql" and key is not None:
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


class Area:
    """One area's queries over a store's engine. Made from an engine (`connect`), or from
    another area to share its engine: `MailStore(store)`."""

    def __init__(self, on: Engine | Area) -> None:
        self.engine: Engine = on if isinstance(on, Engine) else on.engine

    def close(self) -> None:
        """Close the engine's connections (every area on the engine reconnects when it next
        asks something)."""
        self.engine.dispose()
