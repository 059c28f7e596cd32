"""Personal API tokens: create (the secret is shown once), authenticate, revoke.

Only the sha256 of a secret is stored. A token acts as its user, with the user's role
and organisation access; a deactivated user's tokens stop working at once.
Services flush and never commit: the request (or CLI command) commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ApiToken, User
from audit_app.services import trail

SECRET_PREFIX = "rat_"  # noqa: S105 - "readiness audit token": easy to spot in logs and secret scanners
PREFIX_LENGTH = len(SECRET_PREFIX) + 8
MAX_NAME = 100
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often, so reading the API does not write every time.
TOUCH_INTERVAL = timedelta(minutes=1)
MAX_ID = 2**31 - 1  # the largest integer key PostgreSQL's INTEGER holds


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# The columns the token list may be sorted by (?sort=); "status" (the default) puts the
# active tokens first, each group newest first.
SORT_COLUMNS: dict[str, Any] = {
    "name": ApiToken.name,
    "created": ApiToken.created_at,
    "last_used": ApiToken.last_used_at,
    "status": ApiToken.revoked_at.is_not(None),
}


def tokens_of(user: User, sort: str = "status", descending: bool = False) -> list[ApiToken]:
    """The user's tokens ordered by one of SORT_COLUMNS (never-used tokens count as the
    earliest use), then newest first, the id breaking ties."""
    column = SORT_COLUMNS.get(sort, SORT_COLUMNS["status"])
    order = column.desc().nulls_last() if descending else column.asc().nulls_first()
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(order, ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret (never stored, shown once)."""
    name = " ".join((name or "").split())
    if not name:
        raise UserError("name_required", field="name")
    if len(name) > MAX_NAME:
        raise UserError("name_too_long", field="name")
    active = db.session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        raise UserError("too_many_tokens", field="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
    )
    db.session.add(token)
    db.session.flush()
    trail.record(user.id, "create", "api_token", token.id, name=name)
    return token, secret


def authenticate(secret: str, *, now: datetime | None = None) -> tuple[User, ApiToken] | None:
    """The token's user when `secret` names an active token of an active user.

    Marks the token as used (at most once per TOUCH_INTERVAL); the caller commits."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    now = now or datetime.now(UTC)
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= TOUCH_INTERVAL:
        token.last_used_at = now
        db.session.flush()
    return user, token


def token_of(user: User, token_id: int) -> ApiToken | None:
    """One of the user's own tokens (None for somebody else's)."""
    if not 0 < token_id <= MAX_ID:
        return None
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    return token


def revoke(user: User, token: ApiToken) -> bool:
    """Revoke one of the user's tokens; False when it was revoked already."""
    if token.user_id != user.id:
        raise UserError("not_allowed")
    if token.revoked_at is not None:
        return False
    token.revoked_at = datetime.now(UTC)
    trail.record(user.id, "revoke", "api_token", token.id, name=token.name)
    db.session.flush()
    return True
