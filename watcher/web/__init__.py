"""The web app: learners search and curate their watch, tutors and evaluators read it.

`create_app(workspace)` builds a Flask app on the watch's workspace, opened for the app's life
(`watcher.jobs.OpenWorkspace`: the store, its areas, the index); the pages call the use cases of
`watcher.jobs`; a `WatcherError` no page handled becomes a French error page. `run_web` serves the
app with waitress (the production WSGI server used by `watcher web` and `watcher serve`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.dates import clock, date_fr, day_short, duration, elapsed
from watcher.errors import ForeignKey, WatcherError
from watcher.find.index import SearchIndex
from watcher.jobs import OpenWorkspace
from watcher.jobs.dossier import watch_signing_key
from watcher.jobs.search import follow_index
from watcher.labels import number_fr
from watcher.sanitize import safe_url
from watcher.web import (
    admin,
    auth,
    curation,
    digests,
    dossier,
    items,
    permissions,
    search,
    sources,
    verify,
)
from watcher.web.core import (
    CSP,
    FormRequest,
    WebContext,
    check_csrf,
    csrf_token,
    ctx,
    current_user,
    safe_next,
)
from watcher.web.i18n import current_language, translate, translate_count
from watcher.workspace import Workspace, create_whole

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates"
SECRET_FILE = "web-secret.key"
SESSION_HOURS = 12

# Pages reachable without signing in.
PUBLIC_ENDPOINTS = {"auth.login", "auth.set_language", "static", "search.feed", "healthz"}


SECRET_ENV = "WATCHER_SECRET_KEY"
SECRET_META = "web_secret_key"  # the fingerprint of the web hosts' session key (a shared store)


def shared_secret_key(w: OpenWorkspace, key: str) -> None:
    """On a store shared by several web hosts (`watcher web --distributed`), check that this
    host signs its session cookies with the key of the others: a host with a key of its own (a
    file made in its folder, WATCHER_SECRET_KEY not set) would send back to the sign-in page
    everyone the proxy sends its way. A key from WATCHER_SECRET_KEY is the watch's from then
    on (given to every host, it may be changed); a key from the folder's file must be the one
    recorded, or is recorded if none is."""
    mine = hashlib.sha256(key.encode()).hexdigest()[:16]
    if os.environ.get(SECRET_ENV, "").strip():
        w.store.record_meta(SECRET_META, mine)
        return
    recorded = w.store.claim_meta(SECRET_META, mine)
    if recorded != mine:
        error = ForeignKey(
            f"la clé de session de ce serveur web ({w.workspace.db.parent / SECRET_FILE}, "
            f"empreinte {mine}) n'est pas celle des autres serveurs web de la veille "
            f"(empreinte {recorded}) : une session ouverte sur l'un ne vaudrait pas sur l'autre"
        )
        error.hint = (
            f"Donnez à chaque serveur web la même clé dans {SECRET_ENV} (docs/deploy.md, "
            "« Search on several web hosts »)."
        )
        raise error


def secret_key(workspace: Workspace) -> str:
    """$WATCHER_SECRET_KEY, else a key generated once into a 0600 file beside the store."""
    from_env = os.environ.get(SECRET_ENV, "").strip()
    if from_env:
        if len(from_env) < 32:
            raise RuntimeError("WATCHER_SECRET_KEY doit faire au moins 32 caractères")
        return from_env
    path = workspace.db.parent / SECRET_FILE
    if not path.exists():
        # whole or not at all: an empty file left by a kill -9 between creating it and
        # writing the key made every later start fail until someone deleted it
        create_whole(path, (secrets.token_urlsafe(48) + "\n").encode("ascii"))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (%o): now 0600", path, mode)
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) >= 32:
        return key
    raise RuntimeError(f"{path} ne contient pas de clé valable : supprimez-le")


def _format_dt(moment: datetime | None, with_time: bool = True, seconds: bool = False) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(ctx().timezone())
    if current_language() == "en":
        shape = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
        return local.strftime(shape if with_time else "%Y-%m-%d")
    if not with_time:
        return day_short(local)
    return clock(moment, str(ctx().timezone()), seconds=seconds)


def _format_day(day: date) -> str:
    """A day in words: « 27 novembre 2026 » (« 27 November 2026 » in English)."""
    if current_language() == "en":
        return f"{day.day} {day.strftime('%B %Y')}"
    return date_fr(day)


def _format_number(value: float, digits: int = 1) -> str:
    """French numbers (« 2,5 ») in the French interface."""
    if current_language() == "en":
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return number_fr(value, digits)


def _format_every(every: timedelta) -> str:
    """A crawl frequency as words (« tous les jours », « toutes les 6 h »)."""
    from watcher.report.dossier import frequency_label

    return frequency_label(every)


def _warm(index: SearchIndex) -> None:
    try:
        index.warm()
    except Exception:  # searches read the same things again, and report what fails
        log.exception("warming the search index failed")


FOLLOW_EVERY = 1.0  # seconds between two catch-ups of the web host's index with the store
PRUNE_EVERY = 600.0  # seconds between two prunings of the store's old index changes


def _follow(context: WebContext) -> None:
    """The web host's follower: keeps its copy of the index (index/) up to date from the
    store's change log — rebuilt first if it has none —, until the app is closed."""
    pruned = 0.0
    while not context.closing.is_set():
        started = time.monotonic()
        prune = started - pruned >= PRUNE_EVERY
        try:
            follow_index(context.opened, context.watch(), context.now() if prune else None)
            pruned = started if prune else pruned
        except Exception:  # a store or index that fails now may answer at the next turn
            log.exception("bringing the search index up to date failed")
        context.closing.wait(FOLLOW_EVERY)


