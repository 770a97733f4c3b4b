"""The SQLite FTS5 baseline: the same documents and queries as Watcher's Whoosh index.

One FTS5 table (``unicode61 remove_diacritics 2``: case and accents folded, **no stemming,
no stop words**) with the columns Watcher searches (title, body = summary + text) and its
keyword fields (axis, source, topic, entity, ref + ref aliases, groups), a ``docs`` table for
dates and a ``facets`` table (one row per document and facet value) for facet counts. Each
query does what a Watcher search does for its first page: total, 10 hits ranked by bm25 with
the title weighted ×2 (or by date when the query has no words), the title highlighted and a
body snippet, facet counts over the whole result set, and the hits' rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watcher.find.index import IndexDoc, alias_key

SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, axis, source, topic, entity, ref, grp,
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TABLE docs(id INTEGER PRIMARY KEY, date INTEGER NOT NULL, url TEXT, source_id TEXT);
CREATE INDEX docs_date ON docs(date);
CREATE TABLE facets(id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX facets_id ON facets(id);
"""
FACETS = ("axis", "source", "topic", "entity", "ref")
BM25 = "bm25(fts, 2.0, 1.0, 0, 0, 0, 0, 0, 0)"


def _rows(doc: IndexDoc) -> tuple[tuple[Any, ...], tuple[Any, ...], list[tuple[int, str, str]]]:
    body = "\n\n".join(p for p in (doc.summary.strip(), doc.text.strip()) if p)
    date = doc.published or doc.fetched
    refs = " | ".join([*doc.refs, *(alias_key(a) for a in doc.ref_aliases)])
    fts_row = (
        doc.item_id,
        doc.title,
        body,
        " ".join(doc.axes),
        f"{doc.source_id} | {doc.source_name}",
        " ".join(doc.topics),
        " | ".join(doc.entities),
        refs,
        " ".join(doc.groups),
    )
    facets = [(doc.item_id, "axis", v) for v in doc.axes]
    facets += [(doc.item_id, "source", doc.source_id)]
    facets += [(doc.item_id, "topic", v) for v in doc.topics]
    facets += [(doc.item_id, "entity", v) for v in doc.entities]
    facets += [(doc.item_id, "ref", v) for v in doc.refs]
    return fts_row, (doc.item_id, int(date.timestamp()), doc.url, doc.source_id), facets


def build(path: Path, docs: Iterable[IndexDoc]) -> int:
    """Create the FTS5 database at ``path`` (replaced) from Watcher's index documents."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    n = 0
    with conn:
        for doc in docs:
            fts_row, doc_row, facet_rows = _rows(doc)
            conn.execute(
                "INSERT INTO fts(rowid, title, body, axis, source, topic, entity, ref, grp)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fts_row,
            )
            conn.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", doc_row)
            conn.executemany("INSERT INTO facets VALUES (?, ?, ?)", facet_rows)
            n += 1
    conn.close()
    return n


@dataclass(frozen=True)
class FtsQuery:
    match: str  # FTS5 MATCH expression ("" = no words: every document of the group)
    window: tuple[int | None, int | None] | None = None  # [lo, hi) unix seconds
    by_date: bool = False


class Fts:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, check_same_thread=False)

    def close(self) -> None:
        self.conn.close()

    def search(
        self, q: FtsQuery, group: str, limit: int = 10, *, facets: bool = True
    ) -> dict[str, Any]:
        match = f"grp:{group}" + (f" AND ({q.match})" if q.match else "")
        # the FTS5 match drives; a date window is a join on docs (rowid = docs.id)
        where = "fts MATCH ?"
        params: list[Any] = [match]
        if q.window is not None:
            lo, hi = q.window
            where += " AND docs.date >= ? AND docs.date < ?"
            params += [lo if lo is not None else -(2**62), hi if hi is not None else 2**62]
        joined = q.window is not None or q.by_date
        src = "fts JOIN docs ON docs.id = fts.rowid" if joined else "fts"
        c = self.conn
        total = c.execute(f"SELECT count(*) FROM {src} WHERE {where}", params).fetchone()[0]
        order = "docs.date DESC" if q.by_date else BM25
        hits = c.execute(
            f"SELECT fts.rowid, highlight(fts, 0, '<mark>', '</mark>'),"
            f" snippet(fts, 1, '<mark>', '</mark>', ' … ', 24)"
            f" FROM {src} WHERE {where} ORDER BY {order} LIMIT ?",
            [*params, limit],
        ).fetchall()
        found: dict[str, list[tuple[str, int]]] = {f: [] for f in FACETS}
        if not facets:
            counts = []
        elif joined:
            facet_sql = (
                f"SELECT f.field, f.value, count(*) AS n FROM {src} JOIN facets AS f"
                f" ON f.id = fts.rowid WHERE {where} GROUP BY f.field, f.value"
            )
        else:
            facet_sql = (
                "SELECT field, value, count(*) AS n FROM facets WHERE id IN"
                f" (SELECT rowid FROM fts WHERE {where}) GROUP BY field, value"
            )
        if facets:
            counts = c.execute(facet_sql + " ORDER BY n DESC", params).fetchall()
        for field, value, n in counts:
            if len(found[field]) < 20:
                found[field].append((value, n))
        ids = [h[0] for h in hits]
        details = c.execute(
            f"SELECT id, url, date FROM docs WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        return {"total": total, "hits": hits, "facets": found, "details": details}
