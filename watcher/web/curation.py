"""Curation: retain / reject (with a reason) / reset, fiches de veille, the contribution log."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.model import FICHE_FIELDS, QQOQCP, Fiche, fiche_token
from watcher.store.groups import CurationChanged, FicheChanged
from watcher.understand.prefill import suggested_who_where
from watcher.web.core import back, ctx, curator, now, reader, require_user
from watcher.web.i18n import _
from watcher.web.items import (
    FICHE_FIELD_LABELS,
    group_view,
    item_context,
    person_names,
    related_items,
)

bp = Blueprint("curation", __name__)

TEXT_FIELDS = (*(name for name, _ in QQOQCP), "summary", "importance", "action", "action_owner")
MAX_FIELD = 4000
HINTS = {
    "qui": "acteurs : entreprises, autorités, personnes",
    "quoi": "ce qui s'est passé ou a été décidé",
    "ou": "lieu, marché, territoire",
    "quand": "date, entrée en vigueur, échéance",
    "comment": "moyens, modalités",
    "combien": "chiffres, montants, volumes",
    "pourquoi": "causes, objectifs",
}
# (field, label, hint) of the QQOQCP part of a fiche de veille
QUESTIONS = tuple((name, label, HINTS[name]) for name, label in QQOQCP)
STATUSES = {"retained": "retained", "rejected": "rejected", "reset": None}


@bp.post("/g/<group_id>/items/<int:item_id>/curation")
@curator
def set_curation(group_id: str, item_id: int) -> WerkzeugResponse | tuple[str, int]:
    group_view(group_id, item_id)  # 404 if not in the group's watch
    status = request.form.get("status", "")
    if status not in STATUSES:
        abort(400)
    reason = request.form.get("reason", "").strip()[:MAX_FIELD]
    user = require_user()
    # the state the page showed; a form without it (an older page) is not checked
    over = request.form.get("over")
    try:
        ctx().store.set_curation(
            group_id,
            item_id,
            STATUSES[status],
            reason=reason,
            actor=user.email,
            now=now(),
            over=over,
        )
    except CurationChanged as changed:
        error = _sorted_meanwhile(changed, status)
        page = render_template(
            "web/item.html",
            error=error,
            typed=reason,
            typed_for=status,
            **item_context(group_id, item_id),
        )
        return page, 409
    except ValueError:
        error = _("Un rejet doit être motivé : écrivez la raison.")
        page = render_template("web/item.html", error=error, **item_context(group_id, item_id))
        return page, 400
    return back("items.item_page", group_id=group_id, item_id=item_id)


CHOICES = {"retained": "Retenir", "rejected": "Rejeter", "reset": "Remettre à trier"}


def _sorted_meanwhile(changed: CurationChanged, status: str) -> str:
    """What a learner reads when the item was sorted by someone else since their page showed
    it: who did what and when, and that their own choice was not recorded."""
    current = changed.current
    choice = _(CHOICES[status])
    if current is None:
        return _(
            "Cet article a été remis à trier pendant que vous le lisiez : votre choix « {choice} » n'est pas enregistré. Le tri actuel est ci-dessous : choisissez de nouveau.",  # noqa: E501
            choice=choice,
        )
    when = current.updated_at.astimezone(ctx().timezone())
    return _(
        "{who} a {done} cet article le {day} à {time}, pendant que vous le lisiez : votre choix « {choice} » n'est pas enregistré. Le tri actuel est ci-dessous : choisissez de nouveau.",  # noqa: E501
        who=person_names().get(current.updated_by.lower(), current.updated_by),
        done=_("retenu") if current.status == "retained" else _("rejeté"),
        day=when.strftime("%d/%m/%Y"),
        time=when.strftime("%H:%M"),
        choice=choice,
    )


def _prefill(group_id: str, item_id: int) -> Fiche:
    """A first fiche: Qui/Où/Quand suggested from the entities the model is sure of (never a
    legal text as « Qui », never a common noun as « Où »: watcher.understand.prefill) and the
    date."""
    view = group_view(group_id, item_id)
    kinds = ctx().store.entity_kinds(m.key for m in view.entities)
    orgs, places = suggested_who_where(view, now().date(), kinds)
    published = view.item.published_at
    return Fiche(
        item_id=item_id,
        group_id=group_id,
        qui=", ".join(orgs),
        ou=", ".join(places),
        quand=published.astimezone(ctx().timezone()).strftime("%d/%m/%Y") if published else "",
    )


def _fiche_page(
    group_id: str,
    item_id: int,
    fiche: Fiche,
    error: str | None,
    over: str,
    theirs: list[tuple[str, str]] | None = None,
) -> str:
    """The form of a fiche: ``over`` is the token of the stored fiche it is written over, sent
    back with it; ``theirs`` the fields of a version saved meanwhile that differ from the
    form's (label, value), shown beside it."""
    view = group_view(group_id, item_id)
    return render_template(
        "web/fiche.html",
        view=view,
        item=view.item,
        fiche=fiche,
        error=error,
        over=over,
        theirs=theirs or [],
        suggestions=related_items(group_id, view),
        questions=QUESTIONS,
    )


def _shown(fiche: Fiche, name: str) -> str:
    value = getattr(fiche, name)
    if value is None:
        return ""
    if name == "action_deadline":
        return str(value.strftime("%d/%m/%Y"))
    if name == "crosscheck_item_id":
        return f"n° {value}"
    return str(value)


