"""A refused action in a real browser (issue 15, item 3): after adding an action with an
empty title the error summary is at the top, in view and focused, its link moves the
focus to the title field, and opening the address bar's URL again works."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from audit_app.extensions import db
from tests.e2e.conftest import assert_accessible, create_consultant, log_in
from tests.web.test_results import ANSWERS_A, answered_audit, make_org


def test_an_empty_action_title_is_pointed_out_at_the_top(page: Page, server):
    with server.app.app_context():
        consultant_id = create_consultant().id
        db.session.commit()
    organisation_id = make_org(server.app, consultant_id)
    audit_id = answered_audit(server.app, organisation_id, consultant_id, ANSWERS_A)
    log_in(page)
    page.goto(f"/audits/{audit_id}/results")
    entry = page.locator("#rec-rec-q08-first")
    entry.locator("summary", has_text="Turn into an action").click()
    entry.get_by_label("Action").fill("")
    entry.get_by_role("button", name="Add action").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") < 400
    summary.get_by_role("link").click()
    expect(page.locator("#new-rec-q08-first-title")).to_be_focused()
    assert_accessible(page)

    assert f"/audits/{audit_id}/actions#" in page.url
    response = page.goto(page.url.split("#")[0])  # as a bookmark would: it answers GET
    assert response is not None and response.ok
    expect(page.locator("h1")).to_contain_text("Results")
