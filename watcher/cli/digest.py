"""CLI commands of the digest area: `watcher digest`, `watcher serve`, `watcher outbox`."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click
from rich.markup import escape
from rich.table import Table

from watcher.cli.app import _now, answered_yes, err, iso, load, main, out, print_json
from watcher.dates import clock, week_code_fr, week_days_fr
from watcher.errors import explained
from watcher.jobs import group_of, open_workspace
from watcher.model import DigestRecord, OutboxRow
from watcher.plural import counted, plural
from watcher.report.digest import IsoWeek, digest_time, last_complete_week
from watcher.workspace import BUCKETS_SETTING, DEFAULT_BUCKETS, Workspace

if TYPE_CHECKING:
    from datetime import datetime

    from watcher.config import Watch
    from watcher.jobs import OpenWorkspace
    from watcher.report.mail import DeliveryReport


# --week courante: the week under way on the watch's clock (to send it with --early)
CURRENT_WEEK = {"courante", "en-cours", "current"}


def _week(value: str | None, timezone: str) -> IsoWeek:
    """The week asked for (2026-W48, or « courante »: the one under way), else the last
    complete one."""
    if not value:
        return last_complete_week(_now(), ZoneInfo(timezone))
    if value.strip().lower() in CURRENT_WEEK:
        return IsoWeek.of(_now(), ZoneInfo(timezone))
    return IsoWeek.parse(value)


def _empty_default_week(
    w: OpenWorkspace, watch: Watch, group_id: str, chosen: IsoWeek, now: datetime
) -> str | None:
    """When `--send` without `--week` would send the last complete week with nothing collected
    in it while the week in progress already holds items: the sentence that says so (which
    week goes, which does not), else None. A digest already sent is never asked about again
    (sending it again only finishes its outbox)."""
    from watcher.jobs import digest as jobs

    zone = ZoneInfo(watch.watch.timezone)
    current = IsoWeek.of(now, zone)
    found = w.mails.digest(group_id, str(chosen))
    if chosen == current or (found is not None and found.frozen):
        return None
    if jobs.week_data(w.store, watch, group_id, chosen, now).collected:
        return None
    waiting = jobs.waiting_items(w, watch, group_id, now)
    if not waiting:
        return None
    return (
        f"la semaine envoyée serait la semaine {chosen.week} (la dernière semaine complète, "
        f"{week_days_fr(chosen.monday())}), où rien n'a été collecté, "
        f"et pas la semaine en cours (semaine {current.week}), qui compte déjà "
        f"{counted(waiting, 'article')}. Pour "
        f"envoyer celle-ci maintenant : watcher digest --group {group_id} --week {current} "
        "--send --early (sinon elle partira après sa fin)."
    )


def _print_delivery(delivery: DeliveryReport, zone: str) -> None:
    for address in delivery.sent:
        out.print(f"  [green]envoyé[/] à {escape(address)}")
    for address, reason in delivery.refused:
        out.print(f"  [red]refusé[/] pour {escape(address)} : {escape(reason)}")
    for address, reason, when in delivery.retrying:
        moment = clock(when, zone)
        out.print(f"  [yellow]nouvel essai à {moment}[/] pour {escape(address)} : {escape(reason)}")
    for address in delivery.unconfirmed:
        out.print(
            f"  [red]non confirmé[/] pour {escape(address)} : la connexion a été coupée pendant "
            "l'envoi ; voir `watcher outbox`"
        )
    if delivery.error:
        err.print(escape(delivery.error))


@main.command()
@click.option("--group", "group_id", required=True, help="Le groupe dont on fait la synthèse.")
@click.option(
    "--week",
    help="Semaine ISO, par ex. 2026-W48, ou « courante » (défaut : la dernière complète).",
)
@click.option("--preview", is_flag=True, help="Afficher la synthèse (texte) sans l'envoyer.")
@click.option("--send", is_flag=True, help="L'envoyer aux membres, au tuteur et aux invités.")
@click.option(
    "--early",
    is_flag=True,
    help="Avec --send : envoyer une semaine pas encore finie (la suite ira dans la synthèse "
    "suivante).",
)
@click.option(
    "--yes",
    "confirmed",
    is_flag=True,
    help="Avec --send sans --week : envoyer la dernière semaine complète sans demander, même "
    "vide (scripts).",
)
@click.pass_obj
def digest(
    workspace: Workspace,
    group_id: str,
    week: str | None,
    preview: bool,
    send: bool,
    early: bool,
    confirmed: bool,
) -> int:
    """Synthèse hebdomadaire d'un groupe : rendu HTML + texte, archivé dans reports/<groupe>/.

    Chaque article collecté entre dans une seule synthèse envoyée : celle de la semaine où il a
    été collecté, ou la suivante s'il arrive après l'envoi. Une semaine pas finie ne part
    qu'avec --early. Sans --send, rien n'est envoyé. Une synthèse déjà envoyée n'est ni refaite
    ni renvoyée : relancer --send ne fait que finir ce qui reste dans la boîte d'envoi
    (`watcher outbox`).

    --send sans --week envoie la dernière semaine complète : si rien n'y a été collecté alors
    que la semaine en cours compte déjà des articles, la commande le dit et demande (o/N)
    avant d'envoyer ; --yes pour ne pas demander."""
    from watcher.jobs import digest as jobs  # the store, Jinja and the mail: when run

    watch = load(workspace)
    group = group_of(watch, group_id)
    zone = ZoneInfo(watch.watch.timezone)
    now = _now()
    chosen = _week(week, watch.watch.timezone)
    current = IsoWeek.of(now, zone)
    with open_workspace(workspace) as w:
        empty = (
            None
            if week or not send or confirmed
            else _empty_default_week(w, watch, group_id, chosen, now)
        )
        if empty is not None and not answered_yes(
            f"{empty[0].upper()}{empty[1:]}\n"
            f"Envoyer quand même la synthèse de la semaine {chosen.week} (rien de nouveau) ?",
            f"Synthèse non envoyée : {empty} Pour envoyer quand même la semaine {chosen.week} : "
            "ajoutez --yes (ou --week).",
        ):
            out.print("Rien n'a été envoyé.")
            return 1
        # a week not begun (a mistyped year or number): the week under way is « courante »
        ahead = "Pour la semaine en cours : --week courante." if chosen.start(zone) > now else ""
        with explained(f"--week {chosen}", after=ahead):
            outcome = jobs.send_weekly_digest(
                w, watch, group_id, chosen, now, send=send, early=early
            )
        record = outcome.built.record
        nothing = record.collected == 0 and chosen != current
        waiting = jobs.waiting_items(w, watch, group_id, now) if nothing else 0
    if preview:
        click.echo(outcome.built.txt_path.read_text(encoding="utf-8"))
    which = "la dernière semaine complète" if week is None else "la semaine demandée"
    if chosen.end(zone) > now:
        which += ", en cours"
    out.print(
        f"Semaine {chosen.week} ({which}) : {week_days_fr(chosen.monday())} "
        f"(heure de la veille : {watch.watch.timezone})."
    )
    out.print(f"[bold]{escape(record.subject)}[/]")
    out.print(
        f"collectés {record.collected} / retenus {record.shown} "
        f"(dont {record.retained} par le groupe)"
    )
    if not outcome.built.rerendered:
        sent_at = clock(record.queued_at, watch.watch.timezone)
        out.print(f"Déjà envoyée (le {sent_at}) : l'archive est ce qui a été envoyé, inchangée.")
    elif send and chosen.end(zone) > now:
        out.print(
            "Envoyée avant la fin de la semaine (--early) : ce qui sera collecté d'ici là ira "
            "dans la synthèse suivante, signalé comme reporté."
        )
    if waiting:
        due = clock(digest_time(group.digest, current, zone), watch.watch.timezone)
        out.print(
            f"Rien de nouveau en semaine {chosen.week}, mais la semaine en cours "
            f"(semaine {current.week}) compte déjà "
            f"{counted(waiting, 'article collecté', 'articles collectés')}. Pour la voir : "
            "watcher digest --group "
            f"{group_id} --week {current} --preview. Elle partira après sa fin (envoi "
            f"prévu : {due}), ou tout de suite avec --send --early.",
            markup=False,
        )
    out.print(f"HTML  : {outcome.built.html_path}")
    out.print(f"Texte : {outcome.built.txt_path}")
    if not send:
        if outcome.outbox:
            _print_rows(outcome.outbox)
        else:
            out.print("Rien n'a été envoyé (ajoutez --send pour l'envoyer).")
        return 0
    _print_delivery(outcome.delivery, watch.watch.timezone)
    _print_rows(outcome.outbox)
    return 0 if all(r.state == "sent" for r in outcome.outbox) else 1


