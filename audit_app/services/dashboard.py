"""What a user sees first: their organisations, audits in progress, actions due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from audit_app.extensions import db
from audit_app.models import Action, Audit, Organisation, User
from audit_app.services.access import visible_organisations

ACTIONS_DUE_WITHIN_DAYS = 30


@dataclass
class Dashboard:
    organisations: list[Organisation]
    in_progress: list[Audit]
    actions_due: list[Action]
    today: date


def dashboard_for(user: User, today: date | None = None) -> Dashboard:
    today = today or date.today()
    organisations_query = visible_organisations(user)
    # Which organisations the user sees, as a condition joined to the audits (not an
    # IN over the ids of every visible organisation); the audits' organisations are
    # loaded in the same query (the page names them).
    visible = organisations_query.whereclause
    organisations: list[Organisation] = list(
        db.session.scalars(organisations_query.order_by(Organisation.name).limit(20))
    )
    audits = (
        select(Audit)
        .join(Audit.organisation)
        .options(contains_eager(Audit.organisation))
        .where(Audit.status == "in_progress")
        .order_by(Audit.started_at.desc())
        .limit(20)
    )
    in_progress = list(db.session.scalars(audits if visible is None else audits.where(visible)))
    actions = (
        select(Action)
        .join(Action.audit)
        .join(Audit.organisation)
        .where(
            Action.status.in_(("todo", "in_progress")),
            Action.due_date.is_not(None),
            Action.due_date <= today + timedelta(days=ACTIONS_DUE_WITHIN_DAYS),
        )
        .order_by(Action.due_date)
        .limit(20)
    )
    actions_due = list(db.session.scalars(actions if visible is None else actions.where(visible)))
    return Dashboard(organisations, in_progress, actions_due, today)
