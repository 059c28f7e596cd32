"""Errors in sight on every form (issue 15, item 3): a refused post shows, at the top of
the page, a summary that takes the focus and links to each field in error (the link's
target exists on the page, e-mail errors at the e-mail field itself), and the URL the
post leaves in the address bar answers GET (reload, bookmark)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, User
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user


@dataclass(frozen=True)
class Case:
    role: str  # "anonymous", "admin" or "consultant"
    url: str  # with {org}, {audit}, {user} taken from the world
    data: dict[str, str]
    field_id: str  # the id the summary links to
    prefix: str = ""  # the form's prefix (its CSRF field is named after it)


CASES = [
    Case("anonymous", "/login", {"email": "not-an-address", "password": "x"}, "email"),
    Case("anonymous", "/password/forgot", {"email": "not-an-address"}, "email"),
    Case(
        "admin",
        "/admin/users/new",
        {"name": "Ewa", "email": "ewa@", "password": "x" * 12, "role": "viewer"},
        "email",
    ),
    Case("admin", "/admin/users/{user}", {"name": "", "role": "viewer", "language": "pl"}, "name"),
    Case("consultant", "/organisations/new", {"name": "  ", "type": "library"}, "name"),
    Case("consultant", "/organisations/{org}/edit", {"name": "", "type": "library"}, "name"),
    Case("consultant", "/organisations/{org}/audits/new", {}, "questionnaire-0"),
    Case(
        "consultant",
        "/audits/{audit}/respondents/invite",
        {"invite-role": "leadership", "invite-email": "anna@", "invite-days": "14"},
        "invite-email",
        prefix="invite-",
    ),
    Case(
        "consultant",
        "/register/people/new",
        {
            "last_name": "Nowak",
            "emails-0-value": "anna.nowak@",
            "owner_id": "",
            "preferred_channel": "",
            "language": "",
        },
        "emails-0-value",
    ),
    Case("consultant", "/register/followups/new", {"title": "", "priority": "normal"}, "title"),
    Case("consultant", "/account/tokens", {"name": ""}, "name"),
    Case("consultant", "/audits/{audit}/submit", {}, "confirm"),
]


@pytest.fixture
def world(app, client):
    admin = make_user(app, "admin@example.org", "admin")
    consultant = make_user(app, "con@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(name="Biblioteka Formularzy", type="library")
        db.session.add(organisation)
        db.session.flush()
        db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=consultant))
        library = catalogue().get("library-crm-audit")
        user = db.session.get(User, consultant)
        audit = audit_service.start_audit(organisation, library, user)
        for question in library.questions:  # all answered: the submit form is shown
            audit_service.save_answer(audit, question.id, value="3", user=user)
        db.session.commit()
        return {"org": organisation.id, "audit": audit.id, "user": consultant, "admin": admin}


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary" id="error-summary"[^>]*>.*?</div>', page, re.S)
    assert found is not None, "no error summary"
    return found.group(0)


@pytest.mark.parametrize("case", CASES, ids=[c.url.split("{")[0] + c.field_id for c in CASES])
def test_a_refused_form_is_summed_up_at_the_top_linked_to_its_fields(app, world, case, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")  # the reset form needs mail
    browser = app.test_client()
    if case.role != "anonymous":
        login(browser, f"{'admin' if case.role == 'admin' else 'con'}@example.org")
    url = case.url.format(**world)
    shown = browser.get(url, follow_redirects=True)
    assert shown.status_code == 200  # the URL answers GET, before and after the post
    assert 'id="error-summary"' not in shown.text
    data = {**case.data, f"{case.prefix}csrf_token": csrf_token(shown.text)}

    page = browser.post(url, data=data).text
    summary = _summary(page)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert f'href="#{case.field_id}"' in summary
    for anchor in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{anchor}"' in page  # every link has its target
    assert f'id="{case.field_id}"' in page  # the link's target is on the page
    main = page.index('<main id="content">')
    assert main < page.index('id="error-summary"') < page.index(f'id="{case.field_id}"')
    # The message is also at the field itself.
    field_tag = re.search(rf'<[^>]*id="{re.escape(case.field_id)}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field_tag or case.field_id.endswith("-0")
    assert browser.get(url, follow_redirects=True).status_code == 200


def test_the_summary_speaks_polish(app, world):
    browser = app.test_client()
    with app.app_context():
        db.session.get(User, world["user"]).language = "pl"
        db.session.commit()
    login(browser, "con@example.org")
    token = csrf_token(browser.get("/organisations/new").text)
    page = browser.post("/organisations/new", data={"name": "", "csrf_token": token}).text
    assert "Popraw zaznaczone pola" in _summary(page)


def test_a_get_of_a_post_only_url_goes_to_the_page_of_its_form(app, world):
    browser = app.test_client()
    login(browser, "admin@example.org")
    audit = world["audit"]
    for posted, page in (
        (f"/audits/{audit}/respondents/invite", f"/audits/{audit}/respondents"),
        (f"/audits/{audit}/reopen", f"/audits/{audit}/submit"),
        (f"/audits/{audit}/evidence-files", f"/audits/{audit}"),
    ):
        response = browser.get(posted)
        assert response.status_code == 302 and response.location == page, posted
    assert browser.post("/").status_code == 405  # other refusals stay as they were
