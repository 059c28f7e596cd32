"""Submitting an audit closes respondent collection (issue 14.3): an invited
respondent's link and a shared link answer a translated "this audit is closed" page
(410), autosave answers 410 JSON and stores nothing, the perception stays as submitted;
reopening the audit reopens collection."""

from __future__ import annotations

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Audit, Respondent, RespondentAnswer, User
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, make_user
from tests.web.test_respondents import (  # noqa: F401
    LIBRARY,
    answer,
    consultant,
    invite,
    new_browser,
    shared_link,
)


def _submit(app, audit_id, user_id):
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        user = db.session.get(User, user_id)
        for question in catalogue().get(LIBRARY).questions:
            audit_service.save_answer(audit, question.id, value="2", user=user)
        audit_service.submit(audit, user)
        db.session.commit()


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Respondent.id))),
            db.session.scalar(select(func.sum(RespondentAnswer.revision))) or 0,
        )


def test_submitting_closes_collection_and_reopening_reopens_it(app, client, consultant):  # noqa: F811
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "leadership")
    link = shared_link(client, audit_id, "frontline_staff")
    visitor = new_browser(app)
    answer(app, path, {"q01_identify_users": "4"}, browser=visitor)
    token = csrf_token(visitor.get(path, follow_redirects=True).text)
    _submit(app, audit_id, consultant["user_id"])
    before = _counts(app)

    page = visitor.get(path)
    assert page.status_code == 410 and "This audit is closed" in page.text
    saved = visitor.post(
        f"{path}/answers/q01_identify_users", json={"value": "1"}, headers={"X-CSRFToken": token}
    )
    assert saved.status_code == 410
    assert saved.json == {"ok": False, "locked": True, "code": "audit_closed"}
    stranger = new_browser(app, "pl")
    landing = stranger.get(link)
    assert landing.status_code == 410 and "Ten audyt jest zamknięty" in landing.text
    started = stranger.post(
        f"{link}/start", data={"csrf_token": csrf_token(stranger.get("/login").text)}
    )
    assert started.status_code == 410
    assert _counts(app) == before  # no new respondent, no new revision

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        admin = db.session.get(User, make_user(app, "admin@example.org", "admin"))
        audit_service.reopen(audit, admin, "more answers")
        db.session.commit()
    assert visitor.get(path, follow_redirects=True).status_code == 200
    saved = visitor.post(
        f"{path}/answers/q01_identify_users",
        json={"value": "1", "base_revision": 1},
        headers={"X-CSRFToken": token},
    )
    assert saved.status_code == 200
    assert new_browser(app).get(link).status_code == 200
