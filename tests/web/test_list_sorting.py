"""Sortable lists (issue 15, item 10): ?sort=&dir= with whitelisted columns, aria-sort on
the sorted header, each header a link that sorts by it (the other way when sorted)."""

from __future__ import annotations

import re

from audit_app.extensions import db
from audit_app.models import Organisation
from tests.conftest import login, make_user


def _names_in_order(html: str, names: list[str]) -> list[str]:
    rows = html[html.index("<tbody") :]
    return sorted(names, key=lambda name: rows.index(f">{name}<"))


def test_organisations_sort_by_a_whitelisted_column_either_way(app, client):
    admin_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        for name, city in (("Biblioteka A", "Zgierz"), ("Biblioteka B", "Łask"), ("C", "Kutno")):
            db.session.add(
                Organisation(name=name, type="library", city=city, created_by_id=admin_id)
            )
        db.session.commit()
    login(client, "admin@example.org")
    names = ["Biblioteka A", "Biblioteka B", "C"]

    default = client.get("/organisations").text
    assert _names_in_order(default, names) == names
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a[^>]*>Organisation name', default)

    by_city = client.get("/organisations?sort=city&dir=asc").text
    assert _names_in_order(by_city, names) == ["C", "Biblioteka A", "Biblioteka B"]  # K, Z, Ł
    assert re.search(
        r'aria-sort="ascending">\s*<a class="sort-link" href="[^"]*sort=city&amp;dir=desc', by_city
    )
    assert by_city.count("aria-sort=") == 1

    by_name_desc = client.get("/organisations?sort=name&dir=desc").text
    assert _names_in_order(by_name_desc, names) == list(reversed(names))
    assert 'aria-sort="descending"' in by_name_desc

    # A column not on the list (or an injection attempt) sorts by name.
    odd = client.get("/organisations?sort=id%3Bdrop&dir=desc").text
    assert _names_in_order(odd, names) == names


def test_users_sort_by_e_mail(app, client):
    make_user(app, "admin@example.org", "admin", name="Zofia")
    make_user(app, "zz@example.org", "consultant", name="Adam")
    login(client, "admin@example.org")
    by_name = client.get("/admin/users").text
    assert _names_in_order(by_name, ["Zofia", "Adam"]) == ["Adam", "Zofia"]
    by_email = client.get("/admin/users?sort=email").text
    assert _names_in_order(by_email, ["Zofia", "Adam"]) == ["Zofia", "Adam"]
    assert 'aria-sort="ascending"' in by_email


def test_register_people_sort_by_name_either_way(app, client):
    from tests.web.test_register_helpers import make_person, world

    ids = world(app)
    for last in ("Adamska", "Bielska", "Cieślak"):
        make_person(app, ids["con"], "Ewa", last, organisation_id=ids["org_a"])
    login(client, "con@example.org")
    names = ["Ewa Adamska", "Ewa Bielska", "Ewa Cieślak"]
    ascending = client.get("/register/people").text
    assert _names_in_order(ascending, names) == names
    descending = client.get("/register/people?sort=name&dir=desc").text
    assert _names_in_order(descending, names) == list(reversed(names))
    assert 'aria-sort="descending"' in descending
