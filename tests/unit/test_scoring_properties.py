"""Property tests of scoring over random questionnaires and random answers."""

from __future__ import annotations

import json
from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audit_app.domain.answers import AnswerValue, question_percent, validate_answer
from audit_app.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Condition,
    Question,
    Questionnaire,
    TargetProfile,
    VerdictRule,
)
from audit_app.domain.recommendations import items_from_dicts, items_to_dicts, recommend
from audit_app.domain.scoring import (
    UNKNOWN_STATUSES,
    AuditResult,
    result_from_dict,
    result_to_dict,
    score,
)
from tests.unit.builders import (
    make_scale,
    multiple_q,
    number_q,
    questionnaire,
    rec,
    scale_q,
    section,
    single_q,
    text_q,
)

PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)

scores = st.sampled_from([0, 0.5, 1, 2, 3, 4, 10])
positive = st.sampled_from([0.5, 1, 2, 5])
weights = st.sampled_from([0.5, 1, 2, 3])
levels3 = st.sampled_from(["low", "medium", "high"])


@st.composite
def option_scores(draw: st.DrawFn, allow_negative: bool = False) -> dict[str, float]:
    values = draw(
        st.lists(
            st.sampled_from([-2, -1] if allow_negative else [0]) | scores, min_size=1, max_size=4
        )
    )
    values.append(draw(positive))  # at least one positive option: full score > 0
    return {f"o{i}": float(v) for i, v in enumerate(draw(st.permutations(values)))}


@st.composite
def number_bands(draw: st.DrawFn) -> list[tuple[float | None, float | None, float]]:
    cuts = sorted(draw(st.sets(st.integers(-5, 50), min_size=1, max_size=4)))
    open_low, open_high = draw(st.booleans()), draw(st.booleans())
    edges: list[float | None] = [None if open_low else cuts[0] - 3, *cuts]
    edges.append(None if open_high else cuts[-1] + 3)
    band_scores = [draw(scores) for _ in range(len(edges) - 1)]
    band_scores[draw(st.integers(0, len(band_scores) - 1))] = draw(positive)
    return list(zip(edges[:-1], edges[1:], band_scores, strict=True))


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    earlier: list[Question] = []
    sections = []
    for s in range(draw(st.integers(1, 3))):
        questions = []
        for _ in range(draw(st.integers(1 if s == 0 else 0, 4))):
            qid = f"q{len(earlier)}"
            kw: dict[str, Any] = {
                "weight": draw(weights),
                "critical": draw(st.booleans()),
                "dont_know": draw(st.booleans()),
                "not_applicable": draw(st.booleans()),
                "recs": [
                    rec(
                        f"r-{qid}-{n}",
                        draw(st.sampled_from([25, 50, 75, 101])),
                        draw(levels3),
                        draw(levels3),
                    )  # type: ignore[arg-type]
                    for n in range(draw(st.integers(0, 2)))
                ],
            }
            controllers = [q for q in earlier if q.scored]
            if controllers and draw(st.booleans()):
                ctrl = draw(st.sampled_from(controllers))
                if ctrl.choices and draw(st.booleans()):
                    values = [o.value for o in ctrl.choices]
                    equals = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2))
                    kw["show_if"] = Condition(ctrl.id, equals=tuple(equals))
                else:
                    kw["show_if"] = Condition(
                        ctrl.id, min_score=draw(st.sampled_from([0, 25, 50, 100]))
                    )
            if earlier and draw(st.booleans()):
                kw["requires"] = draw(st.sampled_from(earlier)).id
            qtype = draw(st.sampled_from(["scale", "single", "multiple", "number", "text"]))
            if qtype == "scale":
                q = scale_q(qid, scale=make_scale("s", draw(option_scores())), **kw)
            elif qtype == "single":
                q = single_q(qid, draw(option_scores()), **kw)
            elif qtype == "multiple":
                max_score = draw(st.none() | st.sampled_from([1.0, 3.0, 6.0]))
                q = multiple_q(qid, draw(option_scores(allow_negative=True)), max_score, **kw)
            elif qtype == "number":
                q = number_q(qid, draw(number_bands()), **kw)
            else:
                q = text_q(qid, **kw)
            questions.append(q)
            earlier.append(q)
        sections.append(
            section(
                f"s{s}",
                *questions,
                weight=draw(weights),
                recs=[rec(f"sec-{s}", draw(st.sampled_from([40, 60, 101])))],
            )
        )
    targets = [
        TargetProfile(
            "library", draw(st.sampled_from([0, 50, 100])), {"s0": draw(st.sampled_from([30, 80]))}
        )
    ]
    verdict = VerdictRule(critical_cap=draw(st.sampled_from(["conditional", "not_ready"])))
    return questionnaire(*sections, targets=targets, verdict=verdict)


def valid_values(q: Question) -> list[AnswerValue]:
    """Every distinct valid non-special answer (one number per band)."""
    if q.type in ("scale", "single"):
        return [o.value for o in q.choices]
    if q.type == "multiple":
        values = [o.value for o in q.options]
        return [list(c) for n in range(len(values) + 1) for c in combinations(values, n)]
    if q.type == "number":
        return [b.min if b.min is not None else (b.max or 0) - 1.5 for b in q.bands]
    return ["some text"]


