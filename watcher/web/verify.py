"""`/verify`: an evaluator uploads a file a learner handed in; Watcher says what in it matches
the watch's records and what was changed (`watcher.jobs.verify`, docs/verify.md).

The upload is capped (`MAX_UPLOAD`, answered 413 above it), read in memory and never stored;
like every POST it carries the session's CSRF token (checked for the whole app by
`web.load_user`). Evaluators only (`permissions.can_verify`): the report compares the file with
a group's records, which evaluators read for every group.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from watcher.jobs import verify as jobs
from watcher.verify.errors import VerifyError
from watcher.web import permissions
from watcher.web.core import ctx, now, require_user
from watcher.web.i18n import _

bp = Blueprint("verify", __name__)

MAX_UPLOAD = 20 * 1024 * 1024  # a dossier with screenshots, re-saved by a word processor


def _evaluator() -> None:
    if not permissions.can_verify(require_user()):
        abort(403)


@bp.get("/verify")
def verify_page() -> str:
    _evaluator()
    return render_template("web/verify.html", report=None, error=None, limit=MAX_UPLOAD)


@bp.post("/verify")
def verify_upload() -> tuple[str, int]:
    _evaluator()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        error = _("Choisissez le fichier à vérifier.")
        return render_template("web/verify.html", report=None, error=error, limit=MAX_UPLOAD), 400
    data = upload.read(MAX_UPLOAD + 1)
    upload.close()
    context = ctx()
    try:
        report = jobs.verify_file(data, now=now(), w=context.opened, watch=context.watch())
    except VerifyError as exc:
        page = render_template("web/verify.html", report=None, error=exc.message, limit=MAX_UPLOAD)
        return page, 400
    page = render_template(
        "web/verify.html",
        report=report,
        filename=upload.filename,
        error=None,
        limit=MAX_UPLOAD,
    )
    return page, 200
