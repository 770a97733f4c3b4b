"""Rendered dossier files kept in the store (the distributed mode): a worker renders a dossier's
file once per content and format, and every web host serves it from here.

A file is keyed by the digest of what it shows (`watcher.jobs.dossier_files.content_digest`):
the same content is kept once, whoever renders it and however often; a store that changes gives
a new content, hence a new file, and the group's older file of the same period and format is
dropped then (only the latest content of a period is asked for again)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, delete, select

from watcher.store.schema import Area, dossier_files, insert_or_merge


class DossierFiles(Area):
    """The rendered dossier files."""

    def has(self, content: str, fmt: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(dossier_files.c.content).where(
                    and_(dossier_files.c.content == content, dossier_files.c.format == fmt)
                )
            ).first()
        return found is not None

    def file(self, content: str, fmt: str) -> bytes | None:
        """The file rendered for `content` in `fmt` (None: not rendered yet)."""
        with self.engine.connect() as conn:
            body = conn.execute(
                select(dossier_files.c.body).where(
                    and_(dossier_files.c.content == content, dossier_files.c.format == fmt)
                )
            ).scalar()
        return bytes(body) if body is not None else None

    def keep(
        self,
        content: str,
        fmt: str,
        group_id: str,
        period: tuple[date, date],
        body: bytes,
        now: datetime,
    ) -> bool:
        """Keep a rendered file unless one is kept for this content and format already (True:
        kept now); the group's files of the same period and format for another content go."""
        start, end = period
        with self.engine.begin() as conn:
            kept = conn.execute(
                insert_or_merge(conn, dossier_files)
                .values(
                    content=content,
                    format=fmt,
                    group_id=group_id,
                    period_start=start,
                    period_end=end,
                    body=body,
                    rendered_at=now,
                )
                .on_conflict_do_nothing()
                .returning(dossier_files.c.content)
            ).first()
            conn.execute(
                delete(dossier_files).where(
                    and_(
                        dossier_files.c.group_id == group_id,
                        dossier_files.c.period_start == start,
                        dossier_files.c.period_end == end,
                        dossier_files.c.format == fmt,
                        dossier_files.c.content != content,
                    )
                )
            )
        return kept is not None
