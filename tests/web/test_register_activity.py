"""Contact register: interactions (pressure warning, last contacted, segments),
follow-ups (overdue, dashboard partial, stay in touch), timelines and consents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import (
    Audit,
    ChangeLog,
    Consent,
    Followup,
    Interaction,
    OrganisationProfile,
    Person,
    QuestionnaireVersion,
    User,
)
from audit_app.services.register import followups, stats
from tests.web.test_register_helpers import (
    log_interaction,
    login,
    make_person,
    post_form,
    relogin,
    token_from,
    world,
)


def interaction_form(**values):
    data = {
        "occurred_at": "2026-03-02T10:30",
        "channel": "phone",
        "direction": "out",
        "duration_minutes": "",
        "subject": "",
        "summary": "",
        "outcome": "",
        "organisation_id": "",
        "other_participants": "",
        "followup_title": "",
        "followup_due": "",
    }
    data.update(values)
    return data


def test_log_interaction_updates_last_contacted_and_creates_followup(client, app):
    ids = world(app)
    person_id = make_person(
        app, ids["con"], "Jan", "Kowalski", emails=["jan@example.org"], organisation_id=ids["org_a"]
    )
    colleague = make_person(
        app, ids["con"], "Ewa", "Nowak", emails=["ewa@example.org"], organisation_id=ids["org_a"]
    )
    login(client, "con@example.org")
    url = f"/register/interactions/new?person={person_id}"
    page = client.get(url)
    assert page.status_code == 200
    assert f'selected value="{ids["org_a"]}"' in page.text  # the person's organisation
    response = post_form(
        client,
        url,
        interaction_form(
            participants=str(person_id),
            other_participants="EWA@example.org",
            organisation_id=str(ids["org_a"]),
            subject="Rozmowa o wdrożeniu",
            duration_minutes="25",
            outcome="Chcą audytu",
            followup_title="Wysłać ofertę",
            followup_due="2026-03-09",
        ),
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        interaction = db.session.scalar(select(Interaction))
        assert sorted(p.id for p in interaction.participants) == sorted([person_id, colleague])
        assert interaction.logged_by_id == ids["con"] and interaction.source == "typed"
        assert interaction.duration_minutes == 25
        # 10:30 in Warsaw (CET, UTC+1) is 09:30 UTC
        assert stats.as_utc(interaction.occurred_at).hour == 9
        person = db.session.get(Person, person_id)
        assert stats.as_utc(person.last_contacted_at) == stats.as_utc(interaction.occurred_at)
        profile = db.session.get(OrganisationProfile, ids["org_a"])
        assert profile.last_contacted_at is not None
        followup = db.session.scalar(select(Followup))
        assert (followup.title, followup.due_on, followup.interaction_id, followup.assignee_id) == (
            "Wysłać ofertę",
            date(2026, 3, 9),
            interaction.id,
            ids["con"],
        )
    shown = client.get(f"/register/people/{person_id}")
    assert "Rozmowa o wdrożeniu" in shown.text and "Wysłać ofertę" in shown.text


def test_unknown_other_participant_keeps_the_form(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    login(client, "con@example.org")
    url = f"/register/interactions/new?person={person_id}"
    response = post_form(
        client,
        url,
        interaction_form(
            participants=str(person_id),
            other_participants="nobody@example.org",
            subject="Temat zostaje",
        ),
    )
    assert response.status_code == 200
    assert "nobody@example.org" in response.text and "Temat zostaje" in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Interaction.id))) == 0


def test_contact_pressure_warning_then_confirm(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    base = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for days in (1, 5, 10):
        log_interaction(app, ids["con"], [person_id], when=base - timedelta(days=days))
    log_interaction(app, ids["con"], [person_id], when=base - timedelta(days=2), direction="in")
    login(client, "con@example.org")
    url = f"/register/interactions/new?person={person_id}"
    response = post_form(
        client, url, interaction_form(participants=str(person_id), occurred_at="2026-03-01T12:00")
    )
    assert response.status_code == 200
    assert "Contact pressure" in response.text
    assert "3 times in the last 30 days" in response.text
    # an inbound contact is never pressure
    response = post_form(client, url, interaction_form(participants=str(person_id), direction="in"))
    assert response.status_code == 302
    response = post_form(
        client,
        url,
        interaction_form(
            participants=str(person_id), occurred_at="2026-03-01T12:00", confirm_pressure="y"
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Interaction.id))) == 6


def test_contact_pressure_limit_is_configurable(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    log_interaction(app, ids["con"], [person_id], when=datetime(2026, 3, 1, tzinfo=UTC))
    app.config["REGISTER_CONTACT_PRESSURE"] = {"max_contacts": 1, "days": 7}
    try:
        login(client, "con@example.org")
        url = f"/register/interactions/new?person={person_id}"
        response = post_form(
            client,
            url,
            interaction_form(participants=str(person_id), occurred_at="2026-03-02T12:00"),
        )
        assert "1 times in the last 7 days" in response.text
    finally:
        app.config.pop("REGISTER_CONTACT_PRESSURE")


def test_edit_interaction_logs_changes_and_viewer_cannot(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    interaction_id = log_interaction(
        app, ids["con"], [person_id], subject="Stary temat", organisation_id=ids["org_a"]
    )
    login(client, "con@example.org")
    url = f"/register/interactions/{interaction_id}/edit"
    page = client.get(url)
    assert "Stary temat" in page.text
    response = post_form(
        client,
        url,
        interaction_form(
            participants=str(person_id),
            organisation_id=str(ids["org_a"]),
            channel="email",
            subject="Nowy temat",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(
            select(ChangeLog).filter_by(object_type="interaction", action="update")
        )
        assert entry.changes["subject"] == ["Stary temat", "Nowy temat"]
    relogin(client, "viewer@example.org")
    assert client.get(f"/register/interactions/{interaction_id}").status_code == 200
    assert client.get(url).status_code == 403
    assert client.get("/register/interactions/new").status_code == 403
    relogin(client, "other@example.org")
    assert client.get(f"/register/interactions/{interaction_id}").status_code == 404
    assert "Nowy temat" not in client.get("/register/interactions").text


def test_interactions_list_filters_and_pages(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(30):
        log_interaction(
            app,
            ids["con"],
            [person_id],
            when=base + timedelta(hours=i),
            subject=f"Temat {i:02d}",
            channel="email" if i % 2 else "phone",
        )
    login(client, "con@example.org")
    page = client.get("/register/interactions")
    assert "Temat 29" in page.text and "Temat 04" not in page.text and 'rel="next"' in page.text
    emails = client.get("/register/interactions?channel=email").text
    assert "Temat 29" in emails and "Temat 28" not in emails
    assert "Temat 07" in client.get("/register/interactions?q=Temat 07").text
    assert "Temat 07" in client.get("/register/interactions?q=temat 07").text


def test_interaction_search_ignores_case_and_polish_letters(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    when = datetime(2026, 1, 1, tzinfo=UTC)
    log_interaction(app, ids["con"], [person_id], when=when, subject="Spotkanie w Łodzi")
    log_interaction(app, ids["con"], [person_id], when=when, subject="Rozmowa o Żabce")
    login(client, "con@example.org")
    page = client.get("/register/interactions?q=lodzi").text
    assert "Spotkanie w Łodzi" in page and "Rozmowa o Żabce" not in page
    page = client.get("/register/interactions?q=ZABCE").text
    assert "Rozmowa o Żabce" in page and "Spotkanie w Łodzi" not in page


def test_followups_overdue_dashboard_partial_and_status(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    today = date.today()
    with app.app_context():
        user = db.session.get(User, ids["con"])
        for title, due in (
            ("Zaległe", today - timedelta(days=3)),
            ("Dziś", today),
            ("Za miesiąc", today + timedelta(days=30)),
        ):
            followups.create(
                user,
                followups.FollowupInput(
                    title=title, due_on=due, assignee_id=ids["con"], person_id=person_id
                ),
            )
        db.session.commit()
        due = followups.followups_due(user)
        assert [f.title for f in due.overdue] == ["Zaległe"]
        assert [f.title for f in due.upcoming] == ["Dziś"]
    with app.test_request_context("/"):
        login_user(db.session.get(User, ids["con"]))
        html = render_template_string('{% include "register/_dashboard_followups.html" %}')
        assert "Zaległe" in html and "overdue" in html and "Za miesiąc" not in html
    login(client, "con@example.org")
    listing = client.get("/register/followups")
    assert 'class="overdue"' in listing.text and "Za miesiąc" in listing.text
    with app.app_context():
        followup_id = db.session.scalar(select(Followup.id).filter_by(title="Zaległe"))
    token = token_from(client)
    response = client.post(
        f"/register/followups/{followup_id}/status",
        data={"status": "done", "csrf_token": token, "next": "https://evil.example/"},
    )
    assert response.headers["Location"].endswith("/register/followups")
    with app.app_context():
        followup = db.session.get(Followup, followup_id)
        assert followup.status == "done" and followup.completed_at is not None
    relogin(client, "viewer@example.org")
    token = token_from(client)
    assert (
        client.post(
            f"/register/followups/{followup_id}/status",
            data={"status": "open", "csrf_token": token},
        ).status_code
        == 403
    )


def test_followup_form_create_and_edit(client, app):
    ids = world(app)
    login(client, "con@example.org")
    url = f"/register/followups/new?organisation={ids['org_a']}"
    response = post_form(
        client,
        url,
        {
            "title": "Zadzwonić",
            "due_on": "2026-05-01",
            "priority": "high",
            "assignee_id": str(ids["con"]),
            "notes": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        followup = db.session.scalar(select(Followup))
        assert (followup.organisation_id, followup.priority) == (ids["org_a"], "high")
    edit = f"/register/followups/{followup.id}/edit"
    response = post_form(
        client,
        edit,
        {
            "title": "Zadzwonić jutro",
            "due_on": "2026-05-02",
            "priority": "high",
            "assignee_id": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    page = client.get(edit)
    assert "Zadzwonić jutro" in page.text and "Change history" in page.text
    # a follow-up about an organisation the user cannot see is refused
    response = post_form(
        client,
        f"/register/followups/new?organisation={ids['org_b']}",
        {
            "title": "X",
            "due_on": "2026-05-01",
            "priority": "normal",
            "assignee_id": "",
            "notes": "",
        },
    )
    assert response.status_code == 200 and "No organisation you can edit" in response.text


def test_stay_in_touch_command_is_idempotent(app, clean_db):
    ids = world(app)
    make_person(
        app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"], stay_in_touch_days=30
    )
    fresh = make_person(
        app, ids["con"], "Ewa", "Nowak", organisation_id=ids["org_a"], stay_in_touch_days=30
    )
    log_interaction(app, ids["con"], [fresh])
    with app.app_context():
        person = db.session.scalar(select(Person).filter_by(first_name="Jan"))
        person.created_at = datetime.now(UTC) - timedelta(days=45)
        profile_org = ids["org_a"]
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["contacts", "stay-in-touch"])
    assert result.exit_code == 0, result.output
    assert "1 follow-up(s) created" in result.output
    result = runner.invoke(args=["contacts", "stay-in-touch"])
    assert "0 follow-up(s) created" in result.output
    with app.app_context():
        followup = db.session.scalar(select(Followup))
        assert (followup.origin, followup.title, followup.assignee_id) == (
            "stay_in_touch",
            "Jan Kowalski",
            ids["con"],
        )
        assert followup.due_on == (datetime.now(UTC) - timedelta(days=15)).date()
        assert db.session.get(OrganisationProfile, profile_org).stay_in_touch_days is None


def test_organisation_stay_in_touch_via_profile_page(client, app):
    ids = world(app)
    login(client, "con@example.org")
    url = f"/register/organisations/{ids['org_a']}/profile"
    response = post_form(
        client,
        url,
        {
            "domain": "https://www.Biblioteka.lodz.pl/",
            "tags": "miejskie, VIP",
            "owner_id": str(ids["con"]),
            "stay_in_touch_days": "10",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(OrganisationProfile, ids["org_a"])
        assert (profile.domain, profile.stay_in_touch_days) == ("biblioteka.lodz.pl", 10)
        from audit_app.models import Organisation

        db.session.get(Organisation, ids["org_a"]).created_at = datetime.now(UTC) - timedelta(
            days=11
        )
        db.session.commit()
        created = followups.stay_in_touch()
        assert [(f.organisation_id, f.origin) for f in created] == [(ids["org_a"], "stay_in_touch")]
        db.session.commit()
        assert followups.stay_in_touch() == []
    response = post_form(
        client,
        url,
        {"domain": "not a domain", "tags": "", "owner_id": "", "stay_in_touch_days": ""},
    )
    assert response.status_code == 200 and "Enter a domain" in response.text
    listing = client.get("/register/organisations?tag=vip")
    assert "Biblioteka Miejska" in listing.text and "biblioteka.lodz.pl" in listing.text
    relogin(client, "viewer@example.org")
    assert client.get(url).status_code == 403


def test_timeline_and_organisation_panel(client, app):
    ids = world(app)
    person_id = make_person(
        app,
        ids["con"],
        "Jan",
        "Kowalski",
        emails=["jan@example.org"],
        organisation_id=ids["org_a"],
        role="Dyrektor",
    )
    log_interaction(
        app,
        ids["con"],
        [person_id],
        subject="Pierwsza rozmowa",
        when=datetime(2026, 1, 5, tzinfo=UTC),
    )
    log_interaction(
        app,
        ids["con"],
        [],
        subject="Z organizacją",
        organisation_id=ids["org_a"],
        when=datetime(2026, 1, 7, tzinfo=UTC),
    )
    with app.app_context():
        version = QuestionnaireVersion(
            questionnaire_id="q", version="1", content_hash="x" * 64, source=""
        )
        db.session.add(version)
        db.session.flush()
        db.session.add(
            Audit(
                organisation_id=ids["org_a"],
                questionnaire_version_id=version.id,
                status="in_progress",
                started_at=datetime(2026, 1, 6, tzinfo=UTC),
            )
        )
        db.session.commit()
    login(client, "con@example.org")
    page = client.get(f"/register/organisations/{ids['org_a']}/timeline").text
    first, audit, org = (
        page.index("Pierwsza rozmowa"),
        page.index("Audit in progress"),
        page.index("Z organizacją"),
    )
    assert org < audit < first  # newest first
    person_page = client.get(f"/register/people/{person_id}").text
    assert "Pierwsza rozmowa" in person_page and "Audit in progress" in person_page
    with app.test_request_context("/"):
        from audit_app.models import Organisation

        login_user(db.session.get(User, ids["con"]))
        html = render_template_string(
            '{% include "register/_organisation_panel.html" %}',
            organisation=db.session.get(Organisation, ids["org_a"]),
        )
        assert "Jan Kowalski" in html and "Dyrektor" in html and "jan@example.org" in html
        assert "Z organizacją" in html and "Log an interaction" in html


def test_consents_are_append_only_with_history(client, app):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    login(client, "con@example.org")
    token = token_from(client)
    for status in ("granted", "withdrawn"):
        response = client.post(
            f"/register/people/{person_id}/consents",
            data={
                "purpose": "newsletter",
                "channel": "email",
                "status": status,
                "lawful_basis": "consent",
                "source": "website",
                "review_on": "2027-01-01",
                "note": "",
                "csrf_token": token,
            },
        )
        assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Consent).order_by(Consent.id)).all()
        assert [r.status for r in rows] == ["granted", "withdrawn"]
        assert rows[0].recorded_by_id == ids["con"]
        entry = db.session.scalars(
            select(ChangeLog).filter_by(action="consent").order_by(ChangeLog.id.desc())
        ).first()
        assert entry.changes == {"consent:newsletter:email": ["granted", "withdrawn"]}
    page = client.get(f"/register/people/{person_id}").text
    assert "Withdrawn" in page and "All recorded decisions" in page
    relogin(client, "viewer@example.org")
    token = token_from(client)
    assert (
        client.post(
            f"/register/people/{person_id}/consents",
            data={
                "purpose": "newsletter",
                "status": "granted",
                "lawful_basis": "consent",
                "source": "website",
                "csrf_token": token,
            },
        ).status_code
        == 403
    )


def test_incremental_daily_refresh_matches_a_full_computation(app, ctx):
    from audit_app.domain.segments import segment_for

    ids = world(app)
    today = date.today()
    history = {
        "a": [1, 5, 9, 20, 30, 44],  # loyal today, regular in a few days
        "b": [118, 200, 300],  # regular, then sporadic
        "c": [364],  # sporadic, then lapsed
        "d": [40, 100, 364, 365],  # counts leave the window
        "e": [-3],  # a meeting logged ahead
    }
    people = {}
    for name, days in history.items():
        person = make_person(app, ids["con"], name.upper(), "Test", organisation_id=ids["org_a"])
        people[name] = person
        for offset in days:
            log_interaction(
                app,
                ids["con"],
                [person],
                when=datetime.combine(today - timedelta(days=offset), datetime.min.time(), UTC)
                + timedelta(hours=12),
            )
    stats.refresh_all(today)
    day = today
    for step in (1, 1, 2, 7, 30, 89, 40, 1):
        day += timedelta(days=step)
        assert stats.ensure_fresh(day) is True
        for name, days in history.items():
            dates = [today - timedelta(days=o) for o in days if today - timedelta(days=o) <= day]
            window = [d for d in dates if d >= day - timedelta(days=365)]
            expected = segment_for(max(dates) if dates else None, len(window), day)
            person = db.session.get(Person, people[name])
            db.session.refresh(person)
            assert person.segment == (expected.value if expected else None), (name, day)
    assert stats.ensure_fresh(day) is False


def test_segments_refresh_daily(app, ctx):
    ids = world(app)
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    log_interaction(app, ids["con"], [person_id], when=datetime.now(UTC) - timedelta(days=100))
    assert db.session.get(Person, person_id).segment == "sporadic"
    later = date.today() + timedelta(days=300)
    assert stats.ensure_fresh(later) is True
    assert db.session.get(Person, person_id).segment == "lapsed"
    assert stats.ensure_fresh(later) is False


def test_invalid_register_settings_stop_the_app():
    import pytest

    from audit_app import create_app

    for settings in (
        {"REGISTER_SEGMENTS": {"loyal_max_days": 999}},
        {"REGISTER_SEGMENTS": {"unknown": 1}},
        {"REGISTER_CONTACT_PRESSURE": {"max_contacts": 0, "days": 30}},
    ):
        with pytest.raises((ValueError, TypeError)):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **settings})


def test_new_interaction_form_does_not_reveal_a_hidden_person(app, client):
    """Pre-filling from ?person= of someone the user cannot see answers 404, so the
    form cannot be used to probe who exists and how they prefer to be contacted."""
    from tests.conftest import login, make_user
    from tests.web.test_register_helpers import make_org, make_person

    owner = make_user(app, "owner@example.org", "consultant")
    make_user(app, "other@example.org", "consultant")
    org_id = make_org(app, "Biblioteka Ukryta", created_by=owner)
    person_id = make_person(
        app, owner, "Ewa", "Nowak", organisation_id=org_id, preferred_channel="video"
    )
    login(client, "other@example.org")
    assert client.get(f"/register/interactions/new?person={person_id}").status_code == 404
    assert client.get(f"/register/interactions/new?organisation={org_id}").status_code == 404
