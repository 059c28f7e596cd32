"""One timeline per person and per organisation: interactions, follow-ups and the
organisation's audits together, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from audit_app.extensions import db
from audit_app.models import Audit, Followup, Interaction, Membership, Organisation, Person, User
from audit_app.models.register import interaction_participants
from audit_app.services.register.access import organisation_visible
from audit_app.services.register.stats import as_utc

PER_PAGE = 30
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Entry:
    kind: str  # interaction | followup | audit
    at: datetime
    item: Any


@dataclass
class Timeline:
    entries: list[Entry]
    older: str | None  # the `before` value of the next (older) page


def _followup_at(followup: Followup) -> datetime:
    if followup.completed_at is not None:
        return as_utc(followup.completed_at) or followup.completed_at
    return datetime.combine(followup.due_on, time(12), tzinfo=UTC)


def _build(
    interactions: Any, followups: Any, audits: Any, before: datetime | None, limit: int
) -> Timeline:
    entries: list[Entry] = []
    query = interactions.options(selectinload(Interaction.participants))
    if before is not None:
        query = query.where(Interaction.occurred_at < before)
    for interaction in db.session.scalars(
        query.order_by(Interaction.occurred_at.desc(), Interaction.id.desc()).limit(limit + 1)
    ):
        entries.append(Entry("interaction", as_utc(interaction.occurred_at) or EPOCH, interaction))
    for followup in db.session.scalars(followups.limit(500)):
        entries.append(Entry("followup", _followup_at(followup), followup))
    for audit in db.session.scalars(audits.limit(200)):
        at = as_utc(audit.submitted_at or audit.started_at)
        entries.append(Entry("audit", at or EPOCH, audit))
    if before is not None:
        entries = [e for e in entries if e.at < before]
    entries.sort(key=lambda e: (e.at, e.kind, getattr(e.item, "id", 0)), reverse=True)
    more = len(entries) > limit
    entries = entries[:limit]
    return Timeline(entries, entries[-1].at.isoformat() if more and entries else None)


def parse_before(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def for_person(
    user: User, person: Person, *, before: datetime | None = None, limit: int = PER_PAGE
) -> Timeline:
    interactions = select(Interaction).where(
        Interaction.id.in_(
            select(interaction_participants.c.interaction_id).where(
                interaction_participants.c.person_id == person.id
            )
        )
    )
    followups = select(Followup).where(Followup.person_id == person.id)
    org_ids = select(Membership.organisation_id).where(Membership.person_id == person.id)
    audits = (
        select(Audit)
        .join(Organisation, Organisation.id == Audit.organisation_id)
        .where(Audit.organisation_id.in_(org_ids), organisation_visible(user))
        .options(selectinload(Audit.organisation))
    )
    return _build(interactions, followups, audits, before, limit)


def for_organisation(
    organisation: Organisation, *, before: datetime | None = None, limit: int = PER_PAGE
) -> Timeline:
    """Rolled up: the organisation's own interactions and follow-ups and those of
    its people (current and former members)."""
    members = select(Membership.person_id).where(Membership.organisation_id == organisation.id)
    interactions = select(Interaction).where(
        or_(
            Interaction.organisation_id == organisation.id,
            Interaction.id.in_(
                select(interaction_participants.c.interaction_id).where(
                    interaction_participants.c.person_id.in_(members)
                )
            ),
        )
    )
    followups = select(Followup).where(
        or_(Followup.organisation_id == organisation.id, Followup.person_id.in_(members))
    )
    audits = select(Audit).where(Audit.organisation_id == organisation.id)
    return _build(interactions, followups, audits, before, limit)


def people_of(organisation: Organisation) -> list[Membership]:
    """Memberships of the organisation: current first, then former, by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.organisation_id == organisation.id, Person.erased_at.is_(None))
            .options(
                selectinload(Membership.person).selectinload(Person.emails),
                selectinload(Membership.person).selectinload(Person.phones),
            )
            .order_by(Membership.ended_on.is_not(None), Person.sort_key, Membership.id)
            .limit(500)
        )
    )
