"""Several respondents per audit, through HTTP: invitations by link, anonymous answers
on the shared link, combining, disputed items, perception gap, the anonymity
threshold, link security, and the consultant's management page."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    Audit,
    Organisation,
    OrganisationAccess,
    Respondent,
    RespondentAnswer,
    TrailEvent,
    User,
)
from audit_app.reporting.pdf import renderer
from audit_app.services import audits as audit_service
from audit_app.services import respondents as service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

LIBRARY = "library-crm-audit"
AGREED = "q15_staff_training_teamwork"  # everybody answers "2": never disputed
ROLE_VALUE = {"leadership": "4", "department_heads": "2", "frontline_staff": "1", "it": "3"}


@pytest.fixture
def consultant(app, client):
    user_id = make_user(app, "con@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(
            name="Miejska Biblioteka", type="library", created_by_id=user_id
        )
        db.session.add(organisation)
        db.session.flush()
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get(LIBRARY), user)
        db.session.commit()
        ids = {"user_id": user_id, "organisation_id": organisation.id, "audit_id": audit.id}
    login(client, "con@example.org")
    return ids


def new_browser(app, language: str = "en"):
    """A separate browser without an account, asking for `language`."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return browser


def page_csrf(client, url: str) -> str:
    return csrf_token(client.get(url).text)


def invite(client, audit_id: int, role: str, name: str = "", **extra) -> str:
    """Invite through the page; returns the respondent's path /respond/<token>."""
    token = page_csrf(client, f"/audits/{audit_id}/respondents")
    data = {
        "csrf_token": token,
        "invite-role": role,
        "invite-name": name,
        "invite-days": "30",
        **{f"invite-{k}": v for k, v in extra.items()},
    }
    response = client.post(f"/audits/{audit_id}/respondents/invite", data=data)
    assert response.status_code == 302, response.text
    remind = client.get(response.location)
    assert remind.status_code == 200
    url = re.search(r'id="respondent-url" readonly value="([^"]+)"', remind.text).group(1)
    assert "mailto:" in remind.text
    return url.replace("http://localhost", "")


def shared_link(client, audit_id: int, role: str) -> str:
    token = page_csrf(client, f"/audits/{audit_id}/respondents")
    response = client.post(
        f"/audits/{audit_id}/respondents/links",
        data={"csrf_token": token, "link-role": role, "link-days": "30"},
    )
    assert response.status_code == 302
    page = client.get(f"/audits/{audit_id}/respondents")
    urls = re.findall(r'id="shared-url-\d+" readonly value="([^"]+)"', page.text)
    return urls[-1].replace("http://localhost", "")


def start_from_shared(app, path: str, language: str = "en"):
    """A new browser opens the shared link and starts; returns (client, own path)."""
    browser = new_browser(app)
    headers = {"Accept-Language": language}
    landing = browser.get(path, headers=headers)
    assert landing.status_code == 200
    assert "Start the questionnaire" in landing.text or 'lang="pl"' in landing.text
    started = browser.post(
        f"{path}/start", data={"csrf_token": csrf_token(landing.text)}, headers=headers
    )
    assert started.status_code == 302
    own = started.location
    assert own.startswith("/respond/") and own != path
    return browser, own


