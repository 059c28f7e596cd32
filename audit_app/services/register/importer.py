"""Applying a parsed CSV: each row is created, updated, left unchanged or rejected
with a reason; a bad row never stops the others (each row runs in a savepoint).
People are matched on e-mail (or, without one, on a name only one visible person
has); organisations on domain or normalised name (importer_orgs.py). A dry run is
the same run rolled back by the caller."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ImportBatch, Organisation, Person, PersonEmail, User
from audit_app.services import access as org_access
from audit_app.services import organisations as org_service
from audit_app.services.register import changelog, memberships, people, profiles
from audit_app.services.register.access import is_editor, person_visible
from audit_app.services.register.csvparse import ParsedCsv, check_mapping
from audit_app.services.register.csvrows import Row, RowError, validate_row
from audit_app.services.register.importer_base import (
    MODES,
    ImportResult,
    Outcome,
    Reject,
    RunBase,
)
from audit_app.services.register.importer_orgs import organisation_row
from audit_app.services.register.text import email_key, name_key

__all__ = ["MODES", "ImportResult", "Outcome", "run_import"]


class _Run(RunBase):
    # --- people -------------------------------------------------------------------
    def find_person(self, values: dict[str, Any]) -> Person | None:
        keys = [email_key(e) for e in values.get("emails", [])]
        if keys:
            ids = set(
                db.session.scalars(
                    select(PersonEmail.person_id)
                    .join(Person, Person.id == PersonEmail.person_id)
                    .where(
                        PersonEmail.email_key.in_(keys),
                        Person.erased_at.is_(None),
                        person_visible(self.user),  # a hidden match must not show
                    )
                )
            )
        else:
            key = name_key(values.get("first_name", ""), values.get("last_name", ""))
            ids = set(
                db.session.scalars(
                    select(Person.id).where(
                        Person.name_key == key,
                        Person.erased_at.is_(None),
                        person_visible(self.user),
                    )
                )
            )
        if len(ids) > 1:
            raise Reject("ambiguous_email" if keys else "ambiguous_name")
        if not ids:
            return None
        return db.session.scalar(select(Person).where(Person.id.in_(ids)))

    def organisation(self, name: str) -> Organisation:
        cached = self.orgs.get(name)
        if cached is not None:
            organisation = db.session.get(Organisation, cached)
            assert organisation is not None
            return organisation
        ids = profiles.by_name_or_domain(name)
        matches = [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]
        # Organisations the user cannot see are left out, as if they did not exist: a
        # cross-visibility duplicate is for an administrator to merge.
        seen = [o for o in matches if org_access.can_view(self.user, o)]
        visible = [o for o in seen if org_access.can_edit(self.user, o)]
        if len(visible) > 1:
            raise Reject("organisation_ambiguous", name=name)
        if seen and not visible:
            raise Reject("organisation_no_access", name=name)
        if visible:
            organisation = visible[0]
        else:
            organisation = org_service.create(self.user, name=name, type="other")
            profiles.sync()
            profile = profiles.profile_of(organisation)
            profile.import_batch_id = self.batch.id
            after = profiles.organisation_values(organisation)
            changelog.created(self.user.id, "organisation", organisation.id, after, self.note)
            self.item("organisation", organisation.id, "created", after=after)
        self.orgs[name] = organisation.id
        return organisation

    def person_row(self, row: Row) -> Outcome:
        values = row.values
        found = self.find_person(values)
        self.decide(found)
        organisation = (
            self.organisation(values["organisation"]) if "organisation" in values else None
        )
        if found is None:
            data = people.PersonInput(
                first_name=values.get("first_name", ""),
                last_name=values.get("last_name", ""),
                job_title=values.get("job_title", ""),
                preferred_channel=values.get("preferred_channel", ""),
                language=values.get("language", ""),
                notes=values.get("notes", ""),
                emails=[people.ContactValue(e) for e in values.get("emails", [])],
                phones=[people.ContactValue(p) for p in values.get("phones", [])],
                tags=values.get("tags", []),
                owner_id=self.user.id,
            )
            person = people.create(
                self.user,
                data,
                organisation=organisation,
                role=values.get("role", ""),
                batch_id=self.batch.id,
                note=self.note,
            )
            self.item("person", person.id, "created", after=people.snapshot(person))
            return Outcome(row.line, "created", object_id=person.id, label=person.display_name)
        before = people.snapshot(found)
        merged = people.input_from_snapshot(before)
        for name in (
            "first_name",
            "last_name",
            "job_title",
            "preferred_channel",
            "language",
            "notes",
        ):
            if name in values:
                setattr(merged, name, values[name])
        merged.emails += [people.ContactValue(e) for e in values.get("emails", [])]
        merged.phones += [people.ContactValue(p) for p in values.get("phones", [])]
        merged.tags += values.get("tags", [])
        changes = people.update(self.user, found, merged, batch_id=self.batch.id, note=self.note)
        joined = False
        if organisation is not None:
            current = {m.id for m in found.memberships}
            membership = memberships.add_membership(
                self.user, found, organisation, role=values.get("role", ""), batch_id=self.batch.id
            )
            joined = membership.id not in current
        if not changes and not joined:
            return Outcome(row.line, "unchanged", object_id=found.id, label=found.display_name)
        self.item("person", found.id, "updated", before, people.snapshot(found))
        return Outcome(row.line, "updated", object_id=found.id, label=found.display_name)


def run_import(
    user: User,
    parsed: ParsedCsv,
    mapping: list[str],
    kind: str,
    mode: str,
    *,
    dry_run: bool = False,
    filename: str = "",
) -> ImportResult:
    """Apply every row; the caller commits (or rolls back for a dry run)."""
    if not is_editor(user):
        raise UserError("not_allowed")
    if mode not in MODES:
        raise UserError("unknown_mode", field="mode")
    check_mapping(mapping, kind)
    profiles.sync()
    batch = ImportBatch(kind=kind, mode=mode, filename=filename[:200], created_by_id=user.id)
    db.session.add(batch)
    db.session.flush()
    run = _Run(user, kind, mode, batch)

    def apply_row(row: Row) -> Outcome:
        return run.person_row(row) if kind == "people" else organisation_row(run, row)

    outcomes: list[Outcome] = []
    for line, cells in parsed.rows:
        checked = validate_row(line, cells, mapping, kind)
        if isinstance(checked, RowError):
            outcomes.append(Outcome(line, "rejected", checked.code, checked.params))
            continue
        savepoint = db.session.begin_nested()
        try:
            outcome = apply_row(checked)
            db.session.flush()
        except (Reject, UserError, SQLAlchemyError) as error:
            savepoint.rollback()
            run.orgs.clear()  # organisations created in the rolled-back row are gone
            if isinstance(error, Reject):
                outcomes.append(Outcome(line, "rejected", error.code, error.params))
            elif isinstance(error, UserError):
                outcomes.append(
                    Outcome(
                        line,
                        "rejected",
                        error.message,
                        {"field": error.field} if error.field else {},
                    )
                )
            else:
                outcomes.append(Outcome(line, "rejected", "database_error"))
            continue
        savepoint.commit()
        outcomes.append(outcome)
    result = ImportResult(kind, mode, dry_run, outcomes, None if dry_run else batch.id)
    batch.counts = result.counts
    batch.report = [vars(o) for o in outcomes]
    db.session.flush()
    return result
