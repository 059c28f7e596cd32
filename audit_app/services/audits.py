"""Use cases of an audit: start, answer (autosave), submit, reopen.

Services flush and never commit: the request (or CLI command) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from audit_app.domain.answers import AnswerValue, validate_answer, visible_question_ids
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import AuditResult, result_to_dict, score
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Answer, Audit, Organisation, User
from audit_app.services import trail
from audit_app.services.questionnaires import questionnaire_of, store_version

# Longest note, evidence or text answer accepted (characters).
MAX_TEXT = 20_000


def start_audit(organisation: Organisation, questionnaire: Questionnaire, user: User) -> Audit:
    version = store_version(questionnaire)
    audit = Audit(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        created_by_id=user.id,
    )
    db.session.add(audit)
    db.session.flush()
    trail.record(
        user.id,
        "start",
        "audit",
        audit.id,
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
    )
    return audit


def questionnaire_for(audit: Audit) -> Questionnaire:
    return questionnaire_of(audit.questionnaire_version)


def answers_of(audit: Audit) -> dict[str, AnswerValue]:
    return {a.question_id: a.value for a in audit.answers}


def answer_rows(audit: Audit) -> dict[str, Answer]:
    """The stored answer rows (value, note, evidence, revision) by question id."""
    return {a.question_id: a for a in audit.answers}


def in_progress_audits(organisation: Organisation) -> list[Audit]:
    return list(
        db.session.scalars(
            select(Audit)
            .filter_by(organisation_id=organisation.id, status="in_progress")
            .order_by(Audit.started_at.desc())
        )
    )


class Conflict(Exception):
    """The answer changed since the client read it (another tab or person)."""

    def __init__(self, current: Answer) -> None:
        super().__init__(current.question_id)
        self.current = current


@dataclass
class SaveOutcome:
    answer: Answer
    changed: bool


def save_answer(
    audit: Audit,
    question_id: str,
    *,
    value: AnswerValue,
    note: str | None = None,
    evidence: str | None = None,
    base_revision: int | None = None,
    user: User | None = None,
) -> SaveOutcome:
    """Store one answer. Rule for concurrent edits: a save that names the revision it
    was based on is refused (Conflict) when the stored answer has moved on and holds
    something else; the client shows both and the user decides. A save without a
    base revision (first answer, or a client that does not track revisions) simply
    writes. `base_revision=0` means "I saw no stored answer"."""
    if audit.status != "in_progress":
        raise UserError("audit_locked")
    questionnaire = questionnaire_for(audit)
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
    answer = _stored_answer(audit, question_id)
    if answer is None:
        answer = Answer(
            audit_id=audit.id,
            question_id=question_id,
            value=value,
            note=note or "",
            evidence=evidence or "",
            revision=1,
            updated_by_id=user.id if user else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(answer)
                db.session.flush()
        except IntegrityError:
            # Another request stored the first answer a moment ago: carry on with that one.
            stored = _stored_answer(audit, question_id)
            if stored is None:  # pragma: no cover - the constraint said it exists
                raise
            answer = stored
        else:
            _attach(audit, answer)
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
    answer.updated_at = datetime.now(UTC)
    answer.updated_by_id = user.id if user else None
    db.session.flush()
    return SaveOutcome(answer, True)


def _attach(audit: Audit, answer: Answer) -> None:
    """Keep an already loaded `audit.answers` in step with a newly stored answer
    (an unloaded collection picks it up from the database when first read)."""
    if "answers" not in inspect(audit).unloaded and answer not in audit.answers:
        audit.answers.append(answer)


def _stored_answer(audit: Audit, question_id: str) -> Answer | None:
    return db.session.scalar(
        select(Answer).filter_by(audit_id=audit.id, question_id=question_id).with_for_update()
    )


def _normalise(value: Any) -> AnswerValue:
    if value == "" or value == []:
        return None
    return value  # type: ignore[no-any-return]


def current_result(audit: Audit) -> AuditResult:
    """The frozen result of a submitted audit, or a live one while in progress."""
    from audit_app.domain.scoring import result_from_dict

    if audit.result is not None:
        return result_from_dict(audit.result)
    return score(questionnaire_for(audit), answers_of(audit), audit.organisation.type)


@dataclass
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    def as_dict(self) -> dict[str, int]:
        return {"answered": self.answered, "total": self.total, "percent": self.percent}


def visible_ids(audit: Audit, questionnaire: Questionnaire | None = None) -> set[str]:
    """Ids of the questions shown for the stored answers."""
    questionnaire = questionnaire or questionnaire_for(audit)
    return visible_question_ids(questionnaire, answers_of(audit))


def progress(audit: Audit, questionnaire: Questionnaire | None = None) -> Progress:
    """Answered / total of the visible scored questions."""
    questionnaire = questionnaire or questionnaire_for(audit)
    answers = answers_of(audit)
    visible = visible_question_ids(questionnaire, answers)
    required = [q.id for q in questionnaire.questions if q.id in visible and q.scored]
    answered = sum(1 for qid in required if answers.get(qid) is not None)
    return Progress(answered, len(required))


def section_progress(
    audit: Audit, questionnaire: Questionnaire | None = None
) -> dict[str, Progress]:
    """Answered / total of the visible scored questions, per section id."""
    questionnaire = questionnaire or questionnaire_for(audit)
    answers = answers_of(audit)
    visible = visible_question_ids(questionnaire, answers)
    result = {}
    for section in questionnaire.sections:
        required = [q.id for q in section.questions if q.id in visible and q.scored]
        answered = sum(1 for qid in required if answers.get(qid) is not None)
        result[section.id] = Progress(answered, len(required))
    return result


def missing_questions(audit: Audit) -> list[str]:
    questionnaire = questionnaire_for(audit)
    answers = answers_of(audit)
    visible = visible_question_ids(questionnaire, answers)
    return [
        q.id
        for q in questionnaire.questions
        if q.id in visible and q.scored and answers.get(q.id) is None
    ]


def submit(audit: Audit, user: User) -> AuditResult:
    """Lock the audit and freeze its scores; refuses while answers are missing."""
    if audit.status != "in_progress":
        raise UserError("already_submitted")
    missing = missing_questions(audit)
    if missing:
        raise UserError("missing_answers", field=",".join(missing))
    result = score(questionnaire_for(audit), answers_of(audit), audit.organisation.type)
    audit.result = result_to_dict(result)
    audit.overall = result.overall
    audit.verdict = result.verdict
    audit.status = "submitted"
    audit.submitted_at = datetime.now(UTC)
    trail.record(
        user.id, "submit", "audit", audit.id, overall=result.overall, verdict=result.verdict
    )
    db.session.flush()
    return result


def reopen(audit: Audit, user: User, reason: str) -> None:
    if not user.is_admin:
        raise UserError("admin_only")
    if audit.status != "submitted":
        raise UserError("not_submitted")
    reason = reason.strip()
    if not reason:
        raise UserError("reason_required", field="reason")
    trail.record(
        user.id,
        "reopen",
        "audit",
        audit.id,
        reason=reason,
        previous_overall=audit.overall,
        previous_verdict=audit.verdict,
    )
    audit.status = "in_progress"
    audit.result = None
    audit.overall = None
    audit.verdict = None
    audit.submitted_at = None
    db.session.flush()
