"""Stored figures of submitted audits, read in SQL instead of restoring each frozen
result: the area scores (`audit_section_scores`, written at submission) and the level.

An audit submitted before `audit_section_scores` existed has no rows there: its areas
are read from its frozen result (`audits.result`), the same figures the rows copy.
(services/section_scores.py writes the rows at submission and backfills them for the
benchmarks; this reader only reads, so a page view never writes.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Action, Audit, AuditSectionScore

AreaScores = dict[str, float | None]


def area_scores(audit_ids: Sequence[int]) -> dict[int, AreaScores]:
    """Area percentages by audit id, for the submitted audits among `audit_ids`."""
    found: dict[int, AreaScores] = {}
    if not audit_ids:
        return found
    rows = db.session.execute(
        select(
            AuditSectionScore.audit_id, AuditSectionScore.section_id, AuditSectionScore.score
        ).where(AuditSectionScore.audit_id.in_(audit_ids))
    )
    for audit_id, section_id, score in rows:
        found.setdefault(audit_id, {})[section_id] = score
    missing = [audit_id for audit_id in audit_ids if audit_id not in found]
    if missing:
        frozen = db.session.execute(
            select(Audit.id, Audit.result["sections"]).where(
                Audit.id.in_(missing), Audit.status == "submitted"
            )
        )
        for audit_id, sections in frozen:
            found[audit_id] = _areas_of(sections)
    return found


def _areas_of(sections: Any) -> AreaScores:
    if not isinstance(sections, list):
        return {}
    return {
        str(s["section_id"]): s.get("percent")
        for s in sections
        if isinstance(s, dict) and "section_id" in s
    }


def level_ids(audit_ids: Sequence[int]) -> dict[int, str | None]:
    """The maturity level id of each audit that has a frozen result."""
    if not audit_ids:
        return {}
    rows = db.session.execute(
        select(Audit.id, Audit.result["level_id"].as_string()).where(Audit.id.in_(audit_ids))
    )
    return {audit_id: level_id for audit_id, level_id in rows}


def action_counts(audit_ids: Sequence[int]) -> dict[int, int]:
    """How many agreed actions each audit has (one query for all of them)."""
    if not audit_ids:
        return {}
    rows = db.session.execute(
        select(Action.audit_id, func.count())
        .where(Action.audit_id.in_(audit_ids))
        .group_by(Action.audit_id)
    )
    return {audit_id: int(count) for audit_id, count in rows}
