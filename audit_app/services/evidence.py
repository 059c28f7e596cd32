"""Interactions of the contact register as evidence for audit answers.

Editors of an audit's organisation link an interaction of that organisation (or one
with a person who is a member of it) to a question of the audit; evidence never
changes a score, so links may be added and removed at any time, also after
submission. Every change is recorded in the audit trail.

`evidence_for` returns plain values (the channel as its code: the web translates it
with the register's labels, a report with its own catalogue). Evidence is stale when
the interaction happened more than `EVIDENCE_STALE_DAYS` before the audit was
submitted (or before today while the audit is in progress).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import AnswerEvidence, Audit, Consent, Interaction, Membership, User
from audit_app.models.register import interaction_participants
from audit_app.services import audits as audit_service
from audit_app.services import trail
from audit_app.services.register.access import interaction_visible

DEFAULT_STALE_DAYS = 365
CANDIDATE_LIMIT = 50


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def stale_days() -> int:
    return int(current_app.config.get("EVIDENCE_STALE_DAYS") or DEFAULT_STALE_DAYS)


def reference_time(audit: Audit, now: datetime | None = None) -> datetime:
    """The moment evidence is judged against: submission, or now while in progress."""
    if audit.submitted_at is not None:
        return _utc(audit.submitted_at)
    return now or datetime.now(UTC)


def _of_organisation(organisation_id: int) -> ColumnElement[bool]:
    members = select(Membership.person_id).where(Membership.organisation_id == organisation_id)
    with_members = select(interaction_participants.c.interaction_id).where(
        interaction_participants.c.person_id.in_(members)
    )
    return or_(Interaction.organisation_id == organisation_id, Interaction.id.in_(with_members))


def _eligible(audit: Audit, user: User) -> ColumnElement[bool]:
    return and_(_of_organisation(audit.organisation_id), interaction_visible(user))


def link(audit: Audit, question_id: str, interaction_id: int, user: User) -> AnswerEvidence:
    """Link an interaction to a question; the caller has checked the user may edit."""
    if audit_service.questionnaire_for(audit).question(question_id) is None:
        raise UserError("unknown_question", field="question_id")
    interaction = db.session.scalar(
        select(Interaction).where(Interaction.id == interaction_id, _eligible(audit, user))
    )
    if interaction is None:
        raise UserError("interaction_not_found", field="interaction_id")
    existing = db.session.scalar(
        select(AnswerEvidence).filter_by(
            audit_id=audit.id, question_id=question_id, interaction_id=interaction.id
        )
    )
    if existing is not None:
        raise UserError("already_linked", field="interaction_id")
    evidence = AnswerEvidence(
        audit_id=audit.id,
        question_id=question_id,
        interaction_id=interaction.id,
        linked_by_id=user.id,
    )
    db.session.add(evidence)
    db.session.flush()
    trail.record(
        user.id,
        "evidence_link",
        "audit",
        audit.id,
        question_id=question_id,
        interaction_id=interaction.id,
    )
    return evidence


def get_link(audit: Audit, link_id: int) -> AnswerEvidence | None:
    return db.session.scalar(select(AnswerEvidence).filter_by(id=link_id, audit_id=audit.id))


def unlink(audit: Audit, link_id: int, user: User) -> AnswerEvidence:
    evidence = get_link(audit, link_id)
    if evidence is None:
        raise UserError("link_not_found")
    trail.record(
        user.id,
        "evidence_unlink",
        "audit",
        audit.id,
        question_id=evidence.question_id,
        interaction_id=evidence.interaction_id,
    )
    db.session.delete(evidence)
    db.session.flush()
    return evidence


def _roles(organisation_id: int, person_ids: set[int]) -> dict[int, str]:
    """Each person's role in the organisation, a current membership first."""
    if not person_ids:
        return {}
    rows = db.session.scalars(
        select(Membership)
        .where(Membership.organisation_id == organisation_id, Membership.person_id.in_(person_ids))
        .order_by(Membership.ended_on.is_not(None), Membership.id)
    )
    roles: dict[int, str] = {}
    for membership in rows:
        roles.setdefault(membership.person_id, membership.role or "")
    return roles


