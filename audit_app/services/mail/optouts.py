"""Who must not get optional mail (invitations, reminders, digests): addresses that
unsubscribed through a List-Unsubscribe link, and contacts whose e-mail address is
marked as opted out in the contact register. Password resets and account notices are
always sent: the person asked for them or needs them."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import MailOptOut, PersonEmail
from audit_app.services.register.text import email_key

SALT = "audit-app.unsubscribe"
OPTIONAL = ("invitation", "reminder", "digest")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(email: str) -> str:
    """The unsubscribe token of an address (no expiry: old mail must keep working)."""
    return str(_serializer().dumps(email_key(email)))


def email_of(token: str) -> str | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def opt_out(email: str) -> None:
    key = email_key(email)
    if db.session.get(MailOptOut, key) is None:
        db.session.add(MailOptOut(email_key=key))
        db.session.flush()


def opt_back_in(email: str) -> None:
    found = db.session.get(MailOptOut, email_key(email))
    if found is not None:
        db.session.delete(found)
        db.session.flush()


def unsubscribed(email: str) -> bool:
    return db.session.get(MailOptOut, email_key(email)) is not None


def opted_out(email: str) -> bool:
    """Unsubscribed here, or marked as not to be e-mailed in the contact register."""
    key = email_key(email)
    if unsubscribed(email):
        return True
    return (
        db.session.scalar(
            select(PersonEmail.id).where(PersonEmail.email_key == key, PersonEmail.opt_out)
        )
        is not None
    )
