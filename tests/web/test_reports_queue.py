"""The results page's PDF with a report queue (REDIS_URL set): the request is queued,
the browser follows it on a progress page, a worker renders it into the archive.
Without a queue, or when Redis cannot be reached, the PDF is rendered in the request and
the same progress page shows it ready (tests/web/test_reports.py and
test_report_feedback.py cover that path in full)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import IssuedReport, ReportRequest
from audit_app.services import report_requests
from tests.conftest import login, make_user, work
from tests.web import test_reports
from tests.web.test_reports import issue, pdf_text

setup = test_reports.setup  # the same fixture: three submitted library audits, a draft


def test_a_queued_report_is_followed_until_it_can_be_downloaded(client, app, setup, redis_queue):
    login(client, "konsultant@example.org")
    response = issue(client, setup["current"], design="brief", lang="pl")
    assert response.status_code == 303
    with app.app_context():
        request = db.session.scalar(select(ReportRequest))
        assert (request.status, request.channel, request.design) == ("queued", "web", "brief")
        assert request.job_id == redis_queue.job_ids[0]
        assert db.session.scalar(select(IssuedReport)) is None
    progress_url = f"/report-requests/{request.id}"
    assert response.headers["Location"] == progress_url

    page = client.get(progress_url)
    assert page.status_code == 200
    assert "Your report is waiting for a free worker." in page.text
    assert "Position in the queue: 1." in page.text
    assert 'aria-current="step">Waiting for a free worker' in page.text
    assert "report-progress.js" in page.text
    # The language switch comes back to this page (the request object is not shadowed).
    assert f'name="next" value="{progress_url}"' in page.text
    assert "Download the PDF</a>" not in page.text
    status = client.get(f"{progress_url}/status")
    assert status.json == {"status": "queued", "position": 1, "error": None, "download_url": None}
    assert status.headers["Cache-Control"] == "no-store"
    # Whoever leaves the page finds the request again on the archive page.
    archive_page = client.get(f"/audits/{setup['current']}/reports").text
    assert "Reports being prepared" in archive_page
    assert f'href="{progress_url}"' in archive_page

    work(app, redis_queue)

    status = client.get(f"{progress_url}/status").json
    assert status["status"] == "finished"
    page = client.get(progress_url)
    assert "Your report is ready." in page.text
    assert f'href="{status["download_url"]}"' in page.text
    pdf = client.get(status["download_url"])
    assert pdf.status_code == 200
    assert "skrót dla kierownictwa" in pdf_text(pdf.data).lower()
    with app.app_context():
        report = db.session.scalar(select(IssuedReport))
        assert report.channel == "web"  # asked for on the web page, rendered by the worker
        assert report.sha256 == hashlib.sha256(pdf.data).hexdigest()
        assert db.session.get(ReportRequest, request.id).report_id == report.id
    # It is in the archive like any other report, and no longer being prepared.
    archive_page = client.get(f"/audits/{setup['current']}/reports").text
    assert status["download_url"] in archive_page
    assert "Reports being prepared" not in archive_page


def test_the_progress_page_speaks_polish_and_shows_a_failed_worker(
    client, app, setup, redis_queue, monkeypatch
):
    def crash(request_id):
        raise RuntimeError("the worker lost its database")

    make_user(app, "polka@example.org", "admin", language="pl")
    login(client, "polka@example.org")
    monkeypatch.setattr(report_requests, "_run", crash)
    response = issue(client, setup["current"], design="full", lang="en")
    assert response.status_code == 303
    assert "Twój raport czeka na wolny proces roboczy." in client.get(response.location).text
    work(app, redis_queue)
    page = client.get(response.location)
    assert "Proces roboczy raportów zatrzymał się, zanim PDF był gotowy." in page.text
    assert client.get(f"{response.location}/status").json["status"] == "failed"


def test_an_unreachable_queue_renders_here_and_the_progress_page_has_the_pdf(
    client, app, setup, monkeypatch
):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    login(client, "konsultant@example.org")
    response = issue(client, setup["current"], design="brief", lang="en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    with app.app_context():
        request = db.session.scalar(select(ReportRequest))
        assert request.status == "finished"
        assert db.session.get(IssuedReport, request.report_id).channel == "web"


def test_a_bad_request_is_refused_before_anything_is_queued(client, app, setup, redis_queue):
    login(client, "konsultant@example.org")
    response = issue(client, setup["draft"], design="brief")
    assert response.status_code == 400
    assert "Submit the audit first." in response.text
    assert redis_queue.count == 0
    with app.app_context():
        assert db.session.scalar(select(ReportRequest)) is None


def test_a_job_lost_from_redis_shows_as_failed_not_waiting_forever(client, app, setup, redis_queue):
    """Redis restarted without its data: the queued job is gone and will never run."""
    login(client, "konsultant@example.org")
    response = issue(client, setup["current"], design="brief", lang="en")
    redis_queue.delete(delete_jobs=True)
    page = client.get(response.location)
    assert "The report worker stopped before the PDF was ready." in page.text
    assert "Reports being prepared" not in client.get(f"/audits/{setup['current']}/reports").text
