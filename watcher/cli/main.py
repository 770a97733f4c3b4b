"""The `watcher` command: parse arguments, call one use case, print the outcome.

This is the only module that prints. Messages are in French: learners are French speakers.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watcher.cli import french as cli_french
from watcher.collect.crawl import CrawlReport, crawl_due, next_due
from watcher.config import ConfigError, Watch, WatchInfo, load_watch
from watcher.dates import clock
from watcher.labels import FACET_TITLES, Labels, watch_labels
from watcher.model import SourceResult
from watcher.store import Store
from watcher.workspace import Workspace

cli_french.install()  # before any command is declared: click's own words in French

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
for _console in (out, err):
    if not _console.is_terminal:  # pipes and logs: wide lines rather than wrapped cells
        _console.width = 160


def _now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """A time in JSON output: ISO 8601 with its offset, or null."""
    return moment.isoformat() if moment is not None else None


def print_json(data: object) -> None:
    """The one way commands print JSON (--json): UTF-8 as is, indented; shapes in
    docs/cli-json.md."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _load(workspace: Workspace, *, refused: str = "") -> Watch:
    """The watch of sources.yml; if the file is invalid, its errors and exit code 2.

    ``refused`` says what the command did not do because of it (« Rien n'a été collecté. »)."""
    try:
        return load_watch(workspace.config)
    except ConfigError as exc:
        _print_config_error(exc, refused)
        sys.exit(2)


def _zone(workspace: Workspace) -> str:
    """The watch's time zone, for showing times; the default one if sources.yml is invalid
    (listing what is stored does not need it to be valid)."""
    try:
        return load_watch(workspace.config).watch.timezone
    except ConfigError:
        return WatchInfo.model_fields["timezone"].default


def _print_config_error(exc: ConfigError, refused: str = "") -> None:
    err.print(
        f"[bold red]{escape(str(exc.path))} n'est pas valide[/] ({len(exc.issues)} erreur(s)) :"
    )
    for issue in exc.issues:
        err.print(f"  {issue}", markup=False)
    if refused:
        err.print(refused, markup=False)
    err.print("Corrigez le fichier puis relancez `watcher check`.", markup=False)


@click.group()
@click.option(
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier sources.yml (par défaut ./sources.yml, ou $WATCHER_CONFIG).",
)
@click.version_option(package_name="watcher")
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """Watcher — la veille marché et réglementaire du bloc 1 (RNCP 32204)."""
    ctx.obj = Workspace.find(config)


