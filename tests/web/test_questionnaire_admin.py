"""Questionnaires managed in the browser by administrators: upload and check, preview
as respondents see it (both languages, conditions), differences from the version in
use, publish and withdraw for new audits; audits keep their version."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from audit_app.config import Config
from audit_app.extensions import db
from audit_app.models import Audit, TrailEvent
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user
from tests.web.test_audit_files import started_audit

READINESS = Config.SHIPPED_QUESTIONNAIRES_DIR / "crm-readiness.yaml"
Q09_EN = "Is there an implementation roadmap split into phases, ordered by business priorities?"


def readiness_1_1() -> str:
    """crm-readiness 1.1.0: q09 reworded, q01 weighs 2, a question added, q27 removed."""
    text = READINESS.read_text(encoding="utf-8")
    text = text.replace('version: "1.0.0"', 'version: "1.1.0"', 1)
    text = text.replace(Q09_EN, "Is there a phased roadmap ordered by business priorities?")
    text = text.replace(
        "      - id: q01_customer_vision\n        type: scale\n",
        "      - id: q01_customer_vision\n        type: scale\n        weight: 2\n",
    )
    start = text.index("      - id: q27_data_quality_ownership")
    end = text.index("      - id: ", start + 10)
    removed = text[start:end]
    added = removed.replace("q27_data_quality_ownership", "q99_new_question", 1).replace(
        "rec-q27", "rec-q99"
    )
    return text.replace(removed, added)


@pytest.fixture
def admin(app, client):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    return client


def upload(client, content: str | bytes, name: str = "q.yaml"):
    page = client.get("/admin/questionnaires")
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        "/admin/questionnaires",
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def draft_url(response) -> str:
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def post_button(client, page_url: str, action: str):
    page = client.get(page_url)
    return client.post(action, data={"csrf_token": csrf_token(page.text)})


def test_only_administrators_manage_questionnaires(app, client):
    assert client.get("/admin/questionnaires").status_code == 302  # to the login page
    make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    assert client.get("/admin/questionnaires").status_code == 403
    token = csrf_token(client.get("/organisations").text)
    withdraw = client.post(
        "/admin/questionnaires/crm-readiness/withdraw", data={"csrf_token": token}
    )
    assert withdraw.status_code == 403
    assert client.get("/admin/questionnaires/drafts/" + "0" * 64 + "/preview").status_code == 403


def test_every_problem_is_shown_with_its_line_and_the_lines_around_it(app, admin):
    text = READINESS.read_text(encoding="utf-8")
    text = text.replace('version: "1.0.0"', "version: 1.0", 1)
    text = text.replace(
        'label: {pl: "Zarząd lub dyrekcja", en: "Leadership"}',
        'label: {pl: Zarząd, dyrekcja, en: "Leadership"}',
    )
    response = upload(admin, text)
    assert response.status_code == 400
    page = response.text
    assert "The file has 2 problems; nothing was saved." in page
    assert "Line 6:" in page and "put it in quotes so it is read as text" in page
    comma_line = text.splitlines().index('    label: {pl: Zarząd, dyrekcja, en: "Leadership"}') + 1
    assert f"Line {comma_line}:" in page and "put the text in quotes" in page
    context = re.findall(r'<pre class="qa-context">(.*?)</pre>', page, re.S)
    assert len(context) == 2
    assert f"{comma_line - 2:4d} | " in context[1] and f"{comma_line + 2:4d} | " in context[1]
    assert f'class="qa-error-line">{comma_line:4d} | ' in context[1]
    uploads = app.config["UPLOADED_QUESTIONNAIRES_DIR"]
    assert not list(__import__("pathlib").Path(uploads).glob("*.yaml"))


def test_the_draft_page_lists_the_differences_from_the_version_in_use(admin):
    url = draft_url(upload(admin, readiness_1_1()))
    page = admin.get(url).text
    assert "Compared with version 1.0.0 in use" in page
    added = re.search(r'id="changes-added">(.*?)</ul>', page, re.S).group(1)
    removed = re.search(r'id="changes-removed">(.*?)</ul>', page, re.S).group(1)
    assert "q99_new_question" in added and "q27_data_quality_ownership" in removed
    reworded = re.search(r'id="changes-reworded">(.*?)</table>', page, re.S).group(1)
    assert "q09_phased_roadmap" in reworded and "a phased roadmap" in reworded
    scoring = re.search(r'id="changes-scoring">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"q01_customer_vision.*?Weight</td><td>1</td><td>2</td>", scoring, re.S)


def test_publish_offers_the_new_version_and_started_audits_keep_theirs(app, admin):
    audit_id = started_audit(app)

    url = draft_url(upload(admin, readiness_1_1()))
    response = post_button(admin, url, url + "/publish")
    assert response.status_code == 302
    assert "Version 1.1.0 of" in admin.get(response.headers["Location"]).text
    with app.app_context():
        assert catalogue().get("crm-readiness").version == "1.1.0"
        kept = audit_service.questionnaire_for(db.session.get(Audit, audit_id))
        assert kept.version == "1.0.0" and kept.question("q27_data_quality_ownership")
        event = db.session.scalar(select(TrailEvent).filter_by(action="questionnaire_published"))
        assert event.details["version"] == "1.1.0"

    again = post_button(admin, url, url + "/publish")  # the same file once more
    assert (
        "This exact file is already the version in use."
        in admin.get(again.headers["Location"]).text
    )
    lower = readiness_1_1().replace('version: "1.1.0"', 'version: "1.0.5"', 1)
    url = draft_url(upload(admin, lower))
    refused = post_button(admin, url, url + "/publish")
    assert "is not higher than the version in use" in admin.get(refused.headers["Location"]).text
    with app.app_context():
        assert catalogue().get("crm-readiness").version == "1.1.0"


def test_a_withdrawn_questionnaire_is_not_offered_for_new_audits(app, admin):
    index = "/admin/questionnaires"
    response = post_button(admin, index, index + "/crm-implementation-risk/withdraw")
    assert response.status_code == 302
    page = admin.get(index).text
    assert "new audits can no longer use it" in page and "Offer again" in page
    with app.app_context():
        assert catalogue().get("crm-implementation-risk") is None
        assert "crm-implementation-risk" not in {q.id for q in catalogue().all()}
    post_button(admin, index, index + "/crm-implementation-risk/offer")
    with app.app_context():
        assert catalogue().get("crm-implementation-risk") is not None


def test_the_preview_shows_the_draft_as_respondents_see_it_with_conditions(admin):
    url = draft_url(upload(admin, readiness_1_1()))
    preview = url + "/preview"
    english = admin.get(preview + "?section=strategy&lang=en")
    assert english.status_code == 200
    assert "Is there a phased roadmap ordered by business priorities?" in english.text
    assert "Save and continue" in english.text
    polish = admin.get(preview + "?section=strategy&lang=pl")
    assert "Czy istnieje plan wdrożenia podzielony na etapy" in polish.text
    assert "Zapisz i dalej" in polish.text and '<html lang="pl">' in polish.text
    q10 = re.search(r'<fieldset[^>]*id="q-q10_pilot_first"[^>]*>', english.text, re.S).group(0)
    assert "hidden disabled" in q10  # until q09 is answered yes or partly

    # Without JavaScript: the section form.
    token = csrf_token(english.text)
    saved = admin.post(
        preview + "?section=strategy&lang=en",
        data={"csrf_token": token, "rev-q09_phased_roadmap": "0", "a-q09_phased_roadmap": "yes"},
    )
    assert saved.status_code == 302
    again = admin.get(preview + "?section=strategy&lang=en").text
    q10 = re.search(r'<fieldset[^>]*id="q-q10_pilot_first"[^>]*>', again, re.S).group(0)
    assert "hidden" not in q10

    # With JavaScript: the autosave answers which questions are visible.
    answer = admin.post(
        url + "/preview/answers/q09_phased_roadmap",
        json={"value": "no"},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 200 and answer.json["ok"]
    assert "q10_pilot_first" not in answer.json["visible"]
    wrong = admin.post(
        url + "/preview/answers/q09_phased_roadmap",
        json={"value": "maybe"},
        headers={"X-CSRFToken": token},
    )
    assert wrong.status_code == 400


def test_nothing_answered_in_a_preview_reaches_the_database(app, admin):
    url = draft_url(upload(admin, readiness_1_1()))
    page = admin.get(url + "/preview?lang=en")
    admin.post(
        url + "/preview/answers/q01_customer_vision",
        json={"value": "2"},
        headers={"X-CSRFToken": csrf_token(page.text)},
    )
    from audit_app.models import Answer

    with app.app_context():
        assert db.session.scalar(select(Answer)) is None
