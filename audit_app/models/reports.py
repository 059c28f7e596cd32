"""Issued report PDFs (an unchangeable archive) and read-only share links to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow
from audit_app.models.users import User


class IssuedReport(db.Model):  # type: ignore[name-defined,misc]
    """A PDF exactly as it was handed out: when, by whom, from which data.

    `pdf` holds the bytes as issued (their sha256 in `sha256`); `context` holds the
    plain JSON the report was rendered from. Rows are never changed once written, except
    by an erasure (GDPR), which re-renders them without the person (`archive.rerender`).
    """

    __tablename__ = "issued_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    # The other audit of a progress report (the earlier one, usually).
    compare_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    design: Mapped[str] = mapped_column(String(30))
    lang: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10), default="web")  # web | cli
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column()
    pages: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)

    created_by: Mapped[User | None] = relationship()
    share_links: Mapped[list[ShareLink]] = relationship(
        back_populates="report", order_by="ShareLink.created_at"
    )


class ShareLink(db.Model):  # type: ignore[name-defined,misc]
    """A signed, expiring, revocable read-only link to one issued report."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("issued_reports.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A random value inside the signed token: a token names exactly one link.
    nonce: Mapped[str] = mapped_column(String(32))
    opened: Mapped[int] = mapped_column(default=0)
    last_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    report: Mapped[IssuedReport] = relationship(back_populates="share_links")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
