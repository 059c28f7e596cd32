"""Honest unknowns over every shipped questionnaire (scoring rule 2).

"Don't know" counts as 0 % in the headline score, so replacing any answer by "don't know"
never raises the score nor improves the verdict, and choosing a better option never
lowers them. Generated answer sets cover every question of the shipped files, show_if
conditions included.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audit_app.config import Config
from audit_app.domain.answers import AnswerValue, question_percent, validate_answer
from audit_app.domain.loader import load_directory
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire
from audit_app.domain.scoring import VERDICT_RANK, score

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])


@cache
def shipped() -> tuple[Questionnaire, ...]:
    report = load_directory(Config.SHIPPED_QUESTIONNAIRES_DIR)
    assert report.errors == []
    return tuple(report.questionnaires[key] for key in sorted(report.questionnaires))


def choices(question: Question) -> list[AnswerValue]:
    """Every answer a respondent can give, "don't know" and "n/a" where allowed."""
    values: list[AnswerValue] = [None]
    if question.type in ("scale", "single"):
        values += [o.value for o in question.choices]
    elif question.type == "multiple":
        options = [o.value for o in question.options]
        values += [[], options[:1], options[1:], options]
    elif question.type == "number":
        values += [b.min if b.min is not None else (b.max or 0) - 1 for b in question.bands]
    else:
        values += ["notes"]
    if question.type != "text":
        if question.dont_know:
            values.append(DONT_KNOW)
        if question.not_applicable:
            values.append(NOT_APPLICABLE)
    return [v for v in values if validate_answer(question, v) is None]


@st.composite
def audits(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, AnswerValue], str | None]:
    questionnaire = draw(st.sampled_from(shipped()))
    answers = {q.id: draw(st.sampled_from(choices(q))) for q in questionnaire.questions}
    org = draw(st.sampled_from([None, *questionnaire.organisation_types]))
    return questionnaire, answers, org


def test_the_library_fixture_all_unknown_scores_lower_not_higher() -> None:
    """The case from the issue: every 0 and 1 of the library sample made "don't know"."""
    library = next(q for q in shipped() if q.id == "library-crm-audit")
    answers: dict[str, AnswerValue] = {
        "q01_identify_users": "2",
        "q02_interaction_data": "3",
        "q04_user_information_access": "4",
        "q05_merge_department_data": "1",
        "q09_user_segments": "0",
        "q10_communication_channels": "1",
    }
    known = score(library, answers)
    unknown = score(library, {k: DONT_KNOW if v in ("0", "1") else v for k, v in answers.items()})
    assert unknown.overall is not None and known.overall is not None
    assert unknown.overall <= known.overall
    assert unknown.best_case is not None and unknown.best_case > unknown.overall
    assert unknown.unknown == 3


def test_risk_check_yes_and_unknowns_is_not_low_risk() -> None:
    risk = next(q for q in shipped() if q.id == "crm-implementation-risk")
    ids = [q.id for q in risk.questions]
    result = score(risk, {qid: ("yes" if i < 4 else DONT_KNOW) for i, qid in enumerate(ids)})
    assert result.overall is not None and result.overall < 50
    assert result.level_id == "high_risk"
    assert result.verdict != "ready"
    assert result.best_case == pytest.approx(100.0)


@SETTINGS
@given(audits(), st.data())
def test_dont_know_never_raises_the_score_nor_improves_the_verdict(audit, data) -> None:
    questionnaire, answers, org = audit
    candidates = [
        q
        for q in questionnaire.questions
        if q.type != "text" and q.dont_know and answers.get(q.id) not in (None, DONT_KNOW)
    ]
    assume(candidates)
    question = data.draw(st.sampled_from(candidates))
    before = score(questionnaire, answers, org)
    after = score(questionnaire, {**answers, question.id: DONT_KNOW}, org)
    if before.overall is not None:
        assert after.overall is not None and after.overall <= before.overall + 1e-9
    assert VERDICT_RANK[after.verdict] <= VERDICT_RANK[before.verdict]
    assert after.best_case is not None and after.best_case >= after.overall  # type: ignore[operator]


@SETTINGS
@given(audits(), st.data())
def test_a_better_option_never_lowers_the_score_nor_the_verdict(audit, data) -> None:
    """Questions that steer others (show_if) are left out: a better answer there may
    rightly bring in a further question."""
    questionnaire, answers, org = audit
    controllers = {q.show_if.question for q in questionnaire.questions if q.show_if}
    before = score(questionnaire, answers, org)
    candidates = [
        q
        for q in questionnaire.questions
        if q.id not in controllers
        and q.type in ("scale", "single")
        and (s := before.question(q.id)) is not None
        and s.status in ("scored", "dont_know")
    ]
    assume(candidates)
    question = data.draw(st.sampled_from(candidates))
    current = before.question(question.id).percent or 0.0  # type: ignore[union-attr]
    better = [
        o.value for o in question.choices if (question_percent(question, o.value) or 0.0) >= current
    ]
    assume(better)
    after = score(questionnaire, {**answers, question.id: data.draw(st.sampled_from(better))}, org)
    assert after.overall is not None and before.overall is not None
    assert after.overall >= before.overall - 1e-9
    assert VERDICT_RANK[after.verdict] >= VERDICT_RANK[before.verdict]
