"""Administration: accounts (create, change role or group, reset password, suspend, delete),
groups, and the distributed queue (what `watcher status` shows of it, from the same use case).

Groups themselves are declared in sources.yml (the source of truth, edited by the team): the
admin assigns accounts to them and sees who is declared and who has an account.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.jobs.users import add_user
from watcher.model import ROLES
from watcher.store.users import UserError
from watcher.web.core import admin_only, back, ctx, now, require_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(error: str | None = None, status: int = 200) -> tuple[str, int]:
    context = ctx()
    return (
        render_template(
            "web/admin_users.html",
            users=context.users.all(),
            roles=ROLES,
            groups=context.watch().groups,
            error=error,
            form=request.form if request.method == "POST" else {},
        ),
        status,
    )


@bp.get("/users")
@admin_only
def users_page() -> tuple[str, int]:
    return _page()


@bp.post("/users")
@admin_only
def create_user() -> WerkzeugResponse | tuple[str, int]:
    context = ctx()
    form = request.form
    try:
        add_user(
            context.opened,
            context.watch(),
            form.get("email", ""),
            form.get("name", ""),
            form.get("role", ""),
            form.get("password", ""),
            group_id=form.get("group_id") or None,
            now=now(),
        )
    except UserError as exc:
        return _page(str(exc), 400)
    return back("admin.users_page")


@bp.post("/users/<int:user_id>")
@admin_only
def update_user(user_id: int) -> WerkzeugResponse | tuple[str, int]:
    context = ctx()
    target = context.users.get(user_id)
    if target is None:
        abort(404)
    role = request.form.get("role", "")
    last = not target.disabled and context.users.count_admins() <= 1  # who can still sign in
    if target.role == "admin" and role != "admin" and last:
        return _page("impossible : c'est le dernier compte administrateur", 400)
    try:
        context.users.update(
            user_id,
            name=request.form.get("name", target.name),
            role=role,
            group_id=request.form.get("group_id") or None,
            groups=set(context.group_ids()),
            now=now(),
        )
    except UserError as exc:
        return _page(str(exc), 400)
    return back("admin.users_page")


@bp.post("/users/<int:user_id>/password")
@admin_only
def reset_password(user_id: int) -> WerkzeugResponse | tuple[str, int]:
    context = ctx()
    if context.users.get(user_id) is None:
        abort(404)
    try:
        context.users.set_password(user_id, request.form.get("password", ""), now=now())
    except UserError as exc:
        return _page(str(exc), 400)
    return back("admin.users_page")


@bp.get("/users/<int:user_id>/delete")
@admin_only
def confirm_delete(user_id: int) -> str:
    """Deleting an account asks first, on a page of its own (no JavaScript needed)."""
    target = ctx().users.get(user_id)
    if target is None:
        abort(404)
    return render_template(
        "web/admin_delete.html", target=target, own=target.id == require_user().id
    )


@bp.post("/users/<int:user_id>/disabled")
@admin_only
def set_disabled(user_id: int) -> WerkzeugResponse | tuple[str, int]:
    """`disabled=1` suspends the account (its sessions end at once), `disabled=0` restores it."""
    context = ctx()
    disabled = request.form.get("disabled") == "1"
    if disabled and user_id == require_user().id:
        return _page("impossible de suspendre son propre compte", 400)
    if not context.users.set_disabled(user_id, disabled, now=now()):
        abort(404)
    return back("admin.users_page")


@bp.post("/users/<int:user_id>/delete")
@admin_only
def delete_user(user_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Deletes once confirmed on the confirmation page; otherwise goes there."""
    context = ctx()
    if user_id == require_user().id:
        return _page("impossible de supprimer son propre compte", 400)
    if context.users.get(user_id) is None:
        abort(404)
    if request.form.get("confirm") != "oui":
        return redirect(url_for("admin.confirm_delete", user_id=user_id), code=303)
    if not context.users.delete(user_id):
        abort(404)
    return back("admin.users_page")


@bp.get("/groups")
@admin_only
def groups_page() -> str:
    context = ctx()
    accounts = context.users.all()
    rows = []
    for group in context.watch().groups:
        members = [u for u in accounts if u.group_id == group.id]
        emails = {u.email for u in members}
        declared = [*group.members, *([group.tutor] if group.tutor else [])]
        missing = [p for p in declared if p.email.lower() not in emails]
        rows.append((group, members, missing))
    return render_template("web/admin_groups.html", rows=rows)


@bp.get("/queue")
@admin_only
def queue_page() -> str:
    """The distributed queue as `watcher status` shows it (`watcher.jobs.distributed
    .queue_status`): the scheduler, each worker (alive, or silent since when), the jobs waiting
    and running (stalled ones on which worker, long ones since when and against what), the
    failures of the last day. An embedded watch (SQLite) has no queue: the page says so."""
    from watcher.jobs.distributed import has_queue, queue_status

    context = ctx()
    distributed = has_queue(context.opened)
    return render_template(
        "web/admin_queue.html",
        distributed=distributed,
        queue=queue_status(context.opened, context.watch(), now()) if distributed else None,
    )
