"""Password reset by mail: a signed link that works for one hour and only once.

The token names the user and a fingerprint of their current password hash: setting a
new password changes the hash, so the link (and any other link sent before) stops
working. Asking gives the same answer whether or not the address has an account."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import OutboxMessage, User
from audit_app.services import accounts, trail
from audit_app.services.mail import compose, outbox, settings
from audit_app.services.mail.links import external_url
from audit_app.services.users import check_password

SALT = "audit-app.password-reset"
MAX_AGE = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def token_for(user: User) -> str:
    return str(_serializer().dumps({"u": user.id, "p": _fingerprint(user)}))


def user_of(token: str, *, now: datetime | None = None) -> User | None:
    """The user a live token names; None when it is forged, expired or already used."""
    serializer = _serializer()
    try:
        if now is None:
            data: Any = serializer.loads(token, max_age=MAX_AGE)
        else:
            data, signed = serializer.loads(token, return_timestamp=True)
            if (now - signed).total_seconds() > MAX_AGE:
                return None
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        return None
    return user


def request_reset(email: str) -> OutboxMessage | None:
    """Queue a reset link when the address belongs to an active account (the caller
    answers the same either way). None when there is no such account or mail is off."""
    if not settings.enabled():
        return None
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None or not user.active:
        return None
    url = external_url("password.reset", token=token_for(user))
    trail.record(user.id, "request_password_reset", "user", user.id)
    return outbox.queue(compose.password_reset(user, url), user_id=user.id)


def reset(user: User, password: str) -> None:
    """Set the new password (checked like an administrator's), unlock the account and
    end every session of the user."""
    check_password(password)
    user.password_hash = accounts.hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    accounts.end_all_sessions(user)
    trail.record(user.id, "reset_password", "user", user.id)
    db.session.flush()


def notify_new_user(user: User) -> OutboxMessage | None:
    """Tell a newly created user about their account (nothing when mail is off)."""
    if not settings.enabled():
        return None
    return outbox.queue(compose.new_user(user, external_url("auth.login")), user_id=user.id)
