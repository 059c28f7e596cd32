"""Every route x every role against one table.

A new route without an entry in ACCESS fails `test_every_route_is_in_the_table`, so no
page can be added without deciding who may see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask, url_for

from audit_app.extensions import db
from audit_app.models import Action, Organisation, OrganisationAccess, User
from audit_app.reporting import archive, sharing
from audit_app.services import audits as audit_service
from audit_app.services import respondents
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

ROLES = ("anonymous", "viewer", "outsider", "consultant", "admin")

# Who may do what; each kind lists the status per role (None: allowed, any answer but
# 401/403/404/5xx; "login": redirected to the login page).
KINDS: dict[str, dict[str, object]] = {
    "public": dict.fromkeys(ROLES),
    "user": {
        "anonymous": "login",
        "viewer": None,
        "outsider": None,
        "consultant": None,
        "admin": None,
    },
    "admin": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 403,
        "consultant": 403,
        "admin": None,
    },
    "editor": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": None,
        "consultant": None,
        "admin": None,
    },
    "org_view": {
        "anonymous": "login",
        "viewer": None,
        "outsider": 404,
        "consultant": None,
        "admin": None,
    },
    "org_edit": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "consultant": None,
        "admin": None,
    },
    "org_admin": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "consultant": 403,
        "admin": None,
    },
}


@dataclass(frozen=True)
class Rule:
    kind: str
    params: tuple[str, ...] = ()  # names of World attributes, in URL order
    query: str = ""


ACCESS: dict[tuple[str, str], Rule] = {
    ("static", "GET"): Rule("public", ("static_file",)),
    ("health.health", "GET"): Rule("public"),
    ("auth.setup", "GET"): Rule("public"),
    ("auth.setup", "POST"): Rule("public"),
    ("auth.login", "GET"): Rule("public"),
    ("auth.login", "POST"): Rule("public"),
    ("auth.language", "POST"): Rule("public"),
    ("auth.logout", "POST"): Rule("user"),
    ("main.dashboard", "GET"): Rule("user"),
    ("admin.users", "GET"): Rule("admin"),
    ("admin.create_user", "GET"): Rule("admin"),
    ("admin.create_user", "POST"): Rule("admin"),
    ("admin.edit_user", "GET"): Rule("admin", ("user_id",)),
    ("admin.edit_user", "POST"): Rule("admin", ("user_id",)),
    ("organisations.index", "GET"): Rule("user"),
    ("organisations.create", "GET"): Rule("editor"),
    ("organisations.create", "POST"): Rule("editor"),
    ("organisations.show", "GET"): Rule("org_view", ("organisation_id",)),
    ("organisations.edit", "GET"): Rule("org_edit", ("organisation_id",)),
    ("organisations.edit", "POST"): Rule("org_edit", ("organisation_id",)),
    ("audits.start", "GET"): Rule("org_edit", ("organisation_id",)),
    ("audits.start", "POST"): Rule("org_edit", ("organisation_id",)),
    ("audits.answer", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audits.save_section", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("audits.save", "POST"): Rule("org_edit", ("open_audit_id", "question_id")),
    ("audits.review", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audits.submit", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("audits.reopen", "POST"): Rule("org_admin", ("submitted_audit_id",)),
    ("results.show", "GET"): Rule("org_view", ("submitted_audit_id",)),
    ("results.create_action", "POST"): Rule("org_edit", ("submitted_audit_id",)),
    ("results.update_action", "POST"): Rule("org_edit", ("action_id",)),
    ("results.history", "GET"): Rule("org_view", ("organisation_id",)),
    ("results.compare", "GET"): Rule("org_view", ("organisation_id",), "compare_query"),
    # Several respondents: the consultant's pages, and the public pages behind a link.
    ("respondents.index", "GET"): Rule("org_view", ("open_audit_id",)),
    ("respondents.remind", "GET"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.exclude_form", "GET"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.invite", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.create_link", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.consultant_role", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.close", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.reopen", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.exclude", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.include", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.revoke", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.revoke_link", "POST"): Rule("org_edit", ("open_audit_id", "link_id")),
    ("respond.show", "GET"): Rule("public", ("respondent_token",)),
    ("respond.done", "GET"): Rule("public", ("respondent_token",)),
    ("respond.save_section", "POST"): Rule("public", ("respondent_token",)),
    ("respond.save", "POST"): Rule("public", ("respondent_token", "question_id")),
    ("respond.start", "POST"): Rule("public", ("link_token",)),
    # PDF reports: the archive for viewers, issuing and sharing for editors, and the
    # read-only share link for anyone holding it.
    ("reports.index", "GET"): Rule("org_view", ("submitted_audit_id",)),
    ("reports.download", "GET"): Rule("org_view", ("report_id",)),
    ("reports.issue", "POST"): Rule("org_edit", ("submitted_audit_id",)),
    ("reports.share", "POST"): Rule("org_edit", ("report_id",)),
    ("reports.revoke", "POST"): Rule("org_edit", ("share_link_id",)),
    ("share.show", "GET"): Rule("public", ("share_token",)),
    ("share.pdf", "GET"): Rule("public", ("share_token",)),
}


@dataclass
class World:
    organisation_id: int
    open_audit_id: int
    submitted_audit_id: int
    earlier_audit_id: int
    action_id: int
    user_id: int
    respondent_id: int
    respondent_token: str
    link_id: int
    link_token: str
    report_id: int
    share_link_id: int
    share_token: str
    question_id: str = "q01_identify_users"
    static_file: str = "app.css"

    @property
    def compare_query(self) -> str:
        return f"a={self.earlier_audit_id}&b={self.submitted_audit_id}"


def build_world(app: Flask) -> World:
    admin_id = make_user(app, "admin@example.org", "admin")
    consultant_id = make_user(app, "consultant@example.org", "consultant")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "outsider@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(
            name="Biblioteka Testowa", type="library", created_by_id=admin_id
        )
        db.session.add(organisation)
        db.session.flush()
        for user_id in (consultant_id, viewer_id):
            db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        library = catalogue().get("library-crm-audit")
        consultant = db.session.get(User, consultant_id)
        submitted = []
        for level in ("1", "3"):
            audit = audit_service.start_audit(organisation, library, consultant)
            for question in library.questions:
                audit_service.save_answer(audit, question.id, value=level, user=consultant)
            audit_service.submit(audit, consultant)
            submitted.append(audit)
        open_audit = audit_service.start_audit(organisation, library, consultant)
        action = Action(audit_id=submitted[1].id, recommendation_id="x", title="Do it")
        db.session.add(action)
        respondent = respondents.invite(open_audit, role="frontline_staff", user=consultant)
        link = respondents.create_link(open_audit, role="leadership", user=consultant)
        report = archive.issue(submitted[1], "brief", "en", user=consultant)
        share_link, share_token = sharing.create_link(report, 7, consultant)
        db.session.commit()
        return World(
            organisation.id,
            open_audit.id,
            submitted[1].id,
            submitted[0].id,
            action.id,
            viewer_id,
            respondent.id,
            respondents.token_for(respondent),
            link.id,
            respondents.token_for(link),
            report.id,
            share_link.id,
            share_token,
        )


def url_for_rule(app: Flask, endpoint: str, rule: Rule, world: World) -> str:
    """The URL of `endpoint` with its arguments, in order, taken from the world."""
    flask_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    names = re.findall(r"<(?:\w+:)?(\w+)>", flask_rule.rule)
    values = {name: getattr(world, param) for name, param in zip(names, rule.params, strict=True)}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    return f"{url}?{getattr(world, rule.query)}" if rule.query else url


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - set(ACCESS))
    assert missing == [], f"routes without an access rule: {missing}"
    stale = sorted(set(ACCESS) - routes)
    assert stale == [], f"access rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, clean_db, role):
    world = build_world(app)
    client = app.test_client()
    if role != "anonymous":
        login(client, f"{role}@example.org")
    token = csrf_token(client.get("/login" if role == "anonymous" else "/").text)
    wrong = []
    for (endpoint, method), rule in sorted(ACCESS.items()):
        url = url_for_rule(app, endpoint, rule, world)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        expected = KINDS[rule.kind][role]
        if expected == "login":
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        elif expected is None:
            ok = response.status_code not in (401, 403, 404) and response.status_code < 500
        else:
            ok = response.status_code == expected
        response.close()
        if not ok:
            wrong.append(
                f"{method} {url} ({endpoint}): {response.status_code}, expected {expected}"
            )
        if endpoint == "auth.logout" and role != "anonymous":
            login(client, f"{role}@example.org")
            token = csrf_token(client.get("/").text)
    assert wrong == []
