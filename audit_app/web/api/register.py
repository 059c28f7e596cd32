"""/api/v1 contact register, read only: people and interactions the token user may see
(the register's own visibility rules and search, services/register/)."""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from audit_app.extensions import db
from audit_app.models import Interaction, Membership, Person
from audit_app.models.register import CHANNELS, DIRECTIONS
from audit_app.services.register import search
from audit_app.web.api.blueprint import MAX_ID, api_user, bp, fail, int_arg, page, paging, text_arg
from audit_app.web.api.serialize import iso


def _id_arg(name: str) -> int | None:
    value = int_arg(name, 0, 0, MAX_ID)
    return value or None


def _choice_arg(name: str, allowed: tuple[str, ...]) -> str:
    value = text_arg(name, 20)
    if value and value not in allowed:
        fail(400, "invalid_parameter", {"parameter": name, "allowed": list(allowed)})
    return value


def _window(query: Select[Any], order: list[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(query.order_by(*order).limit(limit).offset(offset)).unique())
    return rows, total or 0


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "display_name": person.display_name,
        "job_title": person.job_title,
        "language": person.language,
        "preferred_channel": person.preferred_channel,
        "emails": [
            {"email": e.email, "primary": e.is_primary, "opt_out": e.opt_out} for e in person.emails
        ],
        "phones": [
            {"phone": p.phone, "primary": p.is_primary, "opt_out": p.opt_out} for p in person.phones
        ],
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "role": m.role,
                "started_on": m.started_on.isoformat() if m.started_on else None,
                "ended_on": m.ended_on.isoformat() if m.ended_on else None,
            }
            for m in person.memberships
        ],
        "tags": [tag.name for tag in person.tags],
        "segment": person.segment,
        "last_contacted_at": iso(person.last_contacted_at),
        "owner_id": person.owner_id,
        "created_at": iso(person.created_at),
        "updated_at": iso(person.updated_at),
    }


def _interaction(item: Interaction) -> dict[str, Any]:
    return {
        "id": item.id,
        "occurred_at": iso(item.occurred_at),
        "channel": item.channel,
        "direction": item.direction,
        "duration_minutes": item.duration_minutes,
        "subject": item.subject,
        "summary": item.summary,
        "outcome": item.outcome,
        "organisation_id": item.organisation_id,
        "participants": [{"id": p.id, "display_name": p.display_name} for p in item.participants],
        "logged_by_id": item.logged_by_id,
        "source": item.source,
        "created_at": iso(item.created_at),
    }


@bp.get("/people")
def list_people() -> ResponseReturnValue:
    limit, offset = paging()
    filters = search.Filters(q=text_arg("q"), organisation_id=_id_arg("organisation_id"))
    query = search.people(api_user(), filters).options(
        selectinload(Person.emails),
        selectinload(Person.phones),
        selectinload(Person.memberships).selectinload(Membership.organisation),
        selectinload(Person.tags),
    )
    rows, total = _window(query, [Person.sort_key, Person.id], limit, offset)
    return page([_person(p) for p in rows], total, limit, offset)


@bp.get("/interactions")
def list_interactions() -> ResponseReturnValue:
    limit, offset = paging()
    filters = search.Filters(
        q=text_arg("q"),
        organisation_id=_id_arg("organisation_id"),
        person_id=_id_arg("person_id"),
        channel=_choice_arg("channel", CHANNELS),
        direction=_choice_arg("direction", DIRECTIONS),
    )
    query = search.interactions(api_user(), filters).options(selectinload(Interaction.participants))
    order = [Interaction.occurred_at.desc(), Interaction.id.desc()]
    rows, total = _window(query, order, limit, offset)
    return page([_interaction(i) for i in rows], total, limit, offset)
