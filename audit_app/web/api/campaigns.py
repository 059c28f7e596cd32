"""/api/v1/campaigns: the campaigns the token user organises (administrators: all), one
campaign with its participation and aggregate (the campaign result model), and adding a
member. The same rules as the pages: services/campaigns.py."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from audit_app.domain.numbers import parse_id
from audit_app.errors import NotFound, UserError
from audit_app.extensions import db
from audit_app.models import Campaign, CampaignMember, Organisation
from audit_app.services import campaigns as service
from audit_app.services.campaign_report import detail_json
from audit_app.services.campaign_results import campaign_view
from audit_app.web.api.blueprint import (
    api_user,
    bp,
    check_id,
    fail,
    int_field,
    json_body,
    page,
    paging,
)


def _summary(campaign: Campaign, members: int) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "questionnaire_id": campaign.questionnaire_id,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "organiser_id": campaign.organiser_id,
        "terms": campaign.terms,
        "terms_include_benchmarks": campaign.terms_include_benchmarks,
        "member_count": members,
        "links": {"self": url_for("api.get_campaign", campaign_id=campaign.id)},
    }


def _campaign(campaign_id: int) -> Campaign:
    try:
        return service.campaign_or_404(api_user(), check_id(campaign_id))
    except NotFound:
        fail(404, "not_found")


@bp.get("/campaigns")
def list_campaigns() -> ResponseReturnValue:
    limit, offset = paging()
    query = service.visible_campaigns(api_user())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found: list[Campaign] = list(db.session.scalars(query.limit(limit).offset(offset)))
    counts = dict(
        db.session.execute(
            select(CampaignMember.campaign_id, func.count(CampaignMember.id))
            .where(CampaignMember.campaign_id.in_([c.id for c in found]))
            .group_by(CampaignMember.campaign_id)
        ).all()
    )
    return page([_summary(c, counts.get(c.id, 0)) for c in found], total, limit, offset)


@bp.get("/campaigns/<int:campaign_id>")
def get_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    lang = api_user().language if api_user().language in ("pl", "en") else "pl"
    view = campaign_view(campaign, lang)
    db.session.commit()  # stored priorities backfilled on the way are kept
    return {**_summary(campaign, len(campaign.members)), **detail_json(view)}


@bp.post("/campaigns/<int:campaign_id>/members")
def add_campaign_member(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    data = json_body()
    organisation_id = int_field(data, "organisation_id")
    if organisation_id is None:
        fail(422, "validation_failed", {"field": "organisation_id", "problem": "required"})
    # An id beyond the database's INTEGER range names no organisation (and must not
    # reach PostgreSQL, which refuses it).
    known_id = parse_id(organisation_id)
    organisation = db.session.get(Organisation, known_id) if known_id else None
    try:
        if organisation is None:
            raise UserError("unknown_organisation")
        member = service.add_member(api_user(), campaign, organisation)
    except UserError as error:
        if error.message == "already_member":
            fail(
                409,
                "already_member",
                message=_("This organisation is already a member of the campaign."),
            )
        fail(
            422,
            "unknown_organisation",
            {"field": "organisation_id"},
            message=_("This organisation cannot be added."),
        )
    db.session.commit()
    body = {
        "organisation_id": member.organisation_id,
        "joined_at": member.joined_at.isoformat(),
        "shares_results": member.shares_results,
    }
    location = url_for("api.get_campaign", campaign_id=campaign.id)
    return body, 201, {"Location": location}


@bp.delete("/campaigns/<int:campaign_id>/members/<int:organisation_id>")
def remove_campaign_member(campaign_id: int, organisation_id: int) -> ResponseReturnValue:
    """The organisation leaves the campaign; it, its audits and its data stay."""
    campaign = _campaign(campaign_id)
    member = db.session.scalar(
        select(CampaignMember).filter_by(
            campaign_id=campaign.id, organisation_id=check_id(organisation_id)
        )
    )
    if member is None:
        fail(404, "not_found")
    service.remove_member(api_user(), campaign, member)
    db.session.commit()
    return "", 204
