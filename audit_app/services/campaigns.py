"""Campaigns: who may organise them, creating and editing them, their members.

The organiser of a campaign (its creator unless an administrator names another) and
administrators see its pages; nobody else learns that it exists. A member's own
editors choose whether the organiser sees that member's individual results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from sqlalchemy import Select, func, select

from audit_app.errors import NotFound, UserError
from audit_app.extensions import db
from audit_app.models import Audit, Campaign, CampaignMember, Organisation, User
from audit_app.services import access, trail
from audit_app.services.questionnaires import catalogue
from audit_app.services.register.csvparse import (
    ORGANISATION_HEADERS,
    CsvFileError,
    header_key,
    parse,
)
from audit_app.services.textsearch import normalise_name

ORGANISER_ROLES = ("admin", "consultant")
MAX_NAME = 300
MAX_TERMS = 10_000


def may_create(user: User) -> bool:
    return user.role in ORGANISER_ROLES


def may_organise(user: User, campaign: Campaign) -> bool:
    return user.is_admin or campaign.organiser_id == user.id


def visible_campaigns(user: User) -> Select[tuple[Campaign]]:
    query = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    return query if user.is_admin else query.where(Campaign.organiser_id == user.id)


def _member_count() -> Any:
    return (
        select(func.count(CampaignMember.id))
        .where(CampaignMember.campaign_id == Campaign.id)
        .correlate(Campaign)
        .scalar_subquery()
    )


# The columns the campaigns list may be sorted by (?sort=); the default is the newest start.
SORT_COLUMNS: dict[str, Any] = {
    "name": lambda: Campaign.name,
    "start": lambda: Campaign.starts_on,
    "members": _member_count,
}


def sorted_campaigns(user: User, sort: str, descending: bool) -> list[Campaign]:
    """The campaigns `user` organises (all for administrators), ordered in SQL by one of
    SORT_COLUMNS, the id breaking ties the same way round."""
    column = SORT_COLUMNS.get(sort, SORT_COLUMNS["start"])()
    query = (
        visible_campaigns(user)
        .order_by(None)
        .order_by(
            column.desc() if descending else column.asc(),
            Campaign.id.desc() if descending else Campaign.id.asc(),
        )
    )
    return list(db.session.scalars(query))


def campaign_or_404(user: User, campaign_id: int) -> Campaign:
    """The campaign if `user` organises it (or administers); 404 hides it otherwise."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not may_organise(user, campaign):
        raise NotFound
    return campaign


def organiser_candidates() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(ORGANISER_ROLES), User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


@dataclass
class CampaignInput:
    name: str
    questionnaire_id: str
    starts_on: date | None
    ends_on: date | None
    terms: str = ""
    terms_include_benchmarks: bool = False


def _checked(data: CampaignInput) -> tuple[str, date, date]:
    name = " ".join(data.name.split())
    if not name:
        raise UserError("name_required", "name")
    if len(name) > MAX_NAME:
        raise UserError("name_too_long", "name")
    if catalogue().get(data.questionnaire_id) is None:
        raise UserError("unknown_questionnaire", "questionnaire_id")
    if data.starts_on is None:
        raise UserError("start_required", "starts_on")
    if data.ends_on is None:
        raise UserError("end_required", "ends_on")
    if data.ends_on < data.starts_on:
        raise UserError("end_before_start", "ends_on")
    if len(data.terms) > MAX_TERMS:
        raise UserError("terms_too_long", "terms")
    return name, data.starts_on, data.ends_on


def create(user: User, data: CampaignInput) -> Campaign:
    if not may_create(user):
        raise UserError("not_allowed")
    name, starts_on, ends_on = _checked(data)
    campaign = Campaign(
        name=name,
        questionnaire_id=data.questionnaire_id,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser_id=user.id,
        terms=data.terms.strip(),
        terms_include_benchmarks=data.terms_include_benchmarks,
    )
    db.session.add(campaign)
    db.session.flush()
    trail.record(user.id, "campaign_created", "campaign", campaign.id, name=name)
    return campaign


def update(
    user: User, campaign: Campaign, data: CampaignInput, *, organiser_id: int | None = None
) -> None:
    """Changes the campaign; only administrators may name another organiser."""
    name, starts_on, ends_on = _checked(data)
    campaign.name, campaign.starts_on, campaign.ends_on = name, starts_on, ends_on
    campaign.questionnaire_id = data.questionnaire_id
    campaign.terms = data.terms.strip()
    newly_benchmarked = data.terms_include_benchmarks and not campaign.terms_include_benchmarks
    campaign.terms_include_benchmarks = data.terms_include_benchmarks
    if organiser_id is not None and organiser_id != campaign.organiser_id:
        if not user.is_admin:
            raise UserError("not_allowed", "organiser_id")
        if organiser_id not in {u.id for u in organiser_candidates()}:
            raise UserError("unknown_organiser", "organiser_id")
        campaign.organiser_id = organiser_id
    trail.record(user.id, "campaign_updated", "campaign", campaign.id, organiser=organiser_id)
    if newly_benchmarked:
        for member in campaign.members:
            _consent_to_benchmarks(user, campaign, member.organisation)


def _consent_to_benchmarks(user: User, campaign: Campaign, organisation: Organisation) -> None:
    if campaign.terms_include_benchmarks and not organisation.benchmark_consent:
        organisation.benchmark_consent = True
        trail.record(
            user.id,
            "benchmark_consent_given",
            "organisation",
            organisation.id,
            campaign_id=campaign.id,
        )


