"""Copy buttons for links to hand on (issue 15, item 10): a shared respondent link is put
on the clipboard by one click, and the page says "Copied"."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from audit_app.extensions import db
from audit_app.models import Organisation, User
from audit_app.services import audits as audit_service
from audit_app.services import respondents as service
from audit_app.services.questionnaires import catalogue
from tests.e2e.conftest import assert_accessible, create_consultant, log_in


def test_a_shared_link_is_copied_with_one_click(browser: Browser, server):
    with server.app.test_request_context():
        user = create_consultant()
        organisation = Organisation(name="Biblioteka Publiczna", type="library")
        organisation.created_by_id = user.id
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(
            organisation, catalogue().get("library-crm-audit"), db.session.get(User, user.id)
        )
        service.create_link(audit, role="leadership", user=user)
        db.session.commit()
        audit_id = audit.id
        db.session.remove()
    context = browser.new_context(
        base_url=server.url, locale="en-GB", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page)
    page.goto(f"/audits/{audit_id}/respondents")
    field = page.get_by_label("Link to copy")
    url = field.input_value()
    assert "/respond/" in url
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert_accessible(page)
    context.close()
