"""Report PDFs through the API: request (202), status, download. Rendered in the web
process without Redis; with Redis queued on RQ and rendered by a worker (run here
in-process, burst mode, so no waiting)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update

from audit_app.extensions import db
from audit_app.models import IssuedReport, OrganisationAccess, ReportRequest, User
from audit_app.services import audits as audit_service
from audit_app.services import report_requests
from audit_app.services.questionnaires import catalogue
from tests.conftest import make_user, work
from tests.support.sample import sample_history
from tests.web.test_api import Api, make_token


@pytest.fixture
def setup(app, client, monkeypatch):
    """Two submitted library audits and a draft; tokens of the consultant, a viewer and
    an outsider. No Redis unless a test sets it."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    consultant_id = make_user(app, "konsultant@example.org", "consultant", language="en")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    outsider_id = make_user(app, "other@example.org", "consultant")
    with app.app_context():
        consultant = db.session.get(User, consultant_id)
        history = sample_history(catalogue().get("library-crm-audit"), user=consultant, audits=2)
        db.session.add(
            OrganisationAccess(organisation_id=history.organisation.id, user_id=viewer_id)
        )
        draft = audit_service.start_audit(
            history.organisation, audit_service.questionnaire_for(history.current), consultant
        )
        db.session.commit()
        ids = {
            "current": history.current.id,
            "oldest": history.audits[0].id,
            "draft": draft.id,
            "organisation": history.organisation.id,
        }
    return {
        **ids,
        "consultant": Api(client, make_token(app, consultant_id)),
        "viewer": Api(client, make_token(app, viewer_id)),
        "outsider": Api(client, make_token(app, outsider_id)),
    }


def test_without_redis_the_report_is_rendered_at_once(app, setup):
    api = setup["consultant"]
    response = api.post(f"/api/v1/audits/{setup['current']}/reports", {"design": "brief"})
    assert response.status_code == 202, response.json
    body = response.json
    assert body["status"] == "finished"
    assert body["lang"] == "en"  # the token user's language by default
    assert response.headers["Location"] == f"/api/v1/reports/{body['id']}"
    assert body["links"]["self"] == response.headers["Location"]

    status = api.get(body["links"]["self"]).json
    assert status["status"] == "finished"
    assert status["report"]["pages"] >= 1
    pdf = api.get(status["links"]["pdf"])
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["X-Content-SHA256"] == hashlib.sha256(pdf.data).hexdigest()
    with app.app_context():
        report = db.session.get(IssuedReport, status["report"]["id"])
        assert report.pdf == pdf.data
        assert report.design == "brief"
        assert report.audit_id == setup["current"]
        request = db.session.get(ReportRequest, body["id"])
        assert request.report_id == report.id
    # Whoever may see the organisation may read the status and download.
    assert setup["viewer"].get(status["links"]["pdf"]).status_code == 200
    assert setup["outsider"].get(body["links"]["self"]).status_code == 404
    assert setup["outsider"].get(status["links"]["pdf"]).status_code == 404


def test_report_requests_are_checked_before_they_are_queued(app, setup):
    api = setup["consultant"]
    url = f"/api/v1/audits/{setup['current']}/reports"
    draft = api.post(f"/api/v1/audits/{setup['draft']}/reports", {"design": "full"})
    assert draft.status_code == 409
    assert draft.json["code"] == "not_submitted"
    for payload, code in [
        ({"design": "poster"}, "unknown_design"),
        ({"lang": "de"}, "unknown_language"),
        ({"design": 3}, "wrong_type"),
        ({"design": "progress", "compare_to": setup["draft"]}, "bad_comparison"),
        ({"design": "progress", "compare_to": 99999}, "bad_comparison"),
    ]:
        response = api.post(url, payload)
        assert response.status_code == 422, (payload, response.json)
        assert response.json["code"] == code
    assert setup["viewer"].post(url, {}).status_code == 403
    assert setup["outsider"].post(url, {}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ReportRequest)) is None


def test_a_progress_report_compares_with_the_previous_audit(app, setup):
    api = setup["consultant"]
    response = api.post(
        f"/api/v1/audits/{setup['current']}/reports", {"design": "progress", "lang": "pl"}
    )
    assert response.status_code == 202
    assert response.json["status"] == "finished", response.json
    with app.app_context():
        report = db.session.get(IssuedReport, response.json["report"]["id"])
        assert report.compare_audit_id == setup["oldest"]


def test_the_pdf_of_an_unfinished_or_failed_request_is_409(app, setup):
    with app.app_context():
        queued = ReportRequest(
            audit_id=setup["current"],
            organisation_id=setup["organisation"],
            design="full",
            lang="pl",
            status="queued",
        )
        failed = ReportRequest(
            audit_id=setup["current"],
            organisation_id=setup["organisation"],
            design="full",
            lang="pl",
            status="failed",
            error="render_failed",
        )
        db.session.add_all([queued, failed])
        db.session.commit()
        ids = queued.id, failed.id
    api = setup["consultant"]
    response = api.get(f"/api/v1/reports/{ids[0]}/pdf")
    assert response.status_code == 409
    assert response.json["code"] == "report_not_ready"
    assert "pdf" not in api.get(f"/api/v1/reports/{ids[0]}").json["links"]
    response = api.get(f"/api/v1/reports/{ids[1]}/pdf")
    assert response.status_code == 409
    assert response.json["details"]["error"] == "render_failed"


