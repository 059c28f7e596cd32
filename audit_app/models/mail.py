"""E-mail: the outbox every message goes through, opt-outs, per-audit reminder settings.

* `OutboxMessage`: one message, stored complete (subject, text and HTML bodies in the
  recipient's language) before anything is sent; a sender claims it (pending ->
  sending), then marks it sent, pending again with a later `next_attempt_at`
  (temporary failure) or failed (permanent failure, or too many attempts).
* `MailOptOut`: an address that asked for no more optional mail (invitations,
  reminders, digests), through the List-Unsubscribe link.
* `AuditMailSettings`: per audit, the days after an invitation when an automatic
  reminder goes to those who have not finished (none: no automatic reminder).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from audit_app.extensions import db
from audit_app.models.base import utcnow

MAIL_PURPOSES = ("invitation", "reminder", "digest", "password_reset", "new_user")
MAIL_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Reminders and digests: the unsubscribe page (List-Unsubscribe header).
    unsubscribe_url: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(300))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"), index=True)
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("respondents.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailOptOut(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "mail_opt_outs"

    email_key: Mapped[str] = mapped_column(String(254), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditMailSettings(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "audit_mail_settings"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    reminder_days: Mapped[int | None] = mapped_column()
