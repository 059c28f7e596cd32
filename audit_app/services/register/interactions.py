"""Interactions: logging (with the contact-pressure check) and editing. Logging one
updates the participants' and the organisation's last contact and segment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from audit_app.domain.segments import exceeds_pressure
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Interaction, Organisation, Person, User
from audit_app.models.register import CHANNELS, DIRECTIONS, interaction_participants
from audit_app.services import access as org_access
from audit_app.services.register import changelog, stats
from audit_app.services.register.access import is_editor, person_visible

FIELDS = (
    "occurred_at",
    "channel",
    "direction",
    "duration_minutes",
    "subject",
    "summary",
    "outcome",
    "organisation_id",
)


@dataclass
class InteractionInput:
    occurred_at: datetime
    channel: str
    direction: str = "out"
    duration_minutes: int | None = None
    subject: str = ""
    summary: str = ""
    outcome: str = ""
    organisation_id: int | None = None
    participant_ids: list[int] = field(default_factory=list)


@dataclass
class PressureWarning:
    person: Person
    count: int  # outbound contacts already in the window
    limit: int
    days: int


def validate(user: User, data: InteractionInput) -> InteractionInput:
    if data.channel not in CHANNELS:
        raise UserError("unknown_channel", field="channel")
    if data.direction not in DIRECTIONS:
        raise UserError("unknown_direction", field="direction")
    if data.duration_minutes is not None and not 0 <= data.duration_minutes <= 24 * 60:
        raise UserError("invalid_duration", field="duration_minutes")
    if data.organisation_id is not None:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None or not org_access.can_view(user, organisation):
            raise UserError("organisation_not_found", field="organisation_id")
    ids = sorted(set(data.participant_ids))
    if ids:
        visible = set(
            db.session.scalars(
                select(Person.id).where(
                    Person.id.in_(ids), person_visible(user), Person.erased_at.is_(None)
                )
            )
        )
        if visible != set(ids):
            raise UserError("unknown_participant", field="participants")
    if not ids and data.organisation_id is None:
        raise UserError("nobody_contacted", field="participants")
    occurred = stats.as_utc(data.occurred_at)
    assert occurred is not None
    return InteractionInput(
        occurred_at=occurred,
        channel=data.channel,
        direction=data.direction,
        duration_minutes=data.duration_minutes,
        subject=data.subject.strip()[:300],
        summary=data.summary.strip(),
        outcome=data.outcome.strip(),
        organisation_id=data.organisation_id,
        participant_ids=ids,
    )


def pressure(data: InteractionInput, *, exclude_id: int | None = None) -> list[PressureWarning]:
    """Participants who would get more outbound contacts than the limit allows in the
    window ending at this interaction."""
    if data.direction != "out" or not data.participant_ids:
        return []
    limit = stats.pressure_limit()
    at = stats.as_utc(data.occurred_at)
    assert at is not None
    query = (
        select(interaction_participants.c.person_id, func.count())
        .join(Interaction, Interaction.id == interaction_participants.c.interaction_id)
        .where(
            interaction_participants.c.person_id.in_(data.participant_ids),
            Interaction.direction == "out",
            Interaction.occurred_at > at - timedelta(days=limit.days),
            Interaction.occurred_at <= at,
        )
        .group_by(interaction_participants.c.person_id)
    )
    if exclude_id is not None:
        query = query.where(Interaction.id != exclude_id)
    warnings = []
    for person_id, count in db.session.execute(query):
        if exceeds_pressure(count, limit):
            person = db.session.get(Person, person_id)
            assert person is not None
            warnings.append(PressureWarning(person, count, limit.max_contacts, limit.days))
    return sorted(warnings, key=lambda w: w.person.sort_key)


def snapshot(interaction: Interaction) -> dict[str, Any]:
    values = {name: getattr(interaction, name) for name in FIELDS}
    values["occurred_at"] = stats.as_utc(interaction.occurred_at)
    values["participants"] = sorted(p.display_name for p in interaction.participants)
    return values


def _apply(interaction: Interaction, data: InteractionInput) -> None:
    for name in FIELDS:
        setattr(interaction, name, getattr(data, name))
    interaction.participants = list(
        db.session.scalars(select(Person).where(Person.id.in_(data.participant_ids)))
    )


def log(
    user: User, data: InteractionInput, *, source: str = "typed", batch_id: int | None = None
) -> Interaction:
    if not is_editor(user):
        raise UserError("not_allowed")
    clean = validate(user, data)
    interaction = Interaction(logged_by_id=user.id, source=source, import_batch_id=batch_id)
    _apply(interaction, clean)
    db.session.add(interaction)
    db.session.flush()
    changelog.created(user.id, "interaction", interaction.id, snapshot(interaction))
    stats.refresh_people(clean.participant_ids)
    stats.refresh_organisations([clean.organisation_id])
    return interaction


def update(user: User, interaction: Interaction, data: InteractionInput) -> dict[str, list[Any]]:
    clean = validate(user, data)
    before = snapshot(interaction)
    old_people = [p.id for p in interaction.participants]
    old_org = interaction.organisation_id
    _apply(interaction, clean)
    db.session.flush()
    changes = changelog.diff(before, snapshot(interaction))
    if changes:
        changelog.record(user.id, "interaction", interaction.id, "update", changes)
        stats.refresh_people([*old_people, *clean.participant_ids])
        stats.refresh_organisations([old_org, clean.organisation_id])
    return changes


def default_organisation(person: Person) -> int | None:
    """The organisation of a person's only current membership, if there is one."""
    current = [m.organisation_id for m in person.memberships if m.ended_on is None]
    return current[0] if len(set(current)) == 1 else None
