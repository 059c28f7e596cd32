"""Contact register: duplicate finder, merging people and organisations, GDPR export
and erasure."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import (
    Audit,
    ChangeLog,
    Consent,
    Followup,
    Interaction,
    Membership,
    Organisation,
    OrganisationAccess,
    Person,
    PersonEmail,
    QuestionnaireVersion,
    TrailEvent,
    User,
)
from audit_app.services.register import consents, followups
from tests.web.test_register_helpers import (
    log_interaction,
    login,
    make_org,
    make_person,
    relogin,
    token_from,
    world,
)


def add_consent(app, user_id, person_id, status="granted"):
    with app.app_context():
        consents.record(
            db.session.get(User, user_id),
            db.session.get(Person, person_id),
            consents.ConsentInput("newsletter", "consent", "website", status),
        )
        db.session.commit()


def add_followup(app, user_id, person_id, title):
    from datetime import date

    with app.app_context():
        followups.create(
            db.session.get(User, user_id),
            followups.FollowupInput(title=title, due_on=date(2026, 5, 1), person_id=person_id),
        )
        db.session.commit()


def test_duplicate_finder_lists_people_and_organisations(client, app):
    ids = world(app)
    make_person(
        app, ids["con"], "Jan", "Kowalski", emails=["jan@example.org"], organisation_id=ids["org_a"]
    )
    make_person(app, ids["con"], "KOWALSKI", "jan", organisation_id=ids["org_a"])
    make_person(
        app, ids["con"], "Janek", "K.", emails=["JAN@example.org"], organisation_id=ids["org_a"]
    )
    make_person(app, ids["other"], "Jan", "Kowalski", organisation_id=ids["org_b"])  # hidden
    make_org(app, "Biblioteka  Miejska w Lodzi!", created_by=ids["con"], shared_with=[ids["con"]])
    login(client, "con@example.org")
    page = client.get("/register/duplicates").text
    assert "Same e-mail: jan@example.org" in page
    assert "Same name: jan kowalski" in page
    assert page.count("Compare and merge") == 2
    orgs = client.get("/register/duplicates?kind=organisations").text
    assert "Same name: biblioteka miejska w lodzi" in orgs
    assert "Other Company" not in orgs


def test_merge_people_repoints_everything_and_logs(client, app):
    ids = world(app)
    keep = make_person(
        app,
        ids["con"],
        "Jan",
        "Kowalski",
        emails=["jan@example.org"],
        organisation_id=ids["org_a"],
        tags=["VIP"],
        job_title="Kierownik",
    )
    drop = make_person(
        app,
        ids["con"],
        "Jan",
        "Kowalsky",
        emails=["jan.k@gmail.com", "JAN@example.org"],
        phones=["600100200"],
        organisation_id=ids["org_a"],
        tags=["prasa"],
        notes="Lubi kawę",
    )
    shared = log_interaction(app, ids["con"], [keep, drop], subject="Wspólne")
    log_interaction(app, ids["con"], [drop], subject="Tylko drugi")
    add_consent(app, ids["con"], drop)
    add_followup(app, ids["con"], drop, "Oddzwonić")
    login(client, "con@example.org")
    url = f"/register/merge/people?a={keep}&b={drop}"
    page = client.get(url)
    assert page.status_code == 200 and "Kowalsky" in page.text and "Lubi kawę" in page.text
    token = token_from(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "keep": "a",
            "pick-last_name": "a",
            "pick-notes": "b",
            "pick-job_title": "a",
        },
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.get(Person, drop) is None
        person = db.session.get(Person, keep)
        assert (person.last_name, person.notes, person.job_title) == (
            "Kowalski",
            "Lubi kawę",
            "Kierownik",
        )
        assert sorted(e.email for e in person.emails) == ["jan.k@gmail.com", "jan@example.org"]
        assert person.emails[0].email == "jan@example.org"  # A's primary stays primary
        assert [p.phone for p in person.phones] == ["600100200"]
        assert sorted(t.name for t in person.tags) == ["VIP", "prasa"]
        assert len(person.memberships) == 1  # the same organisation twice becomes once
        assert person.interaction_count == 2
        shared_row = db.session.get(Interaction, shared)
        assert [p.id for p in shared_row.participants] == [keep]
        assert db.session.scalar(select(Consent.person_id)) == keep
        assert db.session.scalar(select(Followup.person_id)) == keep
        merge_entry = db.session.scalar(select(ChangeLog).filter_by(action="merge"))
        assert merge_entry.object_id == keep and merge_entry.changes["merged_from"] == [drop, None]
        assert (
            db.session.scalar(select(ChangeLog).filter_by(action="merged_into", object_id=drop))
            is not None
        )
    shown = client.get(f"/register/people/{keep}").text
    assert "Tylko drugi" in shown and "merged" in shown


def test_merge_keep_b_and_access(client, app):
    ids = world(app)
    a = make_person(app, ids["con"], "Anna", "A", organisation_id=ids["org_a"])
    b = make_person(app, ids["con"], "Anna", "B", organisation_id=ids["org_a"])
    hidden = make_person(app, ids["other"], "Hidden", "H", organisation_id=ids["org_b"])
    login(client, "con@example.org")
    assert client.get(f"/register/merge/people?a={a}&b={hidden}").status_code == 404
    url = f"/register/merge/people?a={a}&b={b}"
    token = token_from(client, url)
    response = client.post(url, data={"csrf_token": token, "keep": "b", "pick-last_name": "a"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Person, a) is None
        assert db.session.get(Person, b).last_name == "A"
    relogin(client, "viewer@example.org")
    assert client.get(url).status_code == 403


def test_merge_organisations_moves_audits_access_people_interactions(client, app):
    ids = world(app)
    twin = make_org(
        app,
        "Biblioteka Miejska w Lodzi",
        created_by=ids["con"],
        shared_with=[ids["con"], ids["admin"]],
        city="Łódź",
    )
    person = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=twin)
    log_interaction(app, ids["con"], [person], organisation_id=twin, subject="W bliźniaku")
    with app.app_context():
        version = QuestionnaireVersion(
            questionnaire_id="q", version="1", content_hash="y" * 64, source=""
        )
        db.session.add(version)
        db.session.flush()
        db.session.add(Audit(organisation_id=twin, questionnaire_version_id=version.id))
        db.session.commit()
    login(client, "con@example.org")
    url = f"/register/merge/organisations?a={ids['org_a']}&b={twin}"
    page = client.get(url)
    assert page.status_code == 200 and "Łódź" in page.text
    token = token_from(client, url)
    response = client.post(url, data={"csrf_token": token, "keep": "a", "pick-city": "b"})
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.get(Organisation, twin) is None
        kept = db.session.get(Organisation, ids["org_a"])
        assert kept.city == "Łódź" and kept.name == "Biblioteka Miejska w Łodzi"
        assert db.session.scalar(select(Audit.organisation_id)) == ids["org_a"]
        assert db.session.scalar(select(Membership.organisation_id)) == ids["org_a"]
        assert db.session.scalar(select(Interaction.organisation_id)) == ids["org_a"]
        users = sorted(
            db.session.scalars(
                select(OrganisationAccess.user_id).filter_by(organisation_id=ids["org_a"])
            )
        )
        assert users == sorted([ids["con"], ids["viewer"], ids["admin"]])
        assert (
            db.session.scalar(
                select(func.count(OrganisationAccess.id)).filter_by(organisation_id=twin)
            )
            == 0
        )
        assert db.session.scalar(select(TrailEvent).filter_by(action="merge")) is not None
        assert (
            db.session.scalar(
                select(ChangeLog).filter_by(object_type="organisation", action="merge")
            )
            is not None
        )
    relogin(client, "other@example.org")
    url = f"/register/merge/organisations?a={ids['org_a']}&b={ids['org_b']}"
    assert client.get(url).status_code == 404


def test_gdpr_export_json_and_html(client, app):
    ids = world(app)
    person = make_person(
        app,
        ids["con"],
        "Anna",
        "Nowak",
        emails=["anna@example.org"],
        phones=["600 100 200"],
        organisation_id=ids["org_a"],
        notes="Notatka",
    )
    log_interaction(app, ids["con"], [person], subject="Rozmowa z Anną Nowak")
    add_consent(app, ids["con"], person)
    login(client, "con@example.org")
    response = client.get(f"/register/people/{person}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="person-{person}.json"'
    )
    data = json.loads(response.data)
    assert data["person"]["first_name"] == "Anna" and data["person"]["notes"] == "Notatka"
    assert data["emails"][0]["email"] == "anna@example.org"
    assert data["memberships"][0]["organisation"] == "Biblioteka Miejska w Łodzi"
    assert data["interactions"][0]["subject"] == "Rozmowa z Anną Nowak"
    assert data["consents"][0]["status"] == "granted"
    assert data["change_log"]
    page = client.get(f"/register/people/{person}/data")
    assert page.status_code == 200 and "anna@example.org" in page.text
    relogin(client, "other@example.org")
    assert client.get(f"/register/people/{person}/data.json").status_code == 404


def test_erasure_anonymises_and_keeps_proof(client, app):
    ids = world(app)
    person = make_person(
        app,
        ids["con"],
        "Anna",
        "Nowak",
        emails=["anna@example.org"],
        phones=["600 100 200"],
        organisation_id=ids["org_a"],
        notes="Prywatne",
        tags=["VIP"],
    )
    other = make_person(app, ids["con"], "Ewa", "Zielińska", organisation_id=ids["org_a"])
    alone = log_interaction(
        app, ids["con"], [person], subject="Anna Nowak dzwoniła", summary="Tel. 600 100 200"
    )
    shared = log_interaction(
        app, ids["con"], [person, other], subject="Spotkanie: Anna Nowak i Ewa"
    )
    add_consent(app, ids["con"], person)
    add_followup(app, ids["con"], person, "Oddzwonić do Anna Nowak")
    login(client, "con@example.org")
    url = f"/register/people/{person}/erase"
    token = token_from(client, url)
    response = client.post(url, data={"csrf_token": token, "confirm_name": "Anna Kowalska"})
    assert response.status_code == 200 and "does not match" in response.text
    with app.app_context():
        assert db.session.get(Person, person).erased_at is None
    response = client.post(url, data={"csrf_token": token, "confirm_name": " anna NOWAK "})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Person, person)
        assert row.erased_at is not None and row.erasure_ref.startswith("ERASED:")
        assert (row.first_name, row.last_name, row.notes, row.search_text) == ("", "", "", "")
        assert row.emails == [] and row.phones == [] and row.tags == [] and row.memberships == []
        assert db.session.scalar(select(func.count(PersonEmail.id))) == 0
        alone_row = db.session.get(Interaction, alone)
        assert (alone_row.subject, alone_row.summary) == ("", "")
        assert [p.id for p in alone_row.participants] == [person]  # counts stay
        shared_row = db.session.get(Interaction, shared)
        assert "Anna" not in shared_row.subject and "Ewa" in shared_row.subject
        consent = db.session.scalar(select(Consent))
        assert consent.person_id is None and consent.erasure_ref == row.erasure_ref
        assert consent.status == "granted"
        followup = db.session.scalar(select(Followup))
        assert "Anna" not in followup.title
        for entry in db.session.scalars(select(ChangeLog)):
            text = json.dumps(entry.changes, ensure_ascii=False) + entry.note
            assert "Anna" not in text and "anna@example.org" not in text, entry.changes
            assert "600 100 200" not in text and "Prywatne" not in text
        assert db.session.scalar(select(ChangeLog).filter_by(action="erase")) is not None
        assert db.session.scalar(select(TrailEvent).filter_by(action="erase")) is not None
    assert client.get(f"/register/people/{person}").status_code == 404
    assert "Nowak" not in client.get("/register/people").text
    relogin(client, "viewer@example.org")
    assert client.get(f"/register/people/{other}/erase").status_code == 403
