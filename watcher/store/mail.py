"""Digests and their delivery: the `digests` table and the OUTBOX that makes delivery exactly-once.

The tables are in `watcher.store.schema`; this module holds their queries. One outbox row per
(digest, recipient), created when the digest is sent for the first time, with a deterministic
Message-ID. A row moves:

    pending ──► sending ──► sent
       │           └──────► (found here after a crash: « non confirmé », never resent blindly)
       └──► failed (retry: attempts, next_attempt_at with exponential backoff)
       └──► failed (final: refused by the server, or too many attempts; next_attempt_at NULL)

`pending`/`failed` → `sending` is a conditional UPDATE: the sender that wins it owns the row, so
two senders running at once (the daemon and `watcher digest --send`) never both send it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from watcher.errors import WatcherError
from watcher.model import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    DigestRecord,
    OutboxRow,
    Recipient,
    SentItems,
)
from watcher.store.schema import (
    Area,
    digest_items,
    digest_pools,
    digests,
    item_groups,
    items,
    outbox,
)


def _sent_by(group_id: str) -> ColumnElement[bool]:
    """The group's sent (frozen) digests."""
    return and_(digests.c.group_id == group_id, digests.c.queued_at.is_not(None))


class DigestOverlap(WatcherError, RuntimeError):
    """Another digest of the group was sent meanwhile and counts some of the same items:
    this rendering is stale and must be built again before it is sent."""

    exit_code = 1
    http_status = 409


