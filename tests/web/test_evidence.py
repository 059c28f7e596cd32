"""Evidence from contacts: register interactions linked to audit answers, cited on the
results page and in the full PDF, flagged when stale."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pypdf
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    AnswerEvidence,
    Audit,
    Organisation,
    OrganisationAccess,
    TrailEvent,
    User,
)
from audit_app.services import audits as audit_service
from audit_app.services import evidence
from audit_app.services import report_archive as archive
from audit_app.services.questionnaires import catalogue
from audit_app.services.register import interactions, people
from tests.conftest import csrf_token, login, make_user

QUESTION = "q01_identify_users"


def _person(user: User, organisation: Organisation, first: str, last: str, role: str) -> int:
    data = people.PersonInput(
        first_name=first,
        last_name=last,
        emails=[people.ContactValue(f"{first}.{last}@example.org".lower())],
    )
    return people.create(user, data, organisation=organisation, role=role).id


def _interaction(user: User, organisation_id: int, person_id: int, days: int, subject: str) -> int:
    return interactions.log(
        user,
        interactions.InteractionInput(
            occurred_at=datetime.now(UTC) - timedelta(days=days),
            channel="phone",
            subject=subject,
            organisation_id=organisation_id,
            participant_ids=[person_id],
        ),
    ).id


def setup(app) -> dict[str, int]:
    consultant_id = make_user(app, "consultant@example.org", "consultant")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "outsider@example.org", "consultant")
    with app.app_context():
        consultant = db.session.get(User, consultant_id)
        library = Organisation(name="Biblioteka", type="library", created_by_id=consultant_id)
        other = Organisation(name="Inna", type="library", created_by_id=consultant_id)
        db.session.add_all([library, other])
        db.session.flush()
        db.session.add(OrganisationAccess(organisation_id=library.id, user_id=viewer_id))
        anna = _person(consultant, library, "Anna", "Kowalska", "Dyrektorka")
        piotr = _person(consultant, other, "Piotr", "Obcy", "Prezes")
        recent = _interaction(consultant, library.id, anna, 10, "Rozmowa o czytelnikach")
        old = _interaction(consultant, library.id, anna, 500, "Stara rozmowa")
        foreign = _interaction(consultant, other.id, piotr, 5, "Inna sprawa")
        audit = audit_service.start_audit(library, catalogue().get("library-crm-audit"), consultant)
        db.session.commit()
        return {
            "audit": audit.id,
            "recent": recent,
            "old": old,
            "foreign": foreign,
            "consultant": consultant_id,
        }


def _link(client, ids, interaction_id, question=QUESTION):
    page = client.get(f"/audits/{ids['audit']}")
    return client.post(
        f"/audits/{ids['audit']}/evidence",
        data={
            "csrf_token": csrf_token(page.text),
            "question_id": question,
            f"interaction-{question}": str(interaction_id),
        },
    )


def _links(app, audit_id):
    with app.app_context():
        return list(db.session.scalars(select(AnswerEvidence).filter_by(audit_id=audit_id)))


def test_link_shows_on_the_answering_page_and_unlink_removes_it(app, client):
    ids = setup(app)
    login(client, "consultant@example.org")
    page = client.get(f"/audits/{ids['audit']}")
    assert page.status_code == 200
    assert 'id="contact-evidence-q01_identify_users"' in page.text
    assert 'form="evidence-link-form"' in page.text
    assert "Rozmowa o czytelnikach" in page.text  # a candidate
    assert "Inna sprawa" not in page.text  # another organisation's interaction

    response = _link(client, ids, ids["recent"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#q-q01_identify_users")
    links = _links(app, ids["audit"])
    assert [(link.question_id, link.interaction_id) for link in links] == [
        (QUESTION, ids["recent"])
    ]
    page = client.get(response.headers["Location"])
    assert "Anna Kowalska (Dyrektorka)" in page.text
    assert f"/audits/{ids['audit']}/evidence/{links[0].id}/unlink" in page.text

    again = _link(client, ids, ids["recent"])
    assert again.status_code == 400
    assert "already linked" in again.text

    response = client.post(
        f"/audits/{ids['audit']}/evidence/{links[0].id}/unlink",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    assert _links(app, ids["audit"]) == []
    with app.app_context():
        actions = db.session.scalars(
            select(TrailEvent.action).where(TrailEvent.action.like("evidence_%"))
        ).all()
        assert sorted(actions) == ["evidence_link", "evidence_unlink"]


def test_interaction_of_another_organisation_is_refused(app, client):
    ids = setup(app)
    login(client, "consultant@example.org")
    response = _link(client, ids, ids["foreign"])
    assert response.status_code == 400
    assert "Choose an interaction with this organisation" in response.text
    assert _link(client, ids, "abc").status_code == 400
    assert _link(client, ids, ids["recent"], question="no_such_question").status_code == 400
    assert _links(app, ids["audit"]) == []


def test_viewer_gets_403_and_outsider_404(app, client):
    ids = setup(app)
    with app.app_context():
        link = evidence.link(
            db.session.get(Audit, ids["audit"]),
            QUESTION,
            ids["recent"],
            db.session.get(User, ids["consultant"]),
        )
        db.session.commit()
        link_id = link.id
    for email, status in (("viewer@example.org", 403), ("outsider@example.org", 404)):
        login(client, email)
        token = csrf_token(client.get("/").text)
        data = {"csrf_token": token, "question_id": QUESTION, "interaction_id": ids["recent"]}
        assert client.post(f"/audits/{ids['audit']}/evidence", data=data).status_code == status
        unlink = client.post(
            f"/audits/{ids['audit']}/evidence/{link_id}/unlink", data={"csrf_token": token}
        )
        assert unlink.status_code == status
        client.post("/logout", data={"csrf_token": token})
    assert len(_links(app, ids["audit"])) == 1


def test_results_and_pdf_cite_evidence_with_stale_flag(app, client):
    ids = setup(app)
    login(client, "consultant@example.org")
    assert _link(client, ids, ids["recent"]).status_code == 302
    assert _link(client, ids, ids["old"]).status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, ids["audit"])
        consultant = db.session.get(User, ids["consultant"])
        library = audit_service.questionnaire_for(audit)
        for question in library.questions:
            audit_service.save_answer(audit, question.id, value="3", user=consultant)
        audit_service.submit(audit, consultant)
        db.session.commit()
        cited = evidence.evidence_for(audit)[QUESTION]
        assert [item["stale"] for item in cited] == [False, True]  # newest first
        assert cited[0]["who"] == [{"name": "Anna Kowalska", "role": "Dyrektorka"}]

    page = client.get(f"/audits/{ids['audit']}/results")
    assert page.status_code == 200
    row = page.text.split('id="question-q01_identify_users"')[1].split("</tr>")[0]
    assert "Anna Kowalska (Dyrektorka)" in row
    assert "Phone" in row
    assert "Rozmowa o czytelnikach" in row
    assert row.count("evidence-stale") == 1
    assert "Stale: older than 365 days" in row

    with app.app_context():
        audit = db.session.get(Audit, ids["audit"])
        report = archive.issue(audit, "full", "en", user=db.session.get(User, ids["consultant"]))
        db.session.commit()
        reader = pypdf.PdfReader(io.BytesIO(report.pdf))
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    # Anna has not consented to be named in reports: her role stands for her
    # (tests/web/test_erasure_reports.py covers the consent).
    assert "Dyrektorka" in text and "Kowalska" not in text
    assert "Rozmowa o czytelnikach" in text
    assert "stale: older than 365 days" in text


def test_the_stale_limit_follows_the_setting(app, client):
    ids = setup(app)
    with app.app_context():
        audit = db.session.get(Audit, ids["audit"])
        consultant = db.session.get(User, ids["consultant"])
        evidence.link(audit, QUESTION, ids["recent"], consultant)
        db.session.commit()
        assert evidence.evidence_for(audit)[QUESTION][0]["stale"] is False
        previous = app.config["EVIDENCE_STALE_DAYS"]
        app.config["EVIDENCE_STALE_DAYS"] = 7
        try:
            item = evidence.evidence_for(audit)[QUESTION][0]
            assert item["stale"] is True and item["stale_after_days"] == 7
        finally:
            app.config["EVIDENCE_STALE_DAYS"] = previous
