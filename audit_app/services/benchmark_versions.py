"""Peers who answered another version of the questionnaire, scored as a comparison of two
audits scores them (domain.compare): on the questions both versions share, by id.

* A version with no question the reference version lacks: restricting it to the shared
  questions changes nothing, so its peers count with their stored scores (the SQL cell
  counts), overall and in every area the reference version has.
* Any other version: each of its peers is scored again from its answers, on its own
  version restricted to the shared questions (`rescore_shared`, under today's scoring
  rule, each question's visibility kept from its own result), and only then put into
  5-point cells like every other peer: the anonymity rules see cells, nothing finer.

Reading answers costs a query per benchmark and a scoring per such peer, so scores are
remembered per audit and submission: a submitted audit's answers change only by
reopening it, which changes its submission time when it is submitted again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit_app.domain.benchmark import cell_counts
from audit_app.domain.compare import Side, rescore_shared, under_current_rule
from audit_app.domain.questionnaire import Questionnaire
from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.services.audits import answers_of, current_result, questionnaire_for

# (overall, {area id: score}) of one peer audit re-scored for one reference version.
Rescored = tuple[float | None, dict[str, float | None]]

_remembered: dict[tuple[int, datetime | None, str], Rescored] = {}
_REMEMBER_AT_MOST = 50_000


def question_ids(questionnaire: Questionnaire) -> set[str]:
    return {q.id for q in questionnaire.questions}


def uses_stored_scores(reference: Questionnaire, other: Questionnaire) -> bool:
    """Whether a peer on `other` counts with its stored scores (see the module text)."""
    return question_ids(other) <= question_ids(reference)


def _rescore(audit: Audit, reference: Questionnaire) -> Rescored:
    """The peer audit's overall and area scores on the questions it shares with
    `reference`; areas the reference version does not have are left out."""
    questionnaire = questionnaire_for(audit)
    side = under_current_rule(Side(questionnaire, current_result(audit), answers_of(audit)))
    result = rescore_shared(side, question_ids(reference) & question_ids(questionnaire))
    areas = {s.id for s in reference.sections}
    return (
        result.overall,
        {s.section_id: s.percent for s in result.sections if s.section_id in areas},
    )


def rescored(audit_ids: Iterable[int], reference: Questionnaire) -> list[Rescored]:
    """These peer audits re-scored; answers are read only for those not remembered."""
    submitted = db.session.execute(
        select(Audit.id, Audit.submitted_at).where(Audit.id.in_(sorted(audit_ids)))
    ).all()
    keys = {audit_id: (audit_id, when, reference.content_hash) for audit_id, when in submitted}
    missing = [audit_id for audit_id, key in keys.items() if key not in _remembered]
    if missing:
        audits = db.session.scalars(
            select(Audit)
            .where(Audit.id.in_(missing))
            .options(selectinload(Audit.answers), selectinload(Audit.questionnaire_version))
        )
        if len(_remembered) + len(missing) > _REMEMBER_AT_MOST:
            _remembered.clear()
        for audit in audits:
            _remembered[keys[audit.id]] = _rescore(audit, reference)
    return [_remembered[key] for key in keys.values() if key in _remembered]


def rescored_cells(
    audit_ids: Iterable[int], reference: Questionnaire, step: int
) -> tuple[dict[int, int], dict[str, dict[int, int]]]:
    """Cell counts (overall; per area) of these peer audits, each re-scored."""
    scores = rescored(audit_ids, reference)
    by_area: dict[str, list[float | None]] = {}
    for _peer_overall, peer_areas in scores:
        for area_id, score in peer_areas.items():
            by_area.setdefault(area_id, []).append(score)
    overall = dict(cell_counts((peer_overall for peer_overall, _ in scores), step))
    areas = {area_id: dict(cell_counts(values, step)) for area_id, values in by_area.items()}
    return overall, {area_id: cells for area_id, cells in areas.items() if cells}
