"""Mail nobody clicks for, queued by `audit-app mail send` (run it from cron):

* automatic reminders: N days (the audit's setting) after a respondent's invitation
  went out, one reminder to each respondent who has not finished, unless a reminder
  has been sent since the invitation;
* the daily digest: once a day from MAIL_DIGEST_HOUR (local time), to each active
  consultant and administrator with something in it: their overdue follow-ups, those
  due within a week, and the audits they can see where respondents answered or
  finished, or that were submitted, in the last 24 hours.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import (
    Audit,
    AuditMailSettings,
    Organisation,
    OutboxMessage,
    Respondent,
    User,
)
from audit_app.models.base import utcnow
from audit_app.services import access, respondents
from audit_app.services.mail import compose, optouts, outbox
from audit_app.services.mail.links import external_url
from audit_app.services.mail.respondent_mail import send_reminder, unsubscribe_url
from audit_app.services.register.followups import followups_due

DIGEST_ROLES = ("admin", "consultant")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def queue_automatic_reminders(now: datetime | None = None) -> int:
    now = now or utcnow()
    queued = 0
    for setting in db.session.scalars(
        select(AuditMailSettings).where(AuditMailSettings.reminder_days.is_not(None))
    ):
        audit = db.session.get(Audit, setting.audit_id)
        if audit is None or not respondents.is_open(audit):
            continue
        due_before = now - timedelta(days=setting.reminder_days or 0)
        for respondent in _waiting(audit.id):
            if _invited_before(respondent, due_before) and not _reminded_since_invitation(
                respondent
            ):
                try:
                    send_reminder(audit, respondent, None)
                except UserError:
                    continue  # opted out, link ended meanwhile: nothing to remind
                queued += 1
    return queued


def _waiting(audit_id: int) -> list[Respondent]:
    return list(
        db.session.scalars(
            select(Respondent).where(
                Respondent.audit_id == audit_id,
                Respondent.anonymous.is_(False),
                Respondent.email != "",
                Respondent.finished_at.is_(None),
                Respondent.revoked_at.is_(None),
                Respondent.excluded_at.is_(None),
            )
        )
    )


def _invited_before(respondent: Respondent, moment: datetime) -> bool:
    sent = db.session.scalar(
        select(OutboxMessage.sent_at)
        .where(
            OutboxMessage.respondent_id == respondent.id,
            OutboxMessage.purpose == "invitation",
            OutboxMessage.status == "sent",
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return sent is not None and _aware(sent) <= moment


def _reminded_since_invitation(respondent: Respondent) -> bool:
    return (
        db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.respondent_id == respondent.id,
                OutboxMessage.purpose == "reminder",
                OutboxMessage.status != "failed",
            )
        )
        is not None
    )


# --------------------------------------------------------------------------- digest


def queue_digests(now: datetime | None = None) -> int:
    """Queue today's digests; none before MAIL_DIGEST_HOUR (local time, the app's
    time zone), so the first run after it sends them, and a day's run sends one each."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC"))
    if local.hour < int(current_app.config.get("MAIL_DIGEST_HOUR") or 0):
        return 0
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    queued = 0
    for user in db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(DIGEST_ROLES)).order_by(User.id)
    ):
        if optouts.unsubscribed(user.email) or _digest_since(user, start_of_day):
            continue
        content = digest_content(user, now)
        if not content:
            continue
        outbox.queue(
            compose.digest(
                user,
                content,
                external_url("main.dashboard"),
                unsubscribe_url(user.email),
                now,
            ),
            user_id=user.id,
        )
        queued += 1
    return queued


def _digest_since(user: User, moment: datetime) -> bool:
    return (
        db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.user_id == user.id,
                OutboxMessage.purpose == "digest",
                OutboxMessage.created_at >= moment,
            )
        )
        is not None
    )


def digest_content(user: User, now: datetime) -> compose.DigestContent:
    """What the user's digest says, in their language."""
    with force_locale(compose.language_of(user.language)):
        due = followups_due(user, now.date(), limit=50)
        return compose.DigestContent(
            overdue=[_followup_line(f.title, f.due_on, f.organisation) for f in due.overdue],
            upcoming=[_followup_line(f.title, f.due_on, f.organisation) for f in due.upcoming],
            audits=_audit_news(user, now - timedelta(days=1)),
        )


def _followup_line(title: str, due_on: object, organisation: object) -> str:
    line = _("%(title)s, due %(date)s", title=title, date=format_date(due_on, "medium"))
    name = getattr(organisation, "name", "")
    return f"{line} ({name})" if name else line


def _audit_news(user: User, since: datetime) -> list[str]:
    visible = access.visible_organisations(user).with_only_columns(Organisation.id)
    audits = {
        audit.id: audit
        for audit in db.session.scalars(select(Audit).where(Audit.organisation_id.in_(visible)))
    }
    finished: dict[int, int] = defaultdict(int)
    answering: dict[int, int] = defaultdict(int)
    for respondent in db.session.scalars(
        select(Respondent).where(
            Respondent.audit_id.in_(list(audits)), Respondent.last_answer_at >= since
        )
    ):
        if respondent.finished_at is not None and _aware(respondent.finished_at) >= since:
            finished[respondent.audit_id] += 1
        else:
            answering[respondent.audit_id] += 1
    lines = []
    for audit_id, audit in audits.items():
        news = []
        if finished[audit_id]:
            news.append(
                ngettext(
                    "%(num)d respondent finished",
                    "%(num)d respondents finished",
                    finished[audit_id],
                )
            )
        if answering[audit_id]:
            news.append(
                ngettext(
                    "%(num)d respondent is answering",
                    "%(num)d respondents are answering",
                    answering[audit_id],
                )
            )
        if audit.submitted_at is not None and _aware(audit.submitted_at) >= since:
            news.append(_("submitted"))
        if news:
            lines.append(f"{audit.organisation.name}: {', '.join(news)}")
    return sorted(lines)
