"""Recommendation titles (issue 15, item 8): an optional short `title` in the questionnaire
format, written for every recommendation of the shipped questionnaires, carried by the
one result model as the heading; a heading is cut from the text only without one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_app.domain.loader import load_questionnaire, load_questionnaire_text
from audit_app.domain.questionnaire import Text
from audit_app.domain.recommendations import (
    RecommendationItem,
    item_from_dict,
    item_to_dict,
)
from audit_app.domain.roadmap import recommendation_views
from audit_app.wording import translator
from tests.unit.builders import questionnaire, scale_q, section
from tests.unit.test_loader import base, dump, errors_of

SHIPPED = Path(__file__).parents[2] / "questionnaires"
LONG_TEXT = (
    "The director asks one person to prepare two things within a quarter. Both documents "
    "are agreed with the data protection officer, so that only the data the services need "
    "is collected."
)


def _with_title(title: object) -> str:
    data = base()
    data["sections"][0]["recommendations"][0]["title"] = title
    return dump(data)


def test_the_loader_takes_an_optional_title() -> None:
    loaded = load_questionnaire_text(_with_title({"pl": "Krótko", "en": "In short"}), "t.yaml")
    first = loaded.sections[0].recommendations[0]
    assert first.title == Text("Krótko", "In short")
    without = load_questionnaire_text(dump(base()), "t.yaml")
    assert without.sections[0].recommendations[0].title is None


@pytest.mark.parametrize(
    "title",
    [
        {"pl": "Krótko"},  # both languages
        {"pl": "Krótko", "en": "   "},  # not empty
        {"pl": "Krótko", "en": "x" * 81},  # short: at most 80 characters
        "In short",  # a text, not a string
    ],
)
def test_the_loader_refuses_a_bad_title(title: object) -> None:
    errors = errors_of(_with_title(title))
    assert errors, title
    assert any("title" in f"{e.path} {e.message}" for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_recommendation_has_a_short_title(path: Path) -> None:
    q = load_questionnaire(path)
    recs = [r for s in q.sections for r in s.recommendations]
    recs += [r for question in q.questions for r in question.recommendations]
    assert recs
    for rec in recs:
        assert rec.title is not None, rec.id
        for words in (rec.title.pl, rec.title.en):
            assert 0 < len(words) <= 80 and not words.endswith(("…", ".")), (rec.id, words)


def _item(rec_id: str, title: Text | None) -> RecommendationItem:
    return RecommendationItem(
        id=rec_id,
        scope="question",
        target_id="q1",
        section_id="s",
        text=Text(pl=LONG_TEXT, en=LONG_TEXT),
        impact="high",
        effort="low",
        category="quick_win",
        priority=1.0,
        blocked_by=(),
        triggered_by=(),
        title=title,
    )


def test_the_result_model_heads_with_the_title_and_falls_back_to_the_text() -> None:
    qn = questionnaire(section("s", scale_q("q1")))
    titled = _item("a", Text("Mapa i rejestr", "A map and a register"))
    untitled = _item("b", None)
    views = recommendation_views([titled, untitled], qn, [], None, {}, translator("en"))
    by_id = {v.id: v for v in views}
    assert by_id["a"].title == "A map and a register"
    assert by_id["a"].rest == LONG_TEXT  # the whole text under the short title
    assert (
        by_id["b"].title == "The director asks one person to prepare two things within a quarter."
    )
    assert LONG_TEXT.startswith(by_id["b"].title) and by_id["b"].rest
    polish = recommendation_views([titled], qn, [], None, {}, translator("pl"))
    assert polish[0].title == "Mapa i rejestr"


def test_the_title_survives_the_frozen_result() -> None:
    item = _item("a", Text("Mapa", "Map"))
    assert item_from_dict(json.loads(json.dumps(item_to_dict(item)))) == item
    assert item_from_dict(json.loads(json.dumps(item_to_dict(_item("b", None))))).title is None