def _print_rows(rows: list[OutboxRow]) -> None:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.label] = counts.get(row.label, 0) + 1
    summary = ", ".join(f"{label} : {count}" for label, count in sorted(counts.items()))
    out.print(f"Boîte d'envoi : {summary or 'vide'}")


@main.command()
@click.option("--resend", "resend_id", type=int, help="Remettre la ligne ID dans la file d'envoi.")
@click.option("--confirm", "confirm_id", type=int, help="Déclarer la ligne ID bien reçue.")
@click.option("--retry", is_flag=True, help="Relancer maintenant ce qui est dû.")
@click.option(
    "--limit", type=click.IntRange(1), default=10, show_default=True, help="Nombre de synthèses."
)
@click.option("--json", "as_json", is_flag=True, help="Les synthèses et leurs envois en JSON.")
@click.pass_obj
def outbox(
    workspace: Workspace,
    resend_id: int | None,
    confirm_id: int | None,
    retry: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Boîte d'envoi des synthèses : envoyé, en attente, échec, non confirmé (par destinataire)."""
    from watcher.jobs import digest as jobs  # the store, Jinja and the mail: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        for row_id, resend in ((resend_id, True), (confirm_id, False)):
            if row_id is None:
                continue
            jobs.settle_unconfirmed(w, row_id, resend=resend, now=_now())
            out.print(
                f"Ligne {row_id} : "
                + ("remise dans la file (envoyée au prochain passage)." if resend else "confirmée.")
            )
        if retry:
            _print_delivery(jobs.deliver_outbox(w, watch, _now()), watch.watch.timezone)
        overview = jobs.outbox_overview(w, limit)
    if as_json:
        print_json(outbox_json(overview))
        return
    if not overview:
        out.print("Aucune synthèse pour l'instant (voir `watcher digest --group G`).")
        return
    table = Table(title="Synthèses et envois", title_justify="left")
    for column in ("ligne", "groupe", "semaine", "destinataire", "état", "essais", "détail"):
        table.add_column(column)
    colours = {
        "envoyé": "green",
        "en attente": "cyan",
        "nouvel essai prévu": "yellow",
        "échec": "red",
        "non confirmé": "red",
    }
    unconfirmed = False
    failed: dict[tuple[str, str], list[int]] = {}  # (group, week) → its rows « échec »
    for record, rows in overview:
        if not rows:
            table.add_row(
                "—", record.group_id, week_code_fr(record.week), "(pas envoyée)", "", "", ""
            )
        for row in rows:
            detail = row.last_error
            if row.state == "sent" and row.sent_at:
                detail = clock(row.sent_at, watch.watch.timezone)
            elif row.next_attempt_at:
                moment = clock(row.next_attempt_at, watch.watch.timezone)
                detail = f"prochain essai {moment} — {detail}"
            elif row.state == "sending":
                unconfirmed = True
                detail = (
                    "connexion coupée pendant la transmission : reçu ou non, SMTP ne le dit pas"
                )
            if row.label == "échec":
                failed.setdefault((record.group_id, record.week), []).append(row.id)
            table.add_row(
                str(row.id),
                record.group_id,
                week_code_fr(record.week),
                f"{row.name} <{row.recipient}>" if row.name else row.recipient,
                f"[{colours[row.label]}]{row.label}[/]",
                str(row.attempts),
                escape(detail),
            )
    out.print(table)
    for (group_id, week), ids in failed.items():
        lines = ", ".join(str(i) for i in ids)
        out.print(
            f"Échec pour la {week_code_fr(week)} du groupe {group_id} ("
            f"{plural(len(ids), 'ligne')} {lines}) : adresse refusée "
            "par le serveur, ou essais épuisés. Adresse fausse : corrigez-la dans sources.yml, "
            f"puis `watcher digest --group {group_id} --week {week} --send` (seules les adresses "
            "qui ne l'ont pas reçue la recevront, la synthèse archivée reste la même). Adresse "
            "bonne : `watcher outbox --resend ID`."
        )
    if unconfirmed:
        out.print(
            "Non confirmé : demandez au destinataire s'il l'a reçu, puis "
            "`watcher outbox --confirm ID` (reçu) ou `--resend ID` (à renvoyer)."
        )


def outbox_json(overview: list[tuple[DigestRecord, list[OutboxRow]]]) -> object:
    return [
        {
            "group": record.group_id,
            "week": record.week,
            "subject": record.subject,
            "queued": iso(record.queued_at),
            "rows": [
                {
                    "id": row.id,
                    "recipient": row.recipient,
                    "name": row.name,
                    "state": row.state,
                    "label": row.label,
                    "attempts": row.attempts,
                    "sent": iso(row.sent_at),
                    "next_attempt": iso(row.next_attempt_at),
                    "last_error": row.last_error or None,
                }
                for row in rows
            ],
        }
        for record, rows in overview
    ]


def _serve_role(
    workspace: Workspace,
    role: str,
    *,
    tick: float,
    heartbeat: float,
    buckets: int,
    debug: bool = False,
) -> int:
    """`watcher serve --role scheduler|worker`: one role of the distributed mode (`debug`: a
    line per scheduler tick and per job, too)."""
    from watcher import distributed  # procrastinate: only for these roles

    distributed.conninfo(workspace.database)  # PostgreSQL, or a clear error before anything
    workspace.logs.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format=f"%(asctime)s %(levelname)s {role} %(process)d %(name)s: %(message)s",
        handlers=[
            logging.StreamHandler(sys.stderr),
            logging.FileHandler(workspace.logs / f"{role}.log", encoding="utf-8"),
        ],
    )
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    if debug:
        logging.getLogger("watcher").setLevel(logging.DEBUG)
    if role == "worker":

        def serving(what: str) -> None:
            err.print(
                f"Watcher travailleur démarré {what} (Ctrl-C pour arrêter).",
                markup=False,
                soft_wrap=True,
            )

        return distributed.run_worker(workspace, heartbeat=heartbeat, on_ready=serving)

    def ready() -> None:
        err.print("Watcher planificateur démarré (Ctrl-C pour arrêter).")

    return distributed.run_scheduler(workspace, tick=tick, buckets=buckets, on_ready=ready)


