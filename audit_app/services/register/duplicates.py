"""Finding records that look like the same person or organisation: the same e-mail
or the same normalised name (case, accents, punctuation and word order ignored) for
people; the same normalised name or domain for organisations.

A handful of grouped queries whatever the size: the keys that repeat (limited), then
the records of all those keys in one query each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationProfile, Person, PersonEmail, User
from audit_app.services.register import profiles
from audit_app.services.register.access import organisation_visible, person_visible

LIMIT = 50  # groups per kind of match
PER_GROUP = 20  # records shown per group


@dataclass
class Group:
    reason: str  # email | name | domain
    key: str
    records: list[Any]
    total: int


def _groups(reason: str, found: dict[Any, list[Any]], counts: dict[Any, int]) -> list[Group]:
    return [
        Group(reason, str(key), records[:PER_GROUP], counts.get(key, len(records)))
        for key, records in sorted(found.items())
        if len(records) > 1
    ]


def _load(found: dict[str, list[int]]) -> dict[str, list[Any]]:
    """Person objects for the first PER_GROUP ids of every group, in one query."""
    ids = {i for group in found.values() for i in group[:PER_GROUP]}
    people = {
        p.id: p
        for p in db.session.scalars(
            select(Person).where(Person.id.in_(ids)).options(selectinload(Person.emails))
        )
    }
    return {key: [people[i] for i in group[:PER_GROUP]] for key, group in found.items()}


def people_groups(user: User, limit: int = LIMIT) -> list[Group]:
    visible = person_visible(user)
    live = Person.erased_at.is_(None)
    # E-mails repeat only across people (one person's addresses are unique), so the
    # repeated keys come from the e-mail index alone; visibility is applied after.
    keys = list(
        db.session.scalars(
            select(PersonEmail.email_key)
            .group_by(PersonEmail.email_key)
            .having(func.count() > 1)
            .order_by(PersonEmail.email_key)
            .limit(limit * 10)
        )
    )
    by_email: dict[str, list[int]] = defaultdict(list)
    if keys:
        for key, person_id in db.session.execute(
            select(PersonEmail.email_key, Person.id)
            .join(Person, Person.id == PersonEmail.person_id)
            .where(PersonEmail.email_key.in_(keys), visible, live)
            .order_by(PersonEmail.email_key, Person.id)
        ):
            by_email[key].append(person_id)
    by_email = defaultdict(
        list, dict([item for item in sorted(by_email.items()) if len(item[1]) > 1][:limit])
    )
    names = list(
        db.session.scalars(
            select(Person.name_key)
            .where(visible, live, Person.name_key != "")
            .group_by(Person.name_key)
            .having(func.count() > 1)
            .order_by(Person.name_key)
            .limit(limit)
        )
    )
    by_name: dict[str, list[int]] = defaultdict(list)
    if names:
        for key, person_id in db.session.execute(
            select(Person.name_key, Person.id)
            .where(Person.name_key.in_(names), visible, live)
            .order_by(Person.name_key, Person.id)
        ):
            by_name[key].append(person_id)
    counts = {("email", k): len(v) for k, v in by_email.items()}
    counts |= {("name", k): len(v) for k, v in by_name.items()}
    return [
        Group(reason, key, records, counts[(reason, key)])
        for reason, found in (("email", by_email), ("name", by_name))
        for key, records in sorted(_load(found).items())
        if counts[(reason, key)] > 1
    ]


def organisation_groups(user: User, limit: int = LIMIT) -> list[Group]:
    profiles.sync()
    groups: list[Group] = []
    p = OrganisationProfile
    visible = organisation_visible(user)
    for reason, column in (("name", p.name_key), ("domain", p.domain)):
        counts = dict(
            db.session.execute(
                select(column, func.count())
                .join(Organisation, Organisation.id == p.organisation_id)
                .where(visible, column.is_not(None), column != "")
                .group_by(column)
                .having(func.count() > 1)
                .order_by(column)
                .limit(limit)
            ).all()
        )
        found: dict[Any, list[Any]] = defaultdict(list)
        if counts:
            for key, organisation in db.session.execute(
                select(column, Organisation)
                .join(p, p.organisation_id == Organisation.id)
                .where(column.in_(list(counts)), visible)
                .order_by(column, Organisation.id)
            ):
                found[key].append(organisation)
        groups += _groups(reason, found, counts)
    return groups