def test_a_rendering_error_marks_the_request_failed(app, setup, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(report_requests.archive, "render_audit", broken)
    response = setup["consultant"].post(f"/api/v1/audits/{setup['current']}/reports", {})
    assert response.status_code == 202
    assert response.json["status"] == "failed"
    assert response.json["error"] == "render_failed"
    assert response.json["report"] is None


def test_an_unreachable_queue_falls_back_to_rendering_at_once(app, setup, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = setup["consultant"].post(f"/api/v1/audits/{setup['current']}/reports", {})
    assert response.status_code == 202
    assert response.json["status"] == "finished"


# --------------------------------------------------------------------------- with Redis


def test_with_redis_a_worker_renders_the_queued_report(app, setup, redis_queue):
    api = setup["consultant"]
    response = api.post(f"/api/v1/audits/{setup['current']}/reports", {"lang": "pl"})
    assert response.status_code == 202
    body = response.json
    assert body["status"] == "queued"
    assert body["report"] is None
    assert redis_queue.count == 1
    with app.app_context():
        assert db.session.get(ReportRequest, body["id"]).job_id == redis_queue.job_ids[0]
    assert api.get(body["links"]["self"]).json["status"] == "queued"
    assert api.get(f"/api/v1/reports/{body['id']}/pdf").status_code == 409

    work(app, redis_queue)

    status = api.get(body["links"]["self"]).json
    assert status["status"] == "finished", status
    assert status["started_at"] is not None
    pdf = api.get(status["links"]["pdf"])
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    with app.app_context():
        report = db.session.get(IssuedReport, status["report"]["id"])
        assert report.sha256 == hashlib.sha256(pdf.data).hexdigest()


def test_the_worker_command_renders_queued_reports(app, setup, redis_queue):
    api = setup["consultant"]
    body = api.post(f"/api/v1/audits/{setup['current']}/reports", {"design": "brief"}).json
    assert body["status"] == "queued"
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert api.get(body["links"]["self"]).json["status"] == "finished"


def test_a_job_that_dies_in_the_worker_shows_as_failed(app, setup, redis_queue, monkeypatch):
    """Without the failure callback (a worker killed outright runs none), the status
    call finds the failed job in RQ and says so."""

    def crash(request_id):
        raise RuntimeError("worker lost its database")

    monkeypatch.setattr(report_requests, "_run", crash)
    monkeypatch.setattr(report_requests, "job_failed", lambda job, connection, *exc: None)
    api = setup["consultant"]
    body = api.post(f"/api/v1/audits/{setup['current']}/reports", {}).json
    work(app, redis_queue)
    with app.app_context():
        assert db.session.get(ReportRequest, body["id"]).status == "queued"
    status = api.get(body["links"]["self"]).json
    assert status["status"] == "failed"
    assert status["error"] == "worker_failed"


def test_a_job_that_fails_in_the_worker_is_marked_failed_at_once(
    app, setup, redis_queue, monkeypatch
):
    """The failure callback marks the request in the database, before anyone asks."""

    def crash(request_id):
        raise RuntimeError("worker lost its database")

    monkeypatch.setattr(report_requests, "_run", crash)
    body = setup["consultant"].post(f"/api/v1/audits/{setup['current']}/reports", {}).json
    work(app, redis_queue)
    with app.app_context():
        request = db.session.get(ReportRequest, body["id"])
        assert (request.status, request.error) == ("failed", "worker_failed")
        assert request.finished_at is not None


def test_writes_by_others_during_a_render_do_not_fail_the_report(
    app, setup, redis_queue, monkeypatch
):
    """On SQLite a read transaction held across the render could not write afterwards
    once another connection had committed ("database is locked" at once)."""
    real_render = report_requests.archive.render_audit

    def render_while_others_write(*args, **kwargs):
        result = real_render(*args, **kwargs)
        with db.engine.begin() as other:  # someone autosaves meanwhile
            other.execute(
                update(User).where(User.email == "viewer@example.org").values(name="Wiktor")
            )
        return result

    monkeypatch.setattr(report_requests.archive, "render_audit", render_while_others_write)
    api = setup["consultant"]
    body = api.post(f"/api/v1/audits/{setup['current']}/reports", {"design": "brief"}).json
    work(app, redis_queue)
    status = api.get(body["links"]["self"]).json
    assert status["status"] == "finished", status
    with app.app_context():
        assert db.session.scalar(select(User.name).filter_by(email="viewer@example.org")) == (
            "Wiktor"
        )


def test_the_worker_command_needs_redis(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL" in result.output
