from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow

ORGANISATION_TYPES = ("library", "company", "public", "ngo", "other")
SIZES = ("micro", "small", "medium", "large")


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organisations"

    # Peer benchmarks start from the consenting organisations of one type (migration
    # e8b2d4f6a1c3).
    __table_args__ = (
        Index("ix_organisations_type_benchmark_consent", "type", "benchmark_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(20), default="library")
    size: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Whether this organisation's latest submitted audit may join peer benchmarks
    # (anonymously, in groups of at least BENCHMARK_MIN_PEERS).
    benchmark_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Deleted organisations stay recoverable for 30 days, kept out of every list.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    access: Mapped[list[OrganisationAccess]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class OrganisationAccess(db.Model):  # type: ignore[name-defined,misc]
    """A consultant assigned to, or a viewer shared with, an organisation."""

    __tablename__ = "organisation_access"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="access")
