"""Deleting organisations and audits, restoring them within 30 days, purging after.

Deleting only stamps deleted_at/deleted_by_id: from then on models/live.py keeps the row
out of every query, and an audit of a deleted organisation with it. Administrators
delete organisations and audits; a consultant deletes an audit in progress that they
started. An administrator restores from the "Deleted items" page; `purge` (the
`audit-app purge-deleted` command) removes what was deleted more than RECOVERY_DAYS ago
for good, with every row that depends on it. Each step is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select, update

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, EvidenceFile, Organisation, User
from audit_app.models.live import INCLUDE_DELETED
from audit_app.services import trail

RECOVERY_DAYS = 30


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- who may delete ----------------------------------------------------------------------


def may_delete_organisation(user: User) -> bool:
    return bool(user.is_admin)


def may_delete_audit(user: User, audit: Audit) -> bool:
    if user.is_admin:
        return True
    return (
        user.role == "consultant"
        and audit.status == "in_progress"
        and audit.created_by_id == user.id
    )


# -- deleting ------------------------------------------------------------------------------


def delete_organisation(user: User, organisation: Organisation) -> None:
    if not may_delete_organisation(user):
        raise UserError("not_allowed")
    organisation.deleted_at, organisation.deleted_by_id = _now(), user.id
    trail.record(user.id, "organisation_deleted", "organisation", organisation.id,
                 name=organisation.name)  # fmt: skip
    db.session.flush()


def delete_audit(user: User, audit: Audit) -> None:
    if not may_delete_audit(user, audit):
        raise UserError("not_allowed")
    audit.deleted_at, audit.deleted_by_id = _now(), user.id
    trail.record(user.id, "audit_deleted", "audit", audit.id,
                 organisation_id=audit.organisation_id, status=audit.status)  # fmt: skip
    db.session.flush()


# -- the "Deleted items" page and restoring --------------------------------------------------


@dataclass(frozen=True)
class DeletedItem:
    kind: str  # "organisation" | "audit"
    id: int
    name: str  # the organisation's name (for an audit: of its organisation)
    deleted_at: datetime
    deleted_by: str
    purge_on: datetime
    started_at: datetime | None = None  # audits only
    status: str = ""  # audits only


def _user_names() -> dict[int, str]:
    return {u.id: u.name for u in db.session.scalars(select(User))}


# The columns the "Deleted items" page may be sorted by (?sort=). The page joins two
# small tables awaiting purge (no paging), so it sorts the merged list here; the purge
# date follows the deletion date, and kind then id break ties.
DELETED_SORT_KEYS: dict[str, Callable[[DeletedItem], Any]] = {
    "deleted": lambda item: item.deleted_at,
    "purge": lambda item: item.purge_on,
    "kind": lambda item: item.kind,
    "name": lambda item: item.name.casefold(),
}


def deleted_items(sort: str = "deleted", descending: bool = True) -> list[DeletedItem]:
    """Everything deleted and not yet purged, by default the most recently deleted first."""
    names = _user_names()
    items: list[DeletedItem] = []
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.deleted_at.is_not(None))
        .execution_options(**INCLUDE_DELETED)
    )
    for organisation in organisations:
        deleted_at = _aware(organisation.deleted_at or _now())
        items.append(DeletedItem(
            "organisation", organisation.id, organisation.name, deleted_at,
            names.get(organisation.deleted_by_id or 0, ""),
            deleted_at + timedelta(days=RECOVERY_DAYS),
        ))  # fmt: skip
    audits = db.session.scalars(
        select(Audit).where(Audit.deleted_at.is_not(None)).execution_options(**INCLUDE_DELETED)
    )
    for audit in audits:
        deleted_at = _aware(audit.deleted_at or _now())
        items.append(DeletedItem(
            "audit", audit.id, audit.organisation.name, deleted_at,
            names.get(audit.deleted_by_id or 0, ""),
            deleted_at + timedelta(days=RECOVERY_DAYS),
            started_at=_aware(audit.started_at), status=audit.status,
        ))  # fmt: skip
    key = DELETED_SORT_KEYS.get(sort, DELETED_SORT_KEYS["deleted"])
    return sorted(items, key=lambda item: (key(item), item.kind, item.id), reverse=descending)


def deleted_organisation(organisation_id: int) -> Organisation:
    found = db.session.get(Organisation, organisation_id, execution_options=INCLUDE_DELETED)
    if found is None or found.deleted_at is None:
        raise UserError("not_deleted")
    return found


def deleted_audit(audit_id: int) -> Audit:
    found = db.session.get(Audit, audit_id, execution_options=INCLUDE_DELETED)
    if found is None or found.deleted_at is None:
        raise UserError("not_deleted")
    return found


def restore_organisation(user: User, organisation: Organisation) -> None:
    organisation.deleted_at, organisation.deleted_by_id = None, None
    trail.record(user.id, "organisation_restored", "organisation", organisation.id,
                 name=organisation.name)  # fmt: skip
    db.session.flush()


def restore_audit(user: User, audit: Audit) -> None:
    """The audit comes back; if its organisation is deleted too it stays hidden with it
    until the organisation is restored, which the page says."""
    audit.deleted_at, audit.deleted_by_id = None, None
    trail.record(user.id, "audit_restored", "audit", audit.id,
                 organisation_id=audit.organisation_id)  # fmt: skip
    db.session.flush()


# -- purging for good --------------------------------------------------------------------


def purge(now: datetime | None = None) -> tuple[int, int]:
    """Removes organisations and audits deleted more than RECOVERY_DAYS ago, with every
    row that depends on them; returns (organisations, audits) removed."""
    cutoff = (now or _now()) - timedelta(days=RECOVERY_DAYS)
    orgs = Organisation.__table__
    audits = Audit.__table__
    org_ids = list(db.session.scalars(
        select(orgs.c.id).where(orgs.c.deleted_at.is_not(None), orgs.c.deleted_at < cutoff)
    ))  # fmt: skip
    audit_ids = list(db.session.scalars(
        select(audits.c.id).where(
            (audits.c.deleted_at.is_not(None) & (audits.c.deleted_at < cutoff))
            | audits.c.organisation_id.in_(org_ids)
        )
    ))  # fmt: skip
    if not org_ids and not audit_ids:
        return 0, 0
    # Evidence files through the ORM, so their stored bytes go when this commits.
    for row in db.session.scalars(select(EvidenceFile).where(EvidenceFile.audit_id.in_(audit_ids))):
        db.session.delete(row)
    db.session.flush()
    _delete_rows(audits, audits.c.id.in_(audit_ids))
    _delete_rows(orgs, orgs.c.id.in_(org_ids))
    trail.record(None, "deleted_items_purged", "system", None,
                 organisations=org_ids, audits=audit_ids)  # fmt: skip
    db.session.flush()
    db.session.expire_all()
    return len(org_ids), len(audit_ids)


def _delete_rows(table: Table, condition: Any, depth: int = 0) -> None:
    """Deletes the rows of `table` matching `condition` and first whatever points at them:
    a nullable reference is cleared (an interaction stays, without the organisation),
    a required one takes its row along. Read from the metadata, so tables added later
    are covered."""
    if depth > 6:
        raise RuntimeError(f"references nest too deep at {table.name}")
    ids = list(db.session.scalars(select(table.c.id).where(condition))) if "id" in table.c else []
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table or not ids:
                continue
            column = fk.parent
            if column.nullable and not column.primary_key:
                db.session.execute(update(child).where(column.in_(ids)).values({column.name: None}))
            else:
                _delete_rows(child, column.in_(ids), depth + 1)
    db.session.execute(delete(table).where(condition))
