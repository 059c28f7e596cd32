"""Campaigns on a real database: who sees the organiser's pages, participation states and
reminders, the aggregate hidden under the minimum group, individual results only of
members that agreed to share, members from a CSV (and its errors), consent to peer
benchmarks recorded in the trail, the CSV/JSON export and the PDF report (both languages,
parsed back to text)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    Campaign,
    CampaignMember,
    Organisation,
    OrganisationAccess,
    TrailEvent,
    User,
)
from audit_app.services import audits as audit_service
from audit_app.services import campaigns
from audit_app.services.campaign_results import campaign_view
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

LIBRARY = "library-crm-audit"


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test here starts on an empty database (service-level tests included)."""


@dataclass
class Network:
    campaign_id: int
    organisation_ids: list[int]  # members, in creation order
    member_ids: list[int]


def _organisation(name: str, admin_id: int, *shared_with: int) -> Organisation:
    organisation = Organisation(name=name, type="library", created_by_id=admin_id)
    db.session.add(organisation)
    db.session.flush()
    for user_id in shared_with:
        db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user_id))
    return organisation


def _audit(organisation: Organisation, user: User, level: str | None) -> None:
    """An audit of the library questionnaire: submitted with every answer at `level`,
    or left in progress when `level` is None."""
    library = catalogue().get(LIBRARY)
    assert library is not None
    audit = audit_service.start_audit(organisation, library, user)
    if level is None:
        return
    for question in library.questions:
        audit_service.save_answer(audit, question.id, value=level, user=user)
    audit_service.submit(audit, user)


def build_network(
    app,
    levels: list[str | None | bool],
    *,
    ends_in_days: int = 30,
    sharing: tuple[int, ...] = (),
    benchmarks: bool = False,
) -> Network:
    """An administrator's campaign organised by network@ (a consultant who sees none of
    the members); one member per entry of `levels`: a submitted audit at that level,
    None an audit in progress, False no audit. The members' own consultant is member@."""
    admin_id = make_user(app, "admin@example.org", "admin")
    make_user(app, "network@example.org", "consultant", name="Sieć")
    member_id = make_user(app, "member@example.org", "consultant")
    make_user(app, "viewer@example.org", "viewer")
    with app.app_context():
        admin = db.session.get(User, admin_id)
        member_consultant = db.session.get(User, member_id)
        network = db.session.scalar(select(User).filter_by(email="network@example.org"))
        viewer = db.session.scalar(select(User).filter_by(email="viewer@example.org"))
        assert admin and member_consultant and network and viewer
        today = date.today()
        campaign = campaigns.create(
            admin,
            campaigns.CampaignInput(
                "Sieć bibliotek powiatu",
                LIBRARY,
                today - timedelta(days=10),
                today + timedelta(days=ends_in_days),
                terms="Organizator widzi udział i wyniki zbiorcze.",
                terms_include_benchmarks=benchmarks,
            ),
        )
        campaigns.update(
            admin,
            campaign,
            campaigns.CampaignInput(
                campaign.name,
                LIBRARY,
                campaign.starts_on,
                campaign.ends_on,
                campaign.terms,
                benchmarks,
            ),
            organiser_id=network.id,
        )
        organisation_ids, member_ids = [], []
        for index, level in enumerate(levels):
            organisation = _organisation(f"Biblioteka {index + 1}", admin_id, member_id, viewer.id)
            if level is not False:
                _audit(organisation, member_consultant, level)  # type: ignore[arg-type]
            member = campaigns.add_member(admin, campaign, organisation)
            member.shares_results = index in sharing
            organisation_ids.append(organisation.id)
            member_ids.append(member.id)
        db.session.commit()
        return Network(campaign.id, organisation_ids, member_ids)


def _view(app, network: Network, lang: str = "en"):
    with app.app_context():
        campaign = db.session.get(Campaign, network.campaign_id)
        return campaign_view(campaign, lang)


# ------------------------------------------------------------------ access