def answer(app, path: str, values: dict[str, str], browser=None, language: str = "en"):
    browser = browser or new_browser(app)
    # Coming back with answers given, the link carries on at the first unanswered one.
    page = browser.get(path, headers={"Accept-Language": language}, follow_redirects=True)
    assert page.status_code == 200
    token = csrf_token(page.text)
    for question_id, value in values.items():
        response = browser.post(
            f"{path}/answers/{question_id}", json={"value": value}, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 200, response.text
        assert response.json["ok"] is True
    return browser


def values_for(app, role: str, *, dont_know: str | None = None) -> dict[str, str]:
    with app.app_context():
        questions = catalogue().get(LIBRARY).questions
    values = {q.id: ROLE_VALUE[role] for q in questions}
    values[AGREED] = "2"
    if dont_know:
        values[dont_know] = "dont_know"
    return values


def context(app, audit_id: int, lang: str = "en") -> dict:
    """perception_context outside any request, as report rendering calls it."""
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        found = service.perception_context(audit, lang)
        db.session.remove()
        return found


def role_entry(perception: dict, role: str) -> dict:
    return next(r for r in perception["roles"] if r["id"] == role)


# --------------------------------------------------------------------------- end to end


def test_twelve_respondents_in_four_roles_end_to_end(app, client, consultant):
    audit_id = consultant["audit_id"]
    assert context(app, audit_id) is None  # nobody invited: nothing to show

    # Leadership, department heads and IT by personal link; front-line staff by a
    # shared anonymous link (four people, one of them in Polish).
    paths = {
        "leadership": [invite(client, audit_id, "leadership", f"Director {i}") for i in range(3)],
        "department_heads": [invite(client, audit_id, "department_heads") for _ in range(3)],
        "it": [invite(client, audit_id, "it", "Admin A"), invite(client, audit_id, "it")],
    }
    staff_link = shared_link(client, audit_id, "frontline_staff")
    staff = [start_from_shared(app, staff_link, "pl" if i == 0 else "en") for i in range(4)]

    for role in ("leadership", "department_heads", "it"):
        for i, path in enumerate(paths[role]):
            values = values_for(app, role)
            if role == "leadership" and i == 2:
                values = {q: ("3" if q != AGREED else "2") for q in values}
            answer(app, path, values)
    for i, (browser, path) in enumerate(staff):
        dont_know = "q01_identify_users" if i == 0 else None
        answer(
            app,
            path,
            values_for(app, "frontline_staff", dont_know=dont_know),
            browser,
            "pl" if i == 0 else "en",
        )

    with app.app_context():
        respondents = db.session.scalars(select(Respondent)).all()
        assert len(respondents) == 12
        assert sum(r.anonymous for r in respondents) == 4
        assert all(r.name == "" for r in respondents if r.anonymous)
        assert db.session.query(RespondentAnswer).count() == 12 * 15

    perception = context(app, audit_id)
    json.dumps(perception)  # plain values only
    assert perception["counts"] == {"invited": 12, "answered": 12, "finished": 0, "excluded": 0}
    # Combined: per question the median of the 12 (11 on q01) percents, e.g.
    # 25 25 25 25 50 50 50 75 75 75 100 100 -> 50; q15 everybody 50.
    assert perception["combined"]["shown"] is True
    assert perception["combined"]["overall"] == pytest.approx(50.0)
    assert all(d["combined"] == pytest.approx(50.0) for d in perception["dimensions"])

    leadership = role_entry(perception, "leadership")
    staff_role = role_entry(perception, "frontline_staff")
    heads = role_entry(perception, "department_heads")
    it = role_entry(perception, "it")
    assert (leadership["shown"], heads["shown"], staff_role["shown"]) == (True, True, True)
    # Leadership medians 100 (4, 4, 3 -> 4) except the agreed question (50).
    culture = next(d for d in perception["dimensions"] if d["id"] == "culture_people")
    first = perception["dimensions"][0]
    assert _score(first, "leadership") == pytest.approx(100.0)
    assert _score(culture, "leadership") == pytest.approx(75.0)
    assert _score(first, "frontline_staff") == pytest.approx(25.0)
    assert _score(culture, "frontline_staff") == pytest.approx(37.5)
    # Perception gap: leadership minus front-line staff, per dimension.
    assert perception["gap"]["available"] is True
    assert first["gap"] == pytest.approx(75.0) and first["gap_display"] == "+75"
    assert culture["gap"] == pytest.approx(37.5)

    # Anonymity: IT has only two respondents, so it is hidden everywhere.
    assert it["answered"] == 2 and it["shown"] is False and it["status"] == "too_few"
    assert it["overall"] is None and it["overall_display"] == ""
    assert all(_score(d, "it") is None for d in perception["dimensions"])
    assert all(r["role"] != "it" for item in perception["disputed"] for r in item["roles"])
    assert {"label": "IT and library system administrator", "answered": 2} in perception["too_few"]
    assert "IT and library system administrator" not in _chart_series(perception["chart_svg"])

    # Disputed: every question but the agreed one (spread 75 >= 50), widest first.
    disputed = [item["id"] for item in perception["disputed"]]
    assert len(disputed) == 14 and AGREED not in disputed
    q01 = next(item for item in perception["disputed"] if item["id"] == "q01_identify_users")
    assert q01["spread"] == pytest.approx(75.0) and q01["answered"] == 11 and q01["dont_know"] == 1
    assert {r["role"]: r["display"] for r in q01["roles"]} == {
        "leadership": "100%",
        "department_heads": "50%",
        "frontline_staff": "25%",
    }
    assert perception["not_consulted"] == []

    # The management page shows the same, in the page's language.
    page = client.get(f"/audits/{audit_id}/respondents")
    assert page.status_code == 200
    assert "Disputed items: a workshop agenda" in page.text
    assert 'data-role="it"' in page.text and "not enough answers yet" in page.text
    assert page.text.count("perception-disputed") == 1
    assert "Anonymous respondent 4" in page.text and "Director 2" in page.text

    # A third IT respondent: the group of three is shown.
    answer(app, invite(client, audit_id, "it"), values_for(app, "it"))
    perception = context(app, audit_id)
    it = role_entry(perception, "it")
    assert it["shown"] is True and it["answered"] == 3
    assert it["overall"] == pytest.approx((75 * 5 + 62.5) / 6)
    assert "IT and library system administrator" in _chart_series(perception["chart_svg"])

    # Polish: texts, role labels and numbers in Polish.
    polish = context(app, audit_id, "pl")
    assert role_entry(polish, "leadership")["label"] == "Dyrekcja biblioteki"
    culture_pl = next(d for d in polish["dimensions"] if d["id"] == "culture_people")
    assert _display(culture_pl, "frontline_staff") == "37,5%"
    assert culture_pl["gap_display"] == "+37,5"
    client.post(
        "/language",
        data={"csrf_token": page_csrf(client, "/"), "language": "pl", "next": "/"},
    )
    page_pl = client.get(f"/audits/{audit_id}/respondents")
    assert '<html lang="pl">' in page_pl.text
    assert "Dyrekcja biblioteki" in page_pl.text and "37,5%" in page_pl.text


def _score(dimension: dict, role: str) -> float | None:
    return next(v["percent"] for v in dimension["scores"] if v["role"] == role)


def _display(dimension: dict, role: str) -> str:
    return next(v["display"] for v in dimension["scores"] if v["role"] == role)


def _chart_series(svg: str) -> set[str]:
    return set(re.findall(r'data-name="([^"]+)"', svg))


def test_a_group_below_the_minimum_is_never_shown(app, client, consultant):
    """The anonymity threshold, on its own: 2 hidden, 3 shown; the combined result and
    the disputed items need the minimum too; the consultant never counts towards it."""
    audit_id = consultant["audit_id"]
    first, second = (invite(client, audit_id, "frontline_staff") for _ in range(2))
    answer(app, first, values_for(app, "frontline_staff"))
    answer(app, second, {q: "4" for q in values_for(app, "frontline_staff")})
    # The consultant answers too, and joins the front-line staff group.
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        for question_id in values_for(app, "frontline_staff"):
            audit_service.save_answer(audit, question_id, value="0")
        db.session.commit()
    token = page_csrf(client, f"/audits/{audit_id}/respondents")
    response = client.post(
        f"/audits/{audit_id}/respondents/consultant-role",
        data={"csrf_token": token, "own-role": "frontline_staff"},
    )
    assert response.status_code == 302

    hidden = context(app, audit_id)
    staff = role_entry(hidden, "frontline_staff")
    assert staff["answered"] == 2 and staff["with_consultant"] is True
    assert staff["shown"] is False and staff["overall"] is None
    assert hidden["combined"]["shown"] is False and hidden["combined"]["overall"] is None
    assert hidden["disputed"] == []
    assert all(d["combined"] is None for d in hidden["dimensions"])
    assert all(v["percent"] is None for d in hidden["dimensions"] for v in d["scores"])
    assert _chart_series(hidden["chart_svg"]) == set()
    page = client.get(f"/audits/{audit_id}/respondents")
    assert "Combined results appear once at least 3 invited people have answered." in page.text
    # The second person's answers (all 100 %) never leak, neither in tables nor chart.
    assert '<td class="num">100%</td>' not in page.text
    assert 'data-value="100"' not in page.text

    answer(app, invite(client, audit_id, "frontline_staff"), values_for(app, "frontline_staff"))
    shown = context(app, audit_id)
    staff = role_entry(shown, "frontline_staff")
    assert staff["answered"] == 3 and staff["shown"] is True
    # Four responses combined (consultant 0, two at 25, one at 100): median 25.
    assert staff["overall"] == pytest.approx((25 * 5 + 37.5) / 6)
    assert shown["combined"]["shown"] is True


def test_min_group_size_is_configurable(app, client, consultant):
    audit_id = consultant["audit_id"]
    answer(app, invite(client, audit_id, "leadership"), values_for(app, "leadership"))
    app.config["MIN_GROUP_SIZE"] = 1
    try:
        assert role_entry(context(app, audit_id), "leadership")["shown"] is True
    finally:
        app.config.pop("MIN_GROUP_SIZE")
    assert role_entry(context(app, audit_id), "leadership")["shown"] is False


def test_consultant_as_a_group_of_its_own_is_shown_and_roles_not_consulted(app, client, consultant):
    audit_id = consultant["audit_id"]
    invite(client, audit_id, "leadership")  # invited, never answers
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit_service.save_answer(audit, "q01_identify_users", value="3")
        db.session.commit()
    perception = context(app, audit_id)
    own = role_entry(perception, "consultant")
    assert own["shown"] is True and own["overall"] == pytest.approx(75.0)
    assert perception["consultant"]["included"] is True
    # Leadership was invited (no answer yet): not enough answers, not "not consulted".
    assert role_entry(perception, "leadership")["status"] == "too_few"
    assert perception["not_consulted"] == [
        "Heads of departments and branches",
        "Front-line staff",
        "IT and library system administrator",
    ]
    assert perception["gap"]["available"] is False


# --------------------------------------------------------------------------- respondent pages


def test_respondent_page_reuses_the_answer_form_without_navigation(app, client, consultant):
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "leadership", "Ada")
    visitor = new_browser(app)
    page = visitor.get(path)
    assert page.status_code == 200
    assert 'id="answer-form"' in page.text and "audit.js" in page.text
    assert f'data-save-url="{path}/answers/__QID__"' in page.text
    assert 'name="a-q01_identify_users"' in page.text
    assert "/organisations" not in page.text and "Log out" not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    polish = visitor.get(path, headers={"Accept-Language": "pl"})
    assert '<html lang="pl">' in polish.text
    assert "Dyrekcja biblioteki" in polish.text


