"""The report context: plain JSON data computed from the domain, in the chosen language."""

from __future__ import annotations

import json

import pytest

from audit_app.domain.recommendations import recommend
from audit_app.extensions import db
from audit_app.models import Answer
from audit_app.reporting.glyphs import printable
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_context import (
    ContextError,
    brand_settings,
    build_context,
    previous_audit,
)
from audit_app.wording import polish_messages, translator
from tests.support.sample import sample_history

PLAIN = (dict, list, str, int, float, bool, type(None))


def only_plain(value, path="context"):
    assert isinstance(value, PLAIN), f"{path} is {type(value).__name__}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            only_plain(item, f"{path}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            only_plain(item, f"{path}[{index}]")


@pytest.fixture
def history(ctx):
    result = sample_history(catalogue().get("library-crm-audit"), audits=3)
    db.session.commit()
    return result


def test_context_is_plain_json_matching_the_domain(history):
    audit = history.current
    context = build_context(audit, "full", "pl")
    only_plain(context)
    assert json.loads(json.dumps(context)) == context

    result = audit_service.current_result(audit)
    questionnaire = audit_service.questionnaire_for(audit)
    assert context["result"]["overall"] == result.overall  # unrounded; the display string rounds
    assert context["result"]["verdict"] == result.verdict
    assert (
        context["result"]["verdict_label"]
        == {
            "ready": "Gotowość",
            "conditional": "Gotowość warunkowa",
            "not_ready": "Brak gotowości",
        }[result.verdict]
    )
    items = recommend(questionnaire, result)
    assert [r["id"] for r in context["recommendations"]] == [i.id for i in items]
    # The first actions come from the start area first, then in the roadmap's order.
    start = context["start"]["area"]["id"]
    first = context["first_actions"]
    own = [r for r in context["recommendations"] if r["area_id"] == start]
    others = [r for r in context["recommendations"] if r["area_id"] != start]
    assert first == (own + others)[:5]
    assert context["top_actions"] == first
    roadmap = {phase["id"]: phase["items"] for phase in context["roadmap"]}
    assert all(r["category"] == "quick_win" for r in roadmap["quick_wins"])
    assert all(r["category"] == "major_project" for r in roadmap["major_projects"])
    assert sum(len(v) for v in roadmap.values()) == len(items)

    scored = sorted(
        (d for d in context["dimensions"] if d["percent"] is not None),
        key=lambda d: -d["percent"],
    )
    assert context["strongest"][0]["percent"] == scored[0]["percent"]
    assert context["weakest"][0]["percent"] == scored[-1]["percent"]
    assert len(context["strongest"]) == len(context["weakest"]) == 3

    assert [p["audit_id"] for p in context["trend"]["points"]] == [a.id for a in history.audits]
    assert context["trend"]["points"][-1]["current"] is True
    assert context["actions"]["total"] == 4  # two actions after each earlier audit
    assert context["comparison"] is None
    assert context["perception"] is None  # nobody was invited to answer
    # Answers, notes and what they mean come through.
    questions = [q for d in context["dimensions"] for q in d["questions"]]
    assert any(q["note"] for q in questions)
    assert any(q["meaning"] for q in questions)
    first = questionnaire.questions[0]
    answer = next(a for a in audit.answers if a.question_id == first.id)
    shown = questions[0]
    option = next((o for o in first.choices if o.value == answer.value), None)
    if option is not None:
        assert shown["answer"] == option.label.pl


def test_english_context_uses_english_texts(history):
    context = build_context(history.current, "brief", "en")
    questionnaire = audit_service.questionnaire_for(history.current)
    assert context["questionnaire"]["title"] == questionnaire.title.en
    assert context["dimensions"][0]["title"] == questionnaire.sections[0].title.en
    assert context["verdict_sentence"].startswith("The organisation")


