"""Merging two records of the same person or organisation: the user picks each
field from one side; everything attached to the dropped record (interactions,
follow-ups, consents, memberships, e-mails, phones, tags; for organisations also
audits, access rows, reports and any other row pointing at it) moves to the kept
one, the dropped record is deleted and both sides are written to the change log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, exists, update
from sqlalchemy.orm import aliased

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import (
    Consent,
    Followup,
    Membership,
    Organisation,
    OrganisationAccess,
    OrganisationProfile,
    Person,
    PersonEmail,
    PersonPhone,
    User,
)
from audit_app.models.register import interaction_participants, organisation_tags, person_tags
from audit_app.services import trail
from audit_app.services.register import changelog, people, profiles, stats, tags

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "preferred_channel",
    "language",
    "notes",
    "owner_id",
    "stay_in_touch_days",
)
ORGANISATION_FIELDS = ("name", "type", "size", "sector", "city")
PROFILE_FIELDS = ("domain", "owner_id", "stay_in_touch_days")


def _pick(choices: dict[str, str], name: str, keep: Any, drop: Any) -> Any:
    return getattr(drop if choices.get(name) == "drop" else keep, name)


def _move_pairs(table: Any, column: str, other: str, keep_id: int, drop_id: int) -> None:
    """Re-point rows of an association table from drop to keep without duplicates."""
    col, oth = table.c[column], table.c[other]
    mine = table.alias()
    db.session.execute(
        delete(table).where(
            col == drop_id, exists().where(mine.c[column] == keep_id, mine.c[other] == oth)
        )
    )
    db.session.execute(update(table).where(col == drop_id).values({column: keep_id}))


def merge_people(user: User, keep: Person, drop: Person, choices: dict[str, str]) -> Person:
    if keep.id == drop.id:
        raise UserError("same_record")
    before_keep, before_drop = people.snapshot(keep), people.snapshot(drop)
    merged = people.input_from_snapshot(before_keep)
    for name in PERSON_FIELDS:
        setattr(
            merged,
            name,
            _pick(choices, name, keep, drop)
            or ("" if name not in ("owner_id", "stay_in_touch_days") else None),
        )
    if choices.get("notes") == "both" and keep.notes and drop.notes and keep.notes != drop.notes:
        merged.notes = f"{keep.notes}\n\n{drop.notes}"
    first, second = (
        (people.input_from_snapshot(before_drop), merged)
        if choices.get("emails") == "drop"
        else (merged, people.input_from_snapshot(before_drop))
    )
    merged.emails = [*first.emails, *second.emails]
    merged.phones = [*first.phones, *second.phones]
    merged.tags = [*merged.tags, *before_drop["tags"]]
    drop_id = drop.id
    # Move what hangs on the dropped person first, then rewrite the kept one's values.
    db.session.execute(
        update(Membership).where(Membership.person_id == drop_id).values(person_id=keep.id)
    )
    _move_pairs(interaction_participants, "person_id", "interaction_id", keep.id, drop_id)
    db.session.execute(
        update(Followup).where(Followup.person_id == drop_id).values(person_id=keep.id)
    )
    db.session.execute(
        update(Consent).where(Consent.person_id == drop_id).values(person_id=keep.id)
    )
    db.session.execute(delete(PersonEmail).where(PersonEmail.person_id == drop_id))
    db.session.execute(delete(PersonPhone).where(PersonPhone.person_id == drop_id))
    db.session.execute(delete(person_tags).where(person_tags.c.person_id == drop_id))
    db.session.expunge(drop)
    db.session.execute(delete(Person).where(Person.id == drop_id))
    db.session.expire(keep)
    # Repeated current memberships of the same organisation: keep the older row.
    other = aliased(Membership)
    db.session.execute(
        delete(Membership).where(
            Membership.person_id == keep.id,
            Membership.ended_on.is_(None),
            exists().where(
                other.person_id == keep.id,
                other.ended_on.is_(None),
                other.organisation_id == Membership.organisation_id,
                other.id < Membership.id,
            ),
        )
    )
    people.update(user, keep, merged, note=f"merge #{drop_id}")
    changelog.record(
        user.id,
        "person",
        keep.id,
        "merge",
        {"merged_from": [drop_id, None], **changelog.diff(before_keep, people.snapshot(keep))},
    )
    changelog.record(
        user.id,
        "person",
        drop_id,
        "merged_into",
        {
            "person": [drop_id, keep.id],
            **{k: [v, None] for k, v in changelog.plain(before_drop).items() if v},
        },
    )
    stats.refresh_people([keep.id])
    return keep


def _profile_values(organisation: Organisation) -> dict[str, Any]:
    profile = profiles.profile_of(organisation)
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    values.update({name: getattr(profile, name) for name in PROFILE_FIELDS})
    values["tags"] = tags.organisation_tag_names(organisation.id)
    return values


def _repoint_everything(keep_id: int, drop_id: int) -> None:
    """Every other column that references organisations.id (audits, reports,
    memberships, interactions, follow-ups and tables added later) moves to keep."""
    special = {"organisation_access", "organisation_tags", "organisation_profiles"}
    for table in db.metadata.sorted_tables:
        if table.name in special:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "organisations" and fk.column.name == "id":
                column = fk.parent
                db.session.execute(
                    update(table).where(column == drop_id).values({column.name: keep_id})
                )


def merge_organisations(
    user: User, keep: Organisation, drop: Organisation, choices: dict[str, str]
) -> Organisation:
    if keep.id == drop.id:
        raise UserError("same_record")
    before_keep, before_drop = _profile_values(keep), _profile_values(drop)
    keep_profile, drop_profile = profiles.profile_of(keep), profiles.profile_of(drop)
    new_values = {name: _pick(choices, name, keep, drop) for name in ORGANISATION_FIELDS}
    new_profile = {
        name: _pick(choices, name, keep_profile, drop_profile) for name in PROFILE_FIELDS
    }
    drop_id = drop.id
    _repoint_everything(keep.id, drop_id)
    _move_pairs(OrganisationAccess.__table__, "organisation_id", "user_id", keep.id, drop_id)
    _move_pairs(organisation_tags, "organisation_id", "tag_id", keep.id, drop_id)
    other = aliased(Membership)
    db.session.execute(
        delete(Membership).where(
            Membership.organisation_id == keep.id,
            Membership.ended_on.is_(None),
            exists().where(
                and_(
                    other.organisation_id == keep.id,
                    other.ended_on.is_(None),
                    other.person_id == Membership.person_id,
                    other.id < Membership.id,
                )
            ),
        )
    )
    db.session.expunge(drop_profile)
    db.session.expunge(drop)
    db.session.execute(
        delete(OrganisationProfile).where(OrganisationProfile.organisation_id == drop_id)
    )
    db.session.execute(delete(Organisation).where(Organisation.id == drop_id))
    db.session.expire_all()
    keep = db.session.get(Organisation, keep.id) or keep
    for name, value in new_values.items():
        setattr(keep, name, value)
    keep_profile = profiles.profile_of(keep)
    for name, value in new_profile.items():
        setattr(keep_profile, name, value)
    db.session.flush()
    profiles.sync()
    after = _profile_values(keep)
    changelog.record(
        user.id,
        "organisation",
        keep.id,
        "merge",
        {"merged_from": [drop_id, None], **changelog.diff(before_keep, after)},
    )
    changelog.record(
        user.id,
        "organisation",
        drop_id,
        "merged_into",
        {
            "organisation": [drop_id, keep.id],
            **{k: [v, None] for k, v in changelog.plain(before_drop).items() if v},
        },
    )
    trail.record(user.id, "merge", "organisation", keep.id, merged_from=drop_id)
    stats.refresh_organisations([keep.id])
    return keep
