"""Polish wording found in the walk through every journey (issue 15, item 5): an
organisation's name is "Nazwa", numbers agree with their nouns, the people menu and
the interactions tab are told apart, and a column says "Rekord", not "Zapisz"."""

from __future__ import annotations

import re

from audit_app.extensions import db
from audit_app.models import User
from tests.conftest import csrf_token, login, make_user
from tests.web.test_organisations import make_org
from tests.web.test_register_helpers import make_person, world
from tests.web.test_register_import import PEOPLE_CSV, mapping_post, upload
from tests.web.test_respondents import consultant, new_browser, shared_link  # noqa: F401


def speaks_polish(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        user.language = "pl"
        db.session.commit()


def column_headers(html):
    """The column headers' text (a sortable header's link and sort mark left out)."""
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    return [re.sub(r'<span class="sort-mark".*?</span>|<[^>]+>', "", c).strip() for c in cells]


def test_an_organisation_has_a_name_not_a_persons_name(client, app):
    admin = make_user(app, "admin@example.org", "admin", language="pl")
    make_org(app, "Książnica Miejska", created_by=admin)
    login(client, "admin@example.org")
    for url in ("/organisations", "/register/organisations"):
        headers = column_headers(client.get(url).text)
        assert "Nazwa" in headers and "Imię i nazwisko" not in headers, (url, headers)
    form = client.get("/organisations/new").text
    assert re.search(r'<label[^>]*for="name"[^>]*>\s*Nazwa', form), form
    assert "Imię i nazwisko" not in form
    # a person's name is still a person's name
    assert "Imię i nazwisko" in column_headers(client.get("/admin/users").text)


def test_interactions_are_the_contact_history_and_logging_one_says_so(client, app):
    ids = world(app)
    speaks_polish(app, "con@example.org")
    person_id = make_person(app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"])
    login(client, "con@example.org")
    people = client.get("/register/people").text
    assert ">Kontakty</a>" in people  # the menu: the people in the register
    assert ">Historia kontaktów</a>" in people  # the interactions list
    assert "<h1>Historia kontaktów</h1>" in client.get("/register/interactions").text
    person = client.get(f"/register/people/{person_id}").text
    assert "Dodaj kontakt do historii" in person and "Zapisz kontakt" not in person
    assert "Zapisz decyzję" in person  # the consent form's button is still a verb


def test_import_results_column_is_a_record(client, app):
    world(app)
    speaks_polish(app, "con@example.org")
    login(client, "con@example.org")
    location = upload(client, PEOPLE_CSV).headers["Location"]
    dry = mapping_post(client, location, "dry_run")
    assert dry.status_code == 200
    headers = column_headers(dry.text)
    assert "Rekord" in headers and "Zapisz" not in headers, headers


def test_numbers_agree_with_their_nouns_in_polish(app, client, consultant):  # noqa: F811
    audit_id = consultant["audit_id"]
    speaks_polish(app, "con@example.org")
    link = shared_link(client, audit_id, "leadership")
    page = client.get(f"/audits/{audit_id}/respondents").text
    assert "co najmniej 3 osoby." in page and "co najmniej 3 osób" not in page
    assert "nikt jeszcze nie zaczął" in page and "0 osób rozpoczęło" not in page
    assert "gdy odpowiedzą co najmniej 3 zaproszone osoby." in page
    assert "3 zaproszonych osób" not in page

    landing = new_browser(app, "pl").get(link).text
    assert "liczących co najmniej 3 osoby," in landing
    app.config["MIN_GROUP_SIZE"] = 5
    try:
        landing = new_browser(app, "pl").get(link).text
        assert "liczących co najmniej 5 osób," in landing
        page = client.get(f"/audits/{audit_id}/respondents").text
        assert "gdy odpowie co najmniej 5 zaproszonych osób." in page
    finally:
        app.config.pop("MIN_GROUP_SIZE")
    started = new_browser(app, "pl")
    landing = started.get(link)
    started.post(f"{link}/start", data={"csrf_token": csrf_token(landing.text)})
    page = client.get(f"/audits/{audit_id}/respondents").text
    assert "1 osoba rozpoczęła" in page


def test_questions_areas_and_perception_texts_take_polish_plurals(app):
    """Each number that meets a noun goes through ngettext with the Polish plural forms
    (1, 2-4 and 22-24, the rest): questions, areas, excluded responses, and the
    perception texts the PDF shows."""
    from flask_babel import ngettext

    from audit_app.services.respondents.perception import _labels
    from audit_app.wording import translator

    expected = {
        ("%(num)d question", "%(num)d questions"): [
            "1 pytanie",
            "3 pytania",
            "5 pytań",
            "22 pytania",
        ],
        ("%(num)d section", "%(num)d sections"): [
            "1 obszar",
            "3 obszary",
            "5 obszarów",
            "22 obszary",
        ],
        (
            "%(num)d response excluded by the consultant.",
            "%(num)d responses excluded by the consultant.",
        ): [
            "1 odpowiedź wykluczona przez konsultanta.",
            "3 odpowiedzi wykluczone przez konsultanta.",
            "5 odpowiedzi wykluczonych przez konsultanta.",
            "22 odpowiedzi wykluczone przez konsultanta.",
        ],
    }
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        for (singular, plural), forms in expected.items():
            assert [ngettext(singular, plural, n) for n in (1, 3, 5, 22)] == forms
    three = _labels(3, "a", "b", translator("pl"))
    assert "co najmniej 3 zaproszone osoby" in three["combined_hidden"]
    assert "co najmniej 3 osoby:" in three["too_few_intro"]
    assert "co najmniej 3 osoby," in three["intro"]
    texts = three["combined_hidden"] + three["too_few_intro"] + three["intro"]
    assert "3 osób" not in texts and "3 zaproszonych osób" not in texts
    assert (
        "co najmniej 5 zaproszonych osób"
        in _labels(5, "a", "b", translator("pl"))["combined_hidden"]
    )


def test_stay_in_touch_interval_takes_polish_plurals(client, app):
    ids = world(app)
    speaks_polish(app, "con@example.org")
    daily = make_person(
        app, ids["con"], "Jan", "Kowalski", organisation_id=ids["org_a"], stay_in_touch_days=1
    )
    monthly = make_person(
        app, ids["con"], "Ewa", "Nowak", organisation_id=ids["org_a"], stay_in_touch_days=22
    )
    login(client, "con@example.org")
    daily_page = client.get(f"/register/people/{daily}").text
    assert "co 1 dzień" in daily_page and "co 1 dni" not in daily_page
    assert "co 22 dni" in client.get(f"/register/people/{monthly}").text
