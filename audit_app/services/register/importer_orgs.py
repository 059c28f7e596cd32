"""Importing organisations: one row creates or updates one organisation; the
register profile (domain, tags) is updated with it."""

from __future__ import annotations

from audit_app.extensions import db
from audit_app.models import Organisation
from audit_app.services import access as org_access
from audit_app.services import organisations as org_service
from audit_app.services.register import changelog, profiles, tags
from audit_app.services.register.csvrows import Row
from audit_app.services.register.importer_base import Outcome, Reject, RunBase


def organisation_row(run: RunBase, row: Row) -> Outcome:
    """Create or update one organisation (matched on domain, then normalised name)."""
    values = row.values
    ids = profiles.by_name_or_domain(values["name"], values.get("domain", ""))
    matches = [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]
    # Organisations the user cannot see are left out, as if they did not exist: a
    # cross-visibility duplicate is for an administrator to merge.
    seen = [o for o in matches if org_access.can_view(run.user, o)]
    visible = [o for o in seen if org_access.can_edit(run.user, o)]
    if len(visible) > 1:
        raise Reject("ambiguous_name")
    if seen and not visible:
        raise Reject("no_access")
    found = visible[0] if visible else None
    run.decide(found)
    if found is None:
        organisation = org_service.create(
            run.user,
            name=values["name"],
            type=values.get("type", "other"),
            size=values.get("size"),
            sector=values.get("sector"),
            city=values.get("city"),
        )
        profiles.sync()
        profile = profiles.profile_of(organisation)
        profile.import_batch_id = run.batch.id
        profile.domain = values.get("domain")
        tags.set_organisation_tags(organisation.id, values.get("tags", []))
        after = profiles.organisation_values(organisation)
        changelog.created(run.user.id, "organisation", organisation.id, after, run.note)
        run.item("organisation", organisation.id, "created", after=after)
        return Outcome(row.line, "created", object_id=organisation.id, label=organisation.name)
    before = profiles.organisation_values(found)
    fields = {name: values[name] for name in profiles.ORG_FIELDS if name in values}
    org_service.update(run.user, found, **fields)
    profile = profiles.profile_of(found)
    profile.domain = values.get("domain") or profile.domain
    tags.set_organisation_tags(found.id, [*before["tags"], *values.get("tags", [])])
    db.session.flush()
    after = profiles.organisation_values(found)
    changes = changelog.diff(before, after)
    if not changes:
        return Outcome(row.line, "unchanged", object_id=found.id, label=found.name)
    changelog.record(run.user.id, "organisation", found.id, "update", changes, run.note)
    run.item("organisation", found.id, "updated", before, after)
    return Outcome(row.line, "updated", object_id=found.id, label=found.name)