def test_progress_compares_with_the_previous_audit_by_default(history):
    current, previous, oldest = history.audits[-1], history.audits[-2], history.audits[0]
    assert previous_audit(current) == previous
    context = build_context(current, "progress", "en")
    comparison = context["comparison"]
    assert comparison["before"]["audit_id"] == previous.id
    assert comparison["after"]["audit_id"] == current.id
    before = audit_service.current_result(previous).overall
    after = audit_service.current_result(current).overall
    assert comparison["overall_delta"] == pytest.approx(after - before)

    chosen = build_context(current, "progress", "en", compare_to=oldest)["comparison"]
    assert chosen["before"]["audit_id"] == oldest.id
    # The order of the two audits does not matter: earlier is "before".
    swapped = build_context(oldest, "progress", "en", compare_to=current)["comparison"]
    assert (swapped["before"]["audit_id"], swapped["after"]["audit_id"]) == (oldest.id, current.id)


def test_refuses_what_cannot_be_reported(history):
    oldest = history.audits[0]
    with pytest.raises(ContextError) as error:
        build_context(oldest, "progress", "pl")
    assert error.value.code == "nothing_to_compare"
    with pytest.raises(ContextError):
        build_context(oldest, "poster", "pl")
    draft = audit_service.start_audit(
        history.organisation, audit_service.questionnaire_for(oldest), history.user
    )
    with pytest.raises(ContextError) as error:
        build_context(draft, "full", "pl")
    assert error.value.code == "not_submitted"


def test_characters_the_fonts_lack_are_replaced(history, app):
    answer = db.session.query(Answer).filter_by(audit_id=history.current.id).first()
    answer.note = "Świetnie 🙂 – 中文 ok"
    db.session.flush()
    context = build_context(history.current, "full", "pl")
    notes = [q["note"] for d in context["dimensions"] for q in d["all_questions"]]
    assert "Świetnie \ufffd – \ufffd\ufffd ok" in notes
    fonts = app.config["REPORTS_DIR"] / "fonts"
    assert printable({"a": ["zażółć gęślą jaźń"]}, fonts) == {"a": ["zażółć gęślą jaźń"]}


def test_brand_settings_have_defaults_and_refuse_bad_values(app):
    with app.app_context():
        assert brand_settings() == {
            "name": "CRM Readiness Audit",
            "logo": "brand/logo.svg",
            "accent": "#1f5f8b",
        }
        assert brand_settings("pl")["name"] == "Audyt gotowości CRM"
        app.config.update(
            REPORT_BRAND_NAME="Doradztwo Łukasz Żółw",
            REPORT_BRAND_LOGO="../pyproject.toml",
            REPORT_ACCENT_COLOR="red; } body { display: none",
        )
        try:
            assert brand_settings() == {
                "name": "Doradztwo Łukasz Żółw",
                "logo": None,
                "accent": "#1f5f8b",
            }
            app.config.update(REPORT_ACCENT_COLOR="#8A1538", REPORT_BRAND_LOGO="brand/logo.svg")
            assert brand_settings()["accent"] == "#8A1538"
        finally:
            for key in ("REPORT_BRAND_NAME", "REPORT_BRAND_LOGO", "REPORT_ACCENT_COLOR"):
                app.config.pop(key, None)


def test_report_translations_are_complete_and_keep_placeholders():
    import re

    messages = polish_messages()
    assert len(messages.singular) > 150
    for msgid, msgstr in messages.singular.items():
        found = sorted(re.findall(r"%\((\w+)\)", msgid))
        assert sorted(re.findall(r"%\((\w+)\)", msgstr)) == found, msgid
    pl = translator("pl")
    assert pl.gettext("The decision in brief") == "Decyzja w skrócie"
    assert pl.gettext("Unknown text stays") == "Unknown text stays"
    assert [pl.ngettext("%(num)s action", "%(num)s actions", n) for n in (1, 3, 5, 12, 22)] == [
        "1 działanie",
        "3 działania",
        "5 działań",
        "12 działań",
        "22 działania",
    ]
    en = translator("en")
    assert en.ngettext("%(num)s action", "%(num)s actions", 1) == "1 action"
    assert en.gettext("target %(target)s", target="60%") == "target 60%"
    with pytest.raises(ValueError):
        translator("de")
