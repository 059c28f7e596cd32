"""Login throttling counted in the database (issue 14.10): every worker sees the same
attempts, and an e-mail address without an account is locked like one with an account,
so the answers tell nobody which accounts exist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from audit_app.extensions import db, limiter
from audit_app.models import LoginAttempt
from tests.conftest import PASSWORD, csrf_token, make_user


def _try(client, email, password="wrong password!"):
    page = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
        headers={"Accept-Language": "en"},
    )


def test_the_address_limit_holds_across_workers(client, app):
    """Each attempt as if it reached a worker that saw none of the others (its
    in-memory counters empty): the eleventh in a minute is still refused."""
    make_user(app, "con@example.org", "consultant")
    codes = []
    for i in range(12):
        limiter.reset()
        codes.append(_try(client, f"nobody{i}@example.org").status_code)
    assert codes == [401] * 10 + [429, 429]
    response = _try(client, "con@example.org", PASSWORD)
    assert response.status_code == 429 and "Too many login attempts" in response.text
    other = app.test_client()
    page = other.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    response = other.post(
        "/login",
        data={
            "email": "con@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.status_code == 302


def test_unknown_and_known_addresses_lock_alike(client, app):
    make_user(app, "con@example.org", "consultant")
    answers = {}
    for email in ("con@example.org", "nobody@example.org"):
        codes = [_try(client, email).status_code for _ in range(5)]
        locked = _try(client, email, PASSWORD)
        answers[email] = (codes, locked.status_code, "locked until" in locked.text)
        with app.app_context():  # a new minute, so the address limit does not interfere
            db.session.execute(
                update(LoginAttempt).values(
                    created_at=LoginAttempt.created_at - timedelta(minutes=1, seconds=1)
                )
            )
            db.session.commit()
    assert answers["con@example.org"] == ([401] * 5, 429, True)
    assert answers["nobody@example.org"] == answers["con@example.org"]


def test_the_lock_ends_after_fifteen_minutes_and_a_success_resets(client, app):
    make_user(app, "con@example.org", "consultant")
    for _ in range(4):
        assert _try(client, "con@example.org").status_code == 401
    assert _try(client, "con@example.org", PASSWORD).status_code == 302  # resets the count
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    for _ in range(4):
        assert _try(client, "con@example.org").status_code == 401
    with app.app_context():
        db.session.execute(
            update(LoginAttempt).values(created_at=datetime.now(UTC) - timedelta(minutes=16))
        )
        db.session.commit()
    for _ in range(5):
        assert _try(client, "con@example.org").status_code == 401
    assert _try(client, "con@example.org", PASSWORD).status_code == 429
    with app.app_context():
        db.session.execute(
            update(LoginAttempt).values(created_at=LoginAttempt.created_at - timedelta(minutes=15))
        )
        db.session.commit()
    assert _try(client, "con@example.org", PASSWORD).status_code == 302


def test_attempts_are_kept_one_day(client, app):
    make_user(app, "con@example.org", "consultant")
    for _ in range(3):
        _try(client, "nobody@example.org")
    with app.app_context():
        db.session.execute(
            update(LoginAttempt).values(created_at=datetime.now(UTC) - timedelta(days=1, minutes=1))
        )
        db.session.commit()
    _try(client, "nobody@example.org")
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1
