"""Web accounts: users and their roles, login attempts (rate limiting), saved-search feed tokens.

An area module of the store (see `watcher.store.AREA_MODULES`): its tables live on the store's
`metadata` and are created with the others. Passwords are hashed with Argon2id (argon2-cffi);
a hash is never shown nor logged.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)

from watcher.store import Store, UTCDateTime, metadata

ROLES = ("learner", "tutor", "evaluator", "admin")
GROUP_ROLES = ("learner", "tutor")  # roles that belong to exactly one group
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10

# Rate limiting of logins: this many failures in the window lock the account (or the address).
LOCK_WINDOW = timedelta(minutes=15)
MAX_FAILURES_ACCOUNT = 5
MAX_FAILURES_IP = 20

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("group_id", String(64)),  # learner and tutor only
    Column("password_hash", Text, nullable=False),
    # bumped when the password or the role changes: older sessions stop being valid
    Column("session_version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("email", name="uq_users_email"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("email", String(254), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("ok", Boolean, nullable=False),
)
Index("ix_login_attempts_email_at", login_attempts.c.email, login_attempts.c.at)
Index("ix_login_attempts_ip_at", login_attempts.c.ip, login_attempts.c.at)

# Feed readers do not log in: a saved search's RSS feed is reached by a secret token in its URL.
search_feed_tokens = Table(
    "search_feed_tokens",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False, default=""),
    UniqueConstraint("token", name="uq_search_feed_token"),
)

_hasher = PasswordHasher()  # Argon2id, argon2-cffi's RFC 9106 "low memory" profile


@functools.cache
def _dummy_hash() -> str:
    """Verified for unknown accounts. Made on first use, not at import: every process that
    opens a Store (each crawl worker, each CLI command) imports this module (~0.3 s of CPU)."""
    return _hasher.hash("watcher: not a password")


class UserError(ValueError):
    """A user cannot be created or changed as asked (message for people)."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    group_id: str | None
    session_version: int
    created_at: datetime


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"le mot de passe doit faire au moins {MIN_PASSWORD} caractères")
    if password.strip() != password or not password.strip():
        raise UserError("le mot de passe ne doit pas commencer ni finir par une espace")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check(email: str, role: str, group_id: str | None, groups: set[str] | None) -> None:
    if not EMAIL_RE.match(email):
        raise UserError(f"adresse e-mail invalide : {email}")
    if role not in ROLES:
        raise UserError(f"rôle inconnu : {role} (rôles : {', '.join(ROLES)})")
    if role in GROUP_ROLES:
        if not group_id:
            raise UserError(f"un compte {role} appartient à un groupe : précisez-le")
        if groups is not None and group_id not in groups:
            known = ", ".join(sorted(groups)) or "aucun"
            raise UserError(f"groupe inconnu : {group_id} (groupes : {known})")
    elif group_id:
        raise UserError(f"un compte {role} n'appartient à aucun groupe")


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=row.role,
        group_id=row.group_id,
        session_version=row.session_version,
        created_at=row.created_at,
    )


