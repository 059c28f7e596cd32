"""The respondents' collection of an audit: open or closed, the consultant's own role,
and the anonymity minimum. Services flush and never commit."""

from __future__ import annotations

from flask import current_app

from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, User
from audit_app.models.respondents import (
    CONSULTANT_ROLE,
    RespondentCollection,
)
from audit_app.services import trail
from audit_app.services.audits import questionnaire_for
from audit_app.services.signed_links import utcnow

DEFAULT_MIN_GROUP_SIZE = 3


def min_group_size() -> int:
    return max(1, int(current_app.config.get("MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE)))


def collection_of(audit: Audit) -> RespondentCollection | None:
    return db.session.get(RespondentCollection, audit.id)


def _collection(audit: Audit) -> RespondentCollection:
    found = collection_of(audit)
    if found is None:
        found = RespondentCollection(audit_id=audit.id, consultant_role=CONSULTANT_ROLE)
        db.session.add(found)
        db.session.flush()
    return found


def is_open(audit: Audit) -> bool:
    found = collection_of(audit)
    return found is None or found.closed_at is None


def consultant_role(audit: Audit) -> str:
    found = collection_of(audit)
    return found.consultant_role if found else CONSULTANT_ROLE


def role_ids(questionnaire: Questionnaire) -> list[str]:
    return [role.id for role in questionnaire.roles]


def close(audit: Audit, user: User) -> None:
    collection = _collection(audit)
    if collection.closed_at is not None:
        return
    collection.closed_at = utcnow()
    collection.closed_by_id = user.id
    trail.record(user.id, "close_collection", "audit", audit.id)
    db.session.flush()


def reopen(audit: Audit, user: User) -> None:
    collection = _collection(audit)
    if collection.closed_at is None:
        return
    collection.closed_at = None
    collection.closed_by_id = None
    trail.record(user.id, "reopen_collection", "audit", audit.id)
    db.session.flush()


def set_consultant_role(audit: Audit, role: str, user: User) -> None:
    if role != CONSULTANT_ROLE and role not in role_ids(questionnaire_for(audit)):
        raise UserError("unknown_role", field="role")
    collection = _collection(audit)
    if collection.consultant_role == role:
        return
    trail.record(
        user.id,
        "consultant_role",
        "audit",
        audit.id,
        previous=collection.consultant_role,
        role=role,
    )
    collection.consultant_role = role
    db.session.flush()
