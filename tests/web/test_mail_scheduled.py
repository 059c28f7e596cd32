"""Reminders (manual and automatic), the daily digest and opt-outs, delivered to a
real SMTP server: List-Unsubscribe on reminders and digests, the unsubscribe page
(and mail programs' one-click POST), the contact register's opt-out honoured."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, OutboxMessage, Person, PersonEmail, Respondent, User
from audit_app.models.base import utcnow
from audit_app.services.mail import optouts, outbox, respondent_mail, scheduled
from audit_app.services.register.followups import FollowupInput
from audit_app.services.register.followups import create as create_followup
from tests.conftest import csrf_token, login, make_user
from tests.smtp_server import html_part, text_part
from tests.web.mail_helpers import ORGANISATION, Setup, audit_setup, invite

BASE = "https://audit.example.org"
MORNING = utcnow().replace(hour=8, minute=0)  # 9:00 or 10:00 in Warsaw: after MAIL_DIGEST_HOUR


@pytest.fixture
def setup(app, ctx) -> Setup:
    return audit_setup(app)


@pytest.fixture
def pages(app, client) -> Setup:
    """For tests through HTTP: no app context held open between requests (it would
    keep one `g`, and with it a stale CSRF token, across the log-in)."""
    return audit_setup(app)


def invited_and_mailed(app, setup: Setup, email: str, lang: str = "en") -> int:
    """A respondent whose invitation went out; returns the respondent's id."""
    with app.test_request_context(base_url=BASE):
        respondent = invite(setup, email)
        respondent_mail.send_invitation(db.session.get(Audit, setup.audit_id), respondent, lang)
        db.session.commit()
    outbox.send_due()
    return respondent.id


def test_a_manual_reminder_speaks_the_invitations_language_and_can_be_unsubscribed(
    app, setup, smtp
):
    respondent_id = invited_and_mailed(app, setup, "ewa@example.org", lang="pl")
    with app.test_request_context(base_url=BASE):
        respondent = db.session.get(Respondent, respondent_id)
        respondent_mail.send_reminder(
            db.session.get(Audit, setup.audit_id), respondent, db.session.get(User, setup.user_id)
        )
        db.session.commit()
    assert outbox.send_due().sent == 1

    reminder = smtp.received[-1]
    assert reminder["Subject"].startswith(
        f"Przypomnienie: Twoje zdanie o organizacji {ORGANISATION}"
    )
    unsubscribe = f"{BASE}/mail/unsubscribe/{optouts.token_for('ewa@example.org')}"
    assert reminder["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder["Auto-Submitted"] == "auto-generated"
    assert "przypominamy" in text_part(reminder)
    assert f"Nie chcę więcej takich wiadomości: {unsubscribe}" in text_part(reminder)
    assert f'href="{unsubscribe}"' in html_part(reminder)


def test_automatic_reminder_goes_once_n_days_after_the_invitation(app, setup, smtp):
    audit = db.session.get(Audit, setup.audit_id)
    user = db.session.get(User, setup.user_id)
    respondent_mail.set_reminder_days(audit, 3, user)
    db.session.commit()
    waiting = invited_and_mailed(app, setup, "slow@example.org")
    finished = invited_and_mailed(app, setup, "done@example.org")
    db.session.get(Respondent, finished).finished_at = utcnow()
    db.session.commit()
    app.config["APP_URL"] = BASE
    try:
        assert scheduled.queue_automatic_reminders(utcnow() + timedelta(days=2)) == 0
        assert scheduled.queue_automatic_reminders(utcnow() + timedelta(days=3, hours=1)) == 1
        db.session.commit()
        assert scheduled.queue_automatic_reminders(utcnow() + timedelta(days=9)) == 0
    finally:
        app.config["APP_URL"] = None
    reminders = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "reminder")
    ).all()
    assert [r.respondent_id for r in reminders] == [waiting]
    assert reminders[0].unsubscribe_url.startswith(f"{BASE}/mail/unsubscribe/")
    assert outbox.send_due().sent == 1
    assert smtp.received[-1]["Subject"].startswith("Reminder: Your view on")


def test_no_automatic_reminder_without_the_audits_setting(app, setup, smtp):
    invited_and_mailed(app, setup, "slow@example.org")
    assert scheduled.queue_automatic_reminders(utcnow() + timedelta(days=30)) == 0


