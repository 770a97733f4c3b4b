"""Assessment queries (grids, juries, records with versions and seals, decisions). The tables are
in `watcher.store.schema`; the use cases that check who may do what are in `watcher.jobs.assess`.

Locking is enforced twice: every write of a record is a conditional UPDATE … WHERE signed_at IS
NULL (a signed record is never changed by the application, on any database), and on SQLite
triggers refuse any change to the content of a signed record or any deletion of one, so that even
a hand-written UPDATE cannot rewrite a signed grade. Decisions are append-only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, and_, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from watcher.errors import AssessError, LockedError
from watcher.grids import BUILTIN_GRIDS, grid_from_mapping
from watcher.model import Decision, Grid, Jury, JuryMember, OralMark, OralRecord, Record
from watcher.plural import counted
from watcher.store.schema import (
    Area,
    UTCDateTime,
    assess_decision_publications,
    assess_decisions,
    assess_grids,
    assess_juries,
    assess_jury_members,
    assess_orals,
    assess_records,
    write_lock,
)


def _version_values(record: Record | OralRecord) -> dict[str, Any]:
    """The columns a new version of a record has, written or oral, besides its content: whose
    record on which grid, its place in the history, its author and jury."""
    return {
        "learner": record.learner,
        "group_id": record.group_id,
        "grid_id": record.grid_id,
        "version": record.version,
        "author": record.author,
        "created_at": record.created_at,
        "supersedes_id": record.supersedes,
        "reason": record.reason,
        "jury_id": record.jury_id,
    }


def _version_fields(row: Any) -> dict[str, Any]:
    """The fields of a row of assess_records or assess_orals besides its content (those of
    `_version_values`, its id, its signature and publication)."""
    return {
        "learner": row.learner,
        "group_id": row.group_id,
        "grid_id": row.grid_id,
        "author": row.author,
        "created_at": row.created_at,
        "version": row.version,
        "supersedes": row.supersedes_id,
        "reason": row.reason,
        "jury_id": row.jury_id,
        "id": row.id,
        "signed_at": row.signed_at,
        "signed_by": row.signed_by,
        "signature": row.signature,
        "published_at": row.published_at,
    }


def _record(row: Any) -> Record:
    return Record(
        competence=row.competence, level=row.level, comment=row.comment, **_version_fields(row)
    )


def _oral(row: Any) -> OralRecord:
    return OralRecord(
        held_on=row.held_on,
        duration=row.duration,
        marks=tuple(OralMark(c, o, lv) for c, o, lv in json.loads(row.marks)),
        questions=row.questions,
        answers=row.answers,
        **_version_fields(row),
    )


def _marks_json(record: OralRecord) -> str:
    return json.dumps(
        [[m.competence, m.observation, m.level] for m in record.marks], ensure_ascii=False
    )


def _decision(row: Any) -> Decision:
    return Decision(
        learner=row.learner,
        group_id=row.group_id,
        jury_id=row.jury_id,
        decided_on=row.decided_on,
        outcome=row.outcome,
        valid_until=row.valid_until,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        comment=row.comment,
        block=row.block,
        id=row.id,
        supersedes=row.supersedes_id,
        signature=row.signature,
        published_at=row.published_at,
    )


def _signature_values(record: Record | OralRecord) -> dict[str, Any]:
    return {
        "signed_at": record.signed_at,
        "signed_by": record.signed_by,
        "signature": record.signature,
        "jury_id": record.jury_id,
    }


def _versions(
    table: Table, learner: str | None, group_id: str | None, grid_id: str | None
) -> Select[Any]:
    """The rows of assess_records or assess_orals of a learner, a group, a grid (each
    optional)."""
    query = select(table)
    if learner:
        query = query.where(table.c.learner == learner.strip().lower())
    if group_id:
        query = query.where(table.c.group_id == group_id)
    if grid_id:
        query = query.where(table.c.grid_id == grid_id)
    return query


class AssessStore(Area):
    """Reads and writes of the assessment tables (on the watch's store)."""

    # --- grids ---------------------------------------------------------------------------

    def ensure_builtin_grids(self, now: datetime) -> None:
        with self.engine.begin() as conn:
            present = set(conn.execute(select(assess_grids.c.id)).scalars())
            for grid in BUILTIN_GRIDS:
                if grid.id not in present:
                    conn.execute(
                        insert(assess_grids).values(
                            id=grid.id,
                            name=grid.name,
                            kind=grid.kind,
                            definition=json.dumps(grid.to_mapping(), ensure_ascii=False),
                            created_at=now,
                            created_by="watcher",
                        )
                    )

    def save_grid(self, grid: Grid, *, now: datetime, by: str) -> None:
        """Add a grid, or replace one that no record uses yet (a used grid is frozen)."""
        definition = json.dumps(grid.to_mapping(), ensure_ascii=False)
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(assess_grids.c.definition).where(assess_grids.c.id == grid.id)
            ).scalar_one_or_none()
            if existing is not None:
                if existing == definition:
                    return
                used = (
                    conn.execute(
                        select(func.count()).where(assess_records.c.grid_id == grid.id)
                    ).scalar_one()
                    + conn.execute(
                        select(func.count()).where(assess_orals.c.grid_id == grid.id)
                    ).scalar_one()
                )
                if used:
                    raise AssessError(
                        f"la grille {grid.id} sert déjà à {counted(used, 'évaluation')} : elle est "
                        "figée, "
                        "enregistrez la nouvelle sous un autre identifiant"
                    )
                conn.execute(
                    update(assess_grids)
                    .where(assess_grids.c.id == grid.id)
                    .values(name=grid.name, kind=grid.kind, definition=definition)
                )
                return
            conn.execute(
                insert(assess_grids).values(
                    id=grid.id,
                    name=grid.name,
                    kind=grid.kind,
                    definition=definition,
                    created_at=now,
                    created_by=by,
                )
            )

    def grids(self) -> list[Grid]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(assess_grids.c.definition).order_by(assess_grids.c.id))
            return [grid_from_mapping(json.loads(d)) for d in rows.scalars()]

    def grid(self, grid_id: str) -> Grid:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(assess_grids.c.definition).where(assess_grids.c.id == grid_id)
            ).scalar_one_or_none()
        if found is None:
            for builtin in BUILTIN_GRIDS:
                if builtin.id == grid_id:
                    return builtin
            raise AssessError(f"grille inconnue « {grid_id} »")
        return grid_from_mapping(json.loads(found))

    # --- juries --------------------------------------------------------------------------

    def add_jury(self, jury: Jury, *, now: datetime, by: str) -> Jury:
        if not jury.members:
            raise AssessError("un jury a au moins un membre")
        with self.engine.begin() as conn:
            inserted = conn.execute(
                insert(assess_juries).values(
                    name=jury.name, session_date=jury.session_date, created_at=now, created_by=by
                )
            ).inserted_primary_key
            assert inserted is not None
            jury_id = int(inserted[0])
            conn.execute(
                insert(assess_jury_members),
                [
                    {
                        "jury_id": jury_id,
                        "email": m.email.strip().lower(),
                        "name": m.name,
                        "quality": m.quality,
                        "organisation": m.organisation,
                        "role": m.role,
                        "position": position,
                    }
                    for position, m in enumerate(jury.members)
                ],
            )
        return self.jury(jury_id)

    def jury(self, jury_id: int) -> Jury:
        with self.engine.connect() as conn:
            row = conn.execute(select(assess_juries).where(assess_juries.c.id == jury_id)).first()
            if row is None:
                raise AssessError(f"jury n° {jury_id} inconnu")
            members = conn.execute(
                select(assess_jury_members)
                .where(assess_jury_members.c.jury_id == jury_id)
                .order_by(assess_jury_members.c.position)
            ).all()
        return Jury(
            id=row.id,
            name=row.name,
            session_date=row.session_date,
            members=tuple(
                JuryMember(m.name, m.email, m.quality, m.organisation, m.role) for m in members
            ),
        )

    def juries(self) -> list[Jury]:
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(assess_juries.c.id).order_by(assess_juries.c.id)))
        return [self.jury(int(row[0])) for row in ids]

    # --- records -------------------------------------------------------------------------

    def _add_version(self, table: Table, values: dict[str, Any], clash: str) -> int:
        """Insert a new version into assess_records or assess_orals: its id. AssessError
        `clash` when the record already has a version of that number."""
        try:
            with self.engine.begin() as conn:
                key = conn.execute(insert(table).values(**values)).inserted_primary_key
                assert key is not None
        except IntegrityError as exc:
            raise AssessError(clash) from exc
        return int(key[0])

    def _version_row(self, table: Table, row_id: int, missing: str) -> Any:
        """The row of assess_records or assess_orals with this id; AssessError `missing`
        when there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == row_id)).first()
        if row is None:
            raise AssessError(missing)
        return row

    def add_record(self, record: Record) -> Record:
        values = {
            **_version_values(record),
            "competence": record.competence,
            "level": record.level,
            "comment": record.comment,
        }
        clash = (
            f"{record.learner} a déjà une version {record.version} pour {record.competence} "
            f"sur la grille {record.grid_id} : modifiez le brouillon ou corrigez la "
            "dernière version signée"
        )
        return replace(record, id=self._add_version(assess_records, values, clash))

    def _update_unsigned(self, table: Table, row_id: int, values: dict[str, Any]) -> bool:
        """Change a row of assess_records or assess_orals while it is not signed (whether it
        was)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(table)
                .where(and_(table.c.id == row_id, table.c.signed_at.is_(None)))
                .values(**values)
            ).rowcount
        return bool(done)

    def _publish(self, table: Table, row_ids: Iterable[int], now: datetime) -> int:
        """Make signed rows of assess_records or assess_orals visible to their learners
        (content untouched): how many."""
        ids = list(row_ids)
        if not ids:
            return 0
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    update(table)
                    .where(
                        and_(
                            table.c.id.in_(ids),
                            table.c.signed_at.is_not(None),
                            table.c.published_at.is_(None),
                        )
                    )
                    .values(published_at=now)
                ).rowcount
            )

    def _locked_update(self, record_id: int, values: dict[str, Any]) -> None:
        if not self._update_unsigned(assess_records, record_id, values):
            raise LockedError(f"l'évaluation n° {record_id} est signée : elle est verrouillée")

    def save_draft(self, record: Record) -> Record:
        assert record.id is not None
        self._locked_update(
            record.id,
            {"level": record.level, "comment": record.comment, "jury_id": record.jury_id},
        )
        return self.get(record.id)

    def save_signature(self, record: Record) -> Record:
        assert record.id is not None and record.signed_at is not None
        self._locked_update(record.id, _signature_values(record))
        return self.get(record.id)

    def publish(self, record_ids: Iterable[int], now: datetime) -> int:
        """Make signed records visible to their learners (content untouched)."""
        return self._publish(assess_records, record_ids, now)

    def get(self, record_id: int) -> Record:
        missing = f"évaluation n° {record_id} introuvable"
        return _record(self._version_row(assess_records, record_id, missing))

    def records(
        self,
        *,
        learner: str | None = None,
        group_id: str | None = None,
        grid_id: str | None = None,
        competence: str | None = None,
    ) -> list[Record]:
        """Every version, oldest first."""
        query = _versions(assess_records, learner, group_id, grid_id)
        if competence:
            query = query.where(assess_records.c.competence == competence)
        with self.engine.connect() as conn:
            rows = conn.execute(
                query.order_by(
                    assess_records.c.learner,
                    assess_records.c.grid_id,
                    assess_records.c.competence,
                    assess_records.c.version,
                )
            ).all()
        return [_record(r) for r in rows]

    def history(self, learner: str, grid_id: str, competence: str) -> list[Record]:
        return self.records(learner=learner, grid_id=grid_id, competence=competence)

    # --- the orals ----------------------------------------------------------------------

    def add_oral(self, record: OralRecord) -> OralRecord:
        values = {
            **_version_values(record),
            "held_on": record.held_on,
            "duration": record.duration,
            "marks": _marks_json(record),
            "questions": record.questions,
            "answers": record.answers,
        }
        clash = (
            f"{record.learner} a déjà une version {record.version} de son oral sur la grille "
            f"{record.grid_id} : modifiez le brouillon ou corrigez la dernière version signée"
        )
        return replace(record, id=self._add_version(assess_orals, values, clash))

    def _locked_oral_update(self, oral_id: int, values: dict[str, Any]) -> None:
        if not self._update_unsigned(assess_orals, oral_id, values):
            raise LockedError(f"le compte rendu d'oral n° {oral_id} est signé : il est verrouillé")

    def save_oral_draft(self, record: OralRecord) -> OralRecord:
        assert record.id is not None
        self._locked_oral_update(
            record.id,
            {
                "held_on": record.held_on,
                "duration": record.duration,
                "marks": _marks_json(record),
                "questions": record.questions,
                "answers": record.answers,
                "jury_id": record.jury_id,
            },
        )
        return self.oral(record.id)

    def save_oral_signature(self, record: OralRecord) -> OralRecord:
        assert record.id is not None and record.signed_at is not None
        self._locked_oral_update(record.id, _signature_values(record))
        return self.oral(record.id)

    def publish_orals(self, oral_ids: Iterable[int], now: datetime) -> int:
        """Make signed records of orals visible to their learners (content untouched)."""
        return self._publish(assess_orals, oral_ids, now)

    def oral(self, oral_id: int) -> OralRecord:
        missing = f"compte rendu d'oral n° {oral_id} introuvable"
        return _oral(self._version_row(assess_orals, oral_id, missing))

    def orals(
        self,
        *,
        learner: str | None = None,
        group_id: str | None = None,
        grid_id: str | None = None,
    ) -> list[OralRecord]:
        """Every version, oldest first."""
        query = _versions(assess_orals, learner, group_id, grid_id)
        with self.engine.connect() as conn:
            rows = conn.execute(
                query.order_by(
                    assess_orals.c.learner, assess_orals.c.grid_id, assess_orals.c.version
                )
            ).all()
        return [_oral(r) for r in rows]

    # --- decisions -----------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> Decision:
        with self.engine.begin() as conn:
            inserted = conn.execute(
                insert(assess_decisions).values(
                    learner=decision.learner,
                    group_id=decision.group_id,
                    block=decision.block,
                    jury_id=decision.jury_id,
                    decided_on=decision.decided_on,
                    outcome=decision.outcome,
                    valid_until=decision.valid_until,
                    comment=decision.comment,
                    recorded_by=decision.recorded_by,
                    recorded_at=decision.recorded_at,
                    supersedes_id=decision.supersedes,
                    signature=decision.signature,
                )
            ).inserted_primary_key
        assert inserted is not None
        return replace(decision, id=int(inserted[0]))

    def publish_decisions(self, decision_ids: Iterable[int], now: datetime, *, by: str) -> int:
        """Make decisions visible to their learners and tutors (a row of
        assess_decision_publications each; the decision untouched): how many were not yet."""
        ids = sorted(set(decision_ids))
        if not ids:
            return 0
        published = assess_decision_publications
        waiting = select(
            assess_decisions.c.id, literal(now, UTCDateTime), literal(by.lower())
        ).where(
            and_(
                assess_decisions.c.id.in_(ids),
                ~exists().where(published.c.decision_id == assess_decisions.c.id),
            )
        )
        with self.engine.begin() as conn:
            write_lock(conn)  # SQLite; PostgreSQL: the primary key refuses a second row
            statement = insert(published).from_select(
                ["decision_id", "published_at", "published_by"], waiting
            )
            return len(conn.execute(statement.returning(published.c.decision_id)).all())

    def decisions(
        self, *, learner: str | None = None, group_id: str | None = None
    ) -> list[Decision]:
        query = select(assess_decisions, assess_decision_publications.c.published_at).join(
            assess_decision_publications,
            assess_decision_publications.c.decision_id == assess_decisions.c.id,
            isouter=True,
        )
        if learner:
            query = query.where(assess_decisions.c.learner == learner.strip().lower())
        if group_id:
            query = query.where(assess_decisions.c.group_id == group_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(assess_decisions.c.id)).all()
        return [_decision(r) for r in rows]


__all__ = ["AssessStore"]
