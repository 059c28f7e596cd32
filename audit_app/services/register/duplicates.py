"""Finding records that look like the same person or organisation: the same e-mail
or the same normalised name (case, accents, punctuation and word order ignored) for
people; the same normalised name or domain for organisations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationProfile, Person, PersonEmail, User
from audit_app.services.register import profiles
from audit_app.services.register.access import organisation_visible, person_visible

LIMIT = 100


@dataclass
class Group:
    reason: str  # email | name | domain
    key: str
    records: list[Any]


def _people(condition: Any) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .where(condition, Person.erased_at.is_(None))
            .options(selectinload(Person.emails), selectinload(Person.memberships))
            .order_by(Person.id)
        )
    )


def people_groups(user: User, limit: int = LIMIT) -> list[Group]:
    visible = person_visible(user)
    groups: list[Group] = []
    by_email = db.session.execute(
        select(PersonEmail.email_key)
        .join(Person, Person.id == PersonEmail.person_id)
        .where(visible, Person.erased_at.is_(None))
        .group_by(PersonEmail.email_key)
        .having(func.count(func.distinct(PersonEmail.person_id)) > 1)
        .order_by(PersonEmail.email_key)
        .limit(limit)
    ).scalars()
    for key in list(by_email):
        ids = select(PersonEmail.person_id).where(PersonEmail.email_key == key)
        records = [p for p in _people(Person.id.in_(ids)) if _visible(user, p)]
        if len(records) > 1:
            groups.append(Group("email", key, records))
    by_name = db.session.execute(
        select(Person.name_key)
        .where(visible, Person.erased_at.is_(None), Person.name_key != "")
        .group_by(Person.name_key)
        .having(func.count() > 1)
        .order_by(Person.name_key)
        .limit(limit)
    ).scalars()
    for key in list(by_name):
        records = [p for p in _people(Person.name_key == key) if _visible(user, p)]
        if len(records) > 1:
            groups.append(Group("name", key, records))
    return groups


def _visible(user: User, person: Person) -> bool:
    return bool(
        db.session.scalar(select(Person.id).where(Person.id == person.id, person_visible(user)))
    )


def organisation_groups(user: User, limit: int = LIMIT) -> list[Group]:
    profiles.sync()
    groups: list[Group] = []
    p = OrganisationProfile
    base = (
        select(p)
        .join(Organisation, Organisation.id == p.organisation_id)
        .where(organisation_visible(user))
    )
    for reason, column in (("name", p.name_key), ("domain", p.domain)):
        keys = db.session.execute(
            base.with_only_columns(column)
            .where(column.is_not(None), column != "")
            .group_by(column)
            .having(func.count() > 1)
            .order_by(column)
            .limit(limit)
        ).scalars()
        for key in list(keys):
            records = list(
                db.session.scalars(
                    select(Organisation)
                    .join(p, p.organisation_id == Organisation.id)
                    .where(column == key, organisation_visible(user))
                    .order_by(Organisation.id)
                )
            )
            groups.append(Group(reason, str(key), records))
    return groups
