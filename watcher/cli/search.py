"""`watcher search` and `watcher searches` (a group's saved searches)."""

from __future__ import annotations

import html as html_lib
import re
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from watcher.changes import CHANGE_KIND
from watcher.cli.app import Words, _now, err, iso, load, main, out, print_json
from watcher.config import Watch
from watcher.dates import clock
from watcher.errors import WatcherError
from watcher.jobs import open_workspace
from watcher.jobs import search as jobs
from watcher.labels import FACET_TITLES, Labels
from watcher.plural import counted, plural
from watcher.workspace import Workspace

if TYPE_CHECKING:
    from watcher.find.search import SearchPage

SORT_LABELS = {"relevance": "pertinence", "date": "date"}  # --sort's values, as read
SORTS = Words({label: value for value, label in SORT_LABELS.items()})  # --sort pertinence


def _scope(watch: Watch, group_id: str | None, all_groups: bool) -> list[str] | None:
    from watcher.find.search import scope_groups  # Whoosh and numpy: when a command searches

    return scope_groups(group_id, {g.id for g in watch.groups}, may_see_all=all_groups)


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
    type=SORTS,
    default=None,
    help="Tri : pertinence (par défaut) ou date.",
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
    query = query_text(words)
    watch = load(workspace)
    groups = _scope(watch, group_id, all_groups)
    with open_workspace(workspace) as w:
        if jobs.index_to_rebuild(w):  # after an upgrade: else every search finds nothing
            err.print(
                "L'index de recherche de cette machine est à reconstruire (nouvelle version "
                "de Watcher, ou dossier index/ effacé) : reconstruction depuis la base…"
            )
            rebuilt = jobs.follow_index(w, watch).rebuilt or 0
            err.print(f"Index reconstruit : {counted(rebuilt, 'article')}.")
        if saved_name:
            if groups is None or len(groups) != 1:
                raise WatcherError(
                    "Une recherche enregistrée appartient à un groupe : précisez --group."
                )
            saved = jobs.saved_search(w, groups[0], saved_name)
            query, sort = saved.query, sort or saved.sort
        page_found = jobs.search(
            w,
            query,
            groups=groups,
            now=_now(),
            sort=sort or "relevance",
            page=page,
            limit=limit,
            watch=watch,
        )
        replaced = None
        if save_as:
            if groups is None or len(groups) != 1:
                raise WatcherError("Pour enregistrer une recherche, précisez son groupe (--group).")
            replaced = jobs.save_search(w, groups[0], save_as, query, sort or "relevance", _now())
        refs = [v for v, _ in page_found.results.facets.get("ref", [])]
        labels = jobs.labels(w, watch, refs)  # what a person reads
        waiting = jobs.waiting_for_process(w)
        empty = not page_found.results.total and not jobs.collected(w)
        unknown = [] if page_found.results.total else jobs.unknown_names(w, watch, query)
        relaxed = (
            []
            if page_found.results.total
            else jobs.without_filters(w, query, groups=groups, now=_now(), watch=watch)
        )
        named = jobs.reference_queries(w, query, groups=groups, now=_now(),
                                       total=page_found.results.total, watch=watch)  # fmt: skip
    if as_json:
        print_json(search_json(page_found, relaxed, named))
        return
    _print_results(page_found, watch.watch.timezone, labels)
    for field, value in unknown:
        out.print(_unknown_name(field, value, labels), markup=False)
    for term, rest, total in relaxed:
        out.print(f"Sans {term} : {counted(total, 'résultat')} (« {rest} »).", markup=False)
    for named_words, _other, total in named:
        out.print(
            f'« {named_words} » nomme un texte de référence : ref:"{named_words}" trouve '
            f"{counted(total, 'résultat')} (les articles qui le citent, sous tous ses noms).",
            markup=False,
        )
    if empty:
        out.print(
            "Rien n'a encore été collecté : lancez `watcher crawl` puis `watcher process`.",
            markup=False,
        )
    elif waiting:
        out.print(
            f"{counted(waiting, 'article collecté', 'articles collectés')} pas encore "
            f"{plural(waiting, 'analysé ni indexé', 'analysés ni indexés')} : lancez "
            f"`watcher process` pour {plural(waiting, 'le', 'les')} trouver aussi.",
            markup=False,
        )
    if save_as:
        saved_for = f"Recherche enregistrée sous « {save_as} » pour {groups[0] if groups else ''}"
        if replaced is None:
            out.print(f"{saved_for}.", markup=False)
        else:
            sort_read = SORT_LABELS.get(replaced.sort, replaced.sort)
            out.print(
                f"{saved_for} : elle remplace « {replaced.query} » (tri : {sort_read}).",
                markup=False,
            )