@st.composite
def answers_for(draw: st.DrawFn, qn: Questionnaire) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {}
    for q in qn.questions:
        kind = draw(st.sampled_from(["missing", "none", "dk", "na", "valid", "valid", "invalid"]))
        if kind == "missing":
            continue
        answers[q.id] = (
            {
                "none": None,
                "dk": DONT_KNOW,
                "na": NOT_APPLICABLE,
                "invalid": draw(st.sampled_from(["nonsense", 3, ["bad"], -1000.0])),
            }.get(kind)
            if kind != "valid"
            else draw(st.sampled_from(valid_values(q)))
        )
    return answers


@st.composite
def audits(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, AnswerValue], str | None]:
    qn = draw(questionnaires())
    return qn, draw(answers_for(qn)), draw(st.sampled_from([None, "library", "ngo"]))


def scores_of(result: AuditResult) -> tuple[object, ...]:
    return (
        result.overall,
        result.level_id,
        result.verdict,
        result.critical_failures,
        tuple((q.question_id, q.percent) for q in result.questions),
        tuple((s.section_id, s.percent, s.gap) for s in result.sections),
    )


def in_range(value: float | None) -> bool:
    return value is None or 0.0 <= value <= 100.0


@PROPERTY_SETTINGS
@given(audits())
def test_all_scores_are_within_0_and_100(
    audit: tuple[Questionnaire, dict[str, AnswerValue], str | None],
) -> None:
    qn, answers, org = audit
    result = score(qn, answers, org)
    assert in_range(result.overall) and in_range(result.coverage) and in_range(result.gap)
    assert all(in_range(q.percent) for q in result.questions)
    assert all(in_range(s.percent) and in_range(s.gap) for s in result.sections)
    for q in result.questions:
        assert (q.percent is None) == (q.status not in ("scored", *UNKNOWN_STATUSES))
        if q.points is not None:
            assert 0.0 <= q.points <= q.max_points
    assert result.verdict in ("ready", "conditional", "not_ready")
    assert all(i.priority >= 0 for i in recommend(qn, result))


@PROPERTY_SETTINGS
@given(audits(), st.data())
def test_adding_na_to_an_unanswered_question_changes_no_score(
    audit: tuple[Questionnaire, dict[str, AnswerValue], str | None], data: st.DataObject
) -> None:
    qn, answers, org = audit
    candidates = [q for q in qn.questions if q.not_applicable and answers.get(q.id) is None]
    assume(candidates)
    q = data.draw(st.sampled_from(candidates))
    before = score(qn, answers, org)
    after = score(qn, {**answers, q.id: NOT_APPLICABLE}, org)
    assert scores_of(after) == scores_of(before)


@PROPERTY_SETTINGS
@given(audits(), st.data())
def test_raising_an_answer_never_lowers_section_or_overall(
    audit: tuple[Questionnaire, dict[str, AnswerValue], str | None], data: st.DataObject
) -> None:
    qn, answers, org = audit
    before = score(qn, answers, org)
    controllers = {q.show_if.question for q in qn.questions if q.show_if}
    candidates = [
        q
        for q in qn.questions
        if q.id not in controllers and (s := before.question(q.id)) and s.status == "scored"
    ]
    assume(candidates)
    q = data.draw(st.sampled_from(candidates))
    current = before.question(q.id).percent  # type: ignore[union-attr]
    higher = [v for v in valid_values(q) if (question_percent(q, v) or 0.0) >= current]
    new_value = data.draw(st.sampled_from(higher))
    assert validate_answer(q, new_value) is None
    after = score(qn, {**answers, q.id: new_value}, org)
    section_id = before.question(q.id).section_id  # type: ignore[union-attr]
    assert after.section(section_id).percent >= before.section(section_id).percent  # type: ignore[operator,union-attr]
    assert after.overall >= before.overall  # type: ignore[operator]


@PROPERTY_SETTINGS
@given(audits())
def test_same_input_same_output_and_round_trip(
    audit: tuple[Questionnaire, dict[str, AnswerValue], str | None],
) -> None:
    qn, answers, org = audit
    first, second = score(qn, answers, org), score(qn, answers, org)
    assert first == second
    assert result_from_dict(json.loads(json.dumps(result_to_dict(first)))) == first
    items = recommend(qn, first)
    assert items == recommend(qn, second)
    assert items_from_dicts(json.loads(json.dumps(items_to_dicts(items)))) == items


@PROPERTY_SETTINGS
@given(audits(), st.randoms(use_true_random=False))
def test_result_is_independent_of_answer_order(
    audit: tuple[Questionnaire, dict[str, AnswerValue], str | None], rnd: Any
) -> None:
    qn, answers, org = audit
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    assert score(qn, shuffled, org) == score(qn, answers, org)
    assert recommend(qn, score(qn, shuffled, org)) == recommend(qn, score(qn, answers, org))
