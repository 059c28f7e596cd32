"""Accounts: password hashing (argon2), login with lockout, creating users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import LoginAttempt, User
from audit_app.models.users import ROLES
from audit_app.services import trail

_hasher = PasswordHasher()
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
ATTEMPTS_PER_MINUTE = 10  # from one address, whatever the e-mail
KEEP_ATTEMPTS = timedelta(days=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def has_users() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


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


class LoginThrottled(Exception):
    """Too many attempts from one address in the last minute."""


def authenticate(
    email: str, password: str, *, address: str = "", per_minute: int = ATTEMPTS_PER_MINUTE
) -> User | None:
    """The user when the password is right, else None. Every attempt is recorded in
    the database, so all workers count the same: more than `per_minute` from one
    address in a minute raises LoginThrottled; LOCK_AFTER_FAILURES wrong passwords for
    one e-mail address lock it for LOCK_MINUTES (LoginLocked), whether or not an
    account has that address, so the answer tells nobody which accounts exist."""
    email = email.strip().lower()[:254]
    address = address[:64]
    now = datetime.now(UTC)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP_ATTEMPTS))
    recent = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.address == address, LoginAttempt.created_at > now - timedelta(minutes=1)
        )
    )
    if (recent or 0) >= per_minute:
        _attempt(email, address, "throttled")
        raise LoginThrottled()
    until = locked_until(email, now)
    if until is not None:
        _attempt(email, address, "locked")
        raise LoginLocked(until)
    user = db.session.scalar(select(User).filter_by(email=email))
    try:
        if user is None:
            _hasher.hash(password)  # same work either way: no user enumeration by timing
            raise VerificationError()
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        _attempt(email, address, "failed")
        until = locked_until(email, now)
        if until is not None and user is not None:
            trail.record(user.id, "lock", "user", user.id)
        return None
    _attempt(email, address, "ok")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user if user.active else None


def end_all_sessions(user: User) -> None:
    """End every session of `user` (after a password reset by e-mail), in the trail."""
    end_sessions(user)
    trail.record(user.id, "end_sessions", "user", user.id)


def locked_until(email: str, now: datetime) -> datetime | None:
    """When the lock of this e-mail address ends: LOCK_AFTER_FAILURES failures within
    LOCK_MINUTES (since the last success or reset) lock it until LOCK_MINUTES after the
    last of them; attempts while locked are not failures, so the lock does not grow."""
    window = timedelta(minutes=LOCK_MINUTES)
    since = db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.outcome.in_(("ok", "reset"))
        )
    )
    query = select(LoginAttempt.created_at).where(
        LoginAttempt.email == email,
        LoginAttempt.outcome == "failed",
        LoginAttempt.created_at > now - 2 * window,
    )
    if since is not None:
        query = query.where(LoginAttempt.created_at > since)
    failures = [_aware(t) for t in db.session.scalars(query.order_by(LoginAttempt.created_at))]
    if not failures:
        return None
    last = failures[-1]
    in_window = [t for t in failures if t >= last - window]
    if len(in_window) >= LOCK_AFTER_FAILURES and last + window > now:
        return last + window
    return None


def reset_failures(user: User) -> None:
    """A new password starts with a clean slate (and no lock)."""
    _attempt(user.email, "", "reset")


def end_sessions(user: User) -> None:
    """Every session of `user` made before this moment stops working."""
    user.session_version = (user.session_version or 0) + 1


def _attempt(email: str, address: str, outcome: str) -> None:
    db.session.add(LoginAttempt(email=email, address=address, outcome=outcome))
    db.session.flush()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
