"""A group's work on its items: curation (retained / rejected), fiches de veille, the
contribution log every change writes (what the dossier shows of who did what), saved searches,
and the items a week's digest draws from."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from watcher.errors import Conflict
from watcher.model import (
    FICHE_FIELDS,
    Activity,
    Curation,
    Fiche,
    SavedSearch,
    StoredItem,
    curation_token,
    fiche_token,
)
from watcher.store.items import item_rows, record_index_changes
from watcher.store.schema import (
    Area,
    activity,
    curation,
    fiches,
    item_groups,
    items,
    saved_searches,
)


class FicheChanged(Conflict):
    """A fiche saved from a form written over a version someone has changed since."""

    def __init__(self, current: Fiche) -> None:
        super().__init__("la fiche a été modifiée depuis l'ouverture du formulaire")
        self.current = current


class CurationChanged(Conflict):
    """An item sorted from a page showing a state someone has changed since."""

    def __init__(self, current: Curation | None) -> None:
        super().__init__("le tri de l'article a changé depuis l'ouverture de la page")
        self.current = current


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


class GroupStore(Area):
    """Curation, fiches, the contribution log and saved searches of each group."""

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
        over: str | None = None,
    ) -> None:
        """Retain or reject an item for a group (None: back to unsorted); logged. ``over`` is
        the `curation_token` of the state the page showed: when someone has sorted the item
        otherwise since, nothing is written and `CurationChanged` carries the stored state."""
        if status not in ("retained", "rejected", None):
            raise ValueError(f"unknown curation status {status!r}")
        if status == "rejected" and not reason.strip():
            raise ValueError("un rejet doit être motivé")
        if not self.item_in_group(item_id, group_id):
            raise PermissionError(f"item {item_id} is not in group {group_id}")
        where = and_(curation.c.item_id == item_id, curation.c.group_id == group_id)
        with self.engine.begin() as conn:
            if over is not None:
                row = conn.execute(select(curation).where(where)).mappings().first()
                stored = Curation(**dict(row)) if row is not None else None
                if curation_token(stored) != over:
                    raise CurationChanged(stored)
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
            _log(conn, now, actor, group_id, action, item_id, {"reason": reason.strip()})
            record_index_changes(conn, [item_id], "curation", now)  # `statut:` searches it

    def curation_marks(self, item_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Each item's curation by every group, as the index holds it: ("g1:retained", …)."""
        marks: dict[int, list[str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(item_ids), 500):
                chunk = list(item_ids[start : start + 500])
                query = select(curation.c.item_id, curation.c.group_id, curation.c.status).where(
                    curation.c.item_id.in_(chunk)
                )
                for item_id, group_id, status in conn.execute(query):
                    marks.setdefault(item_id, []).append(f"{group_id}:{status}")
        return {item_id: tuple(sorted(found)) for item_id, found in marks.items()}

    def curations(
        self, group_id: str, item_ids: Iterable[int] | None = None
    ) -> dict[int, Curation]:
        query = select(curation).where(curation.c.group_id == group_id)
        if item_ids is not None:
            query = query.where(curation.c.item_id.in_(list(item_ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return {row["item_id"]: Curation(**dict(row)) for row in rows}

    def save_fiche(
        self, fiche: Fiche, *, actor: str, now: datetime, over: str | None = None
    ) -> Fiche:
        """Create or replace a group's fiche de veille for an item; logged with the fields it
        fills or changes. The same fiche saved again (a form sent twice) is left as it is and
        not logged again. ``over`` is the `fiche_token` of the fiche the form was written over
        ("" for none): when the stored fiche is another one by now (someone saved it
        meanwhile), nothing is written and `FicheChanged` carries the stored one."""
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
            if before is None:
                changed = [n for n in FICHE_FIELDS if values[n] not in ("", None)]
            else:
                changed = [n for n in FICHE_FIELDS if before[n] != values[n]]
            if before is not None and not changed:
                return Fiche(**dict(before))
            stored = Fiche(**dict(before)) if before is not None else None
            if over is not None and fiche_token(stored) != over:
                raise FicheChanged(stored or Fiche(fiche.item_id, fiche.group_id))
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
            _log(conn, now, actor, fiche.group_id, "fiche", fiche.item_id, {"fields": changed})
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

    def group_collection_span(self, group_id: str) -> tuple[int, datetime | None, datetime | None]:
        """How many live items the group has, and when the first and the last were collected."""
        query = select(
            func.count(), func.min(items.c.fetched_at), func.max(items.c.fetched_at)
        ).where(
            items.c.deleted_at.is_(None),
            items.c.id.in_(select(item_groups.c.item_id).where(item_groups.c.group_id == group_id)),
        )
        with self.engine.connect() as conn:
            count, first, last = conn.execute(query).one()
        return int(count), first, last

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
            return list(item_rows(conn, condition, None))