def create_app(
    workspace: Workspace,
    *,
    now: Callable[[], datetime] | None = None,
    testing: bool = False,
    secure_cookies: bool | None = None,
    distributed: bool = False,
) -> Flask:
    """The app for a watch. `now` gives the time (tests fix it); `testing` relaxes nothing but
    the Secure flag of the session cookie (the test client speaks plain http); `distributed`:
    the dossier's PDF is rendered by the workers (`watcher.distributed.DossierQueue`)."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    app.request_class = FormRequest  # form fields without control characters
    _configure(app, workspace, testing=testing, secure_cookies=secure_cookies)
    context = WebContext(
        opened=OpenWorkspace.open(workspace, index=True),
        now=now or (lambda: datetime.now(UTC)),
    )
    context.watch()  # fail now, not at the first request, if sources.yml is invalid
    if distributed:  # and now if this host's signing key is not the watch's
        try:
            watch_signing_key(context.opened)
            if not testing:  # (a test's app has a random key of its own)
                shared_secret_key(context.opened, app.config["SECRET_KEY"])
        except WatcherError:
            context.close()
            raise
        from watcher.distributed import DossierQueue  # procrastinate: only in this mode

        context.dossier_queue = DossierQueue(workspace.database)
    if not testing:  # the first search would otherwise read the whole index's columns
        threading.Thread(
            target=_warm, args=(context.index,), name="index-warm", daemon=True
        ).start()
        follower = threading.Thread(
            target=_follow, args=(context,), name="index-follow", daemon=True
        )
        context.threads.append(follower)
        follower.start()
    app.extensions["watcher"] = context
    for module in (auth, search, items, curation, sources, digests, admin, dossier, verify):
        app.register_blueprint(module.bp)
    app.add_url_rule("/healthz", view_func=healthz, methods=["GET"])
    app.add_url_rule("/", view_func=home, methods=["GET"])
    app.before_request(load_user)
    app.after_request(security_headers)
    app.context_processor(template_globals)
    app.jinja_env.globals.update(
        _=translate, _n=translate_count, csrf_token=csrf_token, perm=permissions
    )
    app.jinja_env.filters.update(
        dt=_format_dt,
        date=lambda m: _format_dt(m, with_time=False),
        dts=lambda m: _format_dt(m, seconds=True),  # to the second (the queue's heartbeats)
        # the time since a moment: {{ job.started|since(queue.at) }} → « 2 h 05 min »
        since=lambda m, now: elapsed(m, now, english=current_language() == "en"),
        # a number of seconds: {{ job.usual|duration }} → « 3 min 05 s »
        duration=lambda s: duration(s, english=current_language() == "en"),
        safe_url=safe_url,
        num=_format_number,
        day=_format_day,
        every=_format_every,
    )
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(WatcherError, watcher_error)
    app.teardown_appcontext(lambda _exc: None)
    return app


def _configure(
    app: Flask, workspace: Workspace, *, testing: bool, secure_cookies: bool | None
) -> None:
    if secure_cookies is None:
        secure_cookies = not testing and os.environ.get("WATCHER_INSECURE_COOKIES", "") != "1"
    app.config.update(
        SECRET_KEY=secrets.token_urlsafe(48) if testing else secret_key(workspace),
        TESTING=testing,
        SESSION_COOKIE_NAME="watcher_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        TEMPLATES_AUTO_RELOAD=False,
    )


# --- the app's own pages and hooks ----------------------------------------------------------


def healthz() -> tuple[str, int, dict[str, str]]:
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


def home() -> WerkzeugResponse:
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.role in ("learner", "tutor") and user.group_id:
        return redirect(url_for("search.search_page", group_id=user.group_id))
    if user.role == "admin":
        return redirect(url_for("admin.users_page"))
    return redirect(url_for("search.groups_page"))


def load_user() -> WerkzeugResponse | None:
    """The signed-in user of the request (g.user); CSRF on every write; sign-in elsewhere."""
    g.user = None
    uid = session.get("uid")
    if isinstance(uid, int):
        user = ctx().users.get(uid)
        if user is not None and not user.disabled and session.get("sv") == user.session_version:
            g.user = user
        else:  # signed out, password or role changed, account suspended or deleted
            session.clear()
    if request.endpoint == "verify.verify_upload":  # the one larger upload: a dossier to verify
        request.max_content_length = verify.MAX_UPLOAD
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.endpoint is None:
            return None  # 404 / 405 as usual
        if request.endpoint == "auth.logout":  # from a tab left open: signed out already
            return redirect(url_for("auth.login", out=1))
        if writes:  # a form sent once the session ended: nothing is written, sign in again
            return redirect(url_for("auth.login", next=_form_page(), ended=1))
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    if writes:
        check_csrf()
    return None


def _form_page() -> str:
    """The page a form was sent from (its Referer, when it is this site's), to come back to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return url_for("home")
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""), "/")


