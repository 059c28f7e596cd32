"""User administration: listing users with what they can see, creating and editing them.

Creating accounts and hashing passwords stay in `accounts`; this module adds what an
administrator does on top of that. Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, TrailEvent, User
from audit_app.models.users import ROLES
from audit_app.services import accounts, trail

LANGUAGES = ("pl", "en")
MIN_PASSWORD = 10


@dataclass
class UserRow:
    user: User
    organisations: list[Organisation] = field(default_factory=list)  # unused for admins


# The columns the users list may be sorted by (?sort=).
SORT_COLUMNS = {"name": User.name, "email": User.email, "role": User.role}


def list_users(sort: str = "name", descending: bool = False) -> list[UserRow]:
    """All users (by name, or one of SORT_COLUMNS), each with the organisations they can
    see (assigned, shared or created by them; administrators see all of them)."""
    column = SORT_COLUMNS.get(sort, User.name)
    users = list(
        db.session.scalars(
            select(User).order_by(column.desc() if descending else column.asc(), User.id)
        )
    )
    organisations = {
        o.id: o for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    }
    visible: dict[int, set[int]] = {u.id: set() for u in users}
    for user_id, organisation_id in db.session.execute(
        select(OrganisationAccess.user_id, OrganisationAccess.organisation_id)
    ):
        visible.setdefault(user_id, set()).add(organisation_id)
    for organisation in organisations.values():
        if organisation.created_by_id is not None:
            visible.setdefault(organisation.created_by_id, set()).add(organisation.id)
    rows = []
    for user in users:
        ids = visible.get(user.id, set())
        rows.append(UserRow(user, [o for o in organisations.values() if o.id in ids]))
    return rows


def all_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))
    )


def access_ids(user: User) -> set[int]:
    """Organisations assigned or shared with `user` (not those merely created by them)."""
    return set(
        db.session.scalars(
            select(OrganisationAccess.organisation_id).where(OrganisationAccess.user_id == user.id)
        )
    )


def created_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(Organisation.id).where(Organisation.created_by_id == user.id))
    )


def check_password(password: str) -> None:
    """At least MIN_PASSWORD characters (raises UserError password_too_short)."""
    if len(password) < MIN_PASSWORD:
        raise UserError("password_too_short", field="password")


def create(actor: User, *, email: str, name: str, password: str, role: str, language: str) -> User:
    """A new account made by an administrator (recorded in the trail as theirs)."""
    if not actor.is_admin:
        raise UserError("admin_only")
    if language not in LANGUAGES:
        raise UserError("unknown_language", field="language")
    check_password(password)
    user = accounts.create_user(
        email=email, name=name, password=password, role=role, language=language
    )
    # accounts.create_user records the creation without an author; name the administrator.
    for pending in db.session.new:
        if (
            isinstance(pending, TrailEvent)
            and pending.object_type == "user"
            and pending.object_id == user.id
            and pending.user_id is None
        ):
            pending.user_id = actor.id
    db.session.flush()
    return user


def update(
    actor: User,
    user: User,
    *,
    name: str,
    role: str,
    language: str,
    active: bool,
    password: str | None = None,
    organisation_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Change an account; returns (and records) what changed. An administrator cannot
    demote or deactivate themself, so an install never loses its last administrator
    by accident."""
    if not actor.is_admin:
        raise UserError("admin_only")
    name = name.strip()
    if not name:
        raise UserError("name_required", field="name")
    if role not in ROLES:
        raise UserError("unknown_role", field="role")
    if language not in LANGUAGES:
        raise UserError("unknown_language", field="language")
    if actor.id == user.id and role != "admin":
        raise UserError("self_demotion", field="role")
    if actor.id == user.id and not active:
        raise UserError("self_deactivation", field="active")
    if password:
        check_password(password)

    changes: dict[str, Any] = {}
    for attribute, new in (
        ("name", name),
        ("role", role),
        ("language", language),
        ("active", active),
    ):
        old = getattr(user, attribute)
        if old != new:
            changes[attribute] = [old, new]
            setattr(user, attribute, new)
    if password:
        user.password_hash = accounts.hash_password(password)
        accounts.reset_failures(user)
        changes["password_reset"] = True
    if {"role", "active", "password_reset"} & changes.keys():
        accounts.end_sessions(user)
    if organisation_ids is not None:
        changes.update(_set_access(user, set(organisation_ids)))
    if changes:
        trail.record(actor.id, "update", "user", user.id, changes=changes)
    db.session.flush()
    return changes


def log_out_everywhere(actor: User, user: User) -> None:
    """End every session of `user` (a lost laptop, a shared cookie); recorded."""
    if not actor.is_admin:
        raise UserError("admin_only")
    accounts.end_sessions(user)
    trail.record(actor.id, "log_out_everywhere", "user", user.id)
    db.session.flush()


def _set_access(user: User, wanted: set[int]) -> dict[str, list[int]]:
    existing = {
        row.organisation_id: row
        for row in db.session.scalars(select(OrganisationAccess).filter_by(user_id=user.id))
    }
    known = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
    if wanted - known:
        raise UserError("unknown_organisation", field="organisations")
    added = sorted(wanted - existing.keys())
    removed = sorted(existing.keys() - wanted)
    for organisation_id in added:
        db.session.add(OrganisationAccess(organisation_id=organisation_id, user_id=user.id))
    for organisation_id in removed:
        db.session.delete(existing[organisation_id])
    changes: dict[str, list[int]] = {}
    if added:
        changes["organisations_added"] = added
    if removed:
        changes["organisations_removed"] = removed
    return changes
