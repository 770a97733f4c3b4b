"""`watcher web` and `watcher user …`: the web app and its accounts, from the command line."""

from __future__ import annotations

import os
import sys

import click

from watcher.cli.app import Words, _now, err, load, main, out, print_json, require_config
from watcher.errors import WatcherError, explained
from watcher.jobs import open_workspace
from watcher.jobs import users as jobs
from watcher.labels import ROLE_LABELS
from watcher.model import ROLES
from watcher.workspace import Workspace


def _password(prompt: str) -> str:
    """$WATCHER_PASSWORD (for scripts), else asked twice without echo."""
    from_env = os.environ.get("WATCHER_PASSWORD")
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise WatcherError(
            "Mot de passe : donnez-le dans WATCHER_PASSWORD (pas de terminal pour le demander)."
        )
    value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return value


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port d'écoute.",
)
@click.option(
    "--distributed",
    is_flag=True,
    help="Mode distribué (PostgreSQL) : les PDF des dossiers sont faits par les travailleurs.",
)
@click.pass_obj
def web(workspace: Workspace, host: str, port: int, distributed: bool) -> None:
    """Lance l'application web (apprenants, tuteurs, évaluateurs) seule, sans le planificateur."""
    from watcher.web import run_web  # Flask and the whole app: only for this command

    load(workspace)
    if distributed:
        from watcher.distributed import conninfo

        conninfo(workspace.database)  # PostgreSQL, or a clear error before anything
    with open_workspace(workspace) as w:
        if not jobs.accounts(w):
            err.print(
                "Aucun compte : créez-en un d'abord, par exemple "
                "`watcher user add admin@example.org --name Admin --role admin`."
            )
    out.print(f"Watcher web sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    run_web(workspace, host, port, distributed=distributed)


@main.group()
def user() -> None:
    """Comptes de l'application web."""


@user.command("add")
@click.argument("email", metavar="COURRIEL")
@click.option("--name", required=True, help="Nom affiché.")
@click.option(
    "--role",
    type=Words({ROLE_LABELS[role]: role for role in ROLES}),
    required=True,
    help="Rôle : apprenant, tuteur, évaluateur (jury) ou administrateur (learner, tutor, "
    "evaluator, admin sont compris aussi).",
)
@click.option("--group", "group_id", help="Groupe (apprenant et tuteur).")
@click.pass_obj
def user_add(workspace: Workspace, email: str, name: str, role: str, group_id: str | None) -> None:
    """Crée un compte (mot de passe demandé, ou pris dans WATCHER_PASSWORD)."""
    watch = load(workspace)
    with open_workspace(workspace) as w:
        jobs.check_new_account(w, email)
        password = _password("Mot de passe")
        with explained("Compte non créé"):
            created = jobs.add_user(
                w, watch, email, name, role, password, group_id=group_id, now=_now()
            )
    where = f" du groupe {created.group_id}" if created.group_id else ""
    role = ROLE_LABELS.get(created.role, created.role)
    out.print(f"Compte créé : {created.email} ({role}{where}).", markup=False)


@user.command("passwd")
@click.argument("email", metavar="COURRIEL")
@click.pass_obj
def user_passwd(workspace: Workspace, email: str) -> None:
    """Change le mot de passe d'un compte (ses sessions ouvertes sont fermées)."""
    require_config(workspace)
    with open_workspace(workspace) as w:
        found = jobs.account(w, email)
        password = _password("Nouveau mot de passe")
        with explained("Mot de passe inchangé"):
            jobs.set_password(w, found, password, _now())
    out.print(f"Mot de passe changé pour {found.email}.", markup=False)


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="La liste en JSON.")
@click.pass_obj
def user_list(workspace: Workspace, as_json: bool) -> None:
    """Liste les comptes."""
    require_config(workspace)
    with open_workspace(workspace) as w:
        accounts = jobs.accounts(w)
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
