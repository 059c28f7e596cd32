"""Recording the audit trail."""

from __future__ import annotations

from typing import Any

from audit_app.extensions import db
from audit_app.models import TrailEvent


def record(
    user_id: int | None, action: str, object_type: str, object_id: int | None, **details: Any
) -> TrailEvent:
    event = TrailEvent(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    db.session.add(event)
    return event
