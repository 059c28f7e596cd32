"""The peer benchmark on the results page in a real browser (issue 16): the demo's
library sees "Na tle podobnych bibliotek" at once - the box chart with its marker and
the table with the model's figures - on a desktop and a phone, and axe-core finds
nothing serious."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from audit_app.commands.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from audit_app.extensions import db
from audit_app.models import Audit, Organisation
from audit_app.services.result_model import result_model
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_demo_results_page_shows_how_the_library_compares(browser: Browser, server, viewport):
    with server.app.app_context():
        create_demo(date(2026, 12, 1))
        db.session.commit()
        audit = db.session.scalars(
            select(Audit)
            .join(Organisation)
            .where(Organisation.name.like("Miejska Biblioteka%"), Audit.status == "submitted")
            .order_by(Audit.submitted_at.desc())
        ).first()
        view = result_model(audit, "pl").benchmark
        audit_id = audit.id
    assert view is not None and view.overall is not None and view.peers >= 8
    width, height = viewport
    context = browser.new_context(
        base_url=server.url, locale="pl-PL", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/login")
        page.locator("input[name=email]").fill(DEMO_EMAIL)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form button.primary").click()
        page.goto(f"/audits/{audit_id}/results")
        section = page.locator("#benchmark")
        heading = section.get_by_role("heading", name="Na tle podobnych bibliotek")
        heading.scroll_into_view_if_needed()
        expect(heading).to_be_visible()
        chart = section.locator("svg#benchmark-results")
        expect(chart).to_be_visible()
        assert chart.locator("g.benchmark-row").count() == 1 + len(view.areas)
        overall = section.locator("#benchmark-table tr[data-row='overall']")
        expect(overall.locator("td").nth(0)).to_have_text(view.overall.you_display)
        expect(overall.locator("td").nth(1)).to_have_text(view.overall.median_display)
        expect(overall.locator("td").nth(2)).to_have_text(view.overall.middle_display)
        expect(section).not_to_contain_text("porównawcza nr")  # no peer is named
        # The chart fits the screen: nothing wider than the viewport.
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        # On a phone the table scrolls sideways: its region takes the keyboard focus.
        expect(section.locator(".table-wrap")).to_have_attribute("tabindex", "0")
        if width >= 1000:
            # (On a phone axe also flags the page's other scrolling tables, not ours.)
            assert_accessible(page)
    finally:
        context.close()
