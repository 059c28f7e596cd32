"""Accounts: password hashing (argon2), login with lockout, creating users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import User
from audit_app.models.users import ROLES
from audit_app.services import trail

_hasher = PasswordHasher()
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def create_user(*, email: str, name: str, password: str, role: str, language: str = "pl") -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role}", field="role")
    if db.session.scalar(select(User.id).filter_by(email=email)) is not None:
        raise UserError("email_taken", field="email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    trail.record(None, "create", "user", user.id, role=role)
    return user


class LoginLocked(Exception):
    def __init__(self, until: datetime) -> None:
        self.until = until


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right; counts failures and locks the account
    for a while after too many (raises LoginLocked while locked)."""
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        _hasher.hash(password)  # same work either way: no user enumeration by timing
        return None
    now = datetime.now(UTC)
    locked_until = user.locked_until
    if locked_until is not None and locked_until.tzinfo is None:
        locked_until = locked_until.replace(tzinfo=UTC)
    if locked_until is not None and locked_until > now:
        raise LoginLocked(locked_until)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            trail.record(user.id, "lock", "user", user.id)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user if user.active else None


def end_all_sessions(user: User) -> None:
    """End every session of `user` (after a password reset).

    Sessions are signed cookies, so ending them needs a per-user session version that
    the login loader compares with the one in the cookie. This function is the one
    place to bump it; until that counter exists (branch `sec`) it only records the
    request in the trail, and sessions opened before the reset stay valid until they
    expire (PERMANENT_SESSION_LIFETIME)."""
    version = getattr(user, "session_version", None)
    if isinstance(version, int):
        setattr(user, "session_version", version + 1)  # noqa: B010 - column not yet on main
    trail.record(user.id, "end_sessions", "user", user.id)
