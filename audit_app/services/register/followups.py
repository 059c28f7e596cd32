"""Follow-ups: create, edit, complete; what is due for a user (the dashboard) and the
stay-in-touch cadence that creates follow-ups when a contact has gone quiet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import (
    Followup,
    Interaction,
    Organisation,
    OrganisationProfile,
    Person,
    User,
)
from audit_app.models.base import utcnow
from audit_app.models.register import FOLLOWUP_STATUSES, PRIORITIES
from audit_app.services import access as org_access
from audit_app.services.register import changelog
from audit_app.services.register.access import (
    can_view_person,
    followup_visible,
    interaction_visible,
    is_editor,
)

FIELDS = (
    "title",
    "notes",
    "due_on",
    "priority",
    "assignee_id",
    "organisation_id",
    "person_id",
    "interaction_id",
)
DUE_WITHIN_DAYS = 7
STAY_IN_TOUCH = "stay_in_touch"


@dataclass
class FollowupInput:
    title: str
    due_on: date
    priority: str = "normal"
    assignee_id: int | None = None
    notes: str = ""
    organisation_id: int | None = None
    person_id: int | None = None
    interaction_id: int | None = None


def validate(user: User, data: FollowupInput) -> FollowupInput:
    title = " ".join(data.title.split())[:300]
    if not title:
        raise UserError("title_required", field="title")
    if data.priority not in PRIORITIES:
        raise UserError("unknown_priority", field="priority")
    if data.assignee_id is not None and db.session.get(User, data.assignee_id) is None:
        raise UserError("unknown_owner", field="assignee_id")
    if data.organisation_id is not None:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None or not org_access.can_view(user, organisation):
            raise UserError("organisation_not_found", field="organisation_id")
    if data.person_id is not None and not can_view_person(user, data.person_id):
        raise UserError("unknown_participant", field="person_id")
    if (
        data.interaction_id is not None
        and db.session.scalar(
            select(Interaction.id).where(
                Interaction.id == data.interaction_id, interaction_visible(user)
            )
        )
        is None
    ):
        raise UserError("unknown_interaction", field="interaction_id")
    return FollowupInput(
        title,
        data.due_on,
        data.priority,
        data.assignee_id,
        data.notes.strip(),
        data.organisation_id,
        data.person_id,
        data.interaction_id,
    )


def snapshot(followup: Followup) -> dict[str, Any]:
    values = {name: getattr(followup, name) for name in FIELDS}
    values["status"] = followup.status
    return values


def create(user: User, data: FollowupInput, *, origin: str = "manual") -> Followup:
    if not is_editor(user):
        raise UserError("not_allowed")
    clean = validate(user, data)
    followup = Followup(
        created_by_id=user.id,
        origin=origin,
        status="open",
        **{name: getattr(clean, name) for name in FIELDS},
    )
    db.session.add(followup)
    db.session.flush()
    changelog.created(user.id, "followup", followup.id, snapshot(followup))
    return followup


def update(user: User, followup: Followup, data: FollowupInput) -> dict[str, list[Any]]:
    clean = validate(user, data)
    before = snapshot(followup)
    for name in FIELDS:
        setattr(followup, name, getattr(clean, name))
    db.session.flush()
    changes = changelog.diff(before, snapshot(followup))
    if changes:
        changelog.record(user.id, "followup", followup.id, "update", changes)
    return changes


def set_status(user: User, followup: Followup, status: str) -> None:
    if status not in FOLLOWUP_STATUSES:
        raise UserError("unknown_status", field="status")
    if status == followup.status:
        return
    changelog.record(
        user.id, "followup", followup.id, "status", {"status": [followup.status, status]}
    )
    followup.status = status
    followup.completed_at = utcnow() if status != "open" else None
    db.session.flush()


@dataclass
class FollowupsDue:
    today: date
    overdue: list[Followup] = field(default_factory=list)
    upcoming: list[Followup] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.upcoming)


def followups_due(
    user: User, today: date | None = None, *, within_days: int = DUE_WITHIN_DAYS, limit: int = 20
) -> FollowupsDue:
    """The user's open follow-ups (assigned to them, or created by them and
    unassigned) that are overdue or due within `within_days` days, soonest first."""
    today = today or date.today()
    mine = or_(
        Followup.assignee_id == user.id,
        and_(Followup.assignee_id.is_(None), Followup.created_by_id == user.id),
    )
    rows = list(
        db.session.scalars(
            select(Followup)
            .where(
                mine,
                Followup.status == "open",
                Followup.due_on <= today + timedelta(days=within_days),
            )
            .order_by(Followup.due_on, Followup.id)
            .limit(limit)
        )
    )
    return FollowupsDue(
        today, [f for f in rows if f.due_on < today], [f for f in rows if f.due_on >= today]
    )


def is_overdue(followup: Followup, today: date | None = None) -> bool:
    return followup.status == "open" and followup.due_on < (today or date.today())


def open_for(
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
    user: User | None = None,
    limit: int = 50,
) -> list[Followup]:
    query = select(Followup).where(Followup.status == "open")
    if person_id is not None:
        query = query.where(Followup.person_id == person_id)
    if organisation_id is not None:
        query = query.where(Followup.organisation_id == organisation_id)
    if user is not None:
        query = query.where(followup_visible(user))
    return list(db.session.scalars(query.order_by(Followup.due_on, Followup.id).limit(limit)))


def _open_cadence(**link: Any) -> Any:
    conditions = [Followup.status == "open", Followup.origin == STAY_IN_TOUCH]
    conditions += [getattr(Followup, key) == value for key, value in link.items()]
    return exists().where(*conditions)


def _cadence_followup(
    title: str,
    since: datetime,
    days: int | None,
    today: date,
    assignee_id: int | None,
    **link: int,
) -> Followup | None:
    """The stay-in-touch follow-up of one person or organisation (`link` names it), or
    None when its last contact is not yet `days` ago."""
    due = since.date() + timedelta(days=days or 0)
    if due > today:
        return None
    return Followup(
        title=title,
        due_on=due,
        priority="normal",
        status="open",
        origin=STAY_IN_TOUCH,
        assignee_id=assignee_id,
        created_by_id=None,
        **link,
    )


def stay_in_touch(today: date | None = None) -> list[Followup]:
    """Create a follow-up for every person and organisation with a stay-in-touch
    cadence whose last contact (or creation) is at least that many days ago and that
    has no open stay-in-touch follow-up yet. Idempotent: running it twice creates
    nothing new. The title holds the name; pages show "Get in touch with ..."."""
    from audit_app.services.register import profiles

    today = today or date.today()
    people = db.session.scalars(
        select(Person).where(
            Person.stay_in_touch_days.is_not(None),
            Person.erased_at.is_(None),
            ~_open_cadence(person_id=Person.id),
        )
    )
    candidates = [
        _cadence_followup(
            person.display_name,
            person.last_contacted_at or person.created_at,
            person.stay_in_touch_days,
            today,
            person.owner_id or person.created_by_id,
            person_id=person.id,
        )
        for person in people
    ]
    profiles.sync()
    rows = db.session.execute(
        select(OrganisationProfile, Organisation)
        .join(Organisation, Organisation.id == OrganisationProfile.organisation_id)
        .where(
            OrganisationProfile.stay_in_touch_days.is_not(None),
            ~_open_cadence(organisation_id=Organisation.id, person_id=None),
        )
    )
    candidates += [
        _cadence_followup(
            organisation.name,
            profile.last_contacted_at or organisation.created_at,
            profile.stay_in_touch_days,
            today,
            profile.owner_id or organisation.created_by_id,
            organisation_id=organisation.id,
        )
        for profile, organisation in rows
    ]
    created = [followup for followup in candidates if followup is not None]
    db.session.add_all(created)
    db.session.flush()
    for followup in created:
        changelog.created(None, "followup", followup.id, snapshot(followup), STAY_IN_TOUCH)
    return created
