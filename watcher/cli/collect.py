"""`watcher init`, `check`, `crawl`, `status`, `items`, `delete`, `process`, `reindex`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watcher.changes import CHANGE_KIND
from watcher.cli.app import (
    _now,
    answered_yes,
    err,
    iso,
    load,
    main,
    out,
    print_json,
    require_config,
    zone,
)
from watcher.config import ConfigError, Watch, load_watch, private_url_warnings
from watcher.dates import clock, duration, elapsed, week_code_fr
from watcher.errors import Conflict
from watcher.jobs import OpenWorkspace, open_workspace
from watcher.labels import KIND_LABELS, SOURCE_FAILING, SOURCE_IN_SERVICE, TASK_LABELS
from watcher.model import QueueStatus, QueueWorker, RunningJob, SourceResult
from watcher.plural import counted, plural
from watcher.workspace import Workspace, write_atomically

if TYPE_CHECKING:
    from watcher.collect.crawl import CrawlReport
    from watcher.jobs.collect import SourceStatus
    from watcher.understand.process import ProcessReport


@main.command()
@click.argument("directory", metavar="DOSSIER", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Crée une veille de départ dans DOSSIER (sources.yml commenté, index/, reports/)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "sources.yml"
    if target.exists():
        raise Conflict(f"{target} existe déjà : rien n'a été écrasé.")
    starter = resources.files("watcher").joinpath("starter/sources.yml").read_text("utf-8")
    write_atomically(target, starter)  # killed half-way: no truncated one that init refuses
    for sub in ("index", "reports"):
        (directory / sub).mkdir(exist_ok=True)
    out.print(f"Veille créée dans {directory}/ :")
    out.print(f"  {target}  — vos axes, groupes et sources (à adapter)")
    out.print(f"  {directory / 'index'}/, {directory / 'reports'}/")
    out.print(f"Ensuite : cd {directory} && watcher check && watcher crawl")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Le résultat en JSON (erreurs comprises).")
@click.pass_obj
def check(workspace: Workspace, as_json: bool) -> int | None:
    """Vérifie sources.yml sans rien télécharger (code de sortie 2 si invalide)."""
    if as_json:
        try:
            found = load_watch(workspace.config)
        except ConfigError as exc:  # the errors are the output
            print_json(check_json(workspace, None, exc))
            return exc.exit_code
        print_json(check_json(workspace, found, None))
        return None
    watch = load(workspace)
    out.print(
        f"{workspace.config} est valide : {counted(len(watch.sources), 'source')}, "
        f"{counted(len(watch.axes), 'axe')}, {counted(len(watch.groups), 'groupe')}."
    )
    for warning in private_url_warnings(watch):
        out.print(f"[yellow]Attention : {escape(warning)}[/]")
    return None


@main.command()
@click.pass_obj
def topics(workspace: Workspace) -> None:
    """Les thèmes que la veille reconnaît (politique, économique, social…) : à écrire dans
    topics: d'un axe (sources.yml) ou dans la recherche (topic:ID)."""
    from watcher.taxonomy import PESTEL, load_taxonomy, topic_specs

    try:
        taxonomy = topic_specs(load_watch(workspace.config))
    except ConfigError:  # the file being fixed: the shipped topics still help
        err.print(
            f"{workspace.config} n'est pas valide (voir `watcher check`) : voici les thèmes "
            "fournis par Watcher, sans ceux de son topics:.",
            markup=False,
        )
        taxonomy = load_taxonomy()
    width = max(len(t.id) for t in taxonomy)
    for dimension, label in PESTEL.items():
        out.print(f"[bold]{escape(label)}[/] ({dimension})")
        for topic in (t for t in taxonomy if t.pestel == dimension):
            out.print(f"  {topic.id:<{width}}  {topic.label}", markup=False)
    out.print(
        "Dans topics: d'un axe, une dimension (economique, legal…) vaut tous ses thèmes. "
        "Vos propres thèmes : section topics: de sources.yml (docs/sources-format.md).",
        markup=False,
    )


