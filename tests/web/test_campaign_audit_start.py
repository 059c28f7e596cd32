"""\"Start the campaign audit\" on a member's campaign page opens the new-audit form with
the campaign's questionnaire chosen (a library has three suited questionnaires, so the
plain form chooses none); a membership of another organisation chooses nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, Campaign, QuestionnaireVersion
from tests.conftest import csrf_token, login
from tests.web.test_campaigns import build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test starts on an empty database."""


def _checked(page: str) -> list[str]:
    return re.findall(r'value="([^"]+)"\s+aria-describedby="[^"]+"\s+checked', page)


def test_start_the_campaign_audit_chooses_the_campaigns_questionnaire(app, client):
    network = build_network(app, [False, False])
    with app.app_context():
        # A campaign of the general questionnaire, not the library one.
        db.session.get(Campaign, network.campaign_id).questionnaire_id = "crm-readiness"
        db.session.commit()
    login(client, "member@example.org")
    organisation_id, member_id = network.organisation_ids[0], network.member_ids[0]
    plain = client.get(f"/organisations/{organisation_id}/audits/new").text
    assert _checked(plain) == []

    membership = client.get(f"/campaign-memberships/{member_id}").text
    link = f"/organisations/{organisation_id}/audits/new?campaign={member_id}"
    assert f'href="{link}"' in membership
    form = client.get(link).text
    assert _checked(form) == ["crm-readiness"]
    assert "For the campaign Sieć bibliotek powiatu: its questionnaire is chosen below." in form

    # Another organisation's membership chooses nothing and names no campaign.
    other = client.get(
        f"/organisations/{organisation_id}/audits/new?campaign={network.member_ids[1]}"
    ).text
    assert _checked(other) == [] and "For the campaign" not in other
    assert (
        _checked(client.get(f"/organisations/{organisation_id}/audits/new?campaign=x").text) == []
    )

    started = client.post(
        link, data={"csrf_token": csrf_token(form), "questionnaire": "crm-readiness"}
    )
    assert started.status_code == 302
    with app.app_context():
        audit = db.session.scalar(select(Audit).filter_by(organisation_id=organisation_id))
        version = db.session.get(QuestionnaireVersion, audit.questionnaire_version_id)
        assert version.questionnaire_id == "crm-readiness"
