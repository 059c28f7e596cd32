"""Recommendations: firing, priority, categories, order, prerequisites, triggers."""

from __future__ import annotations

import json

import pytest

from audit_app.domain.answers import AnswerValue
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Condition, Questionnaire
from audit_app.domain.recommendations import (
    RecommendationItem,
    Trigger,
    category_for,
    item_from_dict,
    item_to_dict,
    items_from_dicts,
    items_to_dicts,
    recommend,
)
from audit_app.domain.scoring import score
from tests.unit.builders import multiple_q, questionnaire, rec, scale_q, section, t


def run(qn: Questionnaire, answers: dict[str, AnswerValue]) -> list[RecommendationItem]:
    return recommend(qn, score(qn, answers))


def ids(items: list[RecommendationItem]) -> list[str]:
    return [i.id for i in items]


@pytest.mark.parametrize(
    ("impact", "effort", "category"),
    [
        ("high", "low", "quick_win"),
        ("medium", "low", "quick_win"),
        ("high", "medium", "major_project"),
        ("medium", "high", "major_project"),
        ("low", "low", "fill_in"),
        ("low", "medium", "thankless"),
        ("low", "high", "thankless"),
    ],
)
def test_category(impact: str, effort: str, category: str) -> None:
    assert category_for(impact, effort) == category  # type: ignore[arg-type]


def test_question_recommendation_fires_strictly_below_threshold() -> None:
    qn = questionnaire(section("s", scale_q("q1", recs=[rec("r1", 50)])))
    assert run(qn, {"q1": "2"}) == []  # 50 % is not below 50
    (item,) = run(qn, {"q1": "1"})
    assert (item.id, item.scope, item.target_id, item.section_id) == ("r1", "question", "q1", "s")
    assert (item.impact, item.effort, item.category) == ("medium", "low", "quick_win")
    assert item.priority == pytest.approx(0.75 * 1 * 2)
    assert item.text == t("do r1")
    assert item.blocked_by == ()
    assert item.triggered_by == (Trigger("q1", "1", 25.0),)


def test_priority_uses_weight_critical_factor_and_impact() -> None:
    q = scale_q("q1", weight=2, critical=True, recs=[rec("r1", 50, impact="high")])
    (item,) = run(questionnaire(section("s", q)), {"q1": "1"})
    assert item.priority == pytest.approx(0.75 * 2 * 1.5 * 3)


@pytest.mark.parametrize("answer", [None, NOT_APPLICABLE])
def test_no_question_item_without_a_percent(answer: AnswerValue) -> None:
    qn = questionnaire(section("s", scale_q("q1", recs=[rec("r1", 50)])))
    assert run(qn, {"q1": answer}) == []


def test_hidden_question_fires_nothing() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("q1"),
            scale_q("q2", show_if=Condition("q1", equals=("4",)), recs=[rec("r2", 50)]),
        )
    )
    assert run(qn, {"q1": "3", "q2": "0"}) == []
    assert run(qn, {"q1": "4", "q2": DONT_KNOW})[0].id == "facts-q2"
    assert run(qn, {"q1": "3", "q2": DONT_KNOW}) == []


def test_dont_know_yields_establish_the_facts_item() -> None:
    q = scale_q(
        "q1",
        weight=2,
        critical=True,
        text=t("Who owns the data?", "Kto jest właścicielem danych?"),
        recs=[rec("r1", 50)],
    )
    (item,) = run(questionnaire(section("s", q)), {"q1": DONT_KNOW})
    assert (item.id, item.scope, item.target_id, item.section_id) == (
        "facts-q1",
        "facts",
        "q1",
        "s",
    )
    assert (item.impact, item.effort, item.category) == ("medium", "low", "quick_win")
    assert item.priority == pytest.approx(1.0 * 2 * 1.5 * 2)
    assert "Kto jest właścicielem danych?" in item.text.pl
    assert item.text.pl.startswith("Ustal fakty")
    assert "Who owns the data?" in item.text.en
    assert item.text.en.startswith("Establish the facts")
    assert item.triggered_by == (Trigger("q1", DONT_KNOW, 0.0),)


def test_section_recommendation_cites_questions_below_threshold_lowest_first() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("q1"),
            scale_q("q2"),
            scale_q("q3"),
            scale_q("q4"),
            scale_q("q5"),
            weight=3,
            recs=[rec("sec", 50, impact="high", effort="medium")],
        )
    )
    # q1 50, q2 25, q3 100, q4 25, q5 100 -> section (50+25+100+25+100)/5 = 60
    assert run(qn, {"q1": "2", "q2": "1", "q3": "4", "q4": "1", "q5": "4"}) == []
    items = run(qn, {"q1": "2", "q2": "1", "q3": "3", "q4": "1", "q5": DONT_KNOW})
    assert ids(items) == ["facts-q5", "sec"]
    sec = items[1]
    assert (sec.scope, sec.target_id, sec.section_id, sec.category) == (
        "section",
        "s",
        "s",
        "major_project",
    )
    percent = (50 + 25 + 75 + 25 + 0) / 5  # don't know counts 0
    assert sec.priority == pytest.approx((100 - percent) / 100 * 3 * 3)
    assert sec.triggered_by == (
        Trigger("q5", DONT_KNOW, 0.0),
        Trigger("q2", "1", 25.0),
        Trigger("q4", "1", 25.0),
    )
    assert sec.blocked_by == ()


