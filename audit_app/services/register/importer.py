"""Applying a parsed CSV: each row is created, updated, left unchanged or rejected
with a reason; a bad row never stops the others (each row runs in a savepoint).
People are matched on e-mail (or, without one, on a name only one visible person
has); organisations on domain or normalised name. A dry run is the same run rolled
back by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ImportBatch, ImportBatchItem, Organisation, Person, PersonEmail, User
from audit_app.services import access as org_access
from audit_app.services import organisations as org_service
from audit_app.services.register import changelog, people, profiles, tags
from audit_app.services.register.access import is_editor, person_visible
from audit_app.services.register.csvparse import ParsedCsv, check_mapping
from audit_app.services.register.csvrows import Row, RowError, validate_row
from audit_app.services.register.text import email_key, name_key

MODES = ("create", "update", "upsert")
ORG_FIELDS = ("name", "type", "size", "sector", "city")


@dataclass
class Outcome:
    line: int
    status: str  # created | updated | unchanged | rejected
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    object_id: int | None = None
    label: str = ""


@dataclass
class ImportResult:
    kind: str
    mode: str
    dry_run: bool
    outcomes: list[Outcome]
    batch_id: int | None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts


class _Reject(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


class _Run:
    def __init__(self, user: User, kind: str, mode: str, batch: ImportBatch) -> None:
        self.user, self.kind, self.mode, self.batch = user, kind, mode, batch
        self.note = f"import #{batch.id}"
        self.orgs: dict[str, int] = {}

    def item(self, object_type: str, object_id: int, action: str,
             before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        db.session.add(ImportBatchItem(
            batch_id=self.batch.id, object_type=object_type, object_id=object_id, action=action,
            before=changelog.plain(before or {}), after=changelog.plain(after or {})))

    def decide(self, found: Any) -> None:
        if found is not None and self.mode == "create":
            raise _Reject("exists", id=getattr(found, "id", None))
        if found is None and self.mode == "update":
            raise _Reject("not_found")

    # --- people -------------------------------------------------------------------
    def find_person(self, values: dict[str, Any]) -> Person | None:
        keys = [email_key(e) for e in values.get("emails", [])]
        if keys:
            ids = set(db.session.scalars(
                select(PersonEmail.person_id).join(Person, Person.id == PersonEmail.person_id)
                .where(PersonEmail.email_key.in_(keys), Person.erased_at.is_(None))))
        else:
            key = name_key(values.get("first_name", ""), values.get("last_name", ""))
            ids = set(db.session.scalars(select(Person.id).where(
                Person.name_key == key, Person.erased_at.is_(None), person_visible(self.user))))
        if len(ids) > 1:
            raise _Reject("ambiguous_email" if keys else "ambiguous_name")
        if not ids:
            return None
        person: Person | None = db.session.scalar(
            select(Person).where(Person.id.in_(ids), person_visible(self.user)))
        if person is None:
            raise _Reject("no_access")
        return person

    def organisation(self, name: str) -> Organisation:
        cached = self.orgs.get(name)
        if cached is not None:
            organisation = db.session.get(Organisation, cached)
            assert organisation is not None
            return organisation
        ids = profiles.by_name_or_domain(name)
        matches = [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]
        visible = [o for o in matches if org_access.can_edit(self.user, o)]
        if len(visible) > 1:
            raise _Reject("organisation_ambiguous", name=name)
        if not visible and matches:
            raise _Reject("organisation_no_access", name=name)
        if visible:
            organisation = visible[0]
        else:
            organisation = org_service.create(self.user, name=name, type="other")
            profiles.sync()
            profile = profiles.profile_of(organisation)
            profile.import_batch_id = self.batch.id
            after = self.organisation_values(organisation)
            changelog.created(self.user.id, "organisation", organisation.id, after, self.note)
            self.item("organisation", organisation.id, "created", after=after)
        self.orgs[name] = organisation.id
        return organisation

    def person_row(self, row: Row) -> Outcome:
        values = row.values
        found = self.find_person(values)
        self.decide(found)
        organisation = self.organisation(values["organisation"]) if "organisation" in values \
            else None
        if found is None:
            data = people.PersonInput(
                first_name=values.get("first_name", ""), last_name=values.get("last_name", ""),
                job_title=values.get("job_title", ""),
                preferred_channel=values.get("preferred_channel", ""),
                language=values.get("language", ""), notes=values.get("notes", ""),
                emails=[people.ContactValue(e) for e in values.get("emails", [])],
                phones=[people.ContactValue(p) for p in values.get("phones", [])],
                tags=values.get("tags", []), owner_id=self.user.id)
            person = people.create(self.user, data, organisation=organisation,
                                   role=values.get("role", ""), batch_id=self.batch.id,
                                   note=self.note)
            self.item("person", person.id, "created", after=people.snapshot(person))
            return Outcome(row.line, "created", object_id=person.id, label=person.display_name)
        before = people.snapshot(found)
        merged = from_snapshot(before)
        for name in ("first_name", "last_name", "job_title", "preferred_channel", "language",
                     "notes"):
            if name in values:
                setattr(merged, name, values[name])
        merged.emails += [people.ContactValue(e) for e in values.get("emails", [])]
        merged.phones += [people.ContactValue(p) for p in values.get("phones", [])]
        merged.tags += values.get("tags", [])
        changes = people.update(self.user, found, merged, batch_id=self.batch.id, note=self.note)
        joined = False
        if organisation is not None:
            current = {m.id for m in found.memberships}
            membership = people.add_membership(self.user, found, organisation,
                                               role=values.get("role", ""), batch_id=self.batch.id)
            joined = membership.id not in current
        if not changes and not joined:
            return Outcome(row.line, "unchanged", object_id=found.id, label=found.display_name)
        self.item("person", found.id, "updated", before, people.snapshot(found))
        return Outcome(row.line, "updated", object_id=found.id, label=found.display_name)

    # --- organisations ---------------------------------------------------------------
    @staticmethod
    def organisation_values(organisation: Organisation) -> dict[str, Any]:
        profile = profiles.profile_of(organisation)
        values = {name: getattr(organisation, name) for name in ORG_FIELDS}
        values.update(domain=profile.domain,
                      tags=tags.organisation_tag_names(organisation.id))
        return values

    def organisation_row(self, row: Row) -> Outcome:
        values = row.values
        ids = profiles.by_name_or_domain(values["name"], values.get("domain", ""))
        matches = [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]
        visible = [o for o in matches if org_access.can_edit(self.user, o)]
        if len(visible) > 1:
            raise _Reject("ambiguous_name")
        if matches and not visible:
            raise _Reject("no_access")
        found = visible[0] if visible else None
        self.decide(found)
        if found is None:
            organisation = org_service.create(
                self.user, name=values["name"], type=values.get("type", "other"),
                size=values.get("size"), sector=values.get("sector"), city=values.get("city"))
            profiles.sync()
            profile = profiles.profile_of(organisation)
            profile.import_batch_id = self.batch.id
            profile.domain = values.get("domain")
            tags.set_organisation_tags(organisation.id, values.get("tags", []))
            after = self.organisation_values(organisation)
            changelog.created(self.user.id, "organisation", organisation.id, after, self.note)
            self.item("organisation", organisation.id, "created", after=after)
            return Outcome(row.line, "created", object_id=organisation.id,
                           label=organisation.name)
        before = self.organisation_values(found)
        fields = {name: values[name] for name in ORG_FIELDS if name in values}
        org_service.update(self.user, found, **fields)
        profile = profiles.profile_of(found)
        profile.domain = values.get("domain") or profile.domain
        tags.set_organisation_tags(found.id, [*before["tags"], *values.get("tags", [])])
        db.session.flush()
        after = self.organisation_values(found)
        changes = changelog.diff(before, after)
        if not changes:
            return Outcome(row.line, "unchanged", object_id=found.id, label=found.name)
        changelog.record(self.user.id, "organisation", found.id, "update", changes, self.note)
        self.item("organisation", found.id, "updated", before, after)
        return Outcome(row.line, "updated", object_id=found.id, label=found.name)


def from_snapshot(values: dict[str, Any]) -> people.PersonInput:
    def contact(items: list[dict[str, Any]]) -> list[people.ContactValue]:
        return [people.ContactValue(i["value"], bool(i["primary"]), bool(i["opt_out"]))
                for i in items]

    return people.PersonInput(
        first_name=values["first_name"], last_name=values["last_name"],
        job_title=values["job_title"] or "", preferred_channel=values["preferred_channel"] or "",
        language=values["language"] or "", notes=values["notes"] or "",
        emails=contact(values["emails"]), phones=contact(values["phones"]),
        tags=list(values["tags"]), owner_id=values["owner_id"],
        stay_in_touch_days=values["stay_in_touch_days"])


def run_import(user: User, parsed: ParsedCsv, mapping: list[str], kind: str, mode: str, *,
               dry_run: bool = False, filename: str = "") -> ImportResult:
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
    apply_row = run.person_row if kind == "people" else run.organisation_row
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
        except (_Reject, UserError, SQLAlchemyError) as error:
            savepoint.rollback()
            run.orgs.clear()  # organisations created in the rolled-back row are gone
            if isinstance(error, _Reject):
                outcomes.append(Outcome(line, "rejected", error.code, error.params))
            elif isinstance(error, UserError):
                outcomes.append(Outcome(line, "rejected", error.message,
                                        {"field": error.field} if error.field else {}))
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
