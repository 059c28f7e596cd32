"""Answer values: validation, points of a single answer and question visibility.

Plain Python only. An answer set is a mapping question id -> value:

* scale / single: the chosen option value (a string);
* multiple: a list of chosen option values (order and duplicates do not matter);
* number: an int or float (not bool, finite);
* text: a string;
* `DONT_KNOW` / `NOT_APPLICABLE` wherever the question allows them
  (for text questions every string, including these, is plain text);
* missing or None: unanswered.

An answer that fails `validate_answer` is treated everywhere (visibility,
scoring) as unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal, TypeGuard

from audit_app.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Band,
    Condition,
    Question,
    Questionnaire,
)

AnswerValue = str | int | float | list[str] | None
Answers = Mapping[str, AnswerValue]


def is_number(value: object) -> TypeGuard[int | float]:
    """True for finite ints and floats (bool excluded)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def validate_answer(question: Question, value: AnswerValue) -> str | None:
    """Return an error code (wrong_type, unknown_option, not_a_number, out_of_range,
    dont_know_not_allowed, na_not_allowed), or None when the value is acceptable.

    None (unanswered) is always acceptable.
    """
    if value is None:
        return None
    if question.type == "text":
        return None if isinstance(value, str) else "wrong_type"
    if value == DONT_KNOW:
        return None if question.dont_know else "dont_know_not_allowed"
    if value == NOT_APPLICABLE:
        return None if question.not_applicable else "na_not_allowed"
    known = {option.value for option in question.choices}
    if question.type in ("scale", "single"):
        if not isinstance(value, str):
            return "wrong_type"
        return None if value in known else "unknown_option"
    if question.type == "multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "wrong_type"
        return None if all(v in known for v in value) else "unknown_option"
    # number
    if isinstance(value, list):
        return "wrong_type"
    if not is_number(value):
        return "not_a_number"
    return None if band_for(question, value) is not None else "out_of_range"


def effective_answer(question: Question, value: AnswerValue) -> AnswerValue:
    """The value as the scoring sees it: invalid answers become None.

    Multiple-choice lists are normalised to the chosen values in option order
    without duplicates, so the result does not depend on the order of ticking.
    """
    if value is None or validate_answer(question, value) is not None:
        return None
    if question.type == "multiple" and isinstance(value, list):
        chosen = set(value)
        return [o.value for o in question.options if o.value in chosen]
    return value


def is_special(value: AnswerValue) -> bool:
    return value in (DONT_KNOW, NOT_APPLICABLE)


def band_for(question: Question, value: float) -> Band | None:
    """The first band of a number question that contains `value`."""
    return next((band for band in question.bands if band.contains(value)), None)


def answer_points(question: Question, value: AnswerValue) -> float | None:
    """Raw points of a valid, non-special answer (uncapped); None otherwise."""
    value = effective_answer(question, value)
    if value is None or is_special(value) or not question.scored:
        return None
    if question.type in ("scale", "single") and isinstance(value, str):
        option = next((o for o in question.choices if o.value == value), None)
        return None if option is None else option.score
    if question.type == "multiple" and isinstance(value, list):
        return sum((o.score for o in question.options if o.value in value), 0.0)
    if question.type == "number" and is_number(value):
        band = band_for(question, value)
        return None if band is None else band.score
    return None


def percent_of(question: Question, points: float) -> float:
    """Points as percent of the question's full score, clamped to 0-100."""
    full = question.points_for_full_score
    if full <= 0:
        return 0.0
    return min(100.0, max(0.0, points / full * 100.0))


def question_percent(question: Question, value: AnswerValue) -> float | None:
    """Percent (0-100) of a valid, non-special answer; None otherwise."""
    points = answer_points(question, value)
    return None if points is None else percent_of(question, points)


def _condition_met(condition: Condition, controller: Question, value: AnswerValue) -> bool:
    value = effective_answer(controller, value)
    if value is None:
        return False
    if condition.min_score is not None:
        percent = question_percent(controller, value)
        return percent is not None and percent >= condition.min_score
    if isinstance(value, list):
        return any(v in condition.equals for v in value)
    if isinstance(value, str):
        return value in condition.equals
    return any(_number_equals(value, listed) for listed in condition.equals)


def _number_equals(value: float, listed: str) -> bool:
    try:
        return float(listed) == value
    except ValueError:
        return False


Visibility = Literal["shown", "hidden", "undetermined"]


def question_visibility(questionnaire: Questionnaire, answers: Answers) -> dict[str, Visibility]:
    """Whether each question is shown for these answers.

    A question without `show_if` is shown. With `show_if` it is shown when its
    controlling question is shown and that question's (valid) answer matches:
    `equals` - the value is among the listed values (for multiple: any chosen one
    is); `min_score` - the controlling answer's percent is at least `min_score`.
    It is "undetermined" when the controlling question is answered "don't know" or
    is itself undetermined: nobody knows whether it applies, so the scoring counts it
    as unknown rather than leaving it out (leaving it out could raise a score).
    Unanswered, n/a or non-matching controllers, unknown controlling questions and
    cycles hide the question.
    """
    by_id = {q.id: q for q in questionnaire.questions}
    decided: dict[str, Visibility] = {}

    def state(question_id: str, stack: frozenset[str]) -> Visibility:
        if question_id in decided:
            return decided[question_id]
        question = by_id.get(question_id)
        if question is None or question_id in stack:
            return "hidden"
        condition = question.show_if
        result: Visibility = "shown"
        if condition is not None:
            controller = by_id.get(condition.question)
            parent = state(controller.id, stack | {question_id}) if controller else "hidden"
            value = answers.get(controller.id) if controller else None
            if controller is None or parent == "hidden":
                result = "hidden"
            elif parent == "undetermined" or effective_answer(controller, value) == DONT_KNOW:
                result = "undetermined"
            elif not _condition_met(condition, controller, value):
                result = "hidden"
        decided[question_id] = result
        return result

    return {q.id: state(q.id, frozenset()) for q in questionnaire.questions}


def visible_question_ids(questionnaire: Questionnaire, answers: Answers) -> set[str]:
    """Ids of the questions shown for these answers (see `question_visibility`)."""
    return {
        qid for qid, seen in question_visibility(questionnaire, answers).items() if seen == "shown"
    }
