"""Use cases of an audit: start, answer (autosave), submit, reopen.

Services flush and never commit: the request (or CLI command) commits once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from audit_app.domain.answers import AnswerValue, visible_question_ids
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import AuditResult, result_to_dict, score
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Answer, Audit, Organisation, User
from audit_app.services import answering, audit_priorities, section_scores, trail
from audit_app.services.answering import Conflict as Conflict  # re-exported (API views)
from audit_app.services.answering import Progress, SaveOutcome, progress_of
from audit_app.services.questionnaires import questionnaire_of, store_version


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


def stored_values(audit_id: int) -> dict[str, AnswerValue]:
    """`answers_of` read as plain columns, without loading the audit and its answer
    rows again after a commit has expired them (autosave's reply)."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(Answer.audit_id == audit_id)
    )
    return {question_id: value for question_id, value in rows}


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


def save_answer(
    audit: Audit,
    question_id: str,
    *,
    value: AnswerValue,
    note: str | None = None,
    evidence: str | None = None,
    base_revision: int | None = None,
    user: User | None = None,
) -> SaveOutcome[Answer]:
    """Store one of the consultant's own answers (the rules: `answering.save_answer`)."""
    if audit.status != "in_progress":
        raise UserError("audit_locked")
    return answering.save_answer(
        audit,
        Answer,
        questionnaire_for(audit),
        question_id,
        value=value,
        note=note,
        evidence=evidence,
        base_revision=base_revision,
        set_on_change={"updated_by_id": user.id if user else None},
    )


def current_result(audit: Audit) -> AuditResult:
    """The frozen result of a submitted audit, or a live one while in progress."""
    from audit_app.domain.scoring import result_from_dict

    if audit.result is not None:
        return result_from_dict(audit.result)
    return score(questionnaire_for(audit), answers_of(audit), audit.organisation.type)


def visible_ids(audit: Audit, questionnaire: Questionnaire | None = None) -> set[str]:
    """Ids of the questions shown for the stored answers."""
    questionnaire = questionnaire or questionnaire_for(audit)
    return visible_question_ids(questionnaire, answers_of(audit))


def progress(audit: Audit, questionnaire: Questionnaire | None = None) -> Progress:
    """Answered / total of the visible scored questions."""
    return progress_of(questionnaire or questionnaire_for(audit), answers_of(audit))


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
    questionnaire = questionnaire_for(audit)
    result = score(questionnaire, answers_of(audit), audit.organisation.type)
    audit.result = result_to_dict(result)
    audit.overall = result.overall
    audit.verdict = result.verdict
    audit.status = "submitted"
    audit.submitted_at = datetime.now(UTC)
    section_scores.write(audit, result)  # for benchmarks (SQL aggregates)
    audit_priorities.write(audit, questionnaire, result)  # for campaigns (SQL counts)
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
    section_scores.clear(audit)
    audit_priorities.clear(audit)
    db.session.flush()