def search_json(
    page_found: SearchPage,
    relaxed: list[tuple[str, str, int]] | None = None,
    named: list[tuple[str, str, int]] | None = None,
) -> object:
    results = page_found.results
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "suggestion": results.suggestion,
        "without_filters": [
            {"filter": term, "query": rest, "total": total} for term, rest, total in relaxed or ()
        ],
        "references": [
            {"words": words, "query": other, "total": total} for words, other, total in named or ()
        ],
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
                    {
                        "key": r.key,
                        "label": r.label,
                        "url": r.url,
                        "link": r.link,
                        "pinpoints": [
                            {"name": p.name, "label": p.label, "url": p.url} for p in r.pinpoints
                        ],
                    }
                    for r in (f.view.refs if f.view else ())
                ],
                "also": [{"id": i, "source": s, "url": u} for i, s, u in f.also],
            }
            for f in page_found.found
        ],
    }


def _unknown_name(field: str, value: str, labels: Labels) -> str:
    """Why a field of a search that found nothing may be the reason: it names nothing known."""
    if field == "topic":
        return f"« {value} » n'est ni un thème ni une dimension PESTEL : voir `watcher topics`."
    names = labels.axes if field == "axis" else labels.sources
    listed = ", ".join(f"{key} ({label})" for key, label in names.items()) or "aucun"
    if field == "axis":
        return f"« {value} » n'est pas un axe de cette veille. Axes : {listed}."
    return (
        f"« {value} » n'est pas une source de cette veille (ni de ce qu'elle a collecté). "
        f"Sources : {listed}."
    )


def _plain(html: str) -> str:
    return html_lib.unescape(re.sub(r"</?mark>", "*", html))


def _print_results(page_found: SearchPage, tz: str, labels: Labels) -> None:
    results = page_found.results
    if results.suggestion:
        out.print(f"Vouliez-vous dire : [bold]{results.suggestion}[/] ?")
    if not results.total:
        out.print(f"Aucun résultat pour « {results.query} ».", markup=False)
        return
    if results.page > results.pages:
        out.print(
            f"{counted(results.total, 'résultat')} pour « {results.query} », en "
            f"{counted(results.pages, 'page')} de {results.limit} : la page {results.page} "
            "n'existe pas (la dernière : --page "
            f"{results.pages}).",
            markup=False,
        )
        return
    out.print(
        f"{counted(results.total, 'résultat')} pour « {results.query} » "
        f"— page {results.page}/{results.pages}",
        markup=False,
    )
    table = Table(show_header=True, header_style="bold")
    for column in ("id", f"publié le ({tz})", "source", "titre et extrait"):
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
        item = found.view.item if found.view else None
        when = (  # a watched page's change was never published: the day it was detected
            f"modification détectée le {clock(item.fetched_at, tz)}"
            if item is not None and item.kind == CHANGE_KIND
            else clock(hit.published, tz)
        )
        table.add_row(str(hit.item_id), when, source, "\n".join(lines))
    out.print(table)
    if results.page < results.pages:  # the same command, one page further
        rest = results.total - results.page * results.limit
        out.print(
            f"Page suivante : la même commande avec --page {results.page + 1} "
            f"({counted(rest, 'autre résultat', 'autres résultats')} ; --limit 100 pour en "
            "voir jusqu'à 100 par page).",
            markup=False,
        )
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
    watch = load(workspace)
    _scope(watch, group_id, False)
    with open_workspace(workspace) as w:
        if to_delete:
            jobs.delete_saved_search(w, group_id, to_delete)
            if as_json:
                print_json({"group": group_id, "deleted": to_delete})
            else:
                out.print(f"Recherche « {to_delete} » supprimée.", markup=False)
            return
        saved = w.store.saved_searches(group_id)
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
        sort = SORT_LABELS.get(entry.sort, entry.sort)
        out.print(f"{entry.name} : {entry.query}  (tri : {sort})", markup=False)
