"""The search page, saved searches and their RSS feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from markupsafe import Markup
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.find.search import SearchPage
from watcher.jobs import search as jobs
from watcher.labels import FACET_TITLES, Labels
from watcher.labels import WINDOW_LABELS as PAST_WINDOWS
from watcher.query import MAX_QUERY_LENGTH, Filter, QueryError, field_filters
from watcher.sanitize import clean_snippet, safe_url
from watcher.taxonomy import PESTEL
from watcher.text import teaser
from watcher.web import permissions
from watcher.web.core import back, ctx, curator, current_user, now, reader, require_user
from watcher.web.i18n import _

bp = Blueprint("search", __name__)

PER_PAGE = 10
FEED_ITEMS = 50
WINDOW_LABELS = {"": "toutes les dates", **PAST_WINDOWS}  # the date filter's choices
WINDOWS = tuple(WINDOW_LABELS)


def quote_term(field: str, value: str) -> str:
    """`field:value`, quoted when the value is not a single plain word."""
    value = value.replace('"', " ").strip()
    if re.fullmatch(r"[\w.:/-]+", value) and not value.endswith(":"):
        return f"{field}:{value}"
    return f'{field}:"{value}"'


def add_term(query: str, term: str) -> str:
    return query if term in query else f"{query.strip()} {term}".strip()


def remove_term(query: str, term: str) -> str:
    return " ".join(query.replace(term, " ").split())


def without(query: str, term: Filter) -> str:
    """The query without one of its filters."""
    return " ".join(f"{query[: term.start]} {query[term.end :]}".split())


@bp.get("/groups")
def groups_page() -> WerkzeugResponse | str:
    user = current_user()
    if permissions.can_admin(user):
        return redirect(url_for("admin.groups_page"))
    groups = [grp for grp in ctx().watch().groups if permissions.can_read_group(user, grp.id)]
    return render_template("web/groups.html", groups=groups)


def _query_args(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", 1, "relevance")}


@bp.get("/g/<group_id>/")
@bp.get("/g/<group_id>/search")
@reader
def search_page(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    q = request.args.get("q", "")[: MAX_QUERY_LENGTH + 1]  # longer: refused, with the limit
    sort = request.args.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        sort = "relevance"
    window = request.args.get("window", "")
    if window not in WINDOWS:
        window = ""
    try:
        page = max(1, min(int(request.args.get("page", "1")), 1000))
    except ValueError:
        page = 1
    full_query = f"{q} date:{window}".strip() if window else q
    context = ctx()
    error = None
    result: SearchPage | None = None
    try:
        result = jobs.search(
            context.opened,
            full_query,
            groups=[group_id],
            now=now(),
            sort=sort,
            page=page,
            limit=PER_PAGE,
            watch=context.watch(),
        )
    except QueryError as exc:
        error = str(exc)
    if result and result.results.pages and page > result.results.pages:  # an old link
        return redirect(url_for("search.search_page", group_id=group_id, **_query_args(
            q=q, sort=sort, window=window, page=result.results.pages)))  # fmt: skip
    curations = (
        context.store.curations(group_id, [f.hit.item_id for f in result.found]) if result else {}
    )
    saved = context.store.saved_searches(group_id)
    empty_group = waiting = 0
    unknown: list[tuple[str, str]] = []
    relaxed: list[tuple[str, str, int]] = []
    if result and not result.results.total:  # why nothing: nothing collected, or not analysed
        empty_group = not jobs.group_collected(context.opened, group_id)
        waiting = jobs.waiting_for_process(context.opened)
        unknown = jobs.unknown_names(context.opened, context.watch(), full_query)
        relaxed = jobs.without_filters(
            context.opened, full_query, groups=[group_id], now=now(), watch=context.watch()
        )

    def link(**changes: Any) -> str:
        values = {"q": q, "sort": sort, "window": window, "page": 1} | changes
        return url_for("search.search_page", group_id=group_id, **_query_args(**values))

    active = field_filters(q)
    labels = page_labels(result, [f.term for f in active])
    facets = []
    if result:
        for field, values in result.results.facets.items():
            if not values:
                continue
            entries = []
            for value, count in values[:12]:
                term = quote_term(field, value)
                shown = labels.value(field, value)
                entries.append((shown, count, link(q=add_term(q, term)), term in q))
            facets.append((FACET_TITLES.get(field, field), entries))
    filters = [(labels.term(f.term), link(q=without(q, f))) for f in active]
    unknown_names = [unknown_name(field, value, group_id) for field, value in unknown]
    unfiltered = [  # the period of the form is a filter too: its link resets the form's choice
        (labels.term(term), total,
         link(window="") if window and term == f"date:{window}" else link(q=remove_term(q, term)))
        for term, _rest, total in relaxed
    ]  # fmt: skip
    sources = {s.id: s for s in context.watch().sources}
    references = []  # a word naming a legal text: what ref: finds under all its names
    if result:
        for words, other, total in jobs.reference_queries(
            context.opened, full_query, groups=[group_id], now=now(),
            total=result.results.total, watch=context.watch(),
        ):  # fmt: skip
            other = remove_term(other, f"date:{window}") if window else other
            references.append((words, total, link(q=other)))
    suggestion = None
    if result and result.results.suggestion:
        suggested = result.results.suggestion
        if window:
            suggested = remove_term(suggested, f"date:{window}")
        suggestion = (suggested, link(q=suggested))
    status = 400 if error else 200
    return (
        render_template(
            "web/search.html",
            q=q,
            sort=sort,
            window=window,
            windows=WINDOWS,
            window_labels=WINDOW_LABELS,
            result=result,
            error=error,
            facets=facets,
            filters=filters,
            suggestion=suggestion,
            link=link,
            curations=curations,
            saved=saved,
            empty_group=empty_group,
            unknown_names=unknown_names,
            without=unfiltered,
            references=references,
            waiting=waiting,
            sources=sources,
            labels=labels,
            snippet=lambda html: Markup(clean_snippet(html)),
        ),
        status,
    )


def unknown_name(field: str, value: str, group_id: str) -> str:
    """Why a search found nothing: its `axis:`, `topic:` or `source:` names nothing the watch
    knows (`jobs.unknown_names`); said with the names it knows, as `watcher search` does."""
    watch = ctx().watch()
    if field == "axis":
        listed = ", ".join(f"{a.id} ({a.label})" for a in watch.axes) or _("aucun")
        return _("« {value} » n'est pas un axe de cette veille. Axes : {listed}.",
                 value=value, listed=listed)  # fmt: skip
    if field == "topic":
        listed = ", ".join(f"{key} ({label})" for key, label in PESTEL.items())
        return _("« {value} » n'est ni un thème ni une dimension PESTEL. Dimensions : {listed}.",
                 value=value, listed=listed)  # fmt: skip
    mine = [s for s in watch.sources if group_id in watch.groups_of(s)]
    listed = ", ".join(f"{s.id} ({s.label})" for s in mine) or _("aucune")
    return _("« {value} » n'est pas une source de cette veille. Sources : {listed}.",
             value=value, listed=listed)  # fmt: skip


def page_labels(result: SearchPage | None, terms: list[str]) -> Labels:
    """The labels of what the page shows: facets, filters, the hits' axes and topics."""
    keys = [value for value, _ in result.results.facets.get("ref", [])] if result else []
    keys += [t.split(":", 1)[1].strip('"') for t in terms if t.lstrip("-").startswith("ref:")]
    context = ctx()
    return jobs.labels(context.opened, context.watch(), keys)


