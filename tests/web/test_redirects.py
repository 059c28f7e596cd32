"""One check for every `next` (issue 14.9): only paths of this site, whatever
characters a browser would drop or reinterpret."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.web.redirects import safe_next
from tests.web.test_register_helpers import login, make_person, token_from, world

BENT = [
    "/\t/evil.example",
    "/\n/x",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " /x",
    "/\x00/evil.example",
    "",
    None,
]


@pytest.mark.parametrize("target", BENT)
def test_bent_targets_fall_back(target):
    assert safe_next(target, "/home") == "/home"


def test_paths_of_this_site_are_kept():
    for target in ("/", "/register/followups?status=open&page=2", "/organisations/5#audits"):
        assert safe_next(target, "/home") == target


@given(st.text(max_size=40))
def test_whatever_comes_in_the_result_is_a_local_path(target):
    result = safe_next(target, "/home")
    assert result == "/home" or (
        result.startswith("/")
        and not result.startswith("//")
        and result.isprintable()
        and "\\" not in result
    )


def _followup(app):
    from datetime import date

    from audit_app.extensions import db
    from audit_app.models import User
    from audit_app.services.register import followups

    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    with app.app_context():
        user = db.session.get(User, ids["con"])
        followup = followups.create(
            user,
            followups.FollowupInput(
                title="Oddzwonić",
                due_on=date(2030, 1, 1),
                assignee_id=ids["con"],
                person_id=person_id,
            ),
        )
        db.session.commit()
        return followup.id


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/\\evil.example"])
def test_followup_status_next_cannot_be_bent(client, app, target):
    followup_id = _followup(app)
    login(client, "con@example.org")
    response = client.post(
        f"/register/followups/{followup_id}/status",
        data={
            "csrf_token": token_from(client, "/register/followups"),
            "status": "done",
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/followups"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example", "/\n/x"])
def test_language_switch_and_login_next_cannot_be_bent(client, app, target):
    world(app)
    login(client, "con@example.org")
    response = client.post(
        "/language", data={"csrf_token": token_from(client, "/"), "language": "en", "next": target}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
