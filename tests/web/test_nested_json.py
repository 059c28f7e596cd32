"""A JSON body nested deeper than the parser can follow (issue 14.6) is a bad request
(400 with the endpoint's documented error body), never a server error."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.web.test_api import bearer, make_token
from tests.web.test_respondents import consultant, invite, new_browser  # noqa: F401

DEPTHS = [100_000, 2_000]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", DEPTHS)
def test_api_answers_400_with_the_error_body(app, client, consultant, depth):  # noqa: F811
    secret = make_token(app, consultant["user_id"])
    for body in (_nested(depth), '{"name": ' + _nested(depth) + "}"):
        response = client.post(
            "/api/v1/organisations",
            data=body,
            headers={**bearer(secret), "Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert response.json["code"] == "bad_request" and response.json["error"]


@pytest.mark.parametrize("depth", DEPTHS)
def test_audit_autosave_answers_400(app, client, consultant, depth):  # noqa: F811
    audit_id = consultant["audit_id"]
    token = csrf_token(client.get(f"/audits/{audit_id}").text)
    response = client.post(
        f"/audits/{audit_id}/answers/q01_identify_users",
        data='{"value": ' + _nested(depth) + "}",
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["ok"] is False and response.json["code"] == "bad_request"


@pytest.mark.parametrize("depth", DEPTHS)
def test_respondent_autosave_answers_400(app, client, consultant, depth):  # noqa: F811
    path = invite(client, consultant["audit_id"], "leadership")
    visitor = new_browser(app)
    token = csrf_token(visitor.get(path).text)
    response = visitor.post(
        f"{path}/answers/q01_identify_users",
        data='{"value": ' + '{"a": ' * depth + "1" + "}" * depth + "}",
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["ok"] is False and response.json["code"] == "bad_request"