def test_the_daily_digest_lists_follow_ups_and_audit_news_once_a_day(app, setup, smtp):
    user = db.session.get(User, setup.user_id)
    today = date.today()
    create_followup(user, FollowupInput(title="Zadzwonić do dyrekcji", due_on=today - timedelta(2)))
    create_followup(user, FollowupInput(title="Send the offer", due_on=today + timedelta(3)))
    respondent = invite(setup, "r@example.org")
    respondent.last_answer_at = respondent.finished_at = utcnow()
    db.session.commit()
    app.config["APP_URL"] = BASE
    try:
        assert scheduled.queue_digests(MORNING.replace(hour=3)) == 0  # 4:00 in Warsaw
        assert scheduled.queue_digests(MORNING) == 1
        db.session.commit()
        assert scheduled.queue_digests(MORNING + timedelta(hours=8)) == 0  # once a day
    finally:
        app.config["APP_URL"] = None
    assert outbox.send_due().sent == 1

    digest = smtp.received[-1]
    assert digest["Subject"].startswith("Your day: follow-ups and audits")
    assert digest["List-Unsubscribe"].startswith(f"<{BASE}/mail/unsubscribe/")
    text = text_part(digest)
    assert "Overdue follow-ups:\n- Zadzwonić do dyrekcji, due" in text
    assert "Follow-ups due in the next 7 days:\n- Send the offer, due" in text
    assert f"- {ORGANISATION}: 1 respondent finished" in text
    assert f"{BASE}/" in text


def test_no_digest_when_there_is_nothing_or_the_user_unsubscribed(app, setup, smtp):
    user = db.session.get(User, setup.user_id)
    create_followup(user, FollowupInput(title="Call", due_on=date.today()))
    optouts.opt_out(user.email)
    db.session.commit()
    app.config["APP_URL"] = BASE
    try:
        assert scheduled.queue_digests(MORNING) == 0
        optouts.opt_back_in(user.email)
        assert scheduled.queue_digests(MORNING) == 1
    finally:
        app.config["APP_URL"] = None


def test_the_registers_opt_out_stops_invitations_and_reminders(app, setup, smtp):
    person = Person(first_name="Anna", last_name="Nowak")
    db.session.add(person)
    db.session.flush()
    db.session.add(
        PersonEmail(
            person_id=person.id,
            email="Anna@Example.org",
            email_key="anna@example.org",
            opt_out=True,
        )
    )
    db.session.commit()
    with app.test_request_context(base_url=BASE):
        respondent = invite(setup, "anna@example.org")
        with pytest.raises(UserError, match="opted_out"):
            respondent_mail.send_invitation(db.session.get(Audit, setup.audit_id), respondent, "pl")
        with pytest.raises(UserError, match="opted_out"):
            respondent_mail.send_reminder(db.session.get(Audit, setup.audit_id), respondent, None)


