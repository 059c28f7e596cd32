"""The error summary of any form in a real browser (issue 15, item 3): on the register's
new-person form an invalid e-mail address is summed up at the top, the
summary has the focus and is in view, and its link moves the focus to that address."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from audit_app.extensions import db
from tests.e2e.conftest import assert_accessible, create_consultant, log_in


def test_an_invalid_e_mail_is_summed_up_focused_and_linked(page: Page, server):
    with server.app.app_context():
        create_consultant()
        db.session.commit()
    log_in(page)
    page.goto("/register/people/new")
    page.get_by_label("Last name").fill("Nowak")
    page.locator("#emails-0-value").fill("anna.nowak@")
    page.locator("form.register-form button[type=submit]").first.click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link").first.click()
    expect(page.locator("#emails-0-value")).to_be_focused()
    expect(page.locator("#emails-0-value-error")).to_be_visible()
    expect(page.locator("#emails-0-value")).to_have_value("anna.nowak@")  # nothing lost
    assert_accessible(page)
