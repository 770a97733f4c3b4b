"""Web accounts: users and their roles, login attempts (rate limiting), saved-search feed tokens.

The tables are in `watcher.store.schema`; this module holds their queries. Passwords are hashed
with Argon2id (argon2-cffi); a hash is never shown nor logged.

Sessions are cookies that name the account and its `session_version`: bumping the version (new
password, new role or group, signing out, suspension) ends every session of the account on the
server's side. A suspended account keeps its hash behind a `!` (as `passwd -l` does): nothing
matches it until the account is restored.
"""

from __future__ import annotations

import functools
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Connection,
    Row,
    Text,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from watcher.errors import WatcherError
from watcher.labels import ROLE_LABELS
from watcher.model import ROLES, User
from watcher.store.schema import Area, UTCDateTime, login_attempts, search_feed_tokens, users

GROUP_ROLES = ("learner", "tutor")  # roles that belong to exactly one group
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10

# Rate limiting of password checks: this many failures in the window lock the account (from
# every address) or the address (for every account).
LOCK_WINDOW = timedelta(minutes=15)
MAX_FAILURES_ACCOUNT = 5
MAX_FAILURES_IP = 20
DISABLED_MARK = "!"  # before the hash of a suspended account

_hasher = PasswordHasher()  # Argon2id, argon2-cffi's RFC 9106 "low memory" profile


@functools.cache
def _dummy_hash() -> str:
    """Verified for unknown accounts. Made on first use, not at import (~0.3 s of CPU): a
    process that never checks a password never pays for it."""
    return _hasher.hash("watcher: not a password")


class UserError(WatcherError, ValueError):
    """A user cannot be created or changed as asked (message for people)."""


class LoginLocked(WatcherError):
    """Too many wrong passwords lately for this account or from this address: no check made."""

    exit_code = 1
    http_status = 429


class AccountDisabled(WatcherError):
    """The password is right but an administrator suspended the account."""

    exit_code = 1
    http_status = 403


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
    said = ROLE_LABELS.get(role, role)  # « un compte tuteur », not the code « tutor »
    if role in GROUP_ROLES:
        if not group_id:
            raise UserError(f"un compte {said} appartient à un groupe : précisez lequel")
        if groups is not None and group_id not in groups:
            known = ", ".join(sorted(groups)) or "aucun"
            raise UserError(f"groupe inconnu : {group_id} (groupes : {known})")
    elif group_id:
        raise UserError(f"un compte {said} n'appartient à aucun groupe")


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=row.role,
        group_id=row.group_id,
        session_version=row.session_version,
        created_at=row.created_at,
        disabled=row.password_hash.startswith(DISABLED_MARK),
    )


def _first_session_version() -> int:
    """SQLite gives a deleted account's id to the next account made: a random first version
    keeps the deleted account's cookies from opening the new one."""
    return 1 + secrets.randbelow(2**31)


