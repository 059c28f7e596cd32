"""With a report queue, the results page's "Make the PDF" leads to a progress page
that notices by itself (static/report-progress.js) when a worker has rendered the
report, and then offers the archived PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from audit_app.extensions import db
from audit_app.services.questionnaires import catalogue
from tests.conftest import report_queue, work
from tests.e2e.conftest import assert_accessible, create_consultant, log_in
from tests.support.sample import sample_history


def submitted_audit(server) -> int:
    with server.app.test_request_context():
        user = create_consultant()
        history = sample_history(catalogue().get("library-crm-audit"), user=user, audits=1)
        db.session.commit()
        audit_id = history.current.id
        db.session.remove()
        return audit_id


def test_the_progress_page_turns_into_a_download_when_the_worker_is_done(
    page: Page, server, monkeypatch: pytest.MonkeyPatch
):
    audit_id = submitted_audit(server)
    with report_queue(server.app, monkeypatch) as queue:
        log_in(page)
        page.goto(f"/audits/{audit_id}/results")
        page.get_by_label("Report", exact=True).select_option("brief")
        page.get_by_role("button", name="Make the PDF").click()

        expect(page).to_have_url(re.compile(r"/report-requests/\d+$"))
        expect(page.get_by_role("status")).to_contain_text("waiting for a free worker")
        expect(page.get_by_role("status")).to_contain_text("Position in the queue: 1.")
        expect(page.locator('li[aria-current="step"]')).to_have_text("Waiting for a free worker")
        assert_accessible(page)

        work(server.app, queue)  # the worker renders while the page waits

        download_link = page.get_by_role("link", name="Download the PDF")
        expect(download_link).to_be_visible()  # the page reloaded itself
        expect(page.get_by_role("status")).to_contain_text("Your report is ready.")
        expect(page.locator("li.done")).to_have_count(2)
        assert_accessible(page)
        with page.expect_download() as download_info:
            download_link.click()
        path = download_info.value.path()
        with open(path, "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert download_info.value.suggested_filename.endswith(".pdf")


# Clicks the "make PDF" button twice in one go, as a double click does, and reads the
# button right after the first click (the submit handler runs during the click).
DOUBLE_CLICK = """() => {
  const button = document.querySelector('form.report-issue button[type=submit]');
  button.click();
  const after = {disabled: button.disabled, busy: button.closest('form').getAttribute('aria-busy'),
                 text: button.textContent.trim()};
  button.click();
  return after;
}"""


def test_make_pdf_is_busy_and_submitted_once_then_the_progress_page_says_ready(page: Page, server):
    """Without a queue: the button turns busy and disabled at the first click, a second
    click sends nothing, and the same progress page as with a queue says "ready"."""
    from sqlalchemy import func, select

    from audit_app.models import IssuedReport, ReportRequest

    audit_id = submitted_audit(server)
    assert not server.app.config.get("REDIS_URL")
    log_in(page)
    page.goto(f"/audits/{audit_id}/results")
    page.get_by_label("Report", exact=True).select_option("brief")
    state = page.evaluate(DOUBLE_CLICK)
    assert state == {"disabled": True, "busy": "true", "text": "Preparing the PDF…"}

    expect(page).to_have_url(re.compile(r"/report-requests/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Your report is ready.")
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert_accessible(page)
    with server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IssuedReport)) == 1
        assert db.session.scalar(select(func.count()).select_from(ReportRequest)) == 1
        db.session.remove()
