"""User administration: list, create, edit (role, access, password), guards and languages."""

from __future__ import annotations

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, TrailEvent, User
from tests.conftest import PASSWORD, csrf_token, login, make_user

NEW_PASSWORD = "a brand new secret"  # noqa: S105 - test only


def make_org(app, name, created_by=None, shared_with=()):
    with app.app_context():
        organisation = Organisation(name=name, type="library", created_by_id=created_by)
        db.session.add(organisation)
        db.session.flush()
        for user_id in shared_with:
            db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        db.session.commit()
        return organisation.id


def edit_data(client, user_id, **overrides):
    """The edit form as the page shows it, with `overrides` applied."""
    page = client.get(f"/admin/users/{user_id}")
    assert page.status_code == 200
    with client.application.app_context():
        user = db.session.get(User, user_id)
        access = list(
            db.session.scalars(
                select(OrganisationAccess.organisation_id).filter_by(user_id=user_id)
            )
        )
        data = {
            "name": user.name,
            "role": user.role,
            "language": user.language,
            "organisations": access,
            "csrf_token": csrf_token(page.text),
        }
        if user.active:
            data["active"] = "y"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def new_user_data(client, **overrides):
    page = client.get("/admin/users/new")
    assert page.status_code == 200
    data = {
        "name": "Vera Viewer",
        "email": "Vera@Example.org",
        "role": "viewer",
        "language": "pl",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "csrf_token": csrf_token(page.text),
    }
    data.update(overrides)
    return data


# --- guards -----------------------------------------------------------------------------


