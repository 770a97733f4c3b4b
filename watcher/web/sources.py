"""The group's sources: health, the plan de veille (axes × sources), OPML export and import."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import Blueprint, render_template, request
from flask.wrappers import Response

from watcher.collect.opml import OpmlError, OpmlFeed, export_opml, parse_opml, plan_import
from watcher.config import Source
from watcher.labels import KIND_LABELS
from watcher.taxonomy import topic_labels, topic_specs
from watcher.web.core import ctx, curator, now, sources_viewer

bp = Blueprint("sources", __name__)

WEEKS = 4  # items per week: the average over the last four weeks


def _group_sources(group_id: str) -> list[Source]:
    watch = ctx().watch()
    return [s for s in watch.sources if group_id in watch.groups_of(s)]


@bp.get("/g/<group_id>/sources")
@sources_viewer
def sources_page(group_id: str) -> str:
    context = ctx()
    moment = now()
    sources = _group_sources(group_id)
    states = context.store.source_states()
    totals = context.store.count_items(group_id=group_id)  # what this group has of each
    recent = Counter(
        item.source_id
        for item in context.store.group_items_between(
            group_id, moment - timedelta(weeks=WEEKS), moment + timedelta(seconds=1)
        )
    )
    rows = []
    for source in sources:
        state = states.get(source.id)
        rows.append(
            {
                "source": source,
                "state": state,
                "total": totals.get(source.id, 0),
                "per_week": recent.get(source.id, 0) / WEEKS,
                "failing": bool(state and state.consecutive_failures),
                "never": state is None or state.last_attempt_at is None,
            }
        )
    watch = context.watch()
    taxonomy = topic_specs(watch)
    topics = {a.id: topic_labels(a.topics, taxonomy) for a in watch.axes}  # in words
    return render_template(
        "web/sources.html", rows=rows, axes=watch.axes, topics=topics, weeks=WEEKS,
        kinds=KIND_LABELS,
    )  # fmt: skip


@bp.get("/g/<group_id>/sources.opml")
@sources_viewer
def export(group_id: str) -> Response:
    context = ctx()
    group = context.group(group_id)
    assert group is not None
    axes = {a.id: a.label for a in context.watch().axes}
    feeds = [
        OpmlFeed(
            title=s.label,
            xml_url=s.url,
            category=axes.get(s.axis[0], s.axis[0]) if s.axis else "",
        )
        for s in _group_sources(group_id)
        if s.kind == "feed"
    ]
    title = f"{context.watch().watch.name} — {group.name}"
    body = export_opml(title, feeds, now())
    response = Response(body, mimetype="text/x-opml")
    response.headers["Content-Disposition"] = f'attachment; filename="veille-{group_id}.opml"'
    return response


@bp.route("/g/<group_id>/sources/import", methods=["GET", "POST"])
@curator
def import_opml(group_id: str) -> tuple[str, int] | str:
    """Shows what an OPML file would add, as sources.yml lines: nothing is written."""
    if request.method == "GET":
        return render_template("web/opml_import.html", plan=None, error=None)
    upload = request.files.get("file")
    data = upload.read() if upload is not None and upload.filename else b""
    if not data:
        data = request.form.get("opml", "").encode("utf-8")
    try:
        feeds = parse_opml(data)
    except OpmlError as exc:
        return render_template("web/opml_import.html", plan=None, error=str(exc)), 400
    plan = plan_import(feeds, ctx().watch(), group_id)
    return render_template("web/opml_import.html", plan=plan, error=None)