class _NotStillRunning(logging.Filter):
    """A tick skipped because the previous one still runs (a long crawl) is normal: not logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in record.getMessage()


EMBEDDED = "embedded"  # `watcher serve` without --role
# Each option of `serve` is for one mode; given on the command line to another, it is refused
# (`_refuse_other_modes`): an option a mode ignored looked taken into account.
MODE_OF_OPTION = {
    "host": EMBEDDED,
    "port": EMBEDDED,
    "no_web": EMBEDDED,
    "buckets": "scheduler",
    "heartbeat": "worker",
}
_FOR_MODE = {
    EMBEDDED: "watcher serve sans --role (le mode intégré, qui sert aussi l'appli web)",
    "scheduler": "le planificateur (watcher serve --role scheduler)",
    "worker": "un travailleur (watcher serve --role worker)",
}
_WHY_NOT = {
    # (option, mode it was given to) → why that mode has no use for it, and what to do
    ("heartbeat", "scheduler"): (
        "le planificateur ne donne pas de signe de vie, il juge chaque travailleur à "
        "l'intervalle que ce travailleur a enregistré. Retirez --heartbeat de la commande du "
        "planificateur ; pour qu'un travailleur soit tenu pour muet plus tôt ou plus tard, "
        "donnez --heartbeat à ce travailleur"
    ),
    ("heartbeat", EMBEDDED): (
        "sans --role, watcher serve fait tout sur cette machine, sans travailleur à surveiller. "
        "Retirez --heartbeat, ou passez au mode distribué (docs/deploy.md)"
    ),
    ("buckets", "worker"): (
        "c'est lui qui répartit les domaines en paquets, et chaque tâche de collecte porte le "
        "nombre de paquets qu'il a choisi. Retirez --buckets de la commande du travailleur et "
        "donnez-le au planificateur (ou à tous les rôles par la variable "
        f"{BUCKETS_SETTING})"
    ),
    ("buckets", EMBEDDED): (
        "sans --role, watcher serve collecte toutes les sources dues en un seul processus, "
        "sans paquets. Retirez --buckets"
    ),
}


def _refuse_other_modes(ctx: click.Context, role: str | None) -> None:
    """A usage error (exit 2, before anything starts) naming each option given on the command
    line for another mode than `role`'s: what it is for, and what to do. From the environment
    (`--buckets` by WATCHER_CRAWL_BUCKETS, one service file for every role) it is not one."""
    from click.core import ParameterSource

    mode = role or EMBEDDED
    problems = []
    for param in ctx.command.params:
        name = param.name
        if name not in MODE_OF_OPTION or MODE_OF_OPTION[name] == mode:
            continue
        if ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE:
            continue
        option = param.opts[0]
        why = _WHY_NOT.get((name, mode)) or (
            "un rôle du mode distribué ne sert pas l'appli web. "
            f"Retirez {option} ; l'appli web du mode distribué se lance à part, avec watcher "
            "web --distributed (et ses propres --host et --port)"
        )
        problems.append(f"{option} ne vaut que pour {_FOR_MODE[MODE_OF_OPTION[name]]} : {why}.")
    if problems:
        raise click.UsageError("\n".join(problems), ctx)


@main.command()
@click.option(
    "--role",
    type=click.Choice(["scheduler", "worker"]),
    help="Mode distribué (PostgreSQL) : seulement le planificateur, ou un travailleur. Sans "
    "--role : le mode intégré, qui fait tout sur cette machine.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Mode intégré (sans --role) seulement : adresse de l'appli web.",
)
@click.option(
    "--port",
    type=int,
    default=8000,
    show_default=True,
    help="Mode intégré (sans --role) seulement : port de l'appli web.",
)
@click.option(
    "--no-web",
    is_flag=True,
    help="Mode intégré (sans --role) seulement : le planificateur, sans l'appli web.",
)
@click.option(
    "--buckets",
    type=click.IntRange(1),
    default=DEFAULT_BUCKETS,
    show_default=True,
    envvar=BUCKETS_SETTING,
    help="Planificateur (--role scheduler) seulement : nombre de paquets de domaines (une tâche "
    f"de collecte par paquet ; voir docs/deploy.md). Se donne aussi par la variable "
    f"{BUCKETS_SETTING}, que les autres modes ignorent.",
)
@click.option("--tick", type=click.FloatRange(0.1), default=60.0, hidden=True)
@click.option(
    "--heartbeat",
    type=click.FloatRange(0.1),
    default=10.0,
    show_default=True,
    help="Travailleur (--role worker) seulement : secondes entre deux signes de vie. Sans signe "
    "de vie pendant trois intervalles, il est tenu pour muet et ses tâches sont reprises "
    "(docs/deploy.md).",
)
@click.option("--debug", is_flag=True, hidden=True, help="Une ligne par tour et par tâche.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    no_web: bool,
    role: str | None,
    buckets: int,
    tick: float,
    heartbeat: float,
    debug: bool,
) -> int:
    """Fait tourner la veille : collectes à leur fréquence, analyse, synthèses hebdomadaires
    (et l'appli web si elle est installée). Arrêt propre avec Ctrl-C ou SIGTERM. En mode
    distribué (--role), un planificateur met les collectes en file et des travailleurs, sur
    une ou plusieurs machines, les font. Une option qui nomme un mode ne vaut que pour lui :
    donnée à un autre mode, elle est refusée."""
    from watcher.daemon import serve as run

    _refuse_other_modes(ctx, role)
    workspace: Workspace = ctx.obj
    watch = load(workspace)
    if role:
        return _serve_role(
            workspace, role, tick=tick, heartbeat=heartbeat, buckets=buckets, debug=debug
        )
    workspace.logs.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[
            logging.StreamHandler(sys.stderr),
            logging.FileHandler(workspace.logs / "serve.log", encoding="utf-8"),
        ],
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_NotStillRunning())

    def ready(mode: str) -> None:
        what = f"appli web sur http://{host}:{port}/ et " if mode == "web" else ""
        err.print(f"Watcher tourne : {what}planificateur démarré (Ctrl-C pour arrêter).")

    code = run(
        workspace,
        watch,
        host=host,
        port=port,
        web=not no_web,
        tick=timedelta(seconds=tick),
        on_ready=ready,
    )
    return code