class Users:
    """Users, login attempts and feed tokens, in the watch's store."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # --- accounts ----------------------------------------------------------------------------

    def add(
        self,
        email: str,
        name: str,
        role: str,
        password: str,
        *,
        now: datetime,
        group_id: str | None = None,
        groups: set[str] | None = None,
    ) -> User:
        """Create an account; `groups` (when given) are the groups that exist."""
        email = normalise_email(email)
        group_id = group_id or None
        _check(email, role, group_id, groups)
        if not name.strip():
            raise UserError("le nom est obligatoire")
        check_password_strength(password)
        if self.by_email(email) is not None:
            raise UserError(f"un compte existe déjà pour {email}")
        with self.engine.begin() as conn:
            conn.execute(
                insert(users).values(
                    email=email,
                    name=name.strip(),
                    role=role,
                    group_id=group_id,
                    password_hash=hash_password(password),
                    session_version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
        user = self.by_email(email)
        assert user is not None
        return user

    def get(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def by_email(self, email: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.email == normalise_email(email))).first()
        return _user(row) if row else None

    def all(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.role, users.c.email)).all()
        return [_user(r) for r in rows]

    def names(self) -> dict[str, str]:
        """email -> display name (for the contribution log)."""
        return {u.email: u.name for u in self.all()}

    def update(
        self,
        user_id: int,
        *,
        name: str,
        role: str,
        group_id: str | None,
        now: datetime,
        groups: set[str] | None = None,
    ) -> User:
        current = self.get(user_id)
        if current is None:
            raise UserError("compte inconnu")
        group_id = group_id or None
        _check(current.email, role, group_id, groups)
        if not name.strip():
            raise UserError("le nom est obligatoire")
        bump = role != current.role or group_id != current.group_id
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(
                    name=name.strip(),
                    role=role,
                    group_id=group_id,
                    updated_at=now,
                    session_version=users.c.session_version + (1 if bump else 0),
                )
            )
        updated = self.get(user_id)
        assert updated is not None
        return updated

    def set_password(self, user_id: int, password: str, *, now: datetime) -> None:
        """New password; every open session of the account is closed."""
        check_password_strength(password)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(
                    password_hash=hash_password(password),
                    session_version=users.c.session_version + 1,
                    updated_at=now,
                )
            ).rowcount
        if not done:
            raise UserError("compte inconnu")

    def delete(self, user_id: int) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(users).where(users.c.id == user_id)).rowcount)

    def count_admins(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(users).where(users.c.role == "admin")
                ).scalar_one()
            )

    # --- logging in --------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> User | None:
        """The user if the password is right (time spent is the same for unknown accounts)."""
        email = normalise_email(email)
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.email == email)).first()
        stored = row.password_hash if row else _dummy_hash()
        try:
            _hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(stored):
            with self.engine.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == row.id)
                    .values(password_hash=hash_password(password))
                )
        return _user(row)

    def record_attempt(self, email: str, ip: str, ok: bool, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(login_attempts).values(
                    at=now, email=normalise_email(email)[:254], ip=ip[:64], ok=ok
                )
            )
            # keep the table small: attempts older than a day are of no use
            conn.execute(delete(login_attempts).where(login_attempts.c.at < now - timedelta(1)))

    def _failures(self, column: Column[str], value: str, now: datetime) -> int:
        since = now - LOCK_WINDOW
        with self.engine.connect() as conn:
            last_ok = conn.execute(
                select(func.max(login_attempts.c.at)).where(
                    and_(
                        column == value, login_attempts.c.ok.is_(True), login_attempts.c.at >= since
                    )
                )
            ).scalar_one()
            start = max(since, last_ok) if last_ok else since
            return int(
                conn.execute(
                    select(func.count()).where(
                        and_(
                            column == value,
                            login_attempts.c.ok.is_(False),
                            login_attempts.c.at >= start,
                        )
                    )
                ).scalar_one()
            )

    def locked(self, email: str, ip: str, now: datetime) -> bool:
        """Too many recent failures for this account or from this address."""
        return (
            self._failures(login_attempts.c.email, normalise_email(email), now)
            >= MAX_FAILURES_ACCOUNT
            or self._failures(login_attempts.c.ip, ip, now) >= MAX_FAILURES_IP
        )

    # --- saved-search feed tokens -------------------------------------------------------------

    def feed_token(self, group_id: str, name: str, *, now: datetime, by: str = "") -> str:
        """The secret token of a saved search's feed, created on first use."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(search_feed_tokens.c.token).where(
                    and_(
                        search_feed_tokens.c.group_id == group_id,
                        search_feed_tokens.c.name == name,
                    )
                )
            ).first()
            if row is not None:
                return str(row.token)
            token = secrets.token_urlsafe(32)
            conn.execute(
                insert(search_feed_tokens).values(
                    group_id=group_id, name=name, token=token, created_at=now, created_by=by
                )
            )
            return token

    def revoke_feed_token(self, group_id: str, name: str) -> bool:
        """Forget the token: the old feed URL stops working (a new one is made on next use)."""
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    delete(search_feed_tokens).where(
                        and_(
                            search_feed_tokens.c.group_id == group_id,
                            search_feed_tokens.c.name == name,
                        )
                    )
                ).rowcount
            )

    def feed_for_token(self, token: str) -> tuple[str, str] | None:
        """(group id, saved search name) of a feed token, or None."""
        if not token or len(token) > 64:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    search_feed_tokens.c.group_id,
                    search_feed_tokens.c.name,
                    search_feed_tokens.c.token,
                ).where(search_feed_tokens.c.token == token)
            ).first()
        if row is None or not secrets.compare_digest(str(row.token), token):
            return None
        return str(row.group_id), str(row.name)
