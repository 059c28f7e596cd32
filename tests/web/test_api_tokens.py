"""The API tokens page (/account/tokens), the API reference page and `audit-app tokens`."""

from __future__ import annotations

import re

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ApiToken, TrailEvent, User
from audit_app.services import api_tokens
from tests.conftest import csrf_token, login, make_user
from tests.web.test_api import bearer


def create(client, name: str):
    page = client.get("/account/tokens")
    return client.post("/account/tokens", data={"name": name, "csrf_token": csrf_token(page.text)})


def shown_secret(html: str) -> str:
    match = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', html)
    assert match, "no new token on the page"
    return match.group(1)


def test_the_page_needs_a_login(client, app):
    make_user(app, "konsultant@example.org", "consultant")
    response = client.get("/account/tokens")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_user_creates_a_token_sees_it_once_and_it_works(client, app):
    user_id = make_user(app, "viewer@example.org", "viewer")
    login(client, "viewer@example.org")
    assert "You have no API tokens yet." in client.get("/account/tokens").text
    response = create(client, "Power BI")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = shown_secret(response.text)
    assert secret.startswith("rat_")
    assert "shown only once" in response.text

    # Shown once: the list afterwards has the name and the start only.
    page = client.get("/account/tokens").text
    assert secret not in page
    assert "Power BI" in page
    assert secret[:12] in page
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.user_id == user_id
        assert token.token_hash == api_tokens.hash_secret(secret)
        assert db.session.scalar(select(TrailEvent).filter_by(object_type="api_token"))

    other = app.test_client()
    assert other.get("/api/v1/questionnaires", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name_and_csrf(client, app):
    make_user(app, "konsultant@example.org", "consultant")
    login(client, "konsultant@example.org")
    response = create(client, "  ")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    response = client.post("/account/tokens", data={"name": "no csrf"})
    assert response.status_code == 400
    response = create(client, "x" * 101)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_revoking_a_token_stops_it_at_once(client, app):
    make_user(app, "konsultant@example.org", "consultant")
    login(client, "konsultant@example.org")
    secret = shown_secret(create(client, "script").text)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    page = client.get("/account/tokens")
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 400  # no CSRF
    response = client.post(
        f"/account/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "has been revoked" in response.text
    assert "Revoked" in response.text
    api = app.test_client()
    assert api.get("/api/v1/questionnaires", headers=bearer(secret)).status_code == 401


def test_nobody_revokes_someone_elses_token(client, app):
    owner_id = make_user(app, "konsultant@example.org", "consultant")
    make_user(app, "admin@example.org", "admin")
    with app.app_context():
        token, _secret = api_tokens.create(db.session.get(User, owner_id), "mine")
        db.session.commit()
        token_id = token.id
    login(client, "admin@example.org")
    page = client.get("/account/tokens")
    assert "mine" not in page.text
    response = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 404
    response = client.post(
        "/account/tokens/99999999999/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_the_api_reference_page_lists_the_endpoints(client, app):
    make_user(app, "konsultant@example.org", "consultant")
    login(client, "konsultant@example.org")
    page = client.get("/account/tokens/api")
    assert page.status_code == 200
    assert "/api/v1/openapi.json" in page.text
    assert "/api/v1/audits/{audit_id}/answers/{question_id}" in page.text
    assert '<th scope="row">' in page.text


def test_the_cli_creates_lists_and_revokes_tokens(app, client):
    make_user(app, "konsultant@example.org", "consultant")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "konsultant@example.org", "nightly export"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[0]
    assert secret.startswith("rat_")
    assert client.get("/api/v1/organisations", headers=bearer(secret)).status_code == 200

    listed = runner.invoke(args=["tokens", "list", "konsultant@example.org"])
    assert "nightly export" in listed.output
    assert secret not in listed.output
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    revoked = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert revoked.exit_code == 0
    assert client.get("/api/v1/organisations", headers=bearer(secret)).status_code == 401

    unknown = runner.invoke(args=["tokens", "create", "nobody@example.org", "x"])
    assert unknown.exit_code != 0
    assert "No user" in unknown.output
