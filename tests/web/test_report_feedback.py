"""Making a PDF (issue 15, item 4): the same progress page with or without a queue, and a
double post of the same report archives it once."""

from __future__ import annotations

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import IssuedReport, ReportRequest
from tests.conftest import login
from tests.web import test_reports
from tests.web.test_reports import pdf_text, post_issue

setup = test_reports.setup  # the same fixture: three submitted library audits, a draft


def _count(app, model) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_without_a_queue_the_post_goes_to_the_progress_page_showing_ready(client, app, setup):
    assert not app.config.get("REDIS_URL")
    login(client, "konsultant@example.org")
    response = post_issue(client, setup["current"], design="brief", lang="en")
    assert response.status_code == 303
    assert "/report-requests/" in response.location
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Your report is ready." in page.text
    assert 'data-status="finished"' in page.text
    with app.app_context():
        request = db.session.scalar(select(ReportRequest))
        assert (request.status, request.channel) == ("finished", "web")
        report = db.session.get(IssuedReport, request.report_id)
        download = client.get(f"/reports/{report.id}.pdf")
        assert "the decision in brief" in pdf_text(download.data).lower()


def test_a_double_post_archives_one_report(client, app, setup):
    login(client, "konsultant@example.org")
    first = post_issue(client, setup["current"], design="brief", lang="pl")
    second = post_issue(client, setup["current"], design="brief", lang="pl")
    assert first.status_code == second.status_code == 303
    assert second.location == first.location  # the first request's progress page
    assert _count(app, IssuedReport) == 1
    assert _count(app, ReportRequest) == 1
    # Another language (or design) is another report, also within seconds.
    other = post_issue(client, setup["current"], design="brief", lang="en")
    assert other.location != first.location
    assert _count(app, IssuedReport) == 2


def test_a_double_post_of_an_archival_copy_archives_it_once(client, app, setup):
    login(client, "konsultant@example.org")
    first = post_issue(client, setup["current"], design="brief", lang="pl", archival="y")
    second = post_issue(client, setup["current"], design="brief", lang="pl", archival="y")
    assert first.mimetype == second.mimetype == "application/pdf"
    assert first.data == second.data
    assert _count(app, IssuedReport) == 1
