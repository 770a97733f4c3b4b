"""The item page: extract, entities, references, source reliability, provenance, cluster."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from markupsafe import Markup

from watcher.changes import PageVersion, diff_excerpt, gone_note, price_change, word_diff
from watcher.config import Source
from watcher.jobs.collect import page_history
from watcher.labels import KIND_LABELS, watch_labels
from watcher.model import QQOQCP, Curation, Fiche, ItemView, StoredItem, curation_token
from watcher.sanitize import text_to_html
from watcher.text import teaser
from watcher.web.core import ctx, reader
from watcher.web.search import quote_term

bp = Blueprint("items", __name__)

EXTRACT_CHARS = 700  # a short extract, never the full article (droit de copie, §1.4)
FICHE_LABELS = (
    *QQOQCP,
    ("summary", "Résumé"),
    ("importance", "Pourquoi c'est important"),
    ("action", "Action proposée"),
)
# every field of a fiche as the form names it (the contribution log says which were written)
FICHE_FIELD_LABELS = {
    **dict(FICHE_LABELS),
    "action_owner": "Responsable",
    "action_deadline": "Échéance",
    "crosscheck_item_id": "Recoupement",
}
ENTITY_LABELS = {"ORG": "Organisations", "PER": "Personnes", "LOC": "Lieux", "MISC": "Divers"}


@dataclass(frozen=True)
class Related:
    item: StoredItem
    source: Source | None


def group_view(group_id: str, item_id: int) -> ItemView:
    """The item, if it is in the group's watch (else 404: its existence is not revealed)."""
    store = ctx().store
    if not store.item_in_group(item_id, group_id):
        abort(404)
    views = store.views([item_id])
    if not views:
        abort(404)
    return views[0]


def related_items(group_id: str, view: ItemView) -> list[Related]:
    """The other sources of the item's near-duplicate cluster that the group watches."""
    context = ctx()
    if view.cluster_id is None:
        return []
    members = context.store.cluster_members([view.cluster_id]).get(view.cluster_id, [])
    out = []
    for other_id, source_id, _url in members:
        if other_id == view.item.id:
            continue
        other = context.store.get_item(other_id)
        if other is None or group_id not in other.groups:
            continue
        out.append(Related(other, _source(source_id)))
    return out


def _source(source_id: str) -> Source | None:
    try:
        return ctx().watch().source(source_id)
    except KeyError:
        return None


def person_names() -> dict[str, str]:
    """e-mail (lower case) → the person's name: accounts, then members and tutors declared in
    sources.yml (records say who did what by e-mail; people read names)."""
    context = ctx()
    names: dict[str, str] = {}
    for group in context.watch().groups:
        for person in (*group.members, *([group.tutor] if group.tutor else [])):
            names.setdefault(person.email.lower(), person.name)
    names.update({email.lower(): name for email, name in context.users.names().items()})
    return names


def item_context(group_id: str, item_id: int) -> dict[str, Any]:
    context = ctx()
    view = group_view(group_id, item_id)
    item = view.item
    curation: Curation | None = context.store.curations(group_id, [item_id]).get(item_id)
    fiche: Fiche | None = context.store.fiche(group_id, item_id)
    cross = None
    if fiche and fiche.crosscheck_item_id:
        cross_item = context.store.get_item(fiche.crosscheck_item_id)
        if cross_item is not None and group_id in cross_item.groups:
            cross = Related(cross_item, _source(cross_item.source_id))
    entities: dict[str, list[Any]] = {}
    for mention in view.entities:
        if mention.confident:  # the others are wrong one time in three or so: not shown
            entities.setdefault(mention.label, []).append(mention)
    labels = watch_labels(context.watch())
    return {
        **_change_context(item),
        "view": view,
        "item": item,
        "source": _source(item.source_id),
        "extract": Markup(text_to_html(teaser(item.title, item.summary, item.text), EXTRACT_CHARS)),
        "entities": [(ENTITY_LABELS.get(k, k), v) for k, v in sorted(entities.items())],
        "history": context.store.item_history(item_id),
        "related": related_items(group_id, view),
        "curation": curation,
        "curation_over": curation_token(curation),
        "fiche": fiche,
        "cross": cross,
        "axes": labels.axes,
        "topics": labels.topics,
        "fiche_labels": FICHE_LABELS,
        "kinds": KIND_LABELS,
        "names": person_names(),
        # a reference's other items in the group's watch, as its axes, topics and entities lead
        "ref_search": lambda key: url_for(
            "search.search_page", group_id=group_id, q=quote_term("ref", key)
        ),
    }


def _compared() -> tuple[int, int] | None:
    """The two versions the « comparer deux versions » form asks for, if it was sent."""
    try:
        return int(request.args["de"]), int(request.args["a"])
    except (KeyError, ValueError):
        return None


def _price_chart(versions: list[PageVersion], title: str) -> str:
    """The price history of a watched page as a PNG data: URL ("" under two prices)."""
    priced = [v for v in versions if v.price is not None]
    if len({v.price for v in priced}) < 2:
        return ""
    from watcher.report.charts import price_history  # matplotlib: only for such a page

    png = price_history(
        [v.fetched_at for v in priced],
        [float(v.price.amount) for v in priced if v.price],
        priced[-1].price.currency if priced[-1].price else "",
        title.removeprefix("Modification : "),
        ctx().timezone(),
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _change_context(item: StoredItem) -> dict[str, Any]:
    """What the page of a change shows: the diff (inline and side by side), every version of
    the watched page, the form to compare two of them."""
    history = page_history(ctx().opened, item, _compared())
    if history is None:
        return {"page": None}
    diff, price = [], ""
    if history.before is not None and history.after is not None:
        diff = word_diff(history.before.text, history.after.text)
        price = price_change(history.before.price, history.after.price)
    return {
        "page": history,
        "price_chart": _price_chart(history.versions, item.title),
        "diff": diff,
        "diff_excerpt": diff_excerpt(diff, context=30),
        "price_change": price,
        "gone_note": gone_note,
    }


@bp.get("/g/<group_id>/items/<int:item_id>")
@reader
def item_page(group_id: str, item_id: int) -> str:
    return render_template("web/item.html", error=None, **item_context(group_id, item_id))