def test_unsubscribe_page_and_one_click_post(app, client, pages, smtp):
    with app.app_context():
        token = optouts.token_for("Ewa@Example.org")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/mail/unsubscribe/{token}")
    assert page.status_code == 200
    assert "ewa@example.org gets invitations, reminders and daily summaries." in page.text

    refused = client.post(f"/mail/unsubscribe/{token}", data={"action": "unsubscribe"})
    assert refused.status_code == 400  # a form post without its CSRF token
    done = client.post(
        f"/mail/unsubscribe/{token}",
        data={"action": "unsubscribe", "csrf_token": csrf_token(page.text)},
    )
    assert done.status_code == 200 and "gets no more invitations" in done.text
    with app.app_context():
        assert optouts.opted_out("ewa@example.org")

    again = client.post(
        f"/mail/unsubscribe/{token}",
        data={"action": "resubscribe", "csrf_token": csrf_token(done.text)},
    )
    assert again.status_code == 200
    with app.app_context():
        assert not optouts.opted_out("ewa@example.org")

    # A mail program's one-click unsubscribe (RFC 8058) carries no CSRF token.
    one_click = app.test_client().post(
        f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    forged = app.test_client().post(
        f"/mail/unsubscribe/{token}",
        data={"List-Unsubscribe": "One-Click", "action": "resubscribe"},
    )
    assert forged.status_code == 200  # without a CSRF token it can only switch mail off
    with app.app_context():
        assert optouts.opted_out("ewa@example.org")

    assert client.get("/mail/unsubscribe/forged-token").status_code == 404


def test_respondents_page_shows_delivery_next_to_each_respondent(app, client, pages, smtp):
    setup = pages
    smtp.recorder.permanent.add("gone@example.org")
    login(client, "con@example.org")
    page = client.get(f"/audits/{setup.audit_id}/respondents")
    data = {
        "csrf_token": csrf_token(page.text),
        "invite-role": "frontline_staff",
        "invite-name": "Gone",
        "invite-email": "gone@example.org",
        "invite-days": "30",
        "invite-send_mail": "y",
        "invite-language": "en",
    }
    response = client.post(f"/audits/{setup.audit_id}/respondents/invite", data=data)
    assert response.status_code == 302
    assert "The invitation is on its way to gone@example.org." in client.get(response.location).text
    page = client.get(f"/audits/{setup.audit_id}/respondents")
    assert "Invitation waiting to be sent" in page.text

    with app.app_context():
        outbox.send_due()

    page = client.get(f"/audits/{setup.audit_id}/respondents")
    assert "Invitation not delivered" in page.text
    assert "550 5.1.1 No such mailbox here" in page.text
    row = re.search(r'<tr id="respondent-\d+".*?</tr>', page.text, re.S).group(0)
    assert "Gone" in row and "not delivered" in row


def test_respondents_page_says_when_mail_is_off(app, client, pages):
    setup = pages
    login(client, "con@example.org")
    page = client.get(f"/audits/{setup.audit_id}/respondents")
    assert "E-mail is off in this installation: copy each link" in page.text
    assert "invite-send_mail" not in page.text


def test_automatic_reminder_setting_on_the_page(app, client, pages, smtp):
    setup = pages
    login(client, "con@example.org")
    page = client.get(f"/audits/{setup.audit_id}/respondents")
    response = client.post(
        f"/audits/{setup.audit_id}/respondents/reminder-days",
        data={"csrf_token": csrf_token(page.text), "mail-reminder_days": "7"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert respondent_mail.reminder_days(db.session.get(Audit, setup.audit_id)) == 7
    bad = client.post(
        f"/audits/{setup.audit_id}/respondents/reminder-days",
        data={"csrf_token": csrf_token(page.text), "mail-reminder_days": "99"},
    )
    assert bad.status_code == 302
    assert "Choose one of the offered numbers of days." in client.get(bad.location).text
    with app.app_context():
        assert respondent_mail.reminder_days(db.session.get(Audit, setup.audit_id)) == 7


def test_reminder_button_on_the_remind_page(app, client, pages, smtp):
    setup = pages
    with app.test_request_context(base_url=BASE):
        respondent = invite(setup, "ewa@example.org")
        respondent_mail.send_invitation(db.session.get(Audit, setup.audit_id), respondent, "en")
        db.session.commit()
        respondent_id = respondent.id
    login(client, "con@example.org")
    remind_url = f"/audits/{setup.audit_id}/respondents/{respondent_id}/remind"
    page = client.get(remind_url)
    assert "Send a reminder" not in page.text  # the invitation has not gone out yet
    with app.app_context():
        outbox.send_due()
    page = client.get(remind_url)
    assert "Send a reminder to ewa@example.org" in page.text
    send = f"/audits/{setup.audit_id}/respondents/{respondent_id}/send-reminder"
    response = client.post(send, data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert "The reminder is on its way to ewa@example.org." in client.get(response.location).text
    with app.app_context():
        assert outbox.send_due().sent == 1
    assert smtp.received[-1]["Subject"].startswith("Reminder: Your view on")

    make_user(app, "viewer@example.org", "viewer")
    viewer = app.test_client()
    login(viewer, "viewer@example.org")
    token = csrf_token(viewer.get("/").text)  # the log-out form's
    assert viewer.post(send, data={"csrf_token": token}).status_code == 404
    reminder_days = f"/audits/{setup.audit_id}/respondents/reminder-days"
    assert viewer.post(reminder_days, data={"csrf_token": token}).status_code == 404
