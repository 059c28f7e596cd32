"""The columns every stored answer has, whoever gave it: the consultant's (`answers`)
and an invited respondent's (`respondent_answers`). Each model adds the key of its
owner and its own extras; the schema is the migrations' (unchanged by this mixin)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from audit_app.models.base import utcnow


class AnswerColumns:
    """Mixed into both answer models. The sort orders keep each table's column order
    (id, owner key, these, the model's extras): backups compare it."""

    owner_column: ClassVar[str]  # the owner's key: "audit_id", "respondent_id"

    if TYPE_CHECKING:  # the models' constructor (db.Model's) takes columns as keywords

        def __init__(self, **columns: Any) -> None: ...

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        # One answer per question of each owner.
        return (UniqueConstraint(cls.owner_column, "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    # Incremented on every save; a save based on an older revision is a conflict.
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
