"""Erasure reaches archived reports and a report names a contact only with consent
(issue 14.4). PDFs are parsed back to text."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy import select
from sqlalchemy.orm import undefer

from audit_app.extensions import db
from audit_app.models import Audit, IssuedReport, Person, TrailEvent, User
from audit_app.services import audits as audit_service
from audit_app.services import report_archive as archive
from audit_app.services import sharing
from audit_app.services.register import consents
from tests.conftest import csrf_token, login
from tests.web.test_evidence import _link, setup


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def _anna(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).filter_by(last_name="Kowalska"))


def _consent(app, ids, status: str) -> None:
    with app.app_context():
        person = db.session.get(Person, _anna(app))
        consents.record(
            db.session.get(User, ids["consultant"]),
            person,
            consents.ConsentInput(
                purpose="named_in_report", lawful_basis="consent", source="email", status=status
            ),
        )
        db.session.commit()


def _submitted_with_evidence(app, client) -> dict[str, int]:
    ids = setup(app)
    login(client, "consultant@example.org")
    assert _link(client, ids, ids["recent"]).status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, ids["audit"])
        consultant = db.session.get(User, ids["consultant"])
        for question in audit_service.questionnaire_for(audit).questions:
            audit_service.save_answer(audit, question.id, value="3", user=consultant)
        audit_service.submit(audit, consultant)
        db.session.commit()
    return ids


def _issue(app, ids) -> tuple[int, str]:
    with app.app_context():
        audit = db.session.get(Audit, ids["audit"])
        report = archive.issue(audit, "full", "en", user=db.session.get(User, ids["consultant"]))
        db.session.commit()
        return report.id, _pdf_text(report.pdf)


def test_a_report_names_a_contact_only_with_consent(app, client):
    ids = _submitted_with_evidence(app, client)
    _report_id, text = _issue(app, ids)
    assert "Kowalska" not in text and "Dyrektorka" in text  # the role, not the name
    _consent(app, ids, "granted")
    _report_id, text = _issue(app, ids)
    assert "Anna Kowalska (Dyrektorka)" in text
    _consent(app, ids, "withdrawn")
    _report_id, text = _issue(app, ids)
    assert "Kowalska" not in text
    # the audit's own pages (for people with access) still name the contact
    page = client.get(f"/audits/{ids['audit']}/results")
    assert "Anna Kowalska (Dyrektorka)" in page.text


def test_erasure_rerenders_archived_reports_and_their_share_links(app, client):
    ids = _submitted_with_evidence(app, client)
    _consent(app, ids, "granted")
    report_id, text = _issue(app, ids)
    assert text.count("Kowalska") >= 1
    anna = _anna(app)
    with app.app_context():
        old_sha = db.session.get(IssuedReport, report_id).sha256
    page = client.get(f"/register/people/{anna}/erase")
    response = client.post(
        f"/register/people/{anna}/erase",
        data={"csrf_token": csrf_token(page.text), "confirm_name": "Anna Kowalska"},
        follow_redirects=True,
    )
    assert "1 archived report named them; it was re-rendered" in response.text
    with app.app_context():
        report = db.session.scalar(
            select(IssuedReport)
            .where(IssuedReport.id == report_id)
            .options(undefer(IssuedReport.pdf), undefer(IssuedReport.context))
        )
        assert report.sha256 != old_sha and report.size == len(report.pdf)
        assert "Kowalska" not in str(report.context) and "anna." not in str(report.context)
        text = _pdf_text(report.pdf)
        _link_row, token = sharing.create_link(report, 7, db.session.get(User, ids["consultant"]))
        db.session.commit()
        events = db.session.scalars(select(TrailEvent).filter_by(action="redact_report")).all()
        assert [e.details["report_id"] for e in events] == [report_id]
    assert "Kowalska" not in text and f"#{anna} (Dyrektorka)" in text
    shared = app.test_client().get(f"/share/{token}/report.pdf")
    assert shared.status_code == 200 and "Kowalska" not in _pdf_text(shared.data)
    archived = client.get(f"/reports/{report_id}.pdf")
    assert archived.status_code == 200 and "Kowalska" not in _pdf_text(archived.data)
