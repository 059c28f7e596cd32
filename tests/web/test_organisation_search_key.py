"""The organisations' stored search key (issue 19): name and city folded as
`textsearch.normalise_name` folds them, kept in step when an organisation is created,
renamed, moved or imported, so the list's search reads it instead of folding every row."""

from __future__ import annotations

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Organisation
from audit_app.models.organisations import search_key_of
from tests.conftest import csrf_token, login, make_user
from tests.web.test_register_helpers import world
from tests.web.test_register_import import mapping_post, upload


def key_of(app, organisation_id):
    with app.app_context():
        return db.session.get(Organisation, organisation_id).search_key


def found(client, q):
    return client.get("/organisations", query_string={"q": q}).text


def test_the_key_follows_create_and_rename_and_the_search_reads_it(client, app):
    make_user(app, "con@example.org", "consultant")
    login(client, "con@example.org")
    form = client.get("/organisations/new")
    created = client.post(
        "/organisations/new",
        data={"name": "Miejska Biblioteka Publiczna", "type": "library", "city": "Łódź",
              "csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert created.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).filter_by(name="Miejska Biblioteka Publiczna"))
        org_id = org.id
    assert key_of(app, org_id) == "miejska biblioteka publiczna\nlodz"
    assert "Miejska Biblioteka Publiczna" in found(client, "ŁÓDŹ")

    form = client.get(f"/organisations/{org_id}/edit")
    renamed = client.post(
        f"/organisations/{org_id}/edit",
        data={"name": "Książnica Żywiecka", "type": "library", "size": "", "sector": "",
              "city": "Żywiec", "csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert renamed.status_code == 302
    assert key_of(app, org_id) == search_key_of("Książnica Żywiecka", "Żywiec")
    assert "Książnica Żywiecka" in found(client, "ksiaznica zywiecka")
    assert "Książnica Żywiecka" not in found(client, "lodz")  # the old city is gone
    # A search never spans the name and the city ("zywiecka zywiec" is in neither).
    assert "Książnica Żywiecka" not in found(client, "zywiecka zywiec")


def test_imported_organisations_get_their_key(client, app):
    world(app)
    csv = "Nazwa,Typ,Miasto\nFundacja Źródło,fundacja,Gdańsk\n"
    login(client, "con@example.org")
    location = upload(client, csv).headers["Location"]
    mapping_post(client, location, "import", kind="organisations")
    with app.app_context():
        org = db.session.scalar(select(Organisation).filter_by(name="Fundacja Źródło"))
        assert org.search_key == "fundacja zrodlo\ngdansk"
    assert "Fundacja Źródło" in found(client, "zrodlo")
