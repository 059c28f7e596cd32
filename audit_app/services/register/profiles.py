"""What the register keeps about an organisation: normalised name (kept in step with
renames), domain, owner, tags, stay-in-touch cadence, last contact and segment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationProfile, User
from audit_app.services.register import changelog, tags
from audit_app.services.register.text import normalise_domain, normalise_name


def sync() -> int:
    """Create missing profiles and re-key renamed organisations; returns how many.
    Cheap (one join over organisations), so lists and matching call it first."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, OrganisationProfile)
        .outerjoin(OrganisationProfile, OrganisationProfile.organisation_id == Organisation.id)
        .where(
            or_(
                OrganisationProfile.organisation_id.is_(None),
                OrganisationProfile.name_source != Organisation.name,
            )
        )
    ).all()
    for org_id, name, profile in rows:
        if profile is None:
            profile = OrganisationProfile(organisation_id=org_id, interaction_count=0)
            db.session.add(profile)
        profile.name_key = normalise_name(name)[:300]
        profile.name_source = name[:300]
    if rows:
        db.session.flush()
    return len(rows)


ORG_FIELDS = ("name", "type", "size", "sector", "city")


def organisation_values(organisation: Organisation) -> dict[str, Any]:
    """The organisation's details with its register domain and tags (import snapshots)."""
    profile = profile_of(organisation)
    values = {name: getattr(organisation, name) for name in ORG_FIELDS}
    values.update(domain=profile.domain, tags=tags.organisation_tag_names(organisation.id))
    return values


def profile_of(organisation: Organisation) -> OrganisationProfile:
    profile = db.session.get(OrganisationProfile, organisation.id)
    if profile is None or profile.name_source != organisation.name:
        sync()
        profile = db.session.get(OrganisationProfile, organisation.id)
    assert profile is not None
    return profile


def values_of(profile: OrganisationProfile) -> dict[str, Any]:
    return {
        "domain": profile.domain,
        "owner_id": profile.owner_id,
        "stay_in_touch_days": profile.stay_in_touch_days,
        "tags": tags.organisation_tag_names(profile.organisation_id),
    }


def update(
    user: User,
    organisation: Organisation,
    *,
    domain: str | None,
    owner_id: int | None,
    stay_in_touch_days: int | None,
    tag_names: list[str],
) -> dict[str, list[Any]]:
    profile = profile_of(organisation)
    before = values_of(profile)
    clean_domain = normalise_domain(domain or "") or None
    if domain and domain.strip() and clean_domain is None:
        raise UserError("invalid_domain", field="domain")
    if stay_in_touch_days is not None and not 1 <= stay_in_touch_days <= 3650:
        raise UserError("invalid_cadence", field="stay_in_touch_days")
    if owner_id is not None and db.session.get(User, owner_id) is None:
        raise UserError("unknown_owner", field="owner_id")
    profile.domain = clean_domain
    profile.owner_id = owner_id
    profile.stay_in_touch_days = stay_in_touch_days
    tags.set_organisation_tags(organisation.id, tag_names)
    db.session.flush()
    changes = changelog.diff(before, values_of(profile))
    if changes:
        changelog.record(user.id, "organisation", organisation.id, "update", changes)
    return changes


def by_name_or_domain(name: str, domain: str = "") -> list[int]:
    """Organisation ids whose normalised name or domain match."""
    conditions = []
    key = normalise_name(name)
    if key:
        conditions.append(OrganisationProfile.name_key == key)
    clean = normalise_domain(domain)
    if clean:
        conditions.append(OrganisationProfile.domain == clean)
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(OrganisationProfile.organisation_id)
            .where(or_(*conditions))
            .order_by(OrganisationProfile.organisation_id)
        )
    )
