"""Digests: the archive (reports/<group>/*.html) and a live preview of the coming week's."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, abort, render_template, request
from flask.wrappers import Response
from markupsafe import Markup

from watcher.jobs.digest import preview_digest
from watcher.report.digest import IsoWeek, digest_time, due_week
from watcher.sanitize import clean_html
from watcher.web.core import CSP_ARCHIVE, ctx, now, reader

bp = Blueprint("digests", __name__)

REPORT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.html$")


def archive(group_id: str) -> list[tuple[str, datetime]]:
    """The group's archived digests, newest first: (file name, written at). Only a week's file
    (`2026-W49.html`) is a digest: `watcher dossier` writes the dossier's HTML into the same
    folder (`dossier-<from>-<to>.html`), which is not one."""
    folder = ctx().reports_dir(group_id)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.html"):
        if path.is_file() and REPORT_NAME.match(path.name) and _is_week(path.stem):
            stamp = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
            found.append((path.name, stamp))
    return sorted(found, key=lambda f: f[0], reverse=True)


def _is_week(text: str) -> bool:
    try:
        IsoWeek.parse(text)
    except ValueError:
        return False
    return True


@bp.get("/g/<group_id>/digests")
@reader
def archive_page(group_id: str) -> str:
    """The archive, each digest with its week's dates and when it was sent (or prepared)."""
    files = archive(group_id)
    weeks: dict[str, IsoWeek | None] = {}
    for name, _ in files:
        week_text = name.removesuffix(".html")
        try:
            weeks[name] = IsoWeek.parse(week_text)
        except ValueError:
            weeks[name] = None
    # this group's records of those weeks (other groups have theirs, of the same weeks)
    records = ctx().opened.mails.digests(
        group_id, [str(w) for w in weeks.values() if w is not None]
    )
    rows = []
    for name, written in files:
        week = weeks[name]
        rows.append((name, week, records.get(str(week)) if week else None, written))
    return render_template("web/digests.html", rows=rows, **_weeks(group_id, None))


def _weeks(group_id: str, shown: IsoWeek | None) -> dict[str, object]:
    """The next digest's week and when it goes out, and the week under way (on the watch's
    clock): on a Monday before the digest's time, the next digest is the week just ended."""
    context = ctx()
    group = context.group(group_id)
    assert group is not None
    upcoming = coming_week(group_id, None)
    return {
        "upcoming": upcoming,
        "upcoming_at": digest_time(group.digest, upcoming, context.timezone()),
        "current": IsoWeek.of(now(), context.timezone()),
        "shown": shown,
    }


@bp.get("/g/<group_id>/digests/<name>")
@reader
def archived(group_id: str, name: str) -> Response:
    if not REPORT_NAME.match(name):
        abort(404)
    folder = ctx().reports_dir(group_id).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP_ARCHIVE
    return response


def coming_week(group_id: str, requested: str | None) -> IsoWeek:
    """The week of the next digest to go out (or the one asked for, e.g. 2026-W48)."""
    context = ctx()
    if requested:
        try:
            return IsoWeek.parse(requested)
        except ValueError:
            abort(404)
    group = context.group(group_id)
    assert group is not None
    return due_week(group.digest, context.timezone(), now()).following()


def preview_html(group_id: str, requested: str | None) -> tuple[str, IsoWeek]:
    """The digest's HTML as it would be sent now, and its week."""
    context = ctx()
    week = coming_week(group_id, requested)
    html = preview_digest(context.opened, context.watch(), group_id, week, now())
    return html, week


@bp.get("/g/<group_id>/digests/preview")
@reader
def preview_page(group_id: str) -> str:
    """The coming week's digest as it would be sent now (it follows the group's curation),
    sanitised and shown in the app's layout."""
    html, week = preview_html(group_id, request.args.get("week"))
    return render_template(
        "web/preview.html",
        body=Markup(clean_html(html)),
        week=str(week),
        **_weeks(group_id, week),
    )


@bp.get("/g/<group_id>/digests/preview.html")
@reader
def preview_raw(group_id: str) -> Response:
    """The same preview exactly as the e-mail would look (its own CSS), in a sandbox."""
    html, _week = preview_html(group_id, request.args.get("week"))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP_ARCHIVE
    return response
