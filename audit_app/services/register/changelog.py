"""The append-only change log: one entry per change of a record, with the old and
new value of every field that changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChangeLog


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        name: [plain(before.get(name)), plain(after.get(name))]
        for name in after
        if plain(before.get(name)) != plain(after.get(name))
    }


def record(
    user_id: int | None,
    object_type: str,
    object_id: int,
    action: str,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> ChangeLog:
    entry = ChangeLog(
        user_id=user_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        changes=plain(dict(changes or {})),
        note=note[:300],
    )
    db.session.add(entry)
    return entry


def created(
    user_id: int | None, object_type: str, object_id: int, values: Mapping[str, Any], note: str = ""
) -> ChangeLog:
    """A 'create' entry: every non-empty field as [None, value]."""
    changes = {k: [None, plain(v)] for k, v in values.items() if v not in (None, "", [], False)}
    return record(user_id, object_type, object_id, "create", changes, note)


def history(object_type: str, object_id: int, limit: int = 200) -> list[ChangeLog]:
    """The record's entries, newest first."""
    return list(
        db.session.scalars(
            select(ChangeLog)
            .where(ChangeLog.object_type == object_type, ChangeLog.object_id == object_id)
            .order_by(ChangeLog.id.desc())
            .limit(limit)
        )
    )
