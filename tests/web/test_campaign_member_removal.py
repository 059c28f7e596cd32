"""Removing a member from a campaign: by its organiser or an administrator only (others
get 404 as for every campaign page), after a confirmation page whose POST needs CSRF;
the member leaves participation and the aggregate, its organisation and audits stay;
recorded in the audit trail; the same through DELETE in the API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, CampaignMember, Organisation, TrailEvent, User
from tests.conftest import csrf_token, login
from tests.web.test_api import bearer, make_token
from tests.web.test_campaigns import build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test starts on an empty database."""


def _members(app, campaign_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(CampaignMember.organisation_id).filter_by(campaign_id=campaign_id)
            )
        )


def _removals(app) -> list[tuple]:
    with app.app_context():
        events = db.session.scalars(select(TrailEvent).filter_by(action="campaign_member_removed"))
        return [(e.user_id, e.object_id, dict(e.details or {})) for e in events]


def test_the_organiser_removes_a_member_after_a_confirmation(app, client):
    network = build_network(app, ["2", None, False])
    base = f"/campaigns/{network.campaign_id}"
    remove = f"{base}/members/{network.member_ids[0]}/remove"
    login(client, "network@example.org")
    page = client.get(base).text
    assert f'href="{remove}"' in page
    assert 'aria-label="Remove Biblioteka 1 from the campaign"' in page

    confirm = client.get(remove)
    assert confirm.status_code == 200
    assert "Biblioteka 1 will leave the campaign Sieć bibliotek powiatu" in confirm.text
    assert "its audits and all its data stay as they are" in confirm.text
    assert _members(app, network.campaign_id) == network.organisation_ids  # GET changes nothing

    # Without the CSRF token nothing happens.
    assert client.post(remove).status_code == 400
    assert len(_members(app, network.campaign_id)) == 3

    done = client.post(remove, data={"csrf_token": csrf_token(confirm.text)})
    assert done.status_code == 302 and done.headers["Location"].endswith(base)
    assert sorted(_members(app, network.campaign_id)) == sorted(network.organisation_ids[1:])
    shown = client.get(base).text
    assert "Biblioteka 1 left the campaign." in shown
    assert "0 of 2 members submitted" in shown
    with app.app_context():
        organiser = db.session.scalar(select(User.id).filter_by(email="network@example.org"))
        organisation = db.session.get(Organisation, network.organisation_ids[0])
        assert organisation is not None and organisation.deleted_at is None
        audits = db.session.scalars(select(Audit).filter_by(organisation_id=organisation.id))
        assert [a.status for a in audits] == ["submitted"]  # its audit stays
    assert _removals(app) == [
        (organiser, network.campaign_id, {"organisation_id": network.organisation_ids[0]})
    ]
    # Gone: its removal page is not found any more.
    assert client.get(remove).status_code == 404


def test_only_the_organiser_and_administrators_may_remove(app, client):
    network = build_network(app, ["2", False])
    remove = f"/campaigns/{network.campaign_id}/members/{network.member_ids[1]}/remove"
    # The member's own consultant sees the organisation but not the campaign's pages.
    login(client, "member@example.org")
    assert client.get(remove).status_code == 404
    token = csrf_token(client.get(f"/campaign-memberships/{network.member_ids[1]}").text)
    assert client.post(remove, data={"csrf_token": token}).status_code == 404
    assert len(_members(app, network.campaign_id)) == 2
    # An unknown member is not found either.
    client = app.test_client()
    login(client, "admin@example.org")
    assert client.get(f"/campaigns/{network.campaign_id}/members/999999/remove").status_code == 404
    confirm = client.get(remove)
    assert confirm.status_code == 200
    client.post(remove, data={"csrf_token": csrf_token(confirm.text)})
    assert _members(app, network.campaign_id) == network.organisation_ids[:1]


def test_api_delete_removes_a_member(app, client):
    network = build_network(app, ["2", False])
    with app.app_context():
        organiser = db.session.scalar(select(User.id).filter_by(email="network@example.org"))
        member = db.session.scalar(select(User.id).filter_by(email="member@example.org"))
    path = f"/api/v1/campaigns/{network.campaign_id}/members/{network.organisation_ids[0]}"
    other = client.delete(path, headers=bearer(make_token(app, member)))
    assert other.status_code == 404 and other.get_json()["code"] == "not_found"
    headers = bearer(make_token(app, organiser))
    done = client.delete(path, headers=headers)
    assert done.status_code == 204 and done.data == b""
    assert _members(app, network.campaign_id) == network.organisation_ids[1:]
    assert _removals(app) == [
        (organiser, network.campaign_id, {"organisation_id": network.organisation_ids[0]})
    ]
    again = client.delete(path, headers=headers)
    assert again.status_code == 404
    detail = client.get(f"/api/v1/campaigns/{network.campaign_id}", headers=headers).get_json()
    assert [m["organisation_id"] for m in detail["members"]] == network.organisation_ids[1:]
