"""Combining several respondents (domain.respondents): the rule, examples and properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.domain.answers import AnswerValue
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire, Role
from audit_app.domain.respondents import (
    DISPUTE_SPREAD,
    Response,
    combine,
    combine_group,
    gap_roles,
    group_shown,
    perception_gap,
)
from audit_app.domain.scoring import score
from audit_app.reporting.role_charts import grouped_bar_chart
from tests.unit.builders import make_scale, questionnaire, scale_q, section, t
from tests.unit.test_scoring_properties import PROPERTY_SETTINGS, answers_for, questionnaires

QN = questionnaire(
    section("a", scale_q("q1"), scale_q("q2", weight=2)),
    section("b", scale_q("q3"), weight=3),
)


def response(key: str, role: str = "staff", **answers: AnswerValue) -> Response:
    return Response(key, role, answers)


# --------------------------------------------------------------------------- examples


def test_median_and_spread_per_question():
    combined = combine_group(
        QN,
        [
            response("1", q1="0", q2="4", q3="2"),
            response("2", q1="2", q2="4", q3="2"),
            response("3", q1="4", q2="3", q3="2"),
        ],
    )
    q1, q2, q3 = combined.questions
    assert (q1.median, q1.spread, q1.percents) == (50.0, 100.0, (0.0, 50.0, 100.0))
    assert (q2.median, q2.spread) == (100.0, 25.0)
    assert (q3.median, q3.spread) == (50.0, 0.0)
    assert [q.question_id for q in combined.disputed] == ["q1"]
    # section a = (50 x 1 + 100 x 2) / 3; b = 50; overall = (83.33 + 50 x 3) / 4
    assert combined.section("a").percent == pytest.approx(250 / 3)
    assert combined.overall == pytest.approx((250 / 3 + 150) / 4)
    assert combined.respondents == 3


def test_even_number_of_answers_takes_the_mean_of_the_middle_two():
    combined = combine_group(QN, [response("1", q1="1"), response("2", q1="4")])
    assert combined.question("q1").median == pytest.approx(62.5)
    assert combined.question("q1").spread == pytest.approx(75.0)


def test_dont_know_and_not_applicable_are_counted_but_not_combined():
    combined = combine_group(
        QN,
        [
            response("1", q1=DONT_KNOW, q3=NOT_APPLICABLE),
            response("2", q1="4", q3=NOT_APPLICABLE),
            response("3", q1=NOT_APPLICABLE),
        ],
    )
    q1, q2, q3 = combined.questions
    assert (q1.median, q1.answered, q1.dont_know, q1.not_applicable) == (100.0, 1, 1, 1)
    assert (q2.median, q2.spread, q2.answered) == (None, None, 0)
    assert (q3.median, q3.not_applicable) == (None, 2)
    assert combined.section("b").percent is None
    assert combined.overall == pytest.approx(100.0)  # only section a has a score


def test_disputed_threshold_is_on_percent():
    assert DISPUTE_SPREAD == 50.0
    two_steps = combine_group(QN, [response("1", q1="1"), response("2", q1="3")])
    one_step = combine_group(QN, [response("1", q1="1"), response("2", q1="2")])
    assert two_steps.question("q1").disputed and not one_step.question("q1").disputed
    # A 0-10 scale: 5 steps apart is 50 points.
    ten = make_scale("ten", list(range(11)))
    wide = questionnaire(section("s", scale_q("w", scale=ten)))
    assert combine_group(wide, [response("1", w="2"), response("2", w="7")]).disputed
    assert not combine_group(wide, [response("1", w="2"), response("2", w="6")]).disputed


def test_roles_and_perception_gap():
    result = combine(
        QN,
        [
            response("1", "leadership", q1="4", q2="4", q3="4"),
            response("2", "leadership", q1="3", q2="4", q3="4"),
            response("3", "frontline_staff", q1="1", q2="1", q3="2"),
        ],
    )
    assert set(result.roles) == {"leadership", "frontline_staff"}
    assert result.roles["leadership"].question("q1").median == pytest.approx(87.5)
    gaps = perception_gap(QN, result.roles["leadership"], result.roles["frontline_staff"])
    a, b = gaps
    assert a.high == pytest.approx((87.5 + 200) / 3) and a.low == pytest.approx(25.0)
    assert a.gap == pytest.approx(a.high - a.low)
    assert b.gap == pytest.approx(50.0)
    assert perception_gap(QN, result.roles["leadership"], None)[0].gap is None


def test_gap_roles_prefers_leadership_and_front_line_staff():
    def with_roles(*ids: str) -> Questionnaire:
        base = questionnaire(section("s", scale_q("q")))
        roles = tuple(Role(i, t(i)) for i in ids)
        return Questionnaire(**{**base.__dict__, "roles": roles})

    assert gap_roles(with_roles("it", "frontline_staff", "leadership")) == (
        "leadership",
        "frontline_staff",
    )
    assert gap_roles(with_roles("board", "managers", "staff")) == ("board", "staff")
    assert gap_roles(with_roles("only")) is None


def test_group_shown_is_the_anonymity_threshold():
    assert not group_shown(2, 3) and group_shown(3, 3) and group_shown(4, 3)
    assert not group_shown(0, 0) and group_shown(1, 1)


def test_grouped_bar_chart_is_accessible_and_readable_without_colour():
    svg = grouped_bar_chart(
        ["1. Users", "2. Data & <tools>"],
        [("Everyone", [50.0, None]), ("Leadership", [100.0, 75.0])],
        title="Scores by role",
        no_data="not enough",
        lang="pl",
        chart_id="roles",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="roles-title">Scores by role</title>' in svg
    assert "1. Users: Everyone 50%, Leadership 100%" in svg
    assert "Data &amp; &lt;tools&gt;" in svg and "<tools>" not in svg
    assert "style=" not in svg
    assert svg.count('class="bar"') == 4 and "not enough" in svg
    assert set(re.findall(r'data-name="([^"]+)"', svg)) == {"Everyone", "Leadership"}
    empty = grouped_bar_chart(["1. Users"], [], no_data="no data")
    assert "no data" in empty and 'class="bar"' not in empty


# --------------------------------------------------------------------------- properties


@st.composite
def panels(draw: st.DrawFn) -> tuple[Questionnaire, list[Response]]:
    qn = draw(questionnaires())
    count = draw(st.integers(1, 6))
    roles = st.sampled_from(["leadership", "frontline_staff", "it"])
    responses = [Response(f"r{i}", draw(roles), draw(answers_for(qn))) for i in range(count)]
    return qn, responses


def fingerprint(result: object) -> object:
    combined = result.combined  # type: ignore[attr-defined]
    return (
        combined.overall,
        tuple((s.section_id, s.percent) for s in combined.sections),
        tuple(
            (q.question_id, q.median, q.spread, q.dont_know, q.not_applicable)
            for q in combined.questions
        ),
        {
            role: (group.overall, tuple(s.percent for s in group.sections))
            for role, group in result.roles.items()  # type: ignore[attr-defined]
        },
    )


@PROPERTY_SETTINGS
@given(panels(), st.randoms(use_true_random=False))
def test_the_order_of_respondents_does_not_matter(panel, random) -> None:
    qn, responses = panel
    shuffled = list(responses)
    random.shuffle(shuffled)
    assert fingerprint(combine(qn, responses)) == fingerprint(combine(qn, shuffled))


@PROPERTY_SETTINGS
@given(questionnaires().flatmap(lambda qn: st.tuples(st.just(qn), answers_for(qn))))
def test_one_respondent_equals_the_single_respondent_score(case) -> None:
    qn, answers = case
    single = score(qn, answers)
    combined = combine(qn, [Response("only", "leadership", answers)]).combined
    assert combined.overall == single.overall
    assert [s.percent for s in combined.sections] == [s.percent for s in single.sections]
    assert [q.median for q in combined.questions] == [q.percent for q in single.questions]
    assert all(q.spread in (None, 0.0) for q in combined.questions)


@PROPERTY_SETTINGS
@given(panels())
def test_medians_lie_within_the_answers_and_everything_within_0_and_100(panel) -> None:
    qn, responses = panel
    combined = combine(qn, responses).combined
    for q in combined.questions:
        if q.percents:
            assert q.percents[0] <= q.median <= q.percents[-1]
            assert q.spread == q.percents[-1] - q.percents[0]
            assert q.answered + q.dont_know + q.not_applicable <= len(responses)
        elif q.dont_know:  # only unknowns: 0 %, as a single respondent's "don't know"
            assert q.median == 0.0 and q.spread is None
        else:
            assert q.median is None and q.spread is None
    for value in [combined.overall, *(s.percent for s in combined.sections)]:
        assert value is None or 0.0 <= value <= 100.0


@PROPERTY_SETTINGS
@given(panels())
def test_everybody_agreeing_is_the_same_as_one_of_them(panel) -> None:
    qn, responses = panel
    same = [Response(f"c{i}", "it", responses[0].answers) for i in range(len(responses))]
    many = combine(qn, same).combined
    one = score(qn, responses[0].answers)
    assert many.overall == one.overall
    assert [s.percent for s in many.sections] == [s.percent for s in one.sections]
    assert not many.disputed
