"""The dashboard (issue 19): in-progress audits and actions due of the organisations the
user may see, with their organisations' names, in three queries however many there are."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from audit_app.extensions import db
from audit_app.models import Action, Organisation, User
from audit_app.services import audits as audit_service
from audit_app.services.dashboard import dashboard_for
from audit_app.services.questionnaires import catalogue
from tests.conftest import login, make_user


def started(app, user_id, name, *, with_action=True):
    with app.app_context():
        organisation = Organisation(name=name, type="library", created_by_id=user_id)
        db.session.add(organisation)
        db.session.flush()
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        if with_action:
            due = date.today() + timedelta(days=3)
            db.session.add(Action(audit_id=audit.id, recommendation_id="r", title=f"Plan {name}",
                                  due_date=due))  # fmt: skip
        db.session.commit()
        return audit.id


def test_the_dashboard_shows_only_what_the_user_sees_in_three_queries(client, app):
    mine = make_user(app, "mine@example.org", "consultant")
    theirs = make_user(app, "theirs@example.org", "consultant")
    own = [started(app, mine, f"Biblioteka {n}") for n in range(5)]
    other = started(app, theirs, "Fundacja Obca")

    with app.test_request_context():
        user = db.session.get(User, mine)
        statements: list[str] = []
        engine = db.engine
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            view = dashboard_for(user)
            names = [audit.organisation.name for audit in view.in_progress]
            titles = [action.title for action in view.actions_due]
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 3  # organisations, audits with theirs, actions
    assert sorted(a.id for a in view.in_progress) == sorted(own)
    assert sorted(names) == sorted(f"Biblioteka {n}" for n in range(5))
    assert sorted(titles) == sorted(f"Plan Biblioteka {n}" for n in range(5))

    login(client, "mine@example.org")
    page = client.get("/").text
    assert f'href="/audits/{own[0]}"' in page and "Plan Biblioteka 0" in page
    assert f'href="/audits/{other}"' not in page and "Fundacja Obca" not in page
