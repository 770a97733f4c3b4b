"""Signing in and out, the interface language, one's own account."""

from __future__ import annotations

import secrets

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.store_users import UserError
from watcher.web.core import ctx, now, require_user, safe_next
from watcher.web.i18n import LANGUAGES, _

bp = Blueprint("auth", __name__)

LOCKED = (
    "Trop d'essais infructueux : réessayez dans 15 minutes "
    "(ou demandez à l'administrateur de changer le mot de passe)."
)


def client_ip() -> str:
    """The peer's address (behind a reverse proxy, run waitress with trusted_proxy)."""
    return request.remote_addr or "?"


@bp.route("/login", methods=["GET", "POST"])
def login() -> WerkzeugResponse | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"), url_for("home"))
    if request.method == "GET":
        return render_template("web/login.html", next=next_url, email="", error=None)
    users = ctx().users
    email = request.form.get("email", "").strip()[:254]
    password = request.form.get("password", "")
    ip = client_ip()
    moment = now()
    if users.locked(email, ip, moment):
        error = _(LOCKED)
        return render_template("web/login.html", next=next_url, email=email, error=error), 429
    user = users.authenticate(email, password) if email and password else None
    users.record_attempt(email, ip, user is not None, moment)
    if user is None:
        error = _("Adresse e-mail ou mot de passe incorrect.")
        return render_template("web/login.html", next=next_url, email=email, error=error), 401
    lang = session.get("lang")
    session.clear()  # a new session: nothing from before signing in is kept (fixation)
    session.permanent = True
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    return redirect(next_url, code=303)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"), code=303)


@bp.post("/lang")
def set_language() -> WerkzeugResponse:
    lang = request.form.get("lang", "fr")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("home")), code=303)


@bp.route("/account", methods=["GET", "POST"])
def account() -> WerkzeugResponse | tuple[str, int] | str:
    user = require_user()
    if request.method == "GET":
        return render_template("web/account.html", error=None, done=request.args.get("done"))
    users = ctx().users
    current = request.form.get("current", "")
    new = request.form.get("new", "")
    error = None
    if users.authenticate(user.email, current) is None:
        error = _("Le mot de passe actuel est incorrect.")
    elif new != request.form.get("confirm", ""):
        error = _("Les deux nouveaux mots de passe sont différents.")
    else:
        try:
            users.set_password(user.id, new, now=now())
        except UserError as exc:
            error = str(exc)
    if error:
        return render_template("web/account.html", error=error, done=None), 400
    updated = users.get(user.id)
    assert updated is not None
    session["sv"] = updated.session_version  # this session stays open, the others close
    return redirect(url_for("auth.account", done=1), code=303)
