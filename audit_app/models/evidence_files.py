"""Files attached to audit answers as evidence (a PDF, a photo, an office document).

The row describes the file; its bytes are kept by the evidence store
(services/evidence_store.py) under `storage_key`, outside the database and the web
root. Like contact evidence, a file names the answer by (audit, question), so it may
be attached before the question is answered, and it never changes a score.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.audits import Audit
from audit_app.models.base import utcnow
from audit_app.models.respondents import Respondent
from audit_app.models.users import User


class EvidenceFile(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, made safe
    content_type: Mapped[str] = mapped_column(String(100))  # found from the content
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("respondents.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Deleting an audit deletes its files' rows; the stored bytes follow after the
    # commit (services/evidence_files.py).
    audit: Mapped[Audit] = relationship(
        backref=backref("evidence_files", cascade="all, delete-orphan")
    )
    uploaded_by: Mapped[User | None] = relationship()
    respondent: Mapped[Respondent | None] = relationship()
