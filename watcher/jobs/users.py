"""Account use cases of the web app's users, shared by `watcher user …` and the admin pages."""

from __future__ import annotations

from datetime import datetime

from watcher.config import Watch
from watcher.errors import Conflict, NotFound
from watcher.jobs import OpenWorkspace
from watcher.model import User


def add_user(
    w: OpenWorkspace,
    watch: Watch,
    email: str,
    name: str,
    role: str,
    password: str,
    *,
    group_id: str | None,
    now: datetime,
) -> User:
    """Create an account (a learner's or a tutor's in a group of sources.yml); UserError
    (French) for what cannot be created."""
    return w.users.add(
        email,
        name,
        role,
        password,
        group_id=group_id,
        groups={g.id for g in watch.groups},
        now=now,
    )


def check_new_account(w: OpenWorkspace, email: str) -> None:
    """Conflict if an account exists for this address (before a password is asked for)."""
    if w.users.by_email(email) is not None:
        raise Conflict(f"Un compte existe déjà pour {email}.")


def account(w: OpenWorkspace, email: str) -> User:
    """The account of an address (NotFound if none)."""
    found = w.users.by_email(email)
    if found is None:
        raise NotFound(f"Aucun compte pour {email}.")
    return found


def set_password(w: OpenWorkspace, user: User, password: str, now: datetime) -> None:
    """A new password; the account's open sessions end. UserError if it is too weak."""
    w.users.set_password(user.id, password, now=now)


def accounts(w: OpenWorkspace) -> list[User]:
    return w.users.all()
