"""Read-only share links to an issued report, for leadership without an account.

A link is a token signed with the app's SECRET_KEY (itsdangerous) naming one
`ShareLink` row. It stops working when its days are up (checked twice: the token's
signed timestamp with `max_age`, and the row's `expires_at`) or when it is revoked.
A token that was altered or was never issued is simply not found.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from audit_app.extensions import db
from audit_app.models import IssuedReport, ShareLink, User
from audit_app.services import trail

SALT = "audit-app.report-share-link"
SHARE_DAYS = (3, 7, 14, 30, 90)
DEFAULT_DAYS = 14

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ShareLinkNotFound(Exception):
    """Tampered, malformed or unknown token (the page answers 404)."""


class ShareLinkGone(Exception):
    """A real link that has expired or was revoked (the page answers 410)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" | "revoked"


def _serializer(clock: Clock) -> URLSafeTimedSerializer:
    """A serializer whose timestamps come from `clock` (tests move time forward)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def create_link(
    report: IssuedReport, days: int, user: User | None, *, clock: Clock = _utcnow
) -> tuple[ShareLink, str]:
    if days not in SHARE_DAYS:
        raise ValueError(f"days must be one of {SHARE_DAYS}")
    now = clock()
    link = ShareLink(
        report_id=report.id,
        created_at=now,
        created_by_id=user.id if user else None,
        expires_at=now + timedelta(days=days),
        nonce=secrets.token_hex(16),
    )
    db.session.add(link)
    db.session.flush()
    trail.record(
        user.id if user else None,
        "share_report",
        "issued_report",
        report.id,
        link_id=link.id,
        days=days,
        expires_at=link.expires_at.isoformat(),
    )
    return link, token_for(link, clock=clock)


def token_for(link: ShareLink, *, clock: Clock = _utcnow) -> str:
    return str(_serializer(clock).dumps({"l": link.id, "n": link.nonce}))


def resolve(token: str, *, clock: Clock = _utcnow) -> ShareLink:
    """The live link a token names; raises ShareLinkNotFound or ShareLinkGone."""
    serializer = _serializer(clock)
    try:
        data: Any = serializer.loads(token, max_age=max(SHARE_DAYS) * 86400)
    except SignatureExpired:
        raise ShareLinkGone("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise ShareLinkNotFound() from None
    if not isinstance(data, dict) or not isinstance(data.get("l"), int):
        raise ShareLinkNotFound()
    link = db.session.get(ShareLink, data["l"])
    if link is None or not secrets.compare_digest(link.nonce, str(data.get("n", ""))):
        raise ShareLinkNotFound()
    # The token's own age, against the days this link was created for.
    lifetime = (_aware(link.expires_at) - _aware(link.created_at)).total_seconds()
    try:
        serializer.loads(token, max_age=int(lifetime))
    except SignatureExpired:
        raise ShareLinkGone("expired") from None
    if link.revoked_at is not None:
        raise ShareLinkGone("revoked")
    if clock() >= _aware(link.expires_at):
        raise ShareLinkGone("expired")
    return link


def record_opened(link: ShareLink, *, clock: Clock = _utcnow) -> None:
    link.opened = (link.opened or 0) + 1
    link.last_opened_at = clock()
    db.session.flush()


def revoke(link: ShareLink, user: User | None, *, clock: Clock = _utcnow) -> None:
    if link.revoked_at is not None:
        return
    link.revoked_at = clock()
    link.revoked_by_id = user.id if user else None
    trail.record(
        user.id if user else None, "revoke_share", "issued_report", link.report_id, link_id=link.id
    )
    db.session.flush()


def status(link: ShareLink, *, clock: Clock = _utcnow) -> str:
    """ "active", "expired" or "revoked", for lists."""
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if clock() >= _aware(link.expires_at) else "active"


__all__ = [
    "SHARE_DAYS",
    "ShareLinkGone",
    "ShareLinkNotFound",
    "create_link",
    "record_opened",
    "resolve",
    "revoke",
    "status",
    "token_for",
]
