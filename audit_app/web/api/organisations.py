"""/api/v1/organisations: list (search), create, show, the organisation's audits."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models.organisations import ORGANISATION_TYPES
from audit_app.services import access
from audit_app.services import organisations as service
from audit_app.web.api import serialize
from audit_app.web.api.blueprint import (
    api_user,
    bool_field,
    bp,
    fail,
    json_body,
    organisation_for,
    page,
    paging,
    text_arg,
    text_field,
)

STATUS_OF = {"not_allowed": 403}


def _search_window(q: str, kind: str, limit: int, offset: int) -> tuple[list[Any], int]:
    """Rows `offset`..`offset+limit` of the organisation search, which pages by number:
    one page when the offset falls on a page boundary, else the two pages around it."""
    user = api_user()
    first = offset // limit + 1
    result = service.search(user, q=q, organisation_type=kind, page=first, per_page=limit)
    rows = list(result.rows)
    skip = offset % limit
    if skip:
        following = service.search(
            user, q=q, organisation_type=kind, page=first + 1, per_page=limit
        )
        rows = (rows + list(following.rows))[skip : skip + limit]
    return rows, result.pagination.total or 0


@bp.get("/organisations")
def list_organisations() -> ResponseReturnValue:
    limit, offset = paging()
    q = text_arg("q")
    kind = text_arg("type", 20)
    if kind and kind not in ORGANISATION_TYPES:
        fail(400, "invalid_parameter", {"parameter": "type", "allowed": list(ORGANISATION_TYPES)})
    rows, total = _search_window(q, kind, limit, offset)
    user = api_user()
    items = [
        serialize.organisation(
            row.organisation, user, audit_count=row.audit_count, latest_overall=row.latest_overall
        )
        for row in rows
    ]
    return page(items, total, limit, offset)


@bp.post("/organisations")
def create_organisation() -> ResponseReturnValue:
    user = api_user()
    if user.role not in ("admin", "consultant"):
        fail(403, "not_allowed")
    data = json_body()
    name = text_field(data, "name", required=True, max_length=300) or ""
    kind = text_field(data, "type", max_length=20) or "other"
    size = text_field(data, "size", max_length=20)
    sector = text_field(data, "sector", max_length=200)
    city = text_field(data, "city", max_length=200)
    allow_duplicate = bool_field(data, "allow_duplicate")
    if not allow_duplicate and name.strip():
        # Only organisations the caller may see count (others are not even counted).
        visible = [o.id for o in service.same_name(name) if access.can_view(user, o)]
        if visible:
            fail(409, "duplicate_name", {"duplicates": visible})
    try:
        organisation = service.create(
            user, name=name, type=kind, size=size, sector=sector, city=city
        )
    except UserError as error:
        db.session.rollback()
        fail(STATUS_OF.get(error.message, 422), error.message, {"field": error.field})
    db.session.commit()
    body = serialize.organisation(organisation, user)
    return body, 201, {"Location": url_for("api.get_organisation", organisation_id=organisation.id)}


@bp.get("/organisations/<int:organisation_id>")
def get_organisation(organisation_id: int) -> ResponseReturnValue:
    organisation = organisation_for(organisation_id)
    return serialize.organisation(organisation, api_user())


@bp.get("/organisations/<int:organisation_id>/audits")
def organisation_audits(organisation_id: int) -> ResponseReturnValue:
    organisation = organisation_for(organisation_id)
    limit, offset = paging()
    rows = service.audits_of(organisation)
    items = [serialize.audit_summary(row.audit) for row in rows[offset : offset + limit]]
    return page(items, len(rows), limit, offset)