@bp.get("/g/<group_id>/searches")
@reader
def searches_page(group_id: str, conflict: dict[str, Any] | None = None) -> str:
    """The group's saved searches; `conflict`: a search saved under a name already taken,
    which the page asks to confirm before replacing the other."""
    context = ctx()
    saved = context.store.saved_searches(group_id)
    user = require_user()
    feeds: dict[str, str] = {}
    if permissions.can_curate(user, group_id) or user.role == "tutor":
        for entry in saved:
            token = context.users.feed_token(group_id, entry.name, now=now(), by=user.email)
            feeds[entry.name] = url_for("search.feed", token=token, _external=True)
    return render_template("web/searches.html", saved=saved, feeds=feeds, conflict=conflict)


@bp.post("/g/<group_id>/searches")
@curator
def save_search(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    name = " ".join(request.form.get("name", "").split())[:80]
    query = request.form.get("q", "").strip()[: MAX_QUERY_LENGTH + 1]
    sort = request.form.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        sort = "relevance"
    user = current_user()
    assert user is not None
    if not name or not query:
        abort(400, description=_("Donnez un nom et une recherche."))
    context = ctx()
    taken = next((s for s in context.store.saved_searches(group_id) if s.name == name), None)
    if taken is not None and request.form.get("replace") != "1":  # someone's search: ask
        conflict = {"taken": taken, "name": name, "q": query, "sort": sort}
        return searches_page(group_id=group_id, conflict=conflict), 409
    try:  # a search that cannot run is not saved
        replaced = jobs.save_search(
            context.opened, group_id, name, query, sort, now(), by=user.email
        )
    except QueryError as exc:
        abort(400, description=str(exc))
    if replaced is not None:  # said once, on the page the redirect shows (as the CLI says it)
        sort_read = _("tri : pertinence") if replaced.sort == "relevance" else _("tri : date")
        flash(_("Recherche « {name} » enregistrée : elle remplace « {q} » ({sort}).",
                name=name, q=replaced.query, sort=sort_read), "replaced")  # fmt: skip
    return back("search.searches_page", group_id=group_id)


@bp.post("/g/<group_id>/searches/delete")
@curator
def delete_search(group_id: str) -> WerkzeugResponse:
    jobs.delete_saved_search(ctx().opened, group_id, request.form.get("name", ""))
    return back("search.searches_page", group_id=group_id)


@bp.post("/g/<group_id>/searches/revoke")
@curator
def revoke_feed(group_id: str) -> WerkzeugResponse:
    """A new secret address for the feed: readers that had the old one stop receiving it."""
    name = request.form.get("name", "")
    context = ctx()
    if name not in {s.name for s in context.store.saved_searches(group_id)}:
        abort(404)
    context.users.revoke_feed_token(group_id, name)
    return back("search.searches_page", group_id=group_id)


@bp.get("/feeds/<token>.rss")
def feed(token: str) -> Response:
    """A saved search as RSS 2.0, newest first, for any feed reader (the token is the key)."""
    context = ctx()
    found = jobs.feed_search(context.opened, token, now(), FEED_ITEMS, watch=context.watch())
    if found is None:
        abort(404)
    saved, page = found
    group_id = saved.group_id
    group = context.group(group_id)
    if group is None:
        abort(404)
    sources = {s.id: s.label for s in context.watch().sources}
    axes = {a.id: a.label for a in context.watch().axes}
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = f"{group.name} — {saved.name}"
    ET.SubElement(channel, "link").text = url_for(
        "search.search_page", group_id=group_id, q=saved.query, sort="date", _external=True
    )
    ET.SubElement(channel, "description").text = f"Veille {group.name} : {saved.query}"
    ET.SubElement(channel, "language").text = "fr"
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(now())
    for entry in page.found:
        hit, view = entry.hit, entry.view
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = hit.title
        page_url = url_for(
            "items.item_page", group_id=group_id, item_id=hit.item_id, _external=True
        )
        ET.SubElement(item, "link").text = safe_url(hit.url) or page_url
        ET.SubElement(item, "guid", isPermaLink="false").text = f"watcher-{group_id}-{hit.item_id}"
        summary = teaser(view.item.title, view.item.summary, "") if view else ""
        ET.SubElement(item, "description").text = summary[:600]
        ET.SubElement(item, "source", url=page_url).text = sources.get(hit.source_id, hit.source_id)
        when = hit.published or (view.item.fetched_at if view else None)
        if when is not None:
            ET.SubElement(item, "pubDate").text = format_datetime(when)
        for axis in view.axes if view else ():
            ET.SubElement(item, "category").text = axes.get(axis, axis)
    body = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    response = Response(body, mimetype="application/rss+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
