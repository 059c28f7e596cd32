from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow
from audit_app.services.textsearch import normalise_name

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
    # Name and city folded for search (`search_key_of`), kept in step on every insert and
    # update: the search compares it with LIKE instead of folding every row per query.
    search_key: Mapped[str] = mapped_column(String(600), default="", server_default="", index=True)
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


def search_key_of(name: str | None, city: str | None) -> str:
    """The folded name and city, on two lines so that a search never spans both."""
    return f"{normalise_name(name or '')}\n{normalise_name(city or '')}"


@event.listens_for(Organisation, "before_insert")
@event.listens_for(Organisation, "before_update")
def _keep_search_key(_mapper: Any, _connection: Any, organisation: Organisation) -> None:
    organisation.search_key = search_key_of(organisation.name, organisation.city)
