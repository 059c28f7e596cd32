"""Several respondents per audit: invitation links, their answers, the collection state.

* `RespondentCollection` (one per audit, created on first use): whether collection is
  closed, and which role the consultant's own answers (the audit's `answers`) count as.
* `RespondentLink`: a shared link for one role (anyone with it can answer, anonymously);
  each person who starts from it becomes a `Respondent` of their own.
* `Respondent`: one person's answer set, reached through a signed personal link
  (the token names the row and its `nonce`; revoking or expiry ends the link).
* `RespondentAnswer`: like `Answer`, but belonging to a respondent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.answer_columns import AnswerColumns
from audit_app.models.base import utcnow

CONSULTANT_ROLE = "consultant"


class RespondentCollection(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "respondent_collections"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    consultant_role: Mapped[str] = mapped_column(String(50), default=CONSULTANT_ROLE)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RespondentLink(db.Model):  # type: ignore[name-defined,misc]
    """A shared, anonymous link for one role (and optionally one department)."""

    __tablename__ = "respondent_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    role: Mapped[str] = mapped_column(String(50))
    department: Mapped[str] = mapped_column(String(200), default="")
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="link", order_by="Respondent.id"
    )


class Respondent(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "respondents"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("respondent_links.id"), index=True)
    role: Mapped[str] = mapped_column(String(50))
    department: Mapped[str] = mapped_column(String(200), default="")
    # Empty for anonymous respondents (those who came through a shared link).
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_answer_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    excluded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    excluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exclusion_reason: Mapped[str] = mapped_column(Text, default="")

    link: Mapped[RespondentLink | None] = relationship(back_populates="respondents")
    answers: Mapped[list[RespondentAnswer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan"
    )


class RespondentAnswer(AnswerColumns, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "respondent_answers"
    owner_column = "respondent_id"

    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), index=True)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")
