"""Moving a watch's store to another database: `watcher migrate-store` (docs/deploy.md)."""

from __future__ import annotations

from collections.abc import Callable

from watcher.errors import BadValue, NotFound, WatcherError
from watcher.store.copy import copy_store, row_counts
from watcher.store.schema import StoreUnreachable, connect
from watcher.workspace import DATABASE_URL, POSTGRESQL_SCHEMES, Workspace


def migrate_store(
    workspace: Workspace,
    target: str | None = None,
    on_table: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy the watch's SQLite store (`workspace.db`) into the empty database `target` (a URL;
    default: `WATCHER_DATABASE_URL`), then check that every table holds as many rows on both
    sides. Gives the rows copied per table. The SQLite file is left as it was."""
    source = workspace.db
    if not source.is_file():
        raise NotFound(f"Pas de base SQLite à copier : {source} n'existe pas.")
    url = target or str(workspace.database)
    if not url.startswith(POSTGRESQL_SCHEMES):
        raise BadValue(
            "Base de destination manquante : donnez son adresse avec --to "
            f"(postgresql://utilisateur@hôte/base) ou dans {DATABASE_URL}."
        )
    reading, writing = connect(source), connect(url)
    try:
        copied = copy_store(reading, writing, on_table)
        before, after = row_counts(reading), row_counts(writing)
    except StoreUnreachable as unreachable:  # name where the address came from
        raise unreachable.through("l'adresse donnée à --to" if target else DATABASE_URL) from None
    finally:
        reading.dispose()
        writing.dispose()
    if before != after:
        differ = ", ".join(
            f"{t} {before[t]} → {after.get(t)}" for t in before if before[t] != after.get(t)
        )
        raise WatcherError(f"Copie incomplète, à recommencer dans une base neuve : {differ}.")
    return copied
