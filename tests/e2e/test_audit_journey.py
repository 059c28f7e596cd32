"""The everyday journey in a real browser: create an organisation, run the library audit
to the end (autosave proven by a reload in the middle), see the results and the chart,
run a second audit, compare the two, switch language; axe-core checks each screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_first_steps import create_first_admin


def answer_visible_questions(page: Page, option: int) -> None:
    """Click option number `option` of every visible question and wait until saved."""
    for fieldset in page.locator("fieldset.question:visible").all():
        qid = fieldset.get_attribute("data-question-id")
        page.locator(f"label[for='a-{qid}-{option}']").click()
        expect(page.locator(f"#status-{qid}")).to_have_attribute("data-status", "saved")


def run_library_audit(page: Page, organisation_url: str, option: int, reload_check: bool) -> str:
    page.goto(organisation_url)
    page.get_by_role("link", name="Start an audit").click()
    page.locator("#start-form input[value='library-crm-audit']").check()
    page.get_by_role("button", name="Start the audit").click()
    expect(page.locator("#answer-form")).to_be_visible()
    assert_accessible(page)
    section_links = [
        link.get_attribute("href") for link in page.locator("nav.section-nav ol a").all()
    ]
    for index, href in enumerate(section_links):
        page.goto(href)
        answer_visible_questions(page, option)
        if reload_check and index == 0:
            # A reload in the middle loses nothing: the answers come back from the server.
            page.reload()
            for fieldset in page.locator("fieldset.question:visible").all():
                qid = fieldset.get_attribute("data-question-id")
                expect(page.locator(f"#a-{qid}-{option}")).to_be_checked()
            expect(page.locator("#progress")).to_have_attribute("value", re.compile(r"[1-9]"))
    page.get_by_role("link", name="Review and submit").first.click()
    assert_accessible(page)
    page.locator("#confirm").check()
    page.locator("#submit-audit").click()
    expect(page.get_by_role("heading", name=re.compile("^Results:"))).to_be_visible()
    return page.url


def test_library_audit_from_start_to_comparison(page: Page):
    create_first_admin(page)
    page.get_by_role("link", name="Organisations").first.click()
    page.get_by_role("link", name="Add an organisation").first.click()
    page.get_by_label("Name").fill("Miejska Biblioteka Publiczna w Żyrardowie")
    page.get_by_label("Type").select_option("library")
    page.get_by_label("City").fill("Żyrardów")
    page.get_by_role("button", name="Add the organisation").click()
    expect(
        page.get_by_role("heading", name="Miejska Biblioteka Publiczna w Żyrardowie")
    ).to_be_visible()
    organisation_url = page.url

    run_library_audit(page, organisation_url, option=2, reload_check=True)
    radar = page.locator("svg[role='img']").first
    expect(radar).to_be_visible()
    expect(radar.locator("desc")).to_contain_text("%")
    expect(page.get_by_text("Quick wins").first).to_be_visible()
    assert_accessible(page)

    run_library_audit(page, organisation_url, option=4, reload_check=False)
    page.goto(organisation_url)
    page.get_by_role("link", name="History and comparison").click()
    expect(page.locator("svg[role='img']").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text(re.compile(r"Questions: 15 improved"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Polski").click()
    expect(page.get_by_text(re.compile(r"Pytania: poprawa – 15"))).to_be_visible()
    assert_accessible(page)
