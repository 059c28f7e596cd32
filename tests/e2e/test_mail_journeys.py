"""The mail journeys in a real browser, with a real SMTP server (aiosmtpd): a
consultant invites a respondent by e-mail, the respondent opens the personal link
from the message; a user who forgot the password asks for a link, sets a new
password with it, logs in with it, and the link then no longer works."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from audit_app.extensions import db
from audit_app.models import Organisation, User
from audit_app.services import audits as audit_service
from audit_app.services.mail import outbox
from audit_app.services.questionnaires import catalogue
from tests.e2e.conftest import CONSULTANT, assert_accessible, create_consultant, log_in
from tests.smtp_server import SmtpServer, html_part, smtp_server, text_part

NEW_PASSWORD = "nowe hasło do audytu"  # noqa: S105 - test only


@pytest.fixture
def smtp(server) -> Iterator[SmtpServer]:
    with smtp_server(server.app.config) as running:
        yield running


def send_mail(server) -> None:
    """What cron's `audit-app mail send` does, in the served app."""
    with server.app.app_context():
        outbox.send_due()
        db.session.remove()


def audit_of_consultant(server) -> int:
    with server.app.app_context():
        user = create_consultant()
        organisation = Organisation(name="Biblioteka Gminna w Żórawinie", type="library")
        organisation.created_by_id = user.id
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(
            organisation, catalogue().get("library-crm-audit"), db.session.get(User, user.id)
        )
        db.session.commit()
        audit_id = audit.id
        db.session.remove()
        return audit_id


def test_consultant_invites_by_mail_and_the_respondent_opens_the_link(
    page: Page, browser: Browser, server, smtp
):
    audit_id = audit_of_consultant(server)
    log_in(page)
    page.goto(f"/audits/{audit_id}/respondents")
    assert_accessible(page)
    page.get_by_label("Role").first.select_option(label="Front-line staff")
    page.get_by_label("Name (optional)").fill("Ewa Źrebiec")
    page.get_by_label("E-mail (optional; needed to send the invitation by e-mail)").fill(
        "ewa@example.org"
    )
    expect(page.get_by_role("checkbox", name="Send the invitation by e-mail")).to_be_checked()
    page.get_by_label("Language of the e-mail").select_option("en")
    page.get_by_role("button", name="Create personal link").click()
    expect(page.get_by_text("The invitation is on its way to ewa@example.org.")).to_be_visible()
    expect(page.get_by_text("Invitation waiting to be sent")).to_be_visible()

    send_mail(server)

    (message,) = smtp.received
    assert message["Subject"].startswith("Your view on Biblioteka Gminna w Żórawinie")
    link = re.search(r"(http://127\.0\.0\.1:\d+/respond/\S+)", text_part(message)).group(1)
    assert f'href="{link}"' in html_part(message)
    page.reload()
    expect(page.get_by_text(re.compile("Invitation e-mailed"))).to_be_visible()

    respondent = browser.new_context(locale="en-GB").new_page()
    respondent.goto(link)
    expect(respondent.get_by_role("heading", level=1)).to_have_text("Library CRM audit")
    expect(respondent.get_by_text("You answer as: Front-line staff")).to_be_visible()
    respondent.context.close()


def test_forgotten_password_reset_by_mail_end_to_end(page: Page, server, smtp):
    with server.app.app_context():
        create_consultant()
        db.session.commit()
        db.session.remove()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("E-mail").fill(CONSULTANT)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text(f"If an account exists for {CONSULTANT}")).to_be_visible()

    send_mail(server)

    (message,) = smtp.received
    assert message["Subject"] == "Choose a new password"
    link = re.search(r"(http://127\.0\.0\.1:\d+/password/reset/\S+)", text_part(message)).group(1)
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    log_in(page)  # the old password
    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    page.get_by_label("E-mail").fill(CONSULTANT)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(link)  # used once already
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