def _lock_attempts(conn: Connection) -> None:
    """SQLite: nothing to do (a writing statement holds the database's write lock from its
    start). PostgreSQL would let two INSERT … SELECT read the same count: lock the table."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE")


class Users(Area):
    """Users, login attempts and feed tokens, in the watch's store."""

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
                    session_version=_first_session_version(),
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
        """New password; every open session of the account is closed (a suspended account
        stays suspended), and the account's count of wrong passwords starts again."""
        check_password_strength(password)
        new = hash_password(password)
        reset = select(
            literal(now, UTCDateTime()), users.c.email, literal(""), literal(True)
        ).where(users.c.id == user_id)
        with self.engine.begin() as conn:
            conn.execute(insert(login_attempts).from_select(["at", "email", "ip", "ok"], reset))
            done = conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(
                    password_hash=case(
                        (users.c.password_hash.startswith(DISABLED_MARK), DISABLED_MARK + new),
                        else_=new,
                    ),
                    session_version=users.c.session_version + 1,
                    updated_at=now,
                )
            ).rowcount
        if not done:
            raise UserError("compte inconnu")

    def end_sessions(self, user_id: int, *, now: datetime) -> None:
        """Every session of the account ends (signing out: on every device)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(session_version=users.c.session_version + 1, updated_at=now)
            )

    def set_disabled(self, user_id: int, disabled: bool, *, now: datetime) -> bool:
        """Suspend the account (its sessions end, no password opens it) or restore it (its
        password works again). False when there is no such account."""
        hashed = func.ltrim(users.c.password_hash, DISABLED_MARK, type_=Text)
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(
                        password_hash=(DISABLED_MARK + hashed) if disabled else hashed,
                        session_version=users.c.session_version + 1,
                        updated_at=now,
                    )
                ).rowcount
            )

    def delete(self, user_id: int) -> bool:
        """The account is gone, and with it every session (see `_first_session_version`)."""
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(users).where(users.c.id == user_id)).rowcount)

    def count_admins(self) -> int:
        """Administrators who can sign in (suspended ones do not count)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(users)
                    .where(
                        and_(
                            users.c.role == "admin",
                            ~users.c.password_hash.startswith(DISABLED_MARK),
                        )
                    )
                ).scalar_one()
            )

    # --- logging in --------------------------------------------------------------------------

    def _verify(self, email: str, password: str) -> User | None:
        """The account if the password is right, suspended or not (time spent is the same for
        unknown accounts); the hash is made again when Argon2's parameters changed."""
        email = normalise_email(email)
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.email == email)).first()
        stored = row.password_hash if row else _dummy_hash()
        hashed = stored.removeprefix(DISABLED_MARK)
        try:
            _hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(hashed):
            mark = stored[: len(stored) - len(hashed)]
            with self.engine.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == row.id)
                    .values(password_hash=mark + hash_password(password))
                )
        return _user(row)

    def authenticate(self, email: str, password: str) -> User | None:
        """The user if the password is right and the account not suspended. Not rate-limited:
        requests from people go through `try_password`."""
        user = self._verify(email, password)
        return user if user is not None and not user.disabled else None

    def try_password(self, email: str, password: str, *, ip: str, now: datetime) -> User | None:
        """A password check from a person (signing in, or confirming one's current password):
        the user if the password is right, None if not. Raises `LoginLocked` without checking
        when the account or the address has had too many failures lately, `AccountDisabled`
        when the password is right but the account suspended."""
        attempt = self._begin_attempt(email, ip, now)
        if attempt is None:
            raise LoginLocked(email)
        user = self._verify(email, password) if email and password else None
        if user is not None:
            with self.engine.begin() as conn:
                conn.execute(
                    update(login_attempts).where(login_attempts.c.id == attempt).values(ok=True)
                )
        if user is not None and user.disabled:
            raise AccountDisabled(email)
        return user

    def _begin_attempt(self, email: str, ip: str, now: datetime) -> int | None:
        """Count and decide in one statement: an attempt is recorded (as a failure, until the
        password is found right) only if the account and the address are under their limits;
        its id, or None when locked. SQLite runs an INSERT … SELECT under the write lock, so
        40 requests at once cannot all read "4 failures" and all go on to check a password."""
        email = normalise_email(email)[:254]
        ip = ip[:64]
        since = now - LOCK_WINDOW
        recent = login_attempts.alias("recent")
        # the account's failures since its last right password (in the window) …
        last_ok = (
            select(func.coalesce(func.max(recent.c.id), 0))
            .where(and_(recent.c.email == email, recent.c.ok.is_(True), recent.c.at >= since))
            .scalar_subquery()
        )
        account_failures = (
            select(func.count())
            .select_from(recent)
            .where(
                and_(
                    recent.c.email == email,
                    recent.c.ok.is_(False),
                    recent.c.at >= since,
                    recent.c.id > last_ok,
                )
            )
            .scalar_subquery()
        )
        # … and the address's failures, whoever signed in from it meanwhile
        address_failures = (
            select(func.count())
            .select_from(recent)
            .where(and_(recent.c.ip == ip, recent.c.ok.is_(False), recent.c.at >= since))
            .scalar_subquery()
        )
        allowed = select(
            literal(now, UTCDateTime()), literal(email), literal(ip), literal(False)
        ).where(and_(account_failures < MAX_FAILURES_ACCOUNT, address_failures < MAX_FAILURES_IP))
        with self.engine.begin() as conn:
            _lock_attempts(conn)
            attempt = conn.execute(
                insert(login_attempts)
                .from_select(["at", "email", "ip", "ok"], allowed)
                .returning(login_attempts.c.id)
            ).scalar_one_or_none()
            # keep the table small: attempts older than a day are of no use
            conn.execute(delete(login_attempts).where(login_attempts.c.at < now - timedelta(1)))
        return None if attempt is None else int(attempt)

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
