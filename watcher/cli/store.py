"""`watcher migrate-store`: the watch's SQLite store copied into PostgreSQL (docs/deploy.md)."""

from __future__ import annotations

import os
import re

import click

from watcher.cli.app import main, out
from watcher.plural import counted
from watcher.workspace import DATABASE_URL, Workspace


@main.command("migrate-store")
@click.option(
    "--to",
    "target",
    help=f"Base de destination, vide (par défaut : {DATABASE_URL}), ex. postgresql://veille@db/veille.",
)
@click.pass_obj
def migrate_store_command(workspace: Workspace, target: str | None) -> None:
    """Copie la base SQLite de la veille (watcher.db) dans une base PostgreSQL vide."""
    from watcher.jobs.store import migrate_store  # SQLAlchemy: when run

    copied = migrate_store(
        workspace,
        target,
        on_table=lambda name, rows: out.print(f"  {name} : {counted(rows, 'ligne')}"),
    )
    out.print(
        f"Base copiée : {counted(sum(copied.values()), 'ligne')} dans "
        f"{counted(len(copied), 'table')}, "
        "les mêmes des deux côtés. Le fichier SQLite est inchangé (gardez-le en sauvegarde)."
    )
    if target and os.environ.get(DATABASE_URL, "").strip() != target:
        shown = re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", target)  # no password shown
        out.print(
            "Pour que la veille s'en serve (chaque commande, watcher serve, l'appli web) :\n"
            f"  export {DATABASE_URL}='{shown}'",
            soft_wrap=True,
        )
    else:
        out.print(f"{DATABASE_URL} la désigne : la veille s'en sert désormais.")
