from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.answer_columns import AnswerColumns
from audit_app.models.base import utcnow
from audit_app.models.organisations import Organisation

AUDIT_STATUSES = ("in_progress", "submitted")
ACTION_STATUSES = ("todo", "in_progress", "done", "dropped")


class QuestionnaireVersion(db.Model):  # type: ignore[name-defined,misc]
    """The exact YAML an audit was answered with; never changed once stored."""

    __tablename__ = "questionnaire_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text, deferred=True)  # read when first parsed
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audit(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Frozen at submission: the scoring result as JSON, plus the headline numbers.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    overall: Mapped[float | None] = mapped_column()
    verdict: Mapped[str | None] = mapped_column(String(20))
    # Deleted audits stay recoverable for 30 days, kept out of every list.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="audit", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="audit", cascade="all, delete-orphan"
    )


class Answer(AnswerColumns, db.Model):  # type: ignore[name-defined,misc]
    """The consultant's own answer to one question of an audit."""

    __tablename__ = "answers"
    owner_column = "audit_id"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    # After the shared answer columns, where the table has it.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), sort_order=1)

    audit: Mapped[Audit] = relationship(back_populates="answers")


class Action(db.Model):  # type: ignore[name-defined,misc]
    """A recommendation turned into work: owner, due date, status."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    recommendation_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="todo")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship(back_populates="actions")


class AuditSectionScore(db.Model):  # type: ignore[name-defined,misc]
    """One area's score of a submitted audit, written at submission, so benchmarks and
    history aggregate in SQL instead of re-reading every frozen result."""

    __tablename__ = "audit_section_scores"
    # Benchmarks read the scores from the index alone (migration e8b2d4f6a1c3).
    __table_args__ = (
        Index("ix_audit_section_scores_audit_section_score", "audit_id", "section_id", "score"),
    )

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True
    )
    section_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)


class AuditStartArea(db.Model):  # type: ignore[name-defined,misc]
    """The area a submitted audit's result model names as where to start (None when no
    area is scored), written at submission with its recommendation ids, so a campaign
    counts them in SQL instead of building every member's result model. A row exists
    for every audit whose priorities are stored (services/audit_priorities.py)."""

    __tablename__ = "audit_start_areas"

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True
    )
    section_id: Mapped[str | None] = mapped_column(String(100))


class AuditRecommendationId(db.Model):  # type: ignore[name-defined,misc]
    """One recommendation of a submitted audit's result model (each id once)."""

    __tablename__ = "audit_recommendation_ids"

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True
    )
    recommendation_id: Mapped[str] = mapped_column(String(100), primary_key=True)
