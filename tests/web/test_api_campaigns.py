"""/api/v1/campaigns over HTTP with bearer tokens: only the organiser's (or an
administrator's) campaigns, the detail's participation and aggregate under the same
anonymity rules as the pages, adding members and its errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Campaign, User
from tests.conftest import make_user
from tests.web.test_api import bearer, make_token
from tests.web.test_campaigns import _organisation, build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test starts on an empty database."""


def _token(app, email: str) -> dict[str, str]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email=email))
    return bearer(make_token(app, user_id))


def test_list_and_detail_for_the_organiser_only(app, client):
    network = build_network(app, ["1", "2", None, False], ends_in_days=5, sharing=(0,))
    headers = _token(app, "network@example.org")
    listed = client.get("/api/v1/campaigns", headers=headers).get_json()
    assert listed["total"] == 1 and listed["items"][0]["member_count"] == 4
    detail = client.get(f"/api/v1/campaigns/{network.campaign_id}", headers=headers).get_json()
    p = detail["participation"]
    assert (p["submitted"], p["in_progress"], p["not_started"], p["reminders_due"]) == (
        2,
        1,
        1,
        2,
    )
    # Two submitted members: under the minimum group, nothing aggregated is given.
    assert detail["aggregate_shown"] is False and detail["overall"]["median"] is None
    shared = [m["result_audit_id"] for m in detail["members"]]
    assert shared[0] is not None and shared[1:] == [None, None, None]

    make_user(app, "other@example.org", "consultant")
    other = _token(app, "other@example.org")
    assert client.get("/api/v1/campaigns", headers=other).get_json()["total"] == 0
    response = client.get(f"/api/v1/campaigns/{network.campaign_id}", headers=other)
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_detail_shows_the_aggregate_from_five_members(app, client):
    network = build_network(app, ["0", "1", "2", "3", "4"])
    headers = _token(app, "admin@example.org")
    detail = client.get(f"/api/v1/campaigns/{network.campaign_id}", headers=headers).get_json()
    assert detail["aggregate_shown"] is True and detail["overall"]["n"] == 5
    assert detail["overall"]["minimum"] is None  # min-max only from 10
    assert detail["start_areas"] and detail["recurring_recommendations"]


def test_adding_members(app, client):
    network = build_network(app, [])
    with app.app_context():
        network_user = db.session.scalar(select(User).filter_by(email="network@example.org"))
        admin_id = db.session.scalar(select(User.id).filter_by(email="admin@example.org"))
        own = _organisation("Biblioteka Własna", network_user.id).id
        hidden = _organisation("Biblioteka Cudza", admin_id).id
        db.session.commit()
    headers = _token(app, "network@example.org")
    url = f"/api/v1/campaigns/{network.campaign_id}/members"
    created = client.post(url, json={"organisation_id": own}, headers=headers)
    assert created.status_code == 201 and created.get_json()["organisation_id"] == own
    again = client.post(url, json={"organisation_id": own}, headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "already_member"
    refused = client.post(url, json={"organisation_id": hidden}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["code"] == "unknown_organisation"
    missing = client.post(url, json={}, headers=headers)
    assert missing.status_code == 422
    for beyond in (0, -1, 2**31, 2**63):  # no such id; PostgreSQL's INTEGER never sees it
        outside = client.post(url, json={"organisation_id": beyond}, headers=headers)
        assert outside.status_code == 422, beyond
        assert outside.get_json()["code"] == "unknown_organisation"
    with app.app_context():
        members = {m.organisation_id for m in db.session.get(Campaign, network.campaign_id).members}
        assert members == {own}
