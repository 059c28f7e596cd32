"""First administrator, login with rate limit and lockout, logout, language, headers."""

from __future__ import annotations

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import TrailEvent, User
from tests.conftest import PASSWORD, csrf_token, login, make_user


def test_empty_install_asks_for_first_administrator(client, app):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")
    page = client.get("/setup")
    data = {
        "name": "Ada Admin",
        "email": "Ada@Example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "language": "en",
        "csrf_token": csrf_token(page.text),
    }
    response = client.post("/setup", data=data)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("ada@example.org", "admin")
        assert user.password_hash.startswith("$argon2")
    assert "Dashboard" in client.get("/").text
    # Once an account exists, the setup page is closed.
    assert client.get("/setup").headers["Location"].endswith("/login")


def test_setup_rejects_short_password_and_keeps_input(client):
    page = client.get("/setup", headers={"Accept-Language": "en"})
    response = client.post(
        "/setup",
        data={
            "name": "Ada",
            "email": "ada@example.org",
            "password": "short",
            "confirm": "short",
            "language": "en",
            "csrf_token": csrf_token(page.text),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.text
    assert 'value="ada@example.org"' in response.text


def test_setup_page_in_polish_from_the_browser(client):
    page = client.get("/setup", headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert "Utwórz pierwszego administratora" in page.text


def test_form_without_csrf_token_is_refused(client):
    response = client.post("/setup", data={"name": "x"})
    assert response.status_code == 400


def test_login_logout(client, app):
    make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    assert client.get("/").status_code == 200
    page = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_then_lockout_is_recorded(client, app):
    make_user(app, "con@example.org", "consultant")
    for _ in range(5):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "email": "con@example.org",
                "password": "wrong password!",
                "csrf_token": csrf_token(page.text),
            },
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 401
        assert "Wrong e-mail or password" in response.text
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "email": "con@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429
    assert "locked until" in response.text
    with app.app_context():
        assert db.session.scalar(select(TrailEvent).filter_by(action="lock")) is not None


def test_login_is_rate_limited(client, app):
    make_user(app, "con@example.org", "consultant")
    page = client.get("/login")
    token = csrf_token(page.text)
    codes = [
        client.post(
            "/login",
            data={"email": f"nobody{i}@example.org", "password": "x" * 12, "csrf_token": token},
        ).status_code
        for i in range(12)
    ]
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429, 429]


def test_open_redirect_after_login_is_refused(client, app):
    make_user(app, "con@example.org", "consultant")
    page = client.get("/login")
    response = client.post(
        "/login?next=https://evil.example/",
        data={
            "email": "con@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.headers["Location"] == "/"


def test_language_switch_is_remembered_for_the_user(client, app):
    make_user(app, "con@example.org", "consultant", language="en")
    login(client, "con@example.org")
    page = client.get("/")
    assert "Your organisations" in page.text
    client.post(
        "/language", data={"language": "pl", "next": "/", "csrf_token": csrf_token(page.text)}
    )
    assert "Twoje organizacje" in client.get("/").text
    with app.app_context():
        assert db.session.scalar(select(User.language)) == "pl"


def test_security_headers(client):
    response = client.get("/setup")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    session_cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")
    )
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie


def test_health_reports_database_and_questionnaires(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "questionnaires": 3,
        "questionnaire_errors": 0,
    }