@main.command()
@click.argument("directory", metavar="DOSSIER", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Crée une veille de départ dans DOSSIER (sources.yml commenté, index/, reports/)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "sources.yml"
    if target.exists():
        err.print(f"{target} existe déjà : rien n'a été écrasé.")
        sys.exit(1)
    starter = resources.files("watcher").joinpath("starter/sources.yml").read_text("utf-8")
    target.write_text(starter, encoding="utf-8")
    for sub in ("index", "reports"):
        (directory / sub).mkdir(exist_ok=True)
    out.print(f"Veille créée dans {directory}/ :")
    out.print(f"  {target}  — vos axes, groupes et sources (à adapter)")
    out.print(f"  {directory / 'index'}/, {directory / 'reports'}/")
    out.print(f"Ensuite : cd {directory} && watcher check && watcher crawl")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Le résultat en JSON (erreurs comprises).")
@click.pass_obj
def check(workspace: Workspace, as_json: bool) -> None:
    """Vérifie sources.yml sans rien télécharger (code de sortie 2 si invalide)."""
    if as_json:
        try:
            found = load_watch(workspace.config)
        except ConfigError as exc:
            print_json(check_json(workspace, None, exc))
            sys.exit(2)
        print_json(check_json(workspace, found, None))
        return
    watch = _load(workspace)
    out.print(
        f"{workspace.config} est valide : {len(watch.sources)} source(s), "
        f"{len(watch.axes)} axe(s), {len(watch.groups)} groupe(s)."
    )


def check_json(workspace: Workspace, watch: Watch | None, error: ConfigError | None) -> object:
    return {
        "config": str(workspace.config),
        "valid": watch is not None,
        "sources": len(watch.sources) if watch else None,
        "axes": len(watch.axes) if watch else None,
        "groups": len(watch.groups) if watch else None,
        "errors": [
            {"path": i.path, "message": i.message, "value": i.value, "example": i.example}
            for i in (error.issues if error else [])
        ],
    }


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
    if result.error:
        return "[red]échec[/]"
    if result.not_modified:
        return "[dim]inchangé (304)[/]"
    return "[green]ok[/]"


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
            reason = f"{len(result.warnings)} avertissement(s)"
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
    for line in report_summary(report, verbose=verbose):
        out.print(line, markup=False)
    if len(report.failed) == len(report.results) > 1 and all(
        "nom de domaine introuvable" in r.error for r in report.failed
    ):
        out.print(
            "Aucun nom de domaine n'a pu être résolu : cette machine est-elle connectée à "
            "internet ? Sans connexion, `watcher demo` montre une veille complète hors ligne."
        )
    if verbose:
        for result in report.results:
            for warning in result.warnings:
                out.print(f"  [{result.source_id}] {warning}", markup=False)


def report_summary(report: CrawlReport, *, verbose: bool) -> list[str]:
    """The lines under the crawl table: sources in failure (the whole source could not be
    read) apart from pages or entries left unread in sources that answered, and where the
    warnings are."""
    new = sum(r.new for r in report.results)
    updated = sum(r.updated for r in report.results)
    failed = report.failed
    lines = [
        f"{len(report.results)} source(s) collectée(s) : {new} nouvel(s) article(s), "
        f"{updated} mis à jour, {len(failed)} source(s) en échec"
        + (f" ({', '.join(r.source_id for r in failed)})." if failed else ".")
    ]
    unread = sum(r.failed for r in report.results if r.ok)
    if unread:
        lines.append(
            f"{unread} page(s) ou entrée(s) non lue(s) (colonne « non lus ») dans des sources "
            "qui ont répondu : ces sources ne sont pas en échec."
        )
    warnings = sum(len(r.warnings) for r in report.results)
    if warnings and not verbose:
        lines.append(
            f"{warnings} avertissement(s) (par exemple une page refusée par robots.txt) : "
            "`watcher crawl -v` les affiche."
        )
    elif warnings:
        lines.append(f"{warnings} avertissement(s) :")
    return lines


def run_crawl(
    workspace: Workspace,
    watch: Watch,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
) -> CrawlReport:
    with _progress(len(watch.sources)) as on_event:
        return crawl_due(
            watch,
            workspace.db,
            _now(),
            source_id=source_id,
            group_id=group_id,
            force=force,
            on_event=on_event,
            log_file=workspace.crawl_log(),
        )


@main.command()
@click.option("--source", "source_id", help="Collecter seulement cette source (même si pas due).")
@click.option("--group", "group_id", help="Collecter seulement les sources de ce groupe.")
@click.option("--all", "force", is_flag=True, help="Collecter toutes les sources, dues ou non.")
@click.option("--verbose", "-v", is_flag=True, help="Afficher aussi les avertissements.")
@click.option("--json", "as_json", is_flag=True, help="Le résumé en JSON.")
@click.pass_obj
def crawl(
    workspace: Workspace,
    source_id: str | None,
    group_id: str | None,
    force: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Collecte les sources dues ; code de sortie 1 si une source a échoué."""
    watch = _load(workspace, refused="Rien n'a été collecté.")
    if source_id and source_id not in {s.id for s in watch.sources}:
        err.print(
            f"Source inconnue : {source_id}. Sources : {', '.join(s.id for s in watch.sources)}"
        )
        sys.exit(2)
    if group_id and group_id not in {g.id for g in watch.groups}:
        err.print(f"Groupe inconnu : {group_id}. Groupes : {', '.join(g.id for g in watch.groups)}")
        sys.exit(2)
    report = run_crawl(workspace, watch, source_id=source_id, group_id=group_id, force=force)
    if as_json:
        print_json(crawl_json(watch, report))
    else:
        print_report(watch, report, verbose=verbose)
    sys.exit(1 if report.failed else 0)


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
                "unread": r.failed,
                "error": r.error or None,
                "warnings": list(r.warnings),
            }
            for r in results
        ],
        "skipped": list(report.skipped),
        "totals": {
            "sources": len(results),
            "failed_sources": len(report.failed),
            "new": sum(r.new for r in results),
            "updated": sum(r.updated for r in results),
            "unread": sum(r.failed for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }


@main.command()
@click.option("--json", "as_json", is_flag=True, help="L'état en JSON.")
@click.pass_obj
def status(workspace: Workspace, as_json: bool) -> None:
    """État des sources : dernière réussite, dernière erreur, prochaine collecte."""
    watch = _load(workspace)
    store = Store(workspace.db)
    try:
        states = store.source_states()
        counts = store.count_items()
    finally:
        store.close()
    if as_json:
        print_json(status_json(workspace, watch, states, counts))
        return
    zone = watch.watch.timezone
    table = Table(title=f"Sources (heures : {zone})", title_justify="left")
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
    for source in watch.sources:
        state = states.get(source.id)
        failures = state.consecutive_failures if state else 0
        due = next_due(source, state)
        table.add_row(
            source.label,
            source.kind,
            str(counts.get(source.id, 0)),
            clock(state.last_success_at if state else None, zone),
            f"[red]{failures}[/]" if failures else "0",
            clock(due, zone) if due else "maintenant",
            (state.last_error if state and failures else "") or "",
        )
    out.print(table)
    _print_digest_status(workspace, watch)


def status_json(
    workspace: Workspace, watch: Watch, states: dict[str, Any], counts: dict[str, int]
) -> object:
    sources = []
    for source in watch.sources:
        state = states.get(source.id)
        due = next_due(source, state)
        sources.append(
            {
                "id": source.id,
                "label": source.label,
                "kind": source.kind,
                "items": counts.get(source.id, 0),
                "last_attempt": iso(state.last_attempt_at if state else None),
                "last_success": iso(state.last_success_at if state else None),
                "consecutive_failures": state.consecutive_failures if state else 0,
                "last_error": (state.last_error or None) if state else None,
                "next_due": iso(due),
            }
        )
    return {"sources": sources, "digests": _digest_status_json(workspace, watch)}


def _digest_status_json(workspace: Workspace, watch: Watch) -> list[object]:
    try:
        from watcher.jobs import digest_status
    except ModuleNotFoundError as exc:
        if exc.name != "watcher.jobs":
            raise
        return []
    return [
        {
            "group": found.group_id,
            "group_name": found.group_name,
            "next_run": iso(found.next_run),
            "last_week": found.last_week,
            "deliveries": dict(sorted(found.states.items())),
        }
        for found in digest_status(workspace, watch, _now())
    ]


def _print_digest_status(workspace: Workspace, watch: Watch) -> None:
    """Each group's next digest and how the last one was delivered (digest area)."""
    try:
        from watcher.jobs import digest_status
    except ModuleNotFoundError as exc:
        if exc.name != "watcher.jobs":
            raise
        return
    zone = watch.watch.timezone
    table = Table(title=f"Digests hebdomadaires (heures : {zone})", title_justify="left")
    for column in ("groupe", "prochain envoi", "dernière semaine envoyée", "envois"):
        table.add_column(column)
    for found in digest_status(workspace, watch, _now()):
        deliveries = ", ".join(f"{label} : {n}" for label, n in sorted(found.states.items()))
        if any(label != "envoyé" for label in found.states):
            deliveries = f"[yellow]{deliveries}[/] (voir `watcher outbox`)"
        table.add_row(
            found.group_name,
            clock(found.next_run, watch.watch.timezone),
            found.last_week or "—",
            deliveries,
        )
    out.print(table)


@main.command("items")
@click.option("--source", "source_id", help="Seulement les articles de cette source.")
@click.option("--group", "group_id", help="Seulement les articles de ce groupe.")
@click.option("--limit", type=int, default=50, show_default=True, help="Nombre d'articles.")
@click.option("--json", "as_json", is_flag=True, help="La liste en JSON.")
@click.pass_obj
def items_command(
    workspace: Workspace, source_id: str | None, group_id: str | None, limit: int, as_json: bool
) -> None:
    """Liste les articles collectés (les plus récents d'abord)."""
    store = Store(workspace.db)
    try:
        found = store.list_items(source_id=source_id, group_id=group_id)
    finally:
        store.close()
    found.sort(key=lambda i: i.published_at or i.fetched_at, reverse=True)
    found = found[:limit]
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
    zone = _zone(workspace)
    table = Table(title=f"{len(found)} article(s)", title_justify="left")
    for column in ("id", f"publié le ({zone})", "source", "titre"):
        table.add_column(column)
    for item in found:
        table.add_row(str(item.id), clock(item.published_at, zone), item.source_id, item.title)
    out.print(table)


@main.command()
@click.argument("item_id", metavar="NUMÉRO", type=int)
@click.option("--by", default="cli", help="Qui supprime (gardé dans l'historique).")
@click.pass_obj
def delete(workspace: Workspace, item_id: int, by: str) -> None:
    """Supprime un article : il ne reviendra pas aux collectes suivantes."""
    store = Store(workspace.db)
    try:
        done = store.delete_item(item_id, _now(), by)
    finally:
        store.close()
    if not done:
        err.print(f"Aucun article n° {item_id} (ou déjà supprimé).")
        sys.exit(1)
    out.print(f"Article n° {item_id} supprimé.")


@contextmanager
def _opened(workspace: Workspace) -> Iterator[tuple[Store, Any]]:
    from watcher.find.index import SearchIndex

    store = Store(workspace.db)
    index = SearchIndex(workspace.index)
    try:
        yield store, index
    finally:
        index.close()
        store.close()


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


def run_process(workspace: Workspace, watch: Watch, *, everything: bool = False) -> Any:
    from watcher.understand.process import process_pending

    with _opened(workspace) as (store, index), _stage_progress() as on_progress:
        return process_pending(
            watch, store, index, _now(), everything=everything, on_progress=on_progress
        )


@main.command()
@click.option("--all", "everything", is_flag=True, help="Tout réanalyser (axes ou modèle changés).")
@click.option("--json", "as_json", is_flag=True, help="Le résumé en JSON.")
@click.pass_obj
def process(workspace: Workspace, everything: bool, as_json: bool) -> None:
    """Analyse les articles collectés (entités, axes, thèmes, textes de référence) et les indexe."""
    watch = _load(workspace)
    report = run_process(workspace, watch, everything=everything)
    if as_json:
        print_json(dataclasses.asdict(report))
        sys.exit(1 if report.index_busy else 0)
    out.print(
        f"{report.enriched} article(s) analysé(s), {report.indexed} indexé(s), "
        f"{report.removed} retiré(s) de l'index."
    )
    if report.healed:
        out.print(f"{report.healed} article(s) manquaient dans l'index : ils y sont de nouveau.")
    if report.stale:
        out.print(
            f"[yellow]{report.stale} article(s) ont été analysés avec d'autres axes, thèmes ou "
            "modèle : lancez `watcher process --all` pour les réanalyser.[/]"
        )
    if report.index_busy:
        err.print(
            "L'index de recherche est occupé par une autre écriture (un `watcher reindex` en "
            f"cours ?) : {report.index_waiting} article(s) analysé(s) attendent d'y entrer. "
            "Relancez `watcher process` quand elle sera finie.",
            markup=False,
        )
        sys.exit(1)


@main.command()
@click.pass_obj
def reindex(workspace: Workspace) -> None:
    """Reconstruit l'index de recherche à partir de la base (la source de vérité)."""
    from watcher.understand.process import reindex as rebuild

    watch = _load(workspace)
    with _opened(workspace) as (store, index), _stage_progress() as on_progress:
        count = rebuild(watch, store, index, on_progress)
    out.print(f"Index reconstruit : {count} article(s).")


def _scope(watch: Watch, group_id: str | None, all_groups: bool) -> list[str] | None:
    from watcher.find.search import ScopeError, scope_groups

    try:
        return scope_groups(group_id, {g.id for g in watch.groups}, may_see_all=all_groups)
    except ScopeError as exc:
        err.print(str(exc), markup=False)
        sys.exit(2)


class QueryCommand(click.Command):
    """A command whose arguments are the words of a search query.

    A query word may start with « - » (the query language's NOT: `-décret`), so words that are
    not one of the command's options are kept as query words rather than refused as unknown
    options; `--` is never needed. For that to be safe, such a command declares no short
    option (`-x` would swallow the x of a word). A word starting with « -- » is no query word:
    it is refused as an unknown option (a mistyped `--grop` must not become a search)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = dict(kwargs.get("context_settings") or {})
        kwargs["context_settings"] = settings | {"ignore_unknown_options": True}
        super().__init__(*args, **kwargs)
        short = [
            name
            for param in self.params
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
            if not name.startswith("--")
        ]
        if short:
            raise TypeError(f"a query command cannot have short options: {short}")

    def invoke(self, ctx: click.Context) -> Any:
        for word in ctx.params.get("words", ()):
            if word.startswith("--") and len(word) > 2:
                known = [name for param in self.params for name in param.opts]
                raise click.NoSuchOption(word.split("=", 1)[0], possibilities=known, ctx=ctx)
        return super().invoke(ctx)


def query_text(words: tuple[str, ...]) -> str:
    """The query typed as one argument or as several words (the shell splits unquoted ones)."""
    return " ".join(words)


@main.command("search", cls=QueryCommand)
@click.argument("words", metavar="[RECHERCHE]...", nargs=-1)
@click.option("--group", "group_id", help="Le groupe dont on interroge la veille.")
@click.option("--all-groups", is_flag=True, help="Toutes les veilles (évaluateurs).")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default=None,
    help="Tri : pertinence (relevance, par défaut) ou date.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Résultats par page.",
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page.")
@click.option("--json", "as_json", is_flag=True, help="Résultats en JSON.")
@click.option("--save", "save_as", help="Enregistrer cette recherche sous ce nom (pour le groupe).")
@click.option("--saved", "saved_name", help="Lancer la recherche enregistrée de ce nom.")
@click.pass_obj
def search_command(
    workspace: Workspace,
    words: tuple[str, ...],
    group_id: str | None,
    all_groups: bool,
    sort: str | None,
    limit: int,
    page: int,
    as_json: bool,
    save_as: str | None,
    saved_name: str | None,
) -> None:
    """Cherche dans la veille : mots, "expressions", ET/OU/SAUF, axis:, source:, entity:,
    topic:, ref:, date:7d … (voir docs/search.md).

    Un mot précédé de « - » est exclu : watcher search -décret arrêté"""
    from watcher.find.query import SYNTAX_HELP, NoSearchableWord, QueryError
    from watcher.find.search import ScopeError, saved_search, search

    query = query_text(words)
    watch = _load(workspace)
    groups = _scope(watch, group_id, all_groups)
    with _opened(workspace) as (store, index):
        if saved_name:
            if groups is None or len(groups) != 1:
                err.print("Une recherche enregistrée appartient à un groupe : précisez --group.")
                sys.exit(2)
            try:
                saved = saved_search(store, groups[0], saved_name)
            except ScopeError as exc:
                err.print(str(exc), markup=False)
                sys.exit(2)
            query, sort = saved.query, sort or saved.sort
        if not query.strip():
            err.print(
                "Donnez une recherche, par exemple : "
                'watcher search "service client" axis:concurrence'
            )
            sys.exit(2)
        try:
            page_found = search(
                store,
                index,
                query,
                groups=groups,
                now=_now(),
                sort=sort or "relevance",
                page=page,
                limit=limit,
            )
        except QueryError as exc:
            err.print(f"Recherche invalide : {exc}", markup=False)
            if isinstance(exc, NoSearchableWord):
                err.print(SYNTAX_HELP, markup=False)
            sys.exit(2)
        if save_as:
            if groups is None or len(groups) != 1:
                err.print("Pour enregistrer une recherche, précisez son groupe (--group).")
                sys.exit(2)
            store.save_search(groups[0], save_as, query, sort or "relevance", _now())
        refs = [v for v, _ in page_found.results.facets.get("ref", [])]
        labels = watch_labels(watch, store.ref_labels(refs))  # what a person reads
    results = page_found.results
    if as_json:
        payload = {
            "query": results.query,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "suggestion": results.suggestion,
            "facets": {k: [[v, n] for v, n in values] for k, values in results.facets.items()},
            "hits": [
                {
                    "id": f.hit.item_id,
                    "title": f.hit.title,
                    "url": f.hit.url,
                    "source": f.hit.source_id,
                    "published": f.hit.published.isoformat() if f.hit.published else None,
                    "score": f.hit.score,
                    "snippet_html": f.hit.snippet_html,
                    "axes": list(f.view.axes) if f.view else [],
                    "topics": list(f.view.topics) if f.view else [],
                    "entities": [m.name for m in f.view.entities] if f.view else [],
                    "refs": [
                        {"key": r.key, "label": r.label, "url": r.url, "link": r.link}
                        for r in (f.view.refs if f.view else ())
                    ],
                    "also": [{"id": i, "source": s, "url": u} for i, s, u in f.also],
                }
                for f in page_found.found
            ],
        }
        print_json(payload)
        return
    _print_results(page_found, watch.watch.timezone, labels)
    if save_as:
        out.print(f"Recherche enregistrée sous « {save_as} » pour {groups[0] if groups else ''}.")


def _plain(html: str) -> str:
    import html as html_lib
    import re

    return html_lib.unescape(re.sub(r"</?mark>", "*", html))


def _print_results(page_found: Any, zone: str, labels: Labels) -> None:
    results = page_found.results
    if results.suggestion:
        out.print(f"Vouliez-vous dire : [bold]{results.suggestion}[/] ?")
    if not results.total:
        out.print(f"Aucun résultat pour « {results.query} ».", markup=False)
        return
    out.print(
        f"{results.total} résultat(s) pour « {results.query} » "
        f"— page {results.page}/{results.pages}",
        markup=False,
    )
    table = Table(show_header=True, header_style="bold")
    for column in ("id", f"publié le ({zone})", "source", "titre et extrait"):
        table.add_column(column)
    for found in page_found.found:
        hit = found.hit
        lines = [_plain(hit.title_html)]
        if hit.snippet_html:
            lines.append(f"[dim]{escape(_plain(hit.snippet_html))}[/]")
        if found.view and found.view.refs:
            lines.append("Textes : " + ", ".join(escape(r.label) for r in found.view.refs[:4]))
        if found.also:
            lines.append("Aussi publié par : " + ", ".join(sorted({s for _, s, _ in found.also})))
        source = labels.value("source", hit.source_id)
        table.add_row(str(hit.item_id), clock(hit.published, zone), source, "\n".join(lines))
    out.print(table)
    for name, values in results.facets.items():
        if values:
            shown = ", ".join(f"{labels.value(name, v)} ({n})" for v, n in values[:8])
            out.print(f"[bold]{FACET_TITLES.get(name, name)}[/] : {escape(shown)}")


@main.command("searches")
@click.option("--group", "group_id", required=True, help="Le groupe.")
@click.option("--delete", "to_delete", help="Supprimer la recherche enregistrée de ce nom.")
@click.option("--json", "as_json", is_flag=True, help="La liste en JSON.")
@click.pass_obj
def searches_command(
    workspace: Workspace, group_id: str, to_delete: str | None, as_json: bool
) -> None:
    """Les recherches enregistrées d'un groupe."""
    watch = _load(workspace)
    _scope(watch, group_id, False)
    store = Store(workspace.db)
    try:
        if to_delete:
            if not store.delete_saved_search(group_id, to_delete):
                err.print(f"Pas de recherche « {to_delete} » pour {group_id}.", markup=False)
                sys.exit(1)
            if as_json:
                print_json({"group": group_id, "deleted": to_delete})
            else:
                out.print(f"Recherche « {to_delete} » supprimée.", markup=False)
            return
        saved = store.saved_searches(group_id)
    finally:
        store.close()
    if as_json:
        print_json(
            [
                {
                    "group": s.group_id,
                    "name": s.name,
                    "query": s.query,
                    "sort": s.sort,
                    "created": iso(s.created_at),
                    "created_by": s.created_by,
                }
                for s in saved
            ]
        )
        return
    if not saved:
        out.print(f"Aucune recherche enregistrée pour {group_id}.")
    for entry in saved:
        out.print(f"{entry.name} : {entry.query}  (tri : {entry.sort})", markup=False)


DEMO_PASSWORD = "veille-demo-2026"  # a local, offline demo: the password is printed on purpose


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-watch"),
    show_default=True,
    help="Dossier de la veille de démonstration.",
)
@click.option(
    "--port",
    type=int,
    help="Port du site de démo (défaut : celui de la démo déjà collectée dans --dir, sinon 8765).",
)
@click.option("--serve", is_flag=True, help="Puis faire tourner la veille et l'appli web.")
@click.option("--web-port", type=int, default=8000, show_default=True)
def demo(directory: Path, port: int | None, serve: bool, web_port: int) -> None:
    """Veille de démonstration hors ligne : un site local sur 127.0.0.1 collecté, analysé,
    cherché et résumé dans un digest, comme une vraie veille de groupe."""
    from urllib.parse import urlsplit

    from watcher.demo import DEMO_PORT, collected_base, prepare_demo, site_root
    from watcher.demo.server import LocalSite

    before = collected_base(directory)
    if port is None:
        port = (urlsplit(before).port if before else None) or DEMO_PORT
    with LocalSite(site_root(), port=port) as site:
        if before and site.base != before:
            taken = urlsplit(before).port
            err.print(
                f"[red]La démo de {escape(str(directory))} a été collectée sur {before} : "
                f"la collecter sur {site.base} enregistrerait chaque article une seconde fois "
                "(ils sont repérés par leur adresse).[/red] Libérez le port "
                f"{taken} (une démo `--serve` tourne-t-elle encore ?) et relancez sans --port, "
                "ou choisissez un autre dossier avec --dir."
            )
            sys.exit(1)
        out.print(f"Site de démonstration servi sur {site.base}/ (hors ligne, 127.0.0.1).")
        workspace = Workspace.find(prepare_demo(directory, site.base))
        watch = _load(workspace)
        report = run_crawl(workspace, watch, force=True)
        print_report(watch, report, verbose=True)
        failed = [r.source_id for r in report.failed]
        if failed:
            out.print(
                f"(La démo contient une source cassée exprès — {', '.join(failed)} — pour montrer "
                "comment Watcher le signale sans bloquer les autres.)"
            )
        processed = run_process(workspace, watch)
        out.print(
            f"\nAnalyse : {processed.enriched} article(s) analysé(s) et indexé(s) "
            "(entités, axes, thèmes PESTEL, textes juridiques et normatifs)."
        )
        found = _demo_showcase(workspace, watch)
        accounts = _demo_accounts(workspace, watch)
        if serve:
            _demo_serve(workspace, watch, web_port, accounts)
            return
    out.print(f"\nPour continuer : cd {directory}")
    out.print('  watcher search "service client" axis:concurrence   # chercher dans la veille')
    out.print("  watcher status                                    # santé des sources")
    out.print(
        f"  watcher demo --dir {directory} --serve             # + appli web et planificateur"
    )
    sys.exit(0 if found else 1)


def _demo_showcase(workspace: Workspace, watch: Watch) -> int:
    """Show what the demo watch holds: a search, the legal texts, this week's digest."""
    from zoneinfo import ZoneInfo

    from watcher import jobs
    from watcher.find.search import search
    from watcher.report.digest import IsoWeek

    group = watch.groups[0].id
    with _opened(workspace) as (store, index):
        total = len(store.list_items())
        query = "ref:RGPD OR ref:eu:celex:32024R1689"
        page = search(store, index, query, groups=[group], now=_now())
        out.print(f"\nRecherche « {query} » : {page.results.total} résultat(s)", markup=False)
        for entry in page.found[:3]:
            out.print(f"  • {entry.hit.title}", markup=False)
            for ref in (entry.view.refs if entry.view else ())[:2]:
                out.print(f"      {ref.label} → {ref.url}", markup=False)
    week = IsoWeek.of(_now(), ZoneInfo(watch.watch.timezone))
    outcome = jobs.send_weekly_digest(workspace, watch, group, week, _now(), send=False)
    record = outcome.built.record
    out.print(f"\nDigest de la semaine : {record.subject}", markup=False)
    out.print(
        f"  collectés {record.collected} / retenus {record.shown} — {outcome.built.html_path}"
    )
    return total


def _demo_accounts(workspace: Workspace, watch: Watch) -> list[tuple[str, str]]:
    """Web accounts for the demo group's members, tutor and an evaluator (created once)."""
    from watcher.store.users import Users

    group = watch.groups[0]
    wanted: list[tuple[str, str, str, str | None]] = [
        (m.email, m.name, "learner", group.id) for m in group.members
    ]
    if group.tutor:
        wanted.append((group.tutor.email, group.tutor.name, "tutor", group.id))
    wanted.append(("evaluateur@example.org", "Évaluateur démo", "evaluator", None))
    store = Store(workspace.db)
    try:
        users = Users(store)
        for email, name, role, group_id in wanted:
            if users.by_email(email) is None:
                users.add(email, name, role, DEMO_PASSWORD, now=_now(), group_id=group_id)
        from watcher.demo import prepare_assessment

        prepare_assessment(store, "evaluateur@example.org", _now())  # a jury, the grids
    finally:
        store.close()
    return [(email, role) for email, _, role, _ in wanted]


def _demo_serve(
    workspace: Workspace, watch: Watch, web_port: int, accounts: list[tuple[str, str]]
) -> None:
    from watcher.daemon import serve as run

    out.print(
        f"\nAppli web : http://127.0.0.1:{web_port}/ — mot de passe de démo : {DEMO_PASSWORD}"
    )
    for email, role in accounts:
        out.print(f"  {email} ({role})", markup=False)
    code = run(workspace, watch, host="127.0.0.1", port=web_port, web=True)
    sys.exit(code)


# Commands of other areas live in modules of their own that add themselves to `main`.
PLUGINS = ("watcher.cli.digest", "watcher.cli.web", "watcher.cli.dossier")
for _name in PLUGINS:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
cli_french.french_metavars(main)


if __name__ == "__main__":  # python -m watcher.cli.main: run the module that plugins extend
    from watcher.cli.main import main as _main

    _main()
