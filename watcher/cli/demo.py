"""`watcher demo`: an offline demo watch — a local site on 127.0.0.1 crawled, processed,
searched and summed up in a digest, with web accounts to try the app."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import click

from watcher.cli.app import _now, load, main, out
from watcher.cli.collect import print_report, run_crawl, run_process
from watcher.config import Watch
from watcher.errors import Conflict
from watcher.jobs import OpenWorkspace, open_workspace
from watcher.labels import ROLE_LABELS
from watcher.plural import counted, plural
from watcher.workspace import Workspace

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
@click.option(
    "--web-port", type=int, default=8000, show_default=True, help="Port de l'appli web (--serve)."
)
def demo(directory: Path, port: int | None, serve: bool, web_port: int) -> int:
    """Veille de démonstration hors ligne : un site local sur 127.0.0.1 collecté, analysé,
    cherché et résumé dans une synthèse, comme une vraie veille de groupe."""
    from watcher.demo import (
        DEMO_EVALUATOR,
        DEMO_PORT,
        WATCHED_SOURCE,
        collected_base,
        prepare_accounts,
        prepare_assessment,
        prepare_demo,
        serve_next_version,
        site_root,
    )
    from watcher.demo.server import LocalSite  # the demo's site and data: when run

    before = collected_base(directory)
    if port is None:
        port = (urlsplit(before).port if before else None) or DEMO_PORT
    with LocalSite(site_root(), port=port) as site:
        if before and site.base != before:
            taken = urlsplit(before).port
            raise Conflict(
                f"La démo de {directory} a été collectée sur {before} : la collecter sur "
                f"{site.base} enregistrerait chaque article une seconde fois (ils sont repérés "
                f"par leur adresse). Libérez le port {taken} (une démo `--serve` tourne-t-elle "
                "encore ?) et relancez sans --port, ou choisissez un autre dossier avec --dir."
            )
        out.print(f"Site de démonstration servi sur {site.base}/ (hors ligne, 127.0.0.1).")
        workspace = Workspace.find(prepare_demo(directory, site.base))
        watch = load(workspace)
        with open_workspace(workspace) as w:
            changed = bool(w.store.list_items(source_id=WATCHED_SOURCE))
            if changed:  # a demo run again: the watched page is at its next version already
                serve_next_version(site)
            report = run_crawl(w, watch, force=True)
            print_report(watch, report, verbose=True)
            if not changed:
                serve_next_version(site)
                out.print(
                    "\nLa page surveillée de la démo change (prix, engagement, service client) : "
                    "nouvelle collecte de cette page."
                )
                again = run_crawl(w, watch, source_id=WATCHED_SOURCE, force=True)
                print_report(watch, again, verbose=True)
            failed = [r.source_id for r in report.failed]
            if failed:
                out.print(
                    f"(La démo contient une source cassée exprès — {', '.join(failed)} — pour "
                    "montrer comment Watcher le signale sans bloquer les autres.)"
                )
            processed = run_process(w, watch)
            out.print(
                f"\nAnalyse : {counted(processed.enriched, 'article analysé', 'articles analysés')}"
                f" et {plural(processed.enriched, 'indexé', 'indexés')} "
                "(entités, axes, thèmes PESTEL, textes juridiques et normatifs)."
            )
            found = _showcase(w, watch)
            accounts = prepare_accounts(w, watch, DEMO_PASSWORD, _now())
            prepare_assessment(w, DEMO_EVALUATOR, _now())  # a jury, the grids
        if serve:
            return _serve(workspace, watch, web_port, accounts)
    out.print(f"\nPour continuer : cd {directory}")
    # after `cd {directory}`, the demo's folder is `.` (`--dir {directory}` would be another one);
    # the whole query in single quotes: copied into a shell, its phrase keeps its double quotes
    # (`watcher search "service client" …` reaches Watcher as the two words service client)
    for line, what in (
        ("""watcher search '"service client" axis:concurrence'""", "chercher dans la veille"),
        ("watcher status", "santé des sources"),
        ("watcher demo --dir . --serve", "+ appli web et planificateur"),
    ):
        out.print(f"  {line:<50}  # {what}", markup=False)
    return 0 if found else 1


def _showcase(w: OpenWorkspace, watch: Watch) -> int:
    """Show what the demo watch holds: a search, the legal texts, this week's digest."""
    from watcher.jobs.digest import send_weekly_digest
    from watcher.jobs.search import search
    from watcher.report.digest import IsoWeek

    group = watch.groups[0].id
    total = len(w.store.list_items())
    query = "ref:RGPD OU ref:eu:celex:32024R1689"
    page = search(w, query, groups=[group], now=_now())
    shown = page.found[:3]
    first = "le premier" if len(shown) == 1 else f"les {len(shown)} premiers"
    listed = f" ({first})" if page.results.total > len(shown) else ""
    out.print(
        f"\nRecherche « {query} » : {counted(page.results.total, 'résultat')}{listed}",
        markup=False,
    )
    for entry in shown:
        out.print(f"  • {entry.hit.title}", markup=False)
        for ref in (entry.view.refs if entry.view else ())[:2]:
            out.print(f"      {ref.label} → {ref.url}", markup=False)
    week = IsoWeek.of(_now(), ZoneInfo(watch.watch.timezone))
    outcome = send_weekly_digest(w, watch, group, week, _now(), send=False)
    record = outcome.built.record
    out.print(f"\nSynthèse de la semaine : {record.subject}", markup=False)
    out.print(
        f"  collectés {record.collected} / retenus {record.shown} — {outcome.built.html_path}"
    )
    return total


def _serve(
    workspace: Workspace, watch: Watch, web_port: int, accounts: list[tuple[str, str]]
) -> int:
    from watcher.daemon import serve as run

    out.print(
        f"\nAppli web : http://127.0.0.1:{web_port}/ — mot de passe de démo : {DEMO_PASSWORD}"
    )
    for email, role in accounts:
        out.print(f"  {email} ({ROLE_LABELS.get(role, role)})", markup=False)
    return run(workspace, watch, host="127.0.0.1", port=web_port, web=True)