def test_section_recommendation_does_not_use_critical_factor() -> None:
    qn = questionnaire(section("s", scale_q("q1", critical=True), recs=[rec("sec", 50)]))
    (item,) = run(qn, {"q1": "0"})
    assert item.priority == pytest.approx(1.0 * 1 * 2)


def ordering_audit() -> Questionnaire:
    return questionnaire(
        section(
            "s1",
            scale_q("q1", recs=[rec("thankless", 50, impact="low", effort="high")]),
            scale_q("q2", recs=[rec("fill", 50, impact="low", effort="low")]),
            scale_q("q3", recs=[rec("major", 50, impact="high", effort="high")]),
            scale_q("q4", recs=[rec("quick-small", 50, impact="medium", effort="low")]),
            scale_q("q5", recs=[rec("quick-big", 50, impact="high", effort="low")]),
            scale_q("q6", recs=[rec("quick-tie", 50, impact="medium", effort="low")]),
        ),
        section("s2", recs=[rec("sec-quick", 90, impact="medium", effort="low")]),
    )


def test_order_by_category_then_priority_then_file_order() -> None:
    items = run(ordering_audit(), {f"q{n}": "0" for n in range(1, 7)})
    assert ids(items) == [
        "quick-big",  # priority 3
        "quick-small",  # priority 2, before q6 by file order
        "quick-tie",
        "major",
        "fill",
        "thankless",
    ]
    assert [i.category for i in items] == [
        "quick_win",
        "quick_win",
        "quick_win",
        "major_project",
        "fill_in",
        "thankless",
    ]


def test_section_items_precede_their_questions_on_equal_priority() -> None:
    qn = questionnaire(
        section("s", scale_q("q1", recs=[rec("q-rec", 50)]), recs=[rec("s-rec", 50)])
    )
    assert ids(run(qn, {"q1": "0"})) == ["s-rec", "q-rec"]


def test_prerequisite_items_come_first_regardless_of_group() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("a", requires="b", recs=[rec("rec-a", 50, impact="high", effort="low")]),
            scale_q("b", recs=[rec("rec-b", 50, impact="low", effort="high")]),
            scale_q("c", recs=[rec("rec-c", 50, impact="low", effort="low")]),
        )
    )
    items = run(qn, {"a": "0", "b": "0", "c": "0"})
    assert ids(items) == ["rec-c", "rec-b", "rec-a"]
    by_id = {i.id: i for i in items}
    assert by_id["rec-a"].blocked_by == ("b",)
    assert by_id["rec-b"].blocked_by == ()
    # b fine -> a has no fired prerequisite and is not blocked
    items = run(qn, {"a": "0", "b": "4", "c": "0"})
    assert ids(items) == ["rec-a", "rec-c"]
    assert items[0].blocked_by == ()


def test_facts_item_of_prerequisite_blocks_dependent() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("a", requires="b", weight=5, recs=[rec("rec-a", 50, impact="high")]),
            scale_q("b"),
        )
    )
    items = run(qn, {"a": "0", "b": DONT_KNOW})
    assert ids(items) == ["facts-b", "rec-a"]
    assert items[1].blocked_by == ("b",)


def test_prerequisite_chain() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("c", requires="a", weight=9, recs=[rec("rec-c", 50, impact="high")]),
            scale_q("a", requires="b", weight=5, recs=[rec("rec-a", 50, impact="high")]),
            scale_q("b", recs=[rec("rec-b", 50, impact="low", effort="high")]),
        )
    )
    items = run(qn, {"a": "0", "b": "0", "c": "0"})
    assert ids(items) == ["rec-b", "rec-a", "rec-c"]
    assert [i.blocked_by for i in items] == [(), ("b",), ("a",)]


def test_requires_cycle_does_not_hang() -> None:
    qn = questionnaire(
        section(
            "s",
            scale_q("a", requires="b", recs=[rec("rec-a", 50)]),
            scale_q("b", requires="a", recs=[rec("rec-b", 50)]),
        )
    )
    assert sorted(ids(run(qn, {"a": "0", "b": "0"}))) == ["rec-a", "rec-b"]


def test_multiple_recommendations_on_one_question_and_horizon() -> None:
    horizon = t("Start with a workshop", "Zacznij od warsztatu")
    q = multiple_q(
        "q1",
        {"x": 1, "y": 1, "z": 2},
        recs=[rec("below-75", 75, horizon=horizon), rec("below-25", 25, impact="high")],
    )
    items = run(questionnaire(section("s", q)), {"q1": ["y", "x"]})
    assert ids(items) == ["below-75"]
    assert items[0].horizon == horizon
    assert items[0].triggered_by == (Trigger("q1", ["x", "y"], 50.0),)
    items = run(questionnaire(section("s", q)), {"q1": []})
    assert ids(items) == ["below-25", "below-75"]


def test_dict_round_trip() -> None:
    qn = ordering_audit()
    answers: dict[str, AnswerValue] = {f"q{n}": "0" for n in range(1, 7)}
    answers["q6"] = DONT_KNOW
    items = run(qn, answers)
    assert items
    data = json.loads(json.dumps(items_to_dicts(items)))
    assert items_from_dicts(data) == items
    assert item_from_dict(item_to_dict(items[0])) == items[0]


def test_deterministic() -> None:
    qn = ordering_audit()
    answers: dict[str, AnswerValue] = {f"q{n}": "1" for n in range(1, 7)}
    reversed_answers = dict(reversed(list(answers.items())))
    assert run(qn, answers) == run(qn, reversed_answers)