def test_no_javascript_section_posts_and_finish(app, client, consultant):
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "department_heads")
    visitor = new_browser(app)
    page = visitor.get(path)
    with app.app_context():
        questionnaire = catalogue().get(LIBRARY)
    first, last = questionnaire.sections[0], questionnaire.sections[-1]
    data = {"csrf_token": csrf_token(page.text)}
    for question in first.questions:
        data[f"a-{question.id}"] = "2"
        data[f"rev-{question.id}"] = "0"
    saved = visitor.post(f"{path}?section={first.id}", data=data)
    assert saved.status_code == 302
    assert f"section={questionnaire.sections[1].id}" in saved.location
    bad = visitor.post(
        f"{path}?section={last.id}",
        data={
            "csrf_token": data["csrf_token"],
            f"a-{last.questions[0].id}": "7",
            f"rev-{last.questions[0].id}": "0",
        },
    )
    assert bad.status_code == 400 and "Choose one of the offered answers." in bad.text
    data = {"csrf_token": data["csrf_token"]}
    for question in last.questions:
        data[f"a-{question.id}"] = "dont_know"
        data[f"rev-{question.id}"] = "0"
    done = visitor.post(f"{path}?section={last.id}", data=data)
    assert done.status_code == 302 and done.location.endswith("/done")
    thanks = visitor.get(done.location)
    assert "Thank you" in thanks.text
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).one()
        assert respondent.finished_at is not None
        answers = {a.question_id: a.value for a in respondent.answers}
    assert answers[first.questions[0].id] == "2"
    assert answers[last.questions[0].id] == "dont_know"


