"""The contact register through the API, read only: people and interactions, with the
register's visibility rules (people of visible organisations, or one's own)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from audit_app.extensions import db
from audit_app.models import Organisation, User
from audit_app.services import organisations
from audit_app.services.register import interactions, people
from tests.conftest import make_user
from tests.web.test_api import Api, make_token


@pytest.fixture
def register(app, client):
    consultant_id = make_user(app, "konsultant@example.org", "consultant")
    other_id = make_user(app, "other@example.org", "consultant")
    with app.app_context():
        consultant = db.session.get(User, consultant_id)
        library = organisations.create(consultant, name="Biblioteka w Pile", type="library")
        anna = people.create(
            consultant,
            people.PersonInput(
                first_name="Anna",
                last_name="Nowak",
                job_title="Dyrektorka",
                emails=[people.ContactValue("anna.nowak@example.org", primary=True)],
            ),
            organisation=library,
            role="dyrektorka",
        )
        jan = people.create(consultant, people.PersonInput(first_name="Jan", last_name="Kos"))
        for day, subject, who in [(3, "Spotkanie", [anna.id]), (5, "Telefon", [anna.id, jan.id])]:
            interactions.log(
                consultant,
                interactions.InteractionInput(
                    occurred_at=datetime(2026, 11, day, 10, tzinfo=UTC),
                    channel="phone" if subject == "Telefon" else "in_person",
                    subject=subject,
                    organisation_id=library.id,
                    participant_ids=who,
                ),
            )
        db.session.commit()
        ids = {"library": library.id, "anna": anna.id, "jan": jan.id}
    return {
        **ids,
        "consultant": Api(client, make_token(app, consultant_id)),
        "other": Api(client, make_token(app, other_id)),
    }


def test_people_are_listed_as_the_user_may_see_them(register):
    api = register["consultant"]
    listed = api.get("/api/v1/people").json
    assert [p["display_name"] for p in listed["items"]] == ["Jan Kos", "Anna Nowak"]
    anna = listed["items"][1]
    assert anna["emails"] == [
        {"email": "anna.nowak@example.org", "primary": True, "opt_out": False}
    ]
    assert anna["memberships"][0]["organisation"] == "Biblioteka w Pile"
    members = api.get(f"/api/v1/people?organisation_id={register['library']}").json
    assert [p["id"] for p in members["items"]] == [register["anna"]]
    assert [p["id"] for p in api.get("/api/v1/people?q=nowak").json["items"]] == [register["anna"]]
    paged = api.get("/api/v1/people?limit=1").json
    assert paged["total"] == 2
    assert paged["next"] == "/api/v1/people?limit=1&offset=1"
    assert register["other"].get("/api/v1/people").json == {
        "items": [],
        "total": 0,
        "limit": 20,
        "offset": 0,
        "next": None,
    }


def test_interactions_are_listed_newest_first(register):
    api = register["consultant"]
    listed = api.get("/api/v1/interactions").json
    assert [i["subject"] for i in listed["items"]] == ["Telefon", "Spotkanie"]
    assert {p["display_name"] for p in listed["items"][0]["participants"]} == {
        "Anna Nowak",
        "Jan Kos",
    }
    by_person = api.get(f"/api/v1/interactions?person_id={register['jan']}").json
    assert [i["subject"] for i in by_person["items"]] == ["Telefon"]
    assert api.get("/api/v1/interactions?channel=in_person").json["total"] == 1
    assert register["other"].get("/api/v1/interactions").json["total"] == 0
    for query in ["channel=pigeon", "person_id=x", "organisation_id=-1", "direction=up"]:
        response = api.get(f"/api/v1/interactions?{query}")
        assert response.status_code == 400, query


def test_the_register_is_read_only(register, client):
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(
            "/api/v1/people", headers=register["consultant"].headers, json={}
        )
        assert response.status_code == 405
    with client.application.app_context():
        assert db.session.get(Organisation, register["library"]) is not None
