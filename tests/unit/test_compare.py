"""Comparing two audits (pure domain): deltas, directions, versions that differ."""

from __future__ import annotations

from dataclasses import replace

import pytest

from audit_app.domain.answers import AnswerValue
from audit_app.domain.compare import (
    TOLERANCE,
    Delta,
    DifferentQuestionnaires,
    Side,
    compare,
    restrict,
)
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Condition, Questionnaire
from audit_app.domain.scoring import score
from tests.unit.builders import number_q, questionnaire, scale_q, section


def side(qn: Questionnaire, answers: dict[str, AnswerValue]) -> Side:
    return Side(qn, score(qn, answers), answers)


# Two sections; scale 0-4 -> 0/25/50/75/100 %.
QN = questionnaire(
    section("s1", scale_q("a", weight=2), scale_q("b"), scale_q("c")),
    section("s2", scale_q("d"), number_q("e", [(0, 10, 0), (10, None, 4)])),
)


@pytest.mark.parametrize(
    ("before", "after", "direction", "change"),
    [
        (50.0, 75.0, "improved", 25.0),
        (75.0, 50.0, "regressed", -25.0),
        (50.0, 50.0, "unchanged", 0.0),
        (50.0, 50.0 + TOLERANCE / 2, "unchanged", TOLERANCE / 2),
        (50.0, 50.1, "improved", 0.1),
        (50.0, 49.9, "regressed", -0.1),
        (None, 50.0, "not_comparable", None),
        (50.0, None, "not_comparable", None),
    ],
)
def test_delta_direction(before, after, direction, change):
    delta = Delta(before, after)
    assert delta.direction == direction
    if change is None:
        assert delta.change is None
    else:
        assert delta.change == pytest.approx(change)


def test_same_version_deltas_by_hand():
    before = side(QN, {"a": "2", "b": "4", "c": DONT_KNOW, "d": "1", "e": 5})
    after = side(QN, {"a": "3", "b": "4", "c": "2", "d": "0", "e": 12})
    result = compare(before, after)
    assert result.same_version
    assert result.shared_overall is None
    # s1 before: (50x2 + 100 + 0) / 4 = 50 (don't know counts 0); after: (75x2 + 100 + 50) / 4 = 75
    # s2 before: (25 + 0) / 2 = 12.5; after: (0 + 100) / 2 = 50
    sections = {s.section_id: s.delta for s in result.sections}
    assert sections["s1"].before == pytest.approx(50.0)
    assert sections["s1"].after == pytest.approx(75.0)
    assert sections["s2"].change == pytest.approx(37.5)
    # overall: (50 + 12.5) / 2 = 31.25 -> (75 + 50) / 2 = 62.5
    assert result.overall.before == pytest.approx((50 + 12.5) / 2)
    assert result.overall.after == pytest.approx(62.5)
    assert result.overall.direction == "improved"
    directions = {q.question_id: q.delta.direction for q in result.questions}
    assert directions == {
        "a": "improved",
        "b": "unchanged",
        "c": "improved",  # don't know counts 0 % (rule 2), then 50 %
        "d": "regressed",
        "e": "improved",
    }
    assert (result.count("improved"), result.count("regressed")) == (3, 1)
    assert (result.count("unchanged"), result.count("not_comparable")) == (1, 0)
    assert result.only_before == result.only_after == ()
    assert [q.section_id for q in result.questions] == ["s1", "s1", "s1", "s2", "s2"]


def test_not_applicable_and_unanswered_are_not_comparable():
    before = side(QN, {"a": NOT_APPLICABLE})
    after = side(QN, {"a": "4"})
    deltas = {q.question_id: q.delta for q in compare(before, after).questions}
    assert deltas["a"].direction == "not_comparable"
    assert deltas["b"].direction == "not_comparable"  # unanswered on both sides


def test_different_questionnaires_are_refused():
    other = replace(QN, id="other-audit")
    with pytest.raises(DifferentQuestionnaires):
        compare(side(QN, {}), side(other, {}))


def test_different_versions_compare_on_shared_questions():
    # The later version drops "c" and section s2's "e", and adds "f" in a new section s3.
    later = questionnaire(
        section("s1", scale_q("a", weight=2), scale_q("b")),
        section("s2", scale_q("d")),
        section("s3", scale_q("f")),
    )
    later = replace(later, version="2.0.0", content_hash="1" * 64)
    before = side(QN, {"a": "2", "b": "4", "c": "0", "d": "1", "e": 12})
    after = side(later, {"a": "3", "b": "4", "d": "3", "f": "4"})
    result = compare(before, after)
    assert not result.same_version
    assert result.only_before == ("c", "e")
    assert result.only_after == ("f",)
    assert result.sections_only_after == ("s3",)
    assert result.sections_only_before == ()
    assert [q.question_id for q in result.questions] == ["a", "b", "d"]
    # Official overall: before (s1 (50x2 + 100 + 0) / 4 = 50, s2 (25 + 100) / 2 = 62.5) = 56.25;
    # after (s1 (75x2 + 100) / 3 = 83.33, s2 75, s3 100) = 86.11.
    assert result.overall.before == pytest.approx(56.25)
    assert result.overall.after == pytest.approx((250 / 3 + 75 + 100) / 3)
    # Shared questions only: before s1 (50x2 + 100) / 3 = 66.67, s2 25 -> 45.83;
    # after s1 83.33, s2 75 (s3 has no shared question) -> 79.17.
    sections = {s.section_id: s.delta for s in result.sections}
    assert list(sections) == ["s1", "s2"]
    assert sections["s1"].before == pytest.approx(200 / 3)
    assert sections["s1"].after == pytest.approx(250 / 3)
    assert sections["s2"].before == pytest.approx(25.0)
    assert sections["s2"].after == pytest.approx(75.0)
    assert result.shared_overall is not None
    assert result.shared_overall.before == pytest.approx((200 / 3 + 25) / 2)
    assert result.shared_overall.after == pytest.approx((250 / 3 + 75) / 2)


def test_restrict_keeps_visibility_from_the_original_result():
    # "b" shows only when "a" is 3 or 4; "a" is dropped in the later version.
    gated = questionnaire(
        section("s1", scale_q("a"), scale_q("b", show_if=Condition("a", equals=("3", "4")))),
        section("s2", scale_q("c")),
    )
    later = replace(
        questionnaire(section("s1", scale_q("b")), section("s2", scale_q("c"))),
        content_hash="2" * 64,
    )
    # "a" = 0 hides "b" before: its stored answer must not count on the shared questions.
    before = side(gated, {"a": "0", "b": "4", "c": "2"})
    after = side(later, {"b": "2", "c": "2"})
    result = compare(before, after)
    sections = {s.section_id: s.delta for s in result.sections}
    assert sections["s1"].before is None  # b was hidden: no score on the shared questions
    assert sections["s1"].direction == "not_comparable"
    assert sections["s2"].direction == "unchanged"
    b = next(q for q in result.questions if q.question_id == "b")
    assert b.before is not None and b.before.status == "hidden"
    assert b.delta.direction == "not_comparable"


def test_restrict_drops_empty_sections_and_conditions():
    restricted = restrict(QN, {"d"})
    assert [s.id for s in restricted.sections] == ["s2"]
    assert [q.id for q in restricted.questions] == ["d"]
    assert all(q.show_if is None for q in restricted.questions)
