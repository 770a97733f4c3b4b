"""Copying a whole store into another database (`watcher migrate-store`: a SQLite watch moving to
PostgreSQL), nothing lost and nothing changed.

Both databases are made ready first (`prepare`: the source is upgraded to this Watcher's schema,
the target gets it), then every table is copied in the order of its foreign keys, ids included
(digests, assessments and curations keep pointing at the same items), in one transaction of the
target: a copy that fails leaves the target as it was. PostgreSQL's id sequences then start
after the copied ids. The target must be empty: nothing there is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, select, text, update
from sqlalchemy.exc import DBAPIError

from watcher.errors import WatcherError
from watcher.store.schema import meta, metadata, prepare

BATCH = 2000  # rows read and written at a time (bounded memory whatever the store's size)


class TargetNotEmpty(WatcherError):
    """The database a store would be copied into already holds a watch."""


class CopyFailed(WatcherError):
    """The target database refused a row: the copy was undone."""

    exit_code = 1


def row_counts(engine: Engine) -> dict[str, int]:
    """The number of rows of every table of the store (the meta table aside)."""
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
            if table is not meta
        }


def copy_store(
    source: Engine, target: Engine, on_table: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of the store at `source` into the empty store at `target`; gives the
    number of rows copied per table. `on_table(name, rows)` is told after each table."""
    prepare(source)
    prepare(target)
    occupied = {name: n for name, n in row_counts(target).items() if n}
    if occupied:
        tables = ", ".join(f"{name} ({n})" for name, n in sorted(occupied.items()))
        raise TargetNotEmpty(
            f"la base de destination n'est pas vide : {tables}. Copiez dans une base neuve "
            "(createdb) : rien n'y est jamais écrasé"
        )
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in metadata.sorted_tables:
            if table is meta:  # the schema's version: `prepare` wrote the target's own
                continue
            order = list(table.primary_key.columns)
            rows = reading.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*order)
            )
            count = 0
            for batch in rows.partitions(BATCH):
                try:
                    writing.execute(table.insert(), [row._asdict() for row in batch])
                except DBAPIError as refused:
                    raise CopyFailed(
                        f"copie impossible, table {table.name} : {refused.orig}. La base de "
                        "destination est restée vide : corrigez la ligne, puis recommencez"
                    ) from refused
                count += len(batch)
            copied[table.name] = count
            if on_table is not None:
                on_table(table.name, count)
        _restart_sequences(writing)
        # the same store in another database: the copies of its search index stay valid
        with source.connect() as conn:
            identity = conn.execute(select(meta.c.value).where(meta.c.key == "store_id")).scalar()
        writing.execute(update(meta).where(meta.c.key == "store_id").values(value=identity))
    return copied


def _restart_sequences(conn: Connection) -> None:
    """PostgreSQL: a table's id sequence does not move when ids are given: start each after the
    greatest id copied (SQLite takes the next id from the table itself)."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            )
        )
