"""Actions: recommendations turned into work (owner, due date, status).

Actions belong to a submitted audit and to one of the recommendations its result
fires. Services flush and never commit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from audit_app.domain.recommendations import recommend
from audit_app.errors import NotFound, UserError
from audit_app.extensions import db
from audit_app.models import Action, Audit, User
from audit_app.models.audits import ACTION_STATUSES
from audit_app.services import trail
from audit_app.services.access import audit_or_404
from audit_app.services.audits import current_result, questionnaire_for

TITLE_MAX = 500
OWNER_MAX = 200


def action_or_404(user: User, action_id: int, *, edit: bool = False) -> Action:
    """The action if the user may see its audit (403 when they may see but not edit)."""
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound
    audit_or_404(user, action.audit_id, edit=edit)
    return action


def _clean(title: str, owner: str, status: str) -> tuple[str, str]:
    title = " ".join(title.split())
    owner = " ".join(owner.split())
    if not title:
        raise UserError("title_required", field="title")
    if len(title) > TITLE_MAX:
        raise UserError("title_too_long", field="title")
    if len(owner) > OWNER_MAX:
        raise UserError("owner_too_long", field="owner")
    if status not in ACTION_STATUSES:
        raise UserError("unknown_status", field="status")
    return title, owner


def create_action(
    audit: Audit,
    recommendation_id: str,
    *,
    title: str,
    owner: str = "",
    due_date: date | None = None,
    status: str = "todo",
    user: User,
) -> Action:
    """A new action for one of the recommendations the audit's result fires."""
    if audit.status != "submitted":
        raise UserError("audit_not_submitted")
    fired = {item.id for item in recommend(questionnaire_for(audit), current_result(audit))}
    if recommendation_id not in fired:
        raise UserError("unknown_recommendation", field="recommendation_id")
    title, owner = _clean(title, owner, status)
    action = Action(
        audit_id=audit.id,
        recommendation_id=recommendation_id,
        title=title,
        owner=owner,
        due_date=due_date,
        status=status,
    )
    db.session.add(action)
    db.session.flush()
    trail.record(
        user.id,
        "create",
        "action",
        action.id,
        audit=audit.id,
        recommendation=recommendation_id,
        status=status,
    )
    return action


def update_action(
    action: Action,
    *,
    title: str,
    owner: str,
    due_date: date | None,
    status: str,
    user: User,
) -> bool:
    """Change an action; returns False when nothing changed (nothing is recorded)."""
    title, owner = _clean(title, owner, status)
    before = {
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
    }
    after = {"title": title, "owner": owner, "due_date": due_date, "status": status}
    changed = {key: value for key, value in after.items() if before[key] != value}
    if not changed:
        return False
    action.title = title
    action.owner = owner
    action.due_date = due_date
    action.status = status
    action.updated_at = datetime.now(UTC)
    db.session.flush()
    trail.record(
        user.id,
        "update",
        "action",
        action.id,
        **{key: str(value) if isinstance(value, date) else value for key, value in changed.items()},
    )
    return True
