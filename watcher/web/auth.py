"""Signing in and out, the interface language, one's own account."""

from __future__ import annotations

import secrets

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.model import User
from watcher.store.users import AccountDisabled, LoginLocked, UserError
from watcher.web.core import ctx, current_user, now, require_user, safe_next
from watcher.web.i18n import LANGUAGES, _

bp = Blueprint("auth", __name__)

LOCKED = (
    "Trop d'essais infructueux : réessayez dans 15 minutes "
    "(ou demandez à l'administrateur de changer le mot de passe)."
)
DISABLED = "Ce compte est suspendu : adressez-vous à l'administrateur de Watcher."


def client_ip() -> str:
    """The peer's address (behind a reverse proxy, run waitress with trusted_proxy)."""
    return request.remote_addr or "?"


def _checked(email: str, password: str) -> User | None:
    """A password typed by a person, checked under the rate limit (`Users.try_password`)."""
    return ctx().users.try_password(email, password, ip=client_ip(), now=now())


def _refusal(exc: LoginLocked | AccountDisabled) -> tuple[str, int]:
    """The message and status of a password check that was refused."""
    return (_(LOCKED), 429) if isinstance(exc, LoginLocked) else (_(DISABLED), 403)


@bp.route("/login", methods=["GET", "POST"])
def login() -> WerkzeugResponse | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"), url_for("home"))
    if request.method == "GET":
        ended = request.args.get("ended") == "1"
        out = request.args.get("out") == "1"
        return render_template(
            "web/login.html", next=next_url, email="", error=None, ended=ended, out=out
        )
    email = request.form.get("email", "").strip()[:254]
    try:
        user = _checked(email, request.form.get("password", ""))
    except (LoginLocked, AccountDisabled) as exc:
        error, status = _refusal(exc)
        return render_template("web/login.html", next=next_url, email=email, error=error), status
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
    """Signing out ends the account's sessions on the server (a copied cookie stops working),
    on every device."""
    user = current_user()
    if user is not None:
        ctx().users.end_sessions(user.id, now=now())
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login", out=1), code=303)


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
    new = request.form.get("new", "")
    error = None
    try:
        confirmed = _checked(user.email, request.form.get("current", "")) is not None
    except (LoginLocked, AccountDisabled) as exc:
        error, status = _refusal(exc)
        return render_template("web/account.html", error=error, done=None), status
    if not confirmed:
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
