"""Campaigns: a network (or a consultancy) running one questionnaire across its members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow
from audit_app.models.organisations import Organisation


class Campaign(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The one user (besides administrators) who sees the campaign's pages: its creator
    # until an administrator names another.
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What members are told the organiser may see; shown to their editors.
    terms: Mapped[str] = mapped_column(Text, default="")
    # Joining means consenting to anonymous peer benchmarks (organisations.benchmark_consent).
    terms_include_benchmarks: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    members: Mapped[list[CampaignMember]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class CampaignMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "campaign_members"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Chosen by the member's own editors: the organiser then sees this member's results.
    shares_results: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the organiser last sent this member a reminder by e-mail (None: never).
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship()