def _who(
    interaction: Interaction, roles: dict[int, str], named: set[int] | None = None
) -> list[dict[str, str]]:
    """The participants with their roles; with `named`, only those people keep their
    name (the others are left as their role, or left out without one)."""
    return [
        {
            "name": person.display_name if named is None or person.id in named else "",
            "role": roles.get(person.id, ""),
        }
        for person in interaction.participants
        if named is None or person.id in named or roles.get(person.id)
    ]


def named_in_reports(person_ids: set[int]) -> set[int]:
    """The people whose latest decision on "may be named in audit reports" is a
    granted consent."""
    if not person_ids:
        return set()
    latest: dict[int, str] = {}
    for consent in db.session.scalars(
        select(Consent)
        .where(Consent.person_id.in_(person_ids), Consent.purpose == "named_in_report")
        .order_by(Consent.recorded_at, Consent.id)
    ):
        if consent.person_id is not None:
            latest[consent.person_id] = consent.status
    return {person_id for person_id, status in latest.items() if status == "granted"}


def who_text(who: list[dict[str, str]]) -> str:
    """ "Anna Kowalska (Director), Jan Nowak" — names with their roles (a role alone
    for someone who may not be named)."""
    return ", ".join(
        f"{p['name']} ({p['role']})" if p["name"] and p["role"] else p["name"] or p["role"]
        for p in who
    )


def _item(
    interaction: Interaction,
    roles: dict[int, str],
    reference: datetime,
    limit: timedelta,
    named: set[int] | None = None,
) -> dict[str, Any]:
    occurred = _utc(interaction.occurred_at)
    who = _who(interaction, roles, named)
    return {
        "interaction_id": interaction.id,
        "occurred_at": occurred,
        "date": occurred.date().isoformat(),
        "channel": interaction.channel,
        "subject": interaction.subject,
        "who": who,
        "who_text": who_text(who),
        "logged_by": interaction.logged_by.name if interaction.logged_by else "",
        "stale": reference - occurred > limit,
        "age_days": max(0, (reference - occurred).days),
        "stale_after_days": limit.days,
    }


def evidence_for(
    audit: Audit, now: datetime | None = None, *, for_report: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """{question id: [linked interaction as plain values, newest first]}. For a report,
    a contact is named only with their consent to be named in audit reports."""
    rows: list[tuple[AnswerEvidence, Interaction]] = [
        (row[0], row[1])
        for row in db.session.execute(
            select(AnswerEvidence, Interaction)
            .join(Interaction, Interaction.id == AnswerEvidence.interaction_id)
            .where(AnswerEvidence.audit_id == audit.id)
            .order_by(Interaction.occurred_at.desc(), AnswerEvidence.id)
        )
    ]
    people = {p.id for _link, interaction in rows for p in interaction.participants}
    roles = _roles(audit.organisation_id, people)
    named = named_in_reports(people) if for_report else None
    reference = reference_time(audit, now)
    limit = timedelta(days=stale_days())
    found: dict[str, list[dict[str, Any]]] = {}
    for evidence, interaction in rows:
        item = _item(interaction, roles, reference, limit, named)
        item |= {
            "link_id": evidence.id,
            "linked_by": evidence.linked_by.name if evidence.linked_by else "",
            "linked_at": _utc(evidence.linked_at),
        }
        found.setdefault(evidence.question_id, []).append(item)
    return found


def candidates(audit: Audit, user: User, limit: int = CANDIDATE_LIMIT) -> list[dict[str, Any]]:
    """The organisation's most recent interactions the user may see, for the picker."""
    interactions = list(
        db.session.scalars(
            select(Interaction)
            .where(_eligible(audit, user))
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
        )
    )
    people = {p.id for interaction in interactions for p in interaction.participants}
    roles = _roles(audit.organisation_id, people)
    reference = reference_time(audit)
    span = timedelta(days=stale_days())
    return [_item(interaction, roles, reference, span) for interaction in interactions]
