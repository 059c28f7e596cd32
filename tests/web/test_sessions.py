"""Sessions end on the server (issue 14.2): a cookie copied before logout, a password
reset, a role change, deactivation or "log out everywhere" opens nothing afterwards."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, TrailEvent
from tests.conftest import csrf_token, login, make_user
from tests.web.test_admin import NEW_PASSWORD, edit_data


def _organisation(app, user_id):
    with app.app_context():
        organisation = Organisation(name="Biblioteka", type="library", created_by_id=user_id)
        db.session.add(organisation)
        db.session.flush()
        db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        db.session.commit()
        return organisation.id


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str) -> FlaskClient:
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


@pytest.fixture
def consultant(app, client):
    con = make_user(app, "con@example.org", "consultant")
    return con, _organisation(app, con)


def test_a_cookie_saved_before_logout_opens_nothing(app, client, consultant):
    _, organisation_id = consultant
    login(client, "con@example.org")
    saved = _cookie(client)
    assert _replay(app, saved).get(f"/organisations/{organisation_id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    response = _replay(app, saved).get(f"/organisations/{organisation_id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login(client, "con@example.org")  # a new login works again
    assert client.get(f"/organisations/{organisation_id}").status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        {"role": "viewer"},
        {"active": None},
    ],
    ids=["password", "role", "deactivation"],
)
def test_an_administrators_change_ends_the_users_sessions(app, client, consultant, change):
    con, organisation_id = consultant
    make_user(app, "admin@example.org", "admin")
    login(client, "con@example.org")
    saved = _cookie(client)
    admin = app.test_client()
    login(admin, "admin@example.org")
    response = admin.post(f"/admin/users/{con}", data=edit_data(admin, con, **change))
    assert response.status_code == 302
    for browser in (client, _replay(app, saved)):
        response = browser.get(f"/organisations/{organisation_id}")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert admin.get("/admin/users").status_code == 200  # the administrator stays in


def test_own_password_change_keeps_the_administrator_in(app, client):
    admin = make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post(
        f"/admin/users/{admin}",
        data=edit_data(client, admin, password=NEW_PASSWORD, confirm=NEW_PASSWORD),
    )
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_log_out_everywhere(app, client, consultant):
    con, organisation_id = consultant
    make_user(app, "admin@example.org", "admin")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "con@example.org")
    login(phone, "con@example.org")
    login(client, "admin@example.org")
    page = client.get(f"/admin/users/{con}")
    assert "Log out everywhere" in page.text
    assert client.post(f"/admin/users/{con}/sessions").status_code == 400  # no CSRF token
    response = client.post(
        f"/admin/users/{con}/sessions", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert "was logged out everywhere" in client.get(response.headers["Location"]).text
    for browser in (laptop, phone):
        assert browser.get(f"/organisations/{organisation_id}").status_code == 302
    with app.app_context():
        assert db.session.query(TrailEvent).filter_by(action="log_out_everywhere").count() == 1
    # only administrators may do it
    login(laptop, "con@example.org")
    token = csrf_token(laptop.get("/").text)
    assert (
        laptop.post(f"/admin/users/{con}/sessions", data={"csrf_token": token}).status_code == 403
    )