def test_a_token_reaches_exactly_one_respondent(app, client, consultant):
    audit_id = consultant["audit_id"]
    ada, bob = invite(client, audit_id, "leadership"), invite(client, audit_id, "leadership")
    answer(app, ada, {"q01_identify_users": "4"})
    answer(app, bob, {"q01_identify_users": "1"})
    with app.app_context():
        stored = {
            r.id: {a.question_id: a.value for a in r.answers}
            for r in db.session.scalars(select(Respondent))
        }
    assert sorted(v["q01_identify_users"] for v in stored.values()) == ["1", "4"]
    # A shared link has no answers of its own: it cannot save.
    link = shared_link(client, audit_id, "frontline_staff")
    visitor = new_browser(app)
    token = csrf_token(visitor.get(link).text)
    refused = visitor.post(
        f"{link}/answers/q01_identify_users", json={"value": "4"}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 404
    # Unknown questions and invalid values are refused.
    browser = new_browser(app)
    token = csrf_token(browser.get(ada, follow_redirects=True).text)
    assert (
        browser.post(
            f"{ada}/answers/nope", json={"value": "4"}, headers={"X-CSRFToken": token}
        ).status_code
        == 404
    )
    invalid = browser.post(
        f"{ada}/answers/q02_interaction_data", json={"value": "9"}, headers={"X-CSRFToken": token}
    )
    assert invalid.status_code == 400 and invalid.json["code"] == "unknown_option"
    # Without the CSRF token nothing is saved.
    assert (
        new_browser(app).post(f"{ada}/answers/q01_identify_users", json={"value": "0"}).status_code
        == 400
    )


def test_shared_link_resumes_in_the_same_browser(app, client, consultant):
    audit_id = consultant["audit_id"]
    link = shared_link(client, audit_id, "frontline_staff")
    browser, own = start_from_shared(app, link)
    again = browser.get(link)
    assert again.status_code == 302 and again.location == own
    other, other_own = start_from_shared(app, link)
    assert other_own != own
    with app.app_context():
        assert db.session.query(Respondent).count() == 2


def test_tampered_expired_revoked_and_closed_links(app, client, consultant):
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "leadership", "Ada")
    visitor = new_browser(app)

    tampered = visitor.get(path[:-3] + "abc", headers={"Accept-Language": "pl"})
    assert tampered.status_code == 404
    assert (
        '<html lang="pl">' in tampered.text and 'class="card narrow respond-gone"' in tampered.text
    )
    assert visitor.get("/respond/not-a-token").status_code == 404

    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).one()
        respondent.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    expired = visitor.get(path)
    assert expired.status_code == 410 and "The link has expired." in expired.text
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).one()
        respondent.expires_at = datetime.now(UTC) + timedelta(days=3)
        db.session.commit()
    token = csrf_token(visitor.get(path).text)

    # Closing collection: the page says so (410) and autosave is locked (409).
    close = client.post(
        f"/audits/{audit_id}/respondents/close",
        data={"csrf_token": page_csrf(client, f"/audits/{audit_id}/respondents")},
    )
    assert close.status_code == 302
    closed = visitor.get(path)
    assert closed.status_code == 410 and "The questionnaire is closed" in closed.text
    locked = visitor.post(
        f"{path}/answers/q01_identify_users", json={"value": "4"}, headers={"X-CSRFToken": token}
    )
    assert locked.status_code == 409 and locked.json["locked"] is True
    client.post(
        f"/audits/{audit_id}/respondents/reopen",
        data={"csrf_token": page_csrf(client, f"/audits/{audit_id}/respondents")},
    )
    assert visitor.get(path).status_code == 200

    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent)).one().id
    revoke = client.post(
        f"/audits/{audit_id}/respondents/{respondent_id}/revoke",
        data={"csrf_token": page_csrf(client, f"/audits/{audit_id}/respondents")},
    )
    assert revoke.status_code == 302
    revoked = visitor.get(path)
    assert revoked.status_code == 410 and "withdrawn" in revoked.text
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(TrailEvent))]
    assert {
        "invite_respondent",
        "close_collection",
        "reopen_collection",
        "revoke_respondent",
    } <= set(actions)


