"""The JSON API over HTTP: bearer tokens, organisations, questionnaires, audits (start,
answer with conflicts, submit, results), errors and paging, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    Answer,
    ApiToken,
    Audit,
    Organisation,
    OrganisationAccess,
    TrailEvent,
    User,
)
from audit_app.services import api_tokens
from tests.conftest import login, make_user

ANSWERS = Path(__file__).resolve().parent.parent / "fixtures" / "answers" / "library.yaml"
LIBRARY = "library-crm-audit"


def make_token(app, user_id: int, name: str = "script") -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        _token, secret = api_tokens.create(user, name)
        db.session.commit()
        return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """A test client that sends the token with every request."""

    def __init__(self, client, secret: str) -> None:
        self.client = client
        self.headers = bearer(secret)

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(path, headers=self.headers, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.client.put(path, headers=self.headers, json=json, **kwargs)


def library_answers() -> dict[str, object]:
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    return {key: (value if isinstance(value, str) else str(value)) for key, value in data.items()}


def answer_all(api: Api, audit_id: int) -> None:
    for question_id, value in library_answers().items():
        response = api.put(f"/api/v1/audits/{audit_id}/answers/{question_id}", {"value": value})
        assert response.status_code == 200, (question_id, response.json)


@pytest.fixture
def people(app, client):
    """An admin, two consultants and a viewer, each with a token."""
    ids = {
        "admin": make_user(app, "admin@example.org", "admin"),
        "consultant": make_user(app, "konsultant@example.org", "consultant"),
        "other": make_user(app, "other@example.org", "consultant"),
        "viewer": make_user(app, "viewer@example.org", "viewer", language="pl"),
    }
    return {role: (user_id, make_token(app, user_id)) for role, user_id in ids.items()}


def api_for(client, people, role: str) -> Api:
    return Api(client, people[role][1])


@pytest.fixture
def organisation(app, client, people):
    """A library created by the consultant through the API and shared with the viewer."""
    response = api_for(client, people, "consultant").post(
        "/api/v1/organisations", {"name": "Biblioteka Publiczna w Lesznie", "type": "library"}
    )
    assert response.status_code == 201, response.json
    organisation_id = response.json["id"]
    with app.app_context():
        db.session.add(
            OrganisationAccess(organisation_id=organisation_id, user_id=people["viewer"][0])
        )
        db.session.commit()
    return organisation_id


def start(api: Api, organisation_id: int, questionnaire: str = LIBRARY):
    return api.post(
        f"/api/v1/organisations/{organisation_id}/audits", {"questionnaire_id": questionnaire}
    )


# --------------------------------------------------------------------------- authentication


def test_openapi_document_is_public_and_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    paths = spec["paths"]
    for path, method in [
        ("/organisations", "get"),
        ("/organisations", "post"),
        ("/organisations/{organisation_id}", "get"),
        ("/organisations/{organisation_id}/audits", "get"),
        ("/organisations/{organisation_id}/audits", "post"),
        ("/questionnaires", "get"),
        ("/questionnaires/{questionnaire_id}", "get"),
        ("/audits/{audit_id}", "get"),
        ("/audits/{audit_id}/answers/{question_id}", "put"),
        ("/audits/{audit_id}/submit", "post"),
        ("/audits/{audit_id}/results", "get"),
        ("/audits/{audit_id}/reports", "post"),
        ("/reports/{request_id}", "get"),
        ("/reports/{request_id}/pdf", "get"),
    ]:
        assert method in paths[path], (path, method)


def test_requests_without_a_valid_token_are_401_json(client, people):
    for header in [
        None,
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer rat_not-a-real-token",
        "Token x",
        f"Bearer {people['admin'][1]}x",
    ]:
        headers = {"Authorization": header} if header is not None else {}
        response = client.get("/api/v1/organisations", headers=headers)
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json) == {"error", "code", "details"}
        assert response.json["code"] in ("missing_token", "invalid_token")


def test_a_web_session_does_not_authenticate_the_api(client, people):
    login(client, "konsultant@example.org")
    assert client.get("/api/v1/organisations").status_code == 401


def test_revoked_tokens_and_deactivated_accounts_stop_working(app, client, people):
    user_id, secret = people["consultant"]
    api = Api(client, secret)
    assert api.get("/api/v1/organisations").status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).filter_by(user_id=user_id))
        assert token.last_used_at is not None
        api_tokens.revoke(db.session.get(User, user_id), token)
        db.session.commit()
    response = api.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json["code"] == "invalid_token"

    other_id, other_secret = people["other"]
    with app.app_context():
        db.session.get(User, other_id).active = False
        db.session.commit()
    assert Api(client, other_secret).get("/api/v1/organisations").status_code == 401


def test_only_the_hash_of_a_token_is_stored(app, people):
    _user_id, secret = people["consultant"]
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).all()
        assert all(secret not in (t.token_hash, t.prefix) for t in stored)
        assert any(t.token_hash == api_tokens.hash_secret(secret) for t in stored)


def test_errors_speak_the_token_users_language(client, people):
    response = api_for(client, people, "viewer").get("/api/v1/organisations/999")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"
    # Polish once the fragments are compiled into the catalogue (scripts/translations.py).
    assert response.json["error"] in (
        "Nie znaleziono albo nie udostępniono.",
        "Not found, or not shared with you.",
    )


# --------------------------------------------------------------------------- organisations


def test_consultant_creates_an_organisation_without_csrf(app, client, people):
    api = api_for(client, people, "consultant")
    response = api.post(
        "/api/v1/organisations",
        {"name": "  Gminna Biblioteka w Kórniku ", "type": "library", "size": "small"},
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["name"] == "Gminna Biblioteka w Kórniku"
    assert body["can_edit"] is True
    assert response.headers["Location"] == f"/api/v1/organisations/{body['id']}"
    with app.app_context():
        organisation = db.session.get(Organisation, body["id"])
        assert organisation.created_by_id == people["consultant"][0]
        access = db.session.scalar(select(OrganisationAccess).filter_by(organisation_id=body["id"]))
        assert access.user_id == people["consultant"][0]
        event = db.session.scalar(
            select(TrailEvent).filter_by(object_type="organisation", object_id=body["id"])
        )
        assert event.action == "create"


def test_invalid_organisations_are_422_and_unreadable_bodies_400(app, client, people):
    api = api_for(client, people, "consultant")
    for payload, code in [
        ({"type": "library"}, "field_required"),
        ({"name": "   "}, "name_required"),
        ({"name": "X", "type": "castle"}, "unknown_type"),
        ({"name": "X", "size": "huge"}, "unknown_size"),
        ({"name": 12}, "wrong_type"),
        ({"name": "X" * 301}, "too_long"),
        ({"name": "Nul\u0000byte"}, "invalid_text"),
        ({"name": "X", "allow_duplicate": "yes"}, "wrong_type"),
    ]:
        response = api.post("/api/v1/organisations", payload)
        assert response.status_code == 422, (payload, response.json)
        assert response.json["code"] == code, payload
    for body in [b"", b"not json", b"[1, 2]", b'"text"', b"{"]:
        response = client.post(
            "/api/v1/organisations",
            data=body,
            headers={**api.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, body
        assert response.json["code"] == "bad_request"
    with app.app_context():
        assert db.session.scalar(select(Organisation)) is None


def test_viewers_may_not_create_organisations(app, client, people):
    response = api_for(client, people, "viewer").post("/api/v1/organisations", {"name": "X"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Organisation)) is None


def test_duplicate_names_need_allow_duplicate(client, people, organisation):
    api = api_for(client, people, "consultant")
    response = api.post("/api/v1/organisations", {"name": "biblioteka publiczna w LESZNIE"})
    assert response.status_code == 409
    assert response.json["code"] == "duplicate_name"
    assert response.json["details"]["duplicates"] == [organisation]
    response = api.post(
        "/api/v1/organisations",
        {"name": "biblioteka publiczna w LESZNIE", "allow_duplicate": True},
    )
    assert response.status_code == 201
    # Another consultant learns nothing of the two they cannot see (issue 14.8).
    response = api_for(client, people, "other").post(
        "/api/v1/organisations", {"name": "Biblioteka Publiczna w Lesznie"}
    )
    assert response.status_code == 201 and "hidden" not in response.json


def test_organisations_are_listed_as_the_user_may_see_them(client, people, organisation):
    consultant = api_for(client, people, "consultant")
    listed = consultant.get("/api/v1/organisations").json
    assert [o["id"] for o in listed["items"]] == [organisation]
    assert listed["items"][0]["audit_count"] == 0
    assert api_for(client, people, "other").get("/api/v1/organisations").json["items"] == []
    viewer = api_for(client, people, "viewer").get(f"/api/v1/organisations/{organisation}")
    assert viewer.status_code == 200
    assert viewer.json["can_edit"] is False
    hidden = api_for(client, people, "other").get(f"/api/v1/organisations/{organisation}")
    assert hidden.status_code == 404
    assert api_for(client, people, "admin").get("/api/v1/organisations").json["total"] == 1


def test_lists_page_with_limit_offset_and_a_next_link(client, people):
    api = api_for(client, people, "consultant")
    names = [f"Biblioteka {letter}" for letter in "ABCDEFG"]
    for name in names:
        assert api.post("/api/v1/organisations", {"name": name}).status_code == 201
    first = api.get("/api/v1/organisations?limit=3").json
    assert [o["name"] for o in first["items"]] == names[:3]
    assert first["total"] == 7
    assert first["next"] == "/api/v1/organisations?limit=3&offset=3"
    second = api.get(first["next"]).json
    assert [o["name"] for o in second["items"]] == names[3:6]
    third = api.get(second["next"]).json
    assert [o["name"] for o in third["items"]] == names[6:]
    assert third["next"] is None
    # An offset between pages works too, and filters stay in the next link.
    odd = api.get("/api/v1/organisations?limit=2&offset=3&q=bibl").json
    assert [o["name"] for o in odd["items"]] == names[3:5]
    assert odd["next"] == "/api/v1/organisations?limit=2&offset=5&q=bibl"


def test_bad_parameters_are_400_and_out_of_range_ids_404(client, people):
    api = api_for(client, people, "admin")
    for query in ["limit=0", "limit=101", "limit=x", "offset=-1", "offset=1e3", "type=castle"]:
        response = api.get(f"/api/v1/organisations?{query}")
        assert response.status_code == 400, query
        assert response.json["code"] == "invalid_parameter"
        assert response.json["details"]["parameter"] == query.split("=")[0]
    for path in [
        "/api/v1/organisations/0",
        "/api/v1/organisations/99999999999999999999",
        "/api/v1/audits/2147483648",
        "/api/v1/reports/0",
    ]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json["code"] == "not_found"


def test_unknown_paths_and_methods_are_json(client, people):
    api = api_for(client, people, "admin")
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"
    response = client.delete("/api/v1/organisations", headers=api.headers)
    assert response.status_code == 405
    assert response.json["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST"}


# --------------------------------------------------------------------------- questionnaires


def test_questionnaires_are_listed_and_shown(client, people):
    api = api_for(client, people, "viewer")
    listed = api.get("/api/v1/questionnaires").json
    ids = [q["id"] for q in listed["items"]]
    assert LIBRARY in ids
    assert listed["total"] == len(ids)
    shown = api.get(f"/api/v1/questionnaires/{LIBRARY}").json
    first = shown["sections"][0]["questions"][0]
    assert first["id"] == "q01_identify_users"
    assert first["type"] == "scale"
    assert [o["value"] for o in first["options"]][:2] == ["0", "1"]
    assert first["text"]["pl"] and first["text"]["en"]
    assert api.get("/api/v1/questionnaires/no-such-thing").status_code == 404


# --------------------------------------------------------------------------- audits


def test_start_answer_submit_and_read_results(app, client, people, organisation):
    api = api_for(client, people, "consultant")
    response = start(api, organisation)
    assert response.status_code == 201, response.json
    audit = response.json
    assert audit["status"] == "in_progress"
    assert audit["questionnaire"]["id"] == LIBRARY
    assert audit["progress"]["answered"] == 0
    assert response.headers["Location"] == f"/api/v1/audits/{audit['id']}"
    audit_id = audit["id"]

    # Submitting early names what is missing.
    response = api.post(f"/api/v1/audits/{audit_id}/submit")
    assert response.status_code == 409
    assert response.json["code"] == "missing_answers"
    assert "q01_identify_users" in response.json["details"]["missing"]

    answer_all(api, audit_id)
    shown = api.get(f"/api/v1/audits/{audit_id}").json
    assert shown["answers"]["q01_identify_users"]["value"] == "2"
    assert shown["missing_questions"] == []
    live = api.get(f"/api/v1/audits/{audit_id}/results").json
    assert live["frozen"] is False

    response = api.post(f"/api/v1/audits/{audit_id}/submit")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "submitted"
    assert response.json["overall"] is not None

    results = api.get(f"/api/v1/audits/{audit_id}/results").json
    assert results["frozen"] is True
    assert results["overall"] == response.json["overall"]
    with app.app_context():
        stored = db.session.get(Audit, audit_id)
        assert results["result"] == stored.result
    assert results["recommendations"]
    assert {"id", "text", "category", "priority"} <= set(results["recommendations"][0])

    # Once submitted: no more answers, no second submission.
    again = api.post(f"/api/v1/audits/{audit_id}/submit")
    assert again.status_code == 409
    assert again.json["code"] == "already_submitted"
    locked = api.put(f"/api/v1/audits/{audit_id}/answers/q01_identify_users", {"value": "3"})
    assert locked.status_code == 409
    assert locked.json["code"] == "audit_locked"

    listed = api.get(f"/api/v1/organisations/{organisation}/audits").json
    assert [a["id"] for a in listed["items"]] == [audit_id]
    assert listed["items"][0]["status"] == "submitted"
    viewer = api_for(client, people, "viewer")
    assert viewer.get(f"/api/v1/audits/{audit_id}/results").status_code == 200


def test_saving_an_answer_follows_the_webs_conflict_rule(app, client, people, organisation):
    api = api_for(client, people, "consultant")
    audit_id = start(api, organisation).json["id"]
    url = f"/api/v1/audits/{audit_id}/answers/q01_identify_users"
    first = api.put(url, {"value": "2", "note": "Ankieta z 2025", "base_revision": 0})
    assert first.status_code == 200, first.json
    assert first.json["answer"]["revision"] == 1
    assert first.json["changed"] is True
    assert first.json["progress"]["answered"] == 1

    # Someone else (the admin) saves on top of revision 1.
    admin = api_for(client, people, "admin")
    second = admin.put(url, {"value": "3", "base_revision": 1})
    assert second.json["answer"]["revision"] == 2

    # The consultant, still on revision 1, is told and shown the stored answer.
    conflict = api.put(url, {"value": "4", "base_revision": 1})
    assert conflict.status_code == 409
    assert conflict.json["code"] == "conflict"
    assert conflict.json["details"]["current"]["value"] == "3"
    assert conflict.json["details"]["current"]["revision"] == 2
    with app.app_context():
        answer = db.session.scalar(select(Answer).filter_by(audit_id=audit_id))
        assert (answer.value, answer.revision, answer.note) == ("3", 2, "Ankieta z 2025")

    # Saving again based on what they were shown wins; the same value changes nothing.
    assert api.put(url, {"value": "4", "base_revision": 2}).json["answer"]["revision"] == 3
    same = api.put(url, {"value": "4", "base_revision": 3})
    assert same.json["changed"] is False
    cleared = api.put(url, {"value": None})
    assert cleared.json["answer"]["value"] is None


def test_invalid_answers_are_refused(app, client, people, organisation):
    api = api_for(client, people, "consultant")
    audit_id = start(api, organisation).json["id"]
    for question, payload, status, code in [
        ("q01_identify_users", {"value": "9"}, 422, "unknown_option"),
        ("q01_identify_users", {"value": 2}, 422, "wrong_type"),
        ("q01_identify_users", {"value": ["2"]}, 422, "wrong_type"),
        ("q01_identify_users", {"value": {"a": 1}}, 422, "wrong_type"),
        ("q01_identify_users", {"note": "no value"}, 422, "field_required"),
        ("q01_identify_users", {"value": "2", "note": 5}, 422, "wrong_type"),
        ("q01_identify_users", {"value": "2", "base_revision": "1"}, 422, "wrong_type"),
        ("q01_identify_users", {"value": "2", "note": "x" * 20_001}, 422, "too_long"),
        ("q01_identify_users", {"value": "\ud800"}, 422, "invalid_text"),
        ("q01_identify_users", {"value": "2", "note": "a\u0000b"}, 422, "invalid_text"),
        ("no_such_question", {"value": "2"}, 404, "not_found"),
    ]:
        response = api.put(f"/api/v1/audits/{audit_id}/answers/{question}", payload)
        assert response.status_code == status, (payload, response.json)
        assert response.json["code"] == code, payload
    with app.app_context():
        assert db.session.scalar(select(Answer).filter_by(audit_id=audit_id)) is None


def test_viewers_read_but_never_change_audits(client, people, organisation):
    audit_id = start(api_for(client, people, "consultant"), organisation).json["id"]
    viewer = api_for(client, people, "viewer")
    assert viewer.get(f"/api/v1/audits/{audit_id}").json["can_edit"] is False
    assert start(viewer, organisation).status_code == 403
    put = viewer.put(f"/api/v1/audits/{audit_id}/answers/q01_identify_users", {"value": "2"})
    assert put.status_code == 403
    assert viewer.post(f"/api/v1/audits/{audit_id}/submit").status_code == 403
    # A consultant the organisation is not shared with does not see it at all.
    other = api_for(client, people, "other")
    assert other.get(f"/api/v1/audits/{audit_id}").status_code == 404
    assert start(other, organisation).status_code == 404


def test_starting_with_an_unknown_questionnaire_is_422(client, people, organisation):
    response = start(api_for(client, people, "consultant"), organisation, "no-such-thing")
    assert response.status_code == 422
    assert response.json["code"] == "unknown_questionnaire"


def test_tokens_record_when_they_were_last_used(app, client, people):
    user_id, secret = people["viewer"]
    before = datetime.now(UTC)
    Api(client, secret).get("/api/v1/questionnaires")
    with app.app_context():
        token = db.session.scalar(select(ApiToken).filter_by(user_id=user_id))
        used = token.last_used_at
        if used.tzinfo is None:
            used = used.replace(tzinfo=UTC)
        assert used >= before.replace(microsecond=0)
