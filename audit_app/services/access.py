"""Who may see and change which organisation.

Administrators see everything; consultants and viewers see the organisations
assigned or shared with them (and consultants those they created).
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from audit_app.errors import Forbidden, NotFound
from audit_app.extensions import db
from audit_app.models import Audit, Organisation, OrganisationAccess, User


def visible_organisations(user: User) -> Select[tuple[Organisation]]:
    query = select(Organisation)
    if user.is_admin:
        return query
    shared = select(OrganisationAccess.organisation_id).where(OrganisationAccess.user_id == user.id)
    return query.where(or_(Organisation.id.in_(shared), Organisation.created_by_id == user.id))


def can_view(user: User, organisation: Organisation) -> bool:
    if user.is_admin or organisation.created_by_id == user.id:
        return True
    return (
        db.session.scalar(
            select(OrganisationAccess.id).filter_by(
                organisation_id=organisation.id, user_id=user.id
            )
        )
        is not None
    )


def can_edit(user: User, organisation: Organisation) -> bool:
    return user.role in ("admin", "consultant") and can_view(user, organisation)


def organisation_or_404(user: User, organisation_id: int, *, edit: bool = False) -> Organisation:
    """The organisation if the user may see it (and edit it when asked); 404 hides
    organisations the user may not see, 403 when they may see but not change it."""
    organisation = db.session.get(Organisation, organisation_id)
    # Deleted rows are filtered from queries (models/live.py); the check here also
    # covers one already in the session's identity map.
    if organisation is None or organisation.deleted_at is not None:
        raise NotFound
    if not can_view(user, organisation):
        raise NotFound
    if edit and not can_edit(user, organisation):
        raise Forbidden
    return organisation


def audit_or_404(user: User, audit_id: int, *, edit: bool = False) -> Audit:
    # Its organisation (checked next) and questionnaire version (every audit page reads
    # it) come in the same query: two round trips fewer on each autosave and page.
    audit = db.session.get(
        Audit,
        audit_id,
        options=[joinedload(Audit.organisation), joinedload(Audit.questionnaire_version)],
    )
    if audit is None or audit.deleted_at is not None:
        raise NotFound
    organisation_or_404(user, audit.organisation_id, edit=edit)
    return audit
