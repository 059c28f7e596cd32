"""The organiser's journey in a real browser: create a campaign (a refused date first,
pointed out at the top), add members from the organisations search and from a CSV file,
follow participation, open the aggregated results with their chart, open a sharing
member's results and download the campaign report; and remind the members that have
not submitted, then remove one, through their confirmation pages (axe-core on each)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Organisation, User
from tests.e2e.conftest import assert_accessible, create_consultant, log_in
from tests.web.test_campaign_reminders import _contact
from tests.web.test_campaigns import _audit, _organisation


def test_an_organiser_runs_a_campaign(page: Page, server, tmp_path):
    with server.app.app_context():
        consultant = create_consultant()
        db.session.flush()
        for index, level in enumerate(["0", "1", "2", "3", "4"]):
            _audit(_organisation(f"Filia nr {index + 1}", consultant.id), consultant, level)
        _organisation("Biblioteka Łódź-Bałuty", consultant.id)
        db.session.commit()
    log_in(page)
    page.get_by_role("link", name="Campaigns").first.click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Campaign name").fill("Sieć filii 2026")
    page.get_by_label("Questionnaire").select_option(label="Library CRM audit")
    page.get_by_label("Starts on").fill((date.today() + timedelta(days=5)).isoformat())
    page.get_by_label("Ends on").fill(date.today().isoformat())
    page.get_by_label("Terms shown to members").fill("Organizator widzi udział i wyniki zbiorcze.")
    page.get_by_role("button", name="Create the campaign").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The campaign cannot end before it starts.")
    expect(page.get_by_label("Campaign name")).to_have_value("Sieć filii 2026")  # kept
    page.get_by_label("Starts on").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_label("Ends on").fill((date.today() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Create the campaign").click()
    expect(page.locator("h1")).to_have_text("Sieć filii 2026")

    # One member from the search (without Polish letters), the rest from a CSV file.
    page.get_by_label("Find an organisation by name or city").fill("lodz baluty")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add Biblioteka Łódź-Bałuty").click()
    expect(page.locator("#members")).to_contain_text("Biblioteka Łódź-Bałuty")
    csv_file = tmp_path / "filie.csv"
    lines = ["nazwa"] + [f"Filia nr {i}" for i in range(1, 6)] + ["Filia nr 99"]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("CSV file with a name (or id) column").set_input_files(str(csv_file))
    page.get_by_role("button", name="Add from the file").click()
    expect(page.locator(".csv-row-errors")).to_contain_text(
        "Line 7: no organisation “Filia nr 99” that you can see."
    )
    expect(page.locator("#participation-summary")).to_have_text("5 of 6 members submitted (83.3%).")
    expect(page.locator("#reminders")).to_contain_text("A reminder is due for 1 member")
    expect(page.locator("svg[id^=participation-]")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "campaign-participation.png"), full_page=True)

    # A member agrees to share (its own editor: here the same consultant).
    with server.app.app_context():
        from audit_app.models import CampaignMember

        first = db.session.scalar(select(Organisation).filter_by(name="Filia nr 1"))
        member = db.session.scalar(select(CampaignMember).filter_by(organisation_id=first.id))
        member_id = member.id
        assert db.session.scalar(select(User.id).filter_by(email="con@example.org"))
    page.goto(f"/campaign-memberships/{member_id}")
    expect(page.locator(".terms")).to_have_text("Organizator widzi udział i wyniki zbiorcze.")
    page.get_by_label("The organiser may see our individual results").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your choice was saved.")).to_be_visible()

    page.goto("/campaigns")
    page.get_by_role("link", name="Sieć filii 2026").click()
    page.get_by_role("link", name="Aggregated results").click()
    expect(page.locator("#distribution")).to_be_visible()
    expect(page.locator("svg[id^=distribution-]")).to_be_visible()
    expect(page.locator("#start-areas li").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "campaign-results.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Campaign report (PDF, English)").click()
    assert download.value.suggested_filename.endswith("-en.pdf")
    page.locator("#individual").get_by_role("link", name="Filia nr 1").click()
    expect(page.locator("h1")).to_contain_text("Results")


def test_an_organiser_reminds_members_and_removes_one(page: Page, server, tmp_path):
    """The reminders' confirmation page (who gets one, who cannot be reached), sending
    them, "Reminded …" in participation; then removing a member through its
    confirmation page. Mail goes to the outbox (the SMTP side: test_campaign_reminders)."""
    from audit_app.services import campaigns

    with server.app.app_context():
        consultant = create_consultant()
        db.session.flush()
        campaign = campaigns.create(
            consultant,
            campaigns.CampaignInput(
                "Sieć filii 2026",
                "library-crm-audit",
                date.today() - timedelta(days=1),
                date.today() + timedelta(days=3),
            ),
        )
        for name, contact in [("Filia nr 1", "lucja@example.org"), ("Filia nr 2", None)]:
            organisation = _organisation(name, consultant.id)
            campaigns.add_member(consultant, campaign, organisation)
            if contact:
                _contact(organisation.id, "Łucja", "Więckowska", contact)
        db.session.commit()
        campaign_id = campaign.id
    server.app.config["MAIL_SERVER"] = "127.0.0.1"  # mail on: queued, not sent here
    try:
        log_in(page)
        page.goto(f"/campaigns/{campaign_id}")
        page.get_by_role("link", name="Remind the members that have not submitted").click()
        expect(page.locator("#reminder-recipients")).to_contain_text("lucja@example.org")
        expect(page.locator("#reminder-unreachable")).to_have_text("Filia nr 2")
        assert_accessible(page)
        page.screenshot(path=str(tmp_path / "campaign-reminders.png"), full_page=True)
        page.get_by_role("button", name="Send 1 reminder").click()
        expect(page.get_by_text("A reminder to 1 member is on its way.")).to_be_visible()
        expect(page.locator("#members .last-reminded")).to_have_count(1)

        page.get_by_role("link", name="Remove Filia nr 2 from the campaign").click()
        expect(page.locator("h1")).to_have_text("Remove a member from the campaign")
        assert_accessible(page)
        page.get_by_role("button", name="Remove from the campaign").click()
        expect(page.get_by_text("Filia nr 2 left the campaign.")).to_be_visible()
        expect(page.locator("#members")).not_to_contain_text("Filia nr 2")
        assert_accessible(page)
    finally:
        server.app.config.pop("MAIL_SERVER", None)
