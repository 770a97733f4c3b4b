"""`watcher web` and `watcher user …`: the web app and its accounts, from the command line."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

import click

from watcher.cli.main import _load, err, main, out, print_json
from watcher.model import ROLES
from watcher.store import Store
from watcher.store.users import UserError, Users
from watcher.workspace import Workspace


def _password(prompt: str) -> str:
    """$WATCHER_PASSWORD (for scripts), else asked twice without echo."""
    from_env = os.environ.get("WATCHER_PASSWORD")
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        err.print(
            "Mot de passe : donnez-le dans WATCHER_PASSWORD (pas de terminal pour le demander)."
        )
        sys.exit(2)
    value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return value


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_obj
def web(workspace: Workspace, host: str, port: int) -> None:
    """Lance l'application web (apprenants, tuteurs, évaluateurs) seule, sans le planificateur."""
    from watcher.web import run_web

    _load(workspace)
    store = Store(workspace.db)
    try:
        if not Users(store).all():
            err.print(
                "Aucun compte : créez-en un d'abord, par exemple "
                "`watcher user add admin@example.org --name Admin --role admin`."
            )
    finally:
        store.close()
    out.print(f"Watcher web sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    run_web(workspace, host, port)


@main.group()
def user() -> None:
    """Comptes de l'application web."""


@user.command("add")
@click.argument("email", metavar="COURRIEL")
@click.option("--name", required=True, help="Nom affiché.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--group", "group_id", help="Groupe (apprenant et tuteur).")
@click.pass_obj
def user_add(workspace: Workspace, email: str, name: str, role: str, group_id: str | None) -> None:
    """Crée un compte (mot de passe demandé, ou pris dans WATCHER_PASSWORD)."""
    watch = _load(workspace)
    store = Store(workspace.db)
    try:
        users = Users(store)
        if users.by_email(email) is not None:
            err.print(f"Un compte existe déjà pour {email}.")
            sys.exit(1)
        password = _password("Mot de passe")
        try:
            created = users.add(
                email,
                name,
                role,
                password,
                group_id=group_id,
                groups={g.id for g in watch.groups},
                now=datetime.now(UTC),
            )
        except UserError as exc:
            err.print(f"Compte non créé : {exc}", markup=False)
            sys.exit(2)
    finally:
        store.close()
    where = f" du groupe {created.group_id}" if created.group_id else ""
    out.print(f"Compte créé : {created.email} ({created.role}{where}).", markup=False)


@user.command("passwd")
@click.argument("email", metavar="COURRIEL")
@click.pass_obj
def user_passwd(workspace: Workspace, email: str) -> None:
    """Change le mot de passe d'un compte (ses sessions ouvertes sont fermées)."""
    store = Store(workspace.db)
    try:
        users = Users(store)
        found = users.by_email(email)
        if found is None:
            err.print(f"Aucun compte pour {email}.")
            sys.exit(1)
        try:
            users.set_password(found.id, _password("Nouveau mot de passe"), now=datetime.now(UTC))
        except UserError as exc:
            err.print(f"Mot de passe inchangé : {exc}", markup=False)
            sys.exit(2)
    finally:
        store.close()
    out.print(f"Mot de passe changé pour {found.email}.", markup=False)


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="La liste en JSON.")
@click.pass_obj
def user_list(workspace: Workspace, as_json: bool) -> None:
    """Liste les comptes."""
    store = Store(workspace.db)
    try:
        accounts = Users(store).all()
    finally:
        store.close()
    if as_json:
        print_json(
            [
                {"email": a.email, "name": a.name, "role": a.role, "group": a.group_id}
                for a in accounts
            ]
        )
        return
    if not accounts:
        out.print("Aucun compte.")
        return
    for account in accounts:
        group = account.group_id or "-"
        click.echo(f"{account.email}\t{account.name}\t{account.role}\t{group}")
