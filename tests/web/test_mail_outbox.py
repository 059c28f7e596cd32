"""The outbox against a real SMTP server (aiosmtpd on a free port): delivery and
content in both languages, the server down then up, a 4xx then success, a 5xx, too
many attempts, two senders at once, a sender that died, the RQ worker."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, OutboxMessage, Respondent
from audit_app.models.base import utcnow
from audit_app.services import respondents
from audit_app.services.audits import questionnaire_for
from audit_app.services.mail import outbox, respondent_mail
from audit_app.services.mail.settings import MailOff
from tests.conftest import report_queue, work
from tests.smtp_server import SmtpServer, html_part, smtp_server, text_part
from tests.web.mail_helpers import ORGANISATION, Setup, audit_setup, invite

BASE = "https://audit.example.org"


@pytest.fixture
def setup(app, ctx) -> Setup:
    return audit_setup(app)


def queue_invitation(app, setup: Setup, email: str, lang: str = "pl", name: str = "") -> int:
    with app.test_request_context(base_url=BASE):
        respondent = invite(setup, email, name or "Łucja Więckowska")
        message = respondent_mail.send_invitation(
            db.session.get(Audit, setup.audit_id), respondent, lang
        )
        db.session.commit()
        return message.id


def row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    found = db.session.get(OutboxMessage, message_id)
    assert found is not None
    return found


def personal_url(message_id: int) -> str:
    respondent = db.session.get(Respondent, row(message_id).respondent_id)
    return f"{BASE}/respond/{respondents.token_for(respondent)}"


def test_invitations_arrive_in_polish_and_english_with_encoded_headers(app, setup, smtp):
    polish = queue_invitation(app, setup, "lucja@example.org", "pl")
    english = queue_invitation(app, setup, "jan@example.org", "en", name="Jan Kowalski")

    report = outbox.send_due()

    assert (report.sent, report.deferred, report.failed) == (2, 0, 0)
    assert len(smtp.received) == 2
    questionnaire = questionnaire_for(db.session.get(Audit, setup.audit_id))
    pl = smtp.recorder.to("lucja@example.org")[0]
    assert pl["Subject"] == (
        f"Twoje zdanie o organizacji {ORGANISATION}: {questionnaire.title.get('pl')}"
    )
    heads = [raw.split(b"\r\n\r\n", 1)[0].decode("ascii") for raw in smtp.recorder.raw]
    assert all("=?utf-8?" in head for head in heads)  # RFC 2047: headers stay 7-bit
    assert "Łucja Więckowska" in str(pl["To"]) and "<lucja@example.org>" in str(pl["To"])
    assert "gotowości" in str(pl["From"])
    assert pl["Content-Language"] == "pl"
    assert "List-Unsubscribe" not in pl  # an invitation is sent on purpose, by a person
    text, html = text_part(pl), html_part(pl)
    assert text.startswith("Dzień dobry, Łucja Więckowska")
    assert personal_url(polish) in text and personal_url(polish) in html
    assert 'lang="pl"' in html and "Otwórz ankietę" in html
    assert pl.get_body(("plain",)).get_content_charset() == "utf-8"

    en = smtp.recorder.to("jan@example.org")[0]
    assert en["Subject"] == f"Your view on {ORGANISATION}: {questionnaire.title.get('en')}"
    assert en["Content-Language"] == "en"
    assert text_part(en).startswith("Hello Jan Kowalski,")
    assert personal_url(english) in text_part(en)
    assert "Open the questionnaire" in html_part(en)
    assert row(english).status == "sent" and row(polish).status == "sent"
    assert row(english).message_id == en["Message-ID"]

    assert outbox.send_due().sent == 0  # nothing is sent twice
    assert len(smtp.received) == 2


def test_server_down_then_up_loses_nothing_and_sends_once(app, setup):
    with smtp_server(app.config, started=False) as server:
        first = queue_invitation(app, setup, "a@example.org")
        second = queue_invitation(app, setup, "b@example.org")

        report = outbox.send_due()  # nobody listens on the port

        assert (report.sent, report.deferred) == (0, 1)  # stops at the first refusal
        assert row(first).status == "pending" and row(first).attempts == 1
        assert "ConnectionRefused" in row(first).last_error
        assert row(second).status == "pending" and row(second).attempts == 0
        later = row(first).next_attempt_at
        report = outbox.send_due()  # still down: the other one is tried and waits too
        assert (report.sent, report.deferred) == (0, 1)
        assert row(second).attempts == 1 and row(first).attempts == 1

        server.start()
        assert outbox.send_due().sent == 0  # not due yet: back-off is respected
        report = outbox.send_due(now=max(later, row(second).next_attempt_at) + timedelta(1))
        assert report.sent == 2
        assert sorted(str(m["To"]).split("<")[1] for m in server.received) == [
            "a@example.org>",
            "b@example.org>",
        ]
        assert outbox.send_due(now=utcnow() + timedelta(days=2)).sent == 0
        assert len(server.received) == 2


def test_a_temporary_refusal_is_retried_later_and_then_delivered(app, setup, smtp):
    smtp.recorder.temporary["busy@example.org"] = 1
    message = queue_invitation(app, setup, "busy@example.org")

    report = outbox.send_due()

    assert (report.sent, report.deferred) == (0, 1)
    assert row(message).status == "pending"
    assert row(message).last_error.startswith("451 4.3.0")
    delay = row(message).next_attempt_at - row(message).claimed_at
    assert delay == outbox.retry_delay(1) == timedelta(minutes=5)
    assert smtp.received == []

    report = outbox.send_due(now=row(message).next_attempt_at)

    assert report.sent == 1
    assert row(message).status == "sent" and row(message).attempts == 2
    assert row(message).last_error == ""
    assert len(smtp.recorder.to("busy@example.org")) == 1


def test_a_permanent_refusal_marks_the_message_failed_and_is_not_retried(app, setup, smtp):
    smtp.recorder.permanent.add("nobody@example.org")
    message = queue_invitation(app, setup, "nobody@example.org")
    other = queue_invitation(app, setup, "ok@example.org")

    report = outbox.send_due()

    assert (report.sent, report.failed) == (1, 1)  # one bad address stops nothing else
    assert row(message).status == "failed"
    assert row(message).last_error == "550 5.1.1 No such mailbox here"
    assert row(other).status == "sent"
    assert outbox.send_due(now=utcnow() + timedelta(days=3)).failed == 0


def test_too_many_temporary_failures_end_as_failed(app, setup, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    try:
        smtp.recorder.temporary["full@example.org"] = 99
        message = queue_invitation(app, setup, "full@example.org")
        outbox.send_due()
        assert row(message).status == "pending"
        outbox.send_due(now=row(message).next_attempt_at)
        assert row(message).status == "failed" and row(message).attempts == 2
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 10


def test_back_off_doubles_up_to_six_hours():
    delays = [outbox.retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert delays[-1] == timedelta(hours=6) and delays == sorted(delays)


def test_two_senders_at_once_send_every_message_exactly_once(app, setup, smtp):
    ids = [queue_invitation(app, setup, f"person{n}@example.org") for n in range(24)]
    db.session.remove()
    start = threading.Barrier(2)
    reports = []
    errors = []

    def sender() -> None:
        with app.app_context():
            try:
                start.wait()
                reports.append(outbox.send_due())
            except Exception as error:  # surfaced below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r.sent for r in reports) == 24
    message_ids = [m["Message-ID"] for m in smtp.received]
    assert len(message_ids) == 24 and len(set(message_ids)) == 24
    statuses = db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids)))
    assert set(statuses) == {"sent"}


def test_a_claimed_message_cannot_be_claimed_again(app, setup, smtp):
    message = queue_invitation(app, setup, "once@example.org")
    now = utcnow()
    assert outbox.claim(message, now) is True
    assert outbox.claim(message, now) is False  # the second sender backs off
    assert outbox.send_due().sent == 0  # "sending" is not "pending"
    assert smtp.received == []


def test_a_message_claimed_by_a_sender_that_died_is_sent_after_a_while(app, setup, smtp):
    message = queue_invitation(app, setup, "late@example.org")
    assert outbox.claim(message, utcnow())
    assert outbox.send_due(now=utcnow() + timedelta(minutes=5)).sent == 0
    assert outbox.send_due(now=utcnow() + outbox.STALE_CLAIM + timedelta(minutes=1)).sent == 1
    assert len(smtp.received) == 1


def test_without_mail_server_nothing_is_sent_and_invitations_are_refused(app, setup):
    assert not app.config.get("MAIL_SERVER")
    with pytest.raises(MailOff):
        outbox.send_due()
    from audit_app.errors import UserError

    with app.test_request_context(base_url=BASE), pytest.raises(UserError, match="mail_off"):
        respondent_mail.send_invitation(
            db.session.get(Audit, setup.audit_id), invite(setup, "x@example.org"), "pl"
        )


def test_the_rq_worker_sends_a_queued_message_at_once(app, setup, smtp, monkeypatch):
    with report_queue(app, monkeypatch, "MAIL_QUEUE") as queue:
        message = queue_invitation(app, setup, "queued@example.org")
        outbox.wake_sender()
        assert queue.count == 1
        assert smtp.received == []
        work(app, queue)
        assert row(message).status == "sent"
        assert len(smtp.recorder.to("queued@example.org")) == 1


def test_a_refused_login_is_temporary(app, setup, smtp):
    app.config["MAIL_USERNAME"] = "someone"
    try:
        message = queue_invitation(app, setup, "auth@example.org")
        report = outbox.send_due()  # aiosmtpd offers no AUTH here: the login fails
        assert report.deferred == 1 and row(message).status == "pending"
        assert row(message).last_error
    finally:
        app.config["MAIL_USERNAME"] = None


def test_an_unused_server_object_is_harmless():
    SmtpServer().stop()


def test_an_address_the_server_cannot_take_fails_without_stopping_the_run(app, setup, smtp):
    draft = outbox.Draft(
        purpose="new_user",
        recipient="łucja@example.org",  # the headers cannot carry it
        recipient_name="Łucja",
        language="pl",
        subject="Konto",
        body_text="Treść",
        body_html="<p>Treść</p>",
    )
    bad = outbox.queue(draft).id
    db.session.commit()
    good = queue_invitation(app, setup, "ok@example.org")

    report = outbox.send_due()

    assert (report.sent, report.failed) == (1, 1)
    assert row(bad).status == "failed" and "non-ASCII" in row(bad).last_error
    assert row(good).status == "sent"
