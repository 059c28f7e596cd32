"""The JSON API: personal access tokens and report requests (rendered in the background).

A token is shown to its owner once; only its sha256 is stored, so a copy of the database
does not give access. A report request tracks one PDF being rendered, in the web process
or by a worker, until it is archived as an `IssuedReport`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow
from audit_app.models.users import User

REPORT_REQUEST_STATUSES = ("queued", "started", "finished", "failed")


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, shown in lists so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ReportRequest(db.Model):  # type: ignore[name-defined,misc]
    """A report PDF asked for through the API or the web page (with a queue): queued,
    started, finished or failed."""

    __tablename__ = "report_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    compare_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    design: Mapped[str] = mapped_column(String(30))
    lang: Mapped[str] = mapped_column(String(5))
    # Where it was asked for (web | api), kept as the archived report's channel.
    channel: Mapped[str] = mapped_column(String(10), default="api", server_default="api")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(64))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("issued_reports.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    requested_by: Mapped[User | None] = relationship()
