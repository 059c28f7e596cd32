"""Answering a questionnaire, the same for the consultant's own answers (`answers`)
and an invited respondent's (`respondent_answers`): storing one answer (validation
and the rule for concurrent edits) and the progress of one set of answers.

Services flush and never commit: the request commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from audit_app.domain.answers import Answers, AnswerValue, validate_answer, visible_question_ids
from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, Respondent
from audit_app.models.answer_columns import AnswerColumns

# Longest note, evidence or text answer accepted (characters).
MAX_TEXT = 20_000

AnswerRow = TypeVar("AnswerRow", bound=AnswerColumns)


class Conflict(Exception, Generic[AnswerRow]):
    """The answer changed since the client read it (another tab or person)."""

    def __init__(self, current: AnswerRow) -> None:
        super().__init__(current.question_id)
        self.current = current


@dataclass
class SaveOutcome(Generic[AnswerRow]):
    answer: AnswerRow
    changed: bool


def save_answer(
    owner: Audit | Respondent,
    model: type[AnswerRow],
    questionnaire: Questionnaire,
    question_id: str,
    *,
    value: AnswerValue,
    note: str | None = None,
    evidence: str | None = None,
    base_revision: int | None = None,
    set_on_change: Mapping[str, Any] | None = None,
) -> SaveOutcome[AnswerRow]:
    """Store one answer of `owner` (an audit or a respondent) in `model`'s table; the
    caller has checked that the owner may still answer. `set_on_change`: more columns
    written with every change (who made it).

    Rule for concurrent edits: a save that names the revision it was based on is
    refused (Conflict) when the stored answer has moved on and holds something else;
    the client shows both and the user decides. A save without a base revision (first
    answer, or a client that does not track revisions) simply writes.
    `base_revision=0` means "I saw no stored answer"."""
    question = questionnaire.question(question_id)
    if question is None:
        raise UserError("unknown_question", field=question_id)
    value = _normalise(value)
    if value is not None:
        problem = validate_answer(question, value)
        if problem is not None:
            raise UserError(problem, field=question_id)
    for text in (note, evidence, value if isinstance(value, str) else None):
        if text is not None and len(text) > MAX_TEXT:
            raise UserError("too_long", field=question_id)
    # Written with every change: when, and whatever the owner's table records besides.
    stamp = {"updated_at": datetime.now(UTC), **(set_on_change or {})}
    answer = _stored_answer(owner, model, question_id)
    if answer is None:
        answer = model(
            **{model.owner_column: owner.id},
            question_id=question_id,
            value=value,
            note=note or "",
            evidence=evidence or "",
            revision=1,
            **stamp,
        )
        try:
            with db.session.begin_nested():
                db.session.add(answer)
                db.session.flush()
        except IntegrityError:
            # Another request stored the first answer a moment ago: carry on with that one.
            stored = _stored_answer(owner, model, question_id)
            if stored is None:  # pragma: no cover - the constraint said it exists
                raise
            answer = stored
        else:
            _attach(owner, answer)
            return SaveOutcome(answer, True)
    new_note = answer.note if note is None else note
    new_evidence = answer.evidence if evidence is None else evidence
    if (answer.value, answer.note, answer.evidence) == (value, new_note, new_evidence):
        return SaveOutcome(answer, False)
    if base_revision is not None and base_revision != answer.revision:
        raise Conflict(answer)
    answer.value = value
    answer.note = new_note
    answer.evidence = new_evidence
    answer.revision += 1
    for column, written in stamp.items():
        setattr(answer, column, written)
    db.session.flush()
    return SaveOutcome(answer, True)


def _stored_answer(
    owner: Audit | Respondent, model: type[AnswerRow], question_id: str
) -> AnswerRow | None:
    return db.session.scalar(
        select(model)
        .filter_by(**{model.owner_column: owner.id}, question_id=question_id)
        .with_for_update()
    )


def _attach(owner: Audit | Respondent, answer: AnswerColumns) -> None:
    """Keep an already loaded `owner.answers` in step with a newly stored answer
    (an unloaded collection picks it up from the database when first read)."""
    answers: list[Any] = owner.answers
    if "answers" not in inspect(owner).unloaded and answer not in answers:
        answers.append(answer)


def _normalise(value: Any) -> AnswerValue:
    if value == "" or value == []:
        return None
    return value  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- progress


@dataclass
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    def as_dict(self) -> dict[str, int]:
        return {"answered": self.answered, "total": self.total, "percent": self.percent}


def progress_of(questionnaire: Questionnaire, answers: Answers) -> Progress:
    """Answered / total of the visible scored questions."""
    visible = visible_question_ids(questionnaire, answers)
    required = [q.id for q in questionnaire.questions if q.id in visible and q.scored]
    return Progress(sum(1 for qid in required if answers.get(qid) is not None), len(required))


def first_unanswered(questionnaire: Questionnaire, answers: Answers) -> tuple[str, str] | None:
    """(section id, question id) of the first visible scored question without an answer,
    where someone coming back carries on; None when everything is answered."""
    visible = visible_question_ids(questionnaire, answers)
    for section in questionnaire.sections:
        for question in section.questions:
            if question.id in visible and question.scored and answers.get(question.id) is None:
                return section.id, question.id
    return None


def section_progress_of(questionnaire: Questionnaire, answers: Answers) -> dict[str, Progress]:
    """Answered / total of the visible scored questions, per section id."""
    visible = visible_question_ids(questionnaire, answers)
    result = {}
    for section in questionnaire.sections:
        required = [q.id for q in section.questions if q.id in visible and q.scored]
        answered = sum(1 for qid in required if answers.get(qid) is not None)
        result[section.id] = Progress(answered, len(required))
    return result
