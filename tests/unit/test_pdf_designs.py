"""Every report design in both languages, rendered and read back from the PDF.

The numbers and texts are checked against the plain context the report was rendered
from (which `test_pdf_context` checks against the domain), so these tests are about
what reaches the page: verdict, scores, recommendations, Polish letters, page
numbers, the table of contents, vector charts and embedded fonts.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from audit_app.extensions import db
from audit_app.reporting.pdf import renderer
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_archive import render_audit
from tests.support.sample import sample_history

POLISH_LETTERS = "ąęłóśżźćń"


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def history(ctx):
    result = sample_history(catalogue().get("library-crm-audit"), audits=3)
    db.session.commit()
    return result


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("design", ["full", "brief", "progress"])
def test_design_renders_verdict_scores_and_recommendations(history, design, lang):
    context, rendered = render_audit(history.current, design, lang)
    pages = pdf_pages(rendered.pdf)
    text = " ".join(pages)
    assert rendered.pages == len(pages) > 0
    assert rendered.pdf.startswith(b"%PDF-")

    if design == "progress":
        comparison = context["comparison"]
        assert comparison["after"]["audit_id"] == history.current.id
        assert comparison["before"]["audit_id"] == history.audits[-2].id
        for side in ("before", "after"):
            assert comparison[side]["overall_display"] in text
            assert comparison[side]["verdict_label"] in text
        for row in comparison["dimensions"]:
            assert flat(row["title"]) in text
            assert row["after_display"] in text
    else:
        assert context["result"]["verdict_label"] in text
        assert flat(context["verdict_sentence"]) in text
        assert context["result"]["overall_display"] in text
        for item in context["first_actions"]:  # the brief names them by their heading
            assert flat(item["title" if design == "brief" else "text"]) in text
        for dimension in context["strongest"] + context["weakest"]:
            assert dimension["percent_display"] in text
    if design == "full":
        for dimension in context["dimensions"]:
            assert f"{dimension['index']}. {flat(dimension['title'])}" in text
            assert dimension["percent_display"] in text
        for item in context["recommendations"]:
            assert flat(item["text"]) in text
        every_answer = [q for d in context["dimensions"] for q in d["all_questions"]]
        assert all(flat(q["text"]) in text for q in every_answer)
        assert context["questionnaire"]["content_hash"] in text

    if lang == "pl":
        assert set(POLISH_LETTERS) <= set(text), set(POLISH_LETTERS) - set(text)
        assert f"Strona 2 z {len(pages)}" in pages[1]
        # Page 1 is the decision: verdict, where to start, what leadership decides.
        assert "Decyzja w skrócie" in pages[0]
        assert flat(context["start"]["sentence"]) in pages[0]
        assert all(flat(d) in pages[0] for d in context["decisions"])
    else:
        assert f"Page 2 of {len(pages)}" in pages[1]
        assert "Łódź" in text or "Łodzi" in text  # data keeps its letters in English too


def test_brief_is_two_pages_in_both_languages(history):
    for lang in ("pl", "en"):
        _context, rendered = render_audit(history.current, "brief", lang)
        assert rendered.pages == 2


def test_full_report_contents_point_at_the_right_pages(history):
    context, rendered = render_audit(history.current, "full", "en")
    pages = pdf_pages(rendered.pdf)
    assert pages[0].count("The decision in brief") >= 1  # page 1 is the decision
    contents = pages[1]
    assert contents.startswith("Contents")
    assert "Miejska Biblioteka Publiczna w Łodzi" in contents  # running header
    headings = {
        "Strengths, weaknesses and first actions": "Strengths, weaknesses and first actions",
        "Results at a glance": "Results at a glance",
        "Recommendations: roadmap": "Recommendations: roadmap",
        "Appendix: all answers": "Appendix: all answers",
    }
    for entry, heading in headings.items():
        number = int(re.search(re.escape(entry) + r" (\d+)", contents).group(1))
        # The running header names the chapter; its first page holds the heading.
        assert heading in pages[number - 1], (entry, number)
    first = context["dimensions"][0]
    label = f"{first['index']}. {first['title']}"
    number = int(re.search(re.escape(label) + r" (\d+)", contents).group(1))
    assert label in pages[number - 1]  # its heading (areas follow one another)


def test_charts_are_vector_and_fonts_come_from_reports(history):
    _context, rendered = render_audit(history.current, "full", "pl")
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert all(len(page.images) == 0 for page in reader.pages)  # no raster image at all
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    html = rendered.html
    assert html.count("<svg") >= 3  # radar, bars, trend (logo is an <img> of an SVG file)
    assert 'role="img"' in html


def test_general_questionnaire_summary_fits_one_page(ctx):
    """The general questionnaire (38 questions, 8 dimensions, long action texts)."""
    history = sample_history(
        catalogue().get("crm-readiness"),
        organisation_name="Żabka Consulting sp. z o.o.",
        organisation_type="company",
        audits=4,
    )
    db.session.commit()
    context, rendered = render_audit(history.current, "full", "pl")
    pages = pdf_pages(rendered.pdf)
    summary = next(
        i
        for i, p in enumerate(pages)
        if "Mocne i słabe strony, pierwsze działania" in p and "Spis treści" not in p
    )
    last_action = flat(context["first_actions"][-1]["text"])
    assert last_action in pages[summary]  # the five actions end on the summary page
    assert len(context["trend"]["points"]) == 4
    assert "Postęp w czasie" in " ".join(pages)


def test_branding_comes_from_the_settings(history, app):
    app.config.update(
        REPORT_BRAND_NAME="Doradztwo Łukasz Żółw",
        REPORT_ACCENT_COLOR="#8a1538",
        REPORT_BRAND_LOGO="brand/logo.svg",
    )
    try:
        _context, rendered = render_audit(history.current, "brief", "pl")
    finally:
        for key in ("REPORT_BRAND_NAME", "REPORT_ACCENT_COLOR", "REPORT_BRAND_LOGO"):
            app.config.pop(key, None)
    assert "--accent: #8a1538" in rendered.html
    assert 'src="../brand/logo.svg"' in rendered.html
    pages = pdf_pages(rendered.pdf)
    assert all("Doradztwo Łukasz Żółw" in page for page in pages)  # header and running footer
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert reader.metadata["/Author"] == "Doradztwo Łukasz Żółw"


@pytest.mark.parametrize("design", ["full", "brief", "progress"])
def test_every_anchor_of_a_design_is_unique(history, app, design):
    """The table of contents links to chapters by id; a chart with the same id as its
    chapter made WeasyPrint warn "Anchor defined twice" and the link ambiguous."""
    context, _rendered = render_audit(history.current, design, "pl")
    html = renderer(app.config["REPORTS_DIR"]).render_html(design, context)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids, "no anchors found: the pattern no longer matches the markup"
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
