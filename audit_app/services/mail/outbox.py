"""The outbox: every message is stored first, then sent by whoever runs `send_due`
(`audit-app mail send` from cron, or the RQ worker right after a message is queued).

Sending once, even with two senders at the same time: a sender takes a message with
`UPDATE ... SET status='sending' WHERE id=:id AND status='pending'` and commits before
talking to SMTP; only the sender whose update changed the row sends it. A sender that
dies between claiming and marking leaves the row in `sending`; after `STALE_CLAIM` it
is pending again (it may then go out twice: the only case, and the Message-ID stays
the same so mail programs show it once).

Temporary failures are retried after 5, 10, 20 ... minutes (at most 6 hours apart),
up to MAIL_MAX_ATTEMPTS attempts; permanent ones are marked failed at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import lru_cache
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import CursorResult, func, select, update

from audit_app.extensions import db
from audit_app.models import OutboxMessage
from audit_app.models.base import utcnow
from audit_app.services.mail import settings
from audit_app.services.mail.transport import DeliveryError, SmtpConnection, sender_domain

log = logging.getLogger(__name__)

JOB_FUNCTION = "audit_app.services.mail.outbox.run_job"
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 500


@dataclass(frozen=True)
class Draft:
    """A composed message: what `queue` stores."""

    purpose: str
    recipient: str
    recipient_name: str
    language: str
    subject: str
    body_text: str
    body_html: str
    unsubscribe_url: str = ""


def queue(
    draft: Draft,
    *,
    audit_id: int | None = None,
    respondent_id: int | None = None,
    user_id: int | None = None,
) -> OutboxMessage:
    """Store a message to be sent (the caller commits, then may call `wake_sender`)."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "audit@localhost"
    message = OutboxMessage(
        purpose=draft.purpose,
        recipient=draft.recipient.strip(),
        recipient_name=draft.recipient_name.strip(),
        language=draft.language,
        subject=draft.subject,
        body_text=draft.body_text,
        body_html=draft.body_html,
        unsubscribe_url=draft.unsubscribe_url,
        message_id=make_msgid(domain=sender_domain(sender)),
        audit_id=audit_id,
        respondent_id=respondent_id,
        user_id=user_id,
        status="pending",
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


# --------------------------------------------------------------------------- sending


@dataclass
class SendReport:
    sent: int = 0
    deferred: int = 0  # temporary failure: tried again later
    failed: int = 0  # permanent failure
    taken: int = 0  # claimed by another sender meanwhile

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.deferred} to retry, {self.failed} failed" + (
            f", {self.taken} taken by another sender" if self.taken else ""
        )


def send_due(*, now: datetime | None = None, limit: int = BATCH) -> SendReport:
    """Send every pending message that is due; commits after each message. Raises
    MailOff when mail is not configured."""
    smtp = settings.smtp_settings()
    now = now or utcnow()
    _release_stale_claims(now)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )
    db.session.commit()
    report = SendReport()
    with SmtpConnection(smtp) as connection:
        for message_id in ids:
            if not claim(message_id, now):
                report.taken += 1
                continue
            message = db.session.get(OutboxMessage, message_id)
            assert message is not None  # claimed by us: nobody else changes it
            try:
                connection.send(message)
            except DeliveryError as error:
                _failed_attempt(message, error, now, report)
                db.session.commit()
                if error.connection:
                    break  # the server is unreachable: the rest wait for the next run
                continue
            message.status = "sent"
            message.sent_at = utcnow()
            message.attempts += 1
            message.last_error = ""
            db.session.commit()
            report.sent += 1
    return report


def claim(message_id: int, now: datetime) -> bool:
    """Take a pending message for this sender (committed at once); False when another
    sender has taken it first."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
        .values(status="sending", claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return _rowcount(result) == 1


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
        .values(status="pending")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def retry_delay(attempts: int) -> timedelta:
    """5 minutes after the first failed attempt, doubling, at most LONGEST_RETRY."""
    delay: timedelta = FIRST_RETRY * 2 ** max(0, min(attempts - 1, 16))
    return min(delay, LONGEST_RETRY)


def _failed_attempt(
    message: OutboxMessage, error: DeliveryError, now: datetime, report: SendReport
) -> None:
    message.attempts += 1
    message.last_error = str(error)[:1000]
    limit = int(current_app.config.get("MAIL_MAX_ATTEMPTS") or 10)
    if error.permanent or message.attempts >= limit:
        message.status = "failed"
        report.failed += 1
        log.warning("Mail %s to %s failed: %s", message.id, message.recipient, error)
    else:
        message.status = "pending"
        message.next_attempt_at = now + retry_delay(message.attempts)
        report.deferred += 1


# --------------------------------------------------------------------------- the RQ worker


def wake_sender() -> None:
    """After the caller's commit: with REDIS_URL set, have the worker send at once.
    Without Redis (or when it cannot be reached) the next `audit-app mail send` does."""
    if not (settings.enabled() and current_app.config.get("REDIS_URL")):
        return
    from redis.exceptions import RedisError

    try:
        _queue().enqueue(JOB_FUNCTION, result_ttl=3600, description="send due mail")
    except (RedisError, OSError, ValueError) as error:
        log.warning("Mail queue unavailable (%s); `audit-app mail send` will send", error)


def _queue() -> Any:
    from rq import Queue

    connection = _redis(current_app.config["REDIS_URL"])
    return Queue(current_app.config.get("MAIL_QUEUE") or "mail", connection=connection)


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:
    """One Redis client (and connection pool) per process and URL."""
    from redis import Redis

    return Redis.from_url(url)


def run_job() -> str:
    """The RQ job: send what is due, inside the worker's app (`audit-app worker`), or
    one made for this process (`rq worker`)."""
    if has_app_context():
        return str(send_due())
    from audit_app import create_app

    with create_app().app_context():
        try:
            return str(send_due())
        finally:
            db.session.remove()


# --------------------------------------------------------------------------- reading


def messages(status: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: int(count) for status, count in rows}


def latest_for_respondents(ids: Iterable[int]) -> dict[int, OutboxMessage]:
    """Each respondent's most recent invitation or reminder (for the respondents page)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.respondent_id.in_(wanted))
        .order_by(OutboxMessage.id)
    )
    return {row.respondent_id: row for row in rows if row.respondent_id is not None}
