"""Consent per person and purpose: lawful basis, source, granted / withdrawn / not
asked, who recorded it and when, review date. Append-only: a change is a new row,
so the history is the proof."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Consent, Person, User
from audit_app.models.register import (
    CHANNELS,
    CONSENT_PURPOSES,
    CONSENT_SOURCES,
    CONSENT_STATUSES,
    LAWFUL_BASES,
)
from audit_app.services.register import changelog


@dataclass
class ConsentInput:
    purpose: str
    lawful_basis: str
    source: str
    status: str
    channel: str = ""
    review_on: date | None = None
    note: str = ""


def record(user: User, person: Person, data: ConsentInput) -> Consent:
    if data.purpose not in CONSENT_PURPOSES:
        raise UserError("unknown_purpose", field="purpose")
    if data.lawful_basis not in LAWFUL_BASES:
        raise UserError("unknown_basis", field="lawful_basis")
    if data.source not in CONSENT_SOURCES:
        raise UserError("unknown_source", field="source")
    if data.status not in CONSENT_STATUSES:
        raise UserError("unknown_status", field="status")
    if data.channel and data.channel not in CHANNELS:
        raise UserError("unknown_channel", field="channel")
    previous = current(person).get((data.purpose, data.channel or None))
    consent = Consent(
        person_id=person.id,
        purpose=data.purpose,
        channel=data.channel or None,
        lawful_basis=data.lawful_basis,
        source=data.source,
        status=data.status,
        recorded_by_id=user.id,
        review_on=data.review_on,
        note=data.note.strip(),
    )
    db.session.add(consent)
    db.session.flush()
    changelog.record(
        user.id,
        "person",
        person.id,
        "consent",
        {
            f"consent:{data.purpose}" + (f":{data.channel}" if data.channel else ""): [
                previous.status if previous else None,
                data.status,
            ],
        },
    )
    return consent


def history(person: Person) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.person_id == person.id)
            .order_by(Consent.recorded_at.desc(), Consent.id.desc())
        )
    )


def current(person: Person) -> dict[tuple[str, str | None], Consent]:
    """The latest decision per (purpose, channel)."""
    latest: dict[tuple[str, str | None], Consent] = {}
    for consent in reversed(history(person)):
        latest[(consent.purpose, consent.channel)] = consent
    return dict(sorted(latest.items(), key=lambda item: (item[0][0], item[0][1] or "")))