def check_json(workspace: Workspace, watch: Watch | None, error: ConfigError | None) -> object:
    return {
        "config": str(workspace.config),
        "valid": watch is not None,
        "sources": len(watch.sources) if watch else None,
        "axes": len(watch.axes) if watch else None,
        "groups": len(watch.groups) if watch else None,
        "warnings": private_url_warnings(watch) if watch else [],
        "errors": [
            {
                "path": i.path,
                "message": i.message,
                "value": i.value,
                "example": i.example,
                "meant": i.meant,
            }
            for i in (error.issues if error else [])
        ],
    }


# --- crawl ------------------------------------------------------------------------------------


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    progress = Progress(
        TextColumn("[bold]Collecte[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=total)

        def on_event(event: dict[str, Any]) -> None:
            if event.get("event") == "crawl_started":
                progress.update(task, total=len(event["sources"]))
            elif event.get("event") == "source_started":
                progress.update(task, description=str(event["source_id"]))
            elif event.get("event") == "source_done":
                progress.advance(task)

        yield on_event


def _state_label(result: SourceResult) -> str:
    """A source's state in the crawl's table, in the digest's words (« en service »…)."""
    if result.error:
        return f"[red]{SOURCE_FAILING}[/]"
    if result.not_modified:  # it answered: nothing changed since the last collection
        return f"[green]{SOURCE_IN_SERVICE}[/] [dim](inchangée, 304)[/]"
    if result.first_version:  # a watched page's reference version, neither new nor unchanged
        return f"[green]{SOURCE_IN_SERVICE}[/] [dim](première version)[/]"
    return f"[green]{SOURCE_IN_SERVICE}[/]"


def print_report(watch: Watch, report: CrawlReport, *, verbose: bool = False) -> None:
    if not report.results:
        out.print("Aucune source à collecter maintenant (voir `watcher status`, ou --all).")
        return
    table = Table(title="Résumé de la collecte", title_justify="left")
    for column in ("source", "état", "nouveaux", "mis à jour", "inchangés", "non lus", "raison"):
        table.add_column(
            column, justify="right" if column in ("nouveaux", "mis à jour") else "left"
        )
    for result in report.results:
        source = watch.source(result.source_id)
        reason = result.error
        if not reason and result.warnings:
            reason = counted(len(result.warnings), "avertissement")
        table.add_row(
            escape(source.label),
            _state_label(result),
            str(result.new),
            str(result.updated),
            str(result.unchanged),
            str(result.failed),
            escape(reason),
        )
    out.print(table)
    for line in report_summary(report, verbose=verbose, tz=watch.watch.timezone):
        out.print(line, markup=False)
    if len(report.failed) == len(report.results) > 1 and all(
        "nom de domaine introuvable" in r.error for r in report.failed
    ):
        out.print(
            "Aucun nom de domaine n'a pu être résolu : cette machine est-elle connectée à "
            "internet ? Sans connexion, `watcher demo` montre une veille complète hors ligne."
        )
    said = [(r.source_id, w) for r in report.results for w in r.warnings]
    shown = said if verbose else said[:WARNINGS_SHOWN]
    for source_id, warning in shown:
        out.print(f"  [{source_id}] {warning}", markup=False)
    if len(said) > len(shown):
        rest, first = len(said) - len(shown), said[len(shown)][0]
        out.print(
            f"  … et {counted(rest, 'autre', 'autres')} : `watcher crawl -v` affiche tous les "
            f"avertissements (`watcher crawl -v --source {first}` collecte de nouveau cette "
            "source).",
            markup=False,
        )


WARNINGS_SHOWN = 5  # the warnings a crawl prints without -v (a moved page, a robots.txt refusal)


def report_summary(report: CrawlReport, *, verbose: bool, tz: str) -> list[str]:
    """The lines under the crawl table: sources in failure (the whole source could not be
    read) apart from pages or entries left unread in sources that answered, the failing
    sources left for later (even by --all), and the count of the warnings printed under it."""
    new = sum(r.new for r in report.results)
    updated = sum(r.updated for r in report.results)
    failed = report.failed
    lines = [
        f"{counted(len(report.results), 'source collectée', 'sources collectées')} : "
        f"{counted(new, 'nouvel article', 'nouveaux articles')}, {updated} mis à jour, "
        f"{counted(len(failed), 'source en échec', 'sources en échec')}"
        + (f" ({', '.join(r.source_id for r in failed)})." if failed else ".")
    ]
    unread = sum(r.failed for r in report.results if r.ok)
    if unread:
        lines.append(
            f"{counted(unread, 'page ou entrée non lue', 'pages ou entrées non lues')} (colonne "
            "« non lus ») dans des sources qui ont répondu : ces sources ne sont pas en échec."
        )
    if report.held_back:
        waiting = ", ".join(
            f"{sid} (le {clock(until, tz)})" for sid, until in report.held_back.items()
        )
        first, held = next(iter(report.held_back)), len(report.held_back)
        lines.append(
            f"{counted(held, 'source en échec non collectée', 'sources en échec non collectées')}"
            f", en attente de {plural(held, 'sa', 'leur')} prochaine tentative : {waiting}. "
            f"Pour {plural(held, 'la', 'en')} collecter {plural(held, '', 'une ')}maintenant : "
            f"`watcher crawl --source {first}`."
        )
    references = [r.source_id for r in report.results if r.first_version]
    if references:
        pages = plural(len(references), "la page surveillée", "les pages surveillées")
        lines.append(
            f"Première version enregistrée pour {pages} {', '.join(references)} : "
            f"{plural(len(references), 'ses', 'leurs')} changements (texte, prix) seront signalés "
            "à partir de la prochaine collecte."
        )
    warnings = sum(len(r.warnings) for r in report.results)
    if warnings:  # printed under it: they are not kept, a later `crawl -v` may not see them
        lines.append(f"{counted(warnings, 'avertissement')} :")
    return lines


def run_crawl(
    w: OpenWorkspace,
    watch: Watch,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
) -> CrawlReport:
    """The crawl use case, with a progress bar on a terminal."""
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run

    with _progress(len(watch.sources)) as on_event:
        return jobs.crawl(
            w,
            watch,
            _now(),
            source_id=source_id,
            group_id=group_id,
            force=force,
            on_event=on_event,
        )


@main.command()
@click.option("--source", "source_id", help="Collecter seulement cette source (même si pas due).")
@click.option("--group", "group_id", help="Collecter seulement les sources de ce groupe.")
@click.option(
    "--all",
    "force",
    is_flag=True,
    help="Collecter toutes les sources, dues ou non (sauf une source en échec, en attente de sa "
    "prochaine tentative : --source ID).",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Afficher tous les avertissements (sinon les 5 premiers)."
)
@click.option("--json", "as_json", is_flag=True, help="Le résumé en JSON.")
@click.pass_obj
def crawl(
    workspace: Workspace,
    source_id: str | None,
    group_id: str | None,
    force: bool,
    verbose: bool,
    as_json: bool,
) -> int:
    """Collecte les sources dues ; code de sortie 1 si une source a échoué."""
    watch = load(workspace, refused="Rien n'a été collecté.")
    with open_workspace(workspace) as w:
        report = run_crawl(w, watch, source_id=source_id, group_id=group_id, force=force)
    if as_json:
        print_json(crawl_json(watch, report))
    else:
        print_report(watch, report, verbose=verbose)
    return 1 if report.failed else 0


def crawl_json(watch: Watch, report: CrawlReport) -> object:
    results = report.results
    return {
        "sources": [
            {
                "id": r.source_id,
                "label": watch.source(r.source_id).label,
                "ok": r.ok,
                "not_modified": r.not_modified,
                "new": r.new,
                "updated": r.updated,
                "unchanged": r.unchanged,
                "first_version": r.first_version,
                "unread": r.failed,
                "error": r.error or None,
                "warnings": list(r.warnings),
            }
            for r in results
        ],
        "skipped": list(report.skipped),
        "held_back": [{"id": sid, "until": iso(until)} for sid, until in report.held_back.items()],
        "totals": {
            "sources": len(results),
            "failed_sources": len(report.failed),
            "new": sum(r.new for r in results),
            "updated": sum(r.updated for r in results),
            "unread": sum(r.failed for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }


# --- status -----------------------------------------------------------------------------------


@main.command()
@click.option("--json", "as_json", is_flag=True, help="L'état en JSON.")
@click.pass_obj
def status(workspace: Workspace, as_json: bool) -> None:
    """État des sources : dernière réussite, dernière erreur, prochaine collecte."""
    watch = load(workspace)
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run
    from watcher.jobs.digest import digest_status
    from watcher.jobs.distributed import queue_status

    moment = _now()
    with open_workspace(workspace) as w:
        sources = jobs.source_status(w, watch)
        digests = digest_status(w, watch, moment)
        queue = queue_status(w, watch, moment)
    if as_json:
        print_json(
            {
                "sources": status_json(sources),
                "digests": digests_json(digests),
                "queue": queue_json(queue),
            }
        )
        return
    tz = watch.watch.timezone
    table = Table(title=f"Sources (heures : {tz})", title_justify="left")
    for column in (
        "source",
        "type",
        "articles",
        "dernière collecte réussie",
        "échecs",
        "prochaine collecte",
        "erreur",
    ):
        table.add_column(column)
    for found in sources:
        state = found.state
        table.add_row(
            found.source.label,
            KIND_LABELS.get(found.source.kind, found.source.kind),
            str(found.items),
            clock(state.last_success_at if state else None, tz),
            f"[red]{found.failures}[/]" if found.failures else "0",
            clock(found.next_due, tz) if found.next_due else "maintenant",
            (state.last_error if state and found.failures else "") or "",
        )
    out.print(table)
    _print_digest_status(watch, digests)
    if queue is not None:
        _print_queue_status(watch, queue)


def status_json(sources: list[SourceStatus]) -> list[object]:
    return [
        {
            "id": found.source.id,
            "label": found.source.label,
            "kind": found.source.kind,
            "items": found.items,
            "last_attempt": iso(found.state.last_attempt_at if found.state else None),
            "last_success": iso(found.state.last_success_at if found.state else None),
            "consecutive_failures": found.failures,
            "last_error": (found.state.last_error or None) if found.state else None,
            "next_due": iso(found.next_due),
        }
        for found in sources
    ]


def digests_json(digests: list[Any]) -> list[object]:
    return [
        {
            "group": found.group_id,
            "group_name": found.group_name,
            "next_run": iso(found.next_run),
            "last_week": found.last_week,
            "deliveries": dict(sorted(found.states.items())),
        }
        for found in digests
    ]


def queue_json(queue: QueueStatus | None) -> object:
    if queue is None:
        return None
    return {
        "scheduler": {"active": queue.scheduler, "last_tick": iso(queue.last_tick)},
        "workers": {
            "alive": queue.alive,
            "silent": len(queue.silent),
            "list": [
                {
                    "id": worker.id,
                    "host": worker.host,
                    "pid": worker.pid,
                    "heartbeat": worker.heartbeat,
                    "silent_after": worker.silent_after,
                    "last_heartbeat": iso(worker.last_heartbeat),
                    "silent": worker.silent,
                    "job": worker.job.id if worker.job else None,
                }
                for worker in queue.workers
            ],
        },
        "waiting": queue.waiting,
        "running": queue.running,
        "oldest_waiting": (
            {"task": queue.oldest_waiting[0], "since": iso(queue.oldest_waiting[1])}
            if queue.oldest_waiting
            else None
        ),
        "running_jobs": [
            {
                "id": job.id,
                "task": job.task,
                "lock": job.lock,
                "started": iso(job.started),
                "worker": job.worker_id,
                "stalled": job.stalled,
                "running_for": ((queue.at - job.started).total_seconds() if job.started else None),
                "usual": job.usual,
                "usual_of": job.usual_of,
                "long_after": job.long_after,
                "long_basis": job.long_basis,
                "long": job.long,
            }
            for job in queue.running_jobs
        ],
        "stalled": len(queue.stalled),
        "long": len(queue.long),
        "failed_last_24h": queue.failed,
    }


def _seconds(value: float) -> str:
    """« 10 s », « 1,5 s »."""
    return f"{value:g}".replace(".", ",") + " s"


def _worker_line(worker: QueueWorker, queue: QueueStatus, tz: str) -> str:
    """One worker: its number, where it runs, and whether it beats (since when it is silent)."""
    where = f" sur {worker.host} (processus {worker.pid})" if worker.host else ""
    if worker.silent:
        since = clock(worker.last_heartbeat, tz, seconds=True)
        state = (
            f"[yellow]muet depuis {since} ({elapsed(worker.last_heartbeat, queue.at)})[/] ; un "
            f"signe de vie attendu toutes les {_seconds(worker.heartbeat)}, muet au-delà de "
            f"{_seconds(worker.silent_after)}"
        )
    else:
        state = f"actif, un signe de vie toutes les {_seconds(worker.heartbeat)}"
    job = f" ; tâche {worker.job.id} en cours" if worker.job else ""
    return f"    travailleur n° {worker.id}{escape(where)} : {state}{job}"


def _job_line(job: RunningJob, queue: QueueStatus, tz: str) -> str:
    """One running job: what, since when, on which worker, and whether it is stalled."""
    label = TASK_LABELS.get(job.task, job.task)
    lock = f" {job.lock}" if job.lock else ""
    since = f"{clock(job.started, tz, seconds=True)} ({elapsed(job.started, queue.at)})"
    line = f"    tâche {job.id} ({label}{escape(lock)}) depuis {since}"
    worker = queue.worker(job.worker_id)
    if job.worker_id is None or worker is None:
        return line + " : [yellow]bloquée, son travailleur a disparu[/]"
    where = f" ({escape(worker.host)}, processus {worker.pid})" if worker.host else ""
    line += f" sur le travailleur n° {worker.id}{where}"
    if job.stalled:
        line += " : [yellow]bloquée, son travailleur est muet[/]"
    if job.long:
        line += f" : [yellow]{escape(long_job_words(job, queue))}[/]"
    return line


def long_job_words(job: RunningJob, queue: QueueStatus) -> str:
    """Why a running job is « longue »: how long it has run, and what it was judged by (its
    usual duration, or the crawl's limits)."""
    running = elapsed(job.started, queue.at)
    if job.long_basis == "history":
        return (
            f"longue, en cours depuis {running} alors qu'elle dure d'habitude "
            f"{duration(job.usual)} (médiane de ses {job.usual_of} dernières exécutions réussies ; "
            f"longue au-delà de {duration(job.long_after)})"
        )
    return (
        f"longue, en cours depuis {running} : plus que ne le permettent les limites de la "
        f"collecte ({duration(job.long_after)} : délai d'attente, reprises et redirections de "
        "chaque requête ; pas encore d'historique)"
    )


def _print_queue_status(watch: Watch, queue: QueueStatus) -> None:
    """The distributed queue (PostgreSQL store, once a role has run): scheduler, workers, jobs."""
    tz = watch.watch.timezone

    def tasks(counts: dict[str, int]) -> str:
        total = counted(sum(counts.values()), "tâche", "tâches")
        each = ", ".join(f"{TASK_LABELS.get(t, t)} : {n}" for t, n in sorted(counts.items()))
        return f"{total} ({each})" if each else total

    lines = [f"File distribuée (heures : {tz})"]
    if queue.scheduler:
        tick = f", dernier tour à {clock(queue.last_tick, tz)}" if queue.last_tick else ""
        lines.append(f"  planificateur actif{tick}")
    else:
        lines.append("  [red]aucun planificateur actif[/] (watcher serve --role scheduler)")
    workers = counted(queue.alive, "travailleur actif", "travailleurs actifs")
    if queue.silent:
        workers += f", [yellow]{counted(len(queue.silent), 'muet', 'muets')}[/]"
    lines.append(f"  {workers}")
    lines.extend(_worker_line(worker, queue, tz) for worker in queue.workers)
    waiting = f"  en attente : {tasks(queue.waiting)}"
    if queue.oldest_waiting:
        task, since = queue.oldest_waiting
        waiting += f" ; la plus ancienne ({TASK_LABELS.get(task, task)}) depuis {clock(since, tz)}"
    lines.append(waiting)
    lines.append(f"  en cours : {tasks(queue.running)}")
    lines.extend(_job_line(job, queue, tz) for job in queue.running_jobs)
    if queue.stalled:
        stalled = counted(len(queue.stalled), "tâche bloquée", "tâches bloquées")
        retried = (
            "reprise par le planificateur à son prochain tour"
            if queue.scheduler
            else "reprise dès qu'un planificateur tournera"
        )
        lines.append(f"  [yellow]{stalled}[/] : travailleur muet ou disparu ({retried})")
    if queue.long:
        long = counted(len(queue.long), "tâche longue", "tâches longues")
        lines.append(
            f"  [yellow]{long}[/] : son travailleur donne signe de vie, mais elle dure bien plus "
            "que d'habitude ; rien n'est arrêté : voyez le journal du travailleur (deux SIGTERM "
            "l'arrêtent tout de suite, et un autre travailleur reprend la tâche)"
        )
    failed = counted(queue.failed, "tâche en échec", "tâches en échec")
    lines.append(f"  {failed} ces dernières {queue.failed_hours} h")
    out.print("\n".join(lines))


def _print_digest_status(watch: Watch, digests: list[Any]) -> None:
    """Each group's next digest and how the last one was delivered."""
    tz = watch.watch.timezone
    table = Table(title=f"Synthèses hebdomadaires (heures : {tz})", title_justify="left")
    for column in ("groupe", "prochain envoi", "dernière semaine envoyée", "envois"):
        table.add_column(column)
    for found in digests:
        deliveries = ", ".join(f"{label} : {n}" for label, n in sorted(found.states.items()))
        if any(label != "envoyé" for label in found.states):
            deliveries = f"[yellow]{deliveries}[/] (voir `watcher outbox`)"
        table.add_row(
            found.group_name,
            clock(found.next_run, tz),
            week_code_fr(found.last_week) if found.last_week else "—",
            deliveries,
        )
    out.print(table)


# --- items ------------------------------------------------------------------------------------


@main.command("items")
@click.option("--source", "source_id", help="Seulement les articles de cette source.")
@click.option("--group", "group_id", help="Seulement les articles de ce groupe.")
@click.option(
    "--limit", type=click.IntRange(1), default=50, show_default=True, help="Nombre d'articles."
)
@click.option("--json", "as_json", is_flag=True, help="La liste en JSON.")
@click.pass_obj
def items_command(
    workspace: Workspace, source_id: str | None, group_id: str | None, limit: int, as_json: bool
) -> None:
    """Liste les articles collectés (les plus récents d'abord)."""
    watch = load(workspace)
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run

    with open_workspace(workspace) as w:
        found, total = jobs.latest_items(
            w, watch, source_id=source_id, group_id=group_id, limit=limit
        )
    if as_json:
        rows = [
            {
                "id": i.id,
                "source": i.source_id,
                "title": i.title,
                "url": i.url,
                "published": i.published_at.isoformat() if i.published_at else None,
                "fetched": i.fetched_at.isoformat(),
                "groups": list(i.groups),
                "version": i.version,
            }
            for i in found
        ]
        print_json(rows)
        return
    tz = zone(workspace)
    names = {s.id: s.label for s in watch.sources}  # as `search` and `status` show them
    cut = total > len(found)
    shown = counted(len(found), "article") + (f" sur {total}" if cut else "")
    table = Table(title=shown, title_justify="left")
    for column in ("id", f"publié le ({tz})", "source", "titre"):
        table.add_column(column)
    for item in found:
        # a watched page's change was never published: the day it was detected
        when = (
            f"modification détectée le {clock(item.fetched_at, tz)}"
            if item.kind == CHANGE_KIND
            else clock(item.published_at, tz)
        )
        source = escape(names.get(item.source_id, item.source_id))
        table.add_row(str(item.id), when, source, item.title)
    out.print(table)
    if cut:
        newest = "Le plus récent" if len(found) == 1 else f"Les {len(found)} plus récents"
        out.print(f"{newest} : --limit {total} pour les voir tous.")


@main.command()
@click.argument("item_id", metavar="NUMÉRO", type=int)
@click.option(
    "--as",
    "as_email",
    default=None,
    help="Qui supprime : votre courriel, gardé dans l'historique de l'article (défaut : cli).",
)
@click.option("--by", "by", default=None, hidden=True)  # the name before --as (scripts)
@click.option("--yes", "confirmed", is_flag=True, help="Supprimer sans demander de confirmation.")
@click.pass_obj
def delete(
    workspace: Workspace, item_id: int, as_email: str | None, by: str | None, confirmed: bool
) -> int:
    """Supprime un article : il ne reviendra pas aux collectes suivantes.

    L'article est nommé et la suppression demandée (o/N) ; --yes pour ne pas demander
    (scripts)."""
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run

    require_config(workspace)
    by = as_email or by or "cli"
    with open_workspace(workspace) as w:
        item = jobs.item_to_delete(w, item_id)
        named = f"l'article n° {item_id} « {item.title} » ({item.source_id})"
        if not confirmed and not answered_yes(
            f"Supprimer {named} ? Il ne reviendra pas aux collectes suivantes.",
            "Suppression non faite (pas de terminal pour la demander) : ajoutez --yes "
            f"pour supprimer {named}.",
        ):
            out.print("Rien n'a été supprimé.")
            return 1
        jobs.delete_item(w, item_id, _now(), by)
    out.print(f"Article n° {item_id} supprimé : « {item.title} » ({item.source_id}).", markup=False)
    return 0


# --- process and reindex ----------------------------------------------------------------------


@contextmanager
def _stage_progress() -> Iterator[Any]:
    progress = Progress(
        TextColumn("[bold]{task.description}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    labels = {"enrich": "Analyse", "index": "Indexation", "fingerprints": "Empreintes (doublons)"}
    with progress:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=max(total, done))

        yield on_progress


def run_process(w: OpenWorkspace, watch: Watch, *, everything: bool = False) -> ProcessReport:
    """The process use case, with progress bars on a terminal."""
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run

    with _stage_progress() as on_progress:
        return jobs.process(w, watch, _now(), everything=everything, on_progress=on_progress)


@main.command()
@click.option("--all", "everything", is_flag=True, help="Tout réanalyser (axes ou modèle changés).")
@click.option("--json", "as_json", is_flag=True, help="Le résumé en JSON.")
@click.pass_obj
def process(workspace: Workspace, everything: bool, as_json: bool) -> int:
    """Analyse les articles collectés (entités, axes, thèmes, textes de référence) et les indexe."""
    watch = load(workspace)
    with open_workspace(workspace) as w:
        report = run_process(w, watch, everything=everything)
    if as_json:
        print_json(dataclasses.asdict(report))
        return 1 if report.index_busy else 0
    out.print(
        f"{counted(report.enriched, 'article analysé', 'articles analysés')}, "
        f"{counted(report.indexed, 'indexé')}, {counted(report.removed, 'retiré')} de l'index."
    )
    if report.healed:
        out.print(
            plural(
                report.healed,
                "1 article manquait dans l'index : il y est de nouveau.",
                f"{report.healed} articles manquaient dans l'index : ils y sont de nouveau.",
            )
        )
    if report.stale:
        out.print(
            f"[yellow]{counted(report.stale, 'article')} "
            f"{plural(report.stale, 'a été analysé', 'ont été analysés')} avec d'autres axes, "
            f"thèmes ou modèle : lancez `watcher process --all` pour "
            f"{plural(report.stale, 'le', 'les')} réanalyser.[/]"
        )
    if report.index_busy:
        err.print(
            "L'index de recherche est occupé par une autre écriture (un `watcher reindex` en "
            f"cours ?) : {counted(report.index_waiting, 'article analysé', 'articles analysés')} "
            f"{plural(report.index_waiting, 'attend', 'attendent')} d'y entrer. "
            "Relancez `watcher process` quand elle sera finie.",
            markup=False,
        )
        return 1
    return 0


@main.command()
@click.pass_obj
def reindex(workspace: Workspace) -> None:
    """Reconstruit l'index de recherche à partir de la base (la source de vérité), ici et sur
    chaque serveur web qui en a une copie."""
    watch = load(workspace)
    from watcher.jobs import collect as jobs  # the crawl's and the store's libraries: when run

    with open_workspace(workspace) as w, _stage_progress() as on_progress:
        count = jobs.reindex(w, watch, _now(), on_progress)
    out.print(f"Index reconstruit : {counted(count, 'article')}.")