class MailStore(Area):
    """Queries on the digests and outbox tables, over the Store's engine."""

    # --- digests ---------------------------------------------------------------------------

    def digest(self, group_id: str, week: str) -> DigestRecord | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(digests).where(
                        and_(digests.c.group_id == group_id, digests.c.week == week)
                    )
                )
                .mappings()
                .first()
            )
        return DigestRecord(**dict(row)) if row else None

    def digests(self, group_id: str, weeks: Iterable[str]) -> dict[str, DigestRecord]:
        """The group's records of those weeks, by week, in one query (weeks without one are
        left out)."""
        wanted = sorted(set(weeks))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(digests).where(
                        and_(digests.c.group_id == group_id, digests.c.week.in_(wanted))
                    )
                )
                .mappings()
                .all()
            )
        return {row["week"]: DigestRecord(**dict(row)) for row in rows}

    def digest_by_id(self, digest_id: int) -> DigestRecord:
        with self.engine.connect() as conn:
            row = conn.execute(select(digests).where(digests.c.id == digest_id)).mappings().one()
        return DigestRecord(**dict(row))

    def save_digest(
        self,
        *,
        group_id: str,
        week: str,
        subject: str,
        html_path: str,
        txt_path: str,
        html: str,
        text: str,
        rendered_at: datetime,
        collected: int,
        shown: int,
        retained: int,
        cutoff: datetime | None = None,
        counted_ids: Sequence[int] = (),
        shown_ids: Sequence[int] = (),
    ) -> DigestRecord:
        """Record a rendering of a week's digest and the items it accounts for, unless it was
        already sent (then it stays as it was sent)."""
        values = {
            "subject": subject,
            "html_path": html_path,
            "txt_path": txt_path,
            "html": html,
            "text": text,
            "rendered_at": rendered_at,
            "collected": collected,
            "shown": shown,
            "retained": retained,
        }
        where = and_(digests.c.group_id == group_id, digests.c.week == week)
        shown_set = set(shown_ids)
        rows = [
            {"item_id": i, "counted": True, "shown": i in shown_set}
            for i in dict.fromkeys(counted_ids)
        ]
        rows += [
            {"item_id": i, "counted": False, "shown": True}
            for i in dict.fromkeys(shown_ids)
            if i not in set(counted_ids)
        ]

        def replace_rows(conn: Connection, digest_id: int) -> None:
            conn.execute(delete(digest_items).where(digest_items.c.digest_id == digest_id))
            conn.execute(delete(digest_pools).where(digest_pools.c.digest_id == digest_id))
            if rows:
                conn.execute(insert(digest_items), [{"digest_id": digest_id, **r} for r in rows])
            if cutoff is not None:
                conn.execute(insert(digest_pools).values(digest_id=digest_id, cutoff=cutoff))

        try:
            with self.engine.begin() as conn:
                inserted = conn.execute(
                    insert(digests).values(group_id=group_id, week=week, **values)
                ).inserted_primary_key
                assert inserted is not None
                replace_rows(conn, int(inserted[0]))
        except IntegrityError:  # already rendered (maybe by another process just now)
            with self.engine.begin() as conn:
                changed = conn.execute(
                    update(digests)
                    .where(and_(where, digests.c.queued_at.is_(None)))
                    .values(**values)
                ).rowcount
                if changed:  # not sent: its items are those of this rendering
                    digest_id = conn.execute(select(digests.c.id).where(where)).scalar_one()
                    replace_rows(conn, digest_id)
        found = self.digest(group_id, week)
        assert found is not None
        return found

    def sent_digests(self, group_id: str) -> list[DigestRecord]:
        """The group's sent (frozen) digests, oldest week first."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(select(digests).where(_sent_by(group_id)).order_by(digests.c.week))
                .mappings()
                .all()
            )
        return [DigestRecord(**dict(row)) for row in rows]

    def sent_items(self, group_id: str) -> SentItems:
        """The items the group's sent digests count and show (see `digest_items`)."""
        counted: dict[int, str] = {}
        shown: dict[int, str] = {}
        with self.engine.connect() as conn:
            found = conn.execute(
                select(
                    digests.c.week,
                    digest_items.c.item_id,
                    digest_items.c.counted,
                    digest_items.c.shown,
                )
                .join(digests, digests.c.id == digest_items.c.digest_id)
                .where(_sent_by(group_id))
                .order_by(digests.c.week)
            ).all()
            pools = dict(
                conn.execute(
                    select(digests.c.week, digest_pools.c.cutoff)
                    .join(digests, digests.c.id == digest_pools.c.digest_id)
                    .where(_sent_by(group_id))
                ).all()
            )
        for week, item_id, is_counted, is_shown in found:
            if is_counted:
                counted.setdefault(item_id, week)
            if is_shown:
                shown.setdefault(item_id, week)
        legacy = [d for d in self.sent_digests(group_id) if d.week not in pools]
        return SentItems(counted, shown, pools, legacy)

    def uncounted_items(self, group_id: str, before: datetime) -> list[int]:
        """The group's live items collected before `before` that no sent digest of the group
        counts yet, oldest first (the collected part of the next digest's pool)."""
        counted = (
            select(digest_items.c.item_id)
            .join(digests, digests.c.id == digest_items.c.digest_id)
            .where(and_(_sent_by(group_id), digest_items.c.counted))
        )
        query = (
            select(items.c.id)
            .join(item_groups, item_groups.c.item_id == items.c.id)
            .where(
                and_(
                    item_groups.c.group_id == group_id,
                    items.c.deleted_at.is_(None),
                    items.c.fetched_at < before,
                    items.c.id.not_in(counted),
                )
            )
            .order_by(items.c.fetched_at, items.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def digest_item_ids(self, digest_id: int) -> tuple[set[int], set[int]]:
        """(counted, shown) item ids of one digest's (last) rendering."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(digest_items.c.item_id, digest_items.c.counted, digest_items.c.shown).where(
                    digest_items.c.digest_id == digest_id
                )
            ).all()
        return {r.item_id for r in rows if r.counted}, {r.item_id for r in rows if r.shown}

    def queue(
        self,
        digest_id: int,
        recipients: Sequence[Recipient],
        message_ids: Sequence[str],
        now: datetime,
    ) -> int:
        """Freeze the digest and add an outbox row for each recipient not yet there (in one
        transaction). Returns how many rows were added. Raises DigestOverlap (and changes
        nothing) when another sent digest of the group already counts or shows one of its
        items: the rendering is stale."""
        added = 0
        with self.engine.begin() as conn:
            # the write comes first: on SQLite it takes the lock, so that the check below sees
            # every digest sent before this one and none can be sent during it
            froze = conn.execute(
                update(digests)
                .where(and_(digests.c.id == digest_id, digests.c.queued_at.is_(None)))
                .values(queued_at=now)
            ).rowcount
            if froze:
                self._check_no_overlap(conn, digest_id)
            present = set(
                conn.execute(
                    select(outbox.c.recipient).where(outbox.c.digest_id == digest_id)
                ).scalars()
            )
            for recipient, message_id in zip(recipients, message_ids, strict=True):
                address = recipient.address.lower()
                if address in present:
                    continue
                present.add(address)
                conn.execute(
                    insert(outbox).values(
                        digest_id=digest_id,
                        recipient=address,
                        name=recipient.name,
                        message_id=message_id,
                        state=PENDING,
                        attempts=0,
                        last_error="",
                        created_at=now,
                    )
                )
                added += 1
        return added

    @staticmethod
    def _check_no_overlap(conn: Connection, digest_id: int) -> None:
        group_id = conn.execute(
            select(digests.c.group_id).where(digests.c.id == digest_id)
        ).scalar_one()
        mine = (
            select(digest_items.c.item_id, digest_items.c.counted, digest_items.c.shown)
            .where(digest_items.c.digest_id == digest_id)
            .subquery()
        )
        theirs = (
            select(digest_items.c.item_id, digest_items.c.counted, digest_items.c.shown)
            .join(digests, digests.c.id == digest_items.c.digest_id)
            .where(and_(_sent_by(group_id), digests.c.id != digest_id))
            .subquery()
        )
        clash = conn.execute(
            select(mine.c.item_id)
            .join(theirs, theirs.c.item_id == mine.c.item_id)
            .where(
                or_(
                    and_(mine.c.counted, theirs.c.counted),
                    and_(mine.c.shown, theirs.c.shown),
                )
            )
            .limit(1)
        ).first()
        if clash is not None:
            raise DigestOverlap(
                f"l'article n° {clash.item_id} est déjà dans une autre synthèse envoyée du groupe "
                f"{group_id} : ce rendu est périmé"
            )

    def last_sent_week(self, group_id: str) -> str | None:
        """The latest week whose digest was queued for delivery ("last digest week")."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(digests.c.week)
                .where(_sent_by(group_id))
                .order_by(digests.c.week.desc())
                .limit(1)
            ).scalar()

    def recent_digests(self, limit: int = 20) -> list[DigestRecord]:
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(digests).order_by(digests.c.week.desc(), digests.c.group_id).limit(limit)
                )
                .mappings()
                .all()
            )
        return [DigestRecord(**dict(row)) for row in rows]

    # --- outbox ----------------------------------------------------------------------------

    def rows(self, digest_ids: Iterable[int] | None = None) -> list[OutboxRow]:
        query = select(outbox).order_by(outbox.c.digest_id, outbox.c.id)
        if digest_ids is not None:
            query = query.where(outbox.c.digest_id.in_(list(digest_ids)))
        with self.engine.connect() as conn:
            return [OutboxRow(**dict(r)) for r in conn.execute(query).mappings().all()]

    def due(self, now: datetime, digest_id: int | None = None) -> list[OutboxRow]:
        """Rows to try now: pending ones, and failed ones whose next attempt has come."""
        condition = or_(
            outbox.c.state == PENDING,
            and_(
                outbox.c.state == FAILED,
                outbox.c.next_attempt_at.is_not(None),
                outbox.c.next_attempt_at <= now,
            ),
        )
        if digest_id is not None:
            condition = and_(condition, outbox.c.digest_id == digest_id)
        query = select(outbox).where(condition).order_by(outbox.c.digest_id, outbox.c.id)
        with self.engine.connect() as conn:
            return [OutboxRow(**dict(r)) for r in conn.execute(query).mappings().all()]

    def claim(self, row_id: int, now: datetime) -> bool:
        """pending/failed → sending, committed before DATA. True: this sender owns the row."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(outbox)
                .where(and_(outbox.c.id == row_id, outbox.c.state.in_((PENDING, FAILED))))
                .values(
                    state=SENDING, sending_at=now, attempts=outbox.c.attempts + 1, last_error=""
                )
            ).rowcount
        return done == 1

    def mark_sent(self, row_id: int, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == row_id)
                .values(state=SENT, sent_at=now, next_attempt_at=None)
            )

    def mark_failed(
        self,
        row_id: int,
        reason: str,
        next_attempt_at: datetime | None,
        *,
        attempted: bool,
        from_sending: bool = False,
    ) -> None:
        """A failure before (or, when the server said no to DATA, during) the transfer.
        `attempted`: count it as an attempt (a row not yet claimed has not been counted)."""
        states = (SENDING,) if from_sending else (PENDING, FAILED)
        values: dict[str, object] = {
            "state": FAILED,
            "last_error": reason[:500],
            "next_attempt_at": next_attempt_at,
        }
        if attempted:
            values["attempts"] = outbox.c.attempts + 1
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(and_(outbox.c.id == row_id, outbox.c.state.in_(states)))
                .values(**values)
            )

    def requeue(self, row_id: int) -> bool:
        """An operator's decision: send this row again (after checking it did not arrive)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(outbox)
                .where(and_(outbox.c.id == row_id, outbox.c.state.in_((SENDING, FAILED))))
                .values(state=PENDING, next_attempt_at=None)
            ).rowcount
        return done == 1

    def confirm(self, row_id: int, now: datetime) -> bool:
        """An operator's decision: a « non confirmé » row did arrive."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(outbox)
                .where(and_(outbox.c.id == row_id, outbox.c.state == SENDING))
                .values(state=SENT, sent_at=now)
            ).rowcount
        return done == 1
