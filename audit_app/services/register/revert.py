"""Reverting an import batch as a whole: records it created are deleted, records it
updated get their earlier values back. A record that was changed after the import,
or that has gathered interactions, follow-ups, consents or audits since, is kept
and listed, so a revert never loses later work."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, exists, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import (
    Audit,
    Consent,
    Followup,
    ImportBatch,
    ImportBatchItem,
    Interaction,
    Membership,
    Organisation,
    OrganisationAccess,
    OrganisationProfile,
    Person,
    User,
)
from audit_app.models.base import utcnow
from audit_app.models.register import interaction_participants, organisation_tags
from audit_app.services import organisations as org_service
from audit_app.services import trail
from audit_app.services.register import changelog, people, profiles, tags


@dataclass
class RevertResult:
    reverted: int = 0
    kept: list[tuple[str, int, str]] = field(default_factory=list)  # (type, id, reason)


def _person_active(person_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(interaction_participants.c.person_id == person_id)
                | exists().where(Followup.person_id == person_id)
                | exists().where(Consent.person_id == person_id)
            )
        )
    )


def _organisation_active(organisation_id: int) -> bool:
    """Audits, interactions, follow-ups or members (people created by the batch are
    already gone when their organisation's turn comes; items run newest first)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(Audit.organisation_id == organisation_id)
                | exists().where(Interaction.organisation_id == organisation_id)
                | exists().where(Followup.organisation_id == organisation_id)
                | exists().where(Membership.organisation_id == organisation_id)
            )
        )
    )


def _delete_organisation(organisation_id: int) -> None:
    db.session.execute(delete(Membership).where(Membership.organisation_id == organisation_id))
    db.session.execute(
        delete(organisation_tags).where(organisation_tags.c.organisation_id == organisation_id)
    )
    db.session.execute(
        delete(OrganisationProfile).where(OrganisationProfile.organisation_id == organisation_id)
    )
    db.session.execute(
        delete(OrganisationAccess).where(OrganisationAccess.organisation_id == organisation_id)
    )
    db.session.execute(delete(Organisation).where(Organisation.id == organisation_id))


def revert(user: User, batch: ImportBatch) -> RevertResult:
    if batch.reverted_at is not None:
        raise UserError("already_reverted")
    note = f"revert import #{batch.id}"
    result = RevertResult()
    items = list(
        db.session.scalars(
            select(ImportBatchItem)
            .where(ImportBatchItem.batch_id == batch.id)
            .order_by(ImportBatchItem.id.desc())
        )
    )
    for item in items:
        if item.object_type == "person":
            person = db.session.get(Person, item.object_id)
            if person is None or person.erased_at is not None:
                continue
            now = changelog.plain(people.snapshot(person))
            if item.action == "created":
                if _person_active(person.id):
                    result.kept.append(("person", person.id, "has_activity"))
                    continue
                if now != item.after:
                    result.kept.append(("person", person.id, "changed_since"))
                    continue
                changelog.record(user.id, "person", person.id, "delete", {}, note)
                db.session.delete(person)
            else:
                if now != item.after:
                    result.kept.append(("person", person.id, "changed_since"))
                    continue
                people.update(user, person, people.input_from_snapshot(item.before), note=note)
                db.session.execute(
                    delete(Membership).where(
                        Membership.person_id == person.id, Membership.import_batch_id == batch.id
                    )
                )
            result.reverted += 1
        else:
            organisation = db.session.get(Organisation, item.object_id)
            if organisation is None:
                continue
            now = changelog.plain(profiles.organisation_values(organisation))
            if item.action == "created":
                if _organisation_active(organisation.id) or now != item.after:
                    result.kept.append(("organisation", organisation.id, "has_activity"))
                    continue
                changelog.record(user.id, "organisation", organisation.id, "delete", {}, note)
                trail.record(
                    user.id, "delete", "organisation", organisation.id, import_batch=batch.id
                )
                db.session.flush()
                _delete_organisation(organisation.id)
                db.session.expunge(organisation)
            else:
                if now != item.after:
                    result.kept.append(("organisation", organisation.id, "changed_since"))
                    continue
                before = item.before
                org_service.update(
                    user, organisation, **{name: before[name] for name in profiles.ORG_FIELDS}
                )
                profile = profiles.profile_of(organisation)
                profile.domain = before.get("domain")
                tags.set_organisation_tags(organisation.id, before.get("tags", []))
                changelog.record(
                    user.id,
                    "organisation",
                    organisation.id,
                    "update",
                    changelog.diff(item.after, before),
                    note,
                )
            result.reverted += 1
        db.session.flush()
    batch.reverted_at = utcnow()
    batch.reverted_by_id = user.id
    db.session.flush()
    return result
