"""A respondent's answers: saving with the consultant's rules, finishing, progress."""

from __future__ import annotations

from audit_app.domain.answers import AnswerValue, visible_question_ids
from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.models.respondents import (
    Respondent,
    RespondentAnswer,
)
from audit_app.services import answering
from audit_app.services.answering import Progress, SaveOutcome, progress_of
from audit_app.services.audits import questionnaire_for
from audit_app.services.respondents.collection import is_open
from audit_app.services.signed_links import utcnow


def answers_of_respondent(respondent: Respondent) -> dict[str, AnswerValue]:
    return {a.question_id: a.value for a in respondent.answers}


def answer_rows(respondent: Respondent) -> dict[str, RespondentAnswer]:
    return {a.question_id: a for a in respondent.answers}


def has_answered(answers: dict[str, AnswerValue]) -> bool:
    """At least one answer given (don't know and not applicable are answers too)."""
    return any(value is not None for value in answers.values())


def save_answer(
    respondent: Respondent,
    question_id: str,
    *,
    value: AnswerValue,
    note: str | None = None,
    evidence: str | None = None,
    base_revision: int | None = None,
) -> SaveOutcome[RespondentAnswer]:
    """Store one answer of a respondent; the same rules as the consultant's
    (`answering.save_answer`) while the collection is open and the link not revoked."""
    audit = db.session.get(Audit, respondent.audit_id)
    if (
        audit is None
        or audit.status == "submitted"
        or not is_open(audit)
        or respondent.revoked_at is not None
    ):
        raise UserError("audit_locked")
    outcome = answering.save_answer(
        respondent,
        RespondentAnswer,
        questionnaire_for(audit),
        question_id,
        value=value,
        note=note,
        evidence=evidence,
        base_revision=base_revision,
    )
    if outcome.changed:
        respondent.last_answer_at = outcome.answer.updated_at
        db.session.flush()
    return outcome


def finish(respondent: Respondent) -> None:
    if respondent.finished_at is None:
        respondent.finished_at = utcnow()
        db.session.flush()


def visible_ids(respondent: Respondent, questionnaire: Questionnaire) -> set[str]:
    return visible_question_ids(questionnaire, answers_of_respondent(respondent))


def progress(respondent: Respondent, questionnaire: Questionnaire) -> Progress:
    return progress_of(questionnaire, answers_of_respondent(respondent))


# -- the one status of a respondent (lists, counts and the perception table agree) -------

STARTED = ("started", "in_progress", "finished", "excluded")


def status_of(respondent: Respondent, answers: dict[str, AnswerValue]) -> str:
    """ "excluded", "finished", "in_progress" (some answers), "started" or "not_started".

    A respondent who came through a shared link exists only because they pressed start,
    so they have started even before their first answer; an invited person has started
    with their first answer."""
    if respondent.excluded_at is not None:
        return "excluded"
    if respondent.finished_at is not None:
        return "finished"
    if has_answered(answers):
        return "in_progress"
    return "started" if respondent.link_id is not None or respondent.anonymous else "not_started"


def invited_roles(audit: Audit, respondents: list[Respondent]) -> set[str]:
    """The roles someone was asked to answer in: a personal link (not excluded) or a
    shared link that still works."""
    from audit_app.services.respondents.links import links_of, status_of_link

    roles = {r.role for r in respondents if r.excluded_at is None}
    roles |= {link.role for link in links_of(audit) if status_of_link(link) == "active"}
    return roles
