"""An invited respondent answers on a phone: open the link, answer two questions
(autosaved by audit.js on the respondent's save URL), reload, see them saved."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, Organisation, RespondentAnswer, User
from audit_app.services import audits as audit_service
from audit_app.services import respondents as service
from audit_app.services.questionnaires import catalogue
from tests.e2e.conftest import assert_accessible, create_consultant, log_in

PHONE = {"width": 390, "height": 844}


def invited_respondent(server, extra: int = 0) -> str:
    """A library audit with one invited front-line staff member; their link's path."""
    with server.app.test_request_context():
        user = create_consultant()
        organisation = Organisation(name="Biblioteka Publiczna", type="library")
        organisation.created_by_id = user.id
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(
            organisation, catalogue().get("library-crm-audit"), db.session.get(User, user.id)
        )
        respondent = service.invite(audit, role="frontline_staff", user=user, name="Ewa")
        for i in range(extra):  # more staff who answered everything "1", a leader "4"
            role = "leadership" if i % 2 else "frontline_staff"
            other = service.invite(audit, role=role, user=user)
            for question in catalogue().get("library-crm-audit").questions:
                service.save_answer(other, question.id, value="4" if i % 2 else "1")
        db.session.commit()
        path = f"/respond/{service.token_for(respondent)}"
        db.session.remove()
        return path


def stored_answers(server) -> dict[str, object]:
    with server.app.app_context():
        rows = db.session.scalars(select(RespondentAnswer)).all()
        found = {row.question_id: row.value for row in rows}
        db.session.remove()
        return found


def test_respondent_answers_on_a_phone_and_finds_the_answers_after_reload(page: Page, server):
    path = invited_respondent(server)
    page.set_viewport_size(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Library CRM audit")
    expect(page.get_by_text("You answer as: Front-line staff")).to_be_visible()
    # No navigation of the app for respondents, and nothing wider than the phone.
    expect(page.get_by_role("link", name="Organisations")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    first = page.locator("#q-q01_identify_users")
    second = page.locator("#q-q02_interaction_data")
    first.get_by_label("3 – systematic").check()
    expect(page.locator("#status-q01_identify_users")).to_have_attribute("data-status", "saved")
    second.get_by_label("Don't know").check()
    expect(page.locator("#status-q02_interaction_data")).to_have_attribute("data-status", "saved")
    expect(page.locator("#save-status")).to_have_text(re.compile("All answers saved"))
    expect(page.locator("#progress-text")).to_have_text(re.compile("^2 of 15 answered"))

    expected = {"q01_identify_users": "3", "q02_interaction_data": "dont_know"}
    assert stored_answers(server) == expected

    page.reload()
    expect(page.locator("#q-q01_identify_users").get_by_label("3 – systematic")).to_be_checked()
    expect(page.locator("#q-q02_interaction_data").get_by_label("Don't know")).to_be_checked()
    expect(page.locator("#progress-text")).to_have_text(re.compile("^2 of 15 answered"))
    # Saved on the server, not only kept on this device.
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_consultant_sees_the_perception_gap_accessibly(page: Page, server):
    invited_respondent(server, extra=6)
    log_in(page)
    with server.app.app_context():
        audit_id = db.session.scalar(select(Audit.id))
        db.session.remove()
    page.goto(f"/audits/{audit_id}/respondents")
    expect(page.get_by_role("heading", name="Respondents", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Perception gap")).to_be_visible()
    expect(page.locator("#perception-chart")).to_be_visible()
    expect(page.locator("ul.perception-disputed > li")).to_have_count(15)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
