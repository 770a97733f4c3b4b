"""What every page needs: the watch's context, the signed-in user, CSRF, access checks."""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from zoneinfo import ZoneInfo

from flask import Request, abort, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.config import Group, Watch
from watcher.find.index import SearchIndex
from watcher.jobs import OpenWorkspace
from watcher.model import User
from watcher.sanitize import visible
from watcher.store import Store
from watcher.store.users import Users
from watcher.watch_file import WatchFile
from watcher.web import permissions
from watcher.web.render_cache import RenderCache
from watcher.workspace import Workspace

if TYPE_CHECKING:
    from watcher.distributed import DossierQueue

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Archived digests are shown as they were written (their own inline CSS), in a sandbox.
CSP_ARCHIVE = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'none'; sandbox allow-popups "
    "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)

F = TypeVar("F", bound=Callable[..., Any])
CLOSE_WAIT = 30.0  # seconds a closing app waits for its threads (a catch-up under way)
ResponseLike = Any


# Form fields kept exactly as typed: passwords (the sign-in, the change of one's own, an admin's).
SECRET_FIELDS = frozenset({"password", "current", "new", "confirm"})


class FormRequest(Request):
    """Flask's request, whose form fields (but passwords) lose the invisible and control
    characters `watcher.sanitize.visible` drops from collected text: a learner's paste from a
    word processor (a vertical tab for a manual line break, a soft hyphen) never reaches the
    store, the search index or the dossier's DOCX and XLSX, where XML forbids control
    characters. The app's `request_class`."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if not form:
            return
        typed = list(form.items(multi=True))
        fields = [
            (name, value if name in SECRET_FIELDS else visible(value)) for name, value in typed
        ]
        if fields != typed:
            self.__dict__["form"] = self.parameter_storage_class(fields)


@dataclass
class WebContext:
    """One per app (per process): the workspace opened for the app's life (its store, areas
    and search index: `watcher.jobs.OpenWorkspace`) and the watch's configuration."""

    opened: OpenWorkspace
    now: Callable[[], datetime]
    dossier_files: RenderCache = field(init=False, default_factory=RenderCache)
    # the distributed mode: the dossier's PDF is a workers' job (watcher.distributed)
    dossier_queue: DossierQueue | None = field(init=False, default=None)
    _watch_file: WatchFile = field(init=False)
    # the app's background threads (the index's follower) stop when it is closed
    closing: threading.Event = field(init=False, default_factory=threading.Event)
    threads: list[threading.Thread] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._watch_file = WatchFile(self.workspace.config)

    @property
    def workspace(self) -> Workspace:
        return self.opened.workspace

    @property
    def store(self) -> Store:
        return self.opened.store

    @property
    def index(self) -> SearchIndex:
        return self.opened.index

    @property
    def users(self) -> Users:
        return self.opened.users

    def watch(self) -> Watch:
        """sources.yml, read again when the group has edited it (the last valid one is kept)."""
        return self._watch_file.current()

    @property
    def watch_error(self) -> str:
        return self._watch_file.error

    def group_ids(self) -> list[str]:
        return [grp.id for grp in self.watch().groups]

    def group(self, group_id: str) -> Group | None:
        return next((grp for grp in self.watch().groups if grp.id == group_id), None)

    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.watch().watch.timezone)

    def reports_dir(self, group_id: str) -> Path:
        return self.workspace.reports / group_id

    def close(self) -> None:
        self.closing.set()
        for thread in self.threads:
            thread.join(timeout=CLOSE_WAIT)
        if self.dossier_queue is not None:
            self.dossier_queue.close()
        self.opened.close()


def ctx() -> WebContext:
    return cast(WebContext, current_app.extensions["watcher"])


def now() -> datetime:
    return ctx().now()


def current_user() -> User | None:
    return cast("User | None", g.get("user"))


def require_user() -> User:
    user = current_user()
    if user is None:
        abort(401)
    return user


# --- CSRF ---------------------------------------------------------------------------------------


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Every state-changing request carries the session's token (form field or header)."""
    expected = session.get("csrf")
    given = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected, given):
        abort(400, description="csrf")


# --- access checks --------------------------------------------------------------------------------


def _group_or_404(group_id: str) -> Group:
    group = ctx().group(group_id)
    if group is None:
        abort(404)
    return group


def group_view(rule: Callable[[User | None, str], bool]) -> Callable[[F], F]:
    """A route under /g/<group_id>/: the group must exist and the rule allow the user."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> ResponseLike:
            user = require_user()
            group = _group_or_404(kwargs["group_id"])
            if not rule(user, group.id):
                abort(403)
            g.group = group
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def reader(view: F) -> F:
    return group_view(permissions.can_read_group)(view)


def curator(view: F) -> F:
    return group_view(permissions.can_curate)(view)


def sources_viewer(view: F) -> F:
    return group_view(permissions.can_see_sources)(view)


def admin_only(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseLike:
        if not permissions.can_admin(require_user()):
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def safe_next(target: str | None, default: str) -> str:
    """A local path to go back to (never another site: no //host nor scheme)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 0x20 for c in target)
    ):
        return target
    return default


def back(default_endpoint: str, **values: Any) -> WerkzeugResponse:
    """Redirect (303: see other) to the form's `next`, else to an endpoint."""
    return redirect(
        safe_next(request.form.get("next"), url_for(default_endpoint, **values)), code=303
    )
