"""Organisations: listing with search, creating (with a duplicate-name check), editing,
and an organisation's audits over time.

Services flush and never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from audit_app.domain.questionnaire import Text
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, Organisation, OrganisationAccess, User
from audit_app.models.organisations import ORGANISATION_TYPES, SIZES
from audit_app.services import trail
from audit_app.services.access import visible_organisations
from audit_app.services.questionnaires import questionnaire_of
from audit_app.services.textsearch import normalise_name

PER_PAGE = 20
# benchmark_consent: whether the organisation's latest audit may join anonymous peer
# benchmarks (issue 16); off until someone ticks it, every change in the trail.
EDITABLE_FIELDS = ("name", "type", "size", "sector", "city", "benchmark_consent")


def same_name(name: str, *, exclude_id: int | None = None) -> list[Organisation]:
    """Every organisation (visible to the user or not) whose normalised name equals `name`'s."""
    wanted = normalise_name(name)
    if not wanted:
        return []
    rows = db.session.execute(select(Organisation.id, Organisation.name)).all()
    ids = [row.id for row in rows if row.id != exclude_id and normalise_name(row.name) == wanted]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.id)
        )
    )


@dataclass
class OrganisationRow:
    organisation: Organisation
    audit_count: int
    latest_overall: float | None


@dataclass
class OrganisationPage:
    pagination: Pagination
    rows: list[OrganisationRow]


# The columns the organisations list may be sorted by (?sort=).
SORT_COLUMNS = {"name": Organisation.name, "type": Organisation.type, "city": Organisation.city}


def search(
    user: User,
    *,
    q: str = "",
    organisation_type: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    sort: str = "name",
    descending: bool = False,
) -> OrganisationPage:
    """The organisations `user` may see, filtered by a name/city search and a type,
    sorted by one of SORT_COLUMNS, one page at a time, with the number of audits and the
    latest submitted score."""
    query = visible_organisations(user)
    q = q.strip()
    if q:
        # The stored folded key (models/organisations.search_key_of), compared with LIKE:
        # the same matches as textsearch.contains on name and city, without folding
        # every row in Python for each query.
        needle = normalise_name(q) or q.casefold()
        query = query.where(Organisation.search_key.contains(needle, autoescape=True))
    if organisation_type in ORGANISATION_TYPES:
        query = query.where(Organisation.type == organisation_type)
    column = SORT_COLUMNS.get(sort, Organisation.name)
    query = query.order_by(
        column.desc() if descending else column.asc(),
        Organisation.name.desc() if descending else Organisation.name.asc(),
        Organisation.id,
    )
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    organisations: list[Organisation] = list(pagination.items)
    ids = [o.id for o in organisations]
    counts: dict[int, int] = {}
    latest: dict[int, float | None] = {}
    if ids:
        counts = {
            org_id: count
            for org_id, count in db.session.execute(
                select(Audit.organisation_id, func.count(Audit.id))
                .where(Audit.organisation_id.in_(ids))
                .group_by(Audit.organisation_id)
            )
        }
        submitted = db.session.execute(
            select(Audit.organisation_id, Audit.overall)
            .where(Audit.organisation_id.in_(ids), Audit.status == "submitted")
            .order_by(Audit.submitted_at, Audit.id)
        )
        for org_id, overall in submitted:
            latest[org_id] = overall  # ordered oldest first: the last one wins
    rows = [OrganisationRow(o, counts.get(o.id, 0), latest.get(o.id)) for o in organisations]
    return OrganisationPage(pagination, rows)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    name = (values.get("name") or "").strip()
    if not name:
        raise UserError("name_required", field="name")
    kind = values.get("type") or "other"
    if kind not in ORGANISATION_TYPES:
        raise UserError("unknown_type", field="type")
    size = _clean(values.get("size"))
    if size is not None and size not in SIZES:
        raise UserError("unknown_size", field="size")
    return {
        "name": name,
        "type": kind,
        "size": size,
        "sector": _clean(values.get("sector")),
        "city": _clean(values.get("city")),
        "benchmark_consent": bool(values.get("benchmark_consent")),
    }


def create(
    user: User,
    *,
    name: str,
    type: str,
    size: str | None = None,
    sector: str | None = None,
    city: str | None = None,
    benchmark_consent: bool = False,
) -> Organisation:
    """A new organisation; a consultant who creates one is given access to it."""
    if user.role not in ("admin", "consultant"):
        raise UserError("not_allowed")
    values = _validate(
        {
            "name": name,
            "type": type,
            "size": size,
            "sector": sector,
            "city": city,
            "benchmark_consent": benchmark_consent,
        }
    )
    organisation = Organisation(**values, created_by_id=user.id)
    db.session.add(organisation)
    db.session.flush()
    if not user.is_admin:
        db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user.id))
    trail.record(user.id, "create", "organisation", organisation.id, **values)
    db.session.flush()
    return organisation


def update(user: User, organisation: Organisation, **fields: Any) -> dict[str, list[Any]]:
    """Change the organisation's details; returns (and records) {field: [old, new]}."""
    current = {name: getattr(organisation, name) for name in EDITABLE_FIELDS}
    values = _validate({**current, **fields})
    changes = {
        name: [current[name], values[name]]
        for name in EDITABLE_FIELDS
        if current[name] != values[name]
    }
    for name, (_, new) in changes.items():
        setattr(organisation, name, new)
    if changes:
        trail.record(user.id, "update", "organisation", organisation.id, changes=changes)
    db.session.flush()
    return changes


@dataclass
class AuditRow:
    audit: Audit
    title: Text
    version: str

    @property
    def date(self) -> datetime:
        return self.audit.submitted_at or self.audit.started_at


def audits_of(organisation: Organisation) -> list[AuditRow]:
    """The organisation's audits, newest first, with the questionnaire each was answered with."""
    audits = db.session.scalars(
        select(Audit)
        .where(Audit.organisation_id == organisation.id)
        .order_by(Audit.started_at.desc(), Audit.id.desc())
    )
    rows = []
    for audit in audits:
        stored = audit.questionnaire_version
        questionnaire = questionnaire_of(stored)
        rows.append(AuditRow(audit, questionnaire.title, stored.version))
    rows.sort(key=lambda row: (row.date, row.audit.id), reverse=True)
    return rows