def test_admin_pages_are_for_administrators_only(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    make_user(app, "con@example.org", "consultant")
    make_user(app, "view@example.org", "viewer")
    for email in ("con@example.org", "view@example.org"):
        login(client, email)
        assert client.get("/admin/users").status_code == 403
        assert client.get("/admin/users/new").status_code == 403
        assert client.get(f"/admin/users/{admin}").status_code == 403
        page = client.get("/organisations")
        token = csrf_token(page.text)
        response = client.post(
            f"/admin/users/{admin}",
            data={"name": "x", "role": "viewer", "language": "en", "csrf_token": token},
        )
        assert response.status_code == 403
        assert "Users" not in page.text.split("</nav>")[0]
        client.post("/logout", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(User, admin).role == "admin"


def test_anonymous_is_sent_to_login(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    for url in ("/admin/users", "/admin/users/new", f"/admin/users/{admin}"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_form_without_csrf_token_is_refused(client, app):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post(
        "/admin/users/new",
        data={
            "name": "X",
            "email": "x@example.org",
            "role": "viewer",
            "language": "en",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_unknown_user_is_404(client, app):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    assert client.get("/admin/users/999999").status_code == 404


# --- list -------------------------------------------------------------------------------


def test_list_shows_role_language_status_and_organisations(client, app):
    admin = make_user(app, "admin@example.org", "admin", name="Ada Admin")
    consultant = make_user(app, "con@example.org", "consultant", name="Con Sultant", language="pl")
    make_org(app, "Created Org", created_by=consultant)
    make_org(app, "Shared Org", created_by=admin, shared_with=[consultant])
    make_org(app, "Hidden Org", created_by=admin)
    login(client, "admin@example.org")
    text = client.get("/admin/users").text
    assert "Ada Admin" in text and "Con Sultant" in text
    assert "Administrator" in text and "Consultant" in text and "Polski" in text
    row = text[text.index("Con Sultant") :]
    row = row[: row.index("</tr>")]
    assert "Created Org" in row and "Shared Org" in row and "Hidden Org" not in row
    assert f'href="/admin/users/{consultant}"' in text


# --- create -----------------------------------------------------------------------------


def test_admin_creates_a_user_who_can_log_in(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post("/admin/users/new", data=new_user_data(client))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="vera@example.org"))
        assert (user.name, user.role, user.language, user.active) == (
            "Vera Viewer",
            "viewer",
            "pl",
            True,
        )
        event = db.session.scalar(
            select(TrailEvent).filter_by(object_type="user", object_id=user.id)
        )
        assert (event.action, event.user_id) == ("create", admin)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, "vera@example.org")


def test_duplicate_email_is_shown_on_the_field_and_input_kept(client, app):
    make_user(app, "admin@example.org", "admin")
    make_user(app, "vera@example.org", "viewer")
    login(client, "admin@example.org")
    response = client.post("/admin/users/new", data=new_user_data(client, name="Second Vera"))
    assert response.status_code == 200
    assert 'id="email-error"' in response.text
    assert "A user with this e-mail address already exists." in response.text
    assert 'value="Second Vera"' in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 2


def test_duplicate_email_message_in_polish(client, app):
    make_user(app, "admin@example.org", "admin", language="pl")
    make_user(app, "vera@example.org", "viewer")
    login(client, "admin@example.org")
    response = client.post("/admin/users/new", data=new_user_data(client))
    assert "Użytkownik z tym adresem e-mail już istnieje." in response.text


def test_short_password_and_mismatch_are_refused(client, app):
    make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post(
        "/admin/users/new", data=new_user_data(client, password="short", confirm="short")
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.text
    response = client.post("/admin/users/new", data=new_user_data(client, confirm=PASSWORD + "x"))
    assert "Passwords do not match." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


# --- edit -------------------------------------------------------------------------------


def test_edit_role_language_access_and_trail(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    viewer = make_user(app, "view@example.org", "viewer", name="Old Name")
    keep = make_org(app, "Keep", created_by=admin, shared_with=[viewer])
    drop = make_org(app, "Drop", created_by=admin, shared_with=[viewer])
    add = make_org(app, "Add", created_by=admin)
    login(client, "admin@example.org")
    page = client.get(f"/admin/users/{viewer}").text
    assert 'type="checkbox"' in page and "Keep" in page and "Add" in page
    data = edit_data(
        client, viewer, name="New Name", role="consultant", language="pl", organisations=[keep, add]
    )
    response = client.post(f"/admin/users/{viewer}", data=data)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, viewer)
        assert (user.name, user.role, user.language) == ("New Name", "consultant", "pl")
        access = set(
            db.session.scalars(select(OrganisationAccess.organisation_id).filter_by(user_id=viewer))
        )
        assert access == {keep, add}
        event = db.session.scalar(select(TrailEvent).filter_by(action="update", object_id=viewer))
        assert event.user_id == admin
        changes = event.details["changes"]
        assert changes["role"] == ["viewer", "consultant"]
        assert changes["name"] == ["Old Name", "New Name"]
        assert changes["organisations_added"] == [add]
        assert changes["organisations_removed"] == [drop]
    # The user now sees the organisations given to them.
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, "view@example.org")
    assert client.get(f"/organisations/{add}").status_code == 200
    assert client.get(f"/organisations/{drop}").status_code == 404


def test_deactivate_and_reset_password(client, app):
    make_user(app, "admin@example.org", "admin")
    con = make_user(app, "con@example.org", "consultant")
    login(client, "admin@example.org")
    response = client.post(
        f"/admin/users/{con}",
        data=edit_data(client, con, password=NEW_PASSWORD, confirm=NEW_PASSWORD),
    )
    assert response.status_code == 302
    response = client.post(f"/admin/users/{con}", data=edit_data(client, con, active=None))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, con)
        assert user.active is False
        events = list(
            db.session.scalars(
                select(TrailEvent).filter_by(action="update", object_id=con).order_by(TrailEvent.id)
            )
        )
        assert events[0].details["changes"] == {"password_reset": True}
        assert NEW_PASSWORD not in str(events[0].details)
        assert events[1].details["changes"] == {"active": [True, False]}
    assert "Deactivated" in client.get("/admin/users").text
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    # Deactivated: even the new password does not let them in.
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "email": "con@example.org",
            "password": NEW_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 401


def test_reset_password_lets_the_user_log_in_with_it(client, app):
    make_user(app, "admin@example.org", "admin")
    con = make_user(app, "con@example.org", "consultant")
    login(client, "admin@example.org")
    client.post(
        f"/admin/users/{con}",
        data=edit_data(client, con, password=NEW_PASSWORD, confirm=NEW_PASSWORD),
    )
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, "con@example.org", NEW_PASSWORD)


def test_short_reset_password_is_refused(client, app):
    make_user(app, "admin@example.org", "admin")
    con = make_user(app, "con@example.org", "consultant")
    login(client, "admin@example.org")
    response = client.post(
        f"/admin/users/{con}", data=edit_data(client, con, password="short", confirm="short")
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.text


def test_admin_cannot_demote_or_deactivate_themself(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post(
        f"/admin/users/{admin}", data=edit_data(client, admin, role="viewer", name="Changed")
    )
    assert response.status_code == 200
    assert "You cannot take the administrator role away from yourself." in response.text
    assert 'value="Changed"' in response.text
    response = client.post(f"/admin/users/{admin}", data=edit_data(client, admin, active=None))
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.text
    with app.app_context():
        user = db.session.get(User, admin)
        assert (user.role, user.active, user.name) == ("admin", True, "admin")
        assert db.session.scalar(select(func.count(TrailEvent.id)).filter_by(action="update")) == 0
    # Other changes to one's own account are fine.
    response = client.post(f"/admin/users/{admin}", data=edit_data(client, admin, language="pl"))
    assert response.status_code == 302


def test_admin_can_demote_another_admin(client, app):
    make_user(app, "admin@example.org", "admin")
    other = make_user(app, "other@example.org", "admin")
    login(client, "admin@example.org")
    response = client.post(f"/admin/users/{other}", data=edit_data(client, other, role="viewer"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, other).role == "viewer"


# --- languages --------------------------------------------------------------------------


def test_admin_pages_render_in_polish(client, app):
    admin = make_user(app, "admin@example.org", "admin", language="pl")
    make_user(app, "view@example.org", "viewer")
    login(client, "admin@example.org")
    text = client.get("/admin/users").text
    assert '<html lang="pl">' in text
    assert "Obserwator" in text and "Dodaj użytkownika" in text
    text = client.get(f"/admin/users/{admin}").text
    assert "Nie możesz zmienić własnej roli" in text


def test_admin_pages_render_in_english(client, app):
    make_user(app, "admin@example.org", "admin", language="en")
    login(client, "admin@example.org")
    text = client.get("/admin/users/new").text
    assert '<html lang="en">' in text
    assert "Create the account" in text and "Viewer" in text
