"""The short recommendation titles reach every output (issue 15, item 8): the PDF
designs, parsed back to text, and the command line's text result."""

from __future__ import annotations

import pytest

from audit_app.domain.loader import load_questionnaire
from audit_app.extensions import db
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_archive import render_audit
from tests.support.sample import sample_history
from tests.unit.test_cli import FIXTURES, run  # noqa: F401  (a fixture)
from tests.unit.test_pdf_designs import flat, pdf_pages
from tests.unit.test_recommendation_titles import SHIPPED


@pytest.fixture
def history(ctx):
    result = sample_history(catalogue().get("library-crm-audit"), audits=2)
    db.session.commit()
    return result


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_full_pdf_heads_each_recommendation_with_its_title(history, lang):
    context, rendered = render_audit(history.current, "full", lang)
    text = " ".join(pdf_pages(rendered.pdf))
    titles = {
        r.id: r.title
        for q in load_questionnaire(SHIPPED / "library-crm-audit.yaml").questions
        for r in q.recommendations
    }
    assert context["recommendations"]
    for item in context["recommendations"]:
        if item["id"] in titles:
            assert item["title"] == getattr(titles[item["id"]], lang)
        assert flat(item["title"]) in text, item["title"]


def test_the_brief_pdf_names_first_actions_by_title(history):
    context, rendered = render_audit(history.current, "brief", "en")
    text = " ".join(pdf_pages(rendered.pdf))
    assert context["first_actions"]
    for item in context["first_actions"]:
        assert "…" not in item["title"] and flat(item["title"]) in text


def test_the_command_line_shows_the_titles(run):  # noqa: F811
    result = run("score", "library-crm-audit", str(FIXTURES / "answers" / "library.yaml"))
    titles = [
        r.title.en
        for q in load_questionnaire(SHIPPED / "library-crm-audit.yaml").questions
        for r in q.recommendations
        if r.title
    ]
    shown = [t for t in titles if f". {t} [" in result.output]
    assert shown, result.output