def _conflict(mine: Fiche, current: Fiche) -> tuple[str, list[tuple[str, str]]]:
    """What a learner reads when another saved the fiche while they were writing it: who, when,
    and that fields of the other version differ from their form (which keeps their text)."""
    who = person_names().get(current.updated_by.lower(), current.updated_by) or "?"
    when = current.updated_at.astimezone(ctx().timezone()) if current.updated_at else None
    error = _(
        "{who} a enregistré cette fiche le {day} à {time}, pendant que vous la rédigiez : vos changements ne sont pas encore enregistrés. Ils sont dans le formulaire ; sa version est ci-dessous. Reprenez ce qu'il faut garder, puis « Enregistrer la fiche » remplacera sa version par la vôtre.",  # noqa: E501
        who=who,
        day=when.strftime("%d/%m/%Y") if when else "—",
        time=when.strftime("%H:%M") if when else "—",
    )
    theirs = [
        (_(FICHE_FIELD_LABELS[name]), _shown(current, name) or "—")
        for name in FICHE_FIELDS
        if getattr(mine, name) != getattr(current, name)
    ]
    return error, theirs


@bp.route("/g/<group_id>/items/<int:item_id>/fiche", methods=["GET", "POST"])
@reader
def fiche_page(group_id: str, item_id: int) -> WerkzeugResponse | tuple[str, int] | str:
    from watcher.web import permissions

    user = require_user()
    store = ctx().store
    if request.method == "GET":
        fiche = store.fiche(group_id, item_id)
        if fiche is None:
            if not permissions.can_curate(user, group_id):
                group_view(group_id, item_id)
                abort(404)
            return _fiche_page(group_id, item_id, _prefill(group_id, item_id), None, "")
        return _fiche_page(group_id, item_id, fiche, None, fiche_token(fiche))
    if not permissions.can_curate(user, group_id):
        abort(403)
    group_view(group_id, item_id)
    values: dict[str, Any] = {
        name: request.form.get(name, "").strip()[:MAX_FIELD] for name in TEXT_FIELDS
    }
    fiche = Fiche(item_id=item_id, group_id=group_id, **values)
    # the fiche the form was written over; a form without it (an older page) is not checked
    over = request.form.get("over")
    error = None
    deadline = request.form.get("action_deadline", "").strip()
    cross = request.form.get("crosscheck_item_id", "").strip().lstrip("n°#").strip()
    try:
        if deadline:
            fiche = replace(fiche, action_deadline=date.fromisoformat(deadline))
    except ValueError:
        error = _("Échéance invalide : une date comme 2026-12-15.")
    if error is None and cross:
        if cross.isdigit():
            fiche = replace(fiche, crosscheck_item_id=int(cross))
        else:
            error = _("Recoupement : indiquez le numéro d'un article de la veille.")
    if error is None and fiche.action and not fiche.action_owner:
        error = _("Une action proposée a un responsable : qui s'en charge ?")
    if error is None:
        try:
            store.save_fiche(fiche, actor=user.email, now=now(), over=over)
        except FicheChanged as changed:
            error, theirs = _conflict(fiche, changed.current)
            page = _fiche_page(
                group_id, item_id, fiche, error, fiche_token(changed.current), theirs
            )
            return page, 409
        except (ValueError, PermissionError):
            error = _("Le recoupement doit être un autre article de la veille du groupe.")
    if error:
        return _fiche_page(group_id, item_id, fiche, error, over or ""), 400
    return back("items.item_page", group_id=group_id, item_id=item_id)


@bp.get("/g/<group_id>/curated")
@reader
def curated_page(group_id: str) -> str:
    """What the group retained (with its fiches) and rejected (with the reasons)."""
    store = ctx().store
    curations = store.curations(group_id)
    fiches = store.fiches(group_id, list(curations))
    views = {v.item.id: v for v in store.views(list(curations))}
    retained = [
        (views[i], c, fiches.get(i))
        for i, c in curations.items()
        if c.status == "retained" and i in views
    ]
    rejected = [
        (views[i], c) for i, c in curations.items() if c.status == "rejected" and i in views
    ]
    retained.sort(key=lambda t: t[1].updated_at, reverse=True)
    rejected.sort(key=lambda t: t[1].updated_at, reverse=True)
    sources = {s.id: s.label for s in ctx().watch().sources}
    return render_template(
        "web/curated.html",
        retained=retained,
        rejected=rejected,
        names=person_names(),
        sources=sources,
    )


ACTION_LABELS = {
    "retain": "a retenu",
    "reject": "a rejeté",
    "unsort": "a remis à trier",
    "fiche": "a rédigé la fiche de",
}


@bp.get("/g/<group_id>/log")
@reader
def log_page(group_id: str) -> str:
    """The contribution log: who did what, and when (the dossier needs it)."""
    context = ctx()
    entries = list(reversed(context.store.activity_log(group_id)))[:500]
    ids = [e.item_id for e in entries if e.item_id is not None]
    titles = {v.item.id: v.item.title for v in context.store.views(list(dict.fromkeys(ids)))}
    names = person_names()
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.actor] = counts.get(entry.actor, 0) + 1
    return render_template(
        "web/log.html",
        entries=entries,
        titles=titles,
        names=names,
        counts=sorted(counts.items(), key=lambda kv: -kv[1]),
        labels=ACTION_LABELS,
        field_labels=FICHE_FIELD_LABELS,
        item_url=lambda i: url_for("items.item_page", group_id=group_id, item_id=i),
    )
