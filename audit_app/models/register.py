"""Contact register: people, their e-mails/phones and memberships, interactions,
follow-ups, consents, tags, an append-only change log and CSV import batches.

Organisations live in `models/organisations.py`; what the register adds to them
(normalised name, domain, owner, stay-in-touch cadence, last contact, segment) is a
1:1 `organisation_profiles` row. `*_key` columns hold normalised values used for
search, matching and duplicate detection (see `services/register/text.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.extensions import db
from audit_app.models.base import utcnow
from audit_app.models.organisations import Organisation
from audit_app.models.users import User

CHANNELS = ("in_person", "phone", "email", "video", "chat", "letter", "event")
DIRECTIONS = ("out", "in")
PRIORITIES = ("low", "normal", "high")
FOLLOWUP_STATUSES = ("open", "done", "cancelled")
CONSENT_STATUSES = ("granted", "withdrawn", "not_asked")
LAWFUL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interest",
    "public_interest",
    "legitimate_interest",
)
CONSENT_SOURCES = ("website", "phone", "email", "in_person", "paper", "event", "third_party")
CONSENT_PURPOSES = ("contact", "newsletter", "events", "named_in_report", "research")
SEGMENTS = ("loyal", "regular", "sporadic", "lapsed")

person_tags = Table(
    "person_tags",
    db.metadata,
    Column("person_id", ForeignKey("people.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
organisation_tags = Table(
    "organisation_tags",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
interaction_participants = Table(
    "interaction_participants",
    db.metadata,
    Column("interaction_id", ForeignKey("interactions.id"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
    Index("ix_interaction_participants_person", "person_id", "interaction_id"),
)


class Tag(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60), unique=True)


class ImportBatch(db.Model):  # type: ignore[name-defined,misc]
    """One CSV import that was applied; it can be reverted as a whole."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # people | organisations
    mode: Mapped[str] = mapped_column(String(10))  # create | update | upsert
    filename: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    report: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, deferred=True)
    reverted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class ImportBatchItem(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "import_batch_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(10))  # created | updated
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportUpload(db.Model):  # type: ignore[name-defined,misc]
    """An uploaded CSV waiting for its column mapping (removed once imported)."""

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    filename: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, deferred=True)


class OrganisationProfile(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organisation_profiles"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(300), index=True, default="")
    name_source: Mapped[str] = mapped_column(String(300), default="")  # name when keyed
    domain: Mapped[str | None] = mapped_column(String(253), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    stay_in_touch_days: Mapped[int | None] = mapped_column()
    last_contacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    interaction_count: Mapped[int] = mapped_column(default=0)  # within the segment window
    segment: Mapped[str | None] = mapped_column(String(10), index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User | None] = relationship()


class Person(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_sort", "sort_key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(150), default="")
    sort_key: Mapped[str] = mapped_column(String(300), default="")  # "last first", folded
    name_key: Mapped[str] = mapped_column(String(300), index=True, default="")  # sorted tokens
    search_text: Mapped[str] = mapped_column(Text, default="")
    job_title: Mapped[str | None] = mapped_column(String(200))
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(5))
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_contacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    interaction_count: Mapped[int] = mapped_column(default=0)
    segment: Mapped[str | None] = mapped_column(String(10), index=True)
    stay_in_touch_days: Mapped[int | None] = mapped_column()
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erasure_ref: Mapped[str | None] = mapped_column(String(40))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="(PersonEmail.is_primary.desc(), PersonEmail.id)",
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="(PersonPhone.is_primary.desc(), PersonPhone.id)",
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="(Membership.ended_on.is_not(None), Membership.id)",
    )
    tags: Mapped[list[Tag]] = relationship(secondary=person_tags, order_by=Tag.key)
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def display_name(self) -> str:
        if self.erased_at is not None:
            return f"#{self.id}"
        return " ".join(p for p in (self.first_name, self.last_name) if p) or f"#{self.id}"

    @property
    def primary_email(self) -> PersonEmail | None:
        return self.emails[0] if self.emails else None

    @property
    def primary_phone(self) -> PersonPhone | None:
        return self.phones[0] if self.phones else None


class PersonEmail(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "person_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    opt_out: Mapped[bool] = mapped_column(default=False)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    person: Mapped[Person] = relationship(back_populates="emails")


class PersonPhone(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "person_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    phone: Mapped[str] = mapped_column(String(50))
    phone_key: Mapped[str] = mapped_column(String(20), index=True)  # digits only
    is_primary: Mapped[bool] = mapped_column(default=False)
    opt_out: Mapped[bool] = mapped_column(default=False)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    person: Mapped[Person] = relationship(back_populates="phones")


class Membership(db.Model):  # type: ignore[name-defined,misc]
    """A person's place in an organisation; `ended_on` set when they leave."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_organisation_person", "organisation_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    person: Mapped[Person] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()


class Interaction(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_occurred", "occurred_at", "id"),
        Index("ix_interactions_organisation", "organisation_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10), default="out")
    duration_minutes: Mapped[int | None] = mapped_column()
    subject: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="typed")  # typed | imported
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participants: Mapped[list[Person]] = relationship(
        secondary=interaction_participants, order_by=Person.sort_key
    )
    organisation: Mapped[Organisation | None] = relationship()
    logged_by: Mapped[User | None] = relationship()


class Followup(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "followups"
    __table_args__ = (
        Index("ix_followups_assignee_due", "assignee_id", "status", "due_on"),
        Index("ix_followups_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(10), default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # manual | stay_in_touch
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()
    interaction: Mapped[Interaction | None] = relationship()


class Consent(db.Model):  # type: ignore[name-defined,misc]
    """One recorded consent decision (append-only: a change is a new row)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    erasure_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    purpose: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str | None] = mapped_column(String(20))
    lawful_basis: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    review_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    recorded_by: Mapped[User | None] = relationship()


class ChangeLog(db.Model):  # type: ignore[name-defined,misc]
    """Append-only: who changed which fields of which record ({field: [old, new]})."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User | None] = relationship()


@event.listens_for(ChangeLog, "before_update")
@event.listens_for(ChangeLog, "before_delete")
def _append_only(*_: Any) -> None:
    """The ORM never changes a log entry; GDPR erasure redacts values with one
    explicit UPDATE statement (services/register/gdpr.py)."""
    raise RuntimeError("change_log is append-only")


class RegisterState(db.Model):  # type: ignore[name-defined,misc]
    """Small key/value facts, e.g. the day and thresholds segments were computed for."""

    __tablename__ = "register_state"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")
