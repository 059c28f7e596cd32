"""Links that need no account: share links to a report, respondents' links to an audit.

A link is a token signed with the app's SECRET_KEY (itsdangerous, one salt per kind of
link) naming one row by id and its random `nonce`; the row makes it revocable and holds
its expiry. A token that was altered, or names a row that does not exist or no longer
carries that nonce, is not found; a real link whose time is up, or that was revoked, is
gone. Tokens are signed at a given moment (`clock`), so a link can be shown again
unchanged (signed at the row's creation) and tests can move time forward.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class LinkNotFound(Exception):  # noqa: N818 - named after what the page answers (404)
    """Tampered, malformed or unknown token."""


class LinkGone(Exception):  # noqa: N818 - the page answers 410
    """A real link that expired, was revoked, or whose purpose is over."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" | "revoked" | "submitted" | "closed"


class LinkRow(Protocol):
    """What a row behind a link carries."""

    nonce: str
    expires_at: datetime
    revoked_at: datetime | None


def new_nonce() -> str:
    return secrets.token_hex(16)


def _serializer(salt: str, clock: Clock) -> URLSafeTimedSerializer:
    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=ClockSigner)


def sign(salt: str, payload: dict[str, Any], *, clock: Clock = utcnow) -> str:
    return str(_serializer(salt, clock).dumps(payload))


def read(salt: str, token: str, *, max_age: int, clock: Clock = utcnow) -> dict[str, Any]:
    """The token's payload; LinkGone("expired") past `max_age` seconds, else
    LinkNotFound for anything that is not a token of ours."""
    try:
        data: Any = _serializer(salt, clock).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkGone("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise LinkNotFound() from None
    if not isinstance(data, dict):
        raise LinkNotFound()
    return data


def check(row: LinkRow | None, data: dict[str, Any], *, clock: Clock = utcnow) -> None:
    """The row is the one the token names (same nonce), not revoked, not expired."""
    if row is None or not secrets.compare_digest(row.nonce, str(data.get("n", ""))):
        raise LinkNotFound()
    if row.revoked_at is not None:
        raise LinkGone("revoked")
    if clock() >= aware(row.expires_at):
        raise LinkGone("expired")
