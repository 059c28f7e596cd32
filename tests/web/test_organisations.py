"""Organisations: list, search, pagination, create (duplicate warning), show, edit, access."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Organisation, OrganisationAccess, TrailEvent
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from audit_app.services.textsearch import normalise_name
from tests.conftest import csrf_token, login, make_user


def make_org(app, name, *, type="library", city=None, created_by=None, shared_with=()):
    with app.app_context():
        organisation = Organisation(name=name, type=type, city=city, created_by_id=created_by)
        db.session.add(organisation)
        db.session.flush()
        for user_id in shared_with:
            db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
        db.session.commit()
        return organisation.id


def make_audit(app, organisation_id, user_id, *, submitted_on=None, overall=None, verdict=None):
    from audit_app.models import User

    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        if submitted_on is not None:
            audit.status = "submitted"
            audit.submitted_at = datetime.combine(submitted_on, datetime.min.time(), tzinfo=UTC)
            audit.started_at = audit.submitted_at
            audit.overall = overall
            audit.verdict = verdict
        db.session.commit()
        return audit.id


def post_form(client, url, data, **kwargs):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={**data, "csrf_token": csrf_token(page.text)}, **kwargs)


# --- create ---------------------------------------------------------------------------


def test_consultant_creates_an_organisation_and_gets_access(client, app):
    consultant = make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    page = client.get("/organisations")
    assert "Add an organisation" in page.text
    response = post_form(
        client,
        "/organisations/new",
        {
            "name": "  City Library  ",
            "type": "library",
            "size": "small",
            "sector": "culture",
            "city": "Gdańsk",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert (organisation.name, organisation.type, organisation.size, organisation.city) == (
            "City Library",
            "library",
            "small",
            "Gdańsk",
        )
        assert organisation.created_by_id == consultant
        assert (
            db.session.scalar(
                select(OrganisationAccess.user_id).filter_by(organisation_id=organisation.id)
            )
            == consultant
        )
        event = db.session.scalar(select(TrailEvent).filter_by(object_type="organisation"))
        assert (event.action, event.user_id, event.object_id) == (
            "create",
            consultant,
            organisation.id,
        )
        org_id = organisation.id
    assert response.headers["Location"].endswith(f"/organisations/{org_id}")
    shown = client.get(f"/organisations/{org_id}")
    assert shown.status_code == 200
    assert "City Library" in shown.text and "Gdańsk" in shown.text


def test_name_is_required_and_input_is_kept(client, app):
    make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    response = post_form(
        client, "/organisations/new", {"name": "   ", "type": "company", "city": "Kraków"}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert 'value="Kraków"' in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_duplicate_name_warns_with_a_link_then_creates_anyway(client, app):
    consultant = make_user(app, "con@example.org", "consultant")
    existing = make_org(app, "Biblioteka Łódź-Północ", created_by=consultant)
    login(client, "con@example.org")
    data = {"name": "biblioteka  lodz polnoc", "type": "library", "city": "Łódź"}
    response = post_form(client, "/organisations/new", data)
    assert response.status_code == 200
    assert "An organisation with this name already exists" in response.text
    assert f'href="/organisations/{existing}"' in response.text
    assert 'value="biblioteka  lodz polnoc"' in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 1
    response = post_form(client, "/organisations/new", {**data, "create_anyway": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 2


def test_duplicate_the_user_cannot_see_is_not_mentioned(client, app):
    """Issue 14.8: a consultant learns nothing of organisations they cannot see (it was
    "You do not have access to 1 of them"); an administrator sees the duplicate."""
    make_user(app, "con@example.org", "consultant")
    make_user(app, "admin@example.org", "admin")
    hidden = make_org(app, "Secret Library")
    login(client, "con@example.org")
    response = post_form(
        client, "/organisations/new", {"name": "secret library", "type": "library"}
    )
    assert response.status_code == 302  # created at once, as if there were no other
    assert "already exists" not in client.get(response.headers["Location"]).text
    admin = app.test_client()
    login(admin, "admin@example.org")
    response = post_form(admin, "/organisations/new", {"name": "Secret library", "type": "library"})
    assert "already exists" in response.text and f"/organisations/{hidden}" in response.text


def test_normalised_name_ignores_case_accents_punctuation_and_spaces():
    assert normalise_name("  Biblioteka   ŁÓDŹ-Północ ") == normalise_name("biblioteka lodz polnoc")
    assert normalise_name("ACME, Inc.") == normalise_name("acme inc")
    assert normalise_name("Acme A") != normalise_name("Acme B")


def test_admin_creates_without_access_row(client, app):
    make_user(app, "admin@example.org", "admin")
    admin = client.application.test_client()
    login(admin, "admin@example.org")
    response = post_form(admin, "/organisations/new", {"name": "NGO One", "type": "ngo"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(OrganisationAccess.id))) == 0


def test_form_without_csrf_token_is_refused(client, app):
    make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    response = client.post("/organisations/new", data={"name": "No token", "type": "library"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


# --- list, search, pagination ----------------------------------------------------------


def test_list_shows_type_city_audit_count_and_latest_score(client, app):
    from datetime import date

    consultant = make_user(app, "con@example.org", "consultant")
    org = make_org(app, "City Library", city="Gdańsk", created_by=consultant)
    make_audit(
        app, org, consultant, submitted_on=date(2024, 1, 10), overall=41.0, verdict="conditional"
    )
    make_audit(app, org, consultant, submitted_on=date(2025, 1, 10), overall=72.4, verdict="ready")
    make_audit(app, org, consultant)  # in progress: counted, no score
    make_org(app, "Town Hall", type="public", city="Sopot", created_by=consultant)
    login(client, "con@example.org")
    page = client.get("/organisations")
    assert page.status_code == 200
    text = page.text
    assert "City Library" in text and "Town Hall" in text
    assert "Public institution" in text and "Gdańsk" in text
    row = text[text.index("City Library") : text.index("Town Hall")]
    assert '<td data-label="Audits" class="num">3</td>' in row
    assert "72.4%" in row and "41%" not in row  # one decimal, as everywhere


def test_search_by_name_or_city_case_insensitive_and_filter_by_type(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    make_org(app, "Miejska Biblioteka", city="Łódź", created_by=admin)
    make_org(app, "Acme Company", type="company", city="Kraków", created_by=admin)
    make_org(app, "Urząd Gminy", type="public", city="Łódź", created_by=admin)
    login(client, "admin@example.org")

    text = client.get("/organisations", query_string={"q": "ŁÓDŹ"}).text
    assert "Miejska Biblioteka" in text and "Urząd Gminy" in text and "Acme" not in text

    text = client.get("/organisations", query_string={"q": "acme"}).text
    assert "Acme Company" in text and "Miejska" not in text

    text = client.get("/organisations", query_string={"q": "łódź", "type": "public"}).text
    assert "Urząd Gminy" in text and "Miejska Biblioteka" not in text

    text = client.get("/organisations", query_string={"q": "%"}).text
    assert "No organisations match your search." in text


def test_search_ignores_polish_letters_case_and_punctuation(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    make_org(app, "Miejska Biblioteka Publiczna", city="Łódź", created_by=admin)
    make_org(app, "Żabka Polska", type="company", city="Poznań", created_by=admin)
    make_org(app, "Biblioteka w Świętochłowicach", type="library", city="Żółków", created_by=admin)
    login(client, "admin@example.org")

    def found(q):
        return client.get("/organisations", query_string={"q": q}).text

    assert "Miejska Biblioteka" in found("lodz") and "Żabka" not in found("lodz")
    assert "Żabka Polska" in found("zabka") and "Miejska" not in found("zabka")
    assert "Żabka Polska" in found("ZABKA")
    assert "Świętochłowicach" in found("swietochlowicach")
    assert "Świętochłowicach" in found("zolkow")
    assert "Żabka Polska" in found("żabka-polska")  # punctuation folds to a space
    assert "Żabka Polska" in found("Poznan")
    assert "Miejska" not in found("zabka lodz")


def test_pagination_keeps_search_and_pages(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    for number in range(25):
        make_org(app, f"Library {number:02d}", created_by=admin)
    make_org(app, "Other thing", created_by=admin)
    login(client, "admin@example.org")
    first = client.get("/organisations", query_string={"q": "library"}).text
    assert "Library 00" in first and "Library 19" in first and "Library 20" not in first
    assert "Other thing" not in first
    assert "/organisations?q=library&amp;page=2" in first
    second = client.get("/organisations", query_string={"q": "library", "page": 2}).text
    assert "Library 20" in second and "Library 24" in second and "Library 19" not in second
    # A page past the end is empty, not an error.
    assert client.get("/organisations", query_string={"page": 99}).status_code == 200


# --- access -----------------------------------------------------------------------------


def test_consultant_sees_only_assigned_or_created_and_404_for_others(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    consultant = make_user(app, "con@example.org", "consultant")
    own = make_org(app, "Own Org", created_by=consultant)
    assigned = make_org(app, "Assigned Org", created_by=admin, shared_with=[consultant])
    other = make_org(app, "Other Org", created_by=admin)
    login(client, "con@example.org")
    text = client.get("/organisations").text
    assert "Own Org" in text and "Assigned Org" in text and "Other Org" not in text
    assert client.get(f"/organisations/{own}").status_code == 200
    assert client.get(f"/organisations/{assigned}/edit").status_code == 200
    assert client.get(f"/organisations/{other}").status_code == 404
    assert client.get(f"/organisations/{other}/edit").status_code == 404
    assert client.get("/organisations/999999").status_code == 404


def test_viewer_reads_shared_ones_only_and_cannot_change_anything(client, app):
    admin = make_user(app, "admin@example.org", "admin")
    viewer = make_user(app, "view@example.org", "viewer")
    shared = make_org(app, "Shared Org", created_by=admin, shared_with=[viewer])
    other = make_org(app, "Other Org", created_by=admin)
    login(client, "view@example.org")
    listing = client.get("/organisations").text
    assert "Shared Org" in listing and "Other Org" not in listing
    assert "Add an organisation" not in listing
    page = client.get(f"/organisations/{shared}")
    assert page.status_code == 200
    assert "Start an audit" not in page.text and "Edit details" not in page.text
    assert "History and comparison" in page.text
    assert client.get("/organisations/new").status_code == 403
    assert client.get(f"/organisations/{shared}/edit").status_code == 403
    token = csrf_token(page.text)
    assert (
        client.post(
            "/organisations/new", data={"name": "X", "type": "ngo", "csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/organisations/{shared}/edit", data={"name": "X", "type": "ngo", "csrf_token": token}
        ).status_code
        == 403
    )
    assert client.get(f"/organisations/{other}").status_code == 404
    with app.app_context():
        assert db.session.get(Organisation, shared).name == "Shared Org"


def test_anonymous_is_sent_to_login(client, app):
    make_user(app, "con@example.org", "consultant")
    response = client.get("/organisations")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- show, edit -------------------------------------------------------------------------


def test_show_lists_audits_with_links_questionnaire_and_verdict(client, app):
    from datetime import date

    consultant = make_user(app, "con@example.org", "consultant")
    org = make_org(app, "City Library", city="Gdańsk", created_by=consultant)
    done = make_audit(
        app, org, consultant, submitted_on=date(2024, 3, 1), overall=38.6, verdict="not_ready"
    )
    open_audit = make_audit(app, org, consultant)
    login(client, "con@example.org")
    text = client.get(f"/organisations/{org}").text
    assert f'href="/audits/{done}/results"' in text
    assert f'href="/audits/{open_audit}"' in text
    assert "CRM implementation readiness" in text and "version 1.0.0" in text
    assert "38.6%" in text and "Not ready" in text
    assert "In progress" in text and "Submitted" in text
    assert "Start an audit" in text and f"/organisations/{org}/edit" in text
    # newest first
    assert text.index(f'/audits/{open_audit}"') < text.index(f"/audits/{done}/results")


def test_edit_changes_details_and_records_them(client, app):
    consultant = make_user(app, "con@example.org", "consultant")
    org = make_org(app, "Old Name", city="Gdynia", created_by=consultant)
    login(client, "con@example.org")
    form = client.get(f"/organisations/{org}/edit")
    assert 'value="Old Name"' in form.text
    response = client.post(
        f"/organisations/{org}/edit",
        data={
            "name": "New Name",
            "type": "ngo",
            "size": "",
            "sector": "",
            "city": "Gdynia",
            "csrf_token": csrf_token(form.text),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.get(Organisation, org)
        assert (organisation.name, organisation.type, organisation.size) == (
            "New Name",
            "ngo",
            None,
        )
        event = db.session.scalar(select(TrailEvent).filter_by(action="update"))
        assert event.user_id == consultant and event.object_id == org
        assert event.details["changes"] == {
            "name": ["Old Name", "New Name"],
            "type": ["library", "ngo"],
        }


def test_edit_with_bad_data_keeps_input(client, app):
    consultant = make_user(app, "con@example.org", "consultant")
    org = make_org(app, "Old Name", created_by=consultant)
    login(client, "con@example.org")
    response = post_form(
        client, f"/organisations/{org}/edit", {"name": "", "type": "nonsense", "city": "Typed city"}
    )
    assert response.status_code == 200
    assert 'value="Typed city"' in response.text
    with app.app_context():
        assert db.session.get(Organisation, org).name == "Old Name"


# --- languages --------------------------------------------------------------------------


def test_pages_render_in_polish_for_a_polish_user(client, app):
    from datetime import date

    consultant = make_user(app, "pl@example.org", "consultant", language="pl")
    org = make_org(app, "Książnica Miejska", created_by=consultant)
    make_audit(
        app, org, consultant, submitted_on=date(2024, 3, 1), overall=30.0, verdict="not_ready"
    )
    login(client, "pl@example.org")
    listing = client.get("/organisations").text
    assert '<html lang="pl">' in listing
    assert "Dodaj organizację" in listing
    assert '<td data-label="Typ">Biblioteka</td>' in listing  # the type label
    shown = client.get(f"/organisations/{org}").text
    assert "Gotowość do wdrożenia CRM" in shown  # questionnaire title in Polish
    assert "Brak gotowości" in shown  # verdict label in Polish
    assert "Rozpocznij audyt" in shown