def add_member(user: User, campaign: Campaign, organisation: Organisation) -> CampaignMember:
    """Joins `organisation` (one the user may see) to the campaign; under terms that
    include benchmarks the organisation thereby consents to them (recorded)."""
    if organisation.deleted_at is not None or not access.can_view(user, organisation):
        raise UserError("unknown_organisation", "organisation_id")
    if db.session.scalar(
        select(CampaignMember.id).filter_by(
            campaign_id=campaign.id, organisation_id=organisation.id
        )
    ):
        raise UserError("already_member", "organisation_id")
    member = CampaignMember(campaign=campaign, organisation=organisation)
    db.session.add(member)
    db.session.flush()
    trail.record(
        user.id, "campaign_member_added", "campaign", campaign.id, organisation_id=organisation.id
    )
    _consent_to_benchmarks(user, campaign, organisation)
    return member


def remove_member(user: User, campaign: Campaign, member: CampaignMember) -> None:
    trail.record(
        user.id,
        "campaign_member_removed",
        "campaign",
        campaign.id,
        organisation_id=member.organisation_id,
    )
    db.session.delete(member)


def member_or_404(campaign: Campaign, member_id: int) -> CampaignMember:
    member = db.session.get(CampaignMember, member_id)
    if member is None or member.campaign_id != campaign.id:
        raise NotFound
    return member


@dataclass
class CsvRowError:
    line: int
    code: str  # no_name, not_found, ambiguous, already_member
    value: str


@dataclass
class CsvOutcome:
    added: list[Organisation] = field(default_factory=list)
    errors: list[CsvRowError] = field(default_factory=list)


NAME_KEYS = {header_key(h) for h in ORGANISATION_HEADERS["name"]}
ID_KEYS = {"id", "identyfikator", "organisation id", "organization id", "id organizacji"}


def add_members_from_csv(user: User, campaign: Campaign, data: bytes) -> CsvOutcome:
    """Members from a CSV with a name column (or an id column): each row must name one
    organisation the user may see. Rows that cannot be matched are reported by line
    and add nothing; the others are added. Raises CsvFileError for an unusable file."""
    parsed = parse(data)
    keys = [header_key(h) for h in parsed.headers]
    id_column = next((i for i, k in enumerate(keys) if k in ID_KEYS), None)
    name_column = next((i for i, k in enumerate(keys) if k in NAME_KEYS), None)
    if id_column is None and name_column is None:
        raise CsvFileError("no_name_column")
    visible: list[Organisation] = list(db.session.scalars(access.visible_organisations(user)))
    by_id = {o.id: o for o in visible if o.deleted_at is None}
    by_name: dict[str, list[Organisation]] = {}
    for organisation in by_id.values():
        by_name.setdefault(normalise_name(organisation.name), []).append(organisation)
    members = {m.organisation_id for m in campaign.members}
    outcome = CsvOutcome()
    for line, cells in parsed.rows:
        ident = cells[id_column].strip() if id_column is not None and id_column < len(cells) else ""
        name = (
            cells[name_column].strip()
            if name_column is not None and name_column < len(cells)
            else ""
        )
        if ident:
            found = [by_id[int(ident)]] if ident.isdigit() and int(ident) in by_id else []
        elif name:
            found = by_name.get(normalise_name(name), [])
        else:
            outcome.errors.append(CsvRowError(line, "no_name", ""))
            continue
        value = ident or name
        if not found:
            outcome.errors.append(CsvRowError(line, "not_found", value))
        elif len(found) > 1:
            outcome.errors.append(CsvRowError(line, "ambiguous", value))
        elif found[0].id in members:
            outcome.errors.append(CsvRowError(line, "already_member", value))
        else:
            add_member(user, campaign, found[0])
            members.add(found[0].id)
            outcome.added.append(found[0])
    return outcome


def memberships_of(organisation: Organisation) -> list[CampaignMember]:
    """The campaigns an organisation takes part in (shown to its own people)."""
    return list(
        db.session.scalars(
            select(CampaignMember)
            .where(CampaignMember.organisation_id == organisation.id)
            .order_by(CampaignMember.joined_at.desc())
        )
    )


def set_sharing(user: User, member: CampaignMember, shares: bool) -> None:
    """The member's own editors decide whether the organiser sees its results."""
    if not access.can_edit(user, member.organisation):
        raise UserError("not_allowed")
    member.shares_results = shares
    trail.record(
        user.id,
        "campaign_sharing_changed",
        "organisation",
        member.organisation_id,
        campaign_id=member.campaign_id,
        shares_results=shares,
    )


def organiser_may_see(user: User, audit: Audit) -> bool:
    """Whether `user` may see this audit's results as the organiser of a campaign: the
    audit's organisation is a member that shares results, the audit is of the
    campaign's questionnaire and was submitted within the campaign's period."""
    from audit_app.services.campaign_results import period_bounds

    if audit.status != "submitted" or audit.deleted_at is not None or not audit.submitted_at:
        return False
    query = (
        select(Campaign)
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(
            CampaignMember.organisation_id == audit.organisation_id,
            CampaignMember.shares_results.is_(True),
            Campaign.questionnaire_id == audit.questionnaire_version.questionnaire_id,
        )
    )
    if not user.is_admin:
        query = query.where(Campaign.organiser_id == user.id)
    submitted = audit.submitted_at
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=UTC)
    for campaign in db.session.scalars(query):
        start, end = period_bounds(campaign)
        if start <= submitted < end:
            return True
    return False