def security_headers(response: WerkzeugResponse) -> WerkzeugResponse:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def template_globals() -> dict[str, Any]:
    user = current_user()
    context = ctx()
    watch = context.watch()
    groups = [grp for grp in watch.groups if permissions.can_see_sources(user, grp.id)]
    return {
        "_": translate,
        "lang": current_language(),
        "csrf_token": csrf_token,
        "current_user": user,
        "perm": permissions,
        "watch": watch,
        "watch_error": context.watch_error,
        "nav_groups": groups,
        "group": g.get("group"),
    }


# --- the error boundary -----------------------------------------------------------------------


def http_error(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    back = _form_page() if exc.description == "csrf" else None  # the form's page, to reload
    page = render_template("web/error.html", code=code, description=exc.description, back=back)
    return page, code


def watcher_error(exc: WatcherError) -> tuple[str, int]:
    """An error a person can act on, that no page turned into a message of its own: a French
    page with its message and the status it calls for."""
    code = exc.http_status
    return render_template("web/error.html", code=code, message=exc.message), code


def run_web(workspace: Workspace, host: str, port: int, *, distributed: bool = False) -> None:
    """Serve the app with waitress until interrupted (blocking)."""
    import waitress

    app = create_app(workspace, distributed=distributed)
    try:
        waitress.serve(app, host=host, port=port, threads=8, ident="watcher")
    finally:
        ctx_obj = app.extensions["watcher"]
        assert isinstance(ctx_obj, WebContext)
        ctx_obj.close()


__all__ = ["create_app", "run_web"]
