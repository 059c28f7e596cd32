"""Invitations and reminders to respondents by mail, and each audit's automatic
reminder setting. The personal link comes from services.respondents (`token_for`);
a reminder goes in the language of the respondent's invitation."""

from __future__ import annotations

from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, AuditMailSettings, OutboxMessage, Respondent, User
from audit_app.services import respondents, trail
from audit_app.services.mail import compose, optouts, outbox, settings
from audit_app.services.mail.links import external_url

REMINDER_DAYS = (3, 5, 7, 10, 14)


def _personal_url(respondent: Respondent) -> str:
    return external_url("respond.show", token=respondents.token_for(respondent))


def unsubscribe_url(email: str) -> str:
    return external_url("mail.unsubscribe", token=optouts.token_for(email))


def _check_can_mail(respondent: Respondent) -> None:
    """Raises UserError with the reason this respondent cannot be e-mailed."""
    if not settings.enabled():
        raise UserError("mail_off")
    if respondent.anonymous or not respondent.email:
        raise UserError("no_email", field="email")
    if respondents.status_of_link(respondent) != "active":
        raise UserError("link_gone")
    if optouts.opted_out(respondent.email):
        raise UserError("opted_out", field="email")


def send_invitation(audit: Audit, respondent: Respondent, lang: str) -> OutboxMessage:
    _check_can_mail(respondent)
    message = outbox.queue(
        compose.invitation(audit, respondent, _personal_url(respondent), lang),
        audit_id=audit.id,
        respondent_id=respondent.id,
    )
    trail.record(
        respondent.created_by_id, "mail_invitation", "respondent", respondent.id, lang=lang
    )
    return message


def send_reminder(audit: Audit, respondent: Respondent, user: User | None) -> OutboxMessage:
    _check_can_mail(respondent)
    if respondent.finished_at is not None:
        raise UserError("finished")
    message = outbox.queue(
        compose.invitation(
            audit,
            respondent,
            _personal_url(respondent),
            language_of(respondent),
            reminder=True,
            unsubscribe_url=unsubscribe_url(respondent.email),
        ),
        audit_id=audit.id,
        respondent_id=respondent.id,
    )
    trail.record(
        user.id if user else None,
        "mail_reminder",
        "respondent",
        respondent.id,
        automatic=user is None,
    )
    return message


def language_of(respondent: Respondent) -> str:
    """The language of the respondent's first invitation (Polish when never mailed)."""
    found = db.session.scalar(
        select(OutboxMessage.language)
        .where(
            OutboxMessage.respondent_id == respondent.id,
            OutboxMessage.purpose == "invitation",
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return compose.language_of(found)


def reminder_days(audit: Audit) -> int | None:
    found = db.session.get(AuditMailSettings, audit.id)
    return found.reminder_days if found else None


def set_reminder_days(audit: Audit, days: int | None, user: User) -> None:
    if days is not None and days not in REMINDER_DAYS:
        raise UserError("bad_reminder_days", field="reminder_days")
    found = db.session.get(AuditMailSettings, audit.id)
    if found is None:
        found = AuditMailSettings(audit_id=audit.id)
        db.session.add(found)
    if found.reminder_days != days:
        trail.record(
            user.id, "set_reminder_days", "audit", audit.id, old=found.reminder_days, new=days
        )
        found.reminder_days = days
    db.session.flush()