def test_tokens_expire_by_their_signature_too(app, consultant):
    with app.test_request_context():
        audit = db.session.get(Audit, consultant["audit_id"])
        user = db.session.get(User, consultant["user_id"])
        respondent = service.invite(audit, role="it", user=user, days=7)
        db.session.commit()
        token = service.token_for(respondent)
        assert token == service.token_for(respondent)  # the same link every time
        assert service.resolve(token) == respondent
        later = datetime.now(UTC) + timedelta(days=8)
        with pytest.raises(service.LinkGone):
            service.resolve(token, clock=lambda: later)
        with pytest.raises(service.LinkGone):
            service.resolve(token, clock=lambda: datetime.now(UTC) + timedelta(days=200))
        with pytest.raises(service.LinkNotFound):
            service.resolve(token.replace(".", "x", 1))
        db.session.remove()


# --------------------------------------------------------------------------- management


def test_exclude_a_response_with_a_reason(app, client, consultant):
    audit_id = consultant["audit_id"]
    paths = [invite(client, audit_id, "frontline_staff") for _ in range(3)]
    for path in paths:
        answer(app, path, values_for(app, "frontline_staff"))
    assert role_entry(context(app, audit_id), "frontline_staff")["shown"] is True
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).first()
    url = f"/audits/{audit_id}/respondents/{respondent_id}/exclude"
    form = client.get(url)
    assert form.status_code == 200
    refused = client.post(url, data={"csrf_token": csrf_token(form.text), "exclude-reason": " "})
    assert refused.status_code == 400 and "Give a reason" in refused.text
    done = client.post(
        url, data={"csrf_token": csrf_token(form.text), "exclude-reason": "Answered twice"}
    )
    assert done.status_code == 302
    perception = context(app, audit_id)
    assert perception["counts"]["excluded"] == 1
    assert role_entry(perception, "frontline_staff")["shown"] is False
    with app.app_context():
        event = db.session.scalars(select(TrailEvent).filter_by(action="exclude_response")).one()
        assert event.object_id == respondent_id and event.details["reason"] == "Answered twice"
        assert event.user_id == consultant["user_id"]
    page = client.get(f"/audits/{audit_id}/respondents")
    assert "Answered twice" in page.text
    back = client.post(
        f"/audits/{audit_id}/respondents/{respondent_id}/include",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert back.status_code == 302
    assert role_entry(context(app, audit_id), "frontline_staff")["shown"] is True


def test_invite_form_errors_keep_the_input(app, client, consultant):
    audit_id = consultant["audit_id"]
    token = page_csrf(client, f"/audits/{audit_id}/respondents")
    response = client.post(
        f"/audits/{audit_id}/respondents/invite",
        data={
            "csrf_token": token,
            "invite-role": "leadership",
            "invite-name": "Ada Lovelace",
            "invite-email": "not-an-email",
            "invite-days": "30",
        },
    )
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in response.text
    assert 'value="Ada Lovelace"' in response.text
    unknown = client.post(
        f"/audits/{audit_id}/respondents/invite",
        data={"csrf_token": token, "invite-role": "janitor", "invite-days": "30"},
    )
    assert unknown.status_code == 400


def test_viewers_see_status_but_no_links_and_cannot_change(app, client, consultant):
    audit_id = consultant["audit_id"]
    invite(client, audit_id, "leadership", "Ada", email="ada@example.org")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "other@example.org", "consultant")
    with app.app_context():
        db.session.add(
            OrganisationAccess(organisation_id=consultant["organisation_id"], user_id=viewer_id)
        )
        db.session.commit()
        respondent_id = db.session.scalars(select(Respondent.id)).one()
    viewer = new_browser(app)
    login(viewer, "viewer@example.org")
    page = viewer.get(f"/audits/{audit_id}/respondents")
    assert page.status_code == 200 and "Ada" in page.text
    assert "/respond/" not in page.text and "mailto:" not in page.text
    token = csrf_token(page.text)
    for url, data in (
        (f"/audits/{audit_id}/respondents/invite", {"invite-role": "it", "invite-days": "30"}),
        (f"/audits/{audit_id}/respondents/links", {"link-role": "it", "link-days": "30"}),
        (f"/audits/{audit_id}/respondents/close", {}),
        (f"/audits/{audit_id}/respondents/{respondent_id}/exclude", {"exclude-reason": "x"}),
        (f"/audits/{audit_id}/respondents/{respondent_id}/revoke", {}),
    ):
        assert viewer.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert viewer.get(f"/audits/{audit_id}/respondents/{respondent_id}/remind").status_code == 403

    other = new_browser(app)
    login(other, "other@example.org")
    assert other.get(f"/audits/{audit_id}/respondents").status_code == 404
    anonymous = new_browser(app)
    assert anonymous.get(f"/audits/{audit_id}/respondents").status_code == 302


