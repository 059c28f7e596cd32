"""Deleting organisations and audits (issue 15, item 7): administrators delete both, a
consultant an audit in progress that they started; a confirmation page comes first; the
deleted records vanish from lists, search, dashboard, history, API and respondent links,
direct URLs answer 404; an administrator restores them from "Deleted items" within 30
days; `audit-app purge-deleted` removes them for good after that; the trail has it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from audit_app.extensions import db
from audit_app.models import Answer, Audit, Organisation, OrganisationAccess, TrailEvent, User
from audit_app.models.live import INCLUDE_DELETED
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user
from tests.web.test_api import bearer, make_token
from tests.web.test_confirmations import confirmation
from tests.web.test_register_helpers import make_person
from tests.web.test_respondents import new_browser, shared_link

LIBRARY = "library-crm-audit"


@pytest.fixture
def world(app, client):
    """Two libraries shared with the consultant: the one to delete has a submitted audit
    (by the consultant), an audit in progress by the consultant and one by a colleague,
    and a person in the register."""
    ids = {
        "admin": make_user(app, "admin@example.org", "admin"),
        "consultant": make_user(app, "con@example.org", "consultant"),
        "colleague": make_user(app, "colleague@example.org", "consultant"),
    }
    with app.app_context():
        library = catalogue().get(LIBRARY)
        doomed = Organisation(name="Biblioteka Pomyłkowa", type="library")
        kept = Organisation(name="Biblioteka Zostaje", type="library")
        db.session.add_all([doomed, kept])
        db.session.flush()
        for organisation in (doomed, kept):
            for user_id in (ids["consultant"], ids["colleague"]):
                db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        consultant = db.session.get(User, ids["consultant"])
        colleague = db.session.get(User, ids["colleague"])
        submitted = audit_service.start_audit(doomed, library, consultant)
        for question in library.questions:
            audit_service.save_answer(submitted, question.id, value="3", user=consultant)
        audit_service.submit(submitted, consultant)
        mine = audit_service.start_audit(doomed, library, consultant)
        theirs = audit_service.start_audit(doomed, library, colleague)
        kept_audit = audit_service.start_audit(kept, library, consultant)
        db.session.commit()
        ids.update(
            doomed=doomed.id,
            kept=kept.id,
            submitted=submitted.id,
            mine=mine.id,
            theirs=theirs.id,
            kept_audit=kept_audit.id,
        )
    make_person(app, ids["consultant"], "Ala", "Pomyłkowa", organisation_id=ids["doomed"])
    return ids


def _as(app, email):
    browser = app.test_client()
    login(browser, email)
    return browser


def _trail(app, action):
    with app.app_context():
        return [
            (e.user_id, e.object_type, e.object_id)
            for e in db.session.scalars(select(TrailEvent).filter_by(action=action))
        ]


def _delete(browser, url, *, button, cancel):
    page = confirmation(browser, url, button=button, cancel=cancel)
    done = browser.post(url, data={"csrf_token": csrf_token(page)})
    browser.get(done.location)  # shows (and so clears) the message naming the record
    return done


def test_an_administrator_deletes_an_organisation_and_it_is_hidden_everywhere(app, world):
    consultant = _as(app, "con@example.org")
    link = shared_link(consultant, world["mine"], "frontline_staff")
    assert new_browser(app).get(link).status_code == 200
    api = bearer(make_token(app, world["consultant"]))
    admin = _as(app, "admin@example.org")
    show = admin.get(f"/organisations/{world['doomed']}").text
    url = f"/organisations/{world['doomed']}/delete"
    assert f'href="{url}"' in show
    assert f'href="{url}"' not in consultant.get(f"/organisations/{world['doomed']}").text

    done = _delete(
        admin, url, button="Delete organisation", cancel=f"/organisations/{world['doomed']}"
    )
    assert done.status_code == 302 and done.location.endswith("/organisations")

    for browser in (admin, consultant):
        assert "Pomyłkowa" not in browser.get("/organisations").text
        assert "Pomyłkowa" not in browser.get("/organisations?q=pomylkowa").text
        assert "Pomyłkowa" not in browser.get("/").text
        assert "Pomyłkowa" not in browser.get("/register/organisations").text
        assert browser.get(f"/organisations/{world['doomed']}").status_code == 404
        for audit in ("submitted", "mine", "theirs"):
            assert browser.get(f"/audits/{world[audit]}/answer").status_code == 404
        assert browser.get(f"/audits/{world['submitted']}/results").status_code == 404
        assert browser.get(f"/organisations/{world['doomed']}/history").status_code == 404
    assert "Zostaje" in consultant.get("/organisations").text
    listing = consultant.get("/api/v1/organisations", headers=api).json
    assert world["doomed"] not in [o["id"] for o in listing["items"]]
    assert (
        consultant.get(f"/api/v1/organisations/{world['doomed']}", headers=api).status_code == 404
    )
    assert consultant.get(f"/api/v1/audits/{world['mine']}", headers=api).status_code == 404
    assert new_browser(app).get(link).status_code == 404  # the respondents' link is dead
    cli = app.test_cli_runner().invoke(args=["audits", "list"])
    assert cli.exit_code == 0 and "Pomyłkowa" not in cli.output
    with app.app_context():
        assert db.session.get(Organisation, world["doomed"]) is None
        assert db.session.scalar(select(Audit).filter_by(id=world["mine"])) is None
        # ... but the rows are all still there.
        kept = db.session.get(Organisation, world["doomed"], execution_options=INCLUDE_DELETED)
        assert kept is not None and kept.deleted_by_id == world["admin"]
    assert _trail(app, "organisation_deleted") == [
        (world["admin"], "organisation", world["doomed"])
    ]


def test_restoring_brings_everything_back(app, world):
    admin = _as(app, "admin@example.org")
    _delete(
        admin,
        f"/organisations/{world['doomed']}/delete",
        button="Delete organisation",
        cancel=f"/organisations/{world['doomed']}",
    )
    deleted = admin.get("/admin/deleted").text
    url = f"/admin/deleted/organisations/{world['doomed']}/restore"
    assert "Biblioteka Pomyłkowa" in deleted and f'href="{url}"' in deleted
    consultant = _as(app, "con@example.org")
    assert consultant.get("/admin/deleted").status_code == 403
    assert consultant.get(url).status_code == 403

    done = _delete(admin, url, button="Restore", cancel="/admin/deleted")
    assert done.status_code == 302
    assert "Biblioteka Pomyłkowa" not in admin.get("/admin/deleted").text
    assert "Biblioteka Pomyłkowa" in consultant.get("/organisations").text
    assert consultant.get(f"/audits/{world['submitted']}/results").status_code == 200
    assert admin.get(url).status_code == 404  # nothing left to restore
    assert _trail(app, "organisation_restored") == [
        (world["admin"], "organisation", world["doomed"])
    ]


def test_a_consultant_deletes_only_an_audit_in_progress_they_started(app, world):
    consultant = _as(app, "con@example.org")
    show = consultant.get(f"/organisations/{world['doomed']}").text
    assert f'href="/audits/{world["mine"]}/delete"' in show
    assert f'href="/audits/{world["theirs"]}/delete"' not in show
    assert f'href="/audits/{world["submitted"]}/delete"' not in show
    token = csrf_token(show)
    for other in ("theirs", "submitted"):
        assert consultant.get(f"/audits/{world[other]}/delete").status_code == 403
        refused = consultant.post(f"/audits/{world[other]}/delete", data={"csrf_token": token})
        assert refused.status_code == 403
    assert (
        consultant.post(
            f"/organisations/{world['doomed']}/delete", data={"csrf_token": token}
        ).status_code
        == 403
    )

    back = f"/organisations/{world['doomed']}"
    done = _delete(
        consultant, f"/audits/{world['mine']}/delete", button="Delete audit", cancel=back
    )
    assert done.status_code == 302 and done.location.endswith(back)
    assert f"/audits/{world['mine']}/" not in consultant.get(back).text
    assert consultant.get(f"/audits/{world['mine']}/answer").status_code == 404
    assert consultant.get(f"/audits/{world['submitted']}/results").status_code == 200
    api = bearer(make_token(app, world["consultant"]))
    audits = consultant.get(f"/api/v1/organisations/{world['doomed']}/audits", headers=api).json
    assert world["mine"] not in [a["id"] for a in audits["items"]]
    assert _trail(app, "audit_deleted") == [(world["consultant"], "audit", world["mine"])]

    # An administrator may delete a submitted audit, and it leaves history too.
    admin = _as(app, "admin@example.org")
    _delete(admin, f"/audits/{world['submitted']}/delete", button="Delete audit", cancel=back)
    assert f"/audits/{world['submitted']}/results" not in admin.get(f"{back}/history").text
    deleted = admin.get("/admin/deleted").text
    assert f"/admin/deleted/audits/{world['mine']}/restore" in deleted
    assert f"/admin/deleted/audits/{world['submitted']}/restore" in deleted


def test_purge_removes_for_good_only_what_was_deleted_over_30_days_ago(app, world):
    admin = _as(app, "admin@example.org")
    _delete(
        admin,
        f"/organisations/{world['doomed']}/delete",
        button="Delete organisation",
        cancel=f"/organisations/{world['doomed']}",
    )
    back = f"/organisations/{world['kept']}"
    _delete(admin, f"/audits/{world['kept_audit']}/delete", button="Delete audit", cancel=back)
    with app.app_context():
        now = datetime.now(UTC)
        db.session.execute(
            update(Organisation)
            .where(Organisation.id == world["doomed"])
            .values(deleted_at=now - timedelta(days=31))
            .execution_options(**INCLUDE_DELETED)
        )
        db.session.execute(
            update(Audit)
            .where(Audit.id == world["kept_audit"])
            .values(deleted_at=now - timedelta(days=29))
            .execution_options(**INCLUDE_DELETED)
        )
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge-deleted"])
    assert result.exit_code == 0, result.output
    assert "1 organisation(s) and 3 audit(s)" in result.output
    with app.app_context():
        every = select(Organisation.id).execution_options(**INCLUDE_DELETED)
        assert world["doomed"] not in db.session.scalars(every).all()
        audits = db.session.scalars(select(Audit.id).execution_options(**INCLUDE_DELETED)).all()
        assert sorted(audits) == [world["kept_audit"]]  # 29 days: still recoverable
        orphans = select(Answer).where(Answer.audit_id.in_([world["submitted"]]))
        assert db.session.scalars(orphans).all() == []
    assert (
        f"/admin/deleted/audits/{world['kept_audit']}/restore" in admin.get("/admin/deleted").text
    )
    assert _trail(app, "deleted_items_purged") == [(None, "system", None)]
