"""Memberships: a person's place in an organisation (role, since, until), and finding
the organisation a user typed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Membership, Organisation, Person, User
from audit_app.services import access as org_access
from audit_app.services.register import changelog


def find_organisation(user: User, text: str, *, edit: bool = True) -> Organisation:
    """A visible organisation named `text` (normalised) or with that id."""
    from audit_app.services.register import profiles
    from audit_app.services.register.access import organisation_visible

    text = text.strip()
    if not text:
        raise UserError("organisation_required", field="organisation")
    query = select(Organisation).where(organisation_visible(user))
    if text.isdigit():
        found = list(db.session.scalars(query.where(Organisation.id == int(text))))
    else:
        profiles.sync()
        ids = profiles.by_name_or_domain(text)
        found = list(db.session.scalars(query.where(Organisation.id.in_(ids)))) if ids else []
    if not found:
        raise UserError("organisation_not_found", field="organisation")
    if len(found) > 1:
        raise UserError("organisation_ambiguous", field="organisation")
    if edit and not org_access.can_edit(user, found[0]):
        raise UserError("organisation_not_found", field="organisation")
    return found[0]


def add_membership(
    user: User,
    person: Person,
    organisation: Organisation,
    *,
    role: str = "",
    started_on: date | None = None,
    batch_id: int | None = None,
) -> Membership:
    role = " ".join(role.split())[:200]
    for existing in person.memberships:
        if existing.organisation_id == organisation.id and existing.ended_on is None:
            if role and existing.role != role:
                changelog.record(
                    user.id,
                    "person",
                    person.id,
                    "membership",
                    {"role": [existing.role, role]},
                    organisation.name,
                )
                existing.role = role
            return existing
    membership = Membership(
        person=person,
        organisation_id=organisation.id,
        role=role,
        started_on=started_on,
        import_batch_id=batch_id,
    )
    db.session.add(membership)
    db.session.flush()
    changelog.record(
        user.id,
        "person",
        person.id,
        "membership",
        {"organisation": [None, organisation.name], "role": [None, role or None]},
    )
    return membership


def end_membership(user: User, membership: Membership, ended_on: date) -> None:
    if membership.started_on and ended_on < membership.started_on:
        raise UserError("ended_before_start", field="ended_on")
    changelog.record(
        user.id,
        "person",
        membership.person_id,
        "membership",
        {
            "organisation": [membership.organisation.name, membership.organisation.name],
            "ended_on": [membership.ended_on, ended_on],
        },
    )
    membership.ended_on = ended_on
    db.session.flush()