def test_mailto_reminder_carries_the_link(app, client, consultant):
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "leadership", "Ada", email="ada@example.org")
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).one()
    page = client.get(f"/audits/{audit_id}/respondents/{respondent_id}/remind")
    mailto = re.search(r'href="(mailto:[^"]+)"', page.text).group(1)
    assert mailto.startswith("mailto:ada@example.org?subject=")
    assert path.split("/")[-1] in mailto


def test_pdf_partial_renders_from_the_plain_context(app, client, consultant):
    audit_id = consultant["audit_id"]
    for role in ("leadership", "frontline_staff"):
        for _ in range(3):
            answer(app, invite(client, audit_id, role), values_for(app, role))
    env = renderer(app.config["REPORTS_DIR"]).env
    template = env.get_template("_partials/perception.html")
    assert template.render(perception=None).strip() == ""
    assert template.render().strip() == ""  # not wired: renders nothing
    for lang in ("en", "pl"):
        perception = json.loads(json.dumps(context(app, audit_id, lang)))
        html = template.render(perception=perception)
        assert '<section class="chapter perception"' in html
        assert "<svg" in html and perception["labels"]["disputed_heading"] in html
        assert "+75" in html
    assert "Dyrekcja biblioteki" in html
    assert "Front-line staff" not in html


