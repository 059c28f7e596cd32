"""Who may see and change which register record.

The rule of the rest of the app (services/access.py) carried over: people are visible
when they belong (now or earlier) to a visible organisation or were created by the
user; interactions and follow-ups when they concern a visible organisation or person
or are the user's own; administrators see everything; viewers never change anything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true

from audit_app.errors import Forbidden, NotFound
from audit_app.extensions import db
from audit_app.models import (
    Followup,
    Interaction,
    Membership,
    Organisation,
    OrganisationAccess,
    Person,
    User,
)
from audit_app.models.register import interaction_participants


def is_editor(user: User) -> bool:
    return user.role in ("admin", "consultant")


def require_editor(user: User) -> None:
    if not is_editor(user):
        raise Forbidden


def _org_visible(user: User, column: Any) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    shared = select(OrganisationAccess.organisation_id).where(OrganisationAccess.user_id == user.id)
    created = select(Organisation.id).where(Organisation.created_by_id == user.id)
    return or_(column.in_(shared), column.in_(created))


def person_visible(user: User) -> ColumnElement[bool]:
    """A WHERE condition on Person: the people `user` may see."""
    if user.is_admin:
        return true()
    member = select(Membership.person_id).where(_org_visible(user, Membership.organisation_id))
    return or_(Person.created_by_id == user.id, Person.id.in_(member))


def people_query(user: User, *, include_erased: bool = False) -> Select[Any]:
    query = select(Person).where(person_visible(user))
    if not include_erased:
        query = query.where(Person.erased_at.is_(None))
    return query


def interaction_visible(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    visible_people = select(Person.id).where(person_visible(user))
    # A list computed once (the interactions of visible people), not a per-row EXISTS:
    # SQLite would otherwise probe every visible person for every interaction scanned.
    with_visible_people = select(interaction_participants.c.interaction_id).where(
        interaction_participants.c.person_id.in_(visible_people)
    )
    return or_(
        Interaction.logged_by_id == user.id,
        _org_visible(user, Interaction.organisation_id),
        Interaction.id.in_(with_visible_people),
    )


def followup_visible(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    visible_people = select(Person.id).where(person_visible(user))
    return or_(
        Followup.assignee_id == user.id,
        Followup.created_by_id == user.id,
        _org_visible(user, Followup.organisation_id),
        Followup.person_id.in_(visible_people),
    )


def _check(visible: bool, user: User, edit: bool) -> None:
    if not visible:
        raise NotFound
    if edit and not is_editor(user):
        raise Forbidden


def person_or_404(
    user: User, person_id: int, *, edit: bool = False, include_erased: bool = False
) -> Person:
    query = people_query(user, include_erased=include_erased).where(Person.id == person_id)
    person: Person | None = db.session.scalar(query)
    _check(person is not None, user, edit)
    assert person is not None
    return person


def can_view_person(user: User, person_id: int) -> bool:
    query = select(Person.id).where(Person.id == person_id, person_visible(user))
    return db.session.scalar(query) is not None


def interaction_or_404(user: User, interaction_id: int, *, edit: bool = False) -> Interaction:
    query = select(Interaction).where(Interaction.id == interaction_id, interaction_visible(user))
    interaction: Interaction | None = db.session.scalar(query)
    _check(interaction is not None, user, edit)
    assert interaction is not None
    return interaction


def followup_or_404(user: User, followup_id: int, *, edit: bool = False) -> Followup:
    query = select(Followup).where(Followup.id == followup_id, followup_visible(user))
    followup: Followup | None = db.session.scalar(query)
    _check(followup is not None, user, edit)
    assert followup is not None
    return followup


def organisation_visible(user: User) -> ColumnElement[bool]:
    """A WHERE condition on Organisation."""
    return _org_visible(user, Organisation.id)
