"""Read-only share links to an issued report, for leadership without an account.

A link is a token signed with the app's SECRET_KEY (itsdangerous) naming one
`ShareLink` row. It stops working when its days are up (checked twice: the token's
signed timestamp with `max_age`, and the row's `expires_at`) or when it is revoked.
A token that was altered or was never issued is simply not found.
"""

from __future__ import annotations

from datetime import timedelta

from audit_app.extensions import db
from audit_app.models import IssuedReport, ShareLink, User
from audit_app.services import signed_links, trail
from audit_app.services.signed_links import Clock, aware, utcnow

SALT = "audit-app.report-share-link"
SHARE_DAYS = (3, 7, 14, 30, 90)
DEFAULT_DAYS = 14


def create_link(
    report: IssuedReport, days: int, user: User | None, *, clock: Clock = utcnow
) -> tuple[ShareLink, str]:
    if days not in SHARE_DAYS:
        raise ValueError(f"days must be one of {SHARE_DAYS}")
    now = clock()
    link = ShareLink(
        report_id=report.id,
        created_at=now,
        created_by_id=user.id if user else None,
        expires_at=now + timedelta(days=days),
        nonce=signed_links.new_nonce(),
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


def token_for(link: ShareLink, *, clock: Clock = utcnow) -> str:
    return signed_links.sign(SALT, {"l": link.id, "n": link.nonce}, clock=clock)


def resolve(token: str, *, clock: Clock = utcnow) -> ShareLink:
    """The live link a token names; raises signed_links.LinkNotFound or LinkGone."""
    data = signed_links.read(SALT, token, max_age=max(SHARE_DAYS) * 86400, clock=clock)
    link = db.session.get(ShareLink, data["l"]) if isinstance(data.get("l"), int) else None
    if link is None:
        raise signed_links.LinkNotFound()
    # The token's own age, against the days this link was created for.
    lifetime = (aware(link.expires_at) - aware(link.created_at)).total_seconds()
    signed_links.read(SALT, token, max_age=int(lifetime), clock=clock)
    signed_links.check(link, data, clock=clock)
    return link


def record_opened(link: ShareLink, *, clock: Clock = utcnow) -> None:
    link.opened = (link.opened or 0) + 1
    link.last_opened_at = clock()
    db.session.flush()


def revoke(link: ShareLink, user: User | None, *, clock: Clock = utcnow) -> None:
    if link.revoked_at is not None:
        return
    link.revoked_at = clock()
    link.revoked_by_id = user.id if user else None
    trail.record(
        user.id if user else None, "revoke_share", "issued_report", link.report_id, link_id=link.id
    )
    db.session.flush()


def status(link: ShareLink, *, clock: Clock = utcnow) -> str:
    """ "active", "expired" or "revoked", for lists."""
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if clock() >= aware(link.expires_at) else "active"


__all__ = [
    "SHARE_DAYS",
    "create_link",
    "record_opened",
    "resolve",
    "revoke",
    "status",
    "token_for",
]
