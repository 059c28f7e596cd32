"""Password reset by mail through HTTP, with a real SMTP server: the same answer for
known and unknown addresses, a signed link that works once and for one hour, the new
password works and the old one does not; the notice to a new user; mail off."""

from __future__ import annotations

import re
from datetime import timedelta

from audit_app.extensions import db
from audit_app.models import OutboxMessage, TrailEvent, User
from audit_app.models.base import utcnow
from audit_app.services.mail import outbox, password_reset
from tests.conftest import PASSWORD, csrf_token, login, make_user
from tests.smtp_server import text_part

NEW_PASSWORD = "a much better passphrase"  # noqa: S105 - test only


def ask_for_link(client, email: str):
    page = client.get("/password/forgot")
    return client.post(
        "/password/forgot", data={"email": email, "csrf_token": csrf_token(page.text)}
    )


def reset_link(message) -> str:
    found = re.search(r"http://localhost(/password/reset/\S+)", text_part(message))
    assert found, text_part(message)
    return found.group(1)


def test_known_and_unknown_addresses_get_the_same_answer(app, client, smtp):
    make_user(app, "ola@example.org", "consultant", language="pl", name="Ola Wróbel")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    known = ask_for_link(client, "ola@example.org")
    unknown = ask_for_link(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location == "/login"
    said = [client.get("/login").text for _ in (1,)]
    assert "If an account exists for" in said[0]
    with app.app_context():
        assert outbox.send_due().sent == 1
        assert db.session.query(OutboxMessage).count() == 1
    (message,) = smtp.received
    assert message["Subject"] == "Ustaw nowe hasło"  # the user's language, not the page's
    assert "Ola Wróbel" in str(message["To"])
    assert "przez godzinę" in text_part(message)


def test_the_link_sets_a_new_password_once_and_ends_the_session(app, client, smtp):
    make_user(app, "ola@example.org", "consultant")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    ask_for_link(client, "OLA@example.org")
    with app.app_context():
        outbox.send_due()
    link = reset_link(smtp.received[0])

    form = client.get(link)
    assert form.status_code == 200 and "ola@example.org" in form.text
    short = client.post(
        link,
        data={"password": "short", "confirm": "short", "csrf_token": csrf_token(form.text)},
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
    done = client.post(
        link,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(form.text),
        },
    )
    assert done.status_code == 302 and done.location == "/login"
    assert "Your password has been changed" in client.get("/login").text

    assert client.get(link).status_code == 410  # single use
    page = client.get("/login")
    wrong = client.post(
        "/login",
        data={
            "email": "ola@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert wrong.status_code == 401
    login(client, "ola@example.org", NEW_PASSWORD)
    with app.app_context():
        actions = [e.action for e in db.session.query(TrailEvent).order_by(TrailEvent.id)]
        assert "reset_password" in actions and "end_sessions" in actions


def test_the_link_expires_after_an_hour_and_cannot_be_forged(app, ctx):
    make_user(app, "ola@example.org", "consultant")
    user = db.session.query(User).filter_by(email="ola@example.org").one()
    token = password_reset.token_for(user)
    assert password_reset.user_of(token) == user
    assert password_reset.user_of(token, now=utcnow() + timedelta(minutes=59)) == user
    assert password_reset.user_of(token, now=utcnow() + timedelta(minutes=61)) is None
    assert password_reset.user_of(token[:-2] + "xx") is None
    user.active = False
    assert password_reset.user_of(token) is None


def test_with_mail_off_the_page_sends_people_to_the_administrator(app, client):
    make_user(app, "ola@example.org", "consultant")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/password/forgot")
    assert "E-mail is off in this installation" in page.text
    assert 'name="email"' not in page.text
    assert "Forgot your password?" in client.get("/login").text


def test_a_new_user_is_told_by_mail(app, client, smtp):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    page = client.get("/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "Jan Świątek",
            "email": "jan@example.org",
            "role": "consultant",
            "language": "pl",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert outbox.send_due().sent == 1
    (message,) = smtp.received
    assert message["Subject"] == "Twoje konto w audycie gotowości"
    assert "Jan Świątek" in str(message["To"])
    assert "http://localhost/login" in text_part(message)
    assert "jan@example.org" in text_part(message)


def test_the_users_page_says_whether_mail_is_on(app, client):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    assert "E-mail is off in this installation" in client.get("/admin/users").text
    app.config["MAIL_SERVER"] = "127.0.0.1"
    try:
        assert "E-mail is on" in client.get("/admin/users").text
    finally:
        app.config["MAIL_SERVER"] = None


def test_a_reset_ends_the_sessions_of_every_other_browser(app, client, smtp):
    make_user(app, "ewa@example.org", "consultant")
    other = app.test_client()  # a second browser, logged in before the reset
    login(other, "ewa@example.org")
    assert other.get("/").status_code == 200
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    ask_for_link(client, "ewa@example.org")
    with app.app_context():
        outbox.send_due()
    link = reset_link(smtp.received[0])
    form = client.get(link)
    done = client.post(
        link,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(form.text),
        },
    )
    assert done.status_code == 302
    stale = other.get("/")
    assert stale.status_code == 302 and "/login" in stale.location