def test_only_the_organiser_and_administrators_see_the_campaign(app, client):
    network = build_network(app, [False])
    make_user(app, "other@example.org", "consultant")
    pages = ["", "/results", "/edit", "/members/import", "/aggregate.json", "/aggregate.csv"]
    login(client, "other@example.org")
    for page in pages:
        assert client.get(f"/campaigns/{network.campaign_id}{page}").status_code == 404
    assert "Sieć bibliotek" not in client.get("/campaigns").text
    # The members' own consultant does not organise it either.
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, "member@example.org")
    assert client.get(f"/campaigns/{network.campaign_id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, "network@example.org")
    for page in pages:
        assert client.get(f"/campaigns/{network.campaign_id}{page}").status_code == 200, page
    assert "Sieć bibliotek powiatu" in client.get("/campaigns").text


def test_only_administrators_name_another_organiser(app, client):
    network = build_network(app, [])
    login(client, "network@example.org")
    url = f"/campaigns/{network.campaign_id}/edit"
    page = client.get(url)
    assert 'name="organiser_id"' not in page.text
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).filter_by(email="admin@example.org"))
        network_id = db.session.scalar(select(User.id).filter_by(email="network@example.org"))
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(page.text),
            "name": "Nowa nazwa",
            "questionnaire_id": LIBRARY,
            "starts_on": date.today().isoformat(),
            "ends_on": date.today().isoformat(),
            "organiser_id": str(admin_id),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.get(Campaign, network.campaign_id)
        assert campaign.name == "Nowa nazwa" and campaign.organiser_id == network_id


def test_the_form_shows_translated_errors_at_the_field_and_in_a_summary(app, client):
    make_user(app, "pl@example.org", "consultant", language="pl")
    login(client, "pl@example.org")
    page = client.get("/campaigns/new")
    response = client.post(
        "/campaigns/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "Kampania",
            "questionnaire_id": LIBRARY,
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
            "terms": "Warunki, których nie wolno zgubić",
        },
    )
    assert response.status_code == 400
    text = response.text
    assert 'id="error-summary"' in text
    assert text.count("Kampania nie może skończyć się przed rozpoczęciem.") == 2
    assert "Warunki, których nie wolno zgubić" in text  # nothing typed is lost
    assert db_count(app, Campaign) == 0


def db_count(app, model) -> int:
    with app.app_context():
        return len(list(db.session.scalars(select(model))))


# ------------------------------------------------------------------ participation


def test_participation_states_and_reminders_due(app, client):
    network = build_network(app, [False, None, "3"], ends_in_days=3)
    view = _view(app, network)
    states = [m.state for m in view.members]
    assert states == ["not_started", "in_progress", "submitted"]
    assert [m.reminder_due for m in view.members] == [True, True, False]
    p = view.participation
    assert (p.members, p.not_started, p.in_progress, p.submitted, p.reminders_due) == (
        3,
        1,
        1,
        1,
        2,
    )
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}").text
    assert "1 of 3 members submitted (33.3%)" in page
    assert "A reminder is due for 2 members" in page
    assert page.count("Reminder due") == 2
    assert 'id="participation-' in page  # the participation bar


def test_no_reminder_while_the_end_is_far(app):
    network = build_network(app, [False, None], ends_in_days=30)
    view = _view(app, network)
    assert not any(m.reminder_due for m in view.members)
    assert view.participation.reminders_sentence == ""


# ------------------------------------------------------------------ aggregate


def test_aggregate_hidden_under_the_minimum_group(app, client):
    network = build_network(app, ["1", "2", "3", "4", None])
    view = _view(app, network)
    assert not view.aggregate_shown
    assert view.overall.median is None and all(not a.distribution.shown for a in view.areas)
    assert view.start_areas == [] and view.recurring == []
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}/results").text
    assert 'id="aggregate-hidden"' in page and 'id="distribution"' not in page
    exported = json.loads(client.get(f"/campaigns/{network.campaign_id}/aggregate.json").data)
    assert exported["aggregate_shown"] is False
    assert exported["overall"]["median"] is None
    assert all(a["median"] is None for a in exported["areas"])


