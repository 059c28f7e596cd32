"""Results page, recommendations roadmap and actions, history and comparison.

The audits are answered by hand through the service layer with the library
questionnaire; the expected numbers are computed by hand in the comments.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from audit_app.domain.loader import load_questionnaire_text
from audit_app.domain.scoring import score
from audit_app.extensions import db
from audit_app.models import (
    Action,
    Audit,
    Organisation,
    OrganisationAccess,
    QuestionnaireVersion,
    TrailEvent,
    User,
)
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

LIBRARY = "library-crm-audit"

# Maturity scale 0-4 -> 0/25/50/75/100 %. Weights: q01, q05, q12, q15 = 2, others 1.
ANSWERS_A = {
    # user_knowledge: (75x2 + 50 + 100) / 4 = 75
    "q01_identify_users": "3",
    "q02_interaction_data": "2",
    "q03_user_preferences": "4",
    # data_integration: (100 + 50x2 + 0) / 4 = 50 (q13 don't know counts 0 %)
    "q04_user_information_access": "4",
    "q05_merge_department_data": "2",
    "q13_channel_integration_tools": "dont_know",
    # analysis_segmentation: (25 + 75 + 50) / 3 = 50 (q09 n/a)
    "q06_data_analysis": "1",
    "q07_loyal_users": "3",
    "q09_user_segments": "na",
    "q14_lapsed_and_non_users": "2",
    # relationship_lifecycle: 0
    "q08_relationship_lifecycle": "0",
    # channels_value: (100 + 50) / 2 = 75
    "q10_communication_channels": "4",
    "q11_personalised_services": "2",
    # culture_people: (75x2 + 75x2) / 4 = 75
    "q12_user_centred_culture": "3",
    "q15_staff_training_teamwork": "3",
}
# overall A = (75 + 50 + 50 + 0 + 75 + 75) / 6 = 54.17 -> "54.2%", level Defined (>= 40),
# conditional (40 <= 54.2 < 60); best case with q13 at 100 %: data integration 75 -> 58.3 %;
# coverage 13 scored of 14 (q09 n/a excluded) = 92.9 %; target for libraries 60 -> gap 5.8.

ANSWERS_B = {
    **ANSWERS_A,
    "q01_identify_users": "4",  # 75 -> 100 improved
    "q03_user_preferences": "3",  # 100 -> 75 regressed
    "q05_merge_department_data": "3",  # 50 -> 75 improved
    "q13_channel_integration_tools": "2",  # don't know (0 %) -> 50 improved
    "q09_user_segments": "2",  # n/a -> 50: not comparable
    "q08_relationship_lifecycle": "2",  # 0 -> 50 improved
    "q15_staff_training_teamwork": "4",  # 75 -> 100 improved
}
# B sections: user_knowledge (100x2 + 50 + 75) / 4 = 81.25 (+6.25),
# data_integration (100 + 75x2 + 50) / 4 = 75 (+25), analysis (25 + 75 + 50 + 50) / 4 = 50 (0),
# relationship 50 (+50), channels 75 (0), culture (75x2 + 100x2) / 4 = 87.5 (+12.5).
# overall B = 418.75 / 6 = 69.79 -> delta 15.63 -> "+15.6".


def make_org(app, creator_id, *, name="Miejska Biblioteka", type="library", shared_with=()):
    with app.app_context():
        organisation = Organisation(name=name, type=type, created_by_id=creator_id)
        db.session.add(organisation)
        db.session.flush()
        for user_id in shared_with:
            db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        db.session.commit()
        return organisation.id


def answered_audit(
    app,
    organisation_id,
    user_id,
    answers,
    *,
    submit=True,
    when=None,
    version_id=None,
    questionnaire_id=LIBRARY,
    notes=None,
):
    """An audit answered through the services; `version_id` uses a stored version."""
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        user = db.session.get(User, user_id)
        if version_id is None:
            audit = audit_service.start_audit(organisation, catalogue().get(questionnaire_id), user)
        else:
            audit = Audit(
                organisation_id=organisation_id,
                questionnaire_version_id=version_id,
                created_by_id=user_id,
            )
            db.session.add(audit)
            db.session.flush()
        for question_id, value in answers.items():
            note, evidence = (notes or {}).get(question_id, (None, None))
            audit_service.save_answer(
                audit, question_id, value=value, note=note, evidence=evidence, user=user
            )
        if submit:
            audit_service.submit(audit, user)
        if when is not None:
            audit.started_at = when
            if submit:
                audit.submitted_at = when
        db.session.commit()
        return audit.id


def at(year, month, day):
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def setup(app, client):
    consultant = make_user(app, "con@example.org", "consultant")
    viewer = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "other@example.org", "consultant")
    org = make_org(app, consultant, shared_with=[viewer])
    return {"consultant": consultant, "viewer": viewer, "org": org}


def item_block(html, item_id):
    """The roadmap entry of one recommendation (up to the next entry)."""
    start = html.index(f'id="rec-{item_id}"')
    end = html.find('<li id="rec-', start)
    return html[start : end if end != -1 else len(html)]


def row_of(html, row_id):
    start = html.index(">", html.index(f'id="{row_id}"')) + 1
    return html[start : html.index("</tr>", start)]


def text_of(fragment):
    """The text a screen reader reads: tags and aria-hidden decorations removed."""
    fragment = re.sub(r'<span aria-hidden="true">.*?</span>', "", fragment)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section_text(html, start_id, end_id):
    return text_of(html[html.index(f'id="{start_id}"') : html.index(f'id="{end_id}"')])


# --- results page ----------------------------------------------------------------------


def test_results_page_shows_the_frozen_result(client, app, setup):
    audit_id = answered_audit(
        app,
        setup["org"],
        setup["consultant"],
        ANSWERS_A,
        notes={"q02_interaction_data": ("Rozmowa z kierownikiem", "Rejestr pytań 2024")},
    )
    login(client, "con@example.org")
    page = client.get(f"/audits/{audit_id}/results")
    assert page.status_code == 200
    html = page.text

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        result = audit_service.current_result(audit)
        questionnaire = audit_service.questionnaire_for(audit)
        # The frozen result equals a fresh scoring of the answers.
        assert result == score(questionnaire, audit_service.answers_of(audit), "library")
    # Data integration: q04 100, q05 25 (x2), q13 don't know counts 0 -> 150 / 4 = 37.5
    assert result.overall == pytest.approx(325 / 6, abs=1e-3)
    assert result.best_case == pytest.approx(350 / 6, abs=1e-3)
    assert result.coverage == pytest.approx(13 / 14 * 100)
    assert result.verdict == "conditional"
    assert result.level_id == "defined"
    assert result.lowest_section_id == "relationship_lifecycle"

    assert "Provisional preview" not in html
    summary = section_text(html, "summary-heading", "dimensions-heading")
    assert "Overall score 54.2%" in summary
    assert "Up to 58.3% if the 1 unknown answer turns out best." in summary
    assert "Maturity level Defined" in summary
    assert "Verdict Conditionally ready" in summary
    assert "Conditionally ready: overall score 54.2% < 60%" in summary  # the verdict's reason
    assert "Evidence coverage 92.9%" in summary
    assert "13 of 14 questions" in summary  # the coverage explanation
    assert "Start with “Relationship life cycle”." in summary
    assert "Weakest dimensions Relationship life cycle 0%" in summary
    assert "5.8 percentage points" in summary and "60%" in summary
    assert "provisional result" not in summary

    # Radar: an inline SVG with title and desc, the target as a second series.
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="radar-results"' in html
    assert '<title id="radar-results-title">Scores by dimension</title>' in html
    assert "Knowing our users: This audit 75%, Target 60%" in html
    assert 'data-name="Target"' in html

    # Dimension table and the per-question table with labels, scores and explanations.
    assert "(75×2 + 50×1 + 100×1) / 4 = 75%" in html
    q01 = text_of(row_of(html, "question-q01_identify_users"))
    assert "Does the library have mechanisms for recognising individual users?" in q01
    assert "3 – systematic" in q01 and "75%" in q01 and "3 of 4 points = 75%" in q01
    assert "critical" in q01
    q13 = text_of(row_of(html, "question-q13_channel_integration_tools"))
    assert "Don't know" in q13 and "counts as 0%" in q13
    assert "Not applicable" in text_of(row_of(html, "question-q09_user_segments"))
    q02 = text_of(row_of(html, "question-q02_interaction_data"))
    assert "Rozmowa z kierownikiem" in q02 and "Rejestr pytań 2024" in q02


def test_roadmap_groups_recommendations_and_cites_the_answers(client, app, setup):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    html = client.get(f"/audits/{audit_id}/results").text

    # Quick wins come before major projects.
    assert html.index('id="group-quick_wins"') < html.index('id="group-major_projects"')
    quick_wins = html[html.index('id="group-quick_wins"') : html.index('id="group-major_projects"')]
    assert 'id="rec-rec-q08-first"' in quick_wins  # high impact, low effort
    assert 'id="rec-rec-q01-first"' not in quick_wins  # high impact, medium effort

    q08_html = item_block(html, "rec-q08-first")
    q08 = text_of(q08_html)
    assert "Impact: high" in q08 and "Effort: low" in q08
    assert "Because of these answers:" in q08
    assert "0 – absent" in q08
    assert "Relationship life cycle" in q08
    # The section recommendation cites the questions below its threshold.
    section = text_of(item_block(html, "rec-sec-relationship-lifecycle"))
    assert "0 – absent" in section
    # Don't know yields an "establish the facts" item citing the answer.
    facts = item_block(html, "facts-q13_channel_integration_tools")
    assert "Don't know" in text_of(facts)
    # q13 requires q05, which has its own item: the facts item says what blocks it.
    assert "Blocked by:" in facts
    assert 'href="#rec-rec-q05-next"' in facts
    assert "Blocked by:" in q08_html and 'href="#rec-rec-q02-next"' in q08_html
    # Items are numbered 1..n in the order shown.
    numbers = [int(n) for n in re.findall(r'<li id="rec-[^"]+" value="(\d+)"', html)]
    assert numbers == list(range(1, len(numbers) + 1))
    # An editor gets a form to turn each recommendation into an action.
    assert "Turn into an action" in q08
    assert 'name="new-rec-q08-first-owner"' in q08_html
    assert 'type="date"' in q08_html


def test_in_progress_audit_shows_a_provisional_preview(client, app, setup):
    partial = {k: ANSWERS_A[k] for k in ("q01_identify_users", "q02_interaction_data")}
    audit_id = answered_audit(app, setup["org"], setup["consultant"], partial, submit=False)
    login(client, "con@example.org")
    page = client.get(f"/audits/{audit_id}/results")
    assert page.status_code == 200
    html = page.text
    assert "Provisional preview." in html
    assert "still in progress" in html
    # Live numbers: user_knowledge = (75x2 + 50) / 3 = 66.7; coverage 2 of 14 -> provisional.
    summary = section_text(html, "summary-heading", "dimensions-heading")
    assert "Overall score 66.7%" in summary
    assert "provisional result" in summary
    assert "Preview (in progress)" in html  # the radar's series name
    # No action can be planned before the audit is submitted.
    assert "Turn into an action" not in html
    assert "Actions can be planned once the audit is submitted." in html
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "in_progress"


def test_answer_labels_for_every_question_type(client, app, setup):
    """crm-readiness has single, multiple, number and free-text questions."""
    with app.app_context():
        readiness = catalogue().get("crm-readiness")
        answers = {q.id: "dont_know" for q in readiness.questions if q.type == "scale"}
        answers.update(
            {
                "q02_executive_sponsor": "active",
                "q17_staff_trained_share": 30,
                "q26_contact_channels_recorded": ["email", "phone"],
                "q38_success_in_a_year": "Mniej pracy ręcznej <b>i</b> lepsza obsługa",
            }
        )
    audit_id = answered_audit(
        app,
        setup["org"],
        setup["consultant"],
        answers,
        submit=False,
        questionnaire_id="crm-readiness",
    )
    login(client, "con@example.org")
    html = client.get(f"/audits/{audit_id}/results").text
    sponsor = text_of(row_of(html, "question-q02_executive_sponsor"))
    assert "The sponsor regularly chairs the steering committee" in sponsor
    trained = text_of(row_of(html, "question-q17_staff_trained_share"))
    assert "30% (25-49%)" in trained
    channels = text_of(row_of(html, "question-q26_contact_channels_recorded"))
    assert "Phone; E-mail" in channels  # option order, labels not values
    free = row_of(html, "question-q38_success_in_a_year")
    assert "Mniej pracy ręcznej &lt;b&gt;i&lt;/b&gt; lepsza obsługa" in free
    assert "Free-text question – not scored" in free
    assert "No answer" in text_of(row_of(html, "question-q25_customer_data_locations"))


# --- actions ---------------------------------------------------------------------------


def test_editor_creates_and_updates_an_action(client, app, setup):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    token = csrf_token(client.get(f"/audits/{audit_id}/results").text)
    prefix = "new-rec-q08-first-"
    response = client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": "rec-q08-first",
            prefix + "csrf_token": token,
            prefix + "title": "Opisać cykl życia czytelnika",
            prefix + "owner": "Kierowniczka działu udostępniania",
            prefix + "due_date": "2026-03-31",
            prefix + "status": "todo",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(Action))
        assert (action.audit_id, action.recommendation_id, action.title, action.owner) == (
            audit_id,
            "rec-q08-first",
            "Opisać cykl życia czytelnika",
            "Kierowniczka działu udostępniania",
        )
        assert (action.due_date, action.status) == (date(2026, 3, 31), "todo")
        action_id = action.id
        assert db.session.scalar(
            select(TrailEvent).filter_by(action="create", object_type="action", object_id=action_id)
        )
    assert response.headers["Location"].endswith(f"/audits/{audit_id}/results#action-{action_id}")

    html = client.get(f"/audits/{audit_id}/results").text
    block = item_block(html, "rec-q08-first")
    assert f'id="action-{action_id}"' in block
    assert 'value="Kierowniczka działu udostępniania"' in block

    prefix = f"action-{action_id}-"
    response = client.post(
        f"/actions/{action_id}",
        data={
            prefix + "csrf_token": token,
            prefix + "title": "Opisać cykl życia czytelnika",
            prefix + "owner": "Dyrektor",
            prefix + "due_date": "2026-04-30",
            prefix + "status": "in_progress",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(Action, action_id)
        assert (action.owner, action.due_date, action.status) == (
            "Dyrektor",
            date(2026, 4, 30),
            "in_progress",
        )


def test_invalid_action_keeps_what_was_typed(client, app, setup):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    token = csrf_token(client.get(f"/audits/{audit_id}/results").text)
    prefix = "new-rec-q08-first-"
    response = client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": "rec-q08-first",
            prefix + "csrf_token": token,
            prefix + "title": "   ",
            prefix + "owner": "Pani Basia",
            prefix + "due_date": "2026-02-30",
            prefix + "status": "done",
        },
    )
    assert response.status_code == 400
    block = item_block(response.text, "rec-q08-first")
    assert '<details class="new-action" open>' in block
    assert 'value="Pani Basia"' in block
    assert 'aria-invalid="true"' in block
    assert '<option selected value="done">' in block
    # A recommendation that does not fire for this audit is refused.
    prefix = "new-rec-q04-first-"
    response = client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": "rec-q04-first",
            prefix + "csrf_token": token,
            prefix + "title": "Something",
            prefix + "status": "todo",
        },
    )
    assert response.status_code == 400
    assert "not part of the audit" in response.text
    with app.app_context():
        assert db.session.scalar(select(Action)) is None


def test_viewer_sees_actions_but_cannot_change_them(client, app, setup):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    with app.app_context():
        action = Action(
            audit_id=audit_id,
            recommendation_id="rec-q08-first",
            title="Opisać cykl życia",
            owner="Dyrektor",
            status="in_progress",
            due_date=date(2026, 5, 1),
        )
        db.session.add(action)
        db.session.commit()
        action_id = action.id
    login(client, "viewer@example.org")
    page = client.get(f"/audits/{audit_id}/results")
    assert page.status_code == 200
    block = text_of(item_block(page.text, "rec-q08-first"))
    assert "Opisać cykl życia" in block and "Dyrektor" in block and "In progress" in block
    assert "Turn into an action" not in page.text
    assert '<form method="post" action="/actions/' not in page.text
    token = csrf_token(page.text)
    prefix = "new-rec-q08-first-"
    response = client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": "rec-q08-first",
            prefix + "csrf_token": token,
            prefix + "title": "x",
            prefix + "status": "todo",
        },
    )
    assert response.status_code == 403
    prefix = f"action-{action_id}-"
    response = client.post(
        f"/actions/{action_id}",
        data={prefix + "csrf_token": token, prefix + "title": "x", prefix + "status": "done"},
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Action, action_id).status == "in_progress"
        assert len(db.session.scalars(select(Action)).all()) == 1


def test_other_consultant_gets_404_everywhere(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    second = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_B, when=at(2025, 3, 1))
    with app.app_context():
        action = Action(audit_id=first, recommendation_id="rec-q08-first", title="t")
        db.session.add(action)
        db.session.commit()
        action_id = action.id
    login(client, "other@example.org")
    org = setup["org"]
    assert client.get(f"/audits/{first}/results").status_code == 404
    assert client.get(f"/organisations/{org}/history").status_code == 404
    assert client.get(f"/organisations/{org}/compare?a={first}&b={second}").status_code == 404
    token = csrf_token(client.get("/").text)
    response = client.post(
        f"/actions/{action_id}",
        data={
            f"action-{action_id}-csrf_token": token,
            f"action-{action_id}-title": "x",
            f"action-{action_id}-status": "done",
        },
    )
    assert response.status_code == 404
    assert client.get("/audits/999999/results").status_code == 404


def test_pages_require_login(client, app, setup):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    response = client.get(f"/audits/{audit_id}/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- history ---------------------------------------------------------------------------


def test_history_shows_a_trend_chart_and_the_compare_form(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    second = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_B, when=at(2025, 3, 1))
    in_progress = answered_audit(app, setup["org"], setup["consultant"], {}, submit=False)
    login(client, "viewer@example.org")
    page = client.get(f"/organisations/{setup['org']}/history")
    assert page.status_code == 200
    html = page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="trend-library-crm-audit"' in html
    assert (
        '<title id="trend-library-crm-audit-title">Scores over time: Library CRM audit</title>'
        in html
    )
    desc = html[html.index('id="trend-library-crm-audit-desc"') :]
    desc = desc[: desc.index("</desc>")]
    assert "Overall score 54.2%" in desc and "Overall score 69.8%" in desc
    assert "Relationship life cycle 0%" in desc and "Relationship life cycle 50%" in desc
    # Table: every audit, with links to its results.
    for audit_id in (first, second, in_progress):
        assert f'href="/audits/{audit_id}/results"' in html
    assert "in progress" in html
    # Compare form preselects the two latest submitted audits.
    assert f'<option selected value="{first}">' in html
    assert re.search(rf'<select id="b" name="b">.*?<option selected value="{second}">', html, re.S)


def test_history_groups_questionnaires(client, app, setup):
    answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    with app.app_context():
        organisation = db.session.get(Organisation, setup["org"])
        user = db.session.get(User, setup["consultant"])
        audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        db.session.commit()
    login(client, "con@example.org")
    html = client.get(f"/organisations/{setup['org']}/history").text
    assert 'id="history-library-crm-audit"' in html
    assert 'id="history-crm-readiness"' in html
    assert "No submitted audit yet" in html  # crm-readiness has none submitted


# --- compare ---------------------------------------------------------------------------


def test_compare_shows_hand_computed_deltas(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    second = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_B, when=at(2025, 3, 1))
    with app.app_context():
        db.session.add_all(
            [
                Action(
                    audit_id=first,
                    recommendation_id="rec-q08-next",
                    title="Opisać cykl życia",
                    owner="Dyrektor",
                    due_date=date(2024, 9, 30),
                    status="done",
                ),
                Action(
                    audit_id=first,
                    recommendation_id="rec-q01-next",
                    title="Jedna zasada",
                    owner="",
                    status="todo",
                ),
            ]
        )
        db.session.commit()
    login(client, "con@example.org")
    # Asked the other way round: the earlier audit is still "before".
    page = client.get(f"/organisations/{setup['org']}/compare?a={second}&b={first}")
    assert page.status_code == 200
    html = page.text
    assert "Different questionnaire versions" not in html

    overall = text_of(row_of(html, "overall-row"))
    assert overall == "Overall score 54.2% 69.8% +15.6 improved"
    sections = {
        "user_knowledge": "75% 81.3% +6.3 improved",  # 81.25 rounds half up
        "data_integration": "50% 75% +25 improved",
        "analysis_segmentation": "50% 50% 0 unchanged",
        "relationship_lifecycle": "0% 50% +50 improved",
        "channels_value": "75% 75% 0 unchanged",
        "culture_people": "75% 87.5% +12.5 improved",
    }
    for section_id, expected in sections.items():
        assert text_of(row_of(html, f"section-{section_id}")).endswith(expected), section_id

    def question(qid):
        return text_of(row_of(html, f"question-{qid}"))

    assert question("q01_identify_users").endswith(
        "3 – systematic (75%) 4 – optimised (100%) +25 improved"
    )
    assert question("q03_user_preferences").endswith(
        "4 – optimised (100%) 3 – systematic (75%) −25 regressed"
    )
    assert question("q02_interaction_data").endswith("(50%) 2 – partial (50%) 0 unchanged")
    assert question("q13_channel_integration_tools").endswith(
        "Don't know (don't know (0%)) 2 – partial (50%) +50 improved"
    )
    assert question("q09_user_segments").endswith(
        "Not applicable (n/a) 2 – partial (50%) – not comparable"
    )
    assert "Questions: 5 improved, 1 regressed, 8 unchanged, 1 not comparable" in text_of(html)

    # The earlier audit's actions: status, owner, due date, still recommended or not.
    actions = text_of(html[html.index('id="actions-heading"') : html.index('id="pick-heading"')])
    assert "Opisać cykl życia Dyrektor Sep 30, 2024 Done still recommended" in actions
    # q08 is at 50 % in the later audit: rec-q08-next (below 75) still fires;
    # q01 is at 100 %: rec-q01-next (below 75) no longer fires.
    assert "Jedna zasada no owner no due date To do no longer recommended" in actions

    # Radar with both audits as two series.
    assert 'id="radar-compare"' in html
    # Date and time (10:00 UTC is 11:00 in Warsaw), so two audits of a day differ.
    assert 'data-name="Later audit, Mar 1, 2025, 11:00"' in html
    assert 'data-name="Earlier audit, Mar 1, 2024, 11:00"' in html


def _modified_library_source():
    """The library questionnaire as version 1.1.0 without question q14."""
    with open(catalogue().get(LIBRARY).source_path, encoding="utf-8") as handle:
        text = handle.read()
    text = text.replace('version: "1.0.0"', 'version: "1.1.0"', 1)
    start = text.index("      - id: q14_lapsed_and_non_users")
    end = text.index("  # ----", start)
    return text[:start] + text[end:]


def test_compare_across_questionnaire_versions_uses_shared_questions(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    with app.app_context():
        source = _modified_library_source()
        modified = load_questionnaire_text(source, "test:library-1.1.0")
        assert modified.version == "1.1.0" and modified.question("q14_lapsed_and_non_users") is None
        version = QuestionnaireVersion(
            questionnaire_id=modified.id,
            version=modified.version,
            content_hash=modified.content_hash,
            source=source,
        )
        db.session.add(version)
        db.session.commit()
        version_id = version.id
        q14_text = catalogue().get(LIBRARY).question("q14_lapsed_and_non_users").text.en
    answers_b = {k: v for k, v in ANSWERS_B.items() if k != "q14_lapsed_and_non_users"}
    second = answered_audit(
        app,
        setup["org"],
        setup["consultant"],
        answers_b,
        when=at(2025, 3, 1),
        version_id=version_id,
    )
    login(client, "con@example.org")
    page = client.get(f"/organisations/{setup['org']}/compare?a={first}&b={second}")
    assert page.status_code == 200
    html = page.text
    notice = text_of(
        html[html.index("Different questionnaire versions") : html.index('id="overall-heading"')]
    )
    assert "(1.0.0 and 1.1.0)" in notice
    assert "compared only on the 14 questions both versions share" in notice
    assert f"Questions only in the earlier version: {q14_text}" in notice
    assert "only in the later version" not in notice
    assert 'id="question-q14_lapsed_and_non_users"' not in html
    # Official overall scores: A 56.9 (with q14), B 69.8 (without q14: analysis (25+75+50)/3 = 50).
    assert text_of(row_of(html, "overall-row")) == "Overall score 54.2% 69.8% +15.6 improved"
    # On the shared questions A's analysis is (25 + 75) / 2 = 50 as well: the same overall.
    assert text_of(row_of(html, "shared-overall-row")).endswith("54.2% 69.8% +15.6 improved")
    assert text_of(row_of(html, "section-analysis_segmentation")).endswith("50% 50% 0 unchanged")
    assert text_of(row_of(html, "question-q01_identify_users")).endswith("+25 improved")


def test_compare_refuses_audits_it_cannot_compare(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    other_org = make_org(app, setup["consultant"], name="Inna biblioteka")
    elsewhere = answered_audit(app, other_org, setup["consultant"], ANSWERS_B)
    with app.app_context():
        organisation = db.session.get(Organisation, setup["org"])
        user = db.session.get(User, setup["consultant"])
        readiness = audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        db.session.commit()
        readiness_id = readiness.id
    login(client, "con@example.org")
    org = setup["org"]
    # An audit of another organisation (even one the user may see) is not found here.
    assert client.get(f"/organisations/{org}/compare?a={first}&b={elsewhere}").status_code == 404
    assert client.get(f"/organisations/{org}/compare?a={first}&b=999999").status_code == 404
    response = client.get(f"/organisations/{org}/compare?a={first}&b={readiness_id}")
    assert response.status_code == 400
    assert "answered with different questionnaires and cannot be compared" in response.text
    response = client.get(f"/organisations/{org}/compare?a={first}&b={first}")
    assert response.status_code == 400
    assert "Pick two different audits" in response.text
    response = client.get(f"/organisations/{org}/compare")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organisations/{org}/history")


# --- Polish ----------------------------------------------------------------------------


def test_results_and_compare_render_in_polish(client, app, setup):
    first = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=at(2024, 3, 1))
    second = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_B, when=at(2025, 3, 1))
    make_user(app, "pl@example.org", "admin", language="pl")
    login(client, "pl@example.org")
    html = client.get(f"/audits/{first}/results").text
    assert '<html lang="pl">' in html
    assert "Czy biblioteka posiada mechanizmy do rozpoznawania indywidualnych użytkowników?" in html
    assert "54,2%" in html  # decimal comma
    assert "Gotowość warunkowa" in html  # verdict label
    assert "Zdefiniowany" in html  # level
    assert "3 – systematycznie" in html  # answer label
    assert "3 z 4 pkt = 75%" in html  # explanation
    assert "Wiedza o użytkownikach: " in html  # radar desc with Polish section titles
    compare = client.get(f"/organisations/{setup['org']}/compare?a={first}&b={second}").text
    assert "+15,6" in compare
    with app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale("pl"):
            translated = gettext("Overall score") != "Overall score"
            improved = gettext("improved")
    if translated:  # once the fragments are compiled into the catalogue
        assert "Overall score" not in html
        assert improved in compare