# ------------------------------------------------------------ statuses (issue 15, item 9)


def _row(page: str, respondent_id: int) -> str:
    return re.search(rf'<tr id="respondent-{respondent_id}".*?</tr>', page, re.S).group(0)


def test_an_anonymous_respondent_who_pressed_start_has_started_in_the_list_and_the_link(
    app, client, consultant
):
    audit_id = consultant["audit_id"]
    path = shared_link(client, audit_id, "frontline_staff")
    start_from_shared(app, path)
    start_from_shared(app, path)
    page = client.get(f"/audits/{audit_id}/respondents").text
    assert "2 people started" in page
    with app.app_context():
        ids = [r.id for r in db.session.scalars(select(Respondent).filter_by(anonymous=True))]
    assert len(ids) == 2
    for respondent_id in ids:
        row = _row(page, respondent_id)
        assert ">started<" in row and "not started" not in row
    # An invited person who has not answered has not started.
    invite(client, audit_id, "leadership", name="Anna Nowak")
    page = client.get(f"/audits/{audit_id}/respondents").text
    with app.app_context():
        anna = db.session.scalars(select(Respondent).filter_by(name="Anna Nowak")).one().id
    assert "not started" in _row(page, anna)


def test_an_invited_role_without_answers_is_waiting_not_unasked(app, client, consultant):
    audit_id = consultant["audit_id"]
    invite(client, audit_id, "leadership", name="Anna Nowak")  # invited, no answer yet
    answer(app, invite(client, audit_id, "frontline_staff"), values_for(app, "frontline_staff"))
    roles = {r["id"]: r for r in context(app, audit_id)["roles"]}
    assert roles["leadership"]["status"] == "too_few"
    assert roles["leadership"]["status_label"] == "not enough answers yet"
    assert roles["leadership"]["invited"] == 1
    assert roles["it"]["status"] == "not_consulted"  # nobody asked in this role
    page = client.get(f"/audits/{audit_id}/respondents").text
    leadership = re.search(
        r'<tr class="perception-role[^"]*" data-role="leadership">.*?</tr>', page, re.S
    )
    assert "not consulted" not in leadership.group(0)


def test_a_personal_link_and_a_returning_consultant_resume_at_the_first_unanswered(
    app, client, consultant
):
    audit_id = consultant["audit_id"]
    with app.app_context():
        library = catalogue().get(LIBRARY)
        first, second = library.sections[0], library.sections[1]
    path = invite(client, audit_id, "frontline_staff")
    browser = new_browser(app)
    assert browser.get(path).status_code == 200  # nothing answered: the first section
    done = {q.id: "2" for q in first.questions if q.scored}
    answer(app, path, done, browser=browser)
    again = browser.get(path)
    assert again.status_code == 302
    assert again.location.endswith(f"?section={second.id}#q-{second.questions[0].id}")
    assert browser.get(again.location).status_code == 200
    # Asking for a section still shows that section.
    assert browser.get(f"{path}?section={first.id}").status_code == 200

    with app.app_context():
        user = db.session.get(User, consultant["user_id"])
        audit = db.session.get(Audit, audit_id)
        audit_service.save_answer(audit, first.questions[0].id, value="3", user=user)
        db.session.commit()
    back = client.get(f"/audits/{audit_id}")
    assert back.status_code == 302
    assert back.location.endswith(f"?section={first.id}#q-{first.questions[1].id}")
    assert f'id="q-{first.questions[1].id}"' in client.get(back.location).text