def test_aggregate_from_five_members_without_the_range_under_ten(app, client):
    network = build_network(app, ["0", "1", "2", "3", "4"])
    view = _view(app, network)
    assert view.aggregate_shown and view.overall.n == 5
    assert view.overall.lower_quartile <= view.overall.median <= view.overall.upper_quartile
    assert view.overall.minimum is None and view.overall.maximum is None
    assert view.start_areas and view.recurring
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}/results").text
    assert 'id="distribution"' in page and 'id="distribution-' in page  # table and chart
    assert "The lowest and highest scores are shown only from 10 members." in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/campaigns/{network.campaign_id}/aggregate.csv").data.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["figure", "n", "median"]
    overall = rows[1]
    assert overall[0] == "overall" and overall[1] == "5"
    assert float(overall[2]) == view.overall.median and overall[5:] == ["", ""]
    # No member is named in the aggregate.
    assert not any("Biblioteka" in cell for row in rows for cell in row)


# ------------------------------------------------------------------ individual results


def test_organiser_sees_only_the_results_of_members_that_share(app, client):
    network = build_network(app, ["3", "2", None], sharing=(0, 2))
    view = _view(app, network)
    linked = [m.result_audit_id for m in view.members]
    assert linked[0] is not None and linked[1] is None and linked[2] is None
    not_shared = view.members[1].audit_id
    login(client, "network@example.org")
    assert client.get(f"/audits/{linked[0]}/results").status_code == 200
    assert client.get(f"/audits/{not_shared}/results").status_code == 404
    # Access is granted for the results page only, nothing else of the member.
    assert client.get(f"/organisations/{network.organisation_ids[0]}").status_code == 404
    assert client.get(f"/organisations/{network.organisation_ids[0]}/history").status_code == 404
    page = client.get(f"/campaigns/{network.campaign_id}/results").text
    assert f"/audits/{linked[0]}/results" in page and f"/audits/{not_shared}/results" not in page


def test_members_own_editors_choose_to_share(app, client):
    network = build_network(app, ["3"])
    member_id = network.member_ids[0]
    login(client, "viewer@example.org")
    page = client.get(f"/campaign-memberships/{member_id}")
    assert page.status_code == 200 and "Organizator widzi udział" in page.text
    token = csrf_token(page.text)
    assert (
        client.post(
            f"/campaign-memberships/{member_id}",
            data={"csrf_token": token, "shares_results": "y"},
        ).status_code
        == 403
    )
    client.post("/logout", data={"csrf_token": token})
    login(client, "member@example.org")
    page = client.get(f"/organisations/{network.organisation_ids[0]}")
    assert f"/campaign-memberships/{member_id}" in page.text
    response = client.post(
        f"/campaign-memberships/{member_id}",
        data={"csrf_token": csrf_token(page.text), "shares_results": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CampaignMember, member_id).shares_results is True
        event = db.session.scalar(select(TrailEvent).filter_by(action="campaign_sharing_changed"))
        assert event is not None and event.details["shares_results"] is True


# ------------------------------------------------------------------ members


def test_joining_under_benchmark_terms_records_consent(app):
    network = build_network(app, [False, False], benchmarks=True)
    with app.app_context():
        for organisation_id in network.organisation_ids:
            assert db.session.get(Organisation, organisation_id).benchmark_consent is True
        events = list(
            db.session.scalars(select(TrailEvent).filter_by(action="benchmark_consent_given"))
        )
        assert sorted(e.object_id for e in events) == sorted(network.organisation_ids)
        assert all(e.details["campaign_id"] == network.campaign_id for e in events)


def test_no_consent_without_benchmark_terms(app):
    network = build_network(app, [False], benchmarks=False)
    with app.app_context():
        assert db.session.get(Organisation, network.organisation_ids[0]).benchmark_consent is False


def test_member_added_from_the_organisations_search(app, client):
    network = build_network(app, [])
    with app.app_context():
        network_user = db.session.scalar(select(User).filter_by(email="network@example.org"))
        own = _organisation("Miejska Biblioteka Łódź", network_user.id)
        db.session.commit()
        own_id = own.id
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}?q=lodz")
    assert "Miejska Biblioteka Łódź" in page.text
    response = client.post(
        f"/campaigns/{network.campaign_id}/members",
        data={"csrf_token": csrf_token(page.text), "organisation_id": str(own_id)},
    )
    assert response.status_code == 302
    page = client.get(f"/campaigns/{network.campaign_id}")
    assert "Miejska Biblioteka Łódź" in page.text
    # An organisation the organiser cannot see is refused as if it did not exist.
    with app.app_context():
        hidden = _organisation("Ukryta", db.session.scalar(select(User.id).filter_by(role="admin")))
        db.session.commit()
        hidden_id = hidden.id
    client.post(
        f"/campaigns/{network.campaign_id}/members",
        data={"csrf_token": csrf_token(page.text), "organisation_id": str(hidden_id)},
    )
    with app.app_context():
        members = {m.organisation_id for m in db.session.get(Campaign, network.campaign_id).members}
        assert own_id in members and hidden_id not in members
    # An id no column can hold, or digits that are not ASCII: the same message, no 500.
    for crafted in ("1" + "0" * 27, "²"):
        response = client.post(
            f"/campaigns/{network.campaign_id}/members",
            data={"csrf_token": csrf_token(page.text), "organisation_id": crafted},
            follow_redirects=True,
        )
        assert response.status_code == 200, crafted


