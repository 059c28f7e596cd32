"""A consultant learns nothing about records outside their organisations (issue 14.8):
no count of hidden look-alikes on the person and organisation forms, no `hidden` in the
API's 409, no "exists but you cannot access it" in imports, no strangers in the owner
drop-downs. Administrators see everything, so they resolve cross-visibility duplicates."""

from __future__ import annotations

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Person
from tests.web.test_api import make_token
from tests.web.test_register_helpers import login, make_person, post_form, world
from tests.web.test_register_import import mapping_post, upload
from tests.web.test_register_people import person_form


def _hidden_person(app) -> None:
    """World, and a person of org B (other's), whom con cannot see."""
    ids = world(app)
    make_person(
        app,
        ids["other"],
        "Ukryta",
        "Osoba",
        emails=["ukryta@example.org"],
        organisation_id=ids["org_b"],
    )


def test_person_form_does_not_count_hidden_look_alikes(client, app):
    _hidden_person(app)
    login(client, "con@example.org")
    response = post_form(
        client,
        "/register/people/new",
        person_form(
            first_name="Ukryta", last_name="Osoba", **{"emails-0-value": "ukryta@example.org"}
        ),
    )
    assert response.status_code == 302  # added at once, as if there were no other
    page = client.get(response.headers["Location"]).text
    assert "cannot see" not in page and "may already be in the register" not in page
    admin = app.test_client()
    login(admin, "admin@example.org")
    response = post_form(
        admin, "/register/people/new", person_form(first_name="Ukryta", last_name="Osoba")
    )
    assert response.status_code == 200 and "may already be in the register" in response.text
    assert response.text.count("/register/people/") >= 2  # both listed for the admin


def test_api_conflict_names_only_visible_organisations(client, app):
    ids = world(app)
    secret = make_token(app, ids["other"])
    response = client.post(
        "/api/v1/organisations",
        json={"name": "Biblioteka Miejska w Łodzi"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201 and "hidden" not in response.text


def test_import_does_not_reveal_hidden_people_or_organisations(client, app):
    _hidden_person(app)
    login(client, "con@example.org")
    csv = "Imię;Nazwisko;E-mail;Organizacja\nUkryta;Osoba;ukryta@example.org;Other Company\n"
    location = upload(client, csv).headers["Location"]
    done = mapping_post(client, location, "import", kind="people")
    report = client.get(done.headers["Location"]).text
    assert "cannot access" not in report and "read-only" not in report
    with app.app_context():
        assert db.session.scalar(select(func.count(Person.id)).filter_by(last_name="Osoba")) == 2


def test_owner_drop_downs_list_only_colleagues(client, app):
    ids = world(app)
    login(client, "other@example.org")
    for page in ("/register/people/new", "/register/people", "/register/followups/new"):
        text = client.get(page).text
        assert "Konrad" not in text, page  # con shares no organisation with other
    # a stranger's id posted as owner is refused, so names cannot be fetched that way
    response = post_form(
        client,
        "/register/people/new",
        person_form(first_name="Ala", last_name="Kot", owner_id=str(ids["con"])),
    )
    assert response.status_code == 200 and "Not a valid choice" in response.text
    admin = app.test_client()
    login(admin, "admin@example.org")
    text = admin.get("/register/people/new").text
    assert "Konrad" in text and ">other<" in text
