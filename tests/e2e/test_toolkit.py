"""The consultant's toolkit in a real browser: an administrator uploads a questionnaire,
sees its problems, previews it as respondents will (conditions working, both
languages) and compares it; a consultant attaches an evidence file and downloads the
workshop files."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from audit_app.extensions import db
from audit_app.models import Organisation
from audit_app.services import audits as audit_service
from audit_app.services.accounts import create_user
from audit_app.services.questionnaires import catalogue
from tests.conftest import PASSWORD
from tests.e2e.conftest import CONSULTANT, assert_accessible, create_consultant, log_in
from tests.web.test_questionnaire_admin import READINESS, readiness_1_1

SHOTS = Path("/tmp/toolkit-shots")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_administrator_checks_previews_and_compares_a_questionnaire(
    page: Page, server, tmp_path
):
    with server.app.app_context():
        create_user(email="admin@example.org", name="Admin", password=PASSWORD, role="admin",
                    language="en")  # fmt: skip
        db.session.commit()
    log_in(page, "admin@example.org")
    page.get_by_role("link", name="Questionnaires").click()

    broken = tmp_path / "broken.yaml"
    text = READINESS.read_text(encoding="utf-8").replace('version: "1.0.0"', "version: 1.0", 1)
    broken.write_text(text, encoding="utf-8")
    page.get_by_label("Questionnaire file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#problems")).to_contain_text("Line 6:")
    expect(page.locator(".qa-error-line")).to_contain_text("version: 1.0")
    shot(page, "1-problems")
    assert_accessible(page)

    good = tmp_path / "crm-readiness-1.1.yaml"
    good.write_text(readiness_1_1(), encoding="utf-8")
    page.get_by_label("Questionnaire file (YAML)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#changes-added")).to_contain_text("q99_new_question")
    expect(page.locator("#changes-scoring")).to_contain_text("q01_customer_vision")
    shot(page, "2-draft")
    assert_accessible(page)

    page.get_by_role("link", name="Preview in English").click()
    page.get_by_role("link", name="Strategy").first.click()
    follow_up = page.locator("#q-q10_pilot_first")
    expect(follow_up).to_be_hidden()
    page.locator("label[for='a-q09_phased_roadmap-1']").click()  # "Yes"
    expect(follow_up).to_be_visible()  # the condition works without a reload
    shot(page, "3-preview-en")
    assert_accessible(page)
    page.locator("label[for='a-q09_phased_roadmap-3']").click()  # "No"
    expect(follow_up).to_be_hidden()

    page.get_by_role("link", name="Polski").click()
    expect(page.locator("h1")).to_have_text("Gotowość do wdrożenia CRM")
    expect(page.locator("#q-q09_phased_roadmap legend")).to_contain_text(
        "Czy istnieje plan wdrożenia podzielony na etapy"
    )
    shot(page, "4-preview-pl")


def test_a_consultant_attaches_evidence_and_downloads_the_workshop_files(
    page: Page, server, tmp_path
):
    with server.app.app_context():
        user = create_consultant()
        organisation = Organisation(name="Biblioteka", type="library", created_by_id=user.id)
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        db.session.commit()
        audit_id = audit.id
    log_in(page, CONSULTANT)
    page.goto(f"/audits/{audit_id}")
    evidence = tmp_path / "vision.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("#file-q01_customer_vision").set_input_files(str(evidence))
    page.locator("#evidence-files-q01_customer_vision button.evidence-link").click()
    expect(page.locator("#evidence-files-q01_customer_vision")).to_contain_text("vision.pdf")
    shot(page, "5-evidence")

    page.get_by_role("link", name="Workshop files: Excel and paper").click()
    with page.expect_download() as caught:
        page.get_by_role("link", name="English").first.click()
    book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert book.worksheets[0].title == "Answers"
    shot(page, "6-files")
    assert_accessible(page)
