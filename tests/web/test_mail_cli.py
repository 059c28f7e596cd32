"""`audit-app respondents invite`, `audit-app mail send` and `audit-app mail list`
against a real SMTP server, and with mail off."""

from __future__ import annotations

import re

from audit_app.extensions import db
from audit_app.models import OutboxMessage, Respondent
from tests.smtp_server import text_part
from tests.web.mail_helpers import audit_setup


def test_invite_queue_send_and_list_from_the_command_line(app, clean_db, smtp):
    setup = audit_setup(app)
    runner = app.test_cli_runner()
    app.config["APP_URL"] = "https://audit.example.org"
    try:
        invited = runner.invoke(
            args=[
                "respondents", "invite", str(setup.audit_id),
                "--email", "kasia@example.org", "--name", "Kasia Gęś",
                "--role", "leadership", "--lang", "en", "--as", "con@example.org",
            ]
        )  # fmt: skip
    finally:
        app.config["APP_URL"] = None
    assert invited.exit_code == 0, invited.output
    url = re.search(r"(https://audit\.example\.org/respond/\S+)", invited.output).group(1)
    assert "Invitation queued" in invited.output

    pending = runner.invoke(args=["mail", "list", "--status", "pending"])
    assert "kasia@example.org" in pending.output and "invitation" in pending.output

    sent = runner.invoke(args=["mail", "send"])
    assert sent.exit_code == 0, sent.output
    assert "1 sent, 0 to retry, 0 failed" in sent.output
    (message,) = smtp.received
    assert url in text_part(message) and message["Content-Language"] == "en"
    with app.app_context():
        respondent = db.session.query(Respondent).one()
        assert (respondent.role, respondent.name) == ("leadership", "Kasia Gęś")

    again = runner.invoke(args=["mail", "send"])  # cron: nothing to do, exit 0
    assert again.exit_code == 0 and "0 sent" in again.output
    assert len(smtp.received) == 1
    listed = runner.invoke(args=["mail", "list", "--status", "sent"])
    assert "kasia@example.org" in listed.output and "1 sent" in listed.output
    assert runner.invoke(args=["mail", "list", "--status", "failed"]).output == "No messages.\n"


def test_invite_needs_app_url_outside_a_request(app, clean_db, smtp):
    setup = audit_setup(app)
    result = app.test_cli_runner().invoke(
        args=["respondents", "invite", str(setup.audit_id), "--email", "a@example.org"]
    )
    assert result.exit_code == 1 and "Set APP_URL" in result.output
    with app.app_context():
        assert db.session.query(Respondent).count() == 0  # nothing half-done


def test_with_mail_off_invite_prints_the_link_and_send_does_nothing(app, clean_db):
    setup = audit_setup(app)
    runner = app.test_cli_runner()
    app.config["APP_URL"] = "https://audit.example.org"
    try:
        invited = runner.invoke(
            args=["respondents", "invite", str(setup.audit_id), "--email", "a@example.org"]
        )
    finally:
        app.config["APP_URL"] = None
    assert invited.exit_code == 0, invited.output
    assert "Mail is off (MAIL_SERVER is not set). Send this link yourself." in invited.output
    sent = runner.invoke(args=["mail", "send"])
    assert sent.exit_code == 0 and "Mail is off" in sent.output
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0


def test_invite_refuses_an_unknown_audit_or_role(app, clean_db, smtp):
    setup = audit_setup(app)
    runner = app.test_cli_runner()
    assert (
        "No audit 999"
        in runner.invoke(args=["respondents", "invite", "999", "--email", "a@example.org"]).output
    )
    app.config["APP_URL"] = "https://audit.example.org"
    try:
        result = runner.invoke(
            args=["respondents", "invite", str(setup.audit_id), "--email", "a@example.org",
                  "--role", "janitor", "--as", "con@example.org"]
        )  # fmt: skip
    finally:
        app.config["APP_URL"] = None
    assert result.exit_code == 1 and "Unknown role" in result.output


def test_invite_keeps_the_link_when_the_address_opted_out(app, clean_db, smtp):
    from audit_app.services.mail import optouts

    setup = audit_setup(app)
    with app.app_context():
        optouts.opt_out("gone@example.org")
        db.session.commit()
    app.config["APP_URL"] = "https://audit.example.org"
    try:
        result = app.test_cli_runner().invoke(
            args=["respondents", "invite", str(setup.audit_id), "--email", "gone@example.org"]
        )
    finally:
        app.config["APP_URL"] = None
    assert result.exit_code == 0, result.output
    assert "opted out of e-mail" in result.output and "Send this link yourself." in result.output
    assert "https://audit.example.org/respond/" in result.output
    with app.app_context():
        assert db.session.query(Respondent).count() == 1
        assert db.session.query(OutboxMessage).count() == 0


def test_send_still_sends_when_digests_cannot_be_made_without_app_url(app, clean_db, smtp):
    from datetime import date

    from audit_app.models import User
    from audit_app.services.mail import password_reset
    from audit_app.services.register.followups import FollowupInput
    from audit_app.services.register.followups import create as create_followup

    setup = audit_setup(app)
    with app.test_request_context(base_url="https://audit.example.org"):
        user = db.session.get(User, setup.user_id)
        create_followup(user, FollowupInput(title="Call back", due_on=date.today()))
        password_reset.request_reset(user.email)
        db.session.commit()
    app.config["MAIL_DIGEST_HOUR"] = 0
    try:
        result = app.test_cli_runner().invoke(args=["mail", "send"])
    finally:
        app.config["MAIL_DIGEST_HOUR"] = 6
    assert result.exit_code == 1
    assert "1 sent" in result.output and "Set APP_URL" in result.output
    assert [m["Subject"] for m in smtp.received] == ["Choose a new password"]