def test_members_from_a_csv_with_row_errors(app, client):
    network = build_network(app, [])
    with app.app_context():
        network_user = db.session.scalar(select(User).filter_by(email="network@example.org"))
        for name in ("Biblioteka Łódź", "Biblioteka Gdańsk", "Filia", "Filia"):
            _organisation(name, network_user.id)
        db.session.commit()
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}/members/import")
    data = "nazwa;miasto\nbiblioteka lodz;Łódź\nNieznana;X\nFilia;Y\n;Z\nBiblioteka Gdańsk;\n"
    response = client.post(
        f"/campaigns/{network.campaign_id}/members/import",
        data={
            "csrf_token": csrf_token(page.text),
            "file": (io.BytesIO(data.encode()), "czlonkowie.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    text = response.text
    assert "3 rows were not added:" in text and 'id="error-summary"' in text
    assert "Line 3: no organisation “Nieznana” that you can see." in text
    assert "Line 4: several organisations are called “Filia”; use the id column." in text
    assert "Line 5: no name or id." in text
    with app.app_context():
        names = sorted(
            m.organisation.name for m in db.session.get(Campaign, network.campaign_id).members
        )
        assert names == ["Biblioteka Gdańsk", "Biblioteka Łódź"]
    # The same file again: every row is now either a member or an error.
    response = client.post(
        f"/campaigns/{network.campaign_id}/members/import",
        data={
            "csrf_token": csrf_token(page.text),
            "file": (io.BytesIO(data.encode()), "czlonkowie.csv"),
        },
        content_type="multipart/form-data",
    )
    assert "Line 2: “biblioteka lodz” is already a member." in response.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("miasto\nŁódź\n".encode(), "The file needs a column named “name”"),
        ("nazwa\nŁódź\n".encode("cp1250"), "The file is not UTF-8 text"),
        (b"", "This field is required."),
    ],
)
def test_an_unusable_csv_file_is_explained_at_the_field(app, client, content, message):
    network = build_network(app, [])
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}/members/import")
    response = client.post(
        f"/campaigns/{network.campaign_id}/members/import",
        data={
            "csrf_token": csrf_token(page.text),
            "file": (io.BytesIO(content), "x.csv") if content else (io.BytesIO(b""), ""),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.text and 'id="error-summary"' in response.text


# ------------------------------------------------------------------ report


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pl", ["Raport kampanii", "Udział", "Mediana", "Od czego powinna zacząć większość"]),
        ("en", ["Campaign report", "Participation", "Median", "Where most members should start"]),
    ],
)
def test_campaign_report_pdf_in_both_languages(app, client, lang, expected):
    network = build_network(app, ["0", "1", "2", "3", "4", None, False])
    view = _view(app, network, lang)
    login(client, "network@example.org")
    response = client.get(f"/campaigns/{network.campaign_id}/report.pdf?lang={lang}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    for phrase in expected:  # table headers are in capitals (text-transform)
        assert phrase.casefold() in flat.casefold(), phrase
    assert "Sieć bibliotek powiatu" in flat
    assert view.start_areas[0].title.split()[0] in flat
    assert view.overall.median_display in flat
    # The members are not named in the leadership's report.
    assert "Biblioteka 1" not in flat
