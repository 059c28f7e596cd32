"""Interactions of the contact register linked to audit answers as evidence.

A link names an answer by (audit, question) rather than by the `answers` row, so an
interaction can be linked before the question is answered; it never changes a score.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.audits import Audit
from audit_app.models.base import utcnow
from audit_app.models.register import Interaction
from audit_app.models.users import User


class AnswerEvidence(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "answer_evidence"
    __table_args__ = (UniqueConstraint("audit_id", "question_id", "interaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship()
    interaction: Mapped[Interaction] = relationship()
    linked_by: Mapped[User | None] = relationship()
