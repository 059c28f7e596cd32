"""Deleted organisations and audits are kept out of every ORM query in one place.

A deleted organisation or audit (deleted_at set) stays in the database for 30 days so an
administrator can restore it, but no list, search, count, API listing, dashboard,
history, comparison, export, register or respondent link may show it. Instead of a
condition in each of the many queries, every ORM SELECT (including `session.get`) gets
the criterion added here; an audit of a deleted organisation is hidden too. Relationship
loads are left alone, so a live row's link to a hidden one still loads. Code that must
see deleted rows (the "Deleted items" page, restore, purge) asks for it explicitly with
`execution_options(include_deleted=True)` (see INCLUDE_DELETED).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from audit_app.models.audits import Audit
from audit_app.models.organisations import Organisation

INCLUDE_DELETED = {"include_deleted": True}

# Core columns, so the subquery itself is not filtered by the criterion below.
_organisations = Organisation.__table__.c
_deleted_organisations = select(_organisations.id).where(_organisations.deleted_at.is_not(None))


def _live_organisation(cls: Any) -> Any:
    return cls.deleted_at.is_(None)


def _live_audit(cls: Any) -> Any:
    return cls.deleted_at.is_(None) & cls.organisation_id.not_in(_deleted_organisations)


@event.listens_for(Session, "do_orm_execute")
def _hide_deleted(state: ORMExecuteState) -> None:
    if (
        not state.is_select
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get("include_deleted", False)
    ):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Organisation, _live_organisation, include_aliases=True),
        with_loader_criteria(Audit, _live_audit, include_aliases=True),
    )
