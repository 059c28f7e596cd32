"""Reminder e-mails from a campaign's organiser, through the outbox to a real SMTP server
(aiosmtpd, tests/smtp_server.py): the confirmation page lists the members that have not
submitted with their register contact, names those that cannot be reached; the POST
(CSRF) queues one message each in the contact's language (Polish by default); the
participation page then shows when each was reminded; only the organiser may; with mail
off nothing is queued."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import (
    Campaign,
    CampaignMember,
    Membership,
    OutboxMessage,
    Person,
    PersonEmail,
    TrailEvent,
)
from audit_app.services.campaign_results import campaign_view
from audit_app.services.mail import outbox
from audit_app.services.register.text import email_key
from tests.conftest import csrf_token, login
from tests.smtp_server import html_part, text_part
from tests.web.test_api import bearer, make_token
from tests.web.test_campaigns import build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test starts on an empty database."""


def _contact(organisation_id: int, first: str, last: str, email: str, **kw) -> None:
    person = Person(first_name=first, last_name=last, language=kw.get("language"))
    db.session.add(person)
    db.session.flush()
    db.session.add(
        PersonEmail(
            person_id=person.id,
            email=email,
            email_key=email_key(email),
            is_primary=True,
            opt_out=kw.get("opt_out", False),
        )
    )
    db.session.add(Membership(person_id=person.id, organisation_id=organisation_id))


def _network(app):
    """Members: 1 not started (contact, no language: Polish), 2 in progress (English
    contact), 3 submitted, 4 not started without contact, 5 whose only address is
    opted out."""
    network = build_network(app, [False, None, "3", False, False], ends_in_days=4)
    ids = network.organisation_ids
    with app.app_context():
        _contact(ids[0], "Łucja", "Więckowska", "lucja@example.org")
        _contact(ids[1], "Jan", "Kowalski", "jan@example.org", language="en")
        _contact(ids[2], "Ewa", "Nowak", "ewa@example.org")
        _contact(ids[4], "Adam", "Zając", "adam@example.org", opt_out=True)
        db.session.commit()
    return network


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_the_organiser_reminds_members_that_have_not_submitted(app, client, smtp):
    network = _network(app)
    base = f"/campaigns/{network.campaign_id}"
    login(client, "network@example.org")
    participation = client.get(base).text
    assert f'href="{base}/reminders"' in participation

    page = client.get(f"{base}/reminders").text
    assert "A reminder will go to 2 members" in page
    assert "Łucja Więckowska &lt;lucja@example.org&gt;" in page
    assert "Jan Kowalski &lt;jan@example.org&gt;" in page
    assert "ewa@example.org" not in page  # submitted: no reminder
    unreachable = page.split('id="reminder-unreachable"')[1].split("</ul>")[0]
    assert "Biblioteka 4" in unreachable and "Biblioteka 5" in unreachable
    assert "adam@example.org" not in page  # opted out
    assert "Send 2 reminders" in page
    assert _outbox(app) == 0  # the page sends nothing

    assert client.post(f"{base}/reminders").status_code == 400  # no CSRF token
    assert _outbox(app) == 0
    done = client.post(f"{base}/reminders", data={"csrf_token": csrf_token(page)})
    assert done.status_code == 302 and done.headers["Location"].endswith(base)
    shown = client.get(base).text
    assert "Reminders to 2 members are on their way." in shown
    assert shown.count('class="muted last-reminded"') == 2

    with app.app_context():
        report = outbox.send_due()
        assert (report.sent, report.failed) == (2, 0)
        polish = smtp.recorder.to("lucja@example.org")[0]
        assert polish["Subject"] == "Przypomnienie: kampania Sieć bibliotek powiatu"
        assert polish["Content-Language"] == "pl"
        text = text_part(polish)
        assert text.startswith("Dzień dobry, Łucja Więckowska")
        assert "Organizacja Biblioteka 1 uczestniczy w kampanii Sieć bibliotek powiatu" in text
        member_ids = dict(
            db.session.execute(
                select(CampaignMember.organisation_id, CampaignMember.id).filter_by(
                    campaign_id=network.campaign_id
                )
            ).all()
        )
        link = f"/campaign-memberships/{member_ids[network.organisation_ids[0]]}"
        assert link in text and link in html_part(polish)
        assert "List-Unsubscribe" in polish  # optional mail: one can opt out
        english = smtp.recorder.to("jan@example.org")[0]
        assert english["Subject"] == "Reminder: the campaign Sieć bibliotek powiatu"
        assert english["Content-Language"] == "en"
        assert "Biblioteka 2 has started the audit of the campaign" in text_part(english)
        assert len(smtp.received) == 2

        view = campaign_view(db.session.get(Campaign, network.campaign_id), "en")
        reminded = {m.organisation_name: m.last_reminded_at for m in view.members}
        assert reminded["Biblioteka 1"] and reminded["Biblioteka 2"]
        assert reminded["Biblioteka 3"] is None and reminded["Biblioteka 4"] is None
        event = db.session.scalar(select(TrailEvent).filter_by(action="campaign_reminders_sent"))
        assert event is not None and event.object_id == network.campaign_id
        assert sorted(event.details["organisation_ids"]) == sorted(network.organisation_ids[:2])
        organiser = db.session.get(Campaign, network.campaign_id).organiser_id
    # The API tells it too.
    detail = client.get(
        f"/api/v1/campaigns/{network.campaign_id}", headers=bearer(make_token(app, organiser))
    ).get_json()
    assert [m["last_reminded_at"] is not None for m in detail["members"]] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_only_the_organiser_may_remind(app, client, smtp):
    network = _network(app)
    path = f"/campaigns/{network.campaign_id}/reminders"
    login(client, "member@example.org")
    assert client.get(path).status_code == 404
    token = csrf_token(client.get("/").text)
    assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert _outbox(app) == 0


def test_with_mail_off_nothing_is_queued_and_the_page_says_why(app, client):
    network = _network(app)
    path = f"/campaigns/{network.campaign_id}/reminders"
    login(client, "network@example.org")
    page = client.get(path).text
    assert 'id="mail-off"' in page and "Send 2 reminders" not in page
    after = client.post(path, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "E-mail is off in this installation." in after.text
    assert _outbox(app) == 0
