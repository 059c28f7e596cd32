"""GDPR (RODO): everything held on one person (for a subject access request) and
erasure by anonymisation. Erasure is irreversible: names, e-mails, phones, notes,
tags and memberships go; interactions stay (dates, channels, counts) with the
person's name, e-mails and phones cut out of their texts (texts of interactions
with nobody else are cleared); consents stay as proof, linked to an erasure
reference instead of the person; the change log keeps who changed what and when,
with the values replaced."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import select, update

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import (
    ChangeLog,
    Consent,
    Followup,
    ImportBatch,
    ImportBatchItem,
    Interaction,
    Person,
)
from audit_app.models.base import utcnow
from audit_app.models.register import interaction_participants
from audit_app.services import trail
from audit_app.services.register import changelog, consents
from audit_app.services.register.changelog import plain
from audit_app.services.register.erased_reports import redact_reports
from audit_app.services.register.stats import as_utc
from audit_app.services.register.text import normalise_name

ERASED = "[…]"


def _interactions(person: Person) -> list[Interaction]:
    return list(
        db.session.scalars(
            select(Interaction)
            .where(
                Interaction.id.in_(
                    select(interaction_participants.c.interaction_id).where(
                        interaction_participants.c.person_id == person.id
                    )
                )
            )
            .order_by(Interaction.occurred_at.desc())
        )
    )


def export_person(person: Person) -> dict[str, Any]:
    """Everything the register holds on the person, as plain JSON-ready values."""
    followups = db.session.scalars(
        select(Followup).where(Followup.person_id == person.id).order_by(Followup.due_on)
    )
    data: dict[str, Any] = plain(
        {
            "exported_at": utcnow(),
            "person": {
                "id": person.id,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "job_title": person.job_title,
                "preferred_channel": person.preferred_channel,
                "language": person.language,
                "notes": person.notes,
                "owner": person.owner.name if person.owner else None,
                "stay_in_touch_days": person.stay_in_touch_days,
                "created_at": as_utc(person.created_at),
                "updated_at": as_utc(person.updated_at),
                "last_contacted_at": as_utc(person.last_contacted_at),
                "segment": person.segment,
            },
            "emails": [
                {"email": e.email, "primary": e.is_primary, "opt_out": e.opt_out}
                for e in person.emails
            ],
            "phones": [
                {"phone": p.phone, "primary": p.is_primary, "opt_out": p.opt_out}
                for p in person.phones
            ],
            "tags": [t.name for t in person.tags],
            "memberships": [
                {
                    "organisation": m.organisation.name,
                    "role": m.role,
                    "started_on": m.started_on,
                    "ended_on": m.ended_on,
                }
                for m in person.memberships
            ],
            "interactions": [
                {
                    "occurred_at": as_utc(i.occurred_at),
                    "channel": i.channel,
                    "direction": i.direction,
                    "duration_minutes": i.duration_minutes,
                    "subject": i.subject,
                    "summary": i.summary,
                    "outcome": i.outcome,
                    "organisation": i.organisation.name if i.organisation else None,
                    "logged_by": i.logged_by.name if i.logged_by else None,
                    "source": i.source,
                }
                for i in _interactions(person)
            ],
            "followups": [
                {
                    "title": f.title,
                    "due_on": f.due_on,
                    "status": f.status,
                    "priority": f.priority,
                    "notes": f.notes,
                }
                for f in followups
            ],
            "consents": [
                {
                    "purpose": c.purpose,
                    "channel": c.channel,
                    "lawful_basis": c.lawful_basis,
                    "source": c.source,
                    "status": c.status,
                    "recorded_at": as_utc(c.recorded_at),
                    "recorded_by": c.recorded_by.name if c.recorded_by else None,
                    "review_on": c.review_on,
                    "note": c.note,
                }
                for c in consents.history(person)
            ],
            "change_log": [
                {
                    "at": as_utc(e.at),
                    "user": e.user.name if e.user else None,
                    "action": e.action,
                    "changes": e.changes,
                    "note": e.note,
                }
                for e in changelog.history("person", person.id, limit=10_000)
            ],
        }
    )
    return data


def confirmation_matches(person: Person, typed: str) -> bool:
    wanted = normalise_name(f"{person.first_name} {person.last_name}")
    return bool(wanted) and normalise_name(typed) == wanted


def _redactor(person: Person, replacement: str = ERASED) -> Any:
    tokens = {
        person.first_name,
        person.last_name,
        f"{person.first_name} {person.last_name}",
        f"{person.last_name} {person.first_name}",
    }
    tokens |= {e.email for e in person.emails} | {p.phone for p in person.phones}
    tokens = {t.strip() for t in tokens if len(t.strip()) >= 2}
    if not tokens:
        return lambda value: value
    # whole words only: erasing "Ewa" must not turn "ewaluacja" into "[…]luacja"
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def redact(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(replacement, value)
        if isinstance(value, list):
            return [redact(v) for v in value]
        if isinstance(value, dict):
            return {k: redact(v) for k, v in value.items()}
        return value

    return redact


def _erased_values(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [None if v is None else ERASED for v in (pair if isinstance(pair, list) else [pair])]
        for k, pair in changes.items()
    }


def erase(user: Any, person: Person, typed_name: str) -> tuple[str, int]:
    """Anonymise the person; returns the erasure reference kept on consents and how
    many archived reports were re-rendered with the pseudonym instead of them."""
    if person.erased_at is not None:
        raise UserError("already_erased")
    if not confirmation_matches(person, typed_name):
        raise UserError("confirmation_mismatch", field="confirm_name")
    ref = "ERASED:" + secrets.token_hex(8)
    redact = _redactor(person)
    in_reports = _redactor(person, f"#{person.id}")  # the name the register shows now
    person_ids = {person.id} | {
        int(entry.changes["merged_from"][0])
        for entry in db.session.scalars(
            select(ChangeLog).where(
                ChangeLog.object_type == "person",
                ChangeLog.object_id == person.id,
                ChangeLog.action == "merge",
            )
        )
        if isinstance(entry.changes.get("merged_from"), list)
    }
    for entry in list(
        db.session.scalars(
            select(ChangeLog).where(
                ChangeLog.object_type == "person", ChangeLog.object_id.in_(person_ids)
            )
        )
    ):
        db.session.execute(
            update(ChangeLog)
            .where(ChangeLog.id == entry.id)
            .values(changes=_erased_values(entry.changes), note=redact(entry.note))
        )
    for interaction in _interactions(person):
        alone = len(interaction.participants) == 1
        for name in ("subject", "summary", "outcome"):
            setattr(interaction, name, "" if alone else redact(getattr(interaction, name)))
        _redact_log("interaction", interaction.id, redact)
    for followup in list(
        db.session.scalars(select(Followup).where(Followup.person_id == person.id))
    ):
        followup.title, followup.notes = redact(followup.title) or ERASED, redact(followup.notes)
        _redact_log("followup", followup.id, redact)
    db.session.execute(
        update(Consent)
        .where(Consent.person_id == person.id)
        .values(person_id=None, erasure_ref=ref)
    )
    batch_ids = set(
        db.session.scalars(
            select(ImportBatchItem.batch_id).where(
                ImportBatchItem.object_type == "person", ImportBatchItem.object_id == person.id
            )
        )
    )
    db.session.execute(
        update(ImportBatchItem)
        .where(ImportBatchItem.object_type == "person", ImportBatchItem.object_id == person.id)
        .values(before={}, after={})
    )
    for batch in db.session.scalars(select(ImportBatch).where(ImportBatch.id.in_(batch_ids))):
        batch.report = [
            {**row, "label": ""} if row.get("object_id") == person.id else row
            for row in batch.report
        ]
    person.emails, person.phones, person.tags = [], [], []
    for membership in list(person.memberships):
        db.session.delete(membership)
    db.session.flush()
    db.session.expire(person, ["memberships"])
    person.first_name = person.last_name = person.notes = person.search_text = ""
    person.name_key, person.sort_key = "", "~"
    person.job_title = person.preferred_channel = person.language = None
    person.stay_in_touch_days = None
    person.erased_at, person.erasure_ref = utcnow(), ref
    db.session.flush()
    changelog.record(user.id, "person", person.id, "erase", {}, ref)
    trail.record(user.id, "erase", "person", person.id, erasure_ref=ref)
    reports = redact_reports(user, in_reports, ref)
    db.session.flush()
    return ref, len(reports)


def _redact_log(object_type: str, object_id: int, redact: Any) -> None:
    for entry in list(
        db.session.scalars(
            select(ChangeLog).where(
                ChangeLog.object_type == object_type, ChangeLog.object_id == object_id
            )
        )
    ):
        db.session.execute(
            update(ChangeLog)
            .where(ChangeLog.id == entry.id)
            .values(changes=redact(entry.changes), note=redact(entry.note))
        )
