"""Each submitted audit's starting area and recommendation ids as rows
(`audit_start_areas`, `audit_recommendation_ids`), so a campaign counts "where members
should start" and "the recommendations most members received" in SQL instead of
building every member's result model (services/campaign_results.py).

The ids are read from the audit's own result model (`domain.present` on its frozen
result and answers, what its results page shows), so the counts are the model's
answers. Written at submission, removed on reopen (services/audits.py), next to the area
scores of services/section_scores.py; audits submitted before the tables existed get
theirs from their frozen result - lazily when a campaign meets them (`backfill`) or all
at once with `audit-app benchmark-backfill`. Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from audit_app.domain.present import PresentInput, StoredAnswer, present
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.result_view import ResultView
from audit_app.domain.scoring import AuditResult
from audit_app.extensions import db
from audit_app.models import Answer, Audit
from audit_app.models.audits import AuditRecommendationId, AuditStartArea
from audit_app.services import section_scores
from audit_app.wording import Translator, translator


def stored_answers(audit_ids: Sequence[int]) -> dict[int, dict[str, StoredAnswer]]:
    """The answers of `audit_ids` as the result model takes them, in one query."""
    answers: dict[int, dict[str, StoredAnswer]] = {audit_id: {} for audit_id in audit_ids}
    if audit_ids:
        rows = db.session.scalars(select(Answer).where(Answer.audit_id.in_(list(audit_ids))))
        for row in rows:
            answers[row.audit_id][row.question_id] = StoredAnswer(
                row.value, row.note or "", row.evidence or ""
            )
    return answers


def model_of(audit: Audit, answers: dict[str, StoredAnswer], t: Translator) -> ResultView:
    """The result model of a submitted audit as its results page builds its figures."""
    from audit_app.services.audits import current_result, questionnaire_for

    return present(PresentInput(questionnaire_for(audit), current_result(audit), answers), t)


@dataclass(frozen=True)
class Priorities:
    start_area_id: str | None
    recommendation_ids: tuple[str, ...]  # each once, in the model's order


def priorities_of(model: ResultView) -> Priorities:
    return Priorities(
        model.start.area.id if model.start is not None else None,
        tuple(dict.fromkeys(r.id for r in model.recommendations)),
    )


def write(
    audit: Audit,
    questionnaire: Questionnaire,
    result: AuditResult,
    answers: dict[str, StoredAnswer] | None = None,
) -> None:
    """The start area and recommendation ids of `audit`'s model (replacing any)."""
    if answers is None:
        answers = stored_answers([audit.id])[audit.id]
    # The ids do not depend on the language; Polish is the first one.
    found = priorities_of(present(PresentInput(questionnaire, result, answers), translator("pl")))
    clear(audit)
    db.session.add(AuditStartArea(audit_id=audit.id, section_id=found.start_area_id))
    db.session.add_all(
        AuditRecommendationId(audit_id=audit.id, recommendation_id=rec_id)
        for rec_id in found.recommendation_ids
    )


def clear(audit: Audit) -> None:
    for model in (AuditStartArea, AuditRecommendationId):
        db.session.execute(delete(model).where(model.audit_id == audit.id))


def backfill(audit_ids: Iterable[int] | None = None) -> int:
    """Rows for submitted audits that have none (all of them, or those among
    `audit_ids`), from their frozen results. Returns how many audits got rows."""
    from audit_app.services.audits import current_result, questionnaire_for

    missing = section_scores.submitted_without(AuditStartArea, audit_ids)
    answers = stored_answers([a.id for a in missing])
    for audit in missing:
        write(audit, questionnaire_for(audit), current_result(audit), answers[audit.id])
    db.session.flush()
    return len(missing)


@dataclass(frozen=True)
class Count:
    id: str
    audits: int  # how many of the audits have it
    first_audit_id: int  # the lowest audit id that has it: its model gives the wording


def counts(audit_ids: Sequence[int]) -> tuple[list[Count], list[Count]]:
    """(start areas, recommendations) among `audit_ids`, counted in SQL; audits without
    rows are backfilled first."""
    ids = list(audit_ids)
    if not ids:
        return [], []
    backfill(ids)
    starts = db.session.execute(
        select(AuditStartArea.section_id, func.count(), func.min(AuditStartArea.audit_id))
        .where(AuditStartArea.audit_id.in_(ids), AuditStartArea.section_id.is_not(None))
        .group_by(AuditStartArea.section_id)
    )
    recs = db.session.execute(
        select(
            AuditRecommendationId.recommendation_id,
            func.count(),
            func.min(AuditRecommendationId.audit_id),
        )
        .where(AuditRecommendationId.audit_id.in_(ids))
        .group_by(AuditRecommendationId.recommendation_id)
    )
    return (
        [Count(str(key), int(n), int(first)) for key, n, first in starts],
        [Count(key, int(n), int(first)) for key, n, first in recs],
    )
