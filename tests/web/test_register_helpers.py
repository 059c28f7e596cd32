"""Shared helpers of the contact register tests (no tests here)."""

from __future__ import annotations

from datetime import UTC, datetime

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, User
from audit_app.services.register import interactions, people
from tests.conftest import csrf_token, login, make_user


def make_org(app, name, *, created_by=None, shared_with=(), type="library", city=None):
    with app.app_context():
        organisation = Organisation(name=name, type=type, city=city, created_by_id=created_by)
        db.session.add(organisation)
        db.session.flush()
        for user_id in shared_with:
            db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        db.session.commit()
        return organisation.id


def make_person(
    app,
    user_id,
    first,
    last,
    *,
    emails=(),
    phones=(),
    organisation_id=None,
    role="",
    tags=(),
    **extra,
):
    with app.app_context():
        user = db.session.get(User, user_id)
        organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
        data = people.PersonInput(
            first_name=first,
            last_name=last,
            emails=[people.ContactValue(e) for e in emails],
            phones=[people.ContactValue(p) for p in phones],
            tags=list(tags),
            **extra,
        )
        person = people.create(user, data, organisation=organisation, role=role)
        db.session.commit()
        return person.id


def log_interaction(
    app,
    user_id,
    person_ids,
    *,
    when=None,
    direction="out",
    channel="email",
    organisation_id=None,
    subject="Call",
    summary="",
):
    with app.app_context():
        user = db.session.get(User, user_id)
        interaction = interactions.log(
            user,
            interactions.InteractionInput(
                occurred_at=when or datetime.now(UTC),
                channel=channel,
                direction=direction,
                subject=subject,
                summary=summary,
                organisation_id=organisation_id,
                participant_ids=list(person_ids),
            ),
        )
        db.session.commit()
        return interaction.id


def post_form(client, url, data, page_url=None, **kwargs):
    page = client.get(page_url or url)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    return client.post(url, data={**data, "csrf_token": csrf_token(page.text)}, **kwargs)


def token_from(client, url="/register/people"):
    """A CSRF token (every page has one in the language switcher)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return csrf_token(page.text)


def relogin(client, email):
    """Log out whoever is signed in, then sign in as `email`."""
    page = client.get("/login")
    if page.status_code == 302:
        client.post("/logout", data={"csrf_token": token_from(client, "/")})
    login(client, email)


def world(app):
    """An administrator, two consultants, a viewer; org A (consultant 1, shared with the
    viewer), org B (consultant 2)."""
    ids = {
        "admin": make_user(app, "admin@example.org", "admin"),
        "con": make_user(app, "con@example.org", "consultant", name="Konrad"),
        "other": make_user(app, "other@example.org", "consultant"),
        "viewer": make_user(app, "viewer@example.org", "viewer"),
    }
    ids["org_a"] = make_org(
        app,
        "Biblioteka Miejska w Łodzi",
        created_by=ids["con"],
        shared_with=[ids["con"], ids["viewer"]],
    )
    ids["org_b"] = make_org(
        app, "Other Company", created_by=ids["other"], shared_with=[ids["other"]], type="company"
    )
    return ids


__all__ = ["csrf_token", "login", "make_user"]
