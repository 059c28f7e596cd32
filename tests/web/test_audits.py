"""Starting and answering an audit: autosave (JSON), the no-JavaScript section form,
conditional questions, review and submit, reopen, access rules."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import inspect, select

from audit_app.extensions import db
from audit_app.models import (
    Answer,
    Audit,
    Organisation,
    OrganisationAccess,
    RespondentAnswer,
    TrailEvent,
)
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

READINESS = "crm-readiness"


@pytest.fixture
def consultant(app, client):
    """A logged-in consultant with one library organisation of their own."""
    user_id = make_user(app, "con@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(
            name="Biblioteka Miejska", type="library", created_by_id=user_id
        )
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    login(client, "con@example.org")
    return {"user_id": user_id, "organisation_id": organisation_id}


def start(app, consultant, questionnaire_id=READINESS) -> int:
    """An audit started through the service (the start page has its own test)."""
    with app.app_context():
        organisation = db.session.get(Organisation, consultant["organisation_id"])
        from audit_app.models import User

        user = db.session.get(User, consultant["user_id"])
        audit = audit_service.start_audit(organisation, catalogue().get(questionnaire_id), user)
        db.session.commit()
        return audit.id


def client_for(app, email):
    """A separate browser session logged in as `email`."""
    other = app.test_client()
    login(other, email)
    return other


def page_token(client, audit_id) -> str:
    return csrf_token(client.get(f"/audits/{audit_id}").text)


def save(client, audit_id, question_id, token, **payload):
    return client.post(
        f"/audits/{audit_id}/answers/{question_id}",
        json=payload,
        headers={"X-CSRFToken": token},
    )


def fieldset(html: str, question_id: str) -> str:
    match = re.search(rf'<fieldset[^>]*id="q-{question_id}"[^>]*>', html)
    assert match, f"question {question_id} not on the page"
    return match.group(0)


def valid_value(question):
    if question.type in ("scale", "single"):
        return question.choices[-1].value
    if question.type == "multiple":
        return [question.choices[0].value]
    if question.type == "number":
        band = question.bands[-1]
        return band.min if band.min is not None else 0
    return "Free text"


def answer_everything(app, audit_id, skip=()):
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        for question in audit_service.questionnaire_for(audit).questions:
            if question.id not in skip:
                audit_service.save_answer(audit, question.id, value=valid_value(question))
        db.session.commit()


def results_url(app, audit_id) -> str:
    with app.test_request_context():
        return url_for("results.show", audit_id=audit_id)


# --------------------------------------------------------------------------- start


def test_start_page_lists_suited_questionnaires_first_and_starts_an_audit(app, client, consultant):
    organisation_id = consultant["organisation_id"]
    page = client.get(f"/organisations/{organisation_id}/audits/new")
    assert page.status_code == 200
    titles = [
        title
        for title in ("Library CRM audit", "CRM implementation readiness")
        if title in page.text
    ]
    assert titles == ["Library CRM audit", "CRM implementation readiness"]
    # the library questionnaire (only for libraries) comes before general ones
    assert page.text.index("Library CRM audit") < page.text.index("CRM implementation readiness")
    assert "Version 1.0.0" in page.text

    refused = client.post(
        f"/organisations/{organisation_id}/audits/new",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert refused.status_code == 400
    assert "Choose a questionnaire." in refused.text

    response = client.post(
        f"/organisations/{organisation_id}/audits/new",
        data={"questionnaire": READINESS, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.scalar(select(Audit))
        expected = catalogue().get(READINESS)
        assert response.headers["Location"].endswith(f"/audits/{audit.id}")
        assert audit.status == "in_progress"
        assert audit.questionnaire_version.questionnaire_id == READINESS
        assert audit.questionnaire_version.version == expected.version
        assert audit.questionnaire_version.content_hash == expected.content_hash
        event = db.session.scalar(select(TrailEvent).filter_by(action="start"))
        assert event.object_id == audit.id
        assert event.details["content_hash"] == expected.content_hash
    first = client.get(response.headers["Location"])
    assert first.status_code == 200
    assert 'id="answer-form"' in first.text
    assert "Vision and leadership" in first.text
    assert 'id="q-q01_customer_vision"' in first.text


def test_viewer_cannot_start_and_strangers_see_nothing(app, client, consultant):
    viewer_id = make_user(app, "view@example.org", "viewer")
    make_user(app, "other@example.org", "consultant")
    with app.app_context():
        db.session.add(
            OrganisationAccess(organisation_id=consultant["organisation_id"], user_id=viewer_id)
        )
        db.session.commit()
    url = f"/organisations/{consultant['organisation_id']}/audits/new"
    assert client_for(app, "view@example.org").get(url).status_code == 403
    assert client_for(app, "other@example.org").get(url).status_code == 404


# --------------------------------------------------------------------------- answer page


def test_answer_page_renders_all_question_types_and_markup_hooks(app, client, consultant):
    audit_id = start(app, consultant)
    html = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    assert 'id="save-status"' in html and 'id="progress"' in html
    assert "<progress" in html and "0 of " in html
    box = fieldset(html, "q02_executive_sponsor")
    assert 'data-question-id="q02_executive_sponsor"' in box and " critical" in box
    assert "Critical" in html
    # scale options show label and behavioural anchor; don't know allowed, n/a not on q02
    assert "0 – absent" in html and "nobody we asked can point to where" in html
    assert 'id="a-q01_customer_vision-na"' in html
    assert 'id="a-q02_executive_sponsor-dont_know"' in html
    assert 'id="a-q02_executive_sponsor-na"' not in html
    assert '<details class="q-help">' in html
    assert 'id="evidence-q01_customer_vision"' in html and "front-line staff to see whether" in html
    assert 'src="/static/audit.js"' in html
    # number with unit and "don't know" checkbox; multiple as checkboxes; text as textarea
    html = client.get(f"/audits/{audit_id}?section=collaboration_people").text
    assert 'type="number"' in html and 'name="a-q17_staff_trained_share"' in html
    assert 'id="s-q17_staff_trained_share-dont_know"' in html
    html = client.get(f"/audits/{audit_id}?section=information").text
    assert 'type="checkbox" id="a-q26_contact_channels_recorded-1"' in html
    html = client.get(f"/audits/{audit_id}?section=metrics").text
    assert '<textarea id="a-q38_success_in_a_year"' in html
    assert "<script>" not in html and 'style="' not in html


def test_unknown_section_falls_back_to_the_first(client, app, consultant):
    audit_id = start(app, consultant)
    html = client.get(f"/audits/{audit_id}?section=nope").text
    assert 'id="q-q01_customer_vision"' in html


# --------------------------------------------------------------------------- JSON autosave


def test_json_save_returns_revision_progress_and_visible_ids(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    response = save(
        client,
        audit_id,
        "q01_customer_vision",
        token,
        value="3",
        note="Seen the board paper",
        evidence="Strategy 2025, p. 4",
        base_revision=0,
    )
    assert response.status_code == 200, response.text
    data = response.get_json()
    assert data["ok"] is True and data["revision"] == 1 and data["saved_at"]
    assert data["progress"]["answered"] == 1
    total = data["progress"]["total"]
    assert data["progress"]["percent"] == round(100 / total)
    assert data["sections"]["vision_leadership"]["answered"] == 1
    assert "q01_customer_vision" in data["visible"]
    assert "q10_pilot_first" not in data["visible"]

    again = save(
        client,
        audit_id,
        "q01_customer_vision",
        token,
        value="4",
        note="Seen the board paper",
        evidence="Strategy 2025, p. 4",
        base_revision=1,
    ).get_json()
    assert again["revision"] == 2 and again["progress"]["answered"] == 1
    number = save(
        client,
        audit_id,
        "q17_staff_trained_share",
        token,
        value="42,5",
        note="",
        evidence="",
        base_revision=0,
    )
    assert number.status_code == 200
    with app.app_context():
        rows = {a.question_id: a for a in db.session.scalars(select(Answer))}
        assert rows["q01_customer_vision"].value == "4"
        assert rows["q01_customer_vision"].evidence == "Strategy 2025, p. 4"
        assert rows["q17_staff_trained_share"].value == 42.5
    # the page shows what was stored
    html = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    assert re.search(
        r'id="a-q01_customer_vision-5" name="a-q01_customer_vision" value="4"\s+checked', html
    )
    assert "Seen the board paper</textarea>" in html
    assert 'data-revision="2"' in fieldset(html, "q01_customer_vision")


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("q01_customer_vision", "7", "Choose one of the offered answers."),
        ("q01_customer_vision", ["1"], "does not fit the question"),
        ("q17_staff_trained_share", "lots", "Enter a number"),
        ("q02_executive_sponsor", "na", "“Not applicable” is not allowed"),
    ],
)
def test_invalid_value_is_refused_with_a_message(
    app, client, consultant, question_id, value, message
):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    response = save(
        client, audit_id, question_id, token, value=value, note="", evidence="", base_revision=0
    )
    assert response.status_code == 400
    data = response.get_json()
    assert data["ok"] is False and message in data["message"]
    with app.app_context():
        assert db.session.scalar(select(Answer)) is None


def test_invalid_value_message_in_polish(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    client.post("/language", data={"language": "pl", "csrf_token": token, "next": "/"})
    response = save(
        client,
        audit_id,
        "q17_staff_trained_share",
        page_token(client, audit_id),
        value="dużo",
        note="",
        evidence="",
        base_revision=0,
    )
    assert response.status_code == 400
    with app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale("pl"):
            expected = gettext("Enter a number, e.g. 12 or 12.5.")
    assert response.get_json()["message"] == expected
    if expected != "Enter a number, e.g. 12 or 12.5.":  # once the fragments are compiled
        assert "Podaj liczbę" in expected


def test_conflicting_save_returns_the_stored_answer(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    assert (
        save(
            client,
            audit_id,
            "q09_phased_roadmap",
            token,
            value="no",
            note="",
            evidence="",
            base_revision=0,
        ).get_json()["revision"]
        == 1
    )
    # "another tab" moves the answer on
    assert (
        save(
            client,
            audit_id,
            "q09_phased_roadmap",
            token,
            value="partly",
            note="tab B",
            evidence="",
            base_revision=1,
        ).get_json()["revision"]
        == 2
    )
    # this tab still thinks revision 1 is current
    response = save(
        client,
        audit_id,
        "q09_phased_roadmap",
        token,
        value="yes",
        note="tab A",
        evidence="",
        base_revision=1,
    )
    assert response.status_code == 409
    data = response.get_json()
    assert data["conflict"] is True
    assert (data["value"], data["note"], data["revision"]) == ("partly", "tab B", 2)
    assert data["display"] == "Partly"
    # a first answer given elsewhere also conflicts with a client that saw none
    save(client, audit_id, "q11_needs_research", token, value="2", note="", evidence="")
    stale = save(
        client,
        audit_id,
        "q11_needs_research",
        token,
        value="3",
        note="",
        evidence="",
        base_revision=0,
    )
    assert stale.status_code == 409
    # keeping mine: save again based on their revision
    kept = save(
        client,
        audit_id,
        "q09_phased_roadmap",
        token,
        value="yes",
        note="tab A",
        evidence="",
        base_revision=2,
    )
    assert kept.status_code == 200 and kept.get_json()["revision"] == 3


def test_json_save_requires_csrf_header(app, client, consultant):
    audit_id = start(app, consultant)
    response = client.post(f"/audits/{audit_id}/answers/q01_customer_vision", json={"value": "1"})
    assert response.status_code == 400


def test_unknown_question_is_404(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    assert save(client, audit_id, "q99", token, value="1").status_code == 404


# --------------------------------------------------------------------------- no-JavaScript form


def test_section_post_saves_valid_answers_and_keeps_every_typed_value(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    form = {
        "csrf_token": token,
        "rev-q15_cross_functional_team": "0",
        "a-q15_cross_functional_team": "3",
        "note-q15_cross_functional_team": "Team of five",
        "evidence-q15_cross_functional_team": "Order 12/2024",
        "rev-q16_roles_incentives": "0",
        "a-q16_roles_incentives": "dont_know",
        "rev-q17_staff_trained_share": "0",
        "a-q17_staff_trained_share": "about forty",
        "note-q17_staff_trained_share": "HR will check",
        "evidence-q17_staff_trained_share": "Training register",
        "rev-q18_change_communication_plan": "0",
        "note-q18_change_communication_plan": "Draft only",
        "rev-q19_end_user_involvement": "0",
    }
    response = client.post(f"/audits/{audit_id}?section=collaboration_people", data=form)
    assert response.status_code == 400
    html = response.text
    assert "Enter a number" in html
    assert 'value="about forty"' in html and 'type="text"' in html
    assert "HR will check</textarea>" in html and "Training register</textarea>" in html
    assert "Team of five</textarea>" in html and "Draft only</textarea>" in html
    assert re.search(r'value="dont_know"\s+checked', html)
    assert 'aria-invalid="true"' in html
    with app.app_context():
        rows = {a.question_id: a for a in db.session.scalars(select(Answer))}
        assert rows["q15_cross_functional_team"].value == "3"
        assert rows["q15_cross_functional_team"].evidence == "Order 12/2024"
        assert rows["q16_roles_incentives"].value == "dont_know"
        assert rows["q18_change_communication_plan"].value is None
        assert rows["q18_change_communication_plan"].note == "Draft only"
        assert "q17_staff_trained_share" not in rows
        assert "q19_end_user_involvement" not in rows  # nothing given: nothing stored

    form.update(
        {
            "a-q17_staff_trained_share": "40",
            "rev-q15_cross_functional_team": "1",
            "rev-q16_roles_incentives": "1",
            "rev-q18_change_communication_plan": "1",
        }
    )
    response = client.post(f"/audits/{audit_id}?section=collaboration_people", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audits/{audit_id}?section=processes")
    with app.app_context():
        stored = db.session.scalar(select(Answer).filter_by(question_id="q17_staff_trained_share"))
        assert stored.value == 40


def test_section_post_with_both_number_and_dont_know_is_an_error(app, client, consultant):
    audit_id = start(app, consultant)
    response = client.post(
        f"/audits/{audit_id}?section=collaboration_people",
        data={
            "csrf_token": page_token(client, audit_id),
            "rev-q17_staff_trained_share": "0",
            "a-q17_staff_trained_share": "12",
            "s-q17_staff_trained_share": "dont_know",
        },
    )
    assert response.status_code == 400
    assert "not both" in response.text
    assert 'value="12"' in response.text


def test_section_post_reports_a_conflict_without_overwriting(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    save(client, audit_id, "q01_customer_vision", token, value="1", note="", evidence="")
    save(
        client,
        audit_id,
        "q01_customer_vision",
        token,
        value="2",
        note="theirs",
        evidence="",
        base_revision=1,
    )
    response = client.post(
        f"/audits/{audit_id}?section=vision_leadership",
        data={
            "csrf_token": token,
            "rev-q01_customer_vision": "1",
            "a-q01_customer_vision": "4",
            "note-q01_customer_vision": "mine",
        },
    )
    assert response.status_code == 400
    assert "Changed elsewhere" in response.text and "2 – partial" in response.text
    assert "mine</textarea>" in response.text
    assert 'name="rev-q01_customer_vision" value="2"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Answer.value)) == "2"


def test_last_section_leads_to_review(app, client, consultant):
    audit_id = start(app, consultant)
    response = client.post(
        f"/audits/{audit_id}?section=metrics",
        data={"csrf_token": page_token(client, audit_id)},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audits/{audit_id}/submit")


# --------------------------------------------------------------------------- show_if


def test_conditional_question_hidden_until_its_condition_holds(app, client, consultant):
    audit_id = start(app, consultant)
    url = f"/audits/{audit_id}?section=strategy"
    html = client.get(url).text
    box = fieldset(html, "q10_pilot_first")
    assert " hidden" in box and " disabled" in box
    assert 'data-show-if-question="q09_phased_roadmap"' in box
    assert 'data-show-if-equals="[&#34;yes&#34;, &#34;partly&#34;]"' in box
    assert "More questions may appear" in html
    token = csrf_token(html)

    data = save(
        client,
        audit_id,
        "q09_phased_roadmap",
        token,
        value="partly",
        note="",
        evidence="",
        base_revision=0,
    ).get_json()
    assert "q10_pilot_first" in data["visible"]
    box = fieldset(client.get(url).text, "q10_pilot_first")
    assert " hidden" not in box and " disabled" not in box

    data = save(
        client,
        audit_id,
        "q09_phased_roadmap",
        token,
        value="no",
        note="",
        evidence="",
        base_revision=1,
    ).get_json()
    assert "q10_pilot_first" not in data["visible"]
    assert " hidden" in fieldset(client.get(url).text, "q10_pilot_first")


def test_section_post_that_opens_questions_stays_on_the_section(app, client, consultant):
    audit_id = start(app, consultant)
    response = client.post(
        f"/audits/{audit_id}?section=strategy",
        data={
            "csrf_token": page_token(client, audit_id),
            "rev-q09_phased_roadmap": "0",
            "a-q09_phased_roadmap": "yes",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("section=strategy#q-q10_pilot_first")
    follow = client.get(response.headers["Location"])
    assert "opened more questions" in follow.text


# --------------------------------------------------------------------------- review and submit


def test_submit_with_missing_answers_is_refused_with_the_list(app, client, consultant):
    audit_id = start(app, consultant)
    answer_everything(
        app, audit_id, skip={"q05_measurable_objectives", "q26_contact_channels_recorded"}
    )
    page = client.get(f"/audits/{audit_id}/submit")
    assert page.status_code == 200
    assert "Unanswered questions (2)" in page.text
    assert f"/audits/{audit_id}?section=strategy#q-q05_measurable_objectives" in page.text
    assert "section=information#q-q26_contact_channels_recorded" in page.text
    assert 'id="submit-form"' not in page.text
    response = client.post(
        f"/audits/{audit_id}/submit", data={"csrf_token": csrf_token(page.text), "confirm": "y"}
    )
    assert response.status_code == 400
    assert "still unanswered" in response.text
    assert "q05_measurable_objectives" in response.text
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "in_progress"


def test_submit_needs_the_confirmation(app, client, consultant):
    audit_id = start(app, consultant)
    answer_everything(app, audit_id)
    page = client.get(f"/audits/{audit_id}/submit")
    assert "All questions are answered" in page.text and 'id="submit-form"' in page.text
    response = client.post(f"/audits/{audit_id}/submit", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.text


def test_submit_freezes_scores_and_locks_the_audit(app, client, consultant):
    audit_id = start(app, consultant)
    answer_everything(app, audit_id)
    token = csrf_token(client.get(f"/audits/{audit_id}/submit").text)
    response = client.post(f"/audits/{audit_id}/submit", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(results_url(app, audit_id))
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.status == "submitted" and audit.submitted_at is not None
        assert audit.result is not None and audit.overall is not None and audit.verdict
        assert db.session.scalar(select(TrailEvent).filter_by(action="submit")) is not None
    # editing is refused
    locked = save(
        client,
        audit_id,
        "q01_customer_vision",
        token,
        value="0",
        note="",
        evidence="",
        base_revision=1,
    )
    assert locked.status_code == 409 and locked.get_json()["locked"] is True
    posted = client.post(
        f"/audits/{audit_id}?section=vision_leadership",
        data={"csrf_token": token, "rev-q01_customer_vision": "1", "a-q01_customer_vision": "0"},
    )
    assert posted.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Answer).filter_by(question_id="q01_customer_vision"))
        assert stored.value == "4"
    # the answer page now leads to the results
    answer_page = client.get(f"/audits/{audit_id}")
    assert answer_page.status_code == 302
    assert answer_page.headers["Location"].endswith(results_url(app, audit_id))
    # a second submit is a clear message, not an error page
    again = client.post(f"/audits/{audit_id}/submit", data={"csrf_token": token, "confirm": "y"})
    assert again.status_code == 302
    review = client.get(f"/audits/{audit_id}/submit")
    assert "already been submitted" in review.text


# --------------------------------------------------------------------------- reopen


def submitted(app, consultant) -> int:
    """An audit of the consultant's, every question answered, submitted."""
    from audit_app.models import User

    audit_id = start(app, consultant)
    answer_everything(app, audit_id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit_service.submit(audit, db.session.get(User, consultant["user_id"]))
        db.session.commit()
    return audit_id


def test_reopen_is_for_administrators_with_a_reason(app, client, consultant):
    audit_id = submitted(app, consultant)
    token = csrf_token(client.get(f"/audits/{audit_id}/submit").text)
    refused = client.post(
        f"/audits/{audit_id}/reopen", data={"csrf_token": token, "reason": "please"}
    )
    assert refused.status_code == 403

    make_user(app, "admin@example.org", "admin")
    client = client_for(app, "admin@example.org")
    page = client.get(f"/audits/{audit_id}/submit")
    assert 'id="reopen-form"' in page.text
    token = csrf_token(page.text)
    no_reason = client.post(f"/audits/{audit_id}/reopen", data={"csrf_token": token, "reason": " "})
    assert no_reason.status_code == 400
    assert "Give a reason" in no_reason.text
    response = client.post(
        f"/audits/{audit_id}/reopen", data={"csrf_token": token, "reason": "Wrong budget figure"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audits/{audit_id}")
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.status == "in_progress" and audit.result is None
        event = db.session.scalar(select(TrailEvent).filter_by(action="reopen"))
        assert event.details["reason"] == "Wrong budget figure"
        assert event.object_id == audit_id
    assert client.get(f"/audits/{audit_id}").status_code == 200


def test_administrators_find_reopen_on_the_results_page(app, client, consultant):
    audit_id = submitted(app, consultant)
    results = f"/audits/{audit_id}/results"
    assert 'id="reopen-link"' not in client.get(results).text  # the consultant: no

    make_user(app, "admin@example.org", "admin")
    admin = client_for(app, "admin@example.org")
    page = admin.get(results).text
    link = page[page.index('id="reopen-link"') :]
    assert f'href="/audits/{audit_id}/submit#reopen"' in page and ">Reopen</a>" in link
    assert 'id="reopen-form"' in admin.get(f"/audits/{audit_id}/submit").text


# --------------------------------------------------------------------------- access


def test_viewer_reads_but_cannot_save(app, client, consultant):
    audit_id = start(app, consultant)
    token = page_token(client, audit_id)
    save(client, audit_id, "q01_customer_vision", token, value="2", note="A note", evidence="")
    viewer_id = make_user(app, "view@example.org", "viewer")
    with app.app_context():
        db.session.add(
            OrganisationAccess(organisation_id=consultant["organisation_id"], user_id=viewer_id)
        )
        db.session.commit()
    client = client_for(app, "view@example.org")
    page = client.get(f"/audits/{audit_id}")
    assert page.status_code == 200
    assert 'id="answer-form"' not in page.text and '<input type="radio"' not in page.text
    assert "2 – partial" in page.text and "A note" in page.text
    assert "audit.js" not in page.text
    token = csrf_token(page.text)
    assert save(client, audit_id, "q01_customer_vision", token, value="3").status_code == 403
    posted = client.post(
        f"/audits/{audit_id}?section=vision_leadership",
        data={"csrf_token": token, "rev-q01_customer_vision": "1", "a-q01_customer_vision": "3"},
    )
    assert posted.status_code == 403
    submit = client.post(f"/audits/{audit_id}/submit", data={"csrf_token": token, "confirm": "y"})
    assert submit.status_code == 403
    assert client.get(f"/audits/{audit_id}/submit").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Answer.value)) == "2"


def test_other_consultant_gets_404(app, client, consultant):
    audit_id = start(app, consultant)
    make_user(app, "other@example.org", "consultant")
    client = client_for(app, "other@example.org")
    token = csrf_token(client.get("/").text)
    assert client.get(f"/audits/{audit_id}").status_code == 404
    assert client.get(f"/audits/{audit_id}/submit").status_code == 404
    assert save(client, audit_id, "q01_customer_vision", token, value="3").status_code == 404
    assert (
        client.post(
            f"/audits/{audit_id}/submit", data={"csrf_token": token, "confirm": "y"}
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(app, client, consultant):
    audit_id = start(app, consultant)
    client.post("/logout", data={"csrf_token": page_token(client, audit_id)})
    response = client.get(f"/audits/{audit_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_both_answer_tables_keep_the_migrated_columns_in_order(ctx):
    """Answer and RespondentAnswer share their columns (models/answer_columns.py); the
    tables must stay as the migrations made them, in the same column order (backups
    compare it), with one answer per question and owner."""
    inspector = inspect(db.engine)
    for model in (Answer, RespondentAnswer):
        table = model.__table__.name
        assert [c.name for c in model.__table__.columns] == [
            c["name"] for c in inspector.get_columns(table)
        ]
        assert [u["column_names"] for u in inspector.get_unique_constraints(table)] == [
            [model.owner_column, "question_id"]
        ]
