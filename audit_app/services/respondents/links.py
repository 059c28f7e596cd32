"""Respondents' links: a personal link per respondent (named or not) or a shared link
per role that anyone may use anonymously; starting from a shared link creates a
respondent of its own. Tokens are `signed_links` with this module's salt, signed with
the row's creation time so the same link is shown every time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, User
from audit_app.models.respondents import (
    Respondent,
    RespondentLink,
)
from audit_app.services import signed_links, trail
from audit_app.services.audits import questionnaire_for
from audit_app.services.respondents.collection import is_open, role_ids
from audit_app.services.signed_links import Clock, LinkGone, LinkNotFound, aware, utcnow

SALT = "audit-app.respondent-link"
LINK_DAYS = (7, 14, 30, 60, 90)
DEFAULT_DAYS = 30
MAX_NAME = 200
MAX_DEPARTMENT = 200
MAX_REASON = 1000


def token_for(item: Respondent | RespondentLink) -> str:
    """The link's token, signed with the row's creation time (the same every time)."""
    created = aware(item.created_at)
    key = "r" if isinstance(item, Respondent) else "l"
    return signed_links.sign(SALT, {key: item.id, "n": item.nonce}, clock=lambda: created)


def resolve(token: str, *, clock: Clock = utcnow) -> Respondent | RespondentLink:
    """The live respondent or shared link a token names; raises LinkNotFound/LinkGone."""
    data = signed_links.read(SALT, token, max_age=max(LINK_DAYS) * 86400, clock=clock)
    item: Respondent | RespondentLink | None
    if isinstance(data.get("r"), int):
        item = db.session.get(Respondent, data["r"])
    elif isinstance(data.get("l"), int):
        item = db.session.get(RespondentLink, data["l"])
    else:
        raise LinkNotFound()
    if item is None:
        raise LinkNotFound()
    signed_links.check(item, data, clock=clock)
    audit = db.session.get(Audit, item.audit_id)
    if audit is None:
        raise LinkNotFound()
    if audit.status == "submitted":  # submitting closes collection; reopening reopens it
        raise LinkGone("submitted")
    if not is_open(audit):
        raise LinkGone("closed")
    return item


def status_of_link(item: Respondent | RespondentLink, *, clock: Clock = utcnow) -> str:
    """ "active", "expired" or "revoked", for lists."""
    if item.revoked_at is not None:
        return "revoked"
    return "expired" if clock() >= aware(item.expires_at) else "active"


def _check_role(audit: Audit, role: str) -> None:
    if role not in role_ids(questionnaire_for(audit)):
        raise UserError("unknown_role", field="role")


def _check_days(days: int) -> None:
    if days not in LINK_DAYS:
        raise UserError("bad_days", field="days")


def _checked_department(audit: Audit, role: str, days: int, department: str) -> str:
    """The checks a personal and a shared link have in common; the department, trimmed."""
    _check_role(audit, role)
    _check_days(days)
    department = department.strip()
    if len(department) > MAX_DEPARTMENT:
        raise UserError("too_long", field="department")
    return department


def _new_link_fields(user: User, days: int, clock: Clock) -> dict[str, Any]:
    """What every new link gets: its secret, who made it and when, and its expiry."""
    now = clock()
    return {
        "nonce": signed_links.new_nonce(),
        "created_at": now,
        "created_by_id": user.id,
        "expires_at": now + timedelta(days=days),
    }


def invite(
    audit: Audit,
    *,
    role: str,
    user: User,
    department: str = "",
    name: str = "",
    email: str = "",
    days: int = DEFAULT_DAYS,
    clock: Clock = utcnow,
) -> Respondent:
    """A personal link for one respondent (the name and e-mail are optional)."""
    department = _checked_department(audit, role, days, department)
    name, email = name.strip(), email.strip()
    if len(name) > MAX_NAME:
        raise UserError("too_long", field="name")
    respondent = Respondent(
        audit_id=audit.id,
        role=role,
        department=department,
        name=name,
        email=email,
        anonymous=False,
        **_new_link_fields(user, days, clock),
    )
    db.session.add(respondent)
    db.session.flush()
    trail.record(
        user.id, "invite_respondent", "respondent", respondent.id, audit_id=audit.id, role=role
    )
    return respondent


def create_link(
    audit: Audit,
    *,
    role: str,
    user: User,
    department: str = "",
    days: int = DEFAULT_DAYS,
    clock: Clock = utcnow,
) -> RespondentLink:
    """A shared anonymous link for one role."""
    link = RespondentLink(
        audit_id=audit.id,
        role=role,
        department=_checked_department(audit, role, days, department),
        **_new_link_fields(user, days, clock),
    )
    db.session.add(link)
    db.session.flush()
    trail.record(
        user.id, "create_respondent_link", "respondent_link", link.id, audit_id=audit.id, role=role
    )
    return link


def start_from_link(link: RespondentLink, *, clock: Clock = utcnow) -> Respondent:
    """A new anonymous respondent of the link's role; their own link lives as long as
    the shared one."""
    respondent = Respondent(
        audit_id=link.audit_id,
        link_id=link.id,
        role=link.role,
        department=link.department,
        anonymous=True,
        nonce=signed_links.new_nonce(),
        created_at=clock(),
        expires_at=link.expires_at,
    )
    db.session.add(respondent)
    db.session.flush()
    trail.record(None, "start_response", "respondent", respondent.id, link_id=link.id)
    return respondent


def revoke(item: Respondent | RespondentLink, user: User) -> None:
    if item.revoked_at is not None:
        return
    item.revoked_at = utcnow()
    if isinstance(item, RespondentLink):
        item.revoked_by_id = user.id
        trail.record(user.id, "revoke_respondent_link", "respondent_link", item.id)
    else:
        trail.record(user.id, "revoke_respondent", "respondent", item.id)
    db.session.flush()


def exclude(respondent: Respondent, reason: str, user: User) -> None:
    reason = reason.strip()
    if not reason:
        raise UserError("reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise UserError("too_long", field="reason")
    respondent.excluded_at = utcnow()
    respondent.excluded_by_id = user.id
    respondent.exclusion_reason = reason
    trail.record(
        user.id,
        "exclude_response",
        "respondent",
        respondent.id,
        audit_id=respondent.audit_id,
        reason=reason,
    )
    db.session.flush()


def include(respondent: Respondent, user: User) -> None:
    if respondent.excluded_at is None:
        return
    trail.record(
        user.id,
        "include_response",
        "respondent",
        respondent.id,
        audit_id=respondent.audit_id,
        previous_reason=respondent.exclusion_reason,
    )
    respondent.excluded_at = None
    respondent.excluded_by_id = None
    respondent.exclusion_reason = ""
    db.session.flush()


def respondents_of(audit: Audit) -> list[Respondent]:
    return list(
        db.session.scalars(select(Respondent).filter_by(audit_id=audit.id).order_by(Respondent.id))
    )


def links_of(audit: Audit) -> list[RespondentLink]:
    return list(
        db.session.scalars(
            select(RespondentLink).filter_by(audit_id=audit.id).order_by(RespondentLink.id)
        )
    )


def respondent_of_audit(audit: Audit, respondent_id: int) -> Respondent | None:
    found = db.session.get(Respondent, respondent_id)
    return found if found is not None and found.audit_id == audit.id else None


def link_of_audit(audit: Audit, link_id: int) -> RespondentLink | None:
    found = db.session.get(RespondentLink, link_id)
    return found if found is not None and found.audit_id == audit.id else None
